// `chirp plan --base` and the config: every setting of chirp.config.yaml that changes what a send
// carries or where it goes must show in the plan (a plan shows everything it cannot rule out). The
// API URL is where the access key and every number and text go; defaultCountry decides which number
// a local `0612345678` becomes. Each case is a real git repository in a temp folder.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCatalog, TEST_CONFIG } from '../helpers/catalog.js';
import { runCli } from '../helpers/cli.js';
import { GIT_ENV } from '../helpers/git.js';

function message(phone = '+31612345678'): string {
  return `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  name: { type: string }
body:
  type: text
  text:
    text: "Hi {{name}}"
examples:
  - { phone: "${phone}", name: Ada }
`;
}

function repo(files: Record<string, string>): string {
  const root = makeCatalog(files);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', env: GIT_ENV });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  return root;
}

/** Edit chirp.config.yaml in the working tree (what a pull request does). */
function editConfig(root: string, edit: (text: string) => string): void {
  const path = join(root, 'chirp.config.yaml');
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
}

interface JsonPlan {
  messages: {
    id: string;
    status: string;
    recipients: number;
    destination: { path: string; old?: unknown; new?: unknown }[];
    definition: { path: string; where: string }[];
  }[];
  summary: Record<string, number>;
}

describe('apiUrl in chirp.config.yaml is where every message goes', () => {
  it('a pull request that points apiUrl elsewhere changes where every message goes: flagged, exit 2', async () => {
    const root = repo({ 'messages/a.yaml': message(), 'messages/b.yaml': message('+31612345679') });
    editConfig(root, (t) => `${t}apiUrl: https://evil.example.net\n`);
    const text = await runCli(['plan', '--base', 'HEAD', '--detailed-exitcode'], { cwd: root });
    expect(text.code).toBe(2);
    expect(text.stdout).toContain('WHERE IT GOES CHANGES');
    expect(text.stdout).toMatch(/0 added, 0 removed, 0 renamed, 2 changed/);
    expect(text.stdout).toContain('+ destination.apiUrl: "https://evil.example.net"');
    const markdown = await runCli(['plan', '--base', 'HEAD', '--format', 'markdown', '--detailed-exitcode'], { cwd: root });
    expect(markdown.code).toBe(2);
    expect(markdown.stdout).toContain('**⚠️ Where it goes changes');
    expect(markdown.stdout).not.toContain('No message changes what it sends');
    const json = await runCli(['plan', '--base', 'HEAD', '--format', 'json'], { cwd: root });
    const plan = JSON.parse(json.stdout) as JsonPlan;
    expect(plan.messages.map((m) => [m.id, m.status, m.recipients, m.destination])).toEqual([
      [
        'a',
        'changed',
        1,
        [
          {
            kind: 'changed',
            path: 'destination.apiUrl',
            before: JSON.stringify('https://api.bird.com'),
            after: JSON.stringify('https://evil.example.net'),
          },
        ],
      ],
      [
        'b',
        'changed',
        1,
        [
          {
            kind: 'changed',
            path: 'destination.apiUrl',
            before: JSON.stringify('https://api.bird.com'),
            after: JSON.stringify('https://evil.example.net'),
          },
        ],
      ],
    ]);
    // The definition layer names it too, at the config: shown even when no row renders the message.
    expect(plan.messages[0]!.definition).toContainEqual(
      expect.objectContaining({ path: '(where it goes).apiUrl', where: 'chirp.config.yaml' }),
    );
  });

  it('a change of the path alone is a change too; the same URL written again is none', async () => {
    const root = repo({
      'chirp.config.yaml': 'apiUrl: https://api.bird.com\nchannels:\n  whatsapp: 9b8c7d6e-0000-4000-8000-000000000002\n',
      'messages/a.yaml': message(),
    });
    editConfig(root, (t) => t.replace('apiUrl: https://api.bird.com', 'apiUrl: "https://api.bird.com"'));
    const same = await runCli(['plan', '--base', 'HEAD', '--detailed-exitcode'], { cwd: root });
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/0 changed, 1 unchanged/);
    editConfig(root, (t) => t.replace('"https://api.bird.com"', 'https://api.bird.com/proxy'));
    const moved = await runCli(['plan', '--base', 'HEAD', '--detailed-exitcode'], { cwd: root });
    expect(moved.code).toBe(2);
    expect(moved.stdout).toContain('+ destination.apiUrl: "https://api.bird.com/proxy"');
  });

  it('BIRD_API_URL wins on both sides, as at send time (like BIRD_WORKSPACE_ID)', async () => {
    const root = repo({ 'messages/a.yaml': message() });
    editConfig(root, (t) => `${t}apiUrl: https://evil.example.net\n`);
    const env = { BIRD_API_URL: 'http://127.0.0.1:9' };
    const result = await runCli(['plan', '--base', 'HEAD', '--detailed-exitcode'], { cwd: root, env });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/0 changed, 1 unchanged/);
  });
});

