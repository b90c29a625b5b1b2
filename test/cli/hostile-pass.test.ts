// An adversarial pass through the built CLI: what a user's data and a message author's template
// could still turn into a blank greeting or a duplicate message.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { makeCatalog, RECEIVER, TEST_CONFIG } from '../helpers/catalog.js';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { recipientKey } from '../../src/send/keys.js';
import { parseRecord, recordLine, type JournalRecord } from '../../src/journal/records.js';
import { CANARY_KEY, sendEnv, untilRequests } from '../helpers/send.js';
import { tempDir } from '../helpers/temp.js';
import { sealPlan, serializePlan, type SavedPlan } from '../../src/saved-plan/index.js';

let fake: FakeBird | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const GREET = `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  name: { type: string }
required: [phone, name]
body:
  type: text
  text:
    text: "Hi {{name}}, welcome"
examples:
  - { phone: "+31612345678", name: Ada }
`;

const TEMPLATE = `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  nick: { type: string }
required: [phone]
template:
  projectId: ce6a2fd6-b2fa-4f5a-a2cd-f3bd15883318
  version: latest
  locale: en
  parameters:
    - { type: string, key: name, value: "{{#if nick}}{{nick}}{{/if}}" }
examples:
  - { phone: "+31612345678", nick: Ada }
`;

