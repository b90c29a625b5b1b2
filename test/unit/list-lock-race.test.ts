// A race inside the list lock's takeover that the in-process tests cannot time: the lock vanishes
// between the look outside the guard (a dead owner's) and the look inside it, and a live process
// creates its own lock right after that look. The takeover must not remove that live process's lock:
// two `suppress add`s would run at once and one entry would be lost. node:fs is wrapped so the
// interleaving happens at exactly that read (the journal's lock does not have the race: it unlinks
// only a lock it read as a dead owner's).
import type * as Fs from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { tempDir } from '../helpers/temp.js';

/** When set: the next read of `path` while its takeover guard exists runs `around` instead. */
const race: { path?: string; around?: (read: () => unknown) => unknown } = {};

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof Fs>();
  const readFileSync = ((path: string, ...rest: unknown[]) => {
    const read = (): unknown => (fs.readFileSync as (...args: unknown[]) => unknown)(path, ...rest);
    if (race.path !== undefined && path === race.path && fs.existsSync(`${race.path}.takeover`)) {
      race.path = undefined;
      return race.around!(read);
    }
    return read();
  }) as typeof fs.readFileSync;
  return { ...fs, default: { ...fs, readFileSync }, readFileSync };
});

const { readFileSync, unlinkSync, writeFileSync } = await import('node:fs');
const { withListLock } = await import('../../src/consent/list-lock.js');
const { UserError } = await import('../../src/errors.js');

describe('the list lock under a takeover race', () => {
  it("never removes a live process's lock created after the takeover saw the lock gone", async () => {
    const path = join(tempDir('chirp-lock-race-'), 'optouts.txt');
    writeFileSync(path, '');
    const lock = `${path}.lock`;
    const dead = `${JSON.stringify({ pid: 424242, host: hostname(), at: '2026-01-01T00:00:00Z' })}\n`;
    const live = `${JSON.stringify({ pid: 777, host: hostname(), at: '2026-12-07T00:00:00Z' })}\n`;
    writeFileSync(lock, dead);
    // Inside the guard the takeover reads the lock: another process has meanwhile taken the dead lock
    // over, done its add and let go (the read finds nothing); right after, process 777 creates its own.
    let raced = false;
    race.path = lock;
    race.around = (read) => {
      unlinkSync(lock);
      try {
        return read();
      } finally {
        writeFileSync(lock, live, { flag: 'wx' });
        raced = true;
      }
    };
    let ran = false;
    const outcome = await withListLock(
      path,
      'optouts.txt',
      { pid: 1, isAlive: (pid) => pid !== 424242, at: 'now', waitMs: 80, pollMs: 5 },
      () => {
        ran = true;
        return Promise.resolve('held');
      },
    ).catch((e: unknown) => e);
    expect(raced).toBe(true);
    // Process 777's lock is still there and still its own; this process waited for it, then refused.
    expect(ran).toBe(false);
    expect(readFileSync(lock, 'utf8')).toBe(live);
    expect(outcome).toBeInstanceOf(UserError);
    expect((outcome as InstanceType<typeof UserError>).message).toMatch(/process 777/);
  });
});
