// The access key, removed by value from anything built from what a server sent back: a proxy or an
// error page may echo the Authorization header in any field, a key of an object included, and not
// only as written: URL-encoded, in base64 (inside a longer encoded text too), upper- or lower-cased,
// or cut short. Every spelling chirp can derive is removed (docs/sending.md, "The access key").

export const REDACTED = '[redacted]';

/** The shortest part of the key (from its start) that counts as the key: a long prefix is the key. */
function prefixLength(secret: string): number {
  return Math.min(secret.length, Math.max(8, Math.ceil(secret.length / 2)));
}

/**
 * The base64 of a text holding the key depends on where the key starts (its offset mod 3): for
 * each of the three, the characters that depend on the key alone, in standard and URL-safe form.
 */
function base64Spellings(secret: string): string[] {
  const out: string[] = [];
  for (const pad of ['', 'a', 'aa']) {
    const encoded = Buffer.from(pad + secret, 'utf8').toString('base64');
    const bytesBefore = Buffer.byteLength(pad);
    const start = Math.ceil((bytesBefore * 4) / 3); // first character fully inside the key
    const end = Math.floor(((bytesBefore + Buffer.byteLength(secret)) * 4) / 3); // past the last one
    const core = encoded.slice(start + (bytesBefore % 3 === 0 ? 0 : 1), end);
    if (core.length >= 8) out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One character of the key, as written or percent-encoded (URL-encoded keys are the same key). */
function keyChar(c: string): string {
  const encoded = encodeURIComponent(c);
  return encoded === c ? escapeRegExp(c) : `(?:${escapeRegExp(c)}|${escapeRegExp(encoded)})`;
}

/** `first(?:c(?:c…)?)?`: the spelling's first `min` characters and as much more of it as follows. */
function prefixPattern(chars: string[], min: number): string {
  let tail = '';
  for (let i = chars.length - 1; i >= min; i--) tail = `(?:${chars[i]!}${tail})?`;
  return chars.slice(0, min).join('') + tail;
}

const patterns = new Map<string, { any: RegExp; each: RegExp[] }>();

/** Case-insensitive patterns for every spelling of the key (as written or URL-encoded, base64) and its long prefixes. */
function secretPatterns(secret: string): { any: RegExp; each: RegExp[] } {
  let found = patterns.get(secret);
  if (!found) {
    const keyChars = [...secret].map(keyChar);
    const sources = [prefixPattern(keyChars, Math.min(keyChars.length, prefixLength(secret)))];
    for (const b64 of base64Spellings(secret).sort((a, b) => b.length - a.length)) {
      const chars = [...b64].map(escapeRegExp);
      sources.push(prefixPattern(chars, Math.min(chars.length, Math.max(8, Math.ceil(chars.length / 2)))));
    }
    // `any` finds whether there is anything to do (one search of a clean text); `each` replaces, one
    // spelling at a time: in one alternation, a spelling that matches first could stop short.
    found = { any: new RegExp(sources.join('|'), 'i'), each: sources.map((source) => new RegExp(source, 'gi')) };
    patterns.set(secret, found);
  }
  return found;
}

/** `text` with every spelling of `secret` replaced. */
export function scrubText(text: string, secret: string): string {
  if (secret === '' || text === '') return text;
  const { any, each } = secretPatterns(secret);
  if (!any.test(text)) return text;
  let out = text;
  for (const pattern of each) out = out.replace(pattern, REDACTED);
  return out;
}

/** A deep copy of a parsed JSON value with the secret removed from every string and key. */
export function scrubValue(value: unknown, secret: string, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value, secret);
  if (value === null || typeof value !== 'object') return value;
  // JSON nests at most this deep in practice; deeper is dropped rather than walked forever.
  if (depth > 64) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, secret, depth + 1));
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[scrubText(k, secret)] = scrubValue(v, secret, depth + 1);
  return Object.setPrototypeOf(out, Object.prototype) as Record<string, unknown>;
}

/** What chirp keeps of a server's free text (the journal, which docs/ci.md calls safe to publish): redacted and bounded. */
export function boundedText(text: string, secret: string, max = 200): string {
  const clean = scrubText(text, secret);
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}
