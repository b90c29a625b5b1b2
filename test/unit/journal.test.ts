// The send journal: what a crash, a kill or a second process leaves must read back as accepted,
// failed or unknown for every recipient, never as "not sent" for one that may have been.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { tempDir as makeTempDir } from '../helpers/temp.js';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { InternalError, UserError } from '../../src/errors.js';
import {
  createJournal,
  findResumableRun,
  journalFile,
  listRuns,
  lockFile,
  readJournal,
  reopenJournal,
  scanRuns,
  type HeaderFields,
  type JournalRecord,
  type OutcomeRecord,
} from '../../src/journal/index.js';
import { recordLine } from '../../src/journal/records.js';

const DIST = fileURLToPath(new URL('../../dist/journal/index.js', import.meta.url));
const AT = '2025-03-01T10:00:00.000Z';
const now = (): Date => new Date(AT);

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  await Promise.resolve();
  const dir = makeTempDir('chirp-journal-');
  dirs.push(dir);
  return join(dir, '.chirp', 'journal'); // created by createJournal
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function header(runId: string, fields: Partial<HeaderFields> = {}): HeaderFields {
  return {
    runId,
    messageId: 'welcome',
    definitionHash: 'def1',
    dataHash: 'data1',
    chirpVersion: '0.1.0',
    startedAt: AT,
    channelId: 'chan',
    workspace: 'ws',
    options: { batchSize: 100 },
    ...fields,
  };
}
const intent = (b: number, keys: string[]): JournalRecord => ({ t: 'intent', b, keys, at: AT });
const accepted = (b: number, ids: string[]): OutcomeRecord => ({ t: 'outcome', b, status: 'accepted', at: AT, http: 202, ids });

async function lines(path: string): Promise<string[]> {
  return (await readFile(path, 'utf8')).split('\n').filter((line) => line !== '');
}

