// `chirp send`, spawned against the fake Bird: exactly once, or honestly reported.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { CANARY_KEY, phone, report, sendEnv, untilRequests, type SendEnv } from '../helpers/send.js';
import { hasStackTrace, runCli } from '../helpers/cli.js';

let env: SendEnv | undefined;
afterEach(async () => {
  await env?.fake.close();
  env = undefined;
});

describe('chirp send', () => {
  it('sends every recipient once in batches, and a second identical send sends nothing', async () => {
    env = await sendEnv(250);
    const first = await env.send(['--format', 'json', '--batch-size', '100']);
    expect(first.code).toBe(0);
    expect(report(first)).toMatchObject({ status: 'complete', recipients: 250, accepted: 250, failed: 0, unknown: 0, notSent: 0 });
    expect(env.fake.requests.filter((r) => r.path.endsWith('/batch/messages'))).toHaveLength(3);
    expect([...env.counts().values()].every((n) => n === 1)).toBe(true);
    expect(env.counts().size).toBe(250);
    const second = await env.send(['--format', 'json']);
    expect(second.code).toBe(0);
    expect(report(second)).toMatchObject({ status: 'nothing-to-send', alreadySent: 250, toSend: 0 });
    expect(env.fake.accepted).toHaveLength(250);
  });

  it('--durability process journals without syncing, and resumes the same way', async () => {
    env = await sendEnv(30);
    const first = await env.send(['--durability', 'process', '--batch-size', '10', '--format', 'json']);
    expect(report(first)).toMatchObject({ status: 'complete', accepted: 30 });
    expect(env.journalText().match(/"t":"intent"/g)).toHaveLength(3);
    const again = await env.send(['--durability', 'process', '--format', 'json']);
    expect(report(again)).toMatchObject({ alreadySent: 30, toSend: 0 });
    expect(env.fake.accepted).toHaveLength(30);
  });

  it('refuses a second send of the same message and data while the first is running', async () => {
    env = await sendEnv(300);
    env.fake.faults.set('batch', { kind: 'latency', ms: 200 });
    const first = env.spawn(['--batch-size', '10', '--concurrency', '1']);
    // Wait until the first send holds the run (its first batch reached the fake), however slow the start.
    await untilRequests(env.fake, 1, (r) => r.method === 'POST');
    const second = await env.send(['--format', 'json']);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/in use by process/);
    env.fake.faults.set('batch', null);
    const done = await first.done;
    expect(done.code).toBe(0);
    expect(env.counts().size).toBe(300);
    expect([...env.counts().values()].every((n) => n === 1)).toBe(true);
  });

  it('accepts an access key with a trailing newline, and refuses an API URL without a scheme, cleanly', async () => {
    env = await sendEnv(2);
    const ok = await env.send(['--format', 'json'], { env: { BIRD_ACCESS_KEY: `${CANARY_KEY}\n` } });
    expect(report(ok).accepted).toBe(2);
    const bad = await env.send([], { env: { BIRD_API_URL: '127.0.0.1:9' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/must start with https:\/\/.*BIRD_API_URL/);
    expect(hasStackTrace(bad.stderr)).toBe(false);
  });

  it('uses the single-message endpoint with --batch-size 1', async () => {
    env = await sendEnv(3);
    const result = await env.send(['--batch-size', '1', '--format', 'json']);
    expect(report(result).accepted).toBe(3);
    expect(env.fake.requests.map((r) => r.path)).toEqual(Array(3).fill(expect.stringMatching(/\/channels\/[^/]+\/messages$/)));
  });

  it('--dry-run opens no connection and shows the plan', async () => {
    env = await sendEnv(120);
    const result = await env.send(['--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Dry run of notice: nothing was sent/);
    expect(result.stdout).toMatch(/to send\s+120 in 2 batches of ≤100/);
    expect(env.fake.requests).toHaveLength(0);
  });

  it('refuses without a terminal unless --yes, and on a wrong --expect-count, before sending anything', async () => {
    env = await sendEnv(5);
    const raw = await runCli(['send', 'notice', '--data', 'rows.csv', '--journal', env.journal], {
      cwd: env.root,
      env: { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
    });
    expect(raw.code).toBe(2);
    expect(raw.stderr).toMatch(/--yes/);
    expect(env.fake.requests).toHaveLength(0);
    const wrong = await env.send(['--expect-count', '4', '--new-run']);
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toMatch(/--expect-count 4 but the data has 5 rows, 5 distinct recipients \(/);
    expect(env.fake.requests).toHaveLength(0);
  });

  it('--expect-count counts distinct recipients, not rows, and says so when CI set it from the row count', async () => {
    env = await sendEnv(4);
    // The same person twice, once written without the country code's plus: one recipient after normalising.
    writeFileSync(env.data, `${readFileSync(env.data, 'utf8')}0031620000001,Person 1 again\n`);
    const rows = readFileSync(env.data, 'utf8').trim().split('\n').length - 1;
    const wrong = await env.send(['--expect-count', String(rows)]);
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toMatch(
      /--expect-count 5 but the data has 5 rows, 4 distinct recipients: one repeated \(--expect-count counts distinct recipients after normalising their numbers, not rows\); nothing was sent/,
    );
    expect(env.fake.requests).toHaveLength(0);
    const right = await env.send(['--expect-count', '4']);
    expect(right.code).toBe(0);
    expect(env.counts().size).toBe(4);
  });

  it('refuses the whole run when any row is invalid', async () => {
    env = await sendEnv(10);
    writeFileSync(env.data, `${readFileSync(env.data, 'utf8')}not-a-phone,Broken\n+31600000001,\n`);
    const result = await env.send(['--format', 'json']);
    expect(result.code).toBe(1);
    expect(report(result)).toMatchObject({ status: 'refused', accepted: 0 });
    expect(env.fake.requests).toHaveLength(0);
  });

  it('stops at once on 401: one request, exit 2, says which setting to check, never the key', async () => {
    env = await sendEnv(500);
    const result = await env.send(['--batch-size', '10', '--concurrency', '4', '--format', 'json'], {
      env: { BIRD_ACCESS_KEY: 'wrong-canary-key-1234' },
    });
    expect(result.code).toBe(2);
    expect(env.fake.requests).toHaveLength(1);
    const r = report(result);
    expect(r).toMatchObject({ status: 'stopped', accepted: 0, notSent: 500 });
    expect(r.stop?.message).toMatch(/BIRD_ACCESS_KEY/);
    expect(result.stdout + result.stderr + env.journalText()).not.toContain('wrong-canary-key-1234');
    // Nothing was sent, so nothing is marked as sent: a later run with the right key sends everyone.
    const retry = await env.send(['--format', 'json', '--batch-size', '100']);
    expect(report(retry)).toMatchObject({ accepted: 500, alreadySent: 0 });
  });

  it('fails cleanly when Bird is unreachable, marking nothing as sent', async () => {
    env = await sendEnv(20);
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    // Every connection is tried as often as ever, without the backoff's seconds between tries.
    const result = await env.send(['--format', 'json'], { env: { BIRD_API_URL: `http://127.0.0.1:${port}` }, instantRetries: true });
    expect(result.code).toBe(1);
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(report(result)).toMatchObject({ status: 'stopped', accepted: 0, unknown: 0, notSent: 20 });
    const later = await env.send(['--format', 'json']);
    expect(report(later)).toMatchObject({ accepted: 20, alreadySent: 0 });
    expect(env.counts().size).toBe(20);
  }, 60_000);

  it('honours Retry-After in a 429 storm', async () => {
    env = await sendEnv(30);
    for (let i = 0; i < 3; i++) env.fake.faults.push({ kind: 'status', status: 429, retryAfter: 1 });
    const started = Date.now();
    const result = await env.send(['--batch-size', '10', '--concurrency', '2', '--format', 'json']);
    expect(result.code).toBe(0);
    expect(report(result).accepted).toBe(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    // After each 429, only a request already on the wire (concurrency 2: at most one other) may reach Bird
    // before its Retry-After second is over; chirp sends nothing new meanwhile.
    const log = env.fake.requests;
    log.forEach((entry, i) => {
      if (entry.status !== 429) return;
      const early = log.slice(i + 1).filter((e) => e.at >= entry.at && e.at - entry.at < 900);
      expect(early.length).toBeLessThanOrEqual(1);
    });
  }, 60_000);

  it('records permanent failures with Bird’s code and writes a failures CSV that can be fed back', async () => {
    env = await sendEnv(4);
    env.fake.faults.push({
      kind: 'status',
      status: 422,
      body: { code: 'InvalidPayload', message: 'receiver is invalid', details: { 'receiver.contacts[0]': ['bad'] } },
    } as never);
    const failures = join(env.root, 'failures.csv');
    const result = await env.send([
      '--batch-size',
      '2',
      '--concurrency',
      '1',
      '--format',
      'json',
      '--failures',
      failures,
      '--report',
      join(env.root, 'report.json'),
    ]);
    expect(result.code).toBe(1);
    const r = report(result);
    expect(r).toMatchObject({ status: 'incomplete', accepted: 2, failed: 2 });
    expect(r.failureGroups).toEqual([expect.objectContaining({ status: 'failed', code: 'InvalidPayload', count: 2 })]);
    const csv = readFileSync(failures, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('phone,name,chirp_status,chirp_error_code,chirp_error_message');
    expect(csv[1]).toMatch(new RegExp(`^\\${phone(0)},Person 0,failed,InvalidPayload,`));
    expect(JSON.parse(readFileSync(join(env.root, 'report.json'), 'utf8'))).toMatchObject({ version: 1, failed: 2 });
    const refeed = await env.send(['--data', failures, '--format', 'json', '--new-run']);
    expect(report(refeed)).toMatchObject({ accepted: 2 });
  });

  it('never shows the access key: not in output, journal, report or failures file', async () => {
    env = await sendEnv(40);
    env.fake.faults.random({
      rate: 0.5,
      seed: 7,
      kinds: [{ kind: 'status', status: 422 }, { kind: 'reset-after' }, { kind: 'status', status: 500 }],
    });
    const files = [join(env.root, 'failures.csv'), join(env.root, 'report.json')];
    const result = await env.send(['--batch-size', '5', '--failures', files[0]!, '--report', files[1]!]);
    const everything = result.stdout + result.stderr + env.journalText() + files.map((f) => readFileSync(f, 'utf8')).join('');
    expect(everything).not.toContain(CANARY_KEY);
    expect(everything).not.toContain(CANARY_KEY.slice(6));
  });
});
