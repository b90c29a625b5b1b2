// WhatsApp templates end to end: `templates pull` against the fake Bird, offline `validate`, `render`
// per-row limits, the send preflight after Bird changed, and the lock change in `plan --base`.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { makeCatalog } from '../helpers/catalog.js';
import { hasStackTrace, runCli, type CliOptions, type CliResult } from '../helpers/cli.js';
import { CANARY_KEY } from '../helpers/send.js';
import { tempDir } from '../helpers/temp.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/templates/bird/', import.meta.url));
const WELCOME = '3d5f2a10-0000-4000-8000-00000000c0de';
const ACTIVE = 'a0000000-0000-4000-8000-00000000c002';
/** Nothing listens there: proves a command does not need Bird. */
const UNREACHABLE = 'http://127.0.0.1:9';

function welcome(extra: { locale?: string; parameters?: string; projectId?: string } = {}): string {
  return `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  first_name: { type: string, minLength: 1 }
  trial_days: { type: integer }
required: [phone, first_name, trial_days]
template:
  projectId: ${extra.projectId ?? WELCOME}
  version: latest
  locale: ${extra.locale ?? 'en'}
  parameters:
${
  extra.parameters ??
  `    - { type: string, key: first_name, value: "{{first_name}}" }
    - { type: number, key: trial_days, value: "{{trial_days}}" }`
}
examples:
  - { phone: "+31612345678", first_name: Ada, trial_days: 14 }
`;
}

interface Env {
  root: string;
  fake: FakeBird;
  journal: string;
  run(args: string[], env?: Record<string, string>, options?: CliOptions): Promise<CliResult>;
  git(...args: string[]): string;
}

let fake: FakeBird | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(files: Record<string, string> = {}, pageSize?: number): Promise<Env> {
  fake = await startFakeBird({ accessKey: CANARY_KEY, templates: FIXTURES, ...(pageSize ? { templatePageSize: pageSize } : {}) });
  const root = makeCatalog({
    'messages/welcome.yaml': welcome(),
    'rows.csv': 'phone,first_name,trial_days\n+31612345678,Ada,14\n+31612345679,Bob,30\n',
    ...files,
  });
  const journal = tempDir('chirp-journal-');
  const url = fake.url;
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' },
    });
  return {
    root,
    fake,
    journal,
    git,
    run: (args, env = {}, options = {}) =>
      runCli(args, { ...options, cwd: root, env: { BIRD_API_URL: url, BIRD_ACCESS_KEY: CANARY_KEY, ...env } }),
  };
}

interface Lock {
  pulledAt: string;
  projects: Record<
    string,
    {
      activeTemplateId: string;
      templates: Record<string, { status: string; variables: Record<string, { type: string; characterLimit: number }> }>;
    }
  >;
}
const readLock = (root: string): Lock => JSON.parse(readFileSync(join(root, 'templates.lock.json'), 'utf8')) as Lock;
const codes = (r: CliResult): string[] => (JSON.parse(r.stdout) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code);

