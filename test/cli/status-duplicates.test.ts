// `send --allow-duplicates` sends a recipient once per row; copies with the same text share their
// reference. `status` tells a copy's message from another's by Bird's id where the journal holds it,
// never credits one listed message to two copies, and `--reconcile` declares a copy absent only when
// no listed message may be its own: so `send --retry-unknown` afterwards never sends a copy twice and
// a copy Bird never got is not counted as sent.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { phone, reconcile, report, sendEnv, type SendEnv } from '../helpers/send.js';

let env: SendEnv | undefined;
afterEach(async () => {
  await env?.fake.close();
  env = undefined;
});

/** Two rows for one recipient (the same text, so the same reference), and one other recipient. */
async function twoCopies(): Promise<SendEnv> {
  const e = await sendEnv(0);
  writeFileSync(e.data, `phone,name\n${phone(1)},Ada\n${phone(1)},Ada\n${phone(2)},Bob\n`);
  return e;
}

const single = ['--allow-duplicates', '--batch-size', '1', '--concurrency', '1', '--format', 'json'];

describe('status and reconcile with --allow-duplicates (copies sharing a reference)', () => {
  it('a first copy Bird never got is not counted as the second copy: proven absent, then sent once', async () => {
    env = await twoCopies();
    env.fake.faults.push({ kind: 'reset-before', on: 'single' });
    const first = await env.send(single);
    expect(report(first)).toMatchObject({ accepted: 2, unknown: 1 });
    expect(env.counts().get(phone(1))).toBe(1);
    const s = await reconcile(env);
    // The second copy's message carries the first copy's reference and receiver, but its Bird id is
    // the second copy's: it proves nothing about the first.
    expect(s).toMatchObject({ accepted: 2, unknown: 0, resendable: 1 });
    const again = await env.send(single);
    expect(report(again)).toMatchObject({ accepted: 1, alreadySent: 2, unknownSkipped: 0 });
    expect(env.counts().get(phone(1))).toBe(2);
    expect(env.counts().get(phone(2))).toBe(1);
  });

  it('a second copy Bird never got is proven absent although the first copy (its reference) is listed', async () => {
    env = await twoCopies();
    env.fake.faults.push({ kind: 'reset-before', on: (r) => r.endpoint === 'single' && env!.fake.accepted.length === 1 });
    const first = await env.send(single);
    expect(report(first)).toMatchObject({ accepted: 2, unknown: 1 });
    expect(env.counts().get(phone(1))).toBe(1);
    expect(await reconcile(env)).toMatchObject({ accepted: 2, unknown: 0, resendable: 1 });
    const again = await env.send([...single, '--retry-unknown']);
    expect(report(again)).toMatchObject({ accepted: 1, alreadySent: 2 });
    expect(env.counts().get(phone(1))).toBe(2);
  });

  it('a second copy Bird did get is found (never declared absent), so --retry-unknown sends nothing twice', async () => {
    env = await twoCopies();
    env.fake.faults.push({ kind: 'reset-after', on: (r) => r.endpoint === 'single' && env!.fake.accepted.length === 1 });
    const first = await env.send(single);
    expect(report(first)).toMatchObject({ accepted: 2, unknown: 1 });
    expect(env.counts().get(phone(1))).toBe(2);
    expect(await reconcile(env)).toMatchObject({ accepted: 3, unknown: 0, resendable: 0 });
    const again = await env.send([...single, '--retry-unknown']);
    expect(report(again)).toMatchObject({ accepted: 0, alreadySent: 3 });
    expect(env.counts().get(phone(1))).toBe(2);
  });

  it('both copies unknown, Bird got one: one is found, the other stays unknown (it may be either), never resendable', async () => {
    env = await twoCopies();
    env.fake.faults.push({ kind: 'reset-after', on: 'single' }, { kind: 'reset-before', on: 'single' });
    const first = await env.send(single);
    expect(report(first)).toMatchObject({ accepted: 1, unknown: 2 });
    expect(env.counts().get(phone(1))).toBe(1);
    expect(await reconcile(env)).toMatchObject({ accepted: 2, unknown: 1, resendable: 0 });
    const again = await env.send(single);
    expect(report(again)).toMatchObject({ accepted: 0, unknownSkipped: 1 });
    expect(env.counts().get(phone(1))).toBe(1);
  });

  it('copies of other texts under a fixed reference, both unknown, Bird got one: neither is counted as sent (it may be either)', async () => {
    env = await sendEnv(0);
    const file = join(env.root, 'messages/notice.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}reference: release-v2\n`);
    writeFileSync(env.data, `phone,name\n${phone(1)},Ada\n${phone(1)},Ida\n${phone(2)},Bob\n`);
    env.fake.faults.push({ kind: 'reset-after', on: 'single' }, { kind: 'reset-before', on: 'single' });
    expect(report(await env.send(single))).toMatchObject({ accepted: 1, unknown: 2 });
    expect(env.counts().get(phone(1))).toBe(1);
    expect(await reconcile(env)).toMatchObject({ accepted: 1, unknown: 2, resendable: 0 });
  });

  it('a batch that sent both copies: each listed message gives one copy its status (statuses of both, none counted twice)', async () => {
    env = await twoCopies();
    const first = await env.send(['--allow-duplicates', '--batch-size', '10', '--format', 'json']);
    expect(report(first)).toMatchObject({ accepted: 3 });
    for (const m of env.fake.accepted) env.fake.setStatus(m.id, 'delivered');
    const s = await reconcile(env);
    expect(s).toMatchObject({ accepted: 0, delivered: 3, final: true });
  });
});
