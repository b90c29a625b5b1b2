// `chirp plan --base` fails closed, against real git: every change of what a message can send is a
// change (exit 2 with --detailed-exitcode, changes=true, a count in the markdown table) even when no
// row renders it, and a changed branch no row takes is named with its file:line in every format.
// `validate --coverage` / `--require-coverage` / `requireCoverage: true`. The JSON is checked against
// schemas/plan-output.schema.json.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validatorFor } from '../../src/schema/index.js';
import { makeCatalog, TEST_CONFIG } from '../helpers/catalog.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { GIT_ENV } from '../helpers/git.js';

const validatePlan = validatorFor('plan-output');

/** Parse plan JSON and check it against the documented schema. */
function planJson(stdout: string): PlanOut {
  const value = JSON.parse(stdout) as PlanOut;
  const ok = validatePlan(value);
  expect(validatePlan.errors ?? [], 'plan JSON matches schemas/plan-output.schema.json').toEqual([]);
  expect(ok).toBe(true);
  return value;
}

interface PlanOut {
  messages: {
    id: string;
    status: string;
    recipients: number;
    definition: { path: string; where: string }[];
    unreached: { where: string; branch: string; reason: string }[];
  }[];
  summary: Record<string, number>;
  coverage?: { unreached: { message: string; where: string; branch: string }[] };
}

// Line 12 holds `{{#if vip}}`, line 13 the Gold text.
const VIP = (gold: string, extra = ''): string => `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  vip: { type: boolean }
  name: { type: string, maxLength: 20 }${extra}
required: [phone, vip, name]
body:
  type: text
  text:
    text: |-
      {{#if vip}}
      ${gold} {{name}}
      {{else}}
      Hi {{name}}
      {{/if}}
examples:
  - { phone: "+31612345678", vip: false, name: Ada }
`;

const NO_EXAMPLES = (greeting: string): string => `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  name: { type: string }
body:
  type: text
  text:
    text: "${greeting} {{name}}{{> signature}}"
`;

function repo(files: Record<string, string>): { root: string; change: (files: Record<string, string>) => void } {
  const root = makeCatalog(files);
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8', env: GIT_ENV });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  git('checkout', '-q', '-b', 'pr');
  return {
    root,
    change: (next) => {
      for (const [path, text] of Object.entries(next)) writeFileSync(join(root, path), text);
      git('add', '-A');
      git('commit', '-q', '-m', 'change');
    },
  };
}

function actionsEnv(root: string): { env: Record<string, string>; output: string; summary: string } {
  const summary = join(root, 'summary.md');
  const output = join(root, 'output.txt');
  writeFileSync(summary, '');
  writeFileSync(output, '');
  return { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output }, summary, output };
}

