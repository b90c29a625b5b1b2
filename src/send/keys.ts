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
