// The spool writes on the thread pool: a write that fails is never lost (the run stops before sending),
// and what is read back is complete only once every write is on file.
import { describe, expect, it } from 'vitest';
import { closeSync } from 'node:fs';
import { SpoolWriter, type Entry } from '../../src/send/spool.js';
import { entryAsText } from '../helpers/entries.js';

const entry = (i: number): Entry => ({
  key: `k${i}`,
  row: i + 1,
  recipient: `+3161${String(i).padStart(7, '0')}`,
  reference: `chirp:m:${i}`,
  hash: `h${i}`,
  json: JSON.stringify({ text: `${'x'.repeat(400)} ${i}` }),
});

describe('the spool’s writes', () => {
  it('a failed write rejects written() and the read, and the next add throws', async () => {
    const spool = await SpoolWriter.create(1_000);
    for (let i = 0; i < 10; i++) spool.add(entry(i));
    // The spool's file descriptor stops working (as a disk error would end its writes); a number no
    // file has, rather than closing the real one, which another open file could then reuse.
    const inner = spool as unknown as { fd: number };
    const real = inner.fd;
    inner.fd = 1 << 30;
    let threw: unknown;
    for (let i = 10; i < 20_000 && threw === undefined; i++) {
      try {
        spool.add(entry(i));
      } catch (error) {
        threw = error;
      }
      if (spool.behind) await spool.drained().catch(() => undefined);
    }
    expect(threw).toMatchObject({ code: 'EBADF' });
    await expect(spool.written()).rejects.toMatchObject({ code: 'EBADF' });
    const read = async (): Promise<number> => {
      let n = 0;
      for await (const _ of spool.entries()) n++;
      return n;
    };
    await expect(read()).rejects.toMatchObject({ code: 'EBADF' });
    spool.remove();
    closeSync(real);
  });

  it('entries read right after close() wait for every write: 20,000 entries, in order', async () => {
    const spool = await SpoolWriter.create(1_000);
    for (let i = 0; i < 20_000; i++) {
      spool.add(entry(i));
      if (spool.behind) await spool.drained();
    }
    spool.close();
    let n = 0;
    for await (const e of spool.entries()) {
      expect(entryAsText(e)).toEqual(entry(n));
      n++;
    }
    expect(n).toBe(20_000);
    spool.remove();
  });
});
