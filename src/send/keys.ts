// Identities a send is keyed on: recipients (never stored raw) and the inputs of a run.
import { createReadStream } from 'node:fs';
import { UserError } from '../errors.js';
import { shortKey, streamHash } from '../util/index.js';

export { hashTexts } from '../util/index.js';

/** The journal key of one recipient of one message: a hash, so no phone number reaches the journal. */
export function recipientKey(messageId: string, recipient: string, occurrence: number): string {
  const text = occurrence > 1 ? `${messageId}\0${recipient}\0${occurrence}` : `${messageId}\0${recipient}`;
  return shortKey(text);
}

/**
 * The keys a row's first copy may be journalled under: its recipient's, and, for a `receiver` that
 * normalising changed (`alias`: as the data wrote it), the one earlier chirp versions used.
 */
export function firstCopyKeys(messageId: string, recipient: string, alias: string | undefined): string[] {
  const key = recipientKey(messageId, recipient, 1);
  return alias === undefined ? [key] : [key, recipientKey(messageId, alias, 1)];
}

/**
 * The journal keys of a send's rows: which copy of its recipient a row is (with --allow-duplicates;
 * always 1 without), and, where it differs, the key an earlier chirp gave the same row: it keyed a
 * `receiver` as written (`alias`: `06 12345678`, not `+31612345678`) and counted copies per spelling,
 * so `+31612345678` then `06 12345678` were copy 1 of two recipients, not copies 1 and 2 of one.
 */
export class CopyKeys {
  readonly #copies = new Map<string, number>();
  readonly #written = new Map<string, number>();

  constructor(
    private readonly messageId: string,
    private readonly allowDuplicates: boolean,
  ) {}

  keys(recipient: string, alias: string | undefined): { key: string; earlier?: string } {
    const written = alias ?? recipient;
    const n = this.#count(this.#copies, recipient);
    const m = this.#count(this.#written, written);
    const key = recipientKey(this.messageId, recipient, n);
    return written === recipient && m === n ? { key } : { key, earlier: recipientKey(this.messageId, written, m) };
  }

  #count(counts: Map<string, number>, who: string): number {
    if (!this.allowDuplicates) return 1;
    const n = (counts.get(who) ?? 0) + 1;
    counts.set(who, n);
    return n;
  }
}

/** sha256 of a file's bytes, streamed. */
export async function hashFile(path: string, displayName = path): Promise<string> {
  const hash = streamHash();
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      'E_FILE_READ',
      `cannot read data file ${displayName}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(error))}`,
      { cause: error },
    );
  }
  return hash.digest();
}
