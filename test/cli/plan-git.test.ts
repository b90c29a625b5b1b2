// `chirp plan` against real git, as an adversarial user would use it: the catalog's one listing rule on
// both sides, selectors that must match, renames, merge-base semantics, CRLF checkouts. Each repository
// is built in a temp folder with the real git.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCatalog } from '../helpers/catalog.js';
import { runCli } from '../helpers/cli.js';
import { CANARY_KEY, sendEnv, type SendEnv } from '../helpers/send.js';
import { tempDir } from '../helpers/temp.js';
import { GIT_ENV } from '../helpers/git.js';

function message(text: string): string {
  return `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  name: { type: string }
body:
  type: text
  text:
    text: ${JSON.stringify(text)}
examples:
  - { phone: "+31612345678", name: Ada }
  - { phone: "+31612345679", name: Bob }
`;
}

function repo(files: Record<string, string>): { root: string; git: (...args: string[]) => string; commit: (m?: string) => void } {
  const root = makeCatalog(files);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', env: GIT_ENV });
  git('init', '-q', '-b', 'main');
  const commit = (m = 'x') => {
    git('add', '-A');
    git('commit', '-q', '--allow-empty', '-m', m);
  };
  commit();
  return { root, git, commit };
}

interface JsonPlan {
  base: { ref: string; commit: string; tip: string; mergeBase: boolean };
  messages: { id: string; status: string; recipients: number; introduced: { code: string }[] }[];
  summary: Record<string, number>;
}
const json = (stdout: string): JsonPlan => JSON.parse(stdout) as JsonPlan;

let env: SendEnv | undefined;
afterEach(async () => {
  await env?.fake.close();
  env = undefined;
});

describe('twins: x.yaml and x.yml (case 4)', () => {
  it('are an error for validate, render, send and plan alike', async () => {
    const { root } = repo({ 'messages/notice.yaml': message('Hi {{name}} (yaml)') });
    writeFileSync(join(root, 'messages/notice.yml'), message('Hi {{name}} (yml)'));
    const validate = await runCli(['validate'], { cwd: root });
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain('E_MESSAGE_TWIN');
    const render = await runCli(['render', 'notice'], { cwd: root });
    expect(render.code).toBe(1);
    expect(render.stdout).toBe('');
    expect(render.stderr).toContain('E_MESSAGE_TWIN');
    const send = await runCli(['send', 'notice', '--data', 'rows.csv', '--dry-run'], { cwd: root });
    expect(send.code).toBe(1);
    expect(send.stderr).toContain('E_MESSAGE_TWIN');
    const plan = await runCli(['plan', '--base', 'main', '--format', 'json'], { cwd: root });
    expect(plan.code).toBe(1);
    expect(json(plan.stdout).messages[0]!.introduced.map((p) => p.code)).toEqual(['E_MESSAGE_TWIN']);
    expect(plan.stdout).not.toContain('(yml)');
  });
});

describe('one listing rule on both sides (case 5)', () => {
  it('hidden files and folders, nested _partials and symlinks are the same in the working tree and in git', async () => {
    const { root, git, commit } = repo({
      'messages/notice.yaml': message('Hi {{name}}'),
      'messages/.drafts/wip.yaml': message('draft'),
      'messages/.hidden.yaml': message('hidden'),
      'messages/orders/_partials/inner.yaml': message('inner'),
      'messages/_partials/sig.hbs': 'The team\n',
    });
    symlinkSync('notice.yaml', join(root, 'messages/link.yaml'));
    commit('with a symlink');
    expect(git('status', '--porcelain')).toBe('');
    const plan = await runCli(['plan', '--base', 'HEAD', '--detailed-exitcode'], { cwd: root });
    expect(plan.stderr).toBe('');
    // The linked message is an error on both sides (never read), the same on both: unchanged.
    expect(plan.stdout).toMatch(/0 added, 0 removed, 0 renamed, 0 changed, 2 unchanged; 0 problems introduced, 0 fixed/);
    expect(plan.code).toBe(0);
    const validate = await runCli(['validate', '--format', 'json'], { cwd: root });
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain('E_CATALOG_SYMLINK');
    expect(validate.stdout).not.toContain('wip');
    expect((await runCli(['render', 'link'], { cwd: root })).code).toBe(2);
    expect((await runCli(['render', '.drafts/wip'], { cwd: root })).code).toBe(2);
  });
});

