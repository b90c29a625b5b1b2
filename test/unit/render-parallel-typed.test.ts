// A CSV that is chirp's own failures file carries typed values in `chirp_json` (numbers as written,
// numbers that cannot be held): on worker threads each row must render as on one thread.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { built, catalog, COLUMNS } from '../helpers/render-threads.js';

// The build, as in render-parallel.test.ts (a worker of the sources loads them through tsx first).
const { render } = await built();

async function run(root: string, data: string, threads: number): Promise<string[]> {
  const result = await render({ cwd: root, message: 'local', data: { path: data }, threads, batchRows: 2 });
  const out: string[] = [];
  for await (const item of result.items)
    out.push(
      item.kind === 'request' ? item.json : JSON.stringify({ kind: item.kind, diagnostics: 'diagnostics' in item ? item.diagnostics : [] }),
    );
  return out;
}

describe('render on worker threads, chirp_json rows', () => {
  it('a number as written (1.50) and one that cannot be held (1e400) give the same items as one thread', async () => {
    const root = catalog();
    const data = join(root, 'failures.csv');
    const header = [...COLUMNS, 'chirp_status', 'chirp_error_code', 'chirp_error_message', 'chirp_json'];
    const lines = Array.from({ length: 8 }, (_, i) => {
      const count = i % 2 === 0 ? '1.50' : '1e400';
      const phone = `+3161234${String(5600 + i)}`;
      const json = `{"phone":"${phone}","lang":"en","name":"N${i}","count":${count},"optin":"yes","flag":true}`;
      return [phone, 'en', `N${i}`, count, '', 'yes', '', '', 'failed', 'x', 'y', `"${json.replace(/"/g, '""')}"`].join(',');
    });
    writeFileSync(data, `${header.join(',')}\n${lines.join('\n')}\n`);
    const one = await run(root, data, 1);
    expect(one[1]).toContain('E_ROW_INVALID');
    expect(await run(root, data, 2)).toEqual(one);
  }, 60_000);
});
