// `chirp status --replies` against the fake Bird: replies of the run's recipients that ask to stop,
// masked unless --reveal (then with the `chirp suppress add` commands), kept in the journal, and a listing
// that cannot be trusted said so (exit 1), never read as "nobody asked to stop".
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeBird } from '../../src/fake-bird/index.js';
import type { StatusSummary } from '../../src/status/summary.js';
import { TEST_CONFIG } from '../helpers/catalog.js';
import { CLI, runCli } from '../helpers/cli.js';
import { CANARY_KEY, phone, sendEnv, type SendEnv } from '../helpers/send.js';

const CHANNEL = '9b8c7d6e-0000-4000-8000-000000000002';
let env: SendEnv | undefined;
const others: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await env?.fake.close();
  env = undefined;
  for (const o of others.splice(0)) await o.close();
});

type Replies = NonNullable<StatusSummary['replies']>;

/** Six recipients sent to, every message delivered, and their replies. */
async function withReplies(): Promise<SendEnv> {
  const e = await sendEnv(6);
  await e.send(['--format', 'json']);
  e.fake.applyStatusMix({ delivered: 6 });
  let at = Date.now() - 60_000;
  const reply = (from: string, text: string) => e.fake.addInbound({ from, text, channelId: CHANNEL, at: (at += 1000) });
  reply(phone(1), 'STOP');
  reply(phone(2), '  Stop. ');
  reply(phone(3), 'STOP please');
  reply(phone(4), 'thanks, see you!');
  reply('+31699999999', 'STOP'); // not a recipient of the run
  reply(phone(5), '🛑 ｕｎｓｕｂｓｃｒｉｂｅ!!');
  return e;
}

function status(e: SendEnv, args: string[], bird = e.fake.url) {
  return runCli(['status', '--journal', e.journal, ...args], { cwd: e.root, env: { BIRD_API_URL: bird, BIRD_ACCESS_KEY: CANARY_KEY } });
}

const repliesOf = (stdout: string): Replies => (JSON.parse(stdout) as StatusSummary).replies!;

