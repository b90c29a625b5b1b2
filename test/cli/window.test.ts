// `--window check` through the built CLI against the fake Bird (issue 18 #5–#8, issue 12 contact ids).
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CANARY_KEY, phone, report, sendEnv, type SendEnv } from '../helpers/send.js';
import { runCli } from '../helpers/cli.js';
import { send } from '../../src/usecases/send.js';

let env: SendEnv | undefined;
afterEach(async () => {
  await env?.fake.close();
  env = undefined;
});

const FALLBACK = `fallback:
  template:
    projectId: 7b492653-450b-4e97-b5e4-3827868e7438
    version: latest
    locale: en
    parameters:
      - { type: string, key: name, value: "{{name}}" }
`;
const cliEnv = (e: SendEnv, extra: Record<string, string> = {}) => ({ BIRD_API_URL: e.fake.url, BIRD_ACCESS_KEY: CANARY_KEY, ...extra });
const kinds = (e: SendEnv): Map<string | undefined, string> =>
  new Map(e.fake.accepted.map((m) => [m.recipient ?? m.contactId, 'template' in (m.request as object) ? 'template' : 'body']));

function withFallback(e: SendEnv, fallback = FALLBACK): void {
  const file = join(e.root, 'messages/notice.yaml');
  writeFileSync(file, readFileSync(file, 'utf8') + fallback);
}

describe('a failing window lookup stops the send (issue 18 #6)', () => {
  it('a contact search answering 404 sends nothing (not the fallback to everyone) and exits 1', async () => {
    env = await sendEnv(4);
    withFallback(env);
    for (let i = 0; i < 4; i++) env.fake.setContactWindow(phone(i), { serviceWindowExpireAt: null, isPermanentSession: true });
    env.fake.faults.set('search', { kind: 'status', status: 404 });
    const result = await env.send(['--window', 'check']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/contact search.*HTTP 404.*stopped before sending/);
    expect(env.fake.accepted).toHaveLength(0);
  });
});

describe('the window re-checked right before sending (issue 18 #7)', () => {
  // Open when planned (66 s left, margin 60 s); by the time the 10th request's turn comes (one second
  // per request before it), a few seconds short of the margin. The library's send with a clock that
  // moves one second per request the fake has taken, instead of a real second of latency per request.
  const recheckSend = (e: SendEnv) => {
    const start = Date.now();
    const now = () =>
      new Date(start + 1000 * e.fake.requests.filter((r) => r.method === 'POST' && /\/channels\/[^/]+\/messages$/.test(r.path)).length);
    e.fake.setContactWindow(phone(9), { serviceWindowExpireAt: new Date(start + 66_000).toISOString(), isPermanentSession: null });
    return send({
      cwd: e.root,
      env: cliEnv(e),
      now,
      message: 'notice',
      data: { path: e.data },
      journal: e.journal,
      window: 'check',
      windowMarginSeconds: 60,
      batchSize: 1,
      concurrency: 1,
      confirm: () => Promise.resolve(true),
    });
  };

  it('a window that comes within the margin while the run is under way gets the fallback, not the body', async () => {
    env = await sendEnv(10);
    withFallback(env);
    for (let i = 0; i < 9; i++)
      env.fake.setContactWindow(phone(i), {
        serviceWindowExpireAt: new Date(Date.now() + 3_600_000).toISOString(),
        isPermanentSession: null,
      });
    const { report: result } = await recheckSend(env);
    expect(result).toMatchObject({ status: 'complete', accepted: 10, fallback: 1 });
    expect([...Array(10).keys()].map((i) => kinds(env!).get(phone(i)))).toEqual([...(Array(9).fill('body') as string[]), 'template']);
    const id = env.fake.contactId(phone(9));
    expect(env.fake.requests.filter((r) => r.path.endsWith(`/contacts/${id}`))).toHaveLength(2);
  });

  it('without a fallback, that recipient is skipped and counted as window closed, not sent', async () => {
    env = await sendEnv(10);
    for (let i = 0; i < 9; i++) env.fake.setContactWindow(phone(i), { serviceWindowExpireAt: null, isPermanentSession: true });
    const { report: result } = await recheckSend(env);
    // (windowClosed > 0 makes the CLI exit 1: the --window-margin case below.)
    expect(result).toMatchObject({ accepted: 9, windowClosed: 1, notSent: 0 });
    expect(env.counts().has(phone(9))).toBe(false);
    const id = env.fake.contactId(phone(9));
    expect(env.fake.requests.filter((r) => r.path.endsWith(`/contacts/${id}`))).toHaveLength(2);
  });

  it('--window-margin reaches the check: 90 s left is open under a 60 s margin (closed under the default 300 s), 30 s left is not', async () => {
    env = await sendEnv(2);
    env.fake.setContactWindow(phone(0), { serviceWindowExpireAt: new Date(Date.now() + 90_000).toISOString(), isPermanentSession: null });
    env.fake.setContactWindow(phone(1), { serviceWindowExpireAt: new Date(Date.now() + 30_000).toISOString(), isPermanentSession: null });
    const result = await env.send(['--window', 'check', '--window-margin', '60', '--format', 'json']);
    expect(report(result)).toMatchObject({ accepted: 1, windowClosed: 1, notSent: 0 } as never);
    expect(env.counts().has(phone(0))).toBe(true);
    expect(result.code).toBe(1);
    const fresh = await sendEnv(1);
    try {
      fresh.fake.setContactWindow(phone(0), {
        serviceWindowExpireAt: new Date(Date.now() + 90_000).toISOString(),
        isPermanentSession: null,
      });
      const byDefault = await fresh.send(['--window', 'check', '--format', 'json']);
      expect(report(byDefault)).toMatchObject({ accepted: 0, windowClosed: 1 } as never);
    } finally {
      await fresh.fake.close();
    }
  });
});

