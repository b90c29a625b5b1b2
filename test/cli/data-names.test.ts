// A data column that reads like an optional variable but is not spelled as it (`VIP`, `vip `, `vipp`,
// `Title`) left the variable absent: "Hi friend Ada." for a VIP, with no word from render, plan or send.
// Such a column now fails every row (E_COLUMN_NAME) naming the column and the variable; a column that
// reads like no variable (someone else's) stays silent.
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

const OFFER = `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  name: { type: string }
  vip: { type: boolean }
  title: { type: string, default: friend }
required: [phone, name]
body:
  type: text
  text:
    text: "Hi {{title}} {{name}}{{#if vip}}, VIP offer inside{{/if}}."
examples:
  - { phone: "+31612345678", name: Ada, vip: true, title: Dr }
`;

function catalog(data: Record<string, string>): string {
  const root = makeCatalog({ 'messages/offer.yaml': OFFER });
  for (const [name, text] of Object.entries(data)) writeFileSync(join(root, name), text);
  return root;
}

const texts = (stdout: string): string[] =>
  stdout
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { body: { text: { text: string } } }).body.text.text);

describe('a column that reads as an optional variable', () => {
  it.each([
    ['VIP', 'VIP', 'vip', 3],
    ['vip with a trailing space', 'vip ', 'vip', 3],
    ['vip with a no-break space', 'vip\u00a0', 'vip', 3],
    ['a typo of vip', 'vipp', 'vip', 3],
    ['Title', 'Title', 'title', 4],
  ])('render refuses every row (exit 1) for %s, naming the column and the variable', async (_, header, variable, column) => {
    const cells = ['+31612345670,Ada,true,Dr', '+31612345671,Bob,true,Mr'];
    const head = ['phone', 'name', 'vip', 'title'];
    head[column - 1] = header;
    const root = catalog({ 'rows.csv': `${head.join(',')}\n${cells.join('\n')}\n` });
    const result = await runCli(['render', 'offer', '--data', 'rows.csv'], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const shown = JSON.stringify(header).replace(/\\u00a0/, '\u00a0');
    for (const line of [2, 3])
      expect(result.stderr).toContain(
        `rows.csv:${line}:${column}  error  E_COLUMN_NAME  row ${line - 1}: the column ${shown} is no declared variable but reads as the variable "${variable}"`,
      );
    expect(result.stderr).toContain(`column ${column}, "${header}"`);
  });

  it('JSON keys the same: {"VIP": true} is refused', async () => {
    const root = catalog({ 'rows.json': '[{"phone":"+31612345670","name":"Ada","VIP":true}]' });
    const result = await runCli(['render', 'offer', '--data', 'rows.json'], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/E_COLUMN_NAME {2}row 1: the key "VIP" is no declared variable but reads as the variable "vip"/);
  });

  it('a refused column is named even when the row fails for a required variable too (Name for name)', async () => {
    const root = catalog({ 'rows.csv': 'phone,Name\n+31612345670,Ada\n' });
    const result = await runCli(['render', 'offer', '--data', 'rows.csv'], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/E_ROW_INVALID {2}row 1: name is required/);
    expect(result.stderr).toMatch(/E_COLUMN_NAME {2}row 1: the column "Name" is no declared variable but reads as the variable "name"/);
  });

  it('columns that read like no variable stay silent; a near miss of a variable the data has is another column', async () => {
    const root = catalog({
      'rows.csv': 'phone,name,names,vip,segment,id,notes\n+31612345670,Ada,x,true,gold,7,hi\n',
      'rows.json': '[{"phone":"+31612345670","name":"Ada","crm_id":3,"titles":"x"}]',
    });
    const csv = await runCli(['render', 'offer', '--data', 'rows.csv'], { cwd: root });
    expect(csv.stderr).toBe('');
    expect(texts(csv.stdout)).toEqual(['Hi friend Ada, VIP offer inside.']);
    expect(csv.code).toBe(0);
    // `titles` is one letter from `title`, which this row lacks: refused (the data may mean it).
    const json = await runCli(['render', 'offer', '--data', 'rows.json'], { cwd: root });
    expect(json.code).toBe(1);
    expect(json.stderr).toMatch(/the key "titles" is no declared variable but reads as the variable "title"/);
  });

  it('plan reports the rows as invalid and exits 1', async () => {
    const root = catalog({ 'rows.csv': 'phone,name,VIP\n+31612345670,Ada,true\n' });
    const result = await runCli(['plan', 'offer', '--data', 'rows.csv'], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/invalid rows +1/);
    expect(result.stdout).toMatch(/E_COLUMN_NAME/);
  });

  it('send --dry-run and send refuse; nothing reaches Bird', async () => {
    fake = await startFakeBird({ accessKey: CANARY_KEY });
    const root = catalog({ 'rows.csv': 'phone,name,vip \n+31612345670,Ada,true\n' });
    const env = { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY };
    const dry = await runCli(['send', 'offer', '--data', 'rows.csv', '--dry-run'], { cwd: root, env });
    expect(dry.stdout + dry.stderr).toMatch(/E_COLUMN_NAME/);
    expect(dry.code).toBe(1);
    const result = await runCli(['send', 'offer', '--data', 'rows.csv', '--journal', tempDir('chirp-journal-'), '--yes'], {
      cwd: root,
      env,
    });
    expect(result.stdout).toMatch(/E_COLUMN_NAME/);
    expect(result.stdout).toMatch(/nothing was sent/);
    expect(result.code).toBe(1);
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('on worker threads the rows fail with the same words as on one thread', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `+3162${String(i).padStart(7, '0')},P${i},true`);
    const root = catalog({ 'rows.csv': `phone,name,Vip\n${rows.join('\n')}\n` });
    const one = await runCli(['render', 'offer', '--data', 'rows.csv', '--threads', '1'], { cwd: root });
    const two = await runCli(['render', 'offer', '--data', 'rows.csv', '--threads', '2'], { cwd: root });
    expect(one.code).toBe(1);
    expect(one.stdout).toBe('');
    expect(one.stderr).toMatch(/rows\.csv:301:3 {2}error {2}E_COLUMN_NAME {2}row 300: the column "Vip"/);
    expect(two).toEqual(one);
  }, 60_000);
});
