// A render worker that dies during `send --threads`' whole-list check: the check comes before the
// first request, so nothing was sent, and chirp says so (E_RENDER_WORKER, exit 1) in every output
// format, as it does for the other failures before the first request; never "internal error". The
// worker is killed deterministically (test/helpers/kill-render-worker.js: terminated when handed its
// first batch). The same send afterwards sends everyone once.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { report, sendEnv, type SendEnv } from '../helpers/send.js';

const KILLER = pathToFileURL(fileURLToPath(new URL('../helpers/kill-render-worker.js', import.meta.url))).href;

let env: SendEnv | undefined;
afterEach(async () => {
  await env?.fake.close();
  env = undefined;
});

describe('a render worker dies during the whole-list check (send --threads 2)', () => {
  it('stops with E_RENDER_WORKER and "nothing was sent" (text and json), sends nothing, writes no journal', async () => {
    env = await sendEnv(300);
    for (const format of ['text', 'json']) {
      const result = await env.send(['--threads', '2', '--format', format], { spawn: true, env: { NODE_OPTIONS: `--import=${KILLER}` } });
      expect(result.stderr).not.toMatch(/internal error/i);
      expect(result.stderr).toMatch(
        /a render worker stopped \(exit code \d+\) while checking every row before the first request; nothing was sent/,
      );
      expect(result.stderr).toMatch(/E_RENDER_WORKER/);
      expect(result.code).toBe(1);
      // As with every failure before the first request (a window check that failed, a bad --report path): no report on stdout.
      expect(result.stdout).toBe('');
      expect(env.fake.requests).toHaveLength(0);
      expect(existsSync(env.journal) ? readdirSync(env.journal).filter((f) => f.endsWith('.ndjson')) : []).toEqual([]);
    }
    const again = await env.send(['--threads', '2', '--format', 'json']);
    expect(again.code).toBe(0);
    expect(report(again).accepted).toBe(300);
    expect([...env.counts().values()].every((n) => n === 1)).toBe(true);
    expect(env.counts().size).toBe(300);
  }, 60_000);

  it('one thread is never affected (the kill only touches worker threads)', async () => {
    env = await sendEnv(20);
    const result = await env.send(['--threads', '1', '--format', 'json'], { spawn: true, env: { NODE_OPTIONS: `--import=${KILLER}` } });
    expect(result.code).toBe(0);
    expect(report(result).accepted).toBe(20);
  });
});
