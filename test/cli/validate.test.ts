// `chirp validate`: every broken definition in test/fixtures/invalid yields its expected code at its
// expected line, and every twin in test/fixtures/valid passes, checked in-process through the library's
// `validate` (one spawn per fixture made this the slowest file); a few spawns keep the CLI honest.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '../../src/index.js';
import { hasStackTrace, REPO, runCli } from '../helpers/cli.js';
import { makeCatalog } from '../helpers/catalog.js';
import { tempDir } from '../helpers/temp.js';

const INVALID = join(REPO, 'test/fixtures/invalid');
const CONFIG = join(INVALID, 'chirp.config.yaml');
const cases = readdirSync(INVALID)
  .filter((f) => f.endsWith('.yaml') && f !== 'chirp.config.yaml')
  .sort();
const VALID = join(REPO, 'test/fixtures/valid');
const VALID_CONFIG = join(VALID, 'chirp.config.yaml');
const validCases = readdirSync(VALID)
  .filter((f) => f.endsWith('.yaml') && f !== 'chirp.config.yaml')
  .sort();
/** The clock the fixtures are written against (scheduled-too-far.yaml). */
const NOW = (): Date => new Date('2030-01-01T00:00:00Z');
/** Rule cases: one per rule of schemas/whatsapp.schema.json and src/check/rules/, each with a valid twin. */
const RULE_CASE = /^(wa-|cap-frequency-|scheduled-)/;

interface Expected {
  code: string;
  line: number;
  column?: number;
}

function expectations(file: string): Expected[] {
  const first = readFileSync(join(INVALID, file), 'utf8').split('\n')[0] ?? '';
  const m = /^# expect: (.+)$/.exec(first);
  if (!m) throw new Error(`${file}: first line must be "# expect: CODE LINE[:COL] ..."`);
  const tokens = m[1]!.trim().split(/\s+/);
  const out: Expected[] = [];
  for (let i = 0; i < tokens.length; i += 2) {
    const [line, column] = tokens[i + 1]!.split(':').map(Number);
    out.push({ code: tokens[i]!, line: line!, ...(column !== undefined ? { column } : {}) });
  }
  return out;
}

interface JsonDiagnostic {
  code: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  message: string;
  hint?: string;
}

