// Review of `status --reconcile` with `send --allow-duplicates` (src/status/copies.ts): a listed message
// credited to a copy by a guess (no Bird id tied it to that copy's own request) must not later count as
// proof that another copy of the recipient is absent, unless the copies are the same request bytes.
// A reference that starts with `chirp:` is no proof of the same text: a message file may set one itself.
import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { phone, reconcile, report, sendEnv, type SendEnv } from '../helpers/send.js';
import { recordLine } from '../../src/journal/records.js';
import { recipientKey } from '../../src/send/index.js';

let env: SendEnv | undefined;
afterEach(async () => {
  await env?.fake.close();
  env = undefined;
});

const single = ['--allow-duplicates', '--batch-size', '1', '--concurrency', '1', '--format', 'json'];

/** The texts Bird holds for phone(1). */
function texts(e: SendEnv): string[] {
  return e.fake.accepted
    .filter((m) => m.recipient === phone(1))
    .map((m) => (m.request as { body: { text: { text: string } } }).body.text.text)
    .sort();
}

describe('reconcile with copies: a guess is never proof of another copy’s absence', () => {
  for (const reference of ['chirp:promo', 'release-v2']) {
    it(`copies of other texts under the fixed reference "${reference}", Bird got only the second: nothing is resent twice`, async () => {
      env = await sendEnv(0);
      const file = join(env.root, 'messages/notice.yaml');
      writeFileSync(file, `${readFileSync(file, 'utf8')}reference: "${reference}"\n`);
      writeFileSync(env.data, `phone,name\n${phone(1)},Ada\n${phone(1)},Ida\n${phone(2)},Bob\n`);
      // Ada's request never reaches Bird; Ida's does, but its answer is lost: both unknown.
      env.fake.faults.push({ kind: 'reset-before', on: 'single' }, { kind: 'reset-after', on: 'single' });
      expect(report(await env.send(single))).toMatchObject({ accepted: 1, unknown: 2 });
      expect(texts(env)).toEqual(['Hi Ida, chirp v2 is out.']);
      // Ida's message may be either copy's (the same reference and receiver): neither is counted as sent, nor absent.
      expect(await reconcile(env)).toMatchObject({ accepted: 1, unknown: 2, resendable: 0 });
      // A second look proves no more than the first.
      expect(await reconcile(env)).toMatchObject({ accepted: 1, unknown: 2, resendable: 0 });
      const again = await env.send(single);
      expect(report(again)).toMatchObject({ accepted: 0, unknownSkipped: 2 });
      expect(texts(env)).toEqual(['Hi Ida, chirp v2 is out.']);
    });
  }

  it('copies of the same text (chirp’s own reference): the second look proves the other copy absent, sent once more', async () => {
    env = await sendEnv(0);
    writeFileSync(env.data, `phone,name\n${phone(1)},Ada\n${phone(1)},Ada\n${phone(2)},Bob\n`);
    env.fake.faults.push({ kind: 'reset-before', on: 'single' }, { kind: 'reset-after', on: 'single' });
    expect(report(await env.send(single))).toMatchObject({ accepted: 1, unknown: 2 });
    expect(await reconcile(env)).toMatchObject({ accepted: 2, unknown: 1, resendable: 0 });
    expect(await reconcile(env)).toMatchObject({ accepted: 2, unknown: 0, resendable: 1 });
    expect(report(await env.send(single))).toMatchObject({ accepted: 1 });
    expect(texts(env)).toEqual(['Hi Ada, chirp v2 is out.', 'Hi Ada, chirp v2 is out.']);
  });

  it('a journal whose earlier status (a chirp before copies were told apart) credited the first copy with the second copy’s message: the second is never declared absent', async () => {
    env = await sendEnv(0);
    const file = join(env.root, 'messages/notice.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}reference: release-v2\n`);
    writeFileSync(env.data, `phone,name\n${phone(1)},Ada\n${phone(1)},Ida\n${phone(2)},Bob\n`);
    env.fake.faults.push({ kind: 'reset-before', on: 'single' }, { kind: 'reset-after', on: 'single' });
    expect(report(await env.send(single))).toMatchObject({ accepted: 1, unknown: 2 });
    const ida = env.fake.accepted.find((m) => m.recipient === phone(1))!;
    // What that chirp's reconcile wrote: the listed message matched to occurrence 1 by receiver and reference alone.
    const journal = join(
      env.journal,
      readdirSync(env.journal).find((f) => f.endsWith('.ndjson'))!,
    );
    const first = recipientKey('notice', phone(1), 1);
    const at = new Date().toISOString();
    appendFileSync(
      journal,
      `${recordLine({ t: 'status', at, entries: [[first, 'accepted', ida.id, undefined, undefined, undefined, undefined, ida.createdAt]] })}\n` +
        `${recordLine({ t: 'resolve', keys: [first], status: 'accepted', at, via: 'reconcile' })}\n`,
    );
    expect(await reconcile(env)).toMatchObject({ accepted: 2, unknown: 1, resendable: 0 });
    expect(report(await env.send([...single]))).toMatchObject({ accepted: 0, unknownSkipped: 1 });
    expect(texts(env)).toEqual(['Hi Ida, chirp v2 is out.']);
  });

  it('a run sent once without --allow-duplicates, then again with it (as W_DUPLICATE_RECIPIENT advises): the copies are told apart all the same', async () => {
    env = await sendEnv(0);
    const file = join(env.root, 'messages/notice.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}reference: release-v2\n`);
    writeFileSync(env.data, `phone,name\n${phone(1)},Ada\n${phone(1)},Ida\n${phone(2)},Bob\n`);
    const plain = ['--batch-size', '1', '--concurrency', '1', '--format', 'json'];
    // Ada's request never reaches Bird; the header of the run says nothing of copies.
    env.fake.faults.push({ kind: 'reset-before', on: 'single' });
    expect(report(await env.send(plain))).toMatchObject({ accepted: 1, unknown: 1 });
    // The same run again with --allow-duplicates: Ida's request reaches Bird, its answer is lost.
    env.fake.faults.push({ kind: 'reset-after', on: 'single' });
    expect(report(await env.send(single))).toMatchObject({ accepted: 0, unknown: 1, unknownSkipped: 1 });
    expect(readdirSync(env.journal).filter((f) => f.endsWith('.ndjson'))).toHaveLength(1);
    expect(texts(env)).toEqual(['Hi Ida, chirp v2 is out.']);
    expect(await reconcile(env)).toMatchObject({ accepted: 1, unknown: 2, resendable: 0 });
    expect(await reconcile(env)).toMatchObject({ accepted: 1, unknown: 2, resendable: 0 });
    expect(report(await env.send(single))).toMatchObject({ accepted: 0, unknownSkipped: 2 });
    expect(texts(env)).toEqual(['Hi Ida, chirp v2 is out.']);
  });
});
