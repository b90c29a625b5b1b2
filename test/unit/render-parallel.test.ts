// Rendering on worker threads agrees with rendering on one thread, item for item and byte for byte:
// random CSV rows (bad numbers, blanks, duplicates, opted-out and unconsented rows, locales and their
// fallbacks, template parameters the lock refuses, nested columns) through three messages, with
// batches of 1–5 rows so the worker's batches and this thread's interleave. The CLI's side:
// test/cli/render-threads.test.ts. They run the build (a worker of the sources loads them through
// tsx first, ≈ 1 s of CPU per render); the first case below shows both render on a worker.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { render as sourceRender } from '../../src/usecases/render.js';
import { BatchPool as SourcePool, type RenderItem } from '../../src/render/index.js';
import { built, catalog, COLUMNS, csvCell, rowArb } from '../helpers/render-threads.js';

const { render, BatchPool } = await built();

/** Everything an item says, including the request object (read back from JSON on the worker path). */
function itemText(item: RenderItem): string {
  const base = { kind: item.kind, row: item.row.index, line: item.row.line };
  switch (item.kind) {
    case 'request':
      return JSON.stringify({
        ...base,
        json: item.json,
        recipient: item.recipient,
        reference: item.reference,
        locale: item.locale,
        request: item.request,
      });
    case 'invalid':
      return JSON.stringify({ ...base, diagnostics: item.diagnostics });
    case 'duplicate':
      return JSON.stringify({ ...base, firstRow: item.firstRow, recipient: item.recipient, diagnostics: item.diagnostics });
    case 'suppressed':
      return JSON.stringify({ ...base, recipient: item.recipient, reason: item.reason });
  }
}

async function renderAll(
  cwd: string,
  message: string,
  data: string,
  threads: number,
  batchRows?: number,
  renderWith: typeof render = render,
): Promise<string[]> {
  const result = await renderWith({
    cwd,
    message,
    data: { path: data },
    threads,
    ...(batchRows !== undefined ? { batchRows } : {}),
  });
  const out: string[] = [];
  for await (const item of result.items) out.push(itemText(item));
  return out;
}

describe('render on worker threads', () => {
  it('gives the same items as one thread, in the same order, for random rows, messages and batch sizes', async () => {
    const root = catalog();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('local', 'recv', 'onboarding/welcome-template'),
        fc.array(rowArb, { minLength: 0, maxLength: 40 }),
        fc.integer({ min: 1, max: 5 }),
        async (message, rows, batchRows) => {
          const data = join(root, `rows-${n++}.csv`);
          writeFileSync(data, [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => csvCell(r[c]!)).join(','))].join('\n') + '\n');
          const one = await renderAll(root, message, data, 1);
          const two = await renderAll(root, message, data, 2, batchRows);
          expect(two).toEqual(one);
        },
      ),
      // Each run starts a worker: no shrinking (a failure prints its rows as found).
      { numRuns: 12, endOnFailure: true },
    );
  }, 120_000);

  it('really renders on a worker with two threads (so the agreement above is not one thread compared with itself)', async () => {
    const root = catalog();
    const data = join(root, 'many.csv');
    const lines = Array.from({ length: 40 }, (_, i) => `+3161234${String(5600 + i)},nl,Name ${i},${i},Delft,yes,x,1`);
    writeFileSync(data, `${COLUMNS.join(',')}\n${lines.join('\n')}\n`);
    // The build (what the other cases run) and the sources (a worker through tsx) alike.
    for (const [renderWith, Pool] of [
      [render, BatchPool],
      [sourceRender, SourcePool],
    ] as const) {
      const run = vi.spyOn(Pool.prototype, 'run');
      try {
        const one = await renderAll(root, 'local', data, 1, undefined, renderWith);
        expect(run).not.toHaveBeenCalled();
        const two = await renderAll(root, 'local', data, 2, 2, renderWith);
        expect(run).toHaveBeenCalled();
        expect(two).toEqual(one);
        expect(one.filter((t) => t.startsWith('{"kind":"request"'))).toHaveLength(40);
      } finally {
        run.mockRestore();
      }
    }
  });

  it('a limit and run-wide variables agree too', async () => {
    const root = catalog();
    const data = join(root, 'rows.csv');
    const lines = Array.from(
      { length: 30 },
      (_, i) => `+3161234${String(5600 + (i % 17))},nl,Name ${i},${i % 4 === 0 ? '' : i},Delft,yes,x,1`,
    );
    writeFileSync(data, `${COLUMNS.join(',')}\n${lines.join('\n')}\n`);
    for (const extra of [{ limit: 19 }, { vars: { region: 'EU', tags: ['a', 'b'] } }]) {
      const run = async (threads: number) => {
        const result = await render({ cwd: root, message: 'local', data: { path: data }, threads, batchRows: 3, ...extra });
        const out: string[] = [];
        for await (const item of result.items) out.push(itemText(item));
        return out;
      };
      expect(await run(2)).toEqual(await run(1));
    }
  }, 60_000);

  it('a file that breaks mid-way (not UTF-8 at row 2500) yields the same items before the same error', async () => {
    const root = catalog();
    const rows = Array.from({ length: 3000 }, (_, i) =>
      Buffer.from(`+3161${String(3000000 + i)},en,${i === 2499 ? 'Bad\xff' : `Name ${i}`},${i},Delft,yes,x,1\n`, 'latin1'),
    );
    const data = join(root, 'broken.csv');
    writeFileSync(data, Buffer.concat([Buffer.from(`${COLUMNS.join(',')}\n`), ...rows]));
    const run = async (threads: number) => {
      const result = await render({ cwd: root, message: 'local', data: { path: data }, threads, batchRows: 16 });
      const out: string[] = [];
      try {
        for await (const item of result.items) out.push(itemText(item));
      } catch (error) {
        out.push(`${(error as { code?: string }).code}: ${(error as Error).message}`);
      }
      return out;
    };
    const one = await run(1);
    expect(one.length).toBeGreaterThan(1000);
    expect(one.at(-1)).toMatch(/^E_DATA(_ENCODING)?: .*UTF-8/);
    expect(await run(2)).toEqual(one);
  }, 60_000);
});
