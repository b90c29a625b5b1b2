// Issue 10 (cases 1–3, 5–12) and issue 18 (cases 1, 3, 4, 11, 12), as a user meets them: the built
// CLI against the fake Bird with faults, damaged journals, full disks and user mistakes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { readJournal } from '../../src/journal/index.js';
import { sealPlan, type SavedPlan } from '../../src/saved-plan/index.js';
import { hasStackTrace, runCli } from '../helpers/cli.js';
import { CANARY_KEY, phone, report, sendEnv, untilRequests, type SendEnv } from '../helpers/send.js';
import { tempDir } from '../helpers/temp.js';

let env: SendEnv | undefined;
const others: FakeBird[] = [];
afterEach(async () => {
  await env?.fake.close();
  env = undefined;
  for (const f of others.splice(0)) await f.close();
});

const journalFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.ndjson'))
    .map((f) => join(dir, f));
const twice = (e: SendEnv): string[] => [...e.counts()].filter(([, n]) => n > 1).map(([p]) => p);

describe('1. the failures file never re-sends an unknown', () => {
  it('fed back with --data, the unknown rows are held; only the failed ones go again', async () => {
    env = await sendEnv(30);
    // batches of 3: two refused for good (422), two cut off after Bird created them (unknown)
    env.fake.faults.push(
      { kind: 'status', status: 422, on: 'batch' },
      { kind: 'reset-after', on: 'batch' },
      { kind: 'status', status: 422, on: 'batch' },
      { kind: 'reset-after', on: 'batch' },
    );
    const failures = join(env.root, 'failures.csv');
    const first = await env.send(['--batch-size', '3', '--concurrency', '1', '--format', 'json', '--failures', failures]);
    expect(report(first)).toMatchObject({ failed: 6, unknown: 6, accepted: 18 });
    const csv = readFileSync(failures, 'utf8');
    expect(csv.match(/,unknown,/g)).toHaveLength(6);
    expect(csv.match(/,failed,/g)).toHaveLength(6);
    const again = await env.send(['--data', 'failures.csv', '--format', 'json']);
    expect(report(again)).toMatchObject({ accepted: 6, unknownSkipped: 6 });
    expect(twice(env)).toEqual([]);
    expect(env.counts().size).toBe(30);
  });
});

describe('2. a journal chirp cannot read is never taken as no journal', () => {
  it('a damaged header of a finished run stops the send (exit 2, file:1 named); nothing is sent', async () => {
    env = await sendEnv(5);
    expect((await env.send()).code).toBe(0);
    const [file] = journalFiles(env.journal);
    writeFileSync(file!, readFileSync(file!, 'utf8').replace('"t":"header"', '"t":"headr"'));
    const before = env.fake.requests.length;
    const again = await env.send();
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(file!);
    expect(again.stderr).toMatch(/journal check/);
    expect(hasStackTrace(again.stderr)).toBe(false);
    expect(env.fake.requests.length).toBe(before);
    const check = await runCli(['journal', 'check', '--journal', env.journal], { cwd: env.root });
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/DAMAGED/);
  });

  it('a journal that cannot be read at all (a folder in its place) stops the send too', async () => {
    env = await sendEnv(3);
    mkdirSync(join(env.journal, 'odd.ndjson'), { recursive: true });
    const result = await env.send();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('odd.ndjson');
    expect(env.fake.requests).toHaveLength(0);
  });
});

