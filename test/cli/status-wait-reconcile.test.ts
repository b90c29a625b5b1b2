// Review of wait-sink (#29): `status --wait --reconcile` writes as it lists (under the run's lock) over
// several rounds: unknowns settled once, from the first round's listing; the resend sends exactly the absent.
import { afterEach, describe, expect, it } from 'vitest';
import { report, sendEnv, type SendEnv } from '../helpers/send.js';
import { runCli } from '../helpers/cli.js';
import type { StatusSummary } from '../../src/status/summary.js';

let env: SendEnv | undefined;
afterEach(async () => {
  await env?.fake.close();
  env = undefined;
});

describe('chirp status --wait --reconcile', () => {
  it('settles unknowns across rounds of a wait; a resend then reaches exactly the absent, once', async () => {
    env = await sendEnv(30);
    env.fake.faults.push({ kind: 'reset-after', on: 'batch' } as never, { kind: 'reset-before', on: 'batch' } as never);
    const first = await env.send(['--batch-size', '10', '--concurrency', '1', '--format', 'json']);
    expect(report(first)).toMatchObject({ accepted: 10, unknown: 20 });
    // Half of Bird's messages are sent (not final): the wait goes round until its timeout.
    env.fake.accepted.forEach((m, i) => env!.fake.setStatus(m.id, i % 2 === 0 ? 'delivered' : 'sent'));
    const cliEnv = { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: 'canary-key-7d1f0c2a9b' };
    const args = ['status', '--journal', env.journal, '--grace', '0', '--format', 'json'];
    const waited = await runCli([...args, '--reconcile', '--wait', '--timeout', '3', '--interval', '1'], { cwd: env.root, env: cliEnv });
    expect(waited.stderr).toBe('');
    const s = JSON.parse(waited.stdout) as StatusSummary;
    expect(s).toMatchObject({ unknown: 0, resendable: 10, delivered: 10, sent: 10, final: false });
    expect(s.waited).toBeGreaterThanOrEqual(2);
    // What the journal now says, read by a status that cannot reach Bird's messages: the same.
    env.fake.faults.set((r) => r.method === 'GET', { kind: 'status', status: 404 });
    const after = JSON.parse((await runCli(args, { cwd: env.root, env: cliEnv })).stdout) as StatusSummary;
    expect(after).toMatchObject({ unknown: 0, resendable: 10, delivered: 10, sent: 10 });
    env.fake.faults.clear();
    const resend = await env.send(['--format', 'json']);
    expect(report(resend)).toMatchObject({ accepted: 10, alreadySent: 20, unknownSkipped: 0 });
    const counts = env.counts();
    expect(counts.size).toBe(30);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });
});
