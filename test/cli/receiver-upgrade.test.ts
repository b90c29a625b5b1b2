// A `receiver:` recipient journalled by an earlier chirp (keyed on the identifier as written, copies
// counted per spelling) met by this chirp (keyed on E.164): through --allow-duplicates, saved plans
// and `status --failures`, nobody is sent twice and no failed row goes missing.
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { makeCatalog, RECEIVER } from '../helpers/catalog.js';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { recipientKey } from '../../src/send/keys.js';
import { parseRecord, recordLine, type JournalRecord } from '../../src/journal/records.js';
import { CANARY_KEY } from '../helpers/send.js';
import { tempDir } from '../helpers/temp.js';
import { sealPlan, serializePlan, type SavedPlan } from '../../src/saved-plan/index.js';
import { referenceFor } from '../../src/render/compile.js';
import { shortKey } from '../../src/util/index.js';

let fake: FakeBird | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const E164 = '+31612345678';
const NATIONAL = '06 12345678';

const env = () => ({ BIRD_API_URL: fake!.url, BIRD_ACCESS_KEY: CANARY_KEY });

/** Rewrites the journal's recipient keys (and, given, the request hashes and references) as an earlier chirp wrote them. */
function asEarlierChirp(journal: string, keys: Map<string, string>, sent?: { h: string; ref: string }, outcome?: 'unknown'): void {
  const file = join(
    journal,
    readdirSync(journal).find((f) => f.endsWith('.ndjson'))!,
  );
  const records = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => parseRecord(line)!);
  const rewritten = records.map((r): JournalRecord => {
    const withKeys = r as JournalRecord & { keys?: string[] };
    const out = (withKeys.keys ? { ...r, keys: withKeys.keys.map((k) => keys.get(k) ?? k) } : { ...r }) as JournalRecord;
    if (out.t === 'intent' && sent) Object.assign(out, { h: [sent.h], refs: [sent.ref] });
    if (out.t === 'outcome' && outcome) Object.assign(out, { status: outcome, ids: undefined });
    return out;
  });
  writeFileSync(file, `${rewritten.map((r) => recordLine(r)).join('\n')}\n`);
}

async function setUp(rows: string): Promise<{ root: string; journal: string }> {
  fake = await startFakeBird({ accessKey: CANARY_KEY });
  const root = makeCatalog({ 'messages/rcv.yaml': RECEIVER, 'rows.csv': rows });
  return { root, journal: tempDir('chirp-journal-') };
}

