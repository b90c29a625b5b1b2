// `{{#if (eq plan "pro")}}` with the cell `pro ` (a trailing space) would take the other branch silently:
// the customer gets the wrong words. It fails its row instead (E_CONDITION_VALUE), naming the row, the
// field and both values, in render, plan and send (nothing sent), on one thread and on workers.
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

const PLAN = `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  plan: { type: string }
required: [phone, plan]
body:
  type: text
  text:
    text: "Hi{{#if (eq plan \\"pro\\")}}, your Pro plan renews{{else}}, upgrade to Pro{{/if}}"
examples:
  - { phone: "+31612345678", plan: pro }
  - { phone: "+31612345679", plan: basic }
`;

const SPACE =
  /rows\.csv:2:2 {2}error {2}E_CONDITION_VALUE {2}row 1: \(eq plan "pro"\) compares "pro " with "pro": they differ only in spaces or invisible characters, so the row would silently take the other branch; clean the data, or compare \(trim plan\)/;

function catalog(): string {
  const root = makeCatalog({ 'messages/renew.yaml': PLAN });
  writeFileSync(join(root, 'rows.csv'), 'phone,plan\n+31612345670,pro \n+31612345671,pro\n+31612345672,Pro\n+31612345673,basic\n');
  return root;
}

describe('eq with a value that reads the same but is not equal', () => {
  it('render fails the rows (exit 1), naming row, column, field and both values; the others render', async () => {
    const root = catalog();
    const result = await runCli(['render', 'renew', '--data', 'rows.csv'], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(SPACE);
    expect(result.stderr).toMatch(
      /rows\.csv:4:2 {2}error {2}E_CONDITION_VALUE {2}row 3: \(eq plan "pro"\) compares "Pro" with "pro": they differ only in upper and lower case/,
    );
    const texts = result.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { body: { text: { text: string } } }).body.text.text);
    expect(texts).toEqual(['Hi, your Pro plan renews', 'Hi, upgrade to Pro']);
    expect(result.stdout).not.toContain('+31612345670');
  });

  it('plan reports the rows as invalid and exits 1', async () => {
    const result = await runCli(['plan', 'renew', '--data', 'rows.csv'], { cwd: catalog() });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/invalid rows +2/);
    expect(result.stdout).toMatch(SPACE);
  });

  it('send refuses before the first request (exit 1): nothing reaches Bird', async () => {
    fake = await startFakeBird({ accessKey: CANARY_KEY });
    const root = catalog();
    const result = await runCli(['send', 'renew', '--data', 'rows.csv', '--journal', tempDir('chirp-journal-'), '--yes'], {
      cwd: root,
      env: { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
    });
    expect(result.stdout).toMatch(SPACE);
    expect(result.stdout).toMatch(/nothing was sent/);
    expect(result.code).toBe(1);
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('on worker threads: the same rows fail with the same words as on one thread (render and send)', async () => {
    const root = makeCatalog({ 'messages/renew.yaml': PLAN });
    const rows = Array.from(
      { length: 300 },
      (_, i) => `+3162${String(i).padStart(7, '0')},${i === 250 ? 'pro ' : i % 2 ? 'pro' : 'basic'}`,
    );
    writeFileSync(join(root, 'rows.csv'), `phone,plan\n${rows.join('\n')}\n`);
    const one = await runCli(['render', 'renew', '--data', 'rows.csv', '--threads', '1'], { cwd: root });
    const two = await runCli(['render', 'renew', '--data', 'rows.csv', '--threads', '2'], { cwd: root });
    expect(one.code).toBe(1);
    expect(one.stderr).toMatch(/rows\.csv:252:2 {2}error {2}E_CONDITION_VALUE {2}row 251: \(eq plan "pro"\) compares "pro " with "pro"/);
    expect(two).toEqual(one);
    fake = await startFakeBird({ accessKey: CANARY_KEY });
    const sent = await runCli(['send', 'renew', '--data', 'rows.csv', '--journal', tempDir('chirp-journal-'), '--yes', '--threads', '2'], {
      cwd: root,
      env: { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
    });
    expect(sent.stdout).toMatch(/E_CONDITION_VALUE {2}row 251/);
    expect(sent.code).toBe(1);
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  }, 60_000);
});