describe('selectors must match (case 6)', () => {
  const files = { 'messages/releases/notice.yaml': message('Hi {{name}}'), 'messages/orders/shipped.yaml': message('Shipped, {{name}}') };

  it('a MESSAGE that matches nothing is exit 2 naming the closest ids, in every mode', async () => {
    const { root } = repo(files);
    for (const args of [
      ['plan', '--base', 'HEAD', 'relases/notice'],
      ['plan', 'relases/notice'],
      ['render', 'relases/notice'],
      ['send', 'relases/notice', '--data', 'x.csv', '--dry-run'],
    ]) {
      const result = await runCli(args, { cwd: root });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(/closest: releases\/notice/);
      expect(result.stdout).toBe('');
    }
  });

  it('a path selects its message; globs select many; an empty --base is a usage error', async () => {
    const { root } = repo(files);
    writeFileSync(join(root, 'messages/releases/notice.yaml'), message('Hello {{name}}'));
    const byPath = await runCli(['plan', '--base', 'HEAD', 'messages/releases/notice.yaml', '--format', 'json'], { cwd: root });
    expect(json(byPath.stdout).messages.map((m) => [m.id, m.status])).toEqual([['releases/notice', 'changed']]);
    const fromInside = await runCli(['plan', '--base', 'HEAD', 'notice.yaml', '--format', 'json'], {
      cwd: join(root, 'messages/releases'),
    });
    expect(json(fromInside.stdout).messages.map((m) => m.id)).toEqual(['releases/notice']);
    const glob = await runCli(['plan', '--base', 'HEAD', '*/*', '--format', 'json'], { cwd: root });
    expect(json(glob.stdout).messages.map((m) => m.id)).toEqual(['orders/shipped', 'releases/notice']);
    const empty = await runCli(['plan', '--base', ''], { cwd: root });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/--base needs a git revision/);
  });

  it('a message id is the path inside messages/, whatever the current folder; a file outside is refused', async () => {
    const { root } = repo(files);
    const fromRoot = await runCli(['render', 'messages/releases/notice.yaml'], { cwd: root });
    const fromFolder = await runCli(['render', 'notice.yaml'], { cwd: join(root, 'messages/releases') });
    expect(fromRoot.code).toBe(0);
    expect(fromFolder.stdout).toBe(fromRoot.stdout);
    mkdirSync(join(root, 'campaigns'));
    writeFileSync(join(root, 'campaigns/spring.yaml'), message('Spring'));
    const outside = await runCli(['render', 'spring.yaml'], { cwd: join(root, 'campaigns') });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/not inside .*messages/);
  });
});

describe('renames (case 7)', () => {
  it('plan and send both say that everyone gets a renamed message again', async () => {
    env = await sendEnv(3);
    const first = await env.send();
    expect(first.code).toBe(0);
    renameSync(join(env.root, 'messages/notice.yaml'), join(env.root, 'messages/announce.yaml'));
    const again = await runCli(['send', 'announce', '--data', 'rows.csv', '--journal', env.journal, '--dry-run'], {
      cwd: env.root,
      env: { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
    });
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(
      /warning: .*runs of notice with the same content .*does not follow renames, so every recipient gets it again/,
    );
    const plan = await runCli(['plan', 'announce', '--data', 'rows.csv', '--journal', env.journal], { cwd: env.root });
    expect(plan.stderr).toMatch(/does not follow renames/);

    const { root, git } = repo({ 'messages/notice.yaml': message('Hi {{name}}') });
    git('mv', 'messages/notice.yaml', 'messages/announce.yaml');
    const diff = await runCli(['plan', '--base', 'main', '--detailed-exitcode'], { cwd: root });
    expect(diff.code).toBe(2);
    expect(diff.stdout).toMatch(/→ announce .*renamed from notice.*does not follow renames, so every recipient \(2\) gets it again/);
  });
});

describe('merge-base semantics (case 8)', () => {
  it('--base REF compares with the merge base, as a pull request does; --no-merge-base with REF itself', async () => {
    const { root, git, commit } = repo({ 'messages/a.yaml': message('A {{name}}') });
    git('checkout', '-q', '-b', 'feature');
    writeFileSync(join(root, 'messages/b.yaml'), message('B {{name}}'));
    commit('feature adds b');
    git('checkout', '-q', 'main');
    writeFileSync(join(root, 'messages/c.yaml'), message('C {{name}}'));
    commit('main moves on with c');
    const mainTip = git('rev-parse', 'main').trim();
    const forkPoint = git('rev-parse', 'main~1').trim();
    // GitHub checks out a merge commit of the pull request; a re-run after main moved on keeps it.
    git('checkout', '-q', '--detach', forkPoint);
    git('merge', '-q', '--no-ff', '-m', 'merge', 'feature');

    const plan = await runCli(['plan', '--base', 'main', '--format', 'json'], { cwd: root });
    const p = json(plan.stdout);
    expect(p.messages.filter((m) => m.status !== 'unchanged').map((m) => [m.id, m.status])).toEqual([['b', 'added']]);
    expect(p.base).toEqual({ ref: 'main', commit: forkPoint, tip: mainTip, mergeBase: true });
    const text = await runCli(['plan', '--base', 'main'], { cwd: root });
    expect(text.stdout.split('\n')[0]).toContain(
      `main at its merge base with HEAD, ${forkPoint.slice(0, 10)} (main is at ${mainTip.slice(0, 10)})`,
    );
    expect(text.stdout.split('\n')[0]).toMatch(/working tree \(HEAD [0-9a-f]{10}\)/);

    const twoDot = await runCli(['plan', '--base', 'main', '--no-merge-base', '--format', 'json'], { cwd: root });
    expect(
      json(twoDot.stdout)
        .messages.filter((m) => m.status !== 'unchanged')
        .map((m) => [m.id, m.status]),
    ).toEqual([
      ['b', 'added'],
      ['c', 'removed'],
    ]);
  });

  it('a shallow clone gets a clear error with the fetch command to run', async () => {
    const { root, git, commit } = repo({ 'messages/a.yaml': message('A {{name}}') });
    git('checkout', '-q', '-b', 'feature');
    writeFileSync(join(root, 'messages/b.yaml'), message('B {{name}}'));
    commit();
    git('checkout', '-q', 'main');
    writeFileSync(join(root, 'messages/c.yaml'), message('C {{name}}'));
    commit();
    const clone = join(tempDir('chirp-clone-'), 'c');
    execFileSync('git', ['clone', '-q', '--depth', '1', '--branch', 'feature', `file://${root}`, clone], { env: GIT_ENV });
    const missing = await runCli(['plan', '--base', 'origin/main'], { cwd: clone });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/fetch it first/);
    execFileSync('git', ['fetch', '-q', '--depth', '1', 'origin', 'main:refs/remotes/origin/main'], { cwd: clone, env: GIT_ENV });
    const shallow = await runCli(['plan', '--base', 'origin/main'], { cwd: clone });
    expect(shallow.code).toBe(2);
    expect(shallow.stderr).toMatch(/shallow.*git fetch --unshallow/);
  });
});

