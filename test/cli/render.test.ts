// `chirp render`, spawned: exact NDJSON on stdout in input order, row problems on stderr, exit codes.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasStackTrace, runCli } from '../helpers/cli.js';
import { makeCatalog } from '../helpers/catalog.js';
import { tempDir } from '../helpers/temp.js';

const NOTICE = `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  name: { type: string, minLength: 1 }
  version: { type: string, pattern: "^v\\\\d+" }
required: [phone, name, version]
body:
  type: text
  text:
    text: "Hi {{name}}, chirp {{version}} is out."
    actions:
      - { type: reply, reply: { text: Upgrade } }
examples:
  - { phone: "+31612345678", name: Ada, version: v1.2.0 }
`;

function lines(text: string): Record<string, unknown>[] {
  return text.trim() === ''
    ? []
    : text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const textOf = (r: Record<string, unknown>) => (r.body as { text: { text: string } }).text.text;

describe('chirp render', () => {
  it("renders the message's examples when no data is given", async () => {
    const root = makeCatalog({ 'messages/releases/notice.yaml': NOTICE });
    const result = await runCli(['render', 'releases/notice'], { cwd: root });
    expect(result.code).toBe(0);
    const [request] = lines(result.stdout);
    expect(request).toMatchObject({
      receiver: { contacts: [{ identifierValue: '+31612345678' }] },
      body: { type: 'text', text: { text: 'Hi Ada, chirp v1.2.0 is out.' } },
    });
    expect(Object.keys(request!)).toEqual(['receiver', 'body', 'reference']);
  });

  it('prints valid rows in input order, reports bad rows with row, line, column and code, and exits 1', async () => {
    const root = makeCatalog({ 'messages/releases/notice.yaml': NOTICE });
    writeFileSync(
      join(root, 'rows.csv'),
      'phone;name;version\n+31612345678;Ada;v1\n+31612345679;"Bo\nMultiline";v2\n+31612345670;;v3\n12345;Cy;v4\n+31612345671;Di;x5\n+31612345672;Ed;v6\n',
    );
    const result = await runCli(['render', 'messages/releases/notice.yaml', '--data', 'rows.csv'], { cwd: root });
    expect(result.code).toBe(1);
    expect(lines(result.stdout).map(textOf)).toEqual([
      'Hi Ada, chirp v1 is out.',
      'Hi Bo\nMultiline, chirp v2 is out.',
      'Hi Ed, chirp v6 is out.',
    ]);
    const errors = result.stderr.trim().split('\n');
    expect(errors).toEqual([
      // The column is the real one (1-based, as a spreadsheet counts), with its header.
      expect.stringMatching(/^rows\.csv:5:2 {2}error {2}E_ROW_INVALID {2}row 3: name is required \(column 2, "name"\)$/),
      expect.stringMatching(/^rows\.csv:6:1 {2}error {2}E_RECEIVER_INVALID {2}row 4: .*\(column 1, "phone"\)$/),
      expect.stringMatching(/^rows\.csv:7:3 {2}error {2}E_ROW_INVALID {2}row 5: version must match pattern.*\(column 3, "version"\)$/),
      '3 rows failed and were not rendered',
    ]);
    expect(hasStackTrace(result.stderr)).toBe(false);
  });

  it('reads NDJSON from stdin and honours --limit', async () => {
    const root = makeCatalog({ 'messages/releases/notice.yaml': NOTICE });
    const input = ['Ada', 'Bo', 'Cy'].map((name, i) => JSON.stringify({ phone: `+3161234567${i}`, name, version: 'v9' })).join('\n');
    const result = await runCli(['render', 'releases/notice', '--data', '-', '--data-format', 'ndjson', '--limit', '2'], {
      cwd: root,
      input,
    });
    expect(result.code).toBe(0);
    expect(lines(result.stdout).map(textOf)).toEqual(['Hi Ada, chirp v9 is out.', 'Hi Bo, chirp v9 is out.']);
  });

  it('warns about a repeated recipient and renders it once, unless --allow-duplicates', async () => {
    const root = makeCatalog({ 'messages/releases/notice.yaml': NOTICE });
    writeFileSync(
      join(root, 'rows.json'),
      JSON.stringify([
        { phone: '+31612345678', name: 'Ada', version: 'v1' },
        { phone: '+31 6 1234 5678', name: 'Ada', version: 'v1' },
      ]),
    );
    const once = await runCli(['render', 'releases/notice', '--data', 'rows.json'], { cwd: root });
    expect(lines(once.stdout)).toHaveLength(1);
    expect(once.stderr).toMatch(/warning {2}W_DUPLICATE_RECIPIENT {2}row 2: .*row 1/);
    expect(once.code).toBe(0);
    const both = await runCli(['render', 'releases/notice', '--data', 'rows.json', '--allow-duplicates'], { cwd: root });
    expect(lines(both.stdout)).toHaveLength(2);
  });

  it('refuses an invalid definition with its diagnostics, and an unknown message with exit 2', async () => {
    const root = makeCatalog({ 'messages/bad.yaml': NOTICE.replace('type: text\n', 'type: txt\n') });
    const bad = await runCli(['render', 'bad'], { cwd: root });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/messages\/bad\.yaml:9:\d+ {2}error {2}E_SCHEMA/);
    const missing = await runCli(['render', 'nope'], { cwd: root });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no message "nope"/);
  });

  it('names the file and line of a malformed data file, without a stack trace', async () => {
    const root = makeCatalog({ 'messages/releases/notice.yaml': NOTICE });
    writeFileSync(join(root, 'rows.json'), '[{"phone":"+31612345678","name":"Ada","version":"v1"},\n{"phone": oops}]');
    const result = await runCli(['render', 'releases/notice', '--data', 'rows.json'], { cwd: root });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/rows\.json:2/);
    expect(hasStackTrace(result.stderr)).toBe(false);
  });
});

