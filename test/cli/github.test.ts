// GitHub-native output from the CLI itself (no runner needed): run-wide variables, workflow-command
// annotations, job summaries and step outputs under a simulated GITHUB_* environment.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeCatalog } from '../helpers/catalog.js';
import { runCli } from '../helpers/cli.js';
import { CANARY_KEY, phone, sendEnv, report, type SendEnv } from '../helpers/send.js';

const VERSIONED = `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  name: { type: string }
  version: { type: string, pattern: "^v\\\\d+" }
required: [phone, name, version]
body:
  type: text
  text:
    text: "Hi {{name}}, chirp {{version}} is out."
examples:
  - { phone: "+31612345678", name: Ada, version: v1 }
`;

function gitRepo(files: Record<string, string>): { root: string; git: (...args: string[]) => string } {
  const root = makeCatalog(files);
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: root,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@e',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@e',
      },
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  return { root, git };
}

function actionsEnv(root: string): { env: Record<string, string>; summary: string; output: string } {
  const summary = join(root, 'summary.md');
  const output = join(root, 'output.txt');
  writeFileSync(summary, '');
  writeFileSync(output, '');
  return { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output }, summary, output };
}

const outputs = (file: string): Record<string, string> =>
  Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

const textOf = (line: string): string => (JSON.parse(line) as { body: { text: { text: string } } }).body.text.text;

let env: SendEnv | undefined;
afterEach(async () => {
  await env?.fake.close();
  env = undefined;
});

describe('run-wide variables', () => {
  it('--var and --vars reach the text; a data column of the same name is a clear error', async () => {
    const root = makeCatalog({
      'messages/notice.yaml': VERSIONED,
      'rows.csv': 'phone,version\n+31612345678,v3\n',
      'vars.yaml': 'name: Grace\n',
    });
    // The examples are samples: a run-wide value replaces theirs.
    const one = await runCli(['render', 'notice', '--var', 'name=Linus'], { cwd: root });
    expect(one.code).toBe(0);
    expect(textOf(one.stdout)).toBe('Hi Linus, chirp v1 is out.');
    const file = await runCli(['render', 'notice', '--data', 'rows.csv', '--vars', 'vars.yaml'], { cwd: root });
    expect(file.code).toBe(0);
    expect(textOf(file.stdout)).toBe('Hi Grace, chirp v3 is out.');
    // A flag beats the file.
    const both = await runCli(['render', 'notice', '--data', 'rows.csv', '--vars', 'vars.yaml', '--var', 'name=Linus'], { cwd: root });
    expect(textOf(both.stdout)).toBe('Hi Linus, chirp v3 is out.');
    const clash = await runCli(['render', 'notice', '--data', 'rows.csv', '--var', 'name=Ada', '--var', 'version=v9'], { cwd: root });
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain('E_VAR_CONFLICT');
    expect(clash.stderr).toMatch(/rows\.csv: row 1.*"version"/);
    expect(clash.stdout).toBe('');
    // Checked against `variables` like a row's own values.
    const bad = await runCli(['render', 'notice', '--data', 'rows.csv', '--var', 'name='], { cwd: root });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/E_ROW_INVALID|E_VAR_MISSING/);
    const usage = await runCli(['render', 'notice', '--var', 'no-equals-sign'], { cwd: root });
    expect(usage.code).toBe(2);
    const missing = await runCli(['render', 'notice', '--vars', 'nope.yaml'], { cwd: root });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('E_VARS_FILE');
  });

  it('are part of the run: the same values resume, other values are another run', async () => {
    env = await sendEnv(3);
    const first = report(await env.send(['--format', 'json', '--var', 'release=v1']));
    expect(first.accepted).toBe(3);
    const again = report(await env.send(['--format', 'json', '--var', 'release=v1']));
    expect(again.alreadySent).toBe(3);
    expect(again.runId).toBe(first.runId);
    const other = report(await env.send(['--format', 'json', '--var', 'release=v2', '--dry-run']));
    expect(other.runId).not.toBe(first.runId);
  });
});

