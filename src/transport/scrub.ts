// The access key, removed by value from anything built from what a server sent back: a proxy or an
// error page may echo the Authorization header in any field, a key of an object included.

export const REDACTED = '[redacted]';

/** `text` with every occurrence of `secret` replaced. */
export function scrubText(text: string, secret: string): string {
  return secret !== '' && text.includes(secret) ? text.split(secret).join(REDACTED) : text;
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
