// The promises that make chirp safe to run, under stress: faults, SIGKILL, SIGINT.
import { afterEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/journal/index.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { phone, report, sendEnv, untilRequests, type SendEnv } from '../helpers/send.js';

let env: SendEnv | undefined;
afterEach(async () => {
  await env?.fake.close();
  env = undefined;
});

describe('soak: 5,000 recipients, 20% mixed faults', () => {
  it('ends with exactly one message per recipient, except reset-after duplicates the user chose to retry', async () => {
    const N = 5000;
    env = await sendEnv(N);
    env.fake.faults.random({ rate: 0.2, seed: 20261126 });
    const first = await env.send(['--batch-size', '20', '--concurrency', '8', '--rate', '2000', '--format', 'json'], {
      timeoutMs: 120_000,
    });
    const r1 = report(first);
    const afterFirst = env.counts();
    // Report counts equal the fake's: every accepted recipient is there once; unknowns may or may not be.
    expect(r1.accepted + r1.failed + r1.unknown + r1.notSent).toBe(N);
    expect(r1.failed).toBe(0);
    expect(r1.unknown).toBeGreaterThan(0); // 20% faults include resets: some outcomes cannot be known
    expect(first.code).toBe(1); // …and the exit code says so
    expect([...afterFirst.values()].every((n) => n === 1)).toBe(true);
    const createdButUnknown = afterFirst.size - r1.accepted;
    expect(createdButUnknown).toBeGreaterThanOrEqual(0);
    expect(createdButUnknown).toBeLessThanOrEqual(r1.unknown);

    env.fake.faults.random(null);
    const second = await env.send(['--batch-size', '20', '--concurrency', '8', '--rate', '2000', '--retry-unknown', '--format', 'json'], {
      timeoutMs: 120_000,
    });
    const r2 = report(second);
    expect(second.code).toBe(0);
    expect(r2).toMatchObject({ alreadySent: r1.accepted, accepted: N - r1.accepted - r1.failed, failed: 0, unknown: 0 });
    const final = env.counts();
    expect(final.size).toBe(N);
    const twice = [...final].filter(([, n]) => n > 1).map(([p]) => p);
    expect([...final.values()].every((n) => n <= 2)).toBe(true);
    // Every duplicate is a recipient created by the first run while its outcome was unknown.
    for (const p of twice) expect(afterFirst.get(p)).toBe(1);
    expect(twice.length).toBe(createdButUnknown);
  }, 240_000);
});

describe('SIGKILL at random moments', () => {
  it('loses nothing: nobody skipped, nobody sent twice without --retry-unknown, the journal always reads back', async () => {
    const N = 3000;
    env = await sendEnv(N);
    env.fake.faults.set('batch', { kind: 'latency', ms: 15 });
    let seed = 12345;
    const rand = () => ((seed = (seed * 16807) % 2147483647), seed / 2147483647);
    const sizes: number[] = [];
    for (let round = 0; round < 4; round++) {
      const run = env.spawn(['--batch-size', '10', '--concurrency', '4', '--rate', '1000']);
      // Round 0 kills at once; the others once this round has sent something (progress, not a fixed
      // delay: on a loaded machine a fixed delay can land before anything was sent), plus a random bit.
      if (round === 0) await new Promise((r) => setTimeout(r, 50));
      else {
        const before = env.counts().size;
        let exited = false;
        void run.done.then(() => (exited = true));
        for (let waited = 0; waited < 30_000 && !exited && env.counts().size <= before; waited += 10)
          await new Promise((r) => setTimeout(r, 10));
        await new Promise((r) => setTimeout(r, rand() * 300));
      }
      run.child.kill('SIGKILL');
      const killed = await run.done;
      // A round may finish before its kill: exit 0, or 1 when earlier rounds left unknowns it held back.
      if (killed.signal !== 'SIGKILL') {
        expect([0, 1]).toContain(killed.code);
        expect(killed.stderr).not.toMatch(/internal error/);
      }
      for (const file of readdirSync(env.journal).filter((f) => f.endsWith('.ndjson'))) {
        const state = await readJournal(join(env.journal, file));
        expect(state.corruptLines).toBe(0);
        expect(state.tornLines).toBeLessThanOrEqual(1);
      }
      // Nobody has been sent twice so far.
      expect([...env.counts().values()].every((n) => n === 1)).toBe(true);
      sizes.push(env.counts().size);
    }
    // The kills landed mid-send, not only before or after it.
    expect(sizes.some((size) => size > 0 && size < N)).toBe(true);
    env.fake.faults.set('batch', null);
    const resume = await env.send(['--batch-size', '10', '--concurrency', '4', '--rate', '1000', '--format', 'json'], {
      timeoutMs: 120_000,
    });
    const r = report(resume);
    expect(readdirSync(env.journal).filter((f) => f.endsWith('.ndjson'))).toHaveLength(1); // one run, resumed each time
    const counts = env.counts();
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // Everyone is either accepted or reported as unknown: nobody silently skipped.
    expect(r.alreadySent + r.accepted + r.unknownSkipped).toBe(N);
    expect(counts.size).toBeGreaterThanOrEqual(r.alreadySent + r.accepted);
    expect(counts.size).toBeLessThanOrEqual(N);
    const missing = Array.from({ length: N }, (_, i) => phone(i)).filter((p) => !counts.has(p));
    expect(missing.length).toBeLessThanOrEqual(r.unknownSkipped);
    // Resending the unknowns knowingly completes the list.
    const retry = await env.send(['--retry-unknown', '--format', 'json']);
    expect(report(retry).accepted).toBe(r.unknownSkipped);
    expect(env.counts().size).toBe(N);
  }, 240_000);
});

describe('SIGINT', () => {
  it('finishes in-flight requests, journals the stop, prints the resume command and exits 130', async () => {
    env = await sendEnv(2000);
    env.fake.faults.set('batch', { kind: 'latency', ms: 50 });
    const run = env.spawn(['--batch-size', '10', '--concurrency', '2', '--rate', '200', '--format', 'json']);
    // Interrupt mid-send: once Bird has seen requests (so the handlers are installed, however slow the machine).
    await untilRequests(env.fake, 3);
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code).toBe(130);
    const r = report(result);
    expect(r.status).toBe('interrupted');
    expect(r.unknown).toBe(0);
    expect(r.resumeCommand).toMatch(/^chirp send notice --data rows\.csv --resume \S+ --journal /);
    expect(env.counts().size).toBe(r.accepted);
    expect(env.journalText()).toMatch(/"t":"end".*"reason":"interrupted"/);
    env.fake.faults.set('batch', null);
    const resumed = await env.send(['--resume', r.runId!, '--format', 'json']);
    expect(report(resumed)).toMatchObject({ alreadySent: r.accepted, accepted: 2000 - r.accepted });
    expect([...env.counts().values()].every((n) => n === 1)).toBe(true);
  }, 60_000);
});
