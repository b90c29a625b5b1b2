// The resume shortcut (#29): a send of the same inputs as an earlier run takes who is final from the
// journal instead of rendering their rows again. What the user sees must not change: the same report
// (counts, samples, held unknowns in the failures file) as a full render, consent checked as it is now,
// every row still checked before the first request, and an edited message or data still caught.
import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordLine, type HeaderRecord } from '../../src/journal/records.js';
import { CANARY_KEY, NOTICE, phone, report, sendEnv, type SendEnv } from '../helpers/send.js';
import { TEST_CONFIG } from '../helpers/catalog.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

let env: SendEnv | undefined;
afterEach(async () => {
  await env?.fake.close();
  env = undefined;
});

const journalFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.ndjson'))
    .map((f) => join(dir, f));

/** A copy of the journal folder whose runs record no render key: what chirp before the shortcut wrote, so the next send renders every row. */
function withoutRenderKeys(dir: string): string {
  const copy = tempDir('chirp-journal-full-');
  cpSync(dir, copy, { recursive: true });
  for (const file of journalFiles(copy)) {
    const [first, ...rest] = readFileSync(file, 'utf8').split('\n');
    const { c: _c, ...header } = JSON.parse(first!) as HeaderRecord & { c: string };
    expect(typeof header.options.renderKey).toBe('string');
    delete header.options.renderKey;
    writeFileSync(file, [recordLine(header), ...rest].join('\n'));
  }
  return copy;
}

