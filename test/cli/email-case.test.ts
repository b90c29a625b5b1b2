// An e-mail address is one recipient in any case (`Ada@x.com`, `ada@x.com`, `ada@X.COM`): one message
// per mailbox within a data file, across runs whose data spells it otherwise, and across the upgrade
// from a chirp that keyed the address in the case written. Bird gets the address as the data wrote it.
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliResult } from '../helpers/cli.js';
import { makeCatalog } from '../helpers/catalog.js';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { recipientKey } from '../../src/send/keys.js';
import { parseRecord, recordLine, type JournalRecord } from '../../src/journal/records.js';
import { CANARY_KEY } from '../helpers/send.js';
import { tempDir } from '../helpers/temp.js';
import { referenceFor } from '../../src/render/compile.js';
import { shortKey } from '../../src/util/index.js';
import { sealPlan, serializePlan, type SavedPlan } from '../../src/saved-plan/index.js';

const MAIL = `channel: whatsapp
defaultCountry: NL
to: "{{to}}"
variables:
  to: { type: string }
  name: { type: string }
required: [to, name]
body:
  type: text
  text:
    text: "Hi {{name}}"
examples:
  - { to: "ada@example.com", name: Ada }
`;

let fake: FakeBird | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const env = () => ({ BIRD_API_URL: fake!.url, BIRD_ACCESS_KEY: CANARY_KEY });

async function setUp(rows: string): Promise<{ root: string; journal: string }> {
  fake ??= await startFakeBird({ accessKey: CANARY_KEY });
  const root = makeCatalog({ 'messages/mail.yaml': MAIL, 'rows.csv': rows });
  return { root, journal: tempDir('chirp-journal-') };
}

function send(root: string, journal: string, args: string[] = []): Promise<CliResult> {
  return runCli(['send', 'mail', '--data', 'rows.csv', '--journal', journal, '--yes', '--format', 'json', ...args], {
    cwd: root,
    env: env(),
  });
}

const json = (result: CliResult): Record<string, unknown> => JSON.parse(result.stdout) as Record<string, unknown>;
/** The duplicate rows a send reports, each as code and the row it repeats. */
const duplicates = (result: CliResult): string[] =>
  (json(result).samples as { duplicates: { code: string; message: string }[] }).duplicates.map(
    (d) => `${d.code}: ${/the recipient of row \d+ is the same as row \d+/.exec(d.message)?.[0] ?? d.message}`,
  );
const sentTo = (): string[] => fake!.accepted.map((m) => m.recipient ?? '');

/** The journal's file (one run). */
function journalFile(journal: string): string {
  return join(
    journal,
    readdirSync(journal).find((f) => f.endsWith('.ndjson'))!,
  );
}

/** The request bytes chirp sends (and the chirp before this one journalled the hash of) for `to`. */
function requestHash(to: string, name: string): string {
  const body = JSON.stringify({ receiver: { contacts: [{ identifierValue: to }] }, body: { type: 'text', text: { text: `Hi ${name}` } } });
  return shortKey(`${body.slice(0, -1)},"reference":${JSON.stringify(referenceFor('mail', to, body))}}`);
}

/**
 * Rewrites the journal as the chirp before this one wrote it: keys of the address as sent (the case
 * written), hashes of the bytes sent. Checked against that chirp's build (main at fc5c47f) sending the
 * same rows: its intent's key and `h` were exactly recipientKey('mail', 'Ada@x.com', 1) and requestHash('Ada@x.com', 'Ada').
 */
function asEarlierChirp(journal: string, keys: Map<string, string>, hashes: Map<string, string>, outcome?: 'unknown'): void {
  const file = journalFile(journal);
  const records = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => parseRecord(line)!);
  const rewritten = records.map((r): JournalRecord => {
    const withKeys = r as JournalRecord & { keys?: string[]; h?: string[] };
    const out = { ...r } as JournalRecord & { keys?: string[]; h?: string[] };
    if (withKeys.keys) out.keys = withKeys.keys.map((k) => keys.get(k) ?? k);
    if (out.t === 'intent' && withKeys.h) out.h = withKeys.h.map((h) => hashes.get(h) ?? h);
    if (out.t === 'outcome' && outcome) Object.assign(out, { status: outcome, ids: undefined });
    return out;
  });
  writeFileSync(file, `${rewritten.map((r) => recordLine(r)).join('\n')}\n`);
}