describe('CRLF checkouts (case 9)', () => {
  it('core.autocrlf=true: a clean tree plans no change and renders no \\r', async () => {
    const { root, git } = repo({
      'messages/notice.yaml': message('Hi {{name}}\n{{> sig}}').replace(
        'text: "Hi {{name}}\\n{{> sig}}"',
        'text: |-\n      Hi {{name}},\n      {{> sig}}',
      ),
      'messages/_partials/sig.hbs': 'Cheers,\nthe team\n',
    });
    git('config', 'core.autocrlf', 'true');
    execFileSync('rm', ['-rf', join(root, 'messages')]);
    git('checkout', '--', '.');
    expect(readFileSync(join(root, 'messages/_partials/sig.hbs'), 'utf8')).toContain('\r\n');
    expect(git('status', '--porcelain')).toBe('');
    const plan = await runCli(['plan', '--base', 'HEAD', '--detailed-exitcode'], { cwd: root });
    expect(plan.stdout).toMatch(/0 changed, 1 unchanged/);
    expect(plan.code).toBe(0);
    const render = await runCli(['render', 'notice'], { cwd: root });
    expect(render.code).toBe(0);
    expect(render.stdout).not.toContain('\\r');
    expect(render.stdout).toContain('Hi Ada,\\nCheers,\\nthe team');
  });
});

