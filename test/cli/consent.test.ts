// Consent end to end: whoever is on a suppression list (or gave no opt-in) never reaches Bird, in a
// send, a saved plan sent later, or a second run of one send; it is counted everywhere; a broken list
// stops everything.
import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CANARY_KEY, phone, report, sendEnv, type SendEnv } from '../helpers/send.js';
import { makeCatalog, TEST_CONFIG } from '../helpers/catalog.js';
import { execFileSync } from 'node:child_process';
import { Ajv } from 'ajv';
import { hasStackTrace, REPO, runCli } from '../helpers/cli.js';

let env: SendEnv | undefined;
afterEach(async () => {
  await env?.fake.close();
  env = undefined;
});

/** phone(i) as a person in the Netherlands writes it: `06 2000 0001`. */
const national = (i: number): string => `0${phone(i).slice(3, 4)} ${phone(i).slice(4, 8)} ${phone(i).slice(8)}`;

async function withList(recipients: number, list: string): Promise<SendEnv> {
  const e = await sendEnv(recipients);
  writeFileSync(join(e.root, 'chirp.config.yaml'), `${TEST_CONFIG}defaultCountry: NL\nsuppress: [optouts.txt]\n`);
  writeFileSync(join(e.root, 'optouts.txt'), list);
  return e;
}

const reached = (e: SendEnv, i: number): boolean => e.counts().has(phone(i));