describe('an e-mail address in another case is the same recipient', () => {
  it('within one data file: the later spellings are duplicates, sent once (as two spellings of one number are), to the first spelling', async () => {
    const { root, journal } = await setUp('to,name\nAda@x.com,Ada\nada@x.com,Ada\nada@X.COM,Ada\nbo@x.com,Bo\n');
    const result = await send(root, journal);
    expect(result.code).toBe(0);
    expect(json(result)).toMatchObject({ accepted: 2, duplicates: 2 });
    expect(duplicates(result)).toEqual([
      'W_DUPLICATE_RECIPIENT: the recipient of row 2 is the same as row 1',
      'W_DUPLICATE_RECIPIENT: the recipient of row 3 is the same as row 1',
    ]);
    expect(sentTo().sort()).toEqual(['Ada@x.com', 'bo@x.com']);

    // The rule for phone numbers, for comparison: the same counts and warning.
    const phones = makeCatalog({
      'messages/mail.yaml': MAIL,
      'rows.csv': 'to,name\n+31612345678,Ada\n06 12345678,Ada\n0031612345678,Ada\n+31612345679,Bo\n',
    });
    const byPhone = await send(phones, tempDir('chirp-journal-'));
    expect(byPhone.code).toBe(0);
    expect(json(byPhone)).toMatchObject({ accepted: 2, duplicates: 2 });
    expect(duplicates(byPhone)).toEqual(duplicates(result));
  });

  it('--allow-duplicates: spellings of one address are copies of one recipient, each sent as written', async () => {
    const { root, journal } = await setUp('to,name\nAda@x.com,Ada\nada@x.com,Ada\n');
    expect(json(await send(root, journal, ['--allow-duplicates']))).toMatchObject({ accepted: 2 });
    expect(sentTo().sort()).toEqual(['Ada@x.com', 'ada@x.com']);
    // Sent again: both copies are already sent (copies 1 and 2 of one recipient).
    writeFileSync(join(root, 'rows.csv'), 'to,name\nada@X.COM,Ada\nADA@x.com,Ada\n');
    expect(json(await send(root, journal, ['--allow-duplicates']))).toMatchObject({ toSend: 0, alreadySent: 2 });
    expect(fake!.accepted).toHaveLength(2);
  });

  it('a run sent to Ada@x.com, sent again with data spelling ada@x.com: already sent, not sent twice (nor "edited")', async () => {
    const { root, journal } = await setUp('to,name\nAda@x.com,Ada\n');
    expect((await send(root, journal)).code).toBe(0);
    for (const spelling of ['ada@x.com', 'ADA@X.COM', 'Ada@x.com']) {
      writeFileSync(join(root, 'rows.csv'), `to,name\n${spelling},Ada\n`);
      const again = await send(root, journal);
      expect(json(again), spelling).toMatchObject({ status: 'nothing-to-send', alreadySent: 1, toSend: 0 });
      expect(again.code).toBe(0);
    }
    expect(sentTo()).toEqual(['Ada@x.com']);
  });

  it('an unknown outcome for Ada@x.com stays held when the data spells it ada@x.com, --retry-unknown included of the listing it reconciles', async () => {
    const { root, journal } = await setUp('to,name\nAda@x.com,Ada\n');
    fake!.faults.push({ kind: 'reset-after', times: 5 });
    const first = await send(root, journal);
    expect(json(first)).toMatchObject({ unknown: 1 });
    expect(fake!.accepted).toHaveLength(1);
    writeFileSync(join(root, 'rows.csv'), 'to,name\nada@x.com,Ada\n');
    expect(json(await send(root, journal))).toMatchObject({ unknownSkipped: 1, toSend: 0 });
    // Reconciled from Bird's listing, which names the receiver as sent (Ada@x.com): found, so never sent again.
    const status = await runCli(['status', '--journal', journal, '--reconcile', '--grace', '0', '--format', 'json'], {
      cwd: root,
      env: env(),
    });
    expect(status.stderr).not.toMatch(/internal error/i);
    expect(json(await send(root, journal, ['--retry-unknown']))).toMatchObject({ alreadySent: 1, toSend: 0 });
    expect(fake!.accepted).toHaveLength(1);
  });
});