describe('a receiver journalled by an earlier chirp', () => {
  it('--allow-duplicates: copies an earlier chirp counted per spelling are not sent a third time', async () => {
    const { root, journal } = await setUp(`phone,name\n${E164},Ada\n${NATIONAL},Ada\n`);
    const send = () =>
      runCli(['send', 'rcv', '--data', 'rows.csv', '--journal', journal, '--yes', '--allow-duplicates', '--format', 'json'], {
        cwd: root,
        env: env(),
      });
    expect((await send()).code).toBe(0);
    expect(fake!.accepted).toHaveLength(2);
    // The earlier chirp: row 1 was copy 1 of "+31612345678", row 2 copy 1 of "06 12345678".
    asEarlierChirp(journal, new Map([[recipientKey('rcv', E164, 2), recipientKey('rcv', NATIONAL, 1)]]));
    const again = await send();
    expect(JSON.parse(again.stdout)).toMatchObject({ toSend: 0, accepted: 0 });
    expect(fake!.accepted).toHaveLength(2);
  });

  it('a plan saved by this chirp and sent does not reach someone the earlier chirp reached', async () => {
    const { root, journal } = await setUp(`phone,name\n${NATIONAL},Ada\n`);
    const send = (args: string[]) =>
      runCli(['send', ...args, '--journal', journal, '--yes', '--format', 'json'], { cwd: root, env: env() });
    expect((await send(['rcv', '--data', 'rows.csv'])).code).toBe(0);
    asEarlierChirp(journal, new Map([[recipientKey('rcv', E164, 1), recipientKey('rcv', NATIONAL, 1)]]));
    const planned = await runCli(['plan', 'rcv', '--data', 'rows.csv', '--journal', journal, '--out', 'plan.json'], { cwd: root });
    expect(planned.code).toBe(0);
    const sent = await send(['plan.json']);
    expect(JSON.parse(sent.stdout)).toMatchObject({ toSend: 0, accepted: 0, alreadySent: 1 });
    expect(fake!.accepted).toHaveLength(1);
  });

  it("a plan an earlier chirp saved with the number as written is refused: its key is not this chirp's", async () => {
    const { root, journal } = await setUp(`phone,name\n${NATIONAL},Ada\n`);
    expect((await runCli(['plan', 'rcv', '--data', 'rows.csv', '--out', 'plan.json'], { cwd: root })).code).toBe(0);
    const made = JSON.parse(readFileSync(join(root, 'plan.json'), 'utf8')) as SavedPlan;
    const { hash: _hash, ...rest } = made;
    const earlier = sealPlan({
      ...rest,
      requests: rest.requests.map(({ alias: _alias, ...r }) => ({
        ...r,
        recipient: NATIONAL,
        body: { ...r.body, receiver: { contacts: [{ identifierKey: 'phonenumber', identifierValue: NATIONAL }] } },
      })),
    });
    writeFileSync(join(root, 'earlier.json'), serializePlan(earlier));
    // This chirp has reached the person (keyed on E.164) before the earlier plan is sent.
    const data = await runCli(['send', 'rcv', '--data', 'rows.csv', '--journal', journal, '--yes'], { cwd: root, env: env() });
    expect(data.code).toBe(0);
    const sent = await runCli(['send', 'earlier.json', '--journal', journal, '--yes'], { cwd: root, env: env() });
    expect(sent.stdout + sent.stderr).toMatch(/E_RECEIVER_INVALID .*an earlier chirp wrote this plan/);
    expect(sent.code).not.toBe(0);
    expect(fake!.accepted).toHaveLength(1);
  });

  it('status --failures writes the failed row of a run an earlier chirp journalled', async () => {
    const { root, journal } = await setUp(`phone,name\n${NATIONAL},Ada\n+31612345679,Bo\n`);
    const sent = await runCli(['send', 'rcv', '--data', 'rows.csv', '--journal', journal, '--yes', '--batch-size', '1'], {
      cwd: root,
      env: env(),
    });
    expect(sent.code).toBe(0);
    asEarlierChirp(journal, new Map([[recipientKey('rcv', E164, 1), recipientKey('rcv', NATIONAL, 1)]]));
    for (const m of fake!.accepted)
      fake!.setStatus(m.id, m.recipient === E164 ? 'delivery_failed' : 'delivered', { code: 470, description: 'gone' });
    const file = join(root, 'failed.csv');
    const status = await runCli(['status', '--journal', journal, '--failures', file], { cwd: root, env: env() });
    expect(status.code).toBe(1);
    expect(readFileSync(file, 'utf8')).toMatch(
      /^phone,name,chirp_status,chirp_error_code,chirp_error_message\n06 12345678,Ada,failed,470,/,
    );
  });

  // The bytes an earlier chirp sent: the number as written, and a reference made from it.
  const earlierRequest = (): { h: string; ref: string } => {
    const json = JSON.stringify({
      receiver: { contacts: [{ identifierKey: 'phonenumber', identifierValue: NATIONAL }] },
      body: { type: 'text', text: { text: 'Hi Ada' } },
    });
    const ref = referenceFor('rcv', NATIONAL, json);
    return { h: shortKey(`${json.slice(0, -1)},"reference":${JSON.stringify(ref)}}`), ref };
  };

  it('a recipient it reached is already sent, not "an earlier version of an edited message"; an unknown stays held', async () => {
    for (const outcome of [undefined, 'unknown' as const]) {
      const { root, journal } = await setUp(`phone,name\n${NATIONAL},Ada\n`);
      const send = () =>
        runCli(['send', 'rcv', '--data', 'rows.csv', '--journal', journal, '--yes', '--format', 'json'], { cwd: root, env: env() });
      expect((await send()).code).toBe(0);
      asEarlierChirp(journal, new Map([[recipientKey('rcv', E164, 1), recipientKey('rcv', NATIONAL, 1)]]), earlierRequest(), outcome);
      const again = await send();
      const report = JSON.parse(again.stdout) as Record<string, unknown>;
      expect(report, String(outcome)).toMatchObject(
        outcome ? { status: 'incomplete', unknownSkipped: 1, toSend: 0 } : { status: 'nothing-to-send', alreadySent: 1, toSend: 0 },
      );
      expect(fake!.accepted).toHaveLength(1);
      await fake!.close();
      fake = undefined;
    }
  });
});
