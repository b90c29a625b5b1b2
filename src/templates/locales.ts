// A template without its own `locale` follows the recipient's: which locale each recipient gets is
// decided from the lock's approvals (Bird's per-locale status and every WhatsApp account's), along the
// message's fallback chain, so an unapproved locale falls back or stops the send before any request.
import type { JsonObject } from '../types.js';
import { chooseLocale, normalizeLocale, type LocaleChoice, type LocaleFallback } from '../util/index.js';
import { lockedTemplateFor } from './checks.js';
import { localeApproved, type LockedTemplate, type TemplateLock } from './lock.js';

/** The canonical tags of a locked template's approved locales. */
export function approvedLocales(template: LockedTemplate): Set<string> {
  const approved = new Set<string>();
  for (const [key, locale] of Object.entries(template.locales)) {
    const n = normalizeLocale(key);
    if (n.ok && localeApproved(locale)) approved.add(n.locale);
  }
  return approved;
}

/**
 * The chooser for one template of a message: undefined when the template names its own locale or
 * the lock cannot say (no lock, a template the lock lacks: `validate` reports those).
 */
export function templateLocaleChooser(
  lock: TemplateLock | undefined,
  template: JsonObject,
  defaultLocale: string,
  policy: LocaleFallback,
): ((requested: string) => LocaleChoice) | undefined {
  if (!lock || typeof template.locale === 'string') return undefined;
  const resolved = lockedTemplateFor(lock, template);
  if (!('template' in resolved)) return undefined;
  const locked = resolved.template;
  const approved = approvedLocales(locked);
  const cache = new Map<string, LocaleChoice>();
  return (requested) => {
    let choice = cache.get(requested);
    if (!choice) {
      choice = chooseLocale(requested, approved, defaultLocale, policy, `template ${locked.id}`);
      cache.set(requested, choice);
    }
    return choice;
  };
}

/**
 * The locales a template that follows the recipient's goes out in, for the locales a run's rows ask
 * for (canonical tags), each along the message's fallback chain as the render chooses it; a locale
 * no approved one serves makes its rows invalid (nothing of that run is sent), so it adds none.
 * Undefined: the template names its own locale, or the lock cannot say.
 */
export function usedTemplateLocales(
  lock: TemplateLock | undefined,
  template: JsonObject,
  requested: Iterable<string>,
  defaultLocale: string,
  policy: LocaleFallback,
): string[] | undefined {
  const choose = templateLocaleChooser(lock, template, defaultLocale, policy);
  if (!choose) return undefined;
  const used = new Set<string>();
  for (const locale of requested) {
    const choice = choose(locale);
    if (choice.ok) used.add(choice.used);
  }
  return [...used].sort();
}