describe('the fallback template is validated and rendered like a body (issue 18 #8)', () => {
  const OPTIONAL = FALLBACK.replace('value: "{{name}}"', 'value: "{{nickname}}"');
  it('validate, render and plan all report the missing variable the fallback needs', async () => {
    env = await sendEnv(2);
    const file = join(env.root, 'messages/notice.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        '  name: { type: string, minLength: 1 }\n',
        '  name: { type: string, minLength: 1 }\n  nickname: { type: string }\n',
      ) + OPTIONAL,
    );
    const validate = await runCli(['validate'], { cwd: env.root });
    expect(validate.code).toBe(1);
    expect(validate.stdout + validate.stderr).toMatch(/fallback template/);
    expect(validate.stdout + validate.stderr).toMatch(/nickname/);
    const render = await runCli(['render', 'notice', '--data', 'rows.csv'], { cwd: env.root });
    expect(render.code).toBe(1);
    expect(render.stdout + render.stderr).toMatch(/fallback template.*nickname/);
    const plan = await runCli(['plan', 'notice', '--data', 'rows.csv', '--journal', env.journal, '--format', 'json'], {
      cwd: env.root,
      env: cliEnv(env),
    });
    expect(plan.code).toBe(1);
    expect(plan.stdout).toMatch(/fallback template/);
  });
});

describe('contact-id receivers (issue 12)', () => {
  it('are looked up by id: open windows get the body, closed ones the fallback', async () => {
    env = await sendEnv(0);
    const ids = [0, 1, 2].map((i) => env!.fake.contactId(phone(i)));
    env.fake.setContactWindow(phone(0), { serviceWindowExpireAt: null, isPermanentSession: true });
    env.fake.setContactWindow(phone(1), {
      serviceWindowExpireAt: new Date(Date.now() + 3_600_000).toISOString(),
      isPermanentSession: null,
    });
    writeFileSync(
      join(env.root, 'messages/notice.yaml'),
      `channel: whatsapp
receiver:
  contacts:
    - id: "{{contact}}"
variables:
  contact: { type: string }
  name: { type: string, minLength: 1 }
required: [contact, name]
body:
  type: text
  text:
    text: "Hi {{name}}"
${FALLBACK}examples:
  - { contact: "${ids[0]}", name: Ada }
`,
    );
    writeFileSync(env.data, `contact,name\n${ids.map((id, i) => `${id},Person ${i}`).join('\n')}\n`);
    const result = await env.send(['--window', 'check', '--batch-size', '1', '--format', 'json']);
    expect(result.code).toBe(0);
    expect(report(result)).toMatchObject({ accepted: 3, fallback: 1 } as never);
    const sent = new Map(
      env.fake.accepted.map((m) => [
        (m.request as { receiver: { contacts: { id: string }[] } }).receiver.contacts[0]!.id,
        'template' in (m.request as object) ? 'template' : 'body',
      ]),
    );
    expect(ids.map((id) => sent.get(id))).toEqual(['body', 'body', 'template']);
    expect(env.fake.requests.filter((r) => r.path.endsWith('/contacts/search'))).toHaveLength(0);
  });
});