describe('chirp templates pull', () => {
  it('writes a lock naming the active channel template and its variables, paging through the listing', async () => {
    const e = await setup({}, 1);
    const result = await e.run(['templates', 'pull']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lock = readLock(e.root);
    const project = lock.projects[WELCOME]!;
    expect(project.activeTemplateId).toBe(ACTIVE);
    // The project has two channel templates and the fake serves one per page.
    expect(Object.keys(project.templates)).toHaveLength(2);
    expect(project.templates[ACTIVE]!.variables).toMatchObject({
      first_name: { type: 'string', characterLimit: 30 },
      trial_days: { type: 'number' },
    });
    expect(e.fake.requests.filter((r) => r.path.endsWith('/channel-templates')).map((r) => r.query.includes('pageToken='))).toEqual([
      false,
      true,
    ]);
    // Only the projects the catalog uses, and the key never lands in the lock.
    expect(Object.keys(lock.projects)).toEqual([WELCOME]);
    expect(readFileSync(join(e.root, 'templates.lock.json'), 'utf8')).not.toContain(CANARY_KEY);
  });

  it('is deterministic: a second pull changes nothing but pulledAt', async () => {
    const e = await setup();
    await e.run(['templates', 'pull']);
    const first = readFileSync(join(e.root, 'templates.lock.json'), 'utf8');
    await e.run(['templates', 'pull']);
    const second = readFileSync(join(e.root, 'templates.lock.json'), 'utf8');
    const strip = (t: string) => t.replace(/"pulledAt": "[^"]+"/, '');
    expect(strip(second)).toBe(strip(first));
  });

  it('names the files of a project Bird does not have, and still writes the rest (exit 1)', async () => {
    const e = await setup({ 'messages/ghost.yaml': welcome({ projectId: '99999999-0000-4000-8000-000000000000' }) });
    const result = await e.run(['templates', 'pull']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('E_TEMPLATE_PULL');
    expect(result.stderr).toContain('messages/ghost.yaml');
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(Object.keys(readLock(e.root).projects)).toEqual([WELCOME]);
  });

  it('leaves the lock alone when Bird is unreachable or the key is refused', async () => {
    const e = await setup();
    await e.run(['templates', 'pull']);
    const before = readFileSync(join(e.root, 'templates.lock.json'), 'utf8');
    const refused = await e.run(['templates', 'pull'], { BIRD_ACCESS_KEY: 'wrong-key-0123' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('left as it was');
    expect(refused.stderr).not.toContain('wrong-key-0123');
    // Each lookup is tried as often as ever, without the backoff's seconds between tries.
    const unreachable = await e.run(['templates', 'pull'], { BIRD_API_URL: UNREACHABLE }, { instantRetries: true });
    expect(unreachable.code).toBe(1);
    expect(hasStackTrace(unreachable.stderr)).toBe(false);
    expect(readFileSync(join(e.root, 'templates.lock.json'), 'utf8')).toBe(before);
  });

  it('refuses an answer without the expected shape instead of locking a guess', async () => {
    const e = await setup();
    // A 200 whose body lacks `results` (a fault's body is served as it is).
    e.fake.faults.push({ kind: 'status', status: 200 as never, body: { items: [] }, on: (r) => r.path.endsWith('/channel-templates') });
    const result = await e.run(['templates', 'pull']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/does not have the expected shape \(page\.results: expected an array\)/);
    expect(readLock(e.root).projects).toEqual({});
  });
});

describe('chirp validate against the lock (offline)', () => {
  async function pulled(files: Record<string, string>): Promise<Env> {
    const e = await setup(files);
    expect((await e.run(['templates', 'pull'])).code).toBe(0);
    return e;
  }

  it('accepts a correct template message with Bird unreachable', async () => {
    const e = await pulled({});
    const result = await e.run(['validate'], { BIRD_API_URL: UNREACHABLE });
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('0 errors, 0 warnings');
    expect(result.code).toBe(0);
  });

  it('refuses a pending locale, a missing and an unknown variable, a project missing from the lock', async () => {
    const e = await pulled({
      'messages/pending.yaml': welcome({ locale: 'es' }),
      'messages/missing.yaml': welcome({ parameters: '    - { type: string, key: first_name, value: "{{first_name}}" }' }),
      'messages/unknown.yaml': welcome({
        parameters: `    - { type: string, key: first_name, value: "{{first_name}}" }
    - { type: number, key: trial_days, value: "{{trial_days}}" }
    - { type: string, key: coupon, value: SPRING }`,
      }),
    });
    // Added after the pull: not in the lock.
    writeFileSync(join(e.root, 'messages/unlocked.yaml'), welcome({ projectId: 'ce6a2fd6-b2fa-4f5a-a2cd-f3bd15883318' }));
    const result = await e.run(['validate', '--format', 'json'], { BIRD_API_URL: UNREACHABLE });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { diagnostics: { code: string; file: string; line: number; hint?: string }[] };
    const byFile = (f: string) => report.diagnostics.filter((d) => d.file.endsWith(f) && d.code.startsWith('E_')).map((d) => d.code);
    expect(byFile('pending.yaml')).toEqual(['E_TEMPLATE_LOCALE']);
    expect(byFile('missing.yaml')).toEqual(['E_TEMPLATE_PARAM_MISSING']);
    expect(byFile('unknown.yaml')).toEqual(['E_TEMPLATE_PARAM_UNKNOWN']);
    expect(byFile('unlocked.yaml')).toEqual(['E_TEMPLATE_NOT_LOCKED']);
    expect(byFile('welcome.yaml')).toEqual([]);
    const unlocked = report.diagnostics.find((d) => d.code === 'E_TEMPLATE_NOT_LOCKED')!;
    expect(unlocked.hint).toContain('chirp templates pull');
    expect(unlocked.line).toBe(9); // projectId
  });

  it('refuses a damaged lock (fail closed) and warns about an old one', async () => {
    const e = await pulled({});
    const path = join(e.root, 'templates.lock.json');
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace(/"pulledAt": "[^"]+"/, '"pulledAt": "2020-01-01T00:00:00.000Z"'));
    const old = await e.run(['validate', '--format', 'json'], { BIRD_API_URL: UNREACHABLE });
    expect(codes(old)).toEqual(['W_TEMPLATE_LOCK_STALE']);
    expect(old.code).toBe(0);
    writeFileSync(path, text.replace('"status": "active"', '"status": 7'));
    const damaged = await e.run(['validate', '--format', 'json'], { BIRD_API_URL: UNREACHABLE });
    expect(damaged.code).toBe(1);
    expect(codes(damaged)).toEqual(expect.arrayContaining(['E_TEMPLATE_LOCK']));
  });

  it('render refuses a value over characterLimit and shows the text the recipient reads', async () => {
    const e = await pulled({ 'long.csv': `phone,first_name,trial_days\n+31612345678,${'A'.repeat(31)},14\n+31612345679,Bob,30\n` });
    const result = await e.run(['render', 'welcome', '--data', 'long.csv'], { BIRD_API_URL: UNREACHABLE });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('E_TEMPLATE_PARAM_LIMIT');
    expect(result.stderr).toContain('row 1');
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    const shown = await e.run(['render', 'welcome', '--show-template'], { BIRD_API_URL: UNREACHABLE });
    expect(shown.code).toBe(0);
    expect(shown.stderr).toContain('Hi Ada, your free trial of 14 days starts today.');
    expect(JSON.parse(shown.stdout) as object).toHaveProperty('template');
  });

  it('render refuses WhatsApp-illegal parameter text (tab, newline, 5 spaces) per row', async () => {
    const e = await pulled({
      'bad.ndjson':
        ['Ada\tL', 'Ada\nL', 'Ada     L', 'Ada    L']
          .map((n, i) => JSON.stringify({ phone: `+3161234567${i}`, first_name: n, trial_days: 3 }))
          .join('\n') + '\n',
    });
    const result = await e.run(['render', 'welcome', '--data', 'bad.ndjson'], { BIRD_API_URL: UNREACHABLE });
    expect(result.code).toBe(1);
    // WhatsApp's own parameter rule (E_WA_TEMPLATE_PARAM_FORMAT) or the lock's row check, whichever runs first.
    expect(result.stderr.match(/E_TEMPLATE_PARAM_TEXT|E_WA_TEMPLATE_PARAM_FORMAT/g)).toHaveLength(3);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });
});

describe('the send preflight', () => {
  async function pulled(): Promise<Env> {
    const e = await setup();
    expect((await e.run(['templates', 'pull'])).code).toBe(0);
    return e;
  }
  const send = (e: Env, ...extra: string[]) =>
    e.run(['send', 'welcome', '--data', 'rows.csv', '--journal', e.journal, '--yes', '--format', 'json', ...extra]);

  it('sends when Bird agrees with the lock, with the preflight in the report', async () => {
    const e = await pulled();
    const result = await send(e);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      accepted: number;
      templates: { mode: string; templates: { status: string; templateId: string }[] };
    };
    expect(report.accepted).toBe(2);
    expect(report.templates).toMatchObject({ mode: 'online', templates: [{ status: 'ok', templateId: ACTIVE }] });
  });

  it('after a new version with a new variable: sends nothing, exits 2 and says what changed; pull, validate and plan show it', async () => {
    const e = await pulled();
    e.git('init', '-q', '-b', 'main');
    e.git('add', '-A');
    e.git('commit', '-q', '-m', 'lock');
    const current = readLock(e.root).projects[WELCOME]!.templates[ACTIVE]!;
    const next = e.fake.publishTemplate(WELCOME, {
      variables: [...Object.values(current.variables), { key: 'coupon', type: 'string', format: 'none', characterLimit: 12 }],
    });
    const result = await send(e);
    expect(result.code).toBe(2);
    expect(e.fake.accepted).toHaveLength(0);
    expect(e.fake.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
    expect(result.stderr).toContain(`is now ${next}`);
    expect(result.stderr).toMatch(/E_TEMPLATE_CHANGED .*in the new version .*: variable "coupon" \(string\) was added/);
    expect(result.stderr).toContain('templates pull');
    expect(hasStackTrace(result.stderr)).toBe(false);

    expect((await e.run(['templates', 'pull'])).code).toBe(0);
    const validate = await e.run(['validate', '--format', 'json'], { BIRD_API_URL: UNREACHABLE });
    expect(validate.code).toBe(1);
    const d = (JSON.parse(validate.stdout) as { diagnostics: { code: string; message: string }[] }).diagnostics;
    expect(d).toEqual([
      expect.objectContaining({ code: 'E_TEMPLATE_PARAM_MISSING', message: expect.stringContaining('"coupon"') as string }),
    ]);

    const plan = await e.run(['plan', '--base', 'HEAD'], { BIRD_API_URL: UNREACHABLE });
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain(`active version ${ACTIVE} → ${next}`);
    expect(plan.stdout).toContain('variable "coupon" (string) added');
    expect(plan.stdout).toContain('affects: welcome');
    // The lock entry a message uses is part of its definition: the message itself is changed, with where.
    expect(plan.stdout).toMatch(/~ welcome .*\n[\s\S]*@ \(templates\.lock\.json\)\.3d5f2a10-[^ ]+ \(templates\.lock\.json\)/);
    expect(plan.stdout).toMatch(/introduces E_TEMPLATE_PARAM_MISSING/);
    expect(plan.stdout).toMatch(/1 problem introduced/);
    const markdown = await e.run(['plan', '--base', 'HEAD', '--format', 'markdown'], { BIRD_API_URL: UNREACHABLE });
    expect(markdown.stdout).toContain('#### Template changes (`templates.lock.json`)');
    // The detail is escaped as data (issue 29): GitHub shows `variable "coupon" (string) added`.
    expect(markdown.stdout).toMatch(/\| `3d5f2a10-[^|]+\| variable &quot;coupon&quot; \\\(string\\\) added \| `welcome` \|/);
  });

  it('checks the templates of a saved plan before sending it', async () => {
    const e = await pulled();
    expect((await e.run(['plan', 'welcome', '--data', 'rows.csv', '--out', 'plan.json'])).code).toBe(0);
    e.fake.setTemplateLocaleStatus(WELCOME, 'en', 'paused');
    const result = await e.run(['send', 'plan.json', '--journal', e.journal, '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('E_TEMPLATE_CHANGED');
    expect(e.fake.accepted).toHaveLength(0);
  });

  it('refuses when a locale loses its approval while the lock still says approved', async () => {
    const e = await pulled();
    e.fake.setTemplateLocaleStatus(WELCOME, 'en', 'inactive');
    const result = await send(e);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/E_TEMPLATE_CHANGED .*locale en is now inactive.*\(lock: approved\)/);
    expect(e.fake.accepted).toHaveLength(0);
  });

  it('--offline-templates trusts the lock and asks Bird nothing about templates', async () => {
    const e = await pulled();
    e.fake.setTemplateLocaleStatus(WELCOME, 'en', 'inactive');
    const result = await send(e, '--offline-templates');
    expect(result.code).toBe(0);
    expect(e.fake.requests.filter((r) => r.path.includes('/projects/')).length).toBe(2); // the pull only
    expect((JSON.parse(result.stdout) as { templates: { mode: string } }).templates.mode).toBe('offline');
  });

  it('plan --window check runs the preflight too', async () => {
    const e = await pulled();
    e.fake.publishTemplate(WELCOME);
    const result = await e.run(['plan', 'welcome', '--window', 'check']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('a new version was published');
  });
});