describe('suppression lists', () => {
  it('a suppressed number in any spelling is never sent, and is counted in render, dry run, report, journal and status', async () => {
    env = await withList(
      10,
      `# STOP replies\n${national(1)}  # 2026-12-01 STOP\n0031${phone(2).slice(3)}\n${phone(3).replace('+31', '+31 (0)')}\n`,
    );
    // Rows spell the numbers their own way too.
    const csv = readFileSync(env.data, 'utf8')
      .replace(phone(1), national(1))
      .replace(phone(2), `+31 ${phone(2).slice(3)}`);
    writeFileSync(env.data, csv);

    const rendered = await runCli(['render', 'notice', '--data', 'rows.csv'], { cwd: env.root });
    expect(rendered.code).toBe(0);
    expect(rendered.stdout.trim().split('\n')).toHaveLength(7);
    for (const i of [1, 2, 3]) expect(rendered.stdout).not.toContain(phone(i).slice(3));
    expect(rendered.stderr).toMatch(/3 rows suppressed \(3 opted out\)/);

    const dry = await env.send(['--dry-run', '--format', 'json']);
    expect(report(dry)).toMatchObject({ status: 'dry-run', recipients: 7, toSend: 7, suppressed: 3 });
    const plan = await runCli(['plan', 'notice', '--data', 'rows.csv', '--journal', env.journal], { cwd: env.root });
    expect(plan.stdout).toMatch(/suppressed\s+3 \(3 opted out; never sent\)/);
    // Counts only: a plan never shows who.
    expect(plan.stdout).not.toMatch(/\+31|06 ?2/);

    const sent = await env.send(['--format', 'json']);
    expect(sent.code).toBe(0);
    expect(report(sent)).toMatchObject({ status: 'complete', accepted: 7, suppressed: 3 });
    for (const i of [1, 2, 3]) expect(reached(env, i)).toBe(false);
    expect(env.counts().size).toBe(7);
    const journal = env.journalText();
    // Suppressed rows never become intents: 7 keys in intents, the count in the header and the end record.
    const intents = journal.split('\n').filter((l) => l.includes('"t":"intent"'));
    expect(intents.reduce((n, l) => n + (JSON.parse(l) as { keys: string[] }).keys.length, 0)).toBe(7);
    expect(journal).toMatch(/"suppressed":3/);
    expect(journal).toMatch(/"suppressLists":\[\{"file":"optouts.txt","sha256":"sha256:[0-9a-f]{64}"\}\]/);
    for (const i of [1, 2, 3]) expect(journal).not.toContain(phone(i).slice(3));

    const status = await runCli(['status', '--journal', env.journal, '--format', 'json'], {
      cwd: env.root,
      env: { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
    });
    expect(JSON.parse(status.stdout)).toMatchObject({ recipients: 7, suppressed: 3 });
  });

  it('fails closed: a missing list or a line chirp cannot read stops before anything is sent, naming file:line', async () => {
    env = await withList(4, `${phone(1)}\n\n06 1234 56x8\n`);
    const bad = await env.send(['--format', 'json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/optouts\.txt:3: "06 1234 56x8"/);
    expect(bad.stderr).toMatch(/E_SUPPRESS_LIST/);
    expect(hasStackTrace(bad.stderr)).toBe(false);
    expect(env.fake.requests).toHaveLength(0);
    writeFileSync(join(env.root, 'chirp.config.yaml'), `${TEST_CONFIG}suppress: [optouts.txt, gone.txt]\n`);
    writeFileSync(join(env.root, 'optouts.txt'), `${phone(1)}\n`);
    const missing = await env.send();
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/gone\.txt: the suppression list does not exist/);
    const dry = await env.send(['--dry-run']);
    expect(dry.code).toBe(2);
    const render = await runCli(['render', 'notice'], { cwd: env.root });
    expect(render.code).toBe(2);
    expect(env.fake.requests).toHaveLength(0);
  });

  it('a saved plan is checked against the lists at send time: someone who opted out since is skipped and counted', async () => {
    env = await withList(6, `${phone(0)}\n`);
    const made = await runCli(['plan', 'notice', '--data', 'rows.csv', '--out', 'plan.json'], { cwd: env.root });
    expect(made.code).toBe(0);
    const saved = JSON.parse(readFileSync(join(env.root, 'plan.json'), 'utf8')) as {
      requests: unknown[];
      suppress: { lists: { file: string; sha256: string }[]; suppressed: number };
    };
    expect(saved.requests).toHaveLength(5);
    expect(saved.suppress).toMatchObject({ suppressed: 1, lists: [{ file: 'optouts.txt' }] });
    // Phone 4 replies STOP after the review.
    appendFileSync(join(env.root, 'optouts.txt'), `${national(4)}\n`);
    const sent = await runCli(['send', 'plan.json', '--journal', env.journal, '--yes', '--format', 'json'], {
      cwd: env.root,
      env: { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
    });
    expect(sent.code).toBe(0);
    expect(report(sent)).toMatchObject({ status: 'complete', accepted: 4, suppressed: 1 });
    expect(sent.stderr).toMatch(/suppression lists changed since the plan was saved \(optouts\.txt edited\)/);
    expect(reached(env, 0)).toBe(false);
    expect(reached(env, 4)).toBe(false);
    expect(env.counts().size).toBe(4);
  });

  it('a second run of one send checks the lists again: who opted out between the runs is not sent', async () => {
    env = await withList(12, '');
    // The first run stops after two batches (a 401 on the third request): 6 reached, 6 not sent.
    env.fake.faults.push({ kind: 'status', status: 401, on: (r) => r.endpoint === 'batch' && env!.fake.requests.length >= 3 });
    const first = await env.send(['--batch-size', '3', '--concurrency', '1', '--format', 'json']);
    expect(report(first)).toMatchObject({ status: 'stopped', accepted: 6, suppressed: 0 });
    env.fake.faults.clear();
    writeFileSync(join(env.root, 'optouts.txt'), `${national(9)}\n${phone(2)}\n`);
    const second = await env.send(['--format', 'json']);
    expect(second.code).toBe(0);
    // Phone 2 was reached before it opted out (nothing to undo); phone 9 never is.
    expect(report(second)).toMatchObject({ accepted: 5, suppressed: 2 });
    expect(reached(env, 9)).toBe(false);
    expect(env.counts().size).toBe(11);
    expect([...env.counts().values()].every((n) => n === 1)).toBe(true);
  });
});

describe('opt-in', () => {
  it('a message with `consent:` sends only rows whose column says yes; the others are skipped and counted', async () => {
    env = await sendEnv(0);
    const message = join(env.root, 'messages', 'notice.yaml');
    writeFileSync(message, `consent: optin\n${readFileSync(message, 'utf8')}`);
    writeFileSync(
      env.data,
      [
        'phone,name,optin',
        `${phone(0)},Ada,yes`,
        `${phone(1)},Bob,no`,
        `${phone(2)},Cy,`,
        `${phone(3)},Di,2026-03-01`,
        `${phone(4)},,`,
      ].join('\n'),
    );
    const sent = await env.send(['--format', 'json']);
    expect(sent.code).toBe(0);
    // Row 5 has no name, but no consent either: skipped, not an invalid row that stops the send.
    expect(report(sent)).toMatchObject({ status: 'complete', accepted: 2, suppressed: 3, noConsent: 3, invalid: 0 });
    expect([...env.counts().keys()].sort()).toEqual([phone(0), phone(3)]);
  });
});

describe('chirp suppress', () => {
  it('add: normalises, appends once, atomically, with the date and reason where the format has room', async () => {
    env = await withList(3, '# opt-outs\n');
    const cwd = env.root;
    const config = join(cwd, 'chirp.config.yaml');
    writeFileSync(config, `${TEST_CONFIG}defaultCountry: NL\nsuppress: [optouts.txt, crm.csv, desk.ndjson]\n`);
    writeFileSync(join(cwd, 'crm.csv'), 'name,phone,email,date,reason\n');
    writeFileSync(join(cwd, 'desk.ndjson'), '{"email":"old@example.com"}');
    const add = (...args: string[]) => runCli(['suppress', 'add', ...args], { cwd });
    const first = await add(national(1), '--reason', 'replied STOP\nsecond line');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`added ${phone(1)} to optouts.txt\n`);
    // Any other spelling of the same number is a duplicate: nothing written.
    const again = await add(`0031 ${phone(1).slice(3)}`);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already; nothing changed/);
    expect(readFileSync(join(cwd, 'optouts.txt'), 'utf8')).toMatch(
      new RegExp(`^# opt-outs\\n\\${phone(1)} {2}# \\d{4}-\\d{2}-\\d{2} replied STOP second line\\n$`),
    );
    expect((await add(phone(2), '--list', 'crm.csv', '--reason', 'desk, ticket 7')).code).toBe(0);
    expect(readFileSync(join(cwd, 'crm.csv'), 'utf8')).toMatch(new RegExp(`\\n,\\${phone(2)},,\\d{4}-\\d{2}-\\d{2},"desk, ticket 7"\\n$`));
    expect((await add('Grace@Example.ORG', '--list', 'desk.ndjson')).code).toBe(0);
    const desk = readFileSync(join(cwd, 'desk.ndjson'), 'utf8').trim().split('\n');
    expect(desk).toHaveLength(2);
    expect(JSON.parse(desk[1]!)).toMatchObject({ receiver: 'grace@example.org' });
    // The lists still load, and the send skips all three added.
    const sent = await env.send(['--format', 'json']);
    expect(report(sent)).toMatchObject({ accepted: 1, suppressed: 2 });
    expect(reached(env, 1) || reached(env, 2)).toBe(false);

    const bad = await add('not a number');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/E_RECEIVER_INVALID/);
    const elsewhere = await add(phone(3), '--list', 'other.txt');
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toMatch(/not one of the lists/);
    writeFileSync(config, TEST_CONFIG);
    const none = await add(phone(3));
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/names no suppression list/);
  });

  it('check: lists the rows a send would skip, masked unless --reveal; with --message, opt-in too', async () => {
    env = await withList(4, `${national(2)}\n`);
    const cwd = env.root;
    const check = await runCli(['suppress', 'check', 'rows.csv'], { cwd });
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^rows\.csv:4: row 3 \+31 6•••• \d{3}: opted out/m);
    expect(check.stdout).toMatch(/1 of 4 rows would be skipped/);
    expect(check.stdout).not.toContain(phone(2));
    const revealed = await runCli(['suppress', 'check', 'rows.csv', '--reveal', '--format', 'json'], { cwd });
    expect(JSON.parse(revealed.stdout)).toMatchObject({
      rows: 4,
      suppressed: 1,
      skipped: [{ row: 3, line: 4, recipient: phone(2), reason: 'opted-out' }],
    });
    const message = join(cwd, 'messages', 'notice.yaml');
    writeFileSync(message, `consent: optin\n${readFileSync(message, 'utf8')}`);
    writeFileSync(env.data, ['phone,name,optin', `${phone(0)},Ada,yes`, `${phone(1)},Bob,`, `${phone(2)},Cy,yes`].join('\n'));
    const withMessage = await runCli(['suppress', 'check', 'rows.csv', '--message', 'notice', '--format', 'json'], { cwd });
    expect(JSON.parse(withMessage.stdout)).toMatchObject({
      rows: 3,
      suppressed: 2,
      skipped: [
        { row: 2, reason: 'no-consent' },
        { row: 3, reason: 'opted-out' },
      ],
    });
  });
});

