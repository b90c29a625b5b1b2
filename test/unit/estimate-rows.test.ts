import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estimateRows } from '../../src/sources/index.js';

// The guess only sizes the duplicate index up front: it must be low (a high guess wastes memory), and
// absent when there is nothing to go on.
const dir = mkdtempSync(join(tmpdir(), 'chirp-estimate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function csv(name: string, rows: number, line: (i: number) => string): string {
  const path = join(dir, name);
  const lines = ['phone,name'];
  for (let i = 0; i < rows; i++) lines.push(line(i));
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('estimateRows', () => {
  it('guesses a little low for rows of even length', () => {
    const path = csv('even.csv', 40_000, (i) => `+3161${String(i).padStart(7, '0')},Name ${i % 10}`);
    const guess = estimateRows(path)!;
    expect(guess).toBeLessThanOrEqual(40_001);
    expect(guess).toBeGreaterThan(36_000);
  });

  it('stays low when rows grow longer towards the end (the longest sample decides)', () => {
    const path = csv('growing.csv', 40_000, (i) => `+3161${i},${'x'.repeat(Math.floor(i / 400))}`);
    expect(estimateRows(path)!).toBeLessThanOrEqual(40_001);
  });

  it('has no guess for a small file, stdin, a missing file or a file without line breaks', () => {
    expect(estimateRows(csv('small.csv', 100, (i) => `+3161${i},a`))).toBeUndefined();
    expect(estimateRows('-')).toBeUndefined();
    expect(estimateRows(join(dir, 'missing.csv'))).toBeUndefined();
    if (process.platform !== 'win32') {
      // A named pipe is never opened (that would wait for its writer): no guess, at once.
      const fifo = join(dir, 'pipe.csv');
      execFileSync('mkfifo', [fifo]);
      expect(estimateRows(fifo)).toBeUndefined();
    }
    const flat = join(dir, 'flat.csv');
    writeFileSync(flat, 'x'.repeat(400_000));
    expect(estimateRows(flat)).toBeUndefined();
  });

  it('counts only lines with something on them: blank lines (LF or CRLF) are no rows, so they never size the index up', () => {
    const blank = join(dir, 'blank.csv');
    writeFileSync(blank, `phone,name\n${'\n'.repeat(2_000_000)}`);
    expect(estimateRows(blank)).toBeUndefined();
    const crlf = join(dir, 'blank-crlf.csv');
    writeFileSync(crlf, `phone,name\r\n${'\r\n'.repeat(1_000_000)}`);
    expect(estimateRows(crlf)).toBeUndefined();
    // 20,000 rows with nine blank lines after each: the guess stays at the rows, not the lines.
    const sparse = csv('sparse.csv', 20_000, (i) => `+3161${String(i).padStart(7, '0')},Name${'\n'.repeat(9)}`);
    const guess = estimateRows(sparse)!;
    expect(guess).toBeLessThanOrEqual(20_001);
    expect(guess).toBeGreaterThan(18_000);
  });
});