describe('chirp status --replies', () => {
  it('lists stop replies of the run masked, mentions apart, others not at all; no command prints a masked number', async () => {
    env = await withReplies();
    const json = await status(env, ['--replies', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const r = repliesOf(json.stdout);
    expect(r).toMatchObject({ complete: true, reason: null, replies: 5, fromOthers: 1, notOnList: 4, stopWords: ['STOP', 'UNSUBSCRIBE'] });
    expect(r.stop.map((i) => i.word)).toEqual(['STOP', 'STOP', 'UNSUBSCRIBE']);
    expect(r.mentions).toHaveLength(1);
    expect(r.mentions[0]!.word).toBe('STOP');
    for (const i of [...r.stop, ...r.mentions]) {
      expect(i.command).toBeNull();
      expect(i.receiver).toMatch(/^\+31 6•••• \d{3}$/);
    }
    expect(json.stdout).not.toMatch(/\+3162\d{7}/);
    const text = await status(env, ['--replies']);
    expect(text.stdout).toMatch(
      /replies: 5 replies from recipients of the run \(3 ask to stop, 1 mentions a stop word\); 1 message from others/,
    );
    expect(text.stdout).not.toMatch(/\+3162\d{7}/);
    expect(text.stdout).not.toMatch(/suppress add \+/);
    expect(text.stdout).toMatch(/--replies --reveal/);
    // Without --replies, status asks nothing more and prints no replies.
    const plain = await status(env, ['--format', 'json']);
    expect((JSON.parse(plain.stdout) as StatusSummary).replies).toBeNull();
  });

  it('a suppression list that cannot be read is said in the note, its entry masked unless --reveal', async () => {
    env = await withReplies();
    writeFileSync(join(env.root, 'chirp.config.yaml'), `${TEST_CONFIG}suppress: [optouts.txt]\n`);
    // An opted-out person's number written without a country code: the list cannot be read.
    writeFileSync(join(env.root, 'optouts.txt'), '0612345678\n');
    for (const format of ['json', 'text']) {
      const out = await status(env, ['--replies', '--format', format]);
      expect(out.stdout).toMatch(/suppression lists could not be read/);
      expect(out.stdout).not.toContain('0612345678');
    }
    const revealed = await status(env, ['--replies', '--reveal', '--format', 'json']);
    expect(repliesOf(revealed.stdout).reason).toContain('0612345678');
  });

  it('--reveal prints the commands; run, they suppress the senders, and the next status says they are on the list', async () => {
    env = await withReplies();
    writeFileSync(join(env.root, 'chirp.config.yaml'), `${TEST_CONFIG}defaultCountry: NL\nsuppress: [optouts.txt]\n`);
    writeFileSync(join(env.root, 'optouts.txt'), `${phone(2)}\n`);
    const revealed = await status(env, ['--replies', '--reveal', '--format', 'json']);
    const r = repliesOf(revealed.stdout);
    expect(r.stop.map((i) => [i.receiver, i.onList])).toEqual([
      [phone(1), false],
      [phone(2), true],
      [phone(5), false],
    ]);
    expect(r.stop[1]!.command).toBeNull(); // on the list already
    const command = r.stop[0]!.command!;
    expect(command).toMatch(
      new RegExp(`^chirp suppress add \\${phone(1)} --reason 'replied STOP \\(run [\\w.-]+, \\d{4}-\\d{2}-\\d{2}\\)'$`),
    );
    for (const c of [command, r.stop[2]!.command!, r.mentions[0]!.command!])
      execFileSync('sh', ['-c', c.replace(/^chirp /, `"${process.execPath}" "${CLI}" `)], {
        cwd: env.root,
        env: { PATH: process.env.PATH },
      });
    expect(readFileSync(join(env.root, 'optouts.txt'), 'utf8')).toMatch(
      new RegExp(`${phone(1).replace('+', '\\+')} {2}# \\d{4}-\\d{2}-\\d{2} replied STOP`),
    );
    const after = repliesOf((await status(env, ['--replies', '--format', 'json'])).stdout);
    expect(after.notOnList).toBe(0);
    expect([...after.stop, ...after.mentions].every((i) => i.onList === true && i.command === null)).toBe(true);
    // --reveal in CI needs --reveal-in-ci.
    const ci = await runCli(['status', '--journal', env.journal, '--replies', '--reveal'], {
      cwd: env.root,
      env: { BIRD_API_URL: env.fake.url, BIRD_ACCESS_KEY: CANARY_KEY, CI: 'true' },
    });
    expect(ci.code).toBe(2);
  });

  it('journals what it read (keys, never numbers or text), once, and lists it after Bird forgot it', async () => {
    env = await withReplies();
    await status(env, ['--replies', '--format', 'json']);
    const journal = env.journalText();
    const lines = journal.split('\n').filter((l) => l.includes('"replies":'));
    expect(lines).toHaveLength(1);
    expect(journal).not.toMatch(/\+3162\d{7}|please|thanks/);
    const entries = (JSON.parse(lines[0]!) as { replies: unknown[][] }).replies;
    expect(entries.map((e) => e[3]).sort()).toEqual(['mention', 'reply', 'stop', 'stop', 'stop']);
    expect(entries.every((e) => typeof e[0] === 'string' && /^[\w-]+$/.test(e[0]))).toBe(true);
    // Read again: nothing new, nothing written twice.
    await status(env, ['--replies', '--format', 'json']);
    expect(
      env
        .journalText()
        .split('\n')
        .filter((l) => l.includes('"replies":')),
    ).toHaveLength(1);
    // The journal still reads for a send, and `journal check` finds nothing wrong.
    const check = await runCli(['journal', 'check', '--journal', env.journal], { cwd: env.root });
    expect(check.code, check.stdout + check.stderr).toBe(0);
    // A Bird that lists nothing any more (retention, another region): the journal's replies are still there,
    // their senders read back from the run's data.
    const empty = await startFakeBird({ accessKey: CANARY_KEY });
    others.push(empty);
    const r = repliesOf((await status(env, ['--replies', '--reveal', '--format', 'json'], empty.url)).stdout);
    expect(r).toMatchObject({ complete: true, replies: 5 });
    expect(r.stop.map((i) => i.receiver)).toEqual([phone(1), phone(2), phone(5)]);
    expect(r.stop[0]!.command).toMatch(/^chirp suppress add \+3162/);
  });

  it('checks every listed message: a Bird ignoring direction costs pages, not truth; a foreign or unreadable page fails closed (exit 1)', async () => {
    env = await withReplies();
    await status(env, ['--format', 'json']); // statuses final: later GETs are the replies listing only
    env.fake.setListing({ direction: 'ignore' });
    const ignored = await status(env, ['--replies', '--format', 'json']);
    expect(ignored.code).toBe(0);
    const r = repliesOf(ignored.stdout);
    expect(r).toMatchObject({ complete: true, replies: 5 });
    expect(r.stop).toHaveLength(3);
    expect(r.reason).toMatch(/6 outgoing message\(s\) for direction=incoming/);
    // Statuses final, nothing asked of Bird for them: its clock is probed, and the window stays the run's.
    expect(Date.parse(r.endAt)).toBeLessThan(Date.now() + 300_000);

    // A Bird that refuses the filter: read without it, every message filtered here.
    env.fake.setListing({ direction: 'refuse' });
    const refused = await status(env, ['--replies', '--format', 'json']);
    expect(refused.code).toBe(0);
    expect(repliesOf(refused.stdout)).toMatchObject({ complete: true, replies: 5 });
    expect(repliesOf(refused.stdout).stop).toHaveLength(3);
    expect(repliesOf(refused.stdout).reason).toMatch(/refused direction=incoming/);
    env.fake.setListing({ direction: 'honour' });

    const foreign = JSON.stringify({
      results: [
        {
          id: 'x1',
          channelId: 'another-channel',
          direction: 'incoming',
          status: 'delivered',
          createdAt: new Date().toISOString(),
          sender: { contact: { identifierValue: phone(1) } },
        },
      ],
    });
    for (const [fault, why] of [
      [{ kind: 'raw', status: 200, body: foreign, contentType: 'application/json' }, /another channel/],
      [{ kind: 'raw', status: 200, body: '<html>sign in</html>' }, /not Bird's message listing/],
      // A 400 to a first page is taken for the filter refused: asked again without it, refused again.
      [{ kind: 'status', status: 400 }, /listing stopped at page 2: HTTP 400/],
    ] as const) {
      env.fake.faults.push({ ...fault, on: 'get', times: 50 } as never);
      const bad = await status(env, ['--replies', '--format', 'json']);
      expect(bad.code).toBe(1);
      expect(repliesOf(bad.stdout).complete).toBe(false);
      expect(repliesOf(bad.stdout).reason).toMatch(why);
      const text = await status(env, ['--replies']);
      expect(text.stdout).toMatch(/replies may be missing/);
      env.fake.faults.clear();
    }
  });

  it("--interactions journals each message's counts (by key), again only when they change", async () => {
    env = await withReplies();
    await status(env, ['--format', 'json']); // statuses (and Bird's ids) recorded
    const ids = env.fake.accepted.map((m) => m.id);
    env.fake.addInteraction(ids[0]!, 'read');
    env.fake.addInteraction(ids[0]!, 'clicked');
    env.fake.addInteraction(ids[1]!, 'read');
    const first = await status(env, ['--interactions', '--format', 'json']);
    expect((JSON.parse(first.stdout) as StatusSummary).interactions).toMatchObject({ read: 2, clicked: 1, messages: 6 });
    const recorded = () =>
      env!
        .journalText()
        .split('\n')
        .filter((l) => l.includes('"interactions":'))
        .map((l) => (JSON.parse(l) as { interactions: [string, number, number, number][] }).interactions);
    expect(recorded()).toHaveLength(1);
    expect(
      recorded()[0]!
        .map((e) => e.slice(1))
        .sort(),
    ).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
      [1, 0, 0],
      [1, 1, 0],
    ]);
    expect(env.journalText()).not.toMatch(/\+3162\d{7}/);
    await status(env, ['--interactions', '--format', 'json']);
    expect(recorded()).toHaveLength(1);
    env.fake.addInteraction(ids[1]!, 'clicked');
    await status(env, ['--interactions', '--format', 'json']);
    expect(recorded()).toHaveLength(2);
    expect(recorded()[1]!.map((e) => e.slice(1))).toEqual([[1, 1, 0]]);
  });

  it("a pipeline injects a reply through the fake's control path (POST /_fake/inbound, with the access key)", async () => {
    env = await sendEnv(2);
    await env.send(['--format', 'json']);
    const post = (body: unknown, key = CANARY_KEY) =>
      fetch(`${env!.fake.url}/_fake/inbound`, {
        method: 'POST',
        headers: { authorization: `AccessKey ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ from: phone(1), channelId: CHANNEL, text: 'stop' }, 'wrong')).status).toBe(401);
    expect((await post({ channelId: CHANNEL, text: 'stop' })).status).toBe(422);
    const created = await post({ from: phone(1), channelId: CHANNEL, text: 'Stop!' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      direction: 'incoming',
      status: 'delivered',
      channelId: CHANNEL,
      sender: { contact: { identifierValue: phone(1) } },
      receiver: { connector: { id: CHANNEL } },
      body: { type: 'text', text: { text: 'Stop!' } },
    });
    expect(env.fake.accepted).toHaveLength(2); // a reply is not a message the channel sent
    const r = repliesOf((await status(env, ['--replies', '--reveal', '--format', 'json'])).stdout);
    expect(r.stop.map((i) => i.receiver)).toEqual([phone(1)]);
  });
});
