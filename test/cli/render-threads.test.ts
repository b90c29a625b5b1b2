// `chirp render --threads` / CHIRP_THREADS: the same stdout, stderr and exit code as one thread, a
// thread count checked like any option, and a render on worker threads that stops at Ctrl-C or when
// the reader leaves. The item-for-item agreement is test/unit/render-parallel.test.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../helpers/cli.js';
import { catalog, COLUMNS } from '../helpers/render-threads.js';

describe('chirp render --threads', () => {
  it('prints the same stdout and stderr and exits the same with CHIRP_THREADS=1 and 2 (several batches)', async () => {
    const root = catalog();
    const data = join(root, 'big.csv');
    const rows = Array.from({ length: 300 }, (_, i) =>
      [
        i % 13 === 0 ? 'bad' : `+3161${String(2000000 + (i % 250)).padStart(7, '0')}`,
        ['nl', 'en', 'fr'][i % 3]!,
        i % 29 === 0 ? '' : `Name ${i}`,
        i % 7 === 0 ? '1e400' : String(i),
        'Delft',
        i % 31 === 0 ? 'no' : 'yes',
        'x',
        '1',
      ].join(','),
    );
    writeFileSync(data, `${COLUMNS.join(',')}\n${rows.join('\n')}\n`);
    const args = ['render', 'local', '--data', 'big.csv', '--show-locale'];
    const one = await runCli(args, { cwd: root, env: { CHIRP_THREADS: '1' } });
    const two = await runCli(args, { cwd: root, env: { CHIRP_THREADS: '2' } });
    const flag = await runCli([...args, '--threads', '2'], { cwd: root });
    expect(one.code).toBe(1);
    expect(one.stdout.split('\n').length).toBeGreaterThan(150);
    expect(one.stderr).toMatch(/W_DUPLICATE_RECIPIENT/);
    expect(one.stderr).toMatch(/suppressed/);
    expect(two).toEqual(one);
    expect(flag).toEqual(one);
  }, 60_000);

  it('refuses a thread count that is not a whole number from 1 to 16, from the flag or CHIRP_THREADS', async () => {
    const root = catalog();
    const flag = await runCli(['render', 'local', '--threads', '0'], { cwd: root });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/--threads must be an integer from 1 to 16/);
    const env = await runCli(['render', 'local'], { cwd: root, env: { CHIRP_THREADS: 'many' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/CHIRP_THREADS must be an integer from 1 to 16/);
  });

  it('Ctrl-C stops a render on worker threads as it stops one on a single thread', async () => {
    const root = catalog();
    const rows = Array.from({ length: 40_000 }, (_, i) => `+3161${String(1000000 + i)},en,Name ${i},${i},Delft,yes,x,1`);
    writeFileSync(join(root, 'many.csv'), `${COLUMNS.join(',')}\n${rows.join('\n')}\n`);
    const interrupted = async (threads: string) => {
      const run = spawnCli(['render', 'local', '--data', 'many.csv', '--threads', threads], { cwd: root, timeoutMs: 30_000 });
      run.child.stdout!.once('data', () => run.child.kill('SIGINT'));
      const result = await run.done;
      return { code: result.code, signal: result.signal, stderr: result.stderr };
    };
    const one = await interrupted('1');
    expect(one).toEqual({ code: null, signal: 'SIGINT', stderr: '' });
    expect(await interrupted('2')).toEqual(one);
  }, 90_000);
});
