// Data files are UTF-8 text. Decoders turn invalid bytes into U+FFFD silently (`Ad\xff\xfea` became
// `Ad��a` in a message); this watch notices them per chunk (simdutf's isUtf8: cheap) and the readers
// refuse the row that holds one, naming its row, line and column.
import { isUtf8 } from 'node:buffer';
import type { Chunk } from './data-error.js';
import { dataError } from './data-error.js';
import type { UserError } from '../errors.js';

export interface Utf8Watch {
  /** The 1-based line of the first invalid byte, once one was seen. */
  invalidLine: number | undefined;
}

const REPLACEMENT = '\ufffd';

/** Bytes at the end of `buf` that start a character continued in the next chunk. */
function incompleteTail(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const byte = buf[buf.length - back]!;
    if (byte < 0x80) return 0;
    if (byte >= 0xc0) {
      const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return back < need ? back : 0;
    }
  }
  return 0;
}

function countLines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

/** Passes the chunks through unchanged, recording in `watch` where the first invalid byte is. */
export async function* watchUtf8(chunks: AsyncIterable<Chunk>, watch: Utf8Watch): AsyncGenerator<Chunk> {
  let carry: Buffer | undefined;
  let lines = 0;
  for await (const chunk of chunks) {
    if (typeof chunk === 'string' || watch.invalidLine !== undefined) {
      yield chunk;
      continue;
    }
    const whole = carry ? Buffer.concat([carry, chunk]) : chunk;
    const tail = incompleteTail(whole);
    const body = tail > 0 ? whole.subarray(0, whole.length - tail) : whole;
    carry = tail > 0 ? Buffer.from(whole.subarray(whole.length - tail)) : undefined;
    if (!isUtf8(body)) {
      const text = new TextDecoder('utf-8').decode(body);
      const at = text.indexOf(REPLACEMENT);
      let before = 0;
      for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) before++;
      watch.invalidLine = lines + before + 1;
    } else lines += countLines(body);
    yield chunk;
  }
  if (carry && watch.invalidLine === undefined) watch.invalidLine = lines + countLines(carry) + 1;
}

/** The row error for a value holding U+FFFD when the file had invalid bytes; undefined otherwise. */
export function encodingProblem(
  watch: Utf8Watch,
  file: string,
  values: readonly string[],
  at: { row: number; line: number; names?: readonly string[] },
): UserError | undefined {
  if (watch.invalidLine === undefined) return undefined;
  const col = values.findIndex((v) => v.includes(REPLACEMENT));
  if (col < 0) return undefined;
  const field = at.names?.[col];
  const where = field !== undefined ? `, column "${field}"` : '';
  const what = at.row === 0 ? 'the header' : `row ${at.row}`;
  return dataError(
    file,
    `${what} (line ${at.line}${where}) is not valid UTF-8 text; save the file as UTF-8 (e.g. "CSV UTF-8" in Excel) and try again`,
    { line: at.line, ...(at.row > 0 ? { row: at.row } : {}), ...(field !== undefined ? { field } : {}), code: 'E_DATA_ENCODING' },
  );
}

/** Called at the end of the input: invalid bytes that no row held (a header, spaces between items). */
export function encodingAtEnd(watch: Utf8Watch, file: string): UserError | undefined {
  if (watch.invalidLine === undefined) return undefined;
  const line = watch.invalidLine;
  return dataError(file, `line ${line} is not valid UTF-8 text; save the file as UTF-8 and try again`, { line, code: 'E_DATA_ENCODING' });
}