describe('3. a damaged line mid-journal', () => {
  it('one changed character in a key stops the send, naming the line; --damaged-as-unknown holds that batch back', async () => {
    env = await sendEnv(9);
    expect((await env.send(['--batch-size', '3'])).code).toBe(0);
    const [file] = journalFiles(env.journal);
    const lines = readFileSync(file!, 'utf8').split('\n');
    const i = lines.findIndex((l) => l.includes('"t":"intent"'));
    lines[i] = lines[i]!.replace(/"keys":\["(.)/, (_m, c: string) => `"keys":["${c === 'A' ? 'B' : 'A'}`);
    writeFileSync(file!, lines.join('\n'));
    const refused = await env.send(['--format', 'json']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${file!}:${i + 1}`);
    const held = await env.send(['--format', 'json', '--damaged-as-unknown']);
    expect(held.code).toBe(1);
    expect(report(held)).toMatchObject({ accepted: 0, alreadySent: 6, unknownSkipped: 3 });
    expect(twice(env)).toEqual([]);
  });
});

describe("5. answers that are not Bird's", () => {
  it('an HTML 200 from a proxy is unknown, not accepted: exit 1, and a re-send does not say "already sent"', async () => {
    env = await sendEnv(4);
    env.fake.faults.set('batch', { kind: 'raw', status: 200, body: '<html><body>Welcome</body></html>' });
    const result = await env.send(['--format', 'json']);
    expect(result.code).toBe(1);
    expect(report(result)).toMatchObject({ accepted: 0, unknown: 4 });
    expect(report(result).failureGroups[0]).toMatchObject({ status: 'unknown', code: 'not_bird_answer' });
    env.fake.faults.set('batch', null);
    const again = await env.send(['--format', 'json']);
    expect(report(again)).toMatchObject({ alreadySent: 0, unknownSkipped: 4 });
    expect((await env.send(['--format', 'json', '--retry-unknown'])).code).toBe(0);
    expect(env.counts().size).toBe(4);
  });
});

describe('6. the key never leaks through an answer', () => {
  it('a 422 echoing the Authorization header everywhere: not on stdout, stderr, journal, report, failures file', async () => {
    env = await sendEnv(6);
    env.fake.faults.set('any', { kind: 'echo', status: 422 });
    const files = [join(env.root, 'failures.csv'), join(env.root, 'report.json')];
    const text = await env.send(['--batch-size', '2', '--failures', files[0]!, '--report', files[1]!]);
    const json = await env.send(['--batch-size', '2', '--format', 'json']);
    expect(report(json).failed).toBe(6);
    const everything =
      text.stdout + text.stderr + json.stdout + json.stderr + env.journalText() + files.map((f) => readFileSync(f, 'utf8')).join('');
    expect(everything).toContain('[redacted]');
    expect(everything).not.toContain(CANARY_KEY);
  });
});

describe('7. saved plans cannot be turned into something else', () => {
  async function savedPlan(e: SendEnv): Promise<{ path: string; plan: SavedPlan }> {
    const made = await runCli(['plan', 'notice', '--data', 'rows.csv', '--out', 'plan.json'], { cwd: e.root });
    expect(made.code).toBe(0);
    const path = join(e.root, 'plan.json');
    return { path, plan: JSON.parse(readFileSync(path, 'utf8')) as SavedPlan };
  }
  const resealed = (path: string, plan: SavedPlan): void => {
    const { hash: _hash, ...rest } = plan;
    writeFileSync(path, JSON.stringify(sealPlan(rest), null, 1));
  };
  const sendPlan = (e: SendEnv, journal: string) =>
    runCli(['send', 'plan.json', '--yes', '--format', 'json', '--journal', join(e.journal, journal)], {
      cwd: e.root,
      env: { BIRD_API_URL: e.fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
    });

  it('a repeated entry, an over-long text and a swapped receiver are refused even when re-sealed', async () => {
    env = await sendEnv(3);
    const { path, plan } = await savedPlan(env);
    resealed(path, { ...plan, requests: [plan.requests[0]!, plan.requests[0]!, plan.requests[0]!] });
    expect((await sendPlan(env, 'a')).code).toBe(1);
    const long = structuredClone(plan);
    (long.requests[0]!.body as { body: { text: { text: string } } }).body.text.text = 'x'.repeat(5006);
    resealed(path, long);
    expect((await sendPlan(env, 'b')).code).toBe(1);
    const swapped = structuredClone(plan);
    (swapped.requests[0]!.body as { receiver: { contacts: { identifierValue: string }[] } }).receiver.contacts[0]!.identifierValue =
      '+31699999999';
    resealed(path, swapped);
    const result = await sendPlan(env, 'c');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/is not the receiver the request goes to/);
    expect(env.fake.requests).toHaveLength(0);
  });

  it("refuses the flags that would change a plan's requests, instead of ignoring them", async () => {
    env = await sendEnv(3);
    await savedPlan(env);
    for (const extra of [['--limit', '1'], ['--var', 'version=v9'], ['--allow-duplicates']]) {
      const result = await runCli(['send', 'plan.json', '--yes', '--journal', env.journal, ...extra], {
        cwd: env.root,
        env: { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
      });
      expect(result.code, extra.join(' ')).toBe(2);
      expect(result.stderr).toContain('E_USAGE');
    }
    expect(env.fake.requests).toHaveLength(0);
  });

  it('a plan goes through the same idempotency as a send from data: already sent is not sent again', async () => {
    env = await sendEnv(3);
    await savedPlan(env);
    expect((await env.send()).code).toBe(0);
    const result = await runCli(['send', 'plan.json', '--yes', '--format', 'json', '--journal', env.journal], {
      cwd: env.root,
      env: { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
    });
    expect(report(result)).toMatchObject({ status: 'nothing-to-send', alreadySent: 3 });
    expect(twice(env)).toEqual([]);
  });
});

describe('8. editing a message after an interrupted run', () => {
  it('is refused with the choices spelled out; --only-unreached sends the new text to the rest only', async () => {
    env = await sendEnv(12);
    // The run stops after two batches (a 401 on the third request): 6 reached, 6 not sent.
    env.fake.faults.push({ kind: 'status', status: 401, on: (r) => r.endpoint === 'batch' && env!.fake.requests.length >= 3 });
    const first = await env.send(['--batch-size', '3', '--concurrency', '1', '--format', 'json']);
    expect(report(first)).toMatchObject({ status: 'stopped', accepted: 6 });
    const file = join(env.root, 'messages', 'notice.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('chirp v2 is out', 'chirp 2 is out'));
    const refused = await env.send();
    expect(refused.code).toBe(2);
    expect(refused.stdout).toMatch(/--only-unreached/);
    expect(refused.stdout).toMatch(/--send-again/);
    expect(env.counts().size).toBe(6);
    const rest = await env.send(['--only-unreached', '--format', 'json']);
    expect(rest.code).toBe(0);
    expect(report(rest)).toMatchObject({ accepted: 6 });
    expect(env.counts().size).toBe(12);
    expect(twice(env)).toEqual([]);
  });
});

describe('9. signals bound the shutdown', () => {
  it('a second SIGTERM exits at once, with the journal intact', async () => {
    env = await sendEnv(40);
    env.fake.faults.set('batch', { kind: 'hang' });
    const run = env.spawn(['--batch-size', '10']);
    await untilRequests(env.fake);
    run.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    const at = Date.now();
    run.child.kill('SIGTERM');
    const done = await run.done;
    expect(Date.now() - at).toBeLessThan(3000);
    expect(done.code).toBe(143);
    for (const f of journalFiles(env.journal)) expect((await readJournal(f)).damage).toEqual([]);
  });

  it('a trickling answer does not hold the drain past its 10 s', async () => {
    env = await sendEnv(4);
    env.fake.faults.set('batch', { kind: 'trickle', intervalMs: 1000 });
    const run = env.spawn(['--batch-size', '2', '--concurrency', '2', '--format', 'json']);
    await untilRequests(env.fake);
    const at = Date.now();
    run.child.kill('SIGTERM');
    const done = await run.done;
    expect(Date.now() - at).toBeLessThan(14_000);
    expect(done.code).toBe(143);
    // the trickling batch is unknown (abandoned after the drain); the one behind it never left
    expect(report(done)).toMatchObject({ status: 'interrupted', unknown: 2, notSent: 2 });
  }, 30_000);
});

describe('10. a full disk', () => {
  const mounted: string[] = [];
  afterEach(() => {
    for (const dir of mounted.splice(0)) execFileSync('umount', [dir]);
  });
  function smallDisk(kb: number): string | undefined {
    const dir = tempDir('chirp-full-');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', dir], { stdio: 'ignore' });
    } catch {
      return undefined; // not root, or no mount in this sandbox: the unit test of dispatch still covers it
    }
    mounted.push(dir);
    return dir;
  }

  it('stops cleanly: no stack trace, a report, locks released, nothing sent without its intent on disk', async (context) => {
    const disk = smallDisk(16);
    if (disk === undefined) return context.skip();
    env = await sendEnv(400);
    const result = await runCli(
      [
        'send',
        'notice',
        '--data',
        'rows.csv',
        '--journal',
        disk,
        '--yes',
        '--batch-size',
        '1',
        '--concurrency',
        '2',
        '--rate',
        '2000',
        '--format',
        'json',
      ],
      { cwd: env.root, env: { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: CANARY_KEY } },
    );
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(result.code).toBe(1);
    const r = report(result);
    expect(r).toMatchObject({ status: 'stopped', stop: { reason: 'disk' } });
    expect(readdirSync(disk).filter((f) => f.endsWith('.lock'))).toEqual([]);
    // Every message Bird got has its intent in the journal.
    const state = await readJournal(journalFiles(disk)[0]!);
    expect(env.counts().size).toBeLessThanOrEqual(state.recipients.size);
    expect(r.accepted).toBe(env.counts().size);
  });
});

describe('11. redirects', () => {
  it('stop at the first one, say where it pointed, and mark nobody failed: a fixed URL sends everyone', async () => {
    env = await sendEnv(30);
    env.fake.faults.set('any', { kind: 'redirect', status: 301, location: 'https://proxy.invalid/login' });
    const result = await env.send(['--batch-size', '1', '--concurrency', '1', '--format', 'json']);
    expect(result.code).toBe(2);
    expect(env.fake.requests).toHaveLength(1);
    const r = report(result);
    expect(r).toMatchObject({ status: 'stopped', failed: 0, notSent: 30 });
    expect(r.stop?.message).toMatch(/proxy\.invalid\/login/);
    env.fake.faults.set('any', null);
    const fixed = await env.send(['--format', 'json']);
    expect(report(fixed)).toMatchObject({ accepted: 30 });
  });
});

describe('12 (and 18.11). user mistakes are exit 2, never "a bug"', () => {
  it('a control character in the key, a port past 65535, an unclosed IPv6 bracket', async () => {
    env = await sendEnv(2);
    for (const extra of [
      { BIRD_ACCESS_KEY: 'abc\u0001defgh' },
      { BIRD_API_URL: 'http://127.0.0.1:99999' },
      { BIRD_API_URL: 'http://[::1' },
    ]) {
      const result = await env.send([], { env: extra });
      expect(result.code).toBe(2);
      expect(result.stderr).not.toMatch(/internal error|bug/);
    }
    expect(env.fake.requests).toHaveLength(0);
  });

  it('--journal pointing at a file, for send, send --dry-run, plan and status', async () => {
    env = await sendEnv(2);
    const file = join(env.root, 'not-a-folder');
    writeFileSync(file, 'x');
    const bird = { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: CANARY_KEY };
    for (const args of [
      ['send', 'notice', '--data', 'rows.csv', '--yes'],
      ['send', 'notice', '--data', 'rows.csv', '--dry-run'],
      ['plan', 'notice'],
      ['status'],
    ]) {
      const result = await runCli([...args, '--journal', file], { cwd: env.root, env: bird });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/not a folder/);
    }
  });

  it('an unwritable --report or --failures path is refused before the first request', async () => {
    env = await sendEnv(3);
    const result = await env.send(['--report', join(env.root, 'missing-dir', 'report.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--report .* cannot be written/);
    const dir = await env.send(['--failures', env.root]);
    expect(dir.code).toBe(2);
    expect(env.fake.requests).toHaveLength(0);
  });

  it('contacts.json that is a folder: exit 2, no temp files left', async () => {
    env = await sendEnv(2);
    mkdirSync(join(env.journal, 'contacts.json'), { recursive: true });
    const result = await env.send(['--window', 'check']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/contacts\.json is a folder/);
    expect(readdirSync(env.journal).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('18.1 runs know where they send', () => {
  it('a send to another workspace, channel or Bird is not satisfied by the first one', async () => {
    env = await sendEnv(5);
    expect(report(await env.send(['--format', 'json']))).toMatchObject({ accepted: 5 });
    const staging = await env.send(['--format', 'json'], { env: { BIRD_WORKSPACE_ID: '77770000-0000-4000-8000-000000000009' } });
    expect(report(staging)).toMatchObject({ accepted: 5, alreadySent: 0 });
    const config = join(env.root, 'chirp.config.yaml');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace('9b8c7d6e-0000-4000-8000-000000000002', '9b8c7d6e-0000-4000-8000-00000000000a'),
    );
    expect(report(await env.send(['--format', 'json']))).toMatchObject({ accepted: 5, alreadySent: 0 });
    const other = await startFakeBird({ accessKey: CANARY_KEY });
    others.push(other);
    // Another Bird under --yes is refused unless said so (E_RUN_OTHER_ORIGIN), then sends to everyone there.
    const refused = await env.send(['--format', 'json'], { env: { BIRD_API_URL: other.url } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/E_RUN_OTHER_ORIGIN/);
    expect(other.requests).toHaveLength(0);
    const elsewhere = await env.send(['--format', 'json', '--new-origin'], { env: { BIRD_API_URL: other.url } });
    expect(report(elsewhere)).toMatchObject({ accepted: 5, alreadySent: 0 });
    // …and each destination alone still says "already sent"
    expect(report(await env.send(['--format', 'json']))).toMatchObject({ alreadySent: 5, accepted: 0 });
    const header = JSON.parse(readFileSync(journalFiles(env.journal)[0]!, 'utf8').split('\n')[0]!) as Record<string, unknown>;
    expect(header).toMatchObject({ v: 2, platform: 'whatsapp' });
    expect(typeof header.apiOrigin).toBe('string');
  });
});

describe('18.3 journal formats', () => {
  it('a journal of a newer format in the folder stops the send with a clear message', async () => {
    env = await sendEnv(2);
    mkdirSync(env.journal, { recursive: true });
    writeFileSync(join(env.journal, 'future.ndjson'), `${JSON.stringify({ t: 'header', v: 3, runId: 'future', messageId: 'notice' })}\n`);
    const result = await env.send();
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/newer chirp \(journal format 3/);
    expect(env.fake.requests).toHaveLength(0);
  });
});

describe('18.4 and 18.12: every recipient accounted for, and the failures file fed back', () => {
  it('closed windows are in the journal (skip records) and in the failures file with their data columns', async () => {
    env = await sendEnv(4);
    env.fake.setContactWindow(phone(0), {
      serviceWindowExpireAt: new Date(Date.now() + 3_600_000).toISOString(),
      isPermanentSession: null,
    });
    env.fake.setContactWindow(phone(1), { serviceWindowExpireAt: null, isPermanentSession: true });
    const failures = join(env.root, 'failures.csv');
    const result = await env.send(['--window', 'check', '--format', 'json', '--failures', failures]);
    expect(report(result)).toMatchObject({ accepted: 2 });
    const csv = readFileSync(failures, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('phone,name,chirp_status,chirp_error_code,chirp_error_message');
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
      `${phone(2)},Person 2,window_closed`,
      `${phone(3)},Person 3,window_closed`,
    ]);
    expect(env.journalText()).toMatch(/"t":"skip","keys":\[[^\]]+,[^\]]+\],"reason":"window_closed"/);
  });

  it('the report says how many more there are than its samples show', async () => {
    env = await sendEnv(25);
    await env.send();
    const again = await env.send(['--format', 'json']);
    const r = JSON.parse(again.stdout) as {
      alreadySent: number;
      samples: { alreadySent: unknown[] };
      samplesOmitted: { alreadySent: number };
    };
    expect(r.alreadySent).toBe(25);
    expect(r.samples.alreadySent).toHaveLength(20);
    expect(r.samplesOmitted.alreadySent).toBe(5);
    expect((await env.send()).stdout).toMatch(/… and 20 more already sent/);
  });

  it("a failures file fed back loses its formula guard: '=N300 is sent as =N300", async () => {
    env = await sendEnv(0);
    writeFileSync(env.data, `phone,name\n${phone(1)},=N300\n${phone(2)},Bea\n`);
    env.fake.faults.push({ kind: 'status', status: 422, on: 'batch' });
    const failures = join(env.root, 'failures.csv');
    await env.send(['--failures', failures, '--format', 'json']);
    expect(readFileSync(failures, 'utf8')).toContain(`'=N300`);
    expect((await env.send(['--data', 'failures.csv', '--format', 'json'])).code).toBe(0);
    const texts = env.fake.accepted.map((m) => JSON.stringify(m.request));
    expect(texts.some((t) => t.includes('Hi =N300,'))).toBe(true);
    expect(texts.some((t) => t.includes("'=N300"))).toBe(false);
    expect(existsSync(failures)).toBe(true);
  });
});

// Issue 29: what Bird says and where chirp writes are data and private files, as an attacker meets them.
describe('29. Bird answers, private files, the journal folder', () => {
  const ghEnv = (root: string): { env: Record<string, string>; summary: string } => {
    const summary = join(root, 'summary.md');
    writeFileSync(summary, '');
    return { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: join(root, 'out.txt') }, summary };
  };
  const forged = 'InvalidPayload\n\n</table>\n\n## Forged heading [click](https://evil.example)\n::error title=Forged::x';

  it('a 422 whose code carries markdown stays inside the failures table, in every format', async () => {
    env = await sendEnv(3);
    env.fake.faults.push({
      kind: 'status',
      status: 422,
      on: 'batch',
      body: { code: forged, message: `bad\n::add-mask::everything`, details: {} },
    });
    const gh = ghEnv(env.root);
    const text = await env.send(['--format', 'text'], { env: gh.env });
    expect(text.code).toBe(1);
    const summary = readFileSync(gh.summary, 'utf8');
    // The code is one table cell: no heading, no link, no closed table, no line of its own.
    expect(summary).not.toMatch(/^#+ Forged/m);
    expect(summary).not.toMatch(/^<\/table>/m);
    const codeLine = summary.split('\n').find((l) => l.includes('InvalidPayload'))!;
    expect(codeLine).toMatch(/^\| failed \| `.*Forged heading.*` \| 3 \|$/);
    for (const out of [text.stdout, text.stderr, summary])
      for (const line of out.split('\n')) expect(line.trimStart().startsWith('::'), line).toBe(false);
  });

  it('an API URL with user:password@ is refused before anything is sent, without echoing the password', async () => {
    env = await sendEnv(2);
    const url = env.fake.url.replace('http://', 'http://user:hunter2secret@');
    const result = await env.send([], { env: { BIRD_API_URL: url } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('E_API_URL');
    expect(result.stderr + result.stdout).not.toContain('hunter2secret');
    expect(env.fake.requests).toHaveLength(0);
  });

  it('--failures, status --failures and plan --out files are 0600, even when the file existed as 0644', async () => {
    env = await sendEnv(3);
    env.fake.faults.push({ kind: 'status', status: 422, on: 'batch' });
    const failures = join(env.root, 'failures.csv');
    writeFileSync(failures, 'old', { mode: 0o644 });
    await env.send(['--failures', failures, '--format', 'json']);
    expect(readFileSync(failures, 'utf8')).toContain(phone(1));
    expect(statSync(failures).mode & 0o777).toBe(0o600);
    const again = join(env.root, 'again.csv');
    const status = await runCli(['status', '--journal', env.journal, '--failures', again], {
      cwd: env.root,
      env: { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
    });
    expect(status.stderr).not.toMatch(/no failures file/);
    expect(statSync(again).mode & 0o777).toBe(0o600);
    const plan = await runCli(['plan', 'notice', '--data', 'rows.csv', '--out', 'plan.json'], { cwd: env.root });
    expect(plan.code).toBe(0);
    expect(statSync(join(env.root, 'plan.json')).mode & 0o777).toBe(0o600);
  });

  it('a .chirp that is a symlink out of the catalog is refused (E_JOURNAL_PLACE); --journal naming it is allowed', async () => {
    env = await sendEnv(2);
    const elsewhere = tempDir('chirp-elsewhere-');
    symlinkSync(elsewhere, join(env.root, '.chirp'));
    const base = ['send', 'notice', '--data', 'rows.csv', '--yes'];
    const cli = (args: string[]) => runCli(args, { cwd: env!.root, env: { BIRD_API_URL: env!.fake.url, BIRD_ACCESS_KEY: CANARY_KEY } });
    for (const args of [base, ['status'], ['journal', 'check'], [...base, '--dry-run']]) {
      const result = await cli(args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toContain('E_JOURNAL_PLACE');
      expect(hasStackTrace(result.stderr)).toBe(false);
    }
    expect(env.fake.requests).toHaveLength(0);
    expect(readdirSync(elsewhere)).toEqual([]);
    // A link inside .chirp (the journal folder itself) too.
    rmSync(join(env.root, '.chirp'));
    mkdirSync(join(env.root, '.chirp'));
    symlinkSync(elsewhere, join(env.root, '.chirp', 'journal'));
    expect((await cli(base)).stderr).toContain('E_JOURNAL_PLACE');
    // Named on purpose, the folder is the user's choice.
    const named = await cli([...base, '--journal', join(env.root, '.chirp', 'journal')]);
    expect(named.code, named.stderr).toBe(0);
    expect(readdirSync(elsewhere).some((f) => f.endsWith('.ndjson'))).toBe(true);
  });
});