/** The same send against another journal folder. */
function sendWith(e: SendEnv, journal: string, args: string[]): Promise<CliResult> {
  return runCli(['send', 'notice', '--data', 'rows.csv', '--journal', journal, '--yes', ...args], {
    cwd: e.root,
    env: { BIRD_API_URL: e.fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
  });
}

/** The report without what differs between any two runs (ids, paths, times). */
function comparable(result: CliResult): unknown {
  return JSON.parse(result.stdout, (key, value: unknown) =>
    ['runId', 'journal', 'seconds', 'resumeCommand', 'at'].includes(key) ? undefined : value,
  ) as unknown;
}

function writeRows(e: SendEnv, rows: string[]): void {
  writeFileSync(join(e.root, 'rows.csv'), `phone,name\n${rows.join('\n')}\n`);
}

const people = (n: number): string[] => Array.from({ length: n }, (_, i) => `${phone(i)},Person ${i}`);

describe('resume shortcut', () => {
  it('a resume with nothing left gives the same report as a full render: duplicates, opt-outs re-checked, already sent', async () => {
    env = await sendEnv(0);
    writeFileSync(join(env.root, 'chirp.config.yaml'), `${TEST_CONFIG}suppress: [optouts.txt]\n`);
    writeFileSync(join(env.root, 'optouts.txt'), `${phone(7)}\n`);
    // 40 people, one of them twice.
    writeRows(env, [...people(40), `${phone(3)},Person 3 again`]);
    const first = await env.send(['--format', 'json', '--batch-size', '10']);
    expect(report(first)).toMatchObject({ status: 'complete', accepted: 39, suppressed: 1, duplicates: 1 });
    expect(env.journalText()).toMatch(/"renderKey":"sha256:[0-9a-f]{64}"/);
    // Phone 5 opts out after it was reached: the resume counts it as suppressed, as a full render does.
    writeFileSync(join(env.root, 'optouts.txt'), `${phone(7)}\n${phone(5)}\n`);
    const full = await sendWith(env, withoutRenderKeys(env.journal), ['--format', 'json']);
    const quick = await env.send(['--format', 'json']);
    expect(quick.code).toBe(0);
    expect(report(quick)).toMatchObject({ status: 'nothing-to-send', alreadySent: 38, suppressed: 2, duplicates: 1, toSend: 0 });
    expect(comparable(quick)).toEqual(comparable(full));
    // The text report too, line for line but for the journal's path and the times.
    const text = (r: CliResult): string => r.stdout.replace(/\S*chirp-journal-\S*/g, 'J').replace(/\d+(\.\d+)? ?(s|ms)\b/g, 'T');
    expect(text(await env.send([]))).toBe(text(await sendWith(env, withoutRenderKeys(env.journal), [])));
    expect(env.fake.accepted).toHaveLength(39);
  });

  it('a resume with some left sends only those, each once; who opted out since is skipped; a broken row still stops everything', async () => {
    env = await sendEnv(0);
    writeFileSync(join(env.root, 'chirp.config.yaml'), `${TEST_CONFIG}suppress: [optouts.txt]\n`);
    writeFileSync(join(env.root, 'optouts.txt'), '');
    const rows = people(30);
    rows[24] = `${phone(24)},`; // row 25: no name, outside the first run's limit
    writeRows(env, rows);
    const first = await env.send(['--format', 'json', '--limit', '10', '--batch-size', '4']);
    expect(report(first)).toMatchObject({ status: 'complete', accepted: 10 });
    // The same inputs, the whole list: the 10 sent are final, and the broken row 25 is still found.
    const broken = await env.send(['--format', 'json']);
    expect(broken.code).toBe(1);
    expect(report(broken)).toMatchObject({ status: 'refused', invalid: 1, alreadySent: 10, accepted: 0 });
    expect(broken.stderr + broken.stdout).toMatch(/row 25/);
    expect(env.fake.accepted).toHaveLength(10);
    // Fixed (new data: a new run that renders everything); phone 15 opted out meanwhile.
    rows[24] = `${phone(24)},Person 24`;
    writeRows(env, rows);
    writeFileSync(join(env.root, 'optouts.txt'), `${phone(15)}\n`);
    const second = await env.send(['--format', 'json', '--limit', '20']);
    expect(report(second)).toMatchObject({ status: 'complete', alreadySent: 10, accepted: 9, suppressed: 1 });
    // A resume of that run: 19 final (unrendered), phone 15 still skipped, 10 left.
    const third = await env.send(['--format', 'json']);
    expect(report(third)).toMatchObject({ status: 'complete', resumed: true, alreadySent: 19, accepted: 10, suppressed: 1 });
    expect(env.counts().has(phone(15))).toBe(false);
    expect(env.counts().size).toBe(29);
    expect([...env.counts().values()].every((n) => n === 1)).toBe(true);
  });

  it('held unknowns stay held and listed in the failures file as a full render lists them; --retry-unknown sends them', async () => {
    env = await sendEnv(12);
    env.fake.faults.push({ kind: 'reset-after', on: 'batch' });
    const first = await env.send(['--format', 'json', '--batch-size', '3', '--concurrency', '1']);
    expect(report(first)).toMatchObject({ unknown: 3, accepted: 9 });
    const full = join(env.root, 'full.csv');
    const quick = join(env.root, 'quick.csv');
    const a = await sendWith(env, withoutRenderKeys(env.journal), ['--format', 'json', '--failures', full]);
    const b = await env.send(['--format', 'json', '--failures', quick]);
    expect(report(b)).toMatchObject({ unknownSkipped: 3, alreadySent: 9, toSend: 0 });
    expect(comparable(b)).toEqual(comparable(a));
    expect(readFileSync(quick, 'utf8')).toBe(readFileSync(full, 'utf8'));
    expect(readFileSync(quick, 'utf8').match(/,unknown,/g)).toHaveLength(3);
    const retried = await env.send(['--format', 'json', '--retry-unknown']);
    expect(report(retried)).toMatchObject({ accepted: 3, alreadySent: 9 });
  });

  it('a run continued with other data (--resume --force) is no proof for its first inputs: the edited row is still caught', async () => {
    env = await sendEnv(0);
    const rows = people(6);
    writeRows(env, rows);
    const first = await env.send(['--format', 'json', '--limit', '3']);
    expect(report(first)).toMatchObject({ status: 'complete', accepted: 3 });
    const runId = (JSON.parse(first.stdout) as { runId: string }).runId;
    // Row 5 edited, and the same run continued with it: phone 4 gets "Someone else".
    const edited = [...rows];
    edited[4] = `${phone(4)},Someone else`;
    writeRows(env, edited);
    const forced = await env.send(['--format', 'json', '--resume', runId, '--force']);
    expect(report(forced)).toMatchObject({ accepted: 3 });
    // Back to the first data: the run's header names these inputs, but phone 4 got another version.
    writeRows(env, rows);
    const full = await sendWith(env, withoutRenderKeys(env.journal), ['--format', 'json']);
    expect(report(full)).toMatchObject({ status: 'refused' });
    const quick = await env.send(['--format', 'json']);
    expect(comparable(quick)).toEqual(comparable(full));
    expect(env.fake.accepted).toHaveLength(6);
  });

  it('an edited message or an edited row between runs is still caught (refused, nothing sent)', async () => {
    env = await sendEnv(20);
    expect(report(await env.send(['--format', 'json']))).toMatchObject({ accepted: 20 });
    // The text changed: every reached recipient got the earlier version.
    writeFileSync(join(env.root, 'messages', 'notice.yaml'), NOTICE.replace('chirp v2 is out', 'chirp v3 is out'));
    const edited = await env.send(['--format', 'json']);
    expect(edited.code).toBe(2);
    expect(report(edited)).toMatchObject({ status: 'refused', accepted: 0 });
    expect(edited.stdout + edited.stderr).toMatch(/20 recipients already got \(or may have got\) an earlier version of notice/);
    writeFileSync(join(env.root, 'messages', 'notice.yaml'), NOTICE);
    // One row's data changed: that recipient's request differs, the others are the same.
    const rows = people(20);
    rows[4] = `${phone(4)},Someone else`;
    writeRows(env, rows);
    const changed = await env.send(['--format', 'json']);
    expect(changed.code).toBe(2);
    expect(report(changed)).toMatchObject({ status: 'refused', alreadySent: 19, accepted: 0 });
    expect(changed.stdout + changed.stderr).toMatch(/1 recipient already got \(or may have got\) an earlier version of notice/);
    expect(env.fake.accepted).toHaveLength(20);
  });
});