describe('plan --base: the definition layer', () => {
  it('a message without examples whose text changes: a change everywhere (exit 2, changes=true, markdown, JSON)', async () => {
    const { root, change } = repo({ 'messages/hello.yaml': NO_EXAMPLES('Hello'), 'messages/_partials/signature.hbs': ' — us' });
    change({ 'messages/hello.yaml': NO_EXAMPLES('Hey') });
    const text = await runCli(['plan', '--base', 'main', '--detailed-exitcode'], { cwd: root });
    expect(text.code).toBe(2);
    expect(text.stdout).toContain('~ hello (messages/hello.yaml): the definition changes');
    expect(text.stdout).toContain('@ body.text.text (messages/hello.yaml:9)');
    expect(text.stdout).toContain('+ body.text.text: "Hey {{name}}{{> signature}}"');
    expect(text.stdout).toContain('! not rendered: the message at messages/hello.yaml:9 changed; it has no examples, so no row renders it');
    const gh = actionsEnv(root);
    const md = await runCli(['plan', '--base', 'main', '--format', 'markdown'], { cwd: root, env: gh.env });
    expect(md.code).toBe(0);
    expect(md.stdout).not.toContain('No message changes what it sends');
    expect(md.stdout).toContain('| 0 | 0 | 0 | 1 | 0 | 0 | 0 | 1 |');
    expect(readFileSync(gh.output, 'utf8')).toContain('changes=true');
    const json = planJson((await runCli(['plan', '--base', 'main', '--format', 'json'], { cwd: root })).stdout);
    expect(json.messages[0]).toMatchObject({ id: 'hello', status: 'changed', recipients: 0 });
    expect(json.messages[0]!.definition.map((e) => e.where)).toEqual(['messages/hello.yaml:9']);
  });

  it('a partial that only a message without examples uses: that message changes', async () => {
    const { root, change } = repo({ 'messages/hello.yaml': NO_EXAMPLES('Hello'), 'messages/_partials/signature.hbs': ' — us' });
    change({ 'messages/_partials/signature.hbs': ' — all of us' });
    const r = await runCli(['plan', '--base', 'main', '--detailed-exitcode', '--format', 'json'], { cwd: root });
    expect(r.code).toBe(2);
    const m = planJson(r.stdout).messages[0]!;
    expect(m.status).toBe('changed');
    expect(m.definition).toEqual([expect.objectContaining({ path: '(partials).signature', where: 'messages/_partials/signature.hbs:1' })]);
  });

  it('variables: a maxLength, a new enum and a default are changes; comments, key order and quoting are not', async () => {
    const { root, change } = repo({ 'messages/vip.yaml': VIP('Gold') });
    change({
      'messages/vip.yaml': `# reformatted\n${VIP('Gold').replace('channel: whatsapp\nto: "{{phone}}"', 'to:   \'{{phone}}\'\nchannel: "whatsapp"')}`,
    });
    const same = await runCli(['plan', '--base', 'main', '--detailed-exitcode'], { cwd: root });
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('0 changed, 1 unchanged');
    change({
      'messages/vip.yaml': VIP('Gold', '\n  tier: { type: string, enum: [a, b], default: a }').replace('maxLength: 20', 'maxLength: 30'),
    });
    const r = await runCli(['plan', '--base', 'main', '--detailed-exitcode', '--format', 'json'], { cwd: root });
    expect(r.code).toBe(2);
    const m = planJson(r.stdout).messages[0]!;
    expect(m.status).toBe('changed');
    expect(m.definition.map((e) => `${e.path} ${e.where}`)).toEqual([
      'variables.name.maxLength messages/vip.yaml:6',
      'variables.tier.type messages/vip.yaml:7',
      'variables.tier.enum[0] messages/vip.yaml:7',
      'variables.tier.enum[1] messages/vip.yaml:7',
      'variables.tier.default messages/vip.yaml:7',
    ]);
  });
});

