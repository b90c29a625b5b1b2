// `chirp status` against the fake Bird: delivery summaries, --wait, reconciliation.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { phone, report, sendEnv, untilRequests, type SendEnv } from '../helpers/send.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import type { StatusSummary } from '../../src/status/summary.js';

let env: SendEnv | undefined;
afterEach(async () => {
  await env?.fake.close();
  env = undefined;
});

const summary = (stdout: string): StatusSummary => JSON.parse(stdout) as StatusSummary;

function setStatuses(e: SendEnv, pick: (recipient: string) => [string, { code: number; description: string }?] | undefined): void {
  for (const m of e.fake.accepted) {
    const s = m.recipient ? pick(m.recipient) : undefined;
    if (s) e.fake.setStatus(m.id, s[0] as never, s[1]);
  }
}

describe('chirp status', () => {
  it('summarises batch and single runs, with delivery failures and batch rejections grouped', async () => {
    for (const batch of ['5', '1']) {
      env = await sendEnv(20);
      const sent = await env.send(['--batch-size', batch, '--format', 'json']);
      expect(report(sent).accepted).toBe(20);
      setStatuses(env, (r) => {
        const i = Number(r.slice(-2));
        if (i < 10) return ['delivered'];
        if (i < 13) return ['delivery_failed', { code: 12345, description: 'number not on WhatsApp' }];
        if (i < 14) return ['rejected', { code: 11001, description: 'invalid payload' }];
        if (i < 17) return ['sent'];
        return undefined;
      });
      // At Bird's highest rate: pacing has its own case below.
      const result = await runCli(['status', '--journal', env.journal, '--rate', '50', '--format', 'json'], {
        cwd: env.root,
        env: { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: 'canary-key-7d1f0c2a9b' },
      });
      expect(result.code).toBe(1);
      const s = summary(result.stdout);
      expect(s).toMatchObject({ recipients: 20, delivered: 10, failed: 4, sent: 3, accepted: 3, final: false });
      expect(s.failures).toEqual([
        expect.objectContaining({ status: 'delivery_failed', code: '12345', count: 3 }),
        expect.objectContaining({ status: 'rejected', code: '11001', count: 1 }),
      ]);
      await env.fake.close();
      env = undefined;
    }
  });

  it('--wait ends when every message is final, and times out cleanly otherwise', async () => {
    env = await sendEnv(6);
    await env.send(['--batch-size', '3']);
    const cliEnv = { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: 'canary-key-7d1f0c2a9b' };
    const timedOut = await runCli(['status', '--journal', env.journal, '--wait', '--timeout', '1', '--interval', '1', '--format', 'json'], {
      cwd: env.root,
      env: cliEnv,
    });
    expect(timedOut.code).toBe(1);
    expect(summary(timedOut.stdout)).toMatchObject({ final: false, accepted: 6 });
    const asked = env.fake.requests.filter((r) => r.method === 'GET').length;
    const waiting = runCli(['status', '--journal', env.journal, '--wait', '--timeout', '60', '--interval', '1', '--format', 'json'], {
      cwd: env.root,
      env: cliEnv,
    });
    // Bird delivers once the wait has asked about all six: only a later round can see them delivered.
    await untilRequests(env.fake, asked + 6, (r) => r.method === 'GET');
    setStatuses(env, () => ['delivered']);
    const done = await waiting;
    expect(done.code).toBe(0);
    expect(summary(done.stdout)).toMatchObject({ final: true, delivered: 6 });
    // The statuses were written back: a second status needs no request for final messages.
    const before = env.fake.requests.length;
    const again = await runCli(['status', '--journal', env.journal, '--format', 'json'], { cwd: env.root, env: cliEnv });
    expect(summary(again.stdout).delivered).toBe(6);
    expect(env.fake.requests.length).toBe(before);
  });

  it('reconciles unknowns: reset-after becomes accepted, reset-before becomes resendable and is then sent exactly once', async () => {
    env = await sendEnv(30);
    env.fake.faults.push({ kind: 'reset-after', on: 'batch' } as never, { kind: 'reset-before', on: 'batch' } as never);
    const first = await env.send(['--batch-size', '10', '--concurrency', '1', '--format', 'json']);
    expect(report(first)).toMatchObject({ accepted: 10, unknown: 20 });
    expect(env.counts().size).toBe(20); // reset-after created 10, reset-before none
    const cliEnv = { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: 'canary-key-7d1f0c2a9b' };
    const reconciled = await runCli(['status', '--journal', env.journal, '--reconcile', '--grace', '0', '--format', 'json'], {
      cwd: env.root,
      env: cliEnv,
    });
    expect(summary(reconciled.stdout)).toMatchObject({ unknown: 0, resendable: 10, accepted: 20 });
    const resend = await env.send(['--format', 'json']);
    expect(report(resend)).toMatchObject({ accepted: 10, alreadySent: 20, unknownSkipped: 0 });
    const counts = env.counts();
    expect(counts.size).toBe(30);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('does not take a shared reference as proof: unknowns stay unknown, nobody is dropped', async () => {
    env = await sendEnv(30);
    const file = join(env.root, 'messages/notice.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}reference: release-v2\n`);
    env.fake.faults.push({ kind: 'reset-before', on: 'batch' } as never);
    const first = await env.send(['--batch-size', '10', '--concurrency', '1', '--format', 'json']);
    expect(report(first)).toMatchObject({ accepted: 20, unknown: 10 });
    const cliEnv = { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: 'canary-key-7d1f0c2a9b' };
    const reconciled = await runCli(['status', '--journal', env.journal, '--reconcile', '--grace', '0', '--format', 'json'], {
      cwd: env.root,
      env: cliEnv,
    });
    expect(summary(reconciled.stdout)).toMatchObject({ unknown: 10, resendable: 0, accepted: 20 });
    const again = await env.send(['--format', 'json']);
    expect(report(again)).toMatchObject({ alreadySent: 20, unknownSkipped: 10, accepted: 0 });
  });

  it('refuses to reconcile a run that a send is still using', async () => {
    env = await sendEnv(400);
    env.fake.faults.set('batch', { kind: 'latency', ms: 200 });
    const sending = spawnCli(
      ['send', 'notice', '--data', 'rows.csv', '--journal', env.journal, '--yes', '--batch-size', '10', '--concurrency', '1'],
      { cwd: env.root, env: { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: 'canary-key-7d1f0c2a9b' } },
    );
    // Once Bird has seen a batch, the send holds its run's lock (however slow the machine).
    await untilRequests(env.fake);
    const result = await runCli(['status', '--journal', env.journal, '--reconcile', '--grace', '0'], {
      cwd: env.root,
      env: { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: 'canary-key-7d1f0c2a9b' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/in use by process/);
    sending.child.kill('SIGINT');
    await sending.done;
  });

  it('never polls faster than the GET rate', async () => {
    env = await sendEnv(60);
    await env.send(['--batch-size', '1', '--concurrency', '8', '--rate', '500']);
    const start = env.fake.requests.length;
    const result = await runCli(['status', '--journal', env.journal, '--rate', '20', '--format', 'json'], {
      cwd: env.root,
      env: { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: 'canary-key-7d1f0c2a9b' },
    });
    expect(summary(result.stdout).accepted).toBe(60);
    const gets = env.fake.requests
      .slice(start)
      .filter((r) => r.method === 'GET')
      .map((r) => r.at);
    expect(gets.length).toBe(60);
    // Bird allows 50 GET/s per workspace; chirp paces at --rate. Arrival times at a test server that
    // shares a busy machine jitter by a few ms, so one window may count one request more.
    let busiest = 0;
    for (let i = 0, j = 0; i < gets.length; i++) {
      while (gets[i]! - gets[j]! >= 1000) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    expect(busiest).toBeLessThanOrEqual(21);
    expect((gets.length - 1) / ((gets.at(-1)! - gets[0]!) / 1000)).toBeLessThanOrEqual(20.5);
  });
});

describe('the customer-care window', () => {
  const FALLBACK = `fallback:
  template:
    projectId: 7b492653-450b-4e97-b5e4-3827868e7438
    version: latest
    locale: en
    parameters:
      - { type: string, key: name, value: "{{name}}" }
`;

  async function windowEnv(withFallback: boolean): Promise<SendEnv> {
    const e = await sendEnv(6);
    const file = join(e.root, 'messages/notice.yaml');
    if (withFallback) writeFileSync(file, readFileSync(file, 'utf8') + FALLBACK);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const past = new Date(Date.now() - 3_600_000).toISOString();
    e.fake.setContactWindow(phone(0), { serviceWindowExpireAt: future, isPermanentSession: null });
    e.fake.setContactWindow(phone(1), { serviceWindowExpireAt: null, isPermanentSession: true });
    e.fake.setContactWindow(phone(2), { serviceWindowExpireAt: past, isPermanentSession: null });
    e.fake.setContactWindow(phone(3), 'unknown');
    // phone(4), phone(5): never wrote in (no contact).
    return e;
  }

  it('sends the body to open windows and the fallback template to closed ones (exit 0)', async () => {
    env = await windowEnv(true);
    const result = await env.send(['--window', 'check', '--format', 'json']);
    expect(result.code).toBe(0);
    expect(report(result)).toMatchObject({ accepted: 6, fallback: 4, windowClosed: 0 } as never);
    const kinds = new Map(env.fake.accepted.map((m) => [m.recipient, 'template' in (m.request as object) ? 'template' : 'body']));
    expect([0, 1, 2, 3, 4, 5].map((i) => kinds.get(phone(i)))).toEqual(['body', 'body', 'template', 'template', 'template', 'template']);
    const template = env.fake.accepted.find((m) => m.recipient === phone(2))!.request as {
      template: { parameters: unknown[] };
      body?: unknown;
    };
    expect(template.body).toBeUndefined();
    expect(template.template.parameters).toEqual([{ type: 'string', key: 'name', value: 'Person 2' }]);
  });

  it('skips closed windows without a fallback, lists them, and exits 1', async () => {
    env = await windowEnv(false);
    const dry = await env.send(['--window', 'check', '--dry-run', '--format', 'json']);
    expect(report(dry)).toMatchObject({ toSend: 2, windowClosed: 4 } as never);
    expect(env.fake.accepted).toHaveLength(0);
    const result = await env.send(['--window', 'check', '--format', 'json']);
    expect(result.code).toBe(1);
    expect(report(result)).toMatchObject({ accepted: 2, windowClosed: 4 } as never);
    expect(result.stdout).not.toContain('+3162');
  });
});

describe('chirp plan --window check', () => {
  it('shows the same split before sending, and sends nothing', async () => {
    env = await sendEnv(3);
    env.fake.setContactWindow(phone(0), {
      serviceWindowExpireAt: new Date(Date.now() + 3_600_000).toISOString(),
      isPermanentSession: null,
    });
    const result = await runCli(
      ['plan', 'notice', '--data', 'rows.csv', '--window', 'check', '--journal', env.journal, '--format', 'json'],
      { cwd: env.root, env: { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: 'canary-key-7d1f0c2a9b' } },
    );
    expect(result.stderr).toMatch(/looking up customer-care windows/);
    const plan = JSON.parse(result.stdout) as { messages: { toSend: number; windowClosed: number }[] };
    expect(plan.messages[0]).toMatchObject({ toSend: 1, windowClosed: 2 });
    expect(env.fake.accepted).toHaveLength(0);
    expect(env.fake.requests.every((r) => r.method === 'GET' || r.path.endsWith('/contacts/search'))).toBe(true);
  });
});

describe('chirp status --failures', () => {
  it('writes the failed rows with their original columns, ready to be fed back', async () => {
    env = await sendEnv(5);
    await env.send(['--batch-size', '1']);
    setStatuses(env, (r) => (r === phone(3) ? ['delivery_failed', { code: 470, description: 'outside the window' }] : ['delivered']));
    const file = join(env.root, 'failed.csv');
    const result = await runCli(['status', '--journal', env.journal, '--failures', file], {
      cwd: env.root,
      env: { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: 'canary-key-7d1f0c2a9b' },
    });
    expect(result.code).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe(
      `phone,name,chirp_status,chirp_error_code,chirp_error_message\n${phone(3)},Person 3,failed,470,delivery_failed: outside the window\n`,
    );
  });
});