describe('validate --format github', () => {
  it('prints one workflow command per problem, with the path from the repository root', async () => {
    const { root } = gitRepo({
      'catalog/chirp.config.yaml':
        'workspace: 2f1c3a4e-0000-4000-8000-000000000001\nchannels:\n  whatsapp: 9b8c7d6e-0000-4000-8000-000000000002\n',
      'catalog/messages/x.yaml': 'channel: whatsapp\nto: "+31612345678"\nbody:\n  type: text\n  text:\n    text: 5\n',
      'catalog/messages/y.yaml': 'channel: nosuch\nto: "+31612345678"\nbody:\n  type: text\n  text:\n    text: "Hi, 50% off: today"\n',
    });
    const catalog = join(root, 'catalog');
    mkdirSync(join(catalog, 'sub'));
    const result = await runCli(['validate', '--format', 'github'], { cwd: join(catalog, 'sub') });
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines)
      expect(line).toMatch(/^::(error|warning) file=catalog\/messages\/[xy]\.yaml,line=\d+,col=\d+,title=[EW]_[A-Z_]+::\S/);
    expect(lines.some((l) => l.startsWith('::error file=catalog/messages/x.yaml,line=6,'))).toBe(true);
    expect(lines.some((l) => l.includes('title=E_CHANNEL_ALIAS'))).toBe(true);
  });
});

describe('GITHUB_ACTIONS=true', () => {
  it('plan --base HEAD appends the markdown plan to the summary and writes changes and problems', async () => {
    const { root } = gitRepo({ 'messages/notice.yaml': VERSIONED });
    writeFileSync(join(root, 'messages/notice.yaml'), VERSIONED.replace('is out.', 'is out now!'));
    const gh = actionsEnv(root);
    const result = await runCli(['plan', '--base', 'HEAD'], { cwd: root, env: gh.env });
    expect(result.code).toBe(0);
    expect(readFileSync(gh.summary, 'utf8')).toContain('is out now!');
    expect(readFileSync(gh.summary, 'utf8')).not.toContain('+31612345678');
    expect(outputs(gh.output)).toEqual({ changes: 'true', problems: '0' });
    // No change: changes=false.
    const clean = gitRepo({ 'messages/notice.yaml': VERSIONED });
    const gh2 = actionsEnv(clean.root);
    await runCli(['plan', '--base', 'HEAD'], { cwd: clean.root, env: gh2.env });
    expect(outputs(gh2.output).changes).toBe('false');
  });

  it('send writes a summary table and the run outputs, with no key and no full number', async () => {
    env = await sendEnv(4);
    const gh = actionsEnv(env.root);
    const result = await env.send(['--format', 'json'], { env: gh.env });
    expect(result.code).toBe(0);
    const out = outputs(gh.output);
    expect(out).toMatchObject({ status: 'complete', accepted: '4', failed: '0', unknown: '0', 'not-sent': '0' });
    expect(out['run-id']).toBe(report(result).runId);
    const summary = readFileSync(gh.summary, 'utf8');
    expect(summary).toMatch(/\| accepted \| 4 \|/);
    for (const text of [summary, readFileSync(gh.output, 'utf8')]) {
      expect(text).not.toContain(CANARY_KEY);
      expect(text).not.toContain(phone(0));
    }
  });

  it('writes nothing when not in GitHub Actions', async () => {
    const { root } = gitRepo({ 'messages/notice.yaml': VERSIONED });
    const gh = actionsEnv(root);
    await runCli(['plan', '--base', 'HEAD'], { cwd: root, env: { GITHUB_STEP_SUMMARY: gh.summary, GITHUB_OUTPUT: gh.output } });
    expect(readFileSync(gh.output, 'utf8')).toBe('');
    expect(readFileSync(gh.summary, 'utf8')).toBe('');
  });
});
