import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { SpoolWriter, type Entry } from '../../src/send/spool.js';

function entries(n: number): Entry[] {
  return Array.from({ length: n }, (_, i) => ({
    key: `k${i}`,
    row: i + 1,
    recipient: `+3161234${String(i).padStart(4, '0')}`,
    reference: `chirp:m:${i}`,
    hash: `h${i}`,
    json: JSON.stringify({ text: `Zürich ✓ "${i}"\n\ttab`, n: i }),
  }));
}

async function collect(spool: SpoolWriter): Promise<Entry[]> {
  const out: Entry[] = [];
  for await (const e of spool.entries()) out.push(e);
  return out;
}

describe('the request spool', () => {
  it('gives back exactly what it was given, in memory and after spilling to a private file', async () => {
    for (const limit of [1 << 30, 2_000]) {
      const spool = await SpoolWriter.create(limit);
      const given = entries(500);
      for (const e of given) spool.add(e);
      spool.close();
      expect(spool.count).toBe(500);
      expect(await collect(spool)).toEqual(given);
      spool.remove();
    }
  });

  it('removes its file', async () => {
    const spool = await SpoolWriter.create(10);
    for (const e of entries(3)) spool.add(e);
    spool.close();
    const dir = (spool as unknown as { dir: string }).dir;
    expect(existsSync(dir)).toBe(true);
    spool.remove();
    expect(existsSync(dir)).toBe(false);
  });
});
