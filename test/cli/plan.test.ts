// `chirp plan`, spawned in small git repositories: what a reviewer reads in a pull request.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeCatalog } from '../helpers/catalog.js';
import { runCli } from '../helpers/cli.js';
import { CANARY_KEY, phone, sendEnv, type SendEnv } from '../helpers/send.js';

function message(text: string, buttons = ['Upgrade', 'Later'], rows = 3): string {
  const examples = Array.from({ length: rows }, (_, i) => `  - { phone: "${phone(i)}", name: Person${i} }`).join('\n');
  return `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  name: { type: string }
  vip: { type: string }
body:
  type: text
  text:
    text: ${JSON.stringify(text)}
    actions:
${buttons.map((b) => `      - { type: reply, reply: { text: ${b} } }`).join('\n')}
examples:
${examples}
`;
}

function repo(files: Record<string, string>): { root: string; git: (...args: string[]) => string; commit: () => void } {
  const root = makeCatalog(files);
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' },
    });
  git('init', '-q', '-b', 'main');
  const commit = () => {
    git('add', '-A');
    git('commit', '-q', '-m', 'x');
  };
  commit();
  return { root, git, commit };
}

let recorder: Server | undefined;
let env: SendEnv | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (recorder ? recorder.close(() => r()) : r()));
  recorder = undefined;
  await env?.fake.close();
  env = undefined;
});

describe('chirp plan --base', () => {
  it('shows old and new lines, the recipients affected, and changed buttons as items', async () => {
    const { root } = repo({ 'messages/notice.yaml': message('Hi {{name}}, v1 is out.') });
    writeFileSync(join(root, 'messages/notice.yaml'), message('Hi {{name}}, v2 is out!', ['Upgrade', 'Not now']));
    const result = await runCli(['plan', '--base', 'main'], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('~ notice (messages/notice.yaml): 3 of 3 recipients get a different message');
    expect(result.stdout).toContain('3 recipients: same change');
    expect(result.stdout).toMatch(/- body\.text\.text: "Hi Person0, v1 is out\."\n\s+\+ body\.text\.text: "Hi Person0, v2 is out!"/);
    expect(result.stdout).toMatch(
      /- body\.text\.actions\[1\]: reply button "Later"\n\s+\+ body\.text\.actions\[1\]: reply button "Not now"/,
    );
    const detailed = await runCli(['plan', '--base', 'main', '--detailed-exitcode'], { cwd: root });
    expect(detailed.code).toBe(2);
  });

  it('exits 0 with no change, even with --detailed-exitcode, and leaves the working tree alone', async () => {
    const { root, git } = repo({ 'messages/notice.yaml': message('Hi {{name}}') });
    const result = await runCli(['plan', '--base', 'main', '--detailed-exitcode'], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/0 added, 0 removed, 0 renamed, 0 changed, 1 unchanged/);
    expect(git('status', '--porcelain')).toBe('');
  });

  it('reports added, removed and renamed messages', async () => {
    const { root } = repo({
      'messages/a.yaml': message('A {{name}}'),
      'messages/b.yaml': message('B {{name}}'),
      'messages/c.yaml': message('C {{name}}'),
    });
    rmSync(join(root, 'messages/a.yaml'));
    renameSync(join(root, 'messages/b.yaml'), join(root, 'messages/b2.yaml'));
    writeFileSync(join(root, 'messages/d.yaml'), message('D {{name}}'));
    const result = await runCli(['plan', '--base', 'main', '--format', 'json'], { cwd: root });
    const plan = JSON.parse(result.stdout) as { messages: { id: string; status: string; renamedFrom?: string; recipients: number }[] };
    expect(plan.messages.map((m) => [m.id, m.status, m.renamedFrom ?? null, m.recipients])).toEqual([
      ['a', 'removed', null, 3],
      ['b2', 'renamed', 'b', 0],
      ['c', 'unchanged', null, 0],
      ['d', 'added', null, 3],
    ]);
  });

  it('reports a change that breaks validation as a problem, and exits 1', async () => {
    const { root } = repo({ 'messages/notice.yaml': message('Hi {{name}}') });
    writeFileSync(join(root, 'messages/notice.yaml'), message('Hi {{name}}', ['One', 'Two', 'Three', 'Four']));
    const result = await runCli(['plan', '--base', 'main'], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/! introduces E_WA_BUTTONS_COUNT at messages\/notice\.yaml:\d+:\d+/);
  });

  it('counts the recipients of a data file, grouped by identical change', async () => {
    const { root } = repo({ 'messages/notice.yaml': message('Hi {{name}}{{#if vip}} (VIP){{/if}}') });
    writeFileSync(join(root, 'messages/notice.yaml'), message('Hello {{name}}{{#if vip}} (VIP){{/if}}'));
    const rows = ['phone,name,vip', ...Array.from({ length: 1204 }, (_, i) => `${phone(i)},Person${i},${i < 4 ? 'yes' : ''}`)];
    writeFileSync(join(root, 'rows.csv'), rows.join('\n'));
    const result = await runCli(['plan', '--base', 'main', '--data', 'rows.csv'], { cwd: root });
    expect(result.stdout).toContain('1,204 of 1,204 recipients get a different message');
    // Recipients share a group when their change differs only by their own values; the VIP text is its own group.
    expect(result.stdout).toContain("1,200 recipients: same change with each recipient's own name, e.g. row 5");
    expect(result.stdout).toMatch(
      /4 recipients: same change with each recipient's own name, e\.g\. row 1 .*\n.*\n\s+\+ body\.text\.text: "Hello Person0 \(VIP\)"/,
    );
  });

  it('keeps markdown under GitHub’s limit for hundreds of changed messages, cut with a note', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++)
      files[`messages/m${String(i).padStart(3, '0')}.yaml`] = message(
        `Version one of message ${i} for {{name}}. ${'Lorem ipsum dolor sit amet. '.repeat(8)}`,
      );
    const { root } = repo(files);
    for (let i = 0; i < 300; i++)
      writeFileSync(
        join(root, `messages/m${String(i).padStart(3, '0')}.yaml`),
        message(`Version two of message ${i} for {{name}}. ${'Lorem ipsum dolor sit amet. '.repeat(8)}`),
      );
    const result = await runCli(['plan', '--base', 'main', '--format', 'markdown'], { cwd: root });
    expect(result.stdout.length).toBeLessThanOrEqual(65_535);
    expect(result.stdout).toMatch(/✂️ \d+ more messages not shown/);
    expect(result.stdout).toContain('| 0 | 0 | 0 | 300 | 0 | 0 | 0 |');
    expect((result.stdout.match(/<details>/g) ?? []).length).toBe((result.stdout.match(/<\/details>/g) ?? []).length);
  });

  it('never shows a full phone number without --reveal, and never opens a connection', async () => {
    recorder = createServer((req, res) => {
      requests++;
      res.end();
    });
    let requests = 0;
    await new Promise<void>((r) => recorder!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
    const { root } = repo({ 'messages/notice.yaml': message('Hi {{name}}') });
    writeFileSync(join(root, 'messages/notice.yaml'), message('Hi {{name}} at {{phone}}').replace('to: "{{phone}}"', 'to: "{{phone}}"'));
    const envVars = { BIRD_API_URL: url, BIRD_ACCESS_KEY: CANARY_KEY };
    const outputs = [];
    for (const format of ['text', 'markdown', 'json'])
      outputs.push((await runCli(['plan', '--base', 'main', '--format', format], { cwd: root, env: envVars })).stdout);
    outputs.push((await runCli(['plan', '--format', 'json'], { cwd: root, env: envVars })).stdout);
    for (const out of outputs) {
      expect(out).not.toContain(phone(0));
      expect(out).not.toContain(phone(0).slice(1));
    }
    expect(outputs[0]).toContain('+31 6••••');
    const revealed = await runCli(['plan', '--base', 'main', '--reveal'], { cwd: root, env: envVars });
    expect(revealed.stdout).toContain(phone(0));
    expect(requests).toBe(0);
  });
});

