// `chirp status` that reports what it knows (issues 10 #4, 12 status lifecycle, 18 #2, #9, #10):
// spawned against the fake Bird, whose clock can differ from the sender's.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CANARY_KEY, report, sendEnv, untilRequests, type SendEnv } from '../helpers/send.js';
import { CLI, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import type { StatusSummary } from '../../src/status/summary.js';
import { status as runStatus } from '../../src/index.js';
import { statusText } from '../../src/report/index.js';

let env: SendEnv | undefined;
afterEach(async () => {
  await env?.fake.close();
  env = undefined;
});

const summary = (stdout: string): StatusSummary => JSON.parse(stdout) as StatusSummary;
const cliEnv = (e: SendEnv) => ({ BIRD_API_URL: e.fake.url, BIRD_ACCESS_KEY: CANARY_KEY });
// Bird's highest rate (status looks messages up at 20 a second by default: 10 s for 200 of them).
const status = (e: SendEnv, args: string[]) =>
  runCli(['status', '--journal', e.journal, '--format', 'json', '--rate', '50', ...args], { cwd: e.root, env: cliEnv(e) });

/** 250 recipients in batches of 50; the first batch is created at Bird but its answer is lost (unknown). */
async function unknownFirstBatch(e: SendEnv): Promise<void> {
  e.fake.faults.push({ kind: 'reset-after', on: 'batch' });
  const sent = await e.send(['--batch-size', '50', '--concurrency', '1', '--format', 'json']);
  expect(report(sent)).toMatchObject({ accepted: 200, unknown: 50 });
  expect(e.counts().size).toBe(250);
}

/** Nobody got two messages, and everybody got one. */
function exactlyOnce(e: SendEnv, n: number): void {
  const counts = e.counts();
  expect(counts.size).toBe(n);
  expect([...counts.values()].every((c) => c === 1)).toBe(true);
}

describe('reconcile trusts only what Bird shows (issue 10 #4)', () => {
  it('an HTML 200 listing proves nothing: unknowns stay unknown, nobody is resent', async () => {
    env = await sendEnv(30);
    env.fake.faults.push({ kind: 'reset-after', on: 'batch' });
    await env.send(['--batch-size', '10', '--concurrency', '1']);
    env.fake.setListing({ html: true });
    const result = await status(env, ['--reconcile', '--grace', '0']);
    expect(result.code).toBe(1);
    const s = summary(result.stdout);
    expect(s).toMatchObject({ unknown: 10, resendable: 0 });
    expect(s.listing?.complete).toBe(false);
    expect(s.listing?.reason).toMatch(/HTML page/);
    env.fake.setListing({ html: false });
    const again = await env.send(['--format', 'json']);
    expect(report(again).accepted).toBe(0);
    exactlyOnce(env, 30);
  });

  it('a listing served oldest first, behind older traffic, is read to the end of the run window', async () => {
    let shift = -20 * 60_000;
    env = await sendEnv(250, { clock: () => Date.now() + shift });
    // Older traffic on the channel: another journal's run, 20 minutes earlier on Bird's clock.
    const older = await env.send(['--journal', tempDir('chirp-other-'), '--batch-size', '100']);
    expect(older.code).toBe(0);
    shift = 0;
    env.fake.setListing({ order: 'oldest-first', requireTimeRange: true });
    await unknownFirstBatch(env);
    const result = await status(env, ['--reconcile', '--grace', '0']);
    const s = summary(result.stdout);
    expect(s).toMatchObject({ unknown: 0, resendable: 0, accepted: 250 });
    const lists = env.fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/messages') && r.query.includes('pageToken'));
    expect(lists.length).toBeGreaterThan(0);
    for (const r of env.fake.requests.filter((q) => q.method === 'GET' && q.path.endsWith('/messages'))) {
      expect(new URLSearchParams(r.query).get('startAt')).toBeTruthy();
      expect(new URLSearchParams(r.query).get('endAt')).toBeTruthy();
    }
    const again = await env.send(['--format', 'json']);
    expect(report(again).accepted).toBe(0);
  });
});

describe("reconcile on Bird's clock (issue 18 #2)", () => {
  it('a sender clock 2 minutes fast is measured and corrected: the unknown batch is found', async () => {
    env = await sendEnv(250, { clock: () => Date.now() - 120_000 });
    await unknownFirstBatch(env);
    const s = summary((await status(env, ['--reconcile', '--grace', '0'])).stdout);
    expect(s).toMatchObject({ unknown: 0, resendable: 0, accepted: 250 });
    expect(s.clockOffsetMs).toBeLessThan(-110_000);
    expect(s.clockOffsetMs).toBeGreaterThan(-130_000);
    const again = await env.send(['--format', 'json']);
    expect(report(again).accepted).toBe(0);
    exactlyOnce(env, 250);
  });

  it('a sender clock 10 minutes fast: found messages are accepted, nobody is declared absent, the skew is reported', async () => {
    env = await sendEnv(250, { clock: () => Date.now() - 600_000 });
    // Batch 1 is created but its answer lost; batch 2 never reaches Bird: both unknown.
    env.fake.faults.push({ kind: 'reset-after', on: 'batch' }, { kind: 'reset-before', on: 'batch' });
    const sent = await env.send(['--batch-size', '50', '--concurrency', '1', '--format', 'json']);
    expect(report(sent)).toMatchObject({ accepted: 150, unknown: 100 });
    const result = await status(env, ['--reconcile', '--grace', '0']);
    expect(result.code).toBe(1);
    const s = summary(result.stdout);
    expect(s).toMatchObject({ accepted: 200, unknown: 50, resendable: 0 });
    expect(s.listing?.reason).toMatch(/clock is (599|600|601) s ahead of Bird's/);
    // A second status, in text: through the library (its 200 lookups without the CLI's 50 a second) and the
    // text the CLI prints for it (statusText, src/cli/status.ts).
    const second = await runStatus({
      cwd: env.root,
      env: cliEnv(env),
      journal: env.journal,
      reconcile: true,
      graceSeconds: 0,
      rate: 1_000_000,
    });
    expect(statusText(second.summary)).toMatch(/listing: nobody declared absent: this machine's clock is (599|600|601) s ahead/);
    const again = await env.send(['--format', 'json']);
    expect(report(again)).toMatchObject({ accepted: 0, unknownSkipped: 50 });
    expect([...env.counts().values()].every((c) => c === 1)).toBe(true);
  });

  const faketime = spawnSync('faketime', ['-f', '+0s', 'true']).status === 0;
  /** The built CLI under `faketime -f +600s` (asynchronously: the fake Bird answers from this process). */
  const fast = (e: SendEnv, args: string[]) => {
    const child = spawn('faketime', ['-f', '+600s', process.execPath, CLI, ...args], {
      cwd: e.root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', NO_COLOR: '1', ...cliEnv(e) },
    });
    return new Promise<{ code: number | null; stdout: string }>((resolve) => {
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.on('close', (code) => resolve({ code, stdout }));
    });
  };
  it.skipIf(!faketime)(
    'under a real `faketime -f +600s` send and status, no duplicate and no false absence (skipped when faketime is not installed)',
    async () => {
      env = await sendEnv(250);
      env.fake.faults.push({ kind: 'reset-after', on: 'batch' }, { kind: 'reset-before', on: 'batch' });
      const sendArgs = ['send', 'notice', '--data', 'rows.csv', '--journal', env.journal, '--yes', '--format', 'json'];
      const first = await fast(env, [...sendArgs, '--batch-size', '50', '--concurrency', '1']);
      expect(JSON.parse(first.stdout)).toMatchObject({ accepted: 150, unknown: 100 });
      const st = await fast(env, ['status', '--journal', env.journal, '--reconcile', '--grace', '0', '--format', 'json']);
      expect(st.code).toBe(1);
      expect(summary(st.stdout)).toMatchObject({ accepted: 200, unknown: 50, resendable: 0 });
      expect(summary(st.stdout).listing?.reason).toMatch(/ahead of Bird's/);
      const again = await fast(env, sendArgs);
      expect(JSON.parse(again.stdout)).toMatchObject({ accepted: 0 });
      expect([...env.counts().values()].every((c) => c === 1)).toBe(true);
    },
    60_000,
  );
  if (!faketime) it.skip('faketime is not installed: the real-clock variant is skipped', () => undefined);
});

describe('status that tells the truth (issue 12)', () => {
  it('skipped, deleted, rejected, sending_failed, delivery_failed each as what they are, reasons grouped', async () => {
    env = await sendEnv(12);
    await env.send(['--batch-size', '1']);
    env.fake.applyStatusMix({
      delivered: 3,
      skipped: 2,
      deleted: 1,
      rejected: 1,
      sending_failed: 1,
      delivery_failed: 2,
      sent: 1,
      processing: 1,
    });
    const result = await status(env, []);
    expect(result.code).toBe(1);
    const s = summary(result.stdout);
    expect(s).toMatchObject({ recipients: 12, delivered: 3, skipped: 2, deleted: 1, failed: 4, sent: 1, accepted: 1, final: false });
    expect(s.byStatus).toMatchObject({
      delivered: 3,
      skipped: 2,
      deleted: 1,
      rejected: 1,
      sending_failed: 1,
      delivery_failed: 2,
      sent: 1,
      processing: 1,
    });
    expect(s.failures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ status: 'delivery_failed', code: '13001', count: 2 }),
        expect.objectContaining({ status: 'skipped', description: 'frequency capping', count: 2 }),
        expect.objectContaining({ status: 'deleted', count: 1 }),
        expect.objectContaining({ status: 'sending_failed', code: '12002', count: 1 }),
      ]),
    );
    const text = await runCli(['status', '--journal', env.journal, '--rate', '50'], { cwd: env.root, env: cliEnv(env) });
    expect(text.stdout).toMatch(/skipped\s+2/);
    expect(text.stdout).toMatch(/2 × skipped \?: frequency capping/);
  });

  it('a suppressed (skipped) message is not success: exit 1 where every other one was delivered', async () => {
    env = await sendEnv(4);
    await env.send(['--batch-size', '1']);
    env.fake.applyStatusMix({ skipped: 1, delivered: 3 });
    const result = await status(env, []);
    expect(result.code).toBe(1);
    expect(summary(result.stdout)).toMatchObject({ skipped: 1, delivered: 3, accepted: 0, final: true });
  });

  it('--wait settles on a message scheduled for later, and shows its time', async () => {
    env = await sendEnv(5);
    const at = new Date(Date.now() + 2 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const file = join(env.root, 'messages/notice.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}scheduledFor: "${at}"\n`);
    await env.send(['--batch-size', '1']);
    expect(env.fake.accepted.every((m) => m.status === 'scheduled')).toBe(true);
    const started = Date.now();
    const result = await status(env, ['--wait', '--timeout', '60', '--interval', '1']);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.code).toBe(0);
    const s = summary(result.stdout);
    expect(s).toMatchObject({ scheduled: 5, settled: true, final: false });
    expect(s.scheduledTimes).toEqual([{ at, count: 5 }]);
    const text = await runCli(['status', '--journal', env.journal, '--rate', '50'], { cwd: env.root, env: cliEnv(env) });
    expect(text.stdout).toContain(`5 at ${at}`);
  });

  it('--interactions counts reads and clicks', async () => {
    env = await sendEnv(3);
    await env.send(['--batch-size', '1']);
    env.fake.applyStatusMix({ delivered: 3 });
    const [a, b] = env.fake.accepted;
    env.fake.addInteraction(a!.id, 'read');
    env.fake.addInteraction(b!.id, 'read');
    env.fake.addInteraction(b!.id, 'clicked');
    const result = await status(env, ['--interactions']);
    expect(result.code).toBe(0);
    expect(summary(result.stdout).interactions).toEqual({ read: 2, clicked: 1, other: 0, messages: 3, errors: 0 });
    expect(env.fake.requests.filter((r) => r.path.endsWith('/interactions'))).toHaveLength(3);
  });
});

describe('status during a send, and failed lookups (issue 18 #9, #10)', () => {
  it('sees a send still running and says so; --wait waits for it to end, then reports all recipients', async () => {
    env = await sendEnv(200);
    env.fake.faults.set('batch', { kind: 'latency', ms: 250 });
    const sending = env.spawn(['--batch-size', '10', '--concurrency', '1']);
    // Wait until the send holds the run (its first batch has reached Bird), however slow the machine is to start it;
    // 20 batches at 250 ms each keep it running for 5 s after that.
    await untilRequests(env.fake, 1, (r) => r.method === 'POST');
    const during = await status(env, []);
    expect(during.code).toBe(1);
    const s = summary(during.stdout);
    expect(s.sending).toMatchObject({ evidence: 'lock' });
    expect(s.final).toBe(false);
    const text = await runCli(['status', '--journal', env.journal, '--rate', '50'], { cwd: env.root, env: cliEnv(env) });
    expect(text.stdout).toMatch(/still sending/);
    // The wait through the library: its first pause proves it saw the send holding the run, and then the send's
    // last batches need not crawl. Lookups without the CLI's 50 a second (pacing has its own case in status.test.ts).
    const warnings: string[] = [];
    let waitedForSend: () => void = () => undefined;
    const sawSend = new Promise<void>((resolve) => (waitedForSend = resolve));
    const waiting = runStatus({
      cwd: env.root,
      env: cliEnv(env),
      journal: env.journal,
      wait: true,
      timeoutSeconds: 60,
      intervalSeconds: 1,
      rate: 1_000_000,
      pid: process.pid,
      warn: (text) => warnings.push(text),
      sleep: (ms) => {
        waitedForSend();
        return new Promise((resolve) => setTimeout(resolve, Math.min(ms, 50)));
      },
    });
    await sawSend;
    expect(env.fake.requests.filter((r) => r.method === 'POST').length).toBeLessThan(20);
    env.fake.faults.set('batch', null);
    expect((await sending.done).code).toBe(0);
    // Bird delivers only once the send has ended: a --wait that reports all 200 delivered waited for the send.
    env.fake.applyStatusMix({ delivered: 200 });
    const w = (await waiting).summary;
    expect(w).toMatchObject({ recipients: 200, delivered: 200, unknown: 0, inFlight: 0, sending: null, final: true });
    // What it learnt is written back once the send let go of the run.
    expect(env.journalText()).toContain('"t":"status"');
    expect(warnings.join('\n')).not.toMatch(/statuses not saved/);
  }, 60_000);

  it('one failed GET (404, or 5xx past its retries) is recorded for that message; the others are summarised and written back', async () => {
    env = await sendEnv(5);
    await env.send(['--batch-size', '1']);
    env.fake.applyStatusMix({ delivered: 5 });
    const [gone, broken] = env.fake.accepted;
    env.fake.faults.set((r) => r.method === 'GET' && r.path.endsWith(gone!.id), { kind: 'status', status: 404 });
    env.fake.faults.set((r) => r.method === 'GET' && r.path.endsWith(broken!.id), { kind: 'status', status: 503, retryAfter: 0 });
    const result = await status(env, []);
    expect(result.code).toBe(1);
    const s = summary(result.stdout);
    expect(s).toMatchObject({ delivered: 3, accepted: 2, lookupFailed: 2 });
    expect(s.lookupFailures.map((l) => l.reason).join('\n')).toMatch(/HTTP 404/);
    expect(s.lookupFailures.map((l) => l.reason).join('\n')).toMatch(/gave up after 6 attempts/);
    // Written back: the delivered ones are not asked again.
    const before = env.fake.requests.length;
    env.fake.faults.clear();
    const again = await status(env, []);
    expect(summary(again.stdout)).toMatchObject({ delivered: 5, lookupFailed: 0 });
    expect(env.fake.requests.length - before).toBe(2);
    expect(again.code).toBe(0);
  });
});
