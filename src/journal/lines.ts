// Stream a file's lines without holding it whole: a 1,000,000-recipient journal is ~100 MB.
// Splitting bytes on '\n' is safe for UTF-8, whose multi-byte sequences never contain 0x0A.
import { open } from 'node:fs/promises';

export interface Line {
  text: string;
  /** False only for a last line without its '\n': what a crash mid-write leaves. */
  terminated: boolean;
}

export async function* readLines(path: string): AsyncGenerator<Line> {
  // One buffer, read into again and again: a stream's fresh 1 MiB chunk per read is memory outside the
  // heap that lingers until a collection, which made reading a big journal cost its size again in RSS.
  // A line longer than the buffer is kept in copied pieces and joined once.
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    let pieces: Buffer[] = [];
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      let start = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
        const tail = chunk.subarray(start, nl);
        const text = pieces.length === 0 ? tail.toString('utf8') : Buffer.concat([...pieces, tail]).toString('utf8');
        pieces = [];
        start = nl + 1;
        yield { text, terminated: true };
      }
      if (start < chunk.length) pieces.push(Buffer.from(chunk.subarray(start)));
    }
    if (pieces.length > 0) yield { text: Buffer.concat(pieces).toString('utf8'), terminated: false };
  } finally {
    await file.close();
  }
}
