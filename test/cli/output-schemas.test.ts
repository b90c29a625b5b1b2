// Every JSON a command prints has a schema a consumer can validate against (schemas/<command>-output.schema.json,
// shipped in the package): the real output of the built CLI, in its ordinary and its unhappy shapes, validates
// against it. The schemas are strict (no unknown properties), so a field added to the output without the schema
// fails here.
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { render } from '../../src/index.js';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { validatorFor } from '../../src/schema/index.js';
import { makeCatalog } from '../helpers/catalog.js';
import { REPO, runCli, type CliResult } from '../helpers/cli.js';
import { CANARY_KEY, sendEnv, type SendEnv } from '../helpers/send.js';
import { tempDir } from '../helpers/temp.js';

const TEMPLATES = fileURLToPath(new URL('../fixtures/templates/bird/', import.meta.url));
const WELCOME = `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  first_name: { type: string, minLength: 1 }
  trial_days: { type: integer }
required: [phone, first_name, trial_days]
template:
  projectId: 3d5f2a10-0000-4000-8000-00000000c0de
  version: latest
  locale: en
  parameters:
    - { type: string, key: first_name, value: "{{first_name}}" }
    - { type: number, key: trial_days, value: "{{trial_days}}" }
examples:
  - { phone: "+31612345678", first_name: Ada, trial_days: 14 }
`;

/** The output validates against schemas/<name>.schema.json; on failure, ajv's errors say where. */
function expectValid(name: string, value: unknown): void {
  const validate = validatorFor(name);
  const ok = validate(value);
  expect(ok ? [] : validate.errors, `${name}: ${JSON.stringify(value).slice(0, 300)}`).toEqual([]);
}

const json = (r: CliResult): unknown => JSON.parse(r.stdout);

let env: SendEnv | undefined;
let fake: FakeBird | undefined;
afterEach(async () => {
  await env?.fake.close();
  await fake?.close();
  env = undefined;
  fake = undefined;
});

