// Stream a file's lines without holding it whole: a 1,000,000-recipient journal is ~100 MB.
// Splitting bytes on '\n' is safe for UTF-8, whose multi-byte sequences never contain 0x0A.
import { createReadStream } from 'node:fs';

export interface Line {
  text: string;
  /** False only for a last line without its '\n': what a crash mid-write leaves. */
  terminated: boolean;
}

export async function* readLines(path: string): AsyncGenerator<Line> {
  // A line longer than a chunk is kept in pieces and joined once, not re-concatenated per chunk.
  let pieces: Buffer[] = [];
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      const tail = chunk.subarray(start, nl);
      const bytes = pieces.length === 0 ? tail : Buffer.concat([...pieces, tail]);
      pieces = [];
      yield { text: bytes.toString('utf8'), terminated: true };
      start = nl + 1;
    }
    if (start < chunk.length) pieces.push(chunk.subarray(start));
  }
  if (pieces.length > 0) yield { text: Buffer.concat(pieces).toString('utf8'), terminated: false };
}