describe('a run journalled by the chirp before this one (keys of the address in the case written)', () => {
  const OLD = recipientKey('mail', 'Ada@x.com', 1);
  const NEW = recipientKey('mail', 'ada@x.com', 1);

  it('is recognised on resume: nothing sent twice, and an unknown stays held', async () => {
    for (const outcome of [undefined, 'unknown' as const]) {
      const { root, journal } = await setUp('to,name\nAda@x.com,Ada\n');
      const before = fake!.accepted.length;
      expect((await send(root, journal)).code).toBe(0);
      const identity = requestHash('ada@x.com', 'Ada');
      asEarlierChirp(journal, new Map([[NEW, OLD]]), new Map([[identity, requestHash('Ada@x.com', 'Ada')]]), outcome);
      expect(readFileSync(journalFile(journal), 'utf8')).not.toContain(NEW);
      const again = await send(root, journal);
      expect(json(again), String(outcome)).toMatchObject(
        outcome ? { status: 'incomplete', unknownSkipped: 1, toSend: 0 } : { status: 'nothing-to-send', alreadySent: 1, toSend: 0 },
      );
      expect(fake!.accepted.length - before).toBe(1);
    }
  });

  it('status --failures writes its failed row (found under the key as written)', async () => {
    const { root, journal } = await setUp('to,name\nAda@x.com,Ada\nbo@x.com,Bo\n');
    expect((await send(root, journal, ['--batch-size', '1'])).code).toBe(0);
    asEarlierChirp(journal, new Map([[NEW, OLD]]), new Map());
    for (const m of fake!.accepted)
      fake!.setStatus(m.id, m.recipient === 'Ada@x.com' ? 'delivery_failed' : 'delivered', { code: 470, description: 'gone' });
    const file = join(root, 'failed.csv');
    const status = await runCli(['status', '--journal', journal, '--failures', file], { cwd: root, env: env() });
    expect(status.code).toBe(1);
    expect(readFileSync(file, 'utf8')).toMatch(/^to,name,chirp_status,chirp_error_code,chirp_error_message\nAda@x\.com,Ada,failed,470,/);
  });

  it('a plan it saved (recipient as sent) is accepted, and sent, does not reach her again', async () => {
    const { root, journal } = await setUp('to,name\nAda@x.com,Ada\n');
    expect((await runCli(['plan', 'mail', '--data', 'rows.csv', '--out', 'plan.json'], { cwd: root })).code).toBe(0);
    const made = JSON.parse(readFileSync(join(root, 'plan.json'), 'utf8')) as SavedPlan;
    expect(made.requests[0]).toMatchObject({ recipient: 'ada@x.com', alias: 'Ada@x.com' });
    const { hash: _hash, ...rest } = made;
    const earlier = sealPlan({ ...rest, requests: rest.requests.map(({ alias: _alias, ...r }) => ({ ...r, recipient: 'Ada@x.com' })) });
    writeFileSync(join(root, 'earlier.json'), serializePlan(earlier));
    // The earlier chirp reached her from the data (keyed as written).
    expect((await send(root, journal)).code).toBe(0);
    asEarlierChirp(journal, new Map([[NEW, OLD]]), new Map([[requestHash('ada@x.com', 'Ada'), requestHash('Ada@x.com', 'Ada')]]));
    const sent = await runCli(['send', 'earlier.json', '--journal', journal, '--yes', '--format', 'json'], { cwd: root, env: env() });
    expect(sent.stderr).not.toMatch(/E_RECEIVER_INVALID/);
    expect(json(sent)).toMatchObject({ toSend: 0, alreadySent: 1 });
    // And this chirp's own plan, sent after the data run spelled otherwise, finds her too.
    writeFileSync(join(root, 'rows.csv'), 'to,name\nada@X.COM,Ada\n');
    const own = await runCli(['send', 'plan.json', '--journal', journal, '--yes', '--format', 'json'], { cwd: root, env: env() });
    expect(json(own)).toMatchObject({ toSend: 0, alreadySent: 1 });
    expect(fake!.accepted).toHaveLength(1);
  });
});