async function userError(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

/** A pid that is certainly not running: a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  expect(child.status).toBe(0);
  return child.pid;
}

describe('journal write and read', () => {
  it('round-trips records into per-recipient state', async () => {
    const dir = await tempDir();
    // Only the known header fields are written: an access key smuggled in is dropped.
    const smuggled = { ...header('r1'), accessKey: 'AccessKey s3cret' } as HeaderFields;
    const journal = await createJournal(dir, smuggled, { pid: process.pid });
    expect(existsSync(lockFile(dir, 'r1'))).toBe(true);
    await journal.appendDurable([intent(0, ['a', 'b', 'c'])]);
    journal.append(accepted(0, ['id-a', 'id-b', 'id-c']));
    await journal.appendDurable([intent(1, ['d', 'e'])]);
    journal.append({ t: 'outcome', b: 1, status: 'failed', at: AT, http: 422, code: 'invalid', message: 'bad number' });
    await journal.appendDurable([intent(2, ['f', 'g'])]);
    journal.append({ t: 'outcome', b: 2, status: 'accepted', at: AT, ids: ['id-f'], keys: ['f'] });
    journal.append({ t: 'resolve', keys: ['d'], status: 'resendable', at: AT, via: 'lookup' });
    journal.append({ t: 'end', at: AT, reason: 'complete', summary: { accepted: 4 } });
    await journal.close();
    await journal.close(); // idempotent
    expect(() => journal.append(intent(3, ['h']))).toThrow(InternalError);
    expect(existsSync(lockFile(dir, 'r1'))).toBe(false);

    const text = await readFile(journalFile(dir, 'r1'), 'utf8');
    expect(text).not.toContain('s3cret');
    expect(text.endsWith('\n')).toBe(true);
    const state = await readJournal(journal.path);
    expect(state.header).toEqual({ t: 'header', v: 2, ...header('r1') });
    expect(state.recipients.get('a')).toEqual({ status: 'accepted', at: AT, runId: 'r1', b: 0, id: 'id-a' });
    // format 2: every line ends with its checksum
    expect(
      text
        .trim()
        .split('\n')
        .every((line) => /,"c":"[0-9a-f]{8}"\}$/.test(line)),
    ).toBe(true);
    expect(state.recipients.get('c')?.id).toBe('id-c');
    expect(state.recipients.get('d')).toEqual({ status: 'resendable', at: AT, runId: 'r1', b: 1, via: 'lookup' });
    expect(state.recipients.get('e')).toMatchObject({ status: 'failed', code: 'invalid', message: 'bad number' });
    expect(state.recipients.get('f')).toMatchObject({ status: 'accepted', id: 'id-f', b: 2 });
    expect(state.recipients.get('g')).toMatchObject({ status: 'unknown', b: 2 }); // not covered by the partial outcome
    expect(state.counts).toEqual({ accepted: 4, failed: 1, unknown: 1, pending: 0, resendable: 1 });
    expect(state).toMatchObject({ ended: 'complete', lastBatch: 2, tornLines: 0, corruptLines: 0, orphanOutcomes: 0, resumes: 0 });
  });

  it('reads a key whose intent has no outcome as unknown: the request may have left', async () => {
    const dir = await tempDir();
    const journal = await createJournal(dir, header('r1'), { pid: process.pid });
    await journal.appendDurable([intent(0, ['a'])]);
    journal.append(accepted(0, ['id-a']));
    await journal.appendDurable([intent(1, ['b', 'c'])]);
    await journal.close();
    const state = await readJournal(journal.path);
    expect(state.recipients.get('a')?.status).toBe('accepted');
    expect(state.recipients.get('b')).toEqual({ status: 'unknown', at: AT, runId: 'r1', b: 1 });
    expect(state.counts.unknown).toBe(2);
    expect(state.counts.pending).toBe(0);
    expect(state.ended).toBeUndefined();
  });

  it('tolerates a torn last line, and reopenJournal continues on a fresh line', async () => {
    const dir = await tempDir();
    const journal = await createJournal(dir, header('r1'), { pid: process.pid });
    await journal.appendDurable([intent(0, ['a']), intent(1, ['b'])]);
    journal.append(accepted(0, ['id-a']));
    await journal.close();
    await appendFile(journal.path, '{"t":"outcome","b":1,"status":"acc');

    const torn = await readJournal(journal.path);
    expect(torn).toMatchObject({ tornLines: 1, corruptLines: 0 });
    expect(torn.recipients.get('b')?.status).toBe('unknown');

    const later = new Date('2025-03-01T11:00:00.000Z');
    const resumed = await reopenJournal(dir, 'r1', () => later, process.pid);
    expect(resumed.warnings.join('\n')).toMatch(/cut by a crash/);
    resumed.append({ ...accepted(1, ['id-b']), at: later.toISOString() });
    await resumed.appendDurable([intent(2, ['c'])]);
    await resumed.close();

    const raw = await lines(journal.path);
    expect(raw.at(-4)).toBe('{"t":"outcome","b":1,"status":"acc');
    expect(JSON.parse(raw.at(-3)!)).toEqual({
      t: 'resume',
      at: later.toISOString(),
      pid: process.pid,
      c: expect.stringMatching(/^[0-9a-f]{8}$/) as unknown,
    });
    const state = await readJournal(journal.path);
    expect(state).toMatchObject({ tornLines: 1, corruptLines: 0, resumes: 1, lastBatch: 2 });
    expect(state.recipients.get('b')).toMatchObject({ status: 'accepted', id: 'id-b', at: later.toISOString() });
    expect(state.recipients.get('c')?.status).toBe('unknown');
  });

  it('a status after a crash: its records replace a cut last line (no damage for the next send), and a whole record that only lost its newline is kept', async () => {
    const dir = await tempDir();
    const journal = await createJournal(dir, header('r1'), { pid: process.pid });
    await journal.appendDurable([intent(0, ['a']), intent(1, ['b'])]);
    journal.append(accepted(0, ['id-a']));
    await journal.close();
    const cut = '{"t":"outcome","b":1,"status":"acc';
    await appendFile(journal.path, cut);

    // `chirp status` reopens without a resume record and appends its statuses.
    const later = new Date('2025-03-01T11:00:00.000Z');
    const status = await reopenJournal(dir, 'r1', () => later, process.pid, { resume: false });
    expect(status.warnings.join('\n')).toMatch(/cut by a crash and is ignored \(removed\)/);
    await status.appendDurable([{ t: 'status', at: later.toISOString(), entries: [['a', 'delivered']] }]);
    await status.close();
    expect((await lines(journal.path)).some((l) => l.startsWith(cut))).toBe(false);
    const read = await readJournal(journal.path);
    expect(read).toMatchObject({ tornLines: 0, corruptLines: 0 });
    expect(read.recipients.get('b')?.status).toBe('unknown');

    // The send resumes it as any journal: nothing damaged, b still unknown (its outcome was never whole).
    const resumed = await reopenJournal(dir, 'r1', () => later, process.pid);
    await resumed.close();
    expect(await readJournal(journal.path)).toMatchObject({ tornLines: 0, corruptLines: 0, resumes: 1 });

    // A whole record whose newline was lost is kept and ended, not removed.
    await appendFile(journal.path, recordLine(accepted(1, ['id-b'])));
    const again = await reopenJournal(dir, 'r1', () => later, process.pid, { resume: false });
    expect(again.warnings.join('\n')).not.toMatch(/cut by a crash/);
    await again.close();
    const state = await readJournal(journal.path);
    expect(state).toMatchObject({ tornLines: 0, corruptLines: 0 });
    expect(state.recipients.get('b')).toMatchObject({ status: 'accepted', id: 'id-b' });
  });

  it('lists a damaged middle line (and a line without its checksum) with its line number, and keeps reading', async () => {
    const dir = await tempDir();
    const journal = await createJournal(dir, header('r1'), { pid: process.pid });
    await journal.appendDurable([intent(0, ['a'])]);
    journal.append(accepted(0, ['id-a']));
    await journal.close();
    await appendFile(journal.path, `not json\n{"t":"mystery"}\n\n${JSON.stringify(accepted(0, ['id-a']))}\n`);
    const state = await readJournal(journal.path);
    expect(state).toMatchObject({ tornLines: 0, corruptLines: 3 });
    expect(state.damage.map((d) => d.line)).toEqual([4, 5, 7]);
    expect(state.recipients.get('a')?.status).toBe('accepted');
  });

  it('counts an outcome for a batch it never saw', async () => {
    const dir = await tempDir();
    const journal = await createJournal(dir, header('r1'), { pid: process.pid });
    journal.append(accepted(7, ['x']));
    await journal.close();
    expect((await readJournal(journal.path)).orphanOutcomes).toBe(1);
  });

  it('reads a line longer than the read chunk', async () => {
    const dir = await tempDir();
    const journal = await createJournal(dir, header('r1'), { pid: process.pid });
    await journal.appendDurable([intent(0, ['a'])]);
    journal.append({ t: 'outcome', b: 0, status: 'failed', at: AT, details: { body: 'é'.repeat(1_500_000) } });
    await journal.close();
    const state = await readJournal(journal.path);
    expect(state).toMatchObject({ tornLines: 0, corruptLines: 0 });
    expect(state.recipients.get('a')?.status).toBe('failed');
  });

  it('throws a UserError only for an unreadable file or a missing header', async () => {
    const dir = await tempDir();
    await userError(readJournal(join(dir, 'nope.ndjson')));
    const journal = await createJournal(dir, header('r1'), { pid: process.pid });
    await journal.close();
    const empty = join(dir, 'empty.ndjson');
    await writeFile(empty, '');
    expect((await userError(readJournal(empty))).message).toMatch(/no valid header/);
    await writeFile(empty, '{"t":"header","v":1,"runId":"x"');
    expect((await userError(readJournal(empty))).message).toMatch(/no valid header/);
    await writeFile(empty, `${JSON.stringify({ ...header('x'), t: 'header', v: 3 })}\n`);
    expect((await userError(readJournal(empty))).message).toMatch(/newer chirp \(journal format 3/);
    await writeFile(empty, `${JSON.stringify({ ...header('x'), t: 'header', v: 2 })}\n`);
    expect((await userError(readJournal(empty))).message).toMatch(/empty.ndjson:1: the header line is damaged \(it has no checksum\)/);
    await userError(createJournal(dir, header('../escape'), { pid: process.pid }));
  });

  it('refuses to create a run that exists', async () => {
    const dir = await tempDir();
    await (await createJournal(dir, header('r1'), { pid: process.pid })).close();
    expect((await userError(createJournal(dir, header('r1'), { pid: process.pid }))).message).toMatch(/exists/);
    expect(existsSync(lockFile(dir, 'r1'))).toBe(false);
  });
});

describe('journal lock', () => {
  it('refuses a run in use by a live process', async () => {
    const dir = await tempDir();
    const journal = await createJournal(dir, header('r1'), { pid: process.pid });
    const error = await userError(reopenJournal(dir, 'r1', now, process.pid));
    expect(error.message).toBe(`run r1 is in use by process ${process.pid}; if that process is gone, delete ${lockFile(dir, 'r1')}`);
    await journal.close();
    const again = await reopenJournal(dir, 'r1', now, process.pid);
    expect(again.warnings).toEqual([]);
    await again.close();
  });

  it('takes over the lock of a dead process and says so', async () => {
    const dir = await tempDir();
    await (await createJournal(dir, header('r1'), { pid: process.pid })).close();
    const dead = deadPid();
    await writeFile(lockFile(dir, 'r1'), JSON.stringify({ pid: dead, host: hostname(), at: AT }));
    const journal = await reopenJournal(dir, 'r1', now, process.pid);
    expect(journal.warnings).toEqual([`run r1: took over the lock of process ${dead} (since ${AT}), which is no longer running`]);
    expect(JSON.parse(await readFile(lockFile(dir, 'r1'), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    expect(existsSync(`${lockFile(dir, 'r1')}.takeover`)).toBe(false);
    await journal.close();
    expect(existsSync(lockFile(dir, 'r1'))).toBe(false);
  });

  it('refuses locks it cannot check: another host, no owner, a takeover in progress', async () => {
    const dir = await tempDir();
    await (await createJournal(dir, header('r1'), { pid: process.pid })).close();
    const lock = lockFile(dir, 'r1');
    await writeFile(lock, JSON.stringify({ pid: 1, host: 'elsewhere', at: AT }));
    expect((await userError(reopenJournal(dir, 'r1', now, process.pid))).message).toMatch(/process 1 on elsewhere/);
    await writeFile(lock, '');
    expect((await userError(reopenJournal(dir, 'r1', now, process.pid))).message).toMatch(/names no process/);
    await writeFile(lock, JSON.stringify({ pid: 4242, host: 'h', at: AT }));
    await writeFile(`${lock}.takeover`, '');
    const deadOnH = { host: 'h', isAlive: () => false };
    expect((await userError(reopenJournal(dir, 'r1', now, process.pid, deadOnH))).message).toMatch(/being taken over/);
    // Nothing of ours was left behind, and nobody else's lock was removed.
    expect(JSON.parse(await readFile(lock, 'utf8'))).toMatchObject({ pid: 4242 });
    await rm(`${lock}.takeover`);
    await (await reopenJournal(dir, 'r1', now, process.pid, deadOnH)).close();
    expect((await readJournal(journalFile(dir, 'r1'))).resumes).toBe(1);
  });

  it('does not delete a lock that is no longer its own', async () => {
    const dir = await tempDir();
    const journal = await createJournal(dir, header('r1'), { pid: process.pid });
    const other = JSON.stringify({ pid: 4242, host: 'h', at: AT });
    await writeFile(lockFile(dir, 'r1'), other);
    await journal.close();
    expect(await readFile(lockFile(dir, 'r1'), 'utf8')).toBe(other);
  });
});

describe('group commit', () => {
  it('resolves 200 concurrent appendDurable calls with few syncs, in append order', async () => {
    const dir = await tempDir();
    const journal = await createJournal(dir, header('r1'), { pid: process.pid });
    const before = journal.syncs;
    const pending: Promise<void>[] = [];
    for (let b = 0; b < 200; b++) {
      pending.push(journal.appendDurable([intent(b, [`k${b}`])]));
      if (b % 3 === 0) journal.append(accepted(b, [`id${b}`]));
    }
    await Promise.all(pending);
    expect(journal.syncs - before).toBeGreaterThanOrEqual(1);
    expect(journal.syncs - before).toBeLessThanOrEqual(2);
    await journal.close();

    const expected: string[] = [];
    for (let b = 0; b < 200; b++) {
      expected.push(`intent ${b}`);
      if (b % 3 === 0) expected.push(`outcome ${b}`);
    }
    const records = (await lines(journal.path)).slice(1).map((line) => JSON.parse(line) as { t: string; b: number });
    expect(records.map((r) => `${r.t} ${r.b}`)).toEqual(expected);
  });

  it('keeps later callers waiting for a sync that covers them', async () => {
    const dir = await tempDir();
    const journal = await createJournal(dir, header('r1'), { pid: process.pid });
    const first = journal.appendDurable([intent(0, ['a'])]);
    await Promise.resolve(); // let the first sync start, so the next call must queue another
    const second = journal.appendDurable([intent(1, ['b'])]);
    await Promise.all([first, second]);
    await journal.close();
    expect((await readJournal(journal.path)).counts.unknown).toBe(2);
  });
});

describe('runs', () => {
  it('lists runs newest first and finds the newest one with the same hashes', async () => {
    const dir = await tempDir();
    expect(await listRuns(dir)).toEqual([]);
    const make = async (runId: string, startedAt: string, fields: Partial<HeaderFields>, end?: boolean): Promise<void> => {
      const journal = await createJournal(dir, header(runId, { startedAt, ...fields }), { pid: process.pid });
      await journal.appendDurable([intent(0, ['a'])]);
      if (end) journal.append({ t: 'end', at: startedAt, reason: 'complete', summary: { accepted: 1 } });
      await journal.close();
    };
    await make('old', '2025-03-01T08:00:00.000Z', {}, true);
    await make('mid', '2025-03-01T09:00:00.000Z', {});
    await make('other-data', '2025-03-01T10:00:00.000Z', { dataHash: 'data2' });
    await make('other-message', '2025-03-01T11:00:00.000Z', { messageId: 'promo' });
    await writeFile(join(dir, 'broken.ndjson'), 'garbage\n');

    const runs = await listRuns(dir);
    expect(runs.map((r) => r.runId)).toEqual(['other-message', 'other-data', 'mid', 'old']);
    expect(runs[3]).toMatchObject({ ended: 'complete', summary: { accepted: 1 }, locked: false, lastAt: '2025-03-01T08:00:00.000Z' });
    expect(runs[2]).toMatchObject({ ended: undefined, summary: undefined, lastAt: AT });
    expect((await scanRuns(dir)).unreadable).toEqual([
      { path: join(dir, 'broken.ndjson'), message: expect.stringMatching(/no valid header/) as unknown },
    ]);

    const match = { messageId: 'welcome', definitionHash: 'def1', dataHash: 'data1' };
    expect((await findResumableRun(dir, match))?.runId).toBe('mid');
    expect(await findResumableRun(dir, { ...match, definitionHash: 'def2' })).toBeUndefined();

    // A resumed run is no longer ended.
    await (await reopenJournal(dir, 'old', now, process.pid)).close();
    expect((await listRuns(dir)).find((r) => r.runId === 'old')).toMatchObject({ ended: undefined, lastAt: AT });
  });
});

// The child appends like `chirp send` does and prints each batch number once append() has
// returned; whatever it printed must be in the journal after SIGKILL.
const CHILD = `
import { writeSync } from 'node:fs';
const [url, dir] = process.argv.slice(2);
const { createJournal } = await import(url);
const at = new Date().toISOString();
const journal = await createJournal(dir, {
  runId: 'killed', messageId: 'welcome', definitionHash: 'def1', dataHash: 'data1', chirpVersion: '0.1.0',
  startedAt: at, channelId: 'chan', workspace: 'ws', options: {},
}, { pid: process.pid });
const keys = (b) => Array.from({ length: 100 }, (_, i) => 'k' + b + '-' + i);
for (let b = 0; ; b++) {
  await journal.appendDurable([{ t: 'intent', b, keys: keys(b), at }]);
  journal.append({ t: 'outcome', b, status: 'accepted', at, ids: keys(b).map((k) => 'id-' + k) });
  writeSync(1, b + '\\n');
}
`;

describe('SIGKILL', () => {
  it('loses nothing that append() returned for', async () => {
    if (!existsSync(DIST))
      throw new Error(`${DIST} is missing: run \`npm run build\` first (this test kills a child running the built journal)`);
    const root = makeTempDir('chirp-journal-kill-');
    dirs.push(root);
    const script = join(root, 'child.mjs');
    await writeFile(script, CHILD);

    for (let round = 0; round < 3; round++) {
      const dir = join(root, `round${round}`);
      const target = 20 + Math.floor(Math.random() * 400);
      const child = spawn(process.execPath, [script, pathToFileURL(DIST).href, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        if (stdout.split('\n').length > target) child.kill('SIGKILL');
      });
      const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, sig) => resolve(sig)));
      expect(stderr).toBe('');
      expect(signal).toBe('SIGKILL');

      const acked = stdout
        .split('\n')
        .filter((line) => line !== '')
        .map(Number);
      const last = acked.at(-1)!;
      expect(acked).toEqual(Array.from({ length: last + 1 }, (_, b) => b));
      const state = await readJournal(journalFile(dir, 'killed'));
      expect(state.corruptLines).toBe(0);
      expect(state.tornLines).toBeLessThanOrEqual(1);
      for (let b = 0; b <= last; b++) {
        for (const i of [0, 99]) expect(state.recipients.get(`k${b}-${i}`)).toMatchObject({ status: 'accepted', id: `id-k${b}-${i}` });
      }
      expect(state.counts.accepted).toBeGreaterThanOrEqual((last + 1) * 100);
      // Anything beyond is either accepted (written, not yet printed) or unknown, never missing.
      expect(state.counts.accepted + state.counts.unknown).toBe(state.recipients.size);

      // The dead child's lock is stale: the run can be resumed.
      const resumed = await reopenJournal(dir, 'killed', now, process.pid);
      expect(resumed.warnings.join('\n')).toMatch(new RegExp(`took over the lock of process ${child.pid}`));
      await resumed.close();
      expect((await readJournal(journalFile(dir, 'killed'))).resumes).toBe(1);
    }
  });
});
