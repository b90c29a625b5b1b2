// Issue 29, the data half: what an author's template, a data file or a server can do to what chirp
// sends, as the user or attacker meets it (the built CLI, the fake Bird answering that way).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { hasStackTrace, runCli } from '../helpers/cli.js';
import { makeCatalog } from '../helpers/catalog.js';
import { CANARY_KEY, report, sendEnv, type SendEnv } from '../helpers/send.js';

const message = (text: string, variables = '  name: { type: string }\n', extra = '') => `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
${variables}required: [phone]
body:
  type: text
  text:
    text: "${text}"
${extra}`;

const texts = (stdout: string): string[] =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { body: { text: { text: string } } }).body.text.text);

describe('{{@root.x}} and other @data names', () => {
  it('@root.name is the variable name: a typo is undeclared, and no false "unused" warning', async () => {
    const root = makeCatalog({ 'messages/m.yaml': message('Hi {{@root.name}}{{@root.nmae}}') });
    const result = await runCli(['validate'], { cwd: root });
    expect(result.stdout).toMatch(/E_VAR_UNDECLARED {2}variable "nmae" is used but not declared/);
    expect(result.stdout).not.toContain('W_VAR_UNUSED');
    expect(result.code).toBe(1);
  });

  it('a row without the value fails instead of rendering "Hi ,"', async () => {
    const root = makeCatalog({
      'messages/m.yaml': message('Hi {{@root.name}},'),
      'rows.csv': 'phone,name\n+31612345678,\n+31612345679,Bob\n',
    });
    const result = await runCli(['render', 'm', '--data', 'rows.csv'], { cwd: root });
    expect(texts(result.stdout)).toEqual(['Hi Bob,']);
    expect(result.stderr).toMatch(/rows\.csv:2:\d+ {2}error {2}E_VAR_MISSING {2}row 1: variable "name" is absent/);
    expect(result.code).toBe(1);
  });

  it('@root inside a loop reads the row, and is typed: an object printed as text is refused', async () => {
    const root = makeCatalog({
      'messages/m.yaml': message(
        '{{#each items}}{{@index}}:{{this}} for {{@root.name}} {{/each}}',
        '  name: { type: string }\n  items: { type: array }\n  address: { type: object }\n',
      ),
      'messages/obj.yaml': message('{{@root.address}}', '  address: { type: object }\n'),
      'rows.json': '[{"phone":"+31612345678","name":"Ada","items":["a","b"]}]',
    });
    const validate = await runCli(['validate'], { cwd: root });
    expect(validate.stdout).toMatch(/obj\.yaml.*E_VALUE_NOT_TEXT {2}variable "address" is declared as object/);
    const render = await runCli(['render', 'm', '--data', 'rows.json'], { cwd: root });
    expect(texts(render.stdout)).toEqual(['0:a for Ada 1:b for Ada ']);
  });

  it('{{@foo}} anywhere and {{@index}} outside a loop are errors, in a message and in a partial', async () => {
    const root = makeCatalog({
      'messages/foo.yaml': message('Hi {{name}} {{@foo}}'),
      'messages/index.yaml': message('Hi {{name}} {{@index}}'),
      'messages/loop.yaml': message('{{#each items}}{{@index}} {{/each}}{{#each items}}{{> row}}{{/each}}', '  items: { type: array }\n'),
      'messages/partial.yaml': message('Hi {{name}} {{> row}}'),
      'messages/_partials/row.hbs': '{{@key}}',
    });
    const result = await runCli(['validate'], { cwd: root });
    expect(result.stdout).toMatch(/foo\.yaml:\d+:\d+ {2}error {2}E_HBS_DATA {2}unknown data variable "\{\{@foo\}\}"/);
    expect(result.stdout).toMatch(/index\.yaml:\d+:\d+ {2}error {2}E_HBS_DATA {2}"\{\{@index\}\}" is outside any \{\{#each\}\}/);
    expect(result.stdout).toMatch(/partial\.yaml:\d+:\d+ {2}error {2}E_HBS_DATA {2}"\{\{@key\}\}" in partial "row" is outside/);
    expect(result.stdout).not.toMatch(/loop\.yaml/);
    expect(result.code).toBe(1);
  });
});

describe('numbers as the data wrote them', () => {
  const numberMessage = message('n={{n}}', '  n: { type: integer }\n  x: { type: number }\n');

  it('an integer column refuses 2^53+1, hex, binary and Infinity, naming row and column', async () => {
    const root = makeCatalog({
      'messages/m.yaml': numberMessage,
      'rows.csv':
        'phone,n\n+31612345671,9007199254740993\n+31612345672,0x10\n+31612345673,0b11\n+31612345674,Infinity\n+31612345675, 5\n+31612345676,42\n',
    });
    const result = await runCli(['render', 'm', '--data', 'rows.csv'], { cwd: root });
    expect(texts(result.stdout)).toEqual(['n=42']);
    expect(result.stdout).not.toMatch(/9007199254740992|n=16|n=3\b|Infinity/);
    expect(result.stderr).toMatch(/rows\.csv:2:\d+ {2}error {2}E_ROW_INVALID {2}row 1: n: 9007199254740993 is beyond 2\^53−1/);
    expect(result.stderr).toMatch(/row 2: n: "0x10" is not a decimal number/);
    expect(result.stderr).toMatch(/row 3: n: "0b11" is not a decimal number/);
    expect(result.stderr).toMatch(/row 4: n: "Infinity" is not a decimal number/);
    expect(result.stderr).toMatch(/row 5: n: " 5" is not a decimal number/);
    expect(result.code).toBe(1);
  });

  it('NDJSON and JSON numbers JSON.parse would change are row errors, not silently different', async () => {
    const root = makeCatalog({
      'messages/m.yaml': numberMessage,
      'rows.ndjson':
        '{"phone":"+31612345671","n":12345678901234567891}\n{"phone":"+31612345672","n":1,"x":1e-400}\n{"phone":"+31612345673","n":1,"x":1e400}\n{"phone":"+31612345674","n":7}\n',
      'rows.json': '[{"phone":"+31612345671","n":12345678901234567891},{"phone":"+31612345674","n":7}]',
    });
    const nd = await runCli(['render', 'm', '--data', 'rows.ndjson'], { cwd: root });
    expect(texts(nd.stdout)).toEqual(['n=7']);
    expect(nd.stdout).not.toContain('12345678901234567000');
    expect(nd.stderr).toMatch(/rows\.ndjson:1:\d+ {2}error {2}E_ROW_INVALID {2}row 1: n: 12345678901234567891 is beyond 2\^53−1/);
    expect(nd.stderr).toMatch(/rows\.ndjson:2:\d+ {2}error {2}E_ROW_INVALID {2}row 2: x: 1e-400 is too small/);
    expect(nd.stderr).toMatch(/rows\.ndjson:3:\d+ {2}error {2}E_ROW_INVALID {2}row 3: x: 1e400 is too large/);
    expect(nd.code).toBe(1);
    const json = await runCli(['render', 'm', '--data', 'rows.json'], { cwd: root });
    expect(texts(json.stdout)).toEqual(['n=7']);
    expect(json.stderr).toMatch(/row 1: n: 12345678901234567891 is beyond/);
  });

  it('a printed number prints as written (1.50, 007, 1e3), in text and as a template parameter', async () => {
    const root = makeCatalog({
      'messages/m.yaml': message(
        '{{price}} {{n}} {{e}} {{#with o}}{{v}}{{/with}}',
        '  price: { type: number }\n  n: { type: integer }\n  e: { type: number }\n  o: { type: object }\n',
      ),
      'rows.csv': 'phone,price,n,e,o.v\n+31612345671,1.50,007,1e3,2.10\n',
      'rows.ndjson': '{"phone":"+31612345671","price":1.50,"n":7,"e":1E3,"o":{"v":2.10}}\n',
    });
    const csv = await runCli(['render', 'm', '--data', 'rows.csv'], { cwd: root });
    expect(texts(csv.stdout)).toEqual(['1.50 007 1e3 2.10']);
    const nd = await runCli(['render', 'm', '--data', 'rows.ndjson'], { cwd: root });
    expect(texts(nd.stdout)).toEqual(['1.50 7 1E3 2.10']);
  });

  it('a string that looks like the internal marker is just a string', async () => {
    const root = makeCatalog({
      'messages/m.yaml': message('{{name}} {{x}}', '  name: { type: string }\n  x: { type: number }\n'),
      'rows.ndjson': '{"phone":"+31612345671","name":"\\u0000abc:5","x":1.50}\n',
    });
    const result = await runCli(['render', 'm', '--data', 'rows.ndjson'], { cwd: root });
    expect(result.stderr).toContain('E_CONTROL_CHAR');
    expect(result.stdout).toBe('');
  });
});

describe('a template that doubles through partials', () => {
  function bomb(leaf: string): string {
    const files: Record<string, string> = {
      'messages/bomb.yaml': message('Hi {{> p1}}', '', 'examples:\n  - { phone: "+31612345678" }\n'),
    };
    for (let i = 1; i < 40; i++) files[`messages/_partials/p${i}.hbs`] = `{{> p${i + 1}}}{{> p${i + 1}}}`;
    files['messages/_partials/p40.hbs'] = leaf;
    files['rows.csv'] = 'phone\n+31612345678\n';
    return makeCatalog(files);
  }

  it.each([
    ['text that doubles', 'ab'],
    ['calls that double (nothing printed)', ''],
  ])('stops with E_RENDER_TOO_LARGE naming the message in validate, render, plan and preview: %s', async (_name, leaf) => {
    const root = bomb(leaf);
    for (const args of [['validate'], ['render', 'bomb', '--data', 'rows.csv'], ['plan', 'bomb', '--data', 'rows.csv']]) {
      const result = await runCli(args, { cwd: root, timeoutMs: 20_000 });
      expect(result.stdout + result.stderr, args[0]).toMatch(/E_RENDER_TOO_LARGE .*message "bomb"/);
      expect(result.code, args[0]).not.toBe(0);
      expect(hasStackTrace(result.stderr)).toBe(false);
    }
    const site = join(root, 'site');
    const preview = await runCli(['preview', 'bomb', '--data', 'rows.csv', '--out', site], { cwd: root, timeoutMs: 20_000 });
    expect(preview.code).toBe(0);
    expect(readFileSync(join(site, 'm/bomb.html'), 'utf8')).toMatch(/E_RENDER_TOO_LARGE/);
  });

  it('one big rendered value is bounded too', async () => {
    const root = makeCatalog({
      'messages/m.yaml': message(
        '{{#each items}}{{@root.name}}{{@root.name}}{{/each}}',
        '  name: { type: string }\n  items: { type: array }\n',
      ),
      'rows.json': JSON.stringify([{ phone: '+31612345678', name: 'x'.repeat(1000), items: Array.from({ length: 100 }, () => 1) }]),
    });
    const result = await runCli(['render', 'm', '--data', 'rows.json'], { cwd: root });
    expect(result.stderr).toMatch(/E_RENDER_TOO_LARGE {2}row 1: message "m": the template renders more than 65536 characters/);
  });
});

describe('the key in other spellings', () => {
  let env: SendEnv | undefined;
  afterEach(async () => {
    await env?.fake.close();
    env = undefined;
  });

  const spellings = (key: string): string[] => [
    key,
    key.toUpperCase(),
    encodeURIComponent(`AccessKey ${key}`),
    Buffer.from(key).toString('base64'),
    Buffer.from(`AccessKey ${key}`).toString('base64').slice(16, 40),
    key.slice(0, 12),
  ];

  it.each(['url', 'base64', 'upper', 'prefix'] as const)(
    'a server echoing the key %s: not on stdout, stderr, the report, the failures file or the journal',
    async (spelling) => {
      env = await sendEnv(4);
      env.fake.faults.set('any', { kind: 'echo', status: 422, spelling });
      const files = [join(env.root, 'failures.csv'), join(env.root, 'report.json')];
      const text = await env.send(['--batch-size', '2', '--failures', files[0]!, '--report', files[1]!]);
      expect(existsSync(files[0]!), `${text.stdout}\n${text.stderr}`).toBe(true);
      const json = await env.send(['--batch-size', '2', '--format', 'json']);
      expect(report(json).failed).toBe(4);
      const everything =
        text.stdout + text.stderr + json.stdout + json.stderr + env.journalText() + files.map((f) => readFileSync(f, 'utf8')).join('');
      expect(everything).toContain('[redacted]');
      for (const s of spellings(CANARY_KEY)) expect(everything.toLowerCase()).not.toContain(s.toLowerCase());
    },
  );

  it('the journal keeps a code and a bounded message, no server details', async () => {
    env = await sendEnv(2);
    env.fake.faults.set('any', {
      kind: 'raw',
      status: 422,
      body: JSON.stringify({ code: 'X '.repeat(100), message: 'y'.repeat(5000), details: { a: ['z'] } }),
    });
    await env.send(['--format', 'json']);
    const outcomes = env
      .journalText()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { t: string; code?: string; message?: string; details?: unknown })
      .filter((r) => r.t === 'outcome');
    expect(outcomes.length).toBeGreaterThan(0);
    for (const o of outcomes) {
      expect(o.details).toBeUndefined();
      expect(o.code!.length).toBeLessThanOrEqual(64);
      expect(o.code).not.toContain(' ');
      expect(o.message!.length).toBeLessThanOrEqual(200);
    }
  });
});

describe('a run against another API origin', () => {
  let env: SendEnv | undefined;
  let other: FakeBird | undefined;
  afterEach(async () => {
    await env?.fake.close();
    await other?.close();
    env = other = undefined;
  });

  it('says so before the first request, in every format, naming both origins, and the report records it', async () => {
    env = await sendEnv(3);
    expect(report(await env.send(['--format', 'json'])).accepted).toBe(3);
    other = await startFakeBird({ accessKey: CANARY_KEY });
    const there = { env: { BIRD_API_URL: other.url } };
    const first = new URL(env.fake.url).origin;
    const second = new URL(other.url).origin;
    const warning = new RegExp(
      `chirp: warning: the journal has run \\S+ of notice with the same data sent to ${first}; this run sends to ${second}`,
    );
    // A dry run says it too: before anything could be sent.
    const dry = await env.send(['--format', 'json', '--dry-run'], there);
    expect(dry.stderr).toMatch(warning);
    expect(other.accepted).toHaveLength(0);
    const text = await env.send(['--dry-run'], there);
    expect(text.stderr).toMatch(warning);
    expect(text.stdout).toMatch(new RegExp(`other origin +run \\S+ sent the same message and data to ${first}`));
    // Under --yes only when the user says it is another Bird (test/cli/other-origin.test.ts: refused without).
    const json = await env.send(['--format', 'json', '--new-origin'], there);
    expect(json.stderr).toMatch(warning);
    const r = report(json) as unknown as { otherOrigins: { apiOrigin: string }[]; accepted: number; apiOrigin: string };
    expect(r).toMatchObject({ accepted: 3, apiOrigin: second, otherOrigins: [{ apiOrigin: first }] });
    // Back at the first origin: its own run is found, nothing to say.
    const back = await env.send(['--format', 'json']);
    expect(back.stderr).not.toContain('warning');
    expect(report(back).alreadySent).toBe(3);
  });
});
