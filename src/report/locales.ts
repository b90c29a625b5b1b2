// Locales as people read them: one recipient's (`nl-BE → nl (fallback)`), and the tally of a render.
import type { RowLocale } from '../render/index.js';
import { terminalLine } from './escape.js';

/** `locale nl`, or `locale nl-BE → nl (fallback)`. */
export function localeText(locale: RowLocale): string {
  return locale.fallback
    ? `locale ${terminalLine(locale.requested)} → ${terminalLine(locale.used)} (fallback)`
    : `locale ${terminalLine(locale.used)}`;
}

/** Recipients per locale they get, and how many of them fell back to it. */
export class LocaleTally {
  private readonly counts = new Map<string, { recipients: number; fallback: number }>();

  add(locale: RowLocale): void {
    let count = this.counts.get(locale.used);
    if (!count) this.counts.set(locale.used, (count = { recipients: 0, fallback: 0 }));
    count.recipients++;
    if (locale.fallback) count.fallback++;
  }

  get size(): number {
    return this.counts.size;
  }

  /** `de 1, en 2 (1 fell back), nl 3 (2 fell back)`: sorted by locale. */
  text(): string {
    return [...this.counts]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([locale, c]) => `${terminalLine(locale)} ${c.recipients}${c.fallback ? ` (${c.fallback} fell back)` : ''}`)
      .join(', ');
  }
}
