// The failures file fed back, as the user meets it: JSON data, a send Bird refuses, the failures file
// fed back with --data renders exactly what the original rows rendered (flag 0 stays false, a list
// stays a list, a leading quote or a formula stays as the data wrote it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { makeCatalog } from '../helpers/catalog.js';
import { runCli } from '../helpers/cli.js';
import { CANARY_KEY } from '../helpers/send.js';

const MESSAGE = `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  name: { type: string }
  flag: { type: [integer, string] }
  tags: { type: array }
  price: { type: number }
required: [phone, name]
body:
  type: text
  text:
    text: "Hi {{name}}{{#if flag}} (flagged){{/if}}{{#each tags}} #{{this}}{{/each}}{{#if price}} {{price}}{{/if}}"
`;

let fake: FakeBird | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const texts = (f: FakeBird): string[] =>
  f.accepted.filter((m) => m.status !== 'rejected').map((m) => (m.request as { body: { text: { text: string } } }).body.text.text);

describe('send --failures, fed back with --data', () => {
  it('renders what the original JSON rows rendered: 0 stays false, lists stay lists, quotes and formulas as written', async () => {
    fake = await startFakeBird({ accessKey: CANARY_KEY });
    const rows = [
      { phone: '+31612345671', name: 'Ada', flag: 0, tags: ['a', 'b'], price: 1.5 },
      { phone: '+31612345672', name: "'=N300", flag: 1, tags: [] },
      // A string stays a string ('0' would be E_CONDITION_TEXT: text that reads as false in a condition).
      { phone: '+31612345673', name: '=SUM(A1)', flag: 'x', price: 0 },
    ];
    const ndjson = `${rows
      .map((r) => JSON.stringify(r))
      .join('\n')
      .replace('"price":1.5', '"price":1.50')}\n`;
    const root = makeCatalog({ 'messages/m.yaml': MESSAGE, 'rows.ndjson': ndjson });
    const env = { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY };
    const render = await runCli(['render', 'm', '--data', 'rows.ndjson'], { cwd: root });
    const expected = render.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { body: { text: { text: string } } }).body.text.text);
    expect(expected).toEqual(['Hi Ada #a #b 1.50', "Hi '=N300 (flagged)", 'Hi =SUM(A1) (flagged)']);

    fake.faults.push({ kind: 'status', status: 422, on: 'batch' });
    const first = await runCli(['send', 'm', '--data', 'rows.ndjson', '--journal', 'j', '--yes', '--failures', 'failures.csv'], {
      cwd: root,
      env,
    });
    expect(first.code).toBe(1);
    const csv = readFileSync(join(root, 'failures.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('phone,name,flag,tags,price,chirp_status,chirp_error_code,chirp_error_message,chirp_json');
    expect(csv).toContain(`+31612345671,Ada,0,"[""a"",""b""]",1.50,failed`); // what a spreadsheet shows
    expect(csv).toContain(`,'=SUM(A1),`); // the formula guard

    const again = await runCli(['send', 'm', '--data', 'failures.csv', '--journal', 'j', '--yes', '--format', 'json'], { cwd: root, env });
    expect(again.code).toBe(0);
    expect(texts(fake).sort()).toEqual([...expected].sort());
  });
});