describe('chirp validate', () => {
  it('accepts the example catalog, quickly and quietly', async () => {
    const result = await runCli(['validate']);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^\d+ message files checked: 0 errors, 0 warnings\n$/);
    expect(result.code).toBe(0);
  });

  it('has a corpus of at least 30 broken definitions', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('%s', async (file) => {
    const { diagnostics } = await validate({ cwd: REPO, env: {}, configPath: CONFIG, paths: [join(INVALID, file)], now: NOW });
    const got = diagnostics.map((d) => ({ code: d.code, line: d.line, column: d.column }));
    for (const want of expectations(file)) {
      expect(got, `${file}: ${JSON.stringify(diagnostics, null, 1)}`).toContainEqual(expect.objectContaining(want));
    }
    expect(diagnostics.length).toBeGreaterThan(0);
    // Rule cases break exactly their rule: nothing else in them may be wrong.
    if (RULE_CASE.test(file)) expect(new Set(diagnostics.map((d) => d.code))).toEqual(new Set(expectations(file).map((e) => e.code)));
  });

  it('has at least 25 rule cases, each with a valid twin at the limit', () => {
    const rules = cases.filter((f) => RULE_CASE.test(f));
    expect(rules.length).toBeGreaterThanOrEqual(25);
    expect(validCases.filter((f) => RULE_CASE.test(f))).toEqual(rules);
  });

  it.each(validCases)('valid: %s', async (file) => {
    const { diagnostics } = await validate({ cwd: REPO, env: {}, configPath: VALID_CONFIG, paths: [join(VALID, file)], now: NOW });
    // The valid folder has no templates.lock.json: template messages carry only that notice.
    expect(diagnostics.filter((d) => d.code !== 'W_TEMPLATE_NO_LOCK')).toEqual([]);
  });

  it('names the limit and the size, in words, in every rule diagnostic', async () => {
    for (const file of cases.filter((f) => RULE_CASE.test(f))) {
      const { diagnostics } = await validate({ cwd: REPO, env: {}, configPath: CONFIG, paths: [join(INVALID, file)], now: NOW });
      for (const d of diagnostics) {
        expect(d.message, file).not.toMatch(/must (NOT )?have|must match|\/body\//);
        if (/LENGTH$/.test(d.code)) expect(d.message, file).toMatch(/has [\d,]+ characters; WhatsApp allows at most [\d,]+/);
      }
    }
  });

  it('spawned: a broken definition gives its code and exit 1 in JSON, without a stack trace', async () => {
    const result = await runCli(['validate', '--config', CONFIG, '--format', 'json', join(INVALID, 'wa-two-links.yaml')]);
    expect(hasStackTrace(result.stdout + result.stderr)).toBe(false);
    const report = JSON.parse(result.stdout) as { diagnostics: JsonDiagnostic[] };
    expect(report.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['E_WA_LINK_COUNT', 12, 7]]);
    expect(result.code).toBe(1);
  });

  it('spawned: a warning-only file exits 0', async () => {
    const result = await runCli(['validate', '--config', CONFIG, '--format', 'json', join(INVALID, 'var-unused.yaml')]);
    const report = JSON.parse(result.stdout) as { diagnostics: JsonDiagnostic[] };
    expect(report.diagnostics.map((d) => d.severity)).toEqual(['warning']);
    expect(result.code).toBe(0);
  });

  it('prints FILE:LINE:COL  severity  CODE  message lines with a did-you-mean hint', async () => {
    const result = await runCli(['validate', '--config', CONFIG, join(INVALID, 'media-url-typo.yaml')]);
    expect(result.stdout).toMatch(
      /^test\/fixtures\/invalid\/media-url-typo\.yaml:11:9 {2}error {2}E_UNKNOWN_PROPERTY {2}.*mediaURL.*did you mean `mediaUrl`\?/m,
    );
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.code).toBe(1);
  });

  it('refuses a file over 1 MiB before parsing it', async () => {
    const dir = tempDir('chirp-big-');
    const big = join(dir, 'big.yaml');
    writeFileSync(big, `channel: whatsapp\ndescription: "${'x'.repeat(2 * 1024 * 1024)}"\n`);
    const result = await runCli(['validate', '--config', CONFIG, '--format', 'json', big]);
    const report = JSON.parse(result.stdout) as { diagnostics: JsonDiagnostic[] };
    expect(report.diagnostics.map((d) => [d.code, d.line])).toEqual([['E_FILE_TOO_LARGE', 1]]);
    expect(result.code).toBe(1);
  });

  it('exits 2 with a clear message for a config that holds a credential, without echoing it', async () => {
    const secret = 'AccessKey canary-5f2b9c1e';
    const root = makeCatalog({
      'chirp.config.yaml': `workspace: w\naccessKey: "${secret}"\nchannels: {}\n`,
      'messages/m.yaml': 'channel: x\n',
    });
    const result = await runCli(['validate'], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/chirp\.config\.yaml:2:1 {2}error {2}E_CONFIG_SECRET/);
    expect(result.stdout + result.stderr).not.toContain('canary');
  });

  it('exits 2 when there is no config, and for bad usage', async () => {
    const empty = tempDir('chirp-none-');
    const none = await runCli(['validate'], { cwd: empty });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no chirp\.config\.yaml/);
    const usage = await runCli(['validate', '--nope']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown option/);
  });

  it('reports problems across several files in one pass', async () => {
    const root = makeCatalog({
      'messages/a.yaml': 'channel: whatsapp\nto: "{{phone}}"\nbody: { type: text, text: { text: "{{name" } }\n',
      'messages/b.yaml': 'channel: nope\nto: "{{phone}}"\nbody: { type: text, text: { text: hi } }\n',
    });
    const result = await runCli(['validate', '--format', 'json'], { cwd: root });
    const report = JSON.parse(result.stdout) as { files: number; diagnostics: JsonDiagnostic[] };
    expect(report.files).toBe(2);
    expect(report.diagnostics.map((d) => `${d.file}:${d.code}`)).toEqual([
      'messages/a.yaml:E_HBS_SYNTAX',
      'messages/b.yaml:E_CHANNEL_ALIAS',
    ]);
  });
});
