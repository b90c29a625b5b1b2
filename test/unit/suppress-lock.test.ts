// `suppress add` under the list's lock: concurrent adds (in this process; separate processes: test/cli/suppress-lock.test.ts)
// each land exactly once; a dead process's lock is taken over; a live one is waited for, then refused.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { addToList } from '../../src/consent/index.js';
import { withListLock } from '../../src/consent/list-lock.js';
import { UserError } from '../../src/errors.js';
import { REPO } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const number = (i: number): string => `+3162${String(i).padStart(7, '0')}`;
const alive = (): boolean => true;
const dead = (): boolean => false;

function entries(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => l !== '');
}

function add(path: string, receiver: string, pid: number, isAlive = alive) {
  return addToList({ path, file: 'optouts.txt', receiver, defaultCountry: 'NL', date: '2026-12-07', lock: { pid, isAlive } });
}

describe('suppress add under the list lock', () => {
  it('20 adds at the same instant in one process: every entry lands exactly once, the lock is gone after', async () => {
    for (const format of ['txt', 'csv', 'ndjson'] as const) {
      const dir = tempDir('chirp-lock-');
      const path = join(dir, `optouts.${format}`);
      writeFileSync(path, format === 'csv' ? 'receiver,date,reason\n' : '');
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          addToList({
            path,
            file: `optouts.${format}`,
            receiver: number(i),
            defaultCountry: 'NL',
            date: '2026-12-07',
            lock: { pid: 1000 + i, isAlive: alive },
          }),
        ),
      );
      expect(results.every((r) => r.added)).toBe(true);
      const text = readFileSync(path, 'utf8');
      for (let i = 0; i < 20; i++) expect(text.split(number(i)).length - 1).toBe(1);
      expect(existsSync(`${path}.lock`)).toBe(false);
    }
  });

  it('the same number added 8 times at once is written once, and 7 adds say it was there', async () => {
    const path = join(tempDir('chirp-lock-'), 'optouts.txt');
    writeFileSync(path, '');
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => add(path, i % 2 === 0 ? '06 2000 0007' : number(7), 2000 + i)));
    expect(results.filter((r) => r.added)).toHaveLength(1);
    expect(entries(path)).toEqual([number(7)]);
  });

  it("takes over a dead process's lock on this host, and never a live one's (waits, then E_LIST_LOCKED)", async () => {
    const path = join(tempDir('chirp-lock-'), 'optouts.txt');
    writeFileSync(path, '');
    writeFileSync(`${path}.lock`, `${JSON.stringify({ pid: 424242, host: hostname(), at: '2026-01-01T00:00:00Z' })}\n`);
    expect((await add(path, number(1), 1, dead)).added).toBe(true);
    expect(existsSync(`${path}.lock`)).toBe(false);

    writeFileSync(`${path}.lock`, `${JSON.stringify({ pid: 424242, host: hostname(), at: '2026-01-01T00:00:00Z' })}\n`);
    const refused = await addToList({
      path,
      file: 'optouts.txt',
      receiver: number(2),
      defaultCountry: 'NL',
      date: '2026-12-07',
      lock: { pid: 1, isAlive: alive, waitMs: 50 },
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as UserError).code).toBe('E_LIST_LOCKED');
    expect((refused as UserError).message).toMatch(/process 424242/);
    // Another host's lock is never taken for dead (its pids cannot be checked from here).
    writeFileSync(`${path}.lock`, `${JSON.stringify({ pid: 424242, host: 'elsewhere', at: '2026-01-01T00:00:00Z' })}\n`);
    const other = await addToList({
      path,
      file: 'optouts.txt',
      receiver: number(2),
      defaultCountry: 'NL',
      date: '2026-12-07',
      lock: { pid: 1, isAlive: dead, waitMs: 50 },
    }).catch((e: unknown) => e);
    expect((other as UserError).code).toBe('E_LIST_LOCKED');
    expect(entries(path)).toEqual([number(1)]);
  });

  it("never removes a takeover guard it did not create: a dead process's guard is refused by name after the wait", async () => {
    const path = join(tempDir('chirp-lock-'), 'optouts.txt');
    writeFileSync(path, '');
    const stale = `${JSON.stringify({ pid: 424242, host: hostname(), at: '2026-01-01T00:00:00Z' })}\n`;
    writeFileSync(`${path}.lock`, stale);
    // A process that died inside its takeover left the guard: removing it by path could remove a fresh
    // guard another process made meanwhile, and two takeovers would both win. So it stays, and is named.
    writeFileSync(`${path}.lock.takeover`, stale);
    const refused = await addToList({
      path,
      file: 'optouts.txt',
      receiver: number(4),
      defaultCountry: 'NL',
      date: '2026-12-07',
      lock: { pid: 1, isAlive: dead, waitMs: 60 },
    }).catch((e: unknown) => e);
    expect((refused as UserError).code).toBe('E_LIST_LOCKED');
    expect((refused as UserError).message).toContain(`delete ${path}.lock.takeover and ${path}.lock`);
    expect(readFileSync(`${path}.lock.takeover`, 'utf8')).toBe(stale);
    expect(entries(path)).toEqual([]);
    // The way out the message names works.
    rmSync(`${path}.lock.takeover`);
    expect((await add(path, number(4), 1, dead)).added).toBe(true);
    expect(entries(path)).toEqual([number(4)]);
  });

  it('waits for a live owner that lets go, and releases the lock when the work throws', async () => {
    const path = join(tempDir('chirp-lock-'), 'optouts.txt');
    writeFileSync(path, '');
    let release!: () => void;
    const held = withListLock(path, 'optouts.txt', { pid: 7, isAlive: alive, at: 'now' }, () => new Promise<void>((r) => (release = r)));
    const waiting = add(path, number(3), 8);
    await new Promise((r) => setImmediate(r));
    expect(entries(path)).toEqual([]);
    release();
    await held;
    expect((await waiting).added).toBe(true);
    await expect(
      withListLock(path, 'optouts.txt', { pid: 9, isAlive: alive, at: 'now' }, () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('a lock that exists but reads as nothing (a link to nothing) is refused after the wait, never spun on', () => {
    const path = join(tempDir('chirp-lock-'), 'optouts.txt');
    writeFileSync(path, '');
    symlinkSync(join(tempDir('chirp-lock-'), 'nowhere'), `${path}.lock`);
    // In a child process: the spin it must not do never yields, so no timer here could stop it.
    const script = `
      import { withListLock } from ${JSON.stringify(join(REPO, 'src/consent/list-lock.ts'))};
      const r = await withListLock(${JSON.stringify(path)}, 'optouts.txt', { pid: 1, isAlive: () => true, at: 'now', waitMs: 100 }, async () => 'held')
        .catch((e) => e.code + ': ' + e.message);
      console.log(r);`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(child.signal, child.stderr).toBeNull();
    expect(child.stdout).toMatch(/^E_LIST_LOCKED: optouts\.txt .*delete .*optouts\.txt\.lock/);
    expect(entries(path)).toEqual([]);
  }, 20_000);
});
