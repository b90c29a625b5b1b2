// The one place chirp hashes: sha256 everywhere, in the two encodings it stores.
import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';

// One-shot `crypto.hash` (Node ≥ 20.12, 21.7): the same digest without a Hash object per call, which
// is most of the cost of hashing a short text (the reference of every rendered row).
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex' | 'base64url') => string }).hash;

/** `sha256:<hex>` of the parts, each followed by NUL (so ["ab","c"] and ["a","bc"] differ). */
export function hashTexts(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return `sha256:${hash.digest('hex')}`;
}

/** `sha256:<hex>` of one text. */
export function sha256Tagged(text: string): string {
  return `sha256:${sha256Hex(text)}`;
}

export function sha256Hex(data: string | Uint8Array): string {
  if (oneShot) return oneShot('sha256', data, 'hex');
  return createHash('sha256').update(data).digest('hex');
}

/** A short, file-name-safe key (22 base64url characters, 132 bits) that does not reveal its input. */
export function shortKey(text: string): string {
  if (oneShot) return oneShot('sha256', text, 'base64url').slice(0, 22);
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

/** A running sha256 for streamed input; `digest()` gives `sha256:<hex>`. */
export function streamHash(): { update(chunk: Uint8Array): void; digest(): string } {
  const hash = createHash('sha256');
  return { update: (chunk) => void hash.update(chunk), digest: () => `sha256:${hash.digest('hex')}` };
}