describe('plan --base', () => {
  it('shows a change of the suppression lists as a change: entries added and removed, rows skipped per message', async () => {
    const root = makeCatalog({
      'chirp.config.yaml': `${TEST_CONFIG}defaultCountry: NL\nsuppress: [optouts.txt]\n`,
      'optouts.txt': '06 1234 5678\n',
      'messages/notice.yaml': `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
body:
  type: text
  text:
    text: "Hi"
examples:
  - { phone: "+31612345678" }
  - { phone: "+31612345679" }
  - { phone: "+31612345670" }
`,
    });
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: root,
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@e',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@e',
          GIT_CONFIG_GLOBAL: '/dev/null',
        },
      });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    const same = await runCli(['plan', '--base', 'main', '--detailed-exitcode'], { cwd: root });
    expect(same.code).toBe(0);
    // +31612345678 is taken off the list (someone opted in again), two others opt out.
    writeFileSync(join(root, 'optouts.txt'), '+31 6 1234 5679\n0612345670\n+31699999999\n');
    const plan = await runCli(['plan', '--base', 'main', '--format', 'json', '--detailed-exitcode'], { cwd: root });
    expect(plan.code).toBe(2);
    const validate = new Ajv({ strict: true, allErrors: true }).compile(
      JSON.parse(readFileSync(join(REPO, 'schemas', `${'plan-output'}.schema.json`), 'utf8')) as object,
    );
    expect(validate(JSON.parse(plan.stdout)), JSON.stringify(validate.errors)).toBe(true);
    expect((JSON.parse(plan.stdout) as { consent: unknown }).consent).toEqual({
      lists: [{ file: 'optouts.txt', change: 'edited' }],
      entriesAdded: 3,
      entriesRemoved: 1,
      messages: [{ id: 'notice', newlySkipped: 2, noLongerSkipped: 1 }],
    });
    const text = await runCli(['plan', '--base', 'main'], { cwd: root });
    expect(text.stdout).toMatch(/~ list optouts\.txt edited/);
    expect(text.stdout).toMatch(/3 entries added, 1 entry removed/);
    expect(text.stdout).toMatch(/message notice: 2 rows now skipped \(opted out or no opt-in\); 1 row no longer skipped/);
    // The summary does not read as "nothing changed" when only who is skipped changed.
    expect(text.stdout).toMatch(/^Summary: .*; consent changed \(see above\)\.$/m);
    // Counts only.
    expect(text.stdout).not.toMatch(/\+316|06 ?12/);
  });
});