describe('blanks that look like values', () => {
  it('a name of a zero-width space, a bidi mark or a Hangul filler fails its row instead of sending "Hi ,"', async () => {
    const root = makeCatalog({ 'messages/greet.yaml': GREET });
    writeFileSync(join(root, 'rows.csv'), 'phone,name\n+31612345678,\u200b\n+31612345679,\u200e\n+31612345670,\u3164\n+31612345671,Ada\n');
    const result = await runCli(['render', 'greet', '--data', 'rows.csv'], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stderr.match(/E_VAR_MISSING {2}row \d: variable "name" is empty/g)).toHaveLength(3);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toContain('Hi Ada, welcome');
  });

  it('a template parameter whose {{#if}} printed nothing stops the send before anything leaves (E_RENDERED_BLANK)', async () => {
    fake = await startFakeBird({ accessKey: CANARY_KEY });
    const root = makeCatalog({ 'messages/tpl.yaml': TEMPLATE });
    writeFileSync(join(root, 'rows.csv'), 'phone,nick\n+31612345678,Bo\n+31612345679,\n');
    const result = await runCli(['send', 'tpl', '--data', 'rows.csv', '--yes'], {
      cwd: root,
      env: { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
    });
    expect(result.stdout).toMatch(/rows\.csv:3:\d+ {2}error {2}E_RENDERED_BLANK {2}row 2: \/template\/parameters\/0\/value renders empty/);
    expect(result.stdout).toMatch(/nothing was sent/);
    expect(result.code).toBe(1);
    expect(fake.accepted).toHaveLength(0);
  });
});

describe('a header pasted with an invisible character', () => {
  it('names the column and shows what hides in it, instead of "no phone column; its columns: phone"', async () => {
    const root = makeCatalog({ 'messages/greet.yaml': GREET });
    writeFileSync(join(root, 'rows.csv'), 'phone\u200b,name\n+31612345670,Ada\n');
    const result = await runCli(['render', 'greet', '--data', 'rows.csv'], { cwd: root });
    expect(result.stderr).toContain(
      'its columns: phone\\u200b, name; column 1 is "phone\\u200b" (with spaces or invisible characters): remove them from the header',
    );
    expect(result.code).toBe(1);
  });
});

describe('wrong words', () => {
  it('{{#if vip}} with a CSV cell "false" (vip untyped) stops the run instead of sending the VIP text', async () => {
    const root = makeCatalog({
      'messages/vip.yaml': `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  vip: {}
body:
  type: text
  text: { text: "Hi{{#if vip}} VIP, 50% off{{else}}, 5% off{{/if}}" }
examples:
  - { phone: "+31612345678", vip: true }
  - { phone: "+31612345679", vip: false }
`,
    });
    expect((await runCli(['validate', 'vip'], { cwd: root })).code).toBe(0);
    writeFileSync(join(root, 'rows.csv'), 'phone,vip\n+31612345670,false\n+31612345671,true\n');
    const result = await runCli(['render', 'vip', '--data', 'rows.csv'], { cwd: root });
    expect(result.stderr).toMatch(/rows\.csv:2:2 {2}error {2}E_CONDITION_TEXT {2}row 1: \{\{#if vip\}\} is given the text "false"/);
    expect(result.stdout).not.toMatch(/"\+31612345670"/);
    expect(result.code).toBe(1);
  });
});

describe('a receiver: message and the same person in other spellings', () => {
  it("an opted-out number written nationally is suppressed by the message's own defaultCountry, not read as the config's", async () => {
    const root = makeCatalog({
      'chirp.config.yaml': `${TEST_CONFIG}defaultCountry: NL\nsuppress: [optouts.txt]\n`,
      'optouts.txt': '+442071838750\n',
      'messages/uk.yaml': RECEIVER.replace('defaultCountry: NL', 'defaultCountry: GB'),
      'rows.csv': 'phone,name\n020 7183 8750,Ada\n020 7183 8751,Bo\n',
    });
    const result = await runCli(['render', 'uk', '--data', 'rows.csv'], { cwd: root });
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toContain('"+442071838751"');
    expect(result.stderr).toMatch(/1 row suppressed/);
  });

  const env = () => ({ BIRD_API_URL: fake!.url, BIRD_ACCESS_KEY: CANARY_KEY });

  it('is sent once, in E.164, and a resume after the data was re-spelled and re-ordered sends nothing', async () => {
    fake = await startFakeBird({ accessKey: CANARY_KEY });
    const root = makeCatalog({ 'messages/rcv.yaml': RECEIVER });
    const journal = tempDir('chirp-journal-');
    const send = () =>
      runCli(['send', 'rcv', '--data', 'rows.csv', '--journal', journal, '--yes', '--format', 'json'], { cwd: root, env: env() });
    writeFileSync(
      join(root, 'rows.csv'),
      'phone,name\n+31612345678,Ada\n+31 6 1234 5678,Ada\n0031612345678,Ada\n06 12345678,Ada\n06 12345679,Bo\n',
    );
    const first = await send();
    expect(first.code).toBe(0);
    expect(fake.accepted.map((m) => m.recipient).sort()).toEqual(['+31612345678', '+31612345679']);
    writeFileSync(join(root, 'rows.csv'), 'phone,name\n+31 6 12345679,Bo\n06-1234-5678,Ada\n');
    const second = await send();
    expect(JSON.parse(second.stdout)).toMatchObject({ alreadySent: 2, accepted: 0 });
    expect(fake.accepted).toHaveLength(2);
  });

  it('a run of an earlier chirp, which keyed the number as written, still counts: nobody is sent twice', async () => {
    fake = await startFakeBird({ accessKey: CANARY_KEY });
    const root = makeCatalog({ 'messages/rcv.yaml': RECEIVER });
    const journal = tempDir('chirp-journal-');
    writeFileSync(join(root, 'rows.csv'), 'phone,name\n+31612345678,Ada\n');
    const send = () =>
      runCli(['send', 'rcv', '--data', 'rows.csv', '--journal', journal, '--yes', '--format', 'json'], { cwd: root, env: env() });
    expect((await send()).code).toBe(0);
    // What an earlier chirp journalled for the data spelling the number "06 12345678": its key as written.
    const file = join(
      journal,
      readdirSync(journal).find((f) => f.endsWith('.ndjson'))!,
    );
    const records = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => parseRecord(line)!);
    const old = recipientKey('rcv', '06 12345678', 1);
    const rewritten = records.map((r): JournalRecord => (r.t === 'intent' ? { ...r, keys: [old] } : r));
    writeFileSync(file, `${rewritten.map((r) => recordLine(r)).join('\n')}\n`);
    writeFileSync(join(root, 'rows.csv'), 'phone,name\n06 12345678,Ada\n');
    const again = await send();
    expect(JSON.parse(again.stdout)).toMatchObject({ alreadySent: 1, toSend: 0 });
    expect(again.code).toBe(0);
    expect(fake.accepted).toHaveLength(1);
  });
});

describe('a run that sends nothing but leaves someone out', () => {
  it('with every row held back as unknown, says incomplete (not nothing-to-send) and exits 1', async () => {
    fake = await startFakeBird({ accessKey: CANARY_KEY });
    const root = makeCatalog({ 'messages/greet.yaml': GREET });
    const journal = tempDir('chirp-journal-');
    writeFileSync(join(root, 'rows.csv'), 'phone,name\n+31612345678,Ada\n+31612345679,Bo\n');
    const send = () =>
      runCli(['send', 'greet', '--data', 'rows.csv', '--journal', journal, '--yes', '--format', 'json'], {
        cwd: root,
        env: { BIRD_API_URL: fake!.url, BIRD_ACCESS_KEY: CANARY_KEY },
      });
    fake.faults.push({ kind: 'reset-after', times: 1 });
    const first = await send();
    expect(JSON.parse(first.stdout)).toMatchObject({ status: 'incomplete', unknown: 2 });
    const again = await send();
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'incomplete', unknownSkipped: 2, toSend: 0 });
    expect(again.code).toBe(1);
  });
});

describe('a saved plan of the examples', () => {
  it('plan --out without --data is refused: a plan of the examples would message the example numbers', async () => {
    const root = makeCatalog({ 'messages/greet.yaml': GREET });
    const made = await runCli(['plan', 'greet', '--out', 'plan.json'], { cwd: root });
    expect(made.code).toBe(2);
    expect(made.stderr).toMatch(/--out\) is for sending: give --data FILE/);
    expect(made.stderr).toContain('E_USAGE');
    expect(existsSync(join(root, 'plan.json'))).toBe(false);
  });

  it('a plan an earlier chirp made of the examples is refused by send; nothing is sent', async () => {
    fake = await startFakeBird({ accessKey: CANARY_KEY });
    const root = makeCatalog({ 'messages/greet.yaml': GREET });
    writeFileSync(join(root, 'rows.csv'), 'phone,name\n+31612345679,Bo\n');
    expect((await runCli(['plan', 'greet', '--data', 'rows.csv', '--out', 'plan.json'], { cwd: root })).code).toBe(0);
    // What `plan greet --out` wrote before: the example row's request, `inputs.data: "examples"`, sealed.
    const made = JSON.parse(readFileSync(join(root, 'plan.json'), 'utf8')) as SavedPlan;
    const { hash: _hash, ...rest } = made;
    const example = sealPlan({
      ...rest,
      inputs: { ...rest.inputs, data: 'examples' },
      requests: rest.requests.map((r) => ({
        ...r,
        recipient: '+31612345678',
        body: { ...r.body, receiver: { contacts: [{ identifierValue: '+31612345678' }] } },
      })),
    });
    writeFileSync(join(root, 'examples.json'), serializePlan(example));
    const sent = await runCli(['send', 'examples.json', '--yes'], {
      cwd: root,
      env: { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
    });
    expect(sent.stderr).toMatch(/was made from the message's examples, not from data/);
    expect(sent.stderr).toContain('E_PLAN_FILE');
    expect(sent.code).toBe(2);
    expect(fake.accepted).toHaveLength(0);
  });
});

describe('a JSON row that names a key twice', () => {
  it('is refused (E_DATA), never sent to the last of its two numbers', async () => {
    const root = makeCatalog({ 'messages/greet.yaml': GREET });
    writeFileSync(join(root, 'rows.ndjson'), '{"phone":"+31612345670","name":"Ada","phone":"+31612345671"}\n');
    const result = await runCli(['render', 'greet', '--data', 'rows.ndjson'], { cwd: root });
    expect(result.stderr).toMatch(/rows\.ndjson:1:\d+ {2}error {2}E_DATA {2}line 1 is not valid JSON: the key "phone" appears twice/);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(2);
  });
});

describe('two sends of one message at once, from two spellings of the list', () => {
  it('the second is refused while the first runs (the lock is per message and destination, not per file); each person gets one', async () => {
    const env = await sendEnv(200);
    fake = env.fake;
    env.fake.faults.set('batch', { kind: 'latency', ms: 200 });
    // The same people, re-spelled (0031 6 …) and in reverse order: another data file, another hash.
    const lines = readFileSync(env.data, 'utf8').trim().split('\n').slice(1).reverse();
    writeFileSync(join(env.root, 'other.csv'), `phone,name\n${lines.map((l) => l.replace(/^\+31/, '0031 ')).join('\n')}\n`);
    const first = env.spawn(['--batch-size', '10', '--concurrency', '1']);
    await untilRequests(env.fake, 1, (r) => r.method === 'POST');
    const second = await runCli(['send', 'notice', '--data', 'other.csv', '--journal', env.journal, '--yes', '--format', 'json'], {
      cwd: env.root,
      env: { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
    });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/in use by process/);
    env.fake.faults.set('batch', null);
    expect((await first.done).code).toBe(0);
    const third = await runCli(['send', 'notice', '--data', 'other.csv', '--journal', env.journal, '--yes', '--format', 'json'], {
      cwd: env.root,
      env: { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
    });
    expect(JSON.parse(third.stdout)).toMatchObject({ alreadySent: 200, toSend: 0 });
    expect(env.counts().size).toBe(200);
    expect([...env.counts().values()].every((n) => n === 1)).toBe(true);
  });
});