describe('plan --base: coverage', () => {
  it('a Gold branch no example takes: named with its line in text, markdown, JSON and github; --data likewise', async () => {
    const { root, change } = repo({ 'messages/vip.yaml': VIP('Gold') });
    change({ 'messages/vip.yaml': VIP('Platinum') });
    const line = 'the {{#if vip}} branch at messages/vip.yaml:12 changed; no example reaches it';
    const text = await runCli(['plan', '--base', 'main', '--detailed-exitcode'], { cwd: root });
    expect(text.code).toBe(2);
    expect(text.stdout).toContain(`! not rendered: ${line}`);
    expect(text.stdout).toContain('@ body.text.text (messages/vip.yaml:13)');
    expect(text.stdout).toContain('- Gold {{name}}');
    expect(text.stdout).toContain('+ Platinum {{name}}');
    const md = (await runCli(['plan', '--base', 'main', '--format', 'markdown'], { cwd: root })).stdout;
    // Visible before the first folded section.
    const listed = md.indexOf('`the {{#if vip}} branch` at `messages/vip.yaml:12` changed; **no example reaches it**');
    expect(listed).toBeGreaterThan(0);
    expect(listed).toBeLessThan(md.indexOf('<details'));
    const json = planJson((await runCli(['plan', '--base', 'main', '--format', 'json'], { cwd: root })).stdout);
    expect(json.messages[0]!.unreached).toEqual([
      { where: 'messages/vip.yaml:12', branch: 'the {{#if vip}} branch', reason: 'no example reaches it' },
    ]);
    expect(json.summary.unreached).toBe(1);
    const gh = await runCli(['plan', '--base', 'main', '--format', 'github'], { cwd: root });
    expect(gh.stdout).toContain(`::warning file=messages/vip.yaml,line=12,title=chirp plan%3A vip not rendered::${line}`);
    writeFileSync(join(root, 'rows.csv'), 'phone,vip,name\n+31612345678,false,Ada\n+31612345679,false,Bo\n');
    const data = await runCli(['plan', '--base', 'main', '--data', 'rows.csv', '--detailed-exitcode'], { cwd: root });
    expect(data.code).toBe(2);
    expect(data.stdout).toContain('the {{#if vip}} branch at messages/vip.yaml:12 changed; no recipient in rows.csv takes it');
  });

  it('a changed branch a row takes is shown rendered and not listed as unreached', async () => {
    const { root, change } = repo({ 'messages/vip.yaml': VIP('Gold') });
    change({ 'messages/vip.yaml': VIP('Platinum') });
    writeFileSync(join(root, 'rows.csv'), 'phone,vip,name\n+31612345678,true,Ada\n');
    const json = planJson((await runCli(['plan', '--base', 'main', '--data', 'rows.csv', '--format', 'json'], { cwd: root })).stdout);
    expect(json.messages[0]).toMatchObject({ status: 'changed', recipients: 1, unreached: [] });
  });

  it('--require-coverage and requireCoverage: true fail the plan on a branch no row reaches', async () => {
    const { root, change } = repo({ 'messages/vip.yaml': VIP('Gold') });
    change({ 'messages/vip.yaml': VIP('Platinum') });
    const r = await runCli(['plan', '--base', 'main', '--require-coverage', '--format', 'json'], { cwd: root });
    expect(r.code).toBe(1);
    expect(planJson(r.stdout).coverage!.unreached).toEqual([
      { message: 'vip', where: 'messages/vip.yaml:12', branch: 'the {{#if vip}} branch', reason: 'no example reaches it' },
    ]);
    writeFileSync(join(root, 'chirp.config.yaml'), `${TEST_CONFIG}requireCoverage: true\n`);
    expect((await runCli(['plan', '--base', 'main'], { cwd: root })).code).toBe(1);
    writeFileSync(join(root, 'rows.csv'), 'phone,vip,name\n+31612345678,true,Ada\n+31612345679,false,Bo\n');
    expect((await runCli(['plan', '--base', 'main', '--data', 'rows.csv'], { cwd: root })).code).toBe(0);
    const usage = await runCli(['plan', '--require-coverage'], { cwd: root });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--require-coverage goes with --base');
  });
});

describe('validate --coverage / --require-coverage', () => {
  it('names the branch no example reaches (exit 1) and passes once every branch is reached', async () => {
    const root = makeCatalog({ 'messages/vip.yaml': VIP('Gold') });
    const table = await runCli(['validate', '--coverage'], { cwd: root });
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('vip (messages/vip.yaml): 1 of 2 branches reached (1 example)');
    expect(table.stdout).toContain('✗ messages/vip.yaml:12  the {{#if vip}} branch: no example');
    expect(table.stdout).toContain('✓ messages/vip.yaml:14  the {{else}} of {{#if vip}}: example 1');
    const required = await runCli(['validate', '--require-coverage'], { cwd: root });
    expect(required.code).toBe(1);
    expect(required.stdout).toContain(
      'messages/vip.yaml:12:1  error  E_BRANCH_UNREACHED  vip: the {{#if vip}} branch is reached by no example',
    );
    writeFileSync(join(root, 'chirp.config.yaml'), `${TEST_CONFIG}requireCoverage: true\n`);
    expect((await runCli(['validate'], { cwd: root })).code).toBe(1);
    writeFileSync(join(root, 'messages/vip.yaml'), `${VIP('Gold')}  - { phone: "+31612345679", vip: true, name: Bo }\n`);
    const ok = await runCli(['validate', '--format', 'json'], { cwd: root });
    expect(ok.code).toBe(0);
    const coverage = (JSON.parse(ok.stdout) as { coverage: { branches: { branch: string; rows: number[] }[] }[] }).coverage;
    expect(coverage[0]!.branches.map((b) => [b.branch, b.rows])).toEqual([
      ['the {{#if vip}} branch', [2]],
      ['the {{else}} of {{#if vip}}', [1]],
    ]);
  });

  it("chirp init's catalog reaches every branch", async () => {
    const root = tempDir('chirp-init-');
    expect((await runCli(['init'], { cwd: root })).code).toBe(0);
    const r = await runCli(['validate', '--require-coverage', '--coverage'], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('releases/notice (messages/releases/notice.yaml): 3 of 3 branches reached');
    expect(r.stdout).not.toContain('✗');
  });
});