describe('the JSON each command prints validates against its schema', () => {
  it('validate --format json: a clean catalog, and one with errors and warnings', async () => {
    const clean = await runCli(['validate', '--format', 'json']);
    expect(clean.code).toBe(0);
    expectValid('validate-output', json(clean));
    const invalid = join(REPO, 'test/fixtures/invalid');
    const files = readdirSync(invalid)
      .filter((f) => f.endsWith('.yaml') && f !== 'chirp.config.yaml')
      .map((f) => join(invalid, f));
    const broken = await runCli(['validate', '--config', join(invalid, 'chirp.config.yaml'), '--format', 'json', ...files]);
    expect(broken.code).toBe(1);
    const output = json(broken) as { errors: number; warnings: number; diagnostics: unknown[] };
    expect(output.errors).toBeGreaterThan(10);
    expect(output.warnings).toBeGreaterThan(0);
    expectValid('validate-output', output);
  });

  it('render: every line of every message of the example catalog is one request', async () => {
    // The lines the CLI prints are the items' `json`, unchanged: one spawn shows it, the library renders the rest.
    const spawned = await runCli(['render', 'orders/shipped']);
    expect(spawned.code, spawned.stderr).toBe(0);
    for (const line of spawned.stdout.split('\n').filter((l) => l !== '')) expectValid('render-output', JSON.parse(line));
    const ids = (dir: string): string[] =>
      readdirSync(join(REPO, 'messages', dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? ids(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name).replace(/\.yaml$/, '')] : [],
      );
    const messages = ['orders', 'releases', 'onboarding', 'bird'].flatMap(ids);
    expect(messages.length).toBeGreaterThan(20);
    let lines = 0;
    for (const id of messages) {
      const { items } = await render({ cwd: REPO, message: id });
      for await (const item of items) {
        expect(item.kind, id).toBe('request');
        if (item.kind === 'request') expectValid('render-output', JSON.parse(item.json));
        lines++;
      }
    }
    expect(lines).toBeGreaterThanOrEqual(messages.length);
  });

  it('send --format json (and --report): dry run, complete, refused, and a run with failures and invalid rows', async () => {
    env = await sendEnv(6);
    const dry = await env.send(['--dry-run', '--format', 'json']);
    expect(json(dry)).toMatchObject({ status: 'dry-run' });
    expectValid('send-output', json(dry));
    const report = join(tempDir('chirp-report-'), 'report.json');
    const sent = await env.send(['--batch-size', '2', '--format', 'json', '--report', report]);
    expect(json(sent)).toMatchObject({ status: 'complete', accepted: 6 });
    expectValid('send-output', json(sent));
    expectValid('send-output', JSON.parse(readFileSync(report, 'utf8')));
    // Everyone already sent: nothing to send, with samples.
    const again = await env.send(['--format', 'json']);
    expect(json(again)).toMatchObject({ status: 'nothing-to-send', alreadySent: 6 });
    expectValid('send-output', json(again));
    // Invalid rows refuse the run, with diagnostics as samples.
    writeFileSync(env.data, 'phone,name\n+31620000001,\nnot-a-number,Bob\n');
    const refused = await env.send(['--format', 'json']);
    expect(refused.code).toBe(1);
    expect(json(refused)).toMatchObject({ status: 'refused', invalid: 2 });
    expectValid('send-output', json(refused));
  });

  it('send --format json with a failing Bird: failures and failure groups', async () => {
    env = await sendEnv(4, { validate: () => ({ ok: false, details: { body: ['refused by the test'] } }) });
    const failed = await env.send(['--batch-size', '1', '--format', 'json']);
    const output = json(failed) as { failures: unknown[]; failureGroups: unknown[] };
    expect(output.failures.length + output.failureGroups.length).toBeGreaterThan(0);
    expectValid('send-output', output);
  });

  it('send --dry-run --format json of a template message carries the template preflight', async () => {
    fake = await startFakeBird({ accessKey: CANARY_KEY, templates: TEMPLATES });
    const root = makeCatalog({ 'messages/welcome.yaml': WELCOME, 'rows.csv': 'phone,first_name,trial_days\n+31612345678,Ada,14\n' });
    const cli = (args: string[]) => runCli(args, { cwd: root, env: { BIRD_API_URL: fake!.url, BIRD_ACCESS_KEY: CANARY_KEY } });
    expect((await cli(['templates', 'pull'])).code).toBe(0);
    const dry = await cli([
      'send',
      'welcome',
      '--data',
      'rows.csv',
      '--dry-run',
      '--format',
      'json',
      '--journal',
      tempDir('chirp-journal-'),
    ]);
    expect(dry.stdout, dry.stderr).not.toBe('');
    expect(json(dry)).toMatchObject({ status: 'dry-run', templates: { mode: 'skipped' } });
    expectValid('send-output', json(dry));
  });

  it('status --format json, with --interactions, --reconcile and --replies', async () => {
    env = await sendEnv(4);
    await env.send(['--batch-size', '2']);
    for (const m of env.fake.accepted.slice(0, 2)) env.fake.setStatus(m.id, 'delivery_failed', { code: 7, description: 'gone' });
    const channelId = env.fake.accepted[0]!.channelId;
    env.fake.addInbound({ from: env.fake.accepted[0]!.recipient!, channelId, text: 'STOP' });
    env.fake.addInbound({ from: env.fake.accepted[1]!.recipient!, channelId, text: 'stop it please' });
    const cliEnv = { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: CANARY_KEY };
    for (const extra of [[], ['--interactions'], ['--reconcile'], ['--replies'], ['--replies', '--reveal']]) {
      const result = await runCli(['status', '--journal', env.journal, '--format', 'json', ...extra], { cwd: env.root, env: cliEnv });
      expect(result.stdout, result.stderr).not.toBe('');
      expectValid('status-output', json(result));
    }
  });

  it('journal check --format json: a sound folder and a damaged one', async () => {
    env = await sendEnv(3);
    await env.send([]);
    const check = () => runCli(['journal', 'check', '--journal', env!.journal, '--format', 'json'], { cwd: env!.root });
    const sound = await check();
    expect(sound.code).toBe(0);
    expectValid('journal-check-output', json(sound));
    const file = readdirSync(env.journal).find((f) => f.endsWith('.ndjson'))!;
    const text = readFileSync(join(env.journal, file), 'utf8').split('\n');
    text[1] = text[1]!.replace(/"c":"./, '"c":"_');
    writeFileSync(join(env.journal, file), text.join('\n'));
    writeFileSync(join(env.journal, 'junk.ndjson'), 'not json\n');
    const damaged = await check();
    expect(damaged.code).toBe(1);
    expect(json(damaged)).toMatchObject({ damaged: 2 });
    expectValid('journal-check-output', json(damaged));
  });

  it('templates pull --format json: a full pull, and one with a project Bird does not have', async () => {
    fake = await startFakeBird({ accessKey: CANARY_KEY, templates: TEMPLATES });
    const root = makeCatalog({
      'messages/welcome.yaml': WELCOME,
      'messages/ghost.yaml': WELCOME.replace('3d5f2a10-0000-4000-8000-00000000c0de', '99999999-0000-4000-8000-000000000000'),
    });
    const pulled = await runCli(['templates', 'pull', '--format', 'json'], {
      cwd: root,
      env: { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
    });
    expect(pulled.code).toBe(1);
    expect((json(pulled) as { problems: unknown[] }).problems).toHaveLength(1);
    expectValid('templates-pull-output', json(pulled));
  });

  it('the schemas are strict: an extra or missing field is refused (the checks above can fail)', () => {
    expect(validatorFor('validate-output')({ version: 1, files: 0, errors: 0, warnings: 0, diagnostics: [], extra: 1 })).toBe(false);
    expect(validatorFor('journal-check-output')({ version: 1, dir: '.', files: [] })).toBe(false);
    expect(validatorFor('render-output')({ body: { type: 'text', text: { text: 'hi' } } })).toBe(false);
  });

  it('validate --coverage --format json: the coverage table', async () => {
    const result = await runCli(['validate', '--coverage', '--format', 'json']);
    expect(result.code).toBe(0);
    const value = json(result) as { coverage?: unknown[] };
    expect(value.coverage?.length).toBeGreaterThan(0);
    expectValid('validate-output', value);
  });

  it('every schemas/*-output.schema.json is validated against real output by some test', () => {
    const tests = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? tests(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [readFileSync(join(dir, e.name), 'utf8')] : [],
      );
    const text = tests(join(REPO, 'test')).join('\n');
    const outputs = readdirSync(join(REPO, 'schemas'))
      .filter((f) => f.endsWith('-output.schema.json'))
      .map((f) => f.replace(/\.schema\.json$/, ''));
    expect(outputs.filter((name) => !text.includes(`'${name}'`))).toEqual([]);
  });
});