describe('defaultCountry in chirp.config.yaml decides the number', () => {
  // 0475 12 34 56: a number in the Netherlands (Roermond) and in Belgium (a mobile) alike.
  it('a local number in the rows goes to another person: flagged per recipient, exit 2', async () => {
    const root = repo({ 'chirp.config.yaml': `${TEST_CONFIG}defaultCountry: NL\n`, 'messages/a.yaml': message('0475123456') });
    editConfig(root, (t) => t.replace('defaultCountry: NL', 'defaultCountry: BE'));
    const result = await runCli(['plan', '--base', 'HEAD', '--format', 'json', '--detailed-exitcode'], { cwd: root });
    expect(result.code).toBe(2);
    const plan = JSON.parse(result.stdout) as JsonPlan;
    expect(plan.messages[0]!.status).toBe('changed');
    expect(plan.messages[0]!.recipients).toBe(1);
    expect(plan.messages[0]!.definition).toEqual([expect.objectContaining({ path: 'defaultCountry', where: 'chirp.config.yaml' })]);
    const text = await runCli(['plan', '--base', 'HEAD', '--reveal'], { cwd: root });
    expect(text.stdout).toMatch(/- receiver\.contacts\[0\]: contact \+31475123456\n\s+\+ receiver\.contacts\[0\]: contact \+32475123456/);
  });

  it('with numbers that carry their country the rows show nothing, but the change is still shown (real data may be local)', async () => {
    const root = repo({ 'chirp.config.yaml': `${TEST_CONFIG}defaultCountry: NL\n`, 'messages/a.yaml': message() });
    editConfig(root, (t) => t.replace('defaultCountry: NL', 'defaultCountry: BE'));
    const result = await runCli(['plan', '--base', 'HEAD', '--format', 'json', '--detailed-exitcode'], { cwd: root });
    expect(result.code).toBe(2);
    const plan = JSON.parse(result.stdout) as JsonPlan;
    expect(plan.messages[0]!.status).toBe('changed');
    expect(plan.messages[0]!.definition).toEqual([expect.objectContaining({ path: 'defaultCountry', where: 'chirp.config.yaml' })]);
  });
});

describe('a config named with --config is the one both sides read', () => {
  it('chirp.prod.yaml: a channel and apiUrl change there is where it goes, at the base too', async () => {
    const root = repo({ 'chirp.prod.yaml': TEST_CONFIG, 'messages/a.yaml': message() });
    execFileSync('git', ['rm', '-q', 'chirp.config.yaml'], { cwd: root, env: GIT_ENV });
    execFileSync('git', ['commit', '-q', '-m', 'one config'], { cwd: root, env: GIT_ENV });
    writeFileSync(
      join(root, 'chirp.prod.yaml'),
      `${TEST_CONFIG.replace('000000000002', '0000000000ff')}apiUrl: https://evil.example.net\n`,
    );
    const result = await runCli(['plan', '--config', 'chirp.prod.yaml', '--base', 'HEAD', '--format', 'json', '--detailed-exitcode'], {
      cwd: root,
    });
    expect(result.code).toBe(2);
    const plan = JSON.parse(result.stdout) as JsonPlan;
    expect(plan.messages[0]!.destination.map((e) => e.path)).toEqual(['destination.channel', 'destination.apiUrl']);
  });

  it('chirp.prod.yaml: a suppression list taken out of it is a consent change (its people would now be sent to)', async () => {
    const root = repo({
      'chirp.prod.yaml': `${TEST_CONFIG}suppress: [optout.txt]\n`,
      'optout.txt': '+31612345678\n',
      'messages/a.yaml': message(),
    });
    writeFileSync(join(root, 'chirp.prod.yaml'), TEST_CONFIG);
    const result = await runCli(['plan', '--config', 'chirp.prod.yaml', '--base', 'HEAD', '--format', 'json', '--detailed-exitcode'], {
      cwd: root,
    });
    expect(result.code).toBe(2);
    const plan = JSON.parse(result.stdout) as { consent?: { lists: unknown[]; messages: unknown[] } };
    expect(plan.consent).toMatchObject({ lists: [{ file: 'optout.txt', change: 'removed' }], messages: [{ id: 'a', noLongerSkipped: 1 }] });
  });
});
