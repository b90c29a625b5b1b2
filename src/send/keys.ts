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
 * How the chirp versions before this one spelled a row's recipient in its journal key, given the
 * recipient (`+31612345678`, `ada@x.com`: an address case-folded) and its `alias` (the identifier as
 * the data wrote it, or a `to` address as sent): the last one keyed the identifier as sent (E.164, an
 * address with its domain lower-cased: `Ada@x.com`), the one before keyed a `receiver` as written
 * (`06 12345678`, `Ada@X.com`) and a `to` as sent.
 */
function earlierSpellings(recipient: string, alias: string | undefined): { asSent: string; asWritten: string } {
  if (alias === undefined) return { asSent: recipient, asWritten: recipient };
  const at = alias.lastIndexOf('@');
  // A phone number was sent as E.164 (the recipient); an address with its domain lower-cased.
  const asSent = at < 0 ? recipient : alias.slice(0, at) + alias.slice(at).toLowerCase();
  return { asSent, asWritten: alias };
}

/**
 * The keys a row's first copy may be journalled under: its recipient's, and, where it differs, the ones
 * earlier chirp versions used (a `receiver` as written, an address in the case written).
 */
export function firstCopyKeys(messageId: string, recipient: string, alias: string | undefined): string[] {
  const keys = [recipientKey(messageId, recipient, 1)];
  const { asSent, asWritten } = earlierSpellings(recipient, alias);
  for (const spelling of [asWritten, asSent]) {
    const key = recipientKey(messageId, spelling, 1);
    if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

/**
 * The journal keys of a send's rows: which copy of its recipient a row is (with --allow-duplicates;
 * always 1 without), and, where they differ, the keys earlier chirp versions gave the same row. The
 * last one keyed an address in the case written (`Ada@x.com`, not `ada@x.com`), the one before a
 * `receiver` as written (`06 12345678`, not `+31612345678`), and each counted copies per its spelling,
 * so `+31612345678` then `06 12345678` were copy 1 of two recipients, not copies 1 and 2 of one.
 */
export class CopyKeys {
  readonly #copies = new Map<string, number>();
  readonly #sent = new Map<string, number>();
  readonly #written = new Map<string, number>();

  constructor(
    private readonly messageId: string,
    private readonly allowDuplicates: boolean,
  ) {}

  keys(recipient: string, alias: string | undefined): { key: string; earlier?: string[] } {
    const { asSent, asWritten } = earlierSpellings(recipient, alias);
    const n = this.#count(this.#copies, recipient);
    const key = recipientKey(this.messageId, recipient, n);
    const written = this.#count(this.#written, asWritten);
    const sent = this.#count(this.#sent, asSent);
    // The usual row: every chirp spelled and counted it alike (no hash more).
    if (asWritten === recipient && written === n && asSent === recipient && sent === n) return { key };
    const earlier: string[] = [];
    for (const [spelling, m] of [
      [asWritten, written],
      [asSent, sent],
    ] as const) {
      if (spelling === recipient && m === n) continue;
      const other = recipientKey(this.messageId, spelling, m);
      if (!earlier.includes(other)) earlier.push(other);
    }
    return { key, earlier };
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
