// The text a recipient reads: the locked template's content for the locale, parameters filled in.
// Used by `chirp render --show-template` and by the preview.
import { lockedTemplateFor } from './checks.js';
import type { TemplateLock } from './lock.js';

export interface TemplateTextInput {
  projectId: string;
  version: string;
  locale: string;
  parameters?: readonly { key: string; value?: unknown }[];
}

export type TemplateText =
  | {
      ok: true;
      /** The channel template the text comes from (`latest` resolved). */
      templateId: string;
      header: string | null;
      body: string;
      footer: string | null;
      /** Button labels; a URL button as `label <url>` with its parameters filled in. */
      buttons: string[];
      /** The same buttons as data: a URL button with its `url` (parameters filled in), in the lock's order. */
      actions: { type: string; text: string; url?: string }[];
      /** Everything above as the recipient sees it: header, body, footer, then `[button]` lines. */
      text: string;
    }
  | { ok: false; reason: string };

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

function shown(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return undefined;
}

export function templateText(lock: TemplateLock, template: TemplateTextInput): TemplateText {
  const resolved = lockedTemplateFor(lock, { projectId: template.projectId, version: template.version });
  if (!('template' in resolved)) return { ok: false, reason: resolved.message };
  const locked = resolved.template;
  const content = locked.locales[template.locale];
  if (!content || content.body === null)
    return { ok: false, reason: `templates.lock.json has no content for locale ${template.locale} of template ${locked.id}` };
  const values = new Map<string, string>();
  for (const p of template.parameters ?? []) {
    const v = shown(p.value);
    if (v !== undefined && !values.has(p.key)) values.set(p.key, v);
  }
  const missing = new Set<string>();
  const fill = (text: string): string =>
    text.replace(PLACEHOLDER, (whole, key: string) => {
      const v = values.get(key);
      if (v === undefined) missing.add(key);
      return v ?? whole;
    });
  const header = content.header === null ? null : fill(content.header);
  const body = fill(content.body);
  const footer = content.footer === null ? null : fill(content.footer);
  const actions = content.buttons.map((b) => ({ type: b.type, text: fill(b.text), ...(b.url ? { url: fill(b.url) } : {}) }));
  const buttons = actions.map((b) => (b.url ? `${b.text} <${b.url}>` : b.text));
  if (missing.size > 0)
    return { ok: false, reason: `no value for ${[...missing].map((k) => `{{${k}}}`).join(', ')} in template ${locked.id}` };
  const text = [header, body, footer].filter((t): t is string => t !== null).join('\n\n') + buttons.map((b) => `\n[${b}]`).join('');
  return { ok: true, templateId: locked.id, header, body, footer, buttons, actions, text };
}