describe('saved plans', () => {
  it('sends exactly the planned bodies, and refuses a tampered plan', async () => {
    env = await sendEnv(12);
    const planFile = join(env.root, 'plan.json');
    const made = await runCli(['plan', 'notice', '--data', 'rows.csv', '--out', 'plan.json'], { cwd: env.root });
    expect(made.code).toBe(0);
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as { requests: { body: unknown }[]; hash: string };
    expect(plan.requests).toHaveLength(12);
    // Changing the message after the review does not change what the plan sends.
    writeFileSync(
      join(env.root, 'messages/notice.yaml'),
      readFileSync(join(env.root, 'messages/notice.yaml'), 'utf8').replace('chirp v2 is out', 'SOMETHING ELSE'),
    );
    const result = await runCli(['send', 'plan.json', '--yes', '--journal', join(env.journal, 'plan')], {
      cwd: env.root,
      env: { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
    });
    expect(result.code).toBe(0);
    expect(env.fake.accepted.map((m) => m.request)).toEqual(plan.requests.map((r) => r.body));
    const tampered = readFileSync(planFile, 'utf8').replace('Person 3', 'Mallory');
    writeFileSync(planFile, tampered);
    const refused = await runCli(['send', 'plan.json', '--yes', '--journal', join(env.journal, 'plan2')], {
      cwd: env.root,
      env: { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/changed after chirp wrote it/);
  });
});
