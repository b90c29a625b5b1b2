// How many rows a data file holds, roughly, before reading it: only for sizing memory up front (the
// duplicate index), never for what a run does. A low guess costs what no guess costs; a high one wastes memory.
import { closeSync, openSync, readSync, statSync } from 'node:fs';

const SAMPLE = 64 * 1024;

/**
 * Rows of a line-based file (CSV, NDJSON), guessed low: its size over the longest average line of
 * three samples (start, middle, end), less 2%. Undefined for a small file, stdin, or anything not a regular
 * file or not readable (the reader reports that).
 */
export function estimateRows(path: string): number | undefined {
  if (path === '-') return undefined;
  let fd: number | undefined;
  try {
    // stat before open: opening a named pipe would wait for its writer (and take its first reader's place).
    const stat = statSync(path);
    const size = stat.size;
    if (!stat.isFile() || size <= 4 * SAMPLE) return undefined;
    fd = openSync(path, 'r');
    const buffer = Buffer.allocUnsafe(SAMPLE);
    let longest = 0;
    for (const at of [0, Math.floor((size - SAMPLE) / 2), size - SAMPLE]) {
      const n = readSync(fd, buffer, 0, SAMPLE, at);
      // Lines with something on them: the reader skips blank ones, so a file of blank lines guesses nothing.
      let lines = 0;
      let start = 0;
      for (let i = buffer.indexOf(10, 0); i >= 0 && i < n; i = buffer.indexOf(10, i + 1)) {
        const end = i > start && buffer[i - 1] === 13 ? i - 1 : i;
        if (end > start) lines++;
        start = i + 1;
      }
      if (lines < 2) return undefined; // long lines (or no line breaks): no useful guess
      longest = Math.max(longest, n / lines);
    }
    return Math.floor((size / longest) * 0.98); // 2% lower still: the samples are only samples
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
