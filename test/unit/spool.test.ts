import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { SpoolWriter, type Entry } from '../../src/send/spool.js';
import { entryAsText as asText } from '../helpers/entries.js';

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
  for await (const e of spool.entries()) out.push(asText(e));
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

  it('reads back entries across its 1 MB read chunks: multi-byte characters cut at a chunk edge, a line longer than a chunk', async () => {
    // Mostly multi-byte text: the 1 MB read boundaries (three of them here) fall inside a character.
    const given: Entry[] = Array.from({ length: 12_000 }, (_, i) => ({
      key: `k${i}-ü`,
      row: i + 1,
      recipient: `+3161${String(i).padStart(7, '0')}`,
      reference: `chirp:m:${i}:é`,
      hash: `h${i}`,
      json: JSON.stringify({ text: `${'ü'.repeat(i % 97)}🐦${'✓'.repeat(i % 31)} ${i}` }),
    }));
    // One line longer than two read chunks.
    given[5_000]!.json = JSON.stringify({ text: 'ü'.repeat(1_300_000) });
    const spool = await SpoolWriter.create(1_000);
    for (const e of given) spool.add(e);
    spool.close();
    const back = await collect(spool);
    spool.remove();
    expect(back.length).toBe(given.length);
    expect(back).toEqual(given);
  });

  it('hands out the same entries a batch at a time (what dispatch reads): full batches but the last, across read chunks', async () => {
    const given: Entry[] = Array.from({ length: 3_000 }, (_, i) => ({
      key: `k${i}-ü`,
      row: i + 1,
      recipient: `+3161${String(i).padStart(7, '0')}`,
      reference: `chirp:m:${i}`,
      hash: `h${i}`,
      json: JSON.stringify({ text: `${'ü'.repeat(i % 300)}🐦\u2028${i}` }),
    }));
    // Lines longer than a read chunk, one of them the last.
    given[10]!.json = JSON.stringify({ text: '✓'.repeat(700_000) });
    given[2_999]!.json = JSON.stringify({ text: 'é'.repeat(1_200_000) });
    for (const limit of [1 << 30, 1_000]) {
      const spool = await SpoolWriter.create(limit);
      for (const e of given) spool.add(e);
      spool.close();
      for (const size of [1, 7, 1_000, 5_000]) {
        const batches: Entry[][] = [];
        for await (const batch of spool.entries().batches!(size)) batches.push(batch);
        expect(batches.slice(0, -1).every((batch) => batch.length === size)).toBe(true);
        expect(batches.at(-1)!.length).toBe(given.length - size * (batches.length - 1));
        expect(batches.flat().map(asText)).toEqual(given);
      }
      // Stopping after the first batch (a fatal outcome, Ctrl-C) ends the read.
      for await (const batch of spool.entries().batches!(100)) {
        expect(batch.map(asText)).toEqual(given.slice(0, 100));
        break;
      }
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