describe('chirp render: what WhatsApp accepts, per row', () => {
  it('reports a row whose variable breaks a WhatsApp limit with the limit and the size, renders the others, exits 1', async () => {
    const message = `channel: whatsapp\nto: "{{phone}}"\nvariables:\n  phone: { type: string }\n  title: { type: string }\nbody:\n  type: text\n  text:\n    text: Pick one\n    actions:\n      - { type: reply, reply: { text: "{{title}}" } }\n`;
    const root = makeCatalog({
      'messages/m.yaml': message,
      'rows.csv': `phone,title\n+31612345678,Yes please\n+31612345679,${'y'.repeat(21)}\n`,
    });
    const result = await runCli(['render', 'm', '--data', 'rows.csv'], { cwd: root });
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(lines(result.stdout)).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^rows\.csv:3:1 {2}error {2}E_WA_BUTTON_TITLE_LENGTH {2}row 2: the button title "y{21}" has 21 characters; WhatsApp allows at most 20$/m,
    );
    expect(result.code).toBe(1);
  });
});

describe('chirp render: where in the data a problem is', () => {
  it('a variable the header lacks is named with the columns the header has; JSON rows point at their object', async () => {
    const root = makeCatalog({ 'messages/releases/notice.yaml': NOTICE });
    writeFileSync(join(root, 'rows.csv'), 'phone,nmae,version\n+31612345678,Ada,v1\n');
    const csv = await runCli(['render', 'releases/notice', '--data', 'rows.csv'], { cwd: root });
    expect(csv.code).toBe(1);
    expect(csv.stderr).toMatch(
      /^rows\.csv:2:1 {2}error {2}E_ROW_INVALID {2}row 1: name is required \(the header has no "name" column; its columns: phone, nmae, version\)$/m,
    );
    writeFileSync(join(root, 'rows.json'), '[\n  {"phone": "+31612345678", "version": "v1"}\n]\n');
    const json = await runCli(['render', 'releases/notice', '--data', 'rows.json'], { cwd: root });
    expect(json.code).toBe(1);
    expect(json.stderr).toMatch(/^rows\.json:2:3 {2}error {2}E_ROW_INVALID {2}row 1: name is required$/m);
    expect(csv.stderr + json.stderr).not.toMatch(/:\d+:0 /);
  });
});

describe('chirp render: a file outside the catalog', () => {
  it('says the path is outside the catalog instead of suggesting unrelated ids', async () => {
    const root = makeCatalog({ 'messages/releases/notice.yaml': NOTICE, 'messages/support/menu.yaml': NOTICE });
    const outside = join(tempDir('chirp-outside-'), 'x.yaml');
    writeFileSync(outside, NOTICE);
    const result = await runCli(['render', outside], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/E_MESSAGE_NOT_FOUND/);
    expect(result.stderr).toMatch(/x\.yaml is outside the catalog/);
    expect(result.stderr).not.toMatch(/closest|support\/menu|releases\/notice/);
    // A misspelt id still gets suggestions.
    const typo = await runCli(['render', 'suport/menu'], { cwd: root });
    expect(typo.stderr).toMatch(/closest: support\/menu/);
  });
});