describe('where it goes, from git (case 3)', () => {
  it('an alias pointed at another channel id in chirp.config.yaml changes every message, exit 2 with --detailed-exitcode', async () => {
    const { root } = repo({ 'messages/notice.yaml': message('Hi {{name}}') });
    writeFileSync(
      join(root, 'chirp.config.yaml'),
      readFileSync(join(root, 'chirp.config.yaml'), 'utf8').replace('000000000002', '0000000000ff'),
    );
    const result = await runCli(['plan', '--base', 'main', '--detailed-exitcode', '--format', 'markdown'], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('| 0 | 0 | 0 | 1 | 0 | 0 | 0 |');
    expect(result.stdout).toContain('**⚠️ Where it goes changes');
    expect(result.stdout).toContain('- **` - destination.channel: "9b8c7d6e-0000-4000-8000-000000000002" `**');
  });
});

describe('where it goes: channel, fallback template, workspace (case 3)', () => {
  const fallback = (locale: string) =>
    message('Hi {{name}}').replace(
      'examples:',
      `fallback:\n  template: { projectId: 3d5f2a10-0000-4000-8000-00000000c0de, version: latest, locale: ${locale}, parameters: [{ type: string, key: name, value: "{{name}}" }] }\nexamples:`,
    );

  it('is compared like the body, and a change is a change of every recipient', async () => {
    const { root } = repo({
      'chirp.config.yaml':
        'workspace: 2f1c3a4e-0000-4000-8000-000000000001\nchannels:\n  whatsapp: 9b8c7d6e-0000-4000-8000-000000000002\n  backup: 9b8c7d6e-0000-4000-8000-0000000000bb\n',
      'messages/a.yaml': message('Hi {{name}}'),
      'messages/b.yaml': fallback('en'),
    });
    writeFileSync(join(root, 'messages/a.yaml'), message('Hi {{name}}').replace('channel: whatsapp', 'channel: backup'));
    writeFileSync(join(root, 'messages/b.yaml'), fallback('nl'));
    const result = await runCli(['plan', '--base', 'main', '--format', 'json', '--detailed-exitcode'], { cwd: root });
    expect(result.code).toBe(2);
    const p = JSON.parse(result.stdout) as {
      messages: { id: string; status: string; recipients: number; destination: { path: string }[] }[];
    };
    expect(p.messages.map((m) => [m.id, m.status, m.recipients, m.destination.map((e) => e.path)])).toEqual([
      ['a', 'changed', 2, ['destination.channel']],
      ['b', 'changed', 2, ['destination.fallbackTemplate.locale']],
    ]);
    writeFileSync(join(root, 'messages/a.yaml'), message('Hi {{name}}'));
    writeFileSync(join(root, 'messages/b.yaml'), fallback('en'));
    writeFileSync(
      join(root, 'chirp.config.yaml'),
      readFileSync(join(root, 'chirp.config.yaml'), 'utf8').replace('000000000001', '0000000000ee'),
    );
    const workspace = await runCli(['plan', '--base', 'main', '--detailed-exitcode'], { cwd: root });
    expect(workspace.code).toBe(2);
    expect(workspace.stdout).toMatch(/\*\* - destination\.workspace: "2f1c3a4e-0000-4000-8000-000000000001"/);
    expect(workspace.stdout).toMatch(/0 added, 0 removed, 0 renamed, 2 changed/);
  });
});

describe('what the CLI shows (cases 1 and 2)', () => {
  const offer = (text: string) =>
    message(text)
      .replace('  name: { type: string }\n', '  name: { type: string }\n  vip: { type: string }\n')
      .replace(
        '  - { phone: "+31612345678", name: Ada }\n',
        '  - { phone: "+31612345678", name: Ada, vip: "yes" }\n  - { phone: "+31612345670", name: Cy }\n',
      );

  it('every distinct new text is shown with its count, in every format', async () => {
    const { root } = repo({ 'messages/offer.yaml': offer('{{#if vip}}VIP: 50% off today{{else}}10% off today{{/if}}') });
    writeFileSync(join(root, 'messages/offer.yaml'), offer('{{#if vip}}VIP: 60% off today{{else}}No discount for you, cheapskate{{/if}}'));
    for (const format of ['text', 'markdown', 'json']) {
      const result = await runCli(['plan', '--base', 'main', '--format', format], { cwd: root });
      expect(result.stdout, format).toContain('No discount for you, cheapskate');
      expect(result.stdout, format).toContain('VIP: 60% off today');
    }
    const text = await runCli(['plan', '--base', 'main'], { cwd: root });
    expect(text.stdout).toMatch(
      /2 recipients: same change.*\n\s+- body\.text\.text: "10% off today"\n\s+\+ body\.text\.text: "No discount for you, cheapskate"/,
    );
  });

  it('an added value is never cut in JSON, nor in text below the bound', async () => {
    const long = `Our spring sale has started and everything in the shop is 30% off until Sunday. ${'Come and see what is new. '.repeat(10)}The end.`;
    const { root } = repo({ 'messages/s.yaml': message('Hi {{name}}') });
    writeFileSync(
      join(root, 'messages/s.yaml'),
      message('Hi {{name}}').replace(
        /body:[\s\S]*examples:/,
        `body:\n  type: image\n  image:\n    images:\n      - mediaUrl: "https://shop.example.com/spring.jpg"\n    text: ${JSON.stringify(long)}\nexamples:`,
      ),
    );
    const result = await runCli(['plan', '--base', 'main', '--format', 'json'], { cwd: root });
    expect(result.stdout).toContain('The end.');
    expect(result.stdout).not.toContain('…');
    const text = await runCli(['plan', '--base', 'main'], { cwd: root });
    expect(text.stdout).toContain(`+ body.image.text: ${JSON.stringify(long)}`);
  });
});
