// A run's whole story: an interrupted send, then `chirp status` and `chirp journal list` of it. Nobody the
// send never reached may drop out of the story, and the run reads as unfinished until they are sent.
import { afterEach, describe, expect, it } from 'vitest';
import { CANARY_KEY, report, sendEnv, type SendEnv } from '../helpers/send.js';
import { runCli } from '../helpers/cli.js';
import type { StatusSummary } from '../../src/status/summary.js';
import type { RunList } from '../../src/status/run-list.js';

let env: SendEnv | undefined;
afterEach(async () => {
  await env?.fake.close();
  env = undefined;
});

const cli = (e: SendEnv, args: string[]) => runCli(args, { cwd: e.root, env: { BIRD_API_URL: e.fake.url, BIRD_ACCESS_KEY: CANARY_KEY } });

describe('an interrupted send, then status and journal list', () => {
  it('status counts the recipients never sent, offers the resume command, and exits 1 until they are sent', async () => {
    env = await sendEnv(60);
    env.fake.faults.set('single', { kind: 'latency', ms: 60 });
    const run = env.spawn(['--batch-size', '1', '--concurrency', '1']);
    // Ctrl-C once some requests have gone out.
    for (let i = 0; i < 200 && env.fake.accepted.length < 5; i++) await new Promise((r) => setTimeout(r, 25));
    run.child.kill('SIGINT');
    const sent = await run.done;
    expect(sent.code).toBe(130);
    const accepted = Number(/accepted\s+(\d+)/.exec(sent.stdout)?.[1]);
    const notSent = Number(/not sent\s+(\d+)/.exec(sent.stdout)?.[1]);
    expect(accepted).toBeGreaterThan(0);
    expect(notSent).toBeGreaterThan(0);
    // The plan is 60 batches of one, however many went out before Ctrl-C.
    expect(sent.stdout).toMatch(/to send\s+60 in 60 batches of ≤1/);
    env.fake.faults.set('single', null);

    const text = await cli(env, ['status', '--rate', '50', '--journal', env.journal]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/recipients\s+60 \(/);
    expect(text.stdout).toMatch(new RegExp(`never sent\\s+${notSent} `));
    expect(text.stdout).toMatch(new RegExp(`state: unfinished: ${notSent} of 60 recipients were not sent to`));
    expect(text.stdout).not.toMatch(/every message reached a final state/);
    const resume = /resume with: (.*)/.exec(text.stdout)?.[1];
    expect(resume).toMatch(/^chirp send notice --data rows\.csv --resume \S+ --journal \S+ --batch-size 1 --concurrency 1 --yes$/);

    const json = await cli(env, ['status', '--rate', '50', '--journal', env.journal, '--format', 'json']);
    expect(json.code).toBe(1);
    const s = JSON.parse(json.stdout) as StatusSummary;
    expect(s).toMatchObject({ total: 60, notSent, unfinished: true, final: false, ended: 'interrupted', resumeCommand: resume });
    expect(s.total).toBe(s.recipients + s.notSent);

    const list = await cli(env, ['journal', 'list', '--journal', env.journal]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/RUN\s+MESSAGE\s+STARTED\s+STATE\s+COUNTS/);
    expect(list.stdout).toMatch(
      new RegExp(
        `notice-\\S+\\s+notice\\s+\\S+\\s+unfinished \\(interrupted\\)\\s+60 recipients, ${accepted} accepted.*${notSent} never sent`,
      ),
    );
    const listed = JSON.parse((await cli(env, ['journal', 'list', '--journal', env.journal, '--format', 'json'])).stdout) as RunList;
    expect(listed.runs).toHaveLength(1);
    expect(listed.runs[0]).toMatchObject({ message: 'notice', state: 'unfinished', ended: 'interrupted', total: 60, notSent });

    // The printed resume command, run as printed, sends the rest; then the story is complete.
    const args = resume!.split(' ').slice(1);
    const resumed = await cli(env, args);
    expect(resumed.code).toBe(0);
    expect(report({ ...resumed, stdout: (await cli(env, [...args, '--format', 'json'])).stdout })).toMatchObject({ accepted: 0 });
    expect(env.counts().size).toBe(60);
    const after = JSON.parse(
      (await cli(env, ['status', '--rate', '50', '--journal', env.journal, '--format', 'json'])).stdout,
    ) as StatusSummary;
    expect(after).toMatchObject({ total: 60, recipients: 60, notSent: 0, unfinished: false, resumeCommand: null });
    const listedAfter = JSON.parse((await cli(env, ['journal', 'list', '--journal', env.journal, '--format', 'json'])).stdout) as RunList;
    expect(listedAfter.runs[0]).toMatchObject({ state: 'complete', ended: 'complete', accepted: 60, notSent: 0 });
  }, 60_000);

  it('an unknown run id points at journal list', async () => {
    env = await sendEnv(2);
    await env.send([]);
    const result = await cli(env, ['status', 'no-such-run', '--journal', env.journal]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/E_RUN_NOT_FOUND/);
    expect(result.stderr).toMatch(/chirp journal list/);
  });
});
