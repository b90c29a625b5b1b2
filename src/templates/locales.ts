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
