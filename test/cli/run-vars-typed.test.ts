// A --vars file is YAML or JSON: `version: 1.10` was read as the number 1.1 and, for a `type: string`
// variable, coerced to "1.1" ("chirp 1.1 is out"); `0x1F` became "31", `1e3` "1000". A JSON data file's
// number for a string variable is refused (E_ROW_INVALID): the --vars file's now is too (E_VARS_FILE),
// naming the file and the key, before anything renders or is sent. And `--var v=1 --var v=2` is refused.
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { makeCatalog } from '../helpers/catalog.js';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { CANARY_KEY } from '../helpers/send.js';
import { tempDir } from '../helpers/temp.js';

let fake: FakeBird | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const RELEASE = `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  version: { type: string }
  count: { type: integer }
required: [phone, version]
body:
  type: text
  text:
    text: "chirp {{version}} is out{{#if count}} ({{count}} fixes){{/if}}"
`;

function catalog(files: Record<string, string>): string {
  const root = makeCatalog({ 'messages/release.yaml': RELEASE });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  writeFileSync(join(root, 'rows.csv'), 'phone\n+31612345670\n');
  return root;
}

const text = (stdout: string): string => (JSON.parse(stdout.trim()) as { body: { text: { text: string } } }).body.text.text;

describe('a --vars value of a type its variable does not declare', () => {
  it.each([
    ['vars.yaml', 'version: 1.10\n', 'the number 1.1'],
    ['vars.yaml', 'version: 0x1F\n', 'the number 31'],
    ['vars.yaml', 'version: 1e3\n', 'the number 1000'],
    ['vars.yaml', 'version: true\n', 'true'],
    ['vars.json', '{"version": 1.10}', 'the number 1.1'],
  ])('%s %j is refused (E_VARS_FILE, exit 2) naming the file and the key; render prints nothing', async (name, body, shown) => {
    const root = catalog({ [name]: body });
    for (const data of [['--data', 'rows.csv'], []]) {
      const result = await runCli(['render', 'release', ...data, '--vars', name], { cwd: root });
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`E_VARS_FILE`);
      expect(result.stderr).toContain(`${name}: "version" is ${shown}, but the variable is declared type: string`);
      expect(result.code).toBe(2);
    }
  });

  it('quoted text and a number for a number variable render as written', async () => {
    const root = catalog({ 'vars.yaml': 'version: "1.10"\ncount: 3\n' });
    const result = await runCli(['render', 'release', '--data', 'rows.csv', '--vars', 'vars.yaml'], { cwd: root });
    expect(result.stderr).toBe('');
    expect(text(result.stdout)).toBe('chirp 1.10 is out (3 fixes)');
    expect(result.code).toBe(0);
    const flag = await runCli(['render', 'release', '--data', 'rows.csv', '--var', 'version=1.10'], { cwd: root });
    expect(text(flag.stdout)).toBe('chirp 1.10 is out');
  });

  it('plan and send refuse the same way; nothing reaches Bird', async () => {
    const root = catalog({ 'vars.yaml': 'version: 1.10\n' });
    const plan = await runCli(['plan', 'release', '--data', 'rows.csv', '--vars', 'vars.yaml'], { cwd: root });
    expect(plan.stdout + plan.stderr).toContain('vars.yaml: "version" is the number 1.1');
    expect(plan.code).not.toBe(0);
    fake = await startFakeBird({ accessKey: CANARY_KEY });
    const env = { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY };
    const send = await runCli(
      ['send', 'release', '--data', 'rows.csv', '--vars', 'vars.yaml', '--journal', tempDir('chirp-journal-'), '--yes'],
      {
        cwd: root,
        env,
      },
    );
    expect(send.stdout + send.stderr).toContain('E_VARS_FILE');
    expect(send.code).not.toBe(0);
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });
});

describe('--var given twice', () => {
  it('is a usage error naming the variable (exit 2), not the last one winning', async () => {
    const root = catalog({});
    const result = await runCli(['render', 'release', '--data', 'rows.csv', '--var', 'version=v1', '--var', 'version=v2'], { cwd: root });
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--var version is given twice');
    expect(result.code).toBe(2);
  });
});
