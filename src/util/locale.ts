// Recipient locales: BCP-47 normalisation and the fallback chain. Used by the definition checks, the
// renderer and the template checks, so it lives here. Per-row work is a Map lookup: every distinct
// raw value is normalised once, every distinct locale resolved once per message.

/** How far a recipient's locale may fall back: see docs/message-format.md#locales. */
export type LocaleFallback = 'default' | 'language' | 'none';

export type NormalizedLocale = { ok: true; locale: string } | { ok: false; reason: string };

/** Language subtags in use are 2–3 letters (4–8 letter ones are reserved or unregistered): "english" is no locale. */
const LANGUAGE = /^[a-z]{2,3}(?:-|$)/i;
const normalized = new Map<string, NormalizedLocale>();

/**
 * A locale as a canonical BCP-47 tag: `nl_NL`, `NL-nl`, `nl-nl` → `nl-NL` (Intl.getCanonicalLocales,
 * Node's own ICU, after `_` → `-`). Anything else is a reason, never a guess.
 */
export function normalizeLocale(raw: string): NormalizedLocale {
  let result = normalized.get(raw);
  if (result) return result;
  const text = raw.trim().replace(/_/g, '-');
  if (text === '') result = { ok: false, reason: 'is empty' };
  else if (!LANGUAGE.test(text)) result = { ok: false, reason: 'is not a BCP-47 language tag (such as en, nl-NL or pt-BR)' };
  else {
    try {
      const [canonical] = Intl.getCanonicalLocales(text);
      result = canonical ? { ok: true, locale: canonical } : { ok: false, reason: 'is not a BCP-47 language tag' };
    } catch {
      result = { ok: false, reason: 'is not a BCP-47 language tag (such as en, nl-NL or pt-BR)' };
    }
  }
  // Data files repeat a handful of values; an unbounded cache of hostile distinct values is capped.
  if (normalized.size < 10_000) normalized.set(raw, result);
  return result;
}

/** The locales tried for `locale`, most specific first: `pt-BR` → `pt`; `zh-Hant-TW` → `zh-Hant` → `zh`. */
export function localeChain(locale: string): string[] {
  const parts = locale.split('-');
  // A singleton (`u`, `x`) starts extensions: past the whole tag, they go at once (`en-u-ca-gregory` → `en`).
  const singleton = parts.findIndex((p) => p.length === 1);
  const base = singleton === -1 ? parts : parts.slice(0, singleton);
  const chain: string[] = singleton === -1 ? [] : [locale];
  for (let n = base.length; n >= 1; n--) chain.push(base.slice(0, n).join('-'));
  return chain;
}

export type LocaleChoice =
  { ok: true; requested: string; used: string; fallback: boolean } | { ok: false; requested: string; reason: string };

/**
 * Which of `available` a recipient with `requested` (canonical) gets: their own locale, a shorter
 * tag of it (`default` and `language`), or the definition's default locale (`default` only).
 * `available` must hold canonical tags; `defaultLocale` is one of them.
 */
export function chooseLocale(
  requested: string,
  available: ReadonlySet<string>,
  defaultLocale: string,
  policy: LocaleFallback,
  /** Whose locales `available` are: the message's texts, or a template's approved locales. */
  owner?: string,
): LocaleChoice {
  if (available.has(requested)) return { ok: true, requested, used: requested, fallback: false };
  if (policy !== 'none') {
    for (const candidate of localeChain(requested).slice(1))
      if (available.has(candidate)) return { ok: true, requested, used: candidate, fallback: true };
    // Never a default that is not there (a template's default locale not approved): that is no answer.
    if (policy === 'default' && available.has(defaultLocale)) return { ok: true, requested, used: defaultLocale, fallback: true };
  }
  const have = [...available].sort().join(', ') || 'none';
  const what = owner
    ? `${owner} has no approved locale for ${requested} (approved: ${have})`
    : `there is no text for locale ${requested} (the message has ${have})`;
  const why =
    policy === 'none'
      ? '`localeFallback: none` allows no other'
      : policy === 'language'
        ? '`localeFallback: language` allows no other language'
        : `the default locale ${defaultLocale} is not there either`;
  return { ok: false, requested, reason: `${what} and ${why}` };
}

/** A chooser for one message: every distinct requested locale is resolved once. */
export function localeChooser(
  available: ReadonlySet<string>,
  defaultLocale: string,
  policy: LocaleFallback,
): (requested: string) => LocaleChoice {
  const cache = new Map<string, LocaleChoice>();
  return (requested) => {
    let choice = cache.get(requested);
    if (!choice) {
      choice = chooseLocale(requested, available, defaultLocale, policy);
      cache.set(requested, choice);
    }
    return choice;
  };
}
