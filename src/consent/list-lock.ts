// `suppress add` reads a list, appends, and renames the new file over the old one. Two adds at the same
// instant would each rename their own copy, and the first entry would be lost. So the whole
// read-append-rename runs under `<list>.lock` (created with O_EXCL, holding {pid, host, at}), the journal's
// lock pattern (src/journal/lock.ts): a lock whose process is gone on this host is taken over under a
// `.takeover` guard; a live one is waited for (an add takes milliseconds), and after `waitMs` refused.
// A guard is never removed by anyone but its creator: a guard left by a process that died inside the
// takeover (a window of microseconds) is refused by name after the wait, as the journal's lock refuses
// it. Removing a dead guard automatically cannot be made safe with unlink: a process that saw the dead
// guard could remove a fresh one created meanwhile, and two takeovers would run at once.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../errors.js';

export interface ListLockOptions {
  /** This process. 0 (a library caller that gave none) is never taken for dead. */
  pid: number;
  /** Whether a pid on this host is running (the journal's `pidIsAlive`, injected: consent sits above journal). */
  isAlive: (pid: number) => boolean;
  /** The wall clock's ISO time, for the record. */
  at: string;
  host?: string;
  /** How long to wait for a live owner (default 30 s). */
  waitMs?: number;
  /** Between two looks (default 10 ms, growing to 25 ms). */
  pollMs?: number;
}

interface Owner {
  pid: number;
  host: string;
  at?: string;
}

const errno = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

function tryCreate(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    if (errno(error) === 'EEXIST') return false;
    throw new UserError(
      'E_OUTPUT_PATH',
      `cannot create the lock ${path}: ${errno(error) ?? (error as Error).message}; the list is unchanged`,
      {
        cause: error,
      },
    );
  }
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if (errno(error) !== 'ENOENT') throw error;
  }
}

/** The owner; 'gone' when the lock vanished meanwhile; 'unreadable' when it names none (cut by a crash, or being written). */
function readOwner(path: string): Owner | 'gone' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (errno(error) === 'ENOENT') return 'gone';
    throw new UserError('E_OUTPUT_PATH', `cannot read the lock ${path}: ${errno(error) ?? (error as Error).message}`, { cause: error });
  }
  try {
    const owner = JSON.parse(text) as Partial<Owner>;
    if (Number.isSafeInteger(owner.pid) && typeof owner.host === 'string') return owner as Owner;
  } catch {
    // fall through
  }
  return 'unreadable';
}

/** Runs `work` holding `<path>.lock`; the lock is released after, even when `work` throws. */
export async function withListLock<T>(path: string, file: string, options: ListLockOptions, work: () => Promise<T>): Promise<T> {
  const lock = `${path}.lock`;
  const host = options.host ?? hostname();
  const text = `${JSON.stringify({ pid: options.pid, host, at: options.at })}\n`;
  const deadline = Date.now() + (options.waitMs ?? 30_000);
  let poll = options.pollMs ?? 10;
  let lastOwner: Owner | 'unreadable' | undefined;
  for (;;) {
    if (tryCreate(lock, text)) break;
    const owner = readOwner(lock);
    if (owner !== 'gone') {
      lastOwner = owner;
      // Only a lock of this host naming a dead pid is stale; an unreadable one may be being written.
      if (
        owner !== 'unreadable' &&
        owner.host === host &&
        owner.pid !== 0 &&
        !options.isAlive(owner.pid) &&
        takeOver(lock, text, host, options)
      )
        break;
    }
    // A lock gone between the create and the read is mostly released meanwhile; one that stays so
    // (a link to nothing: it exists for the create, not for the read) must not be spun on forever.
    if (Date.now() >= deadline) {
      const guard = `${lock}.takeover`;
      if (existsSync(guard)) {
        throw new UserError(
          'E_LIST_LOCKED',
          `${file} is locked by a takeover that never finished (${guard}); if no chirp is running, delete ${guard} and ${lock}`,
        );
      }
      const who =
        lastOwner === undefined
          ? 'a lock that exists but cannot be read (a link to nothing?)'
          : lastOwner === 'unreadable'
            ? 'a lock that names no process'
            : `process ${lastOwner.pid}${lastOwner.host === host ? '' : ` on ${lastOwner.host}`}`;
      throw new UserError(
        'E_LIST_LOCKED',
        `${file} is being changed by ${who} (${lock}); try again, or if no chirp is running, delete ${lock}`,
      );
    }
    if (owner === 'gone') {
      await sleep(1);
      continue;
    }
    await sleep(poll);
    poll = Math.min(25, poll * 2);
  }
  try {
    return await work();
  } finally {
    release(lock, text);
  }
}

/** Deletes the lock if it is still ours; never someone else's. A lock already gone is fine. */
function release(lock: string, text: string): void {
  try {
    if (readFileSync(lock, 'utf8') === text) unlinkSync(lock);
  } catch {
    // Gone already, or unreadable: nothing of ours to remove.
  }
}

/** Replaces a dead owner's lock with ours, under a guard so two processes that saw it stale cannot both win. */
function takeOver(lock: string, text: string, host: string, options: ListLockOptions): boolean {
  const guard = `${lock}.takeover`;
  // Another process is taking it over (or died doing so: refused after the wait, naming the guard).
  if (!tryCreate(guard, text)) return false;
  try {
    const owner = readOwner(lock);
    if (owner === 'unreadable' || (owner !== 'gone' && (owner.host !== host || owner.pid === 0 || options.isAlive(owner.pid))))
      return false;
    // Only the dead owner's lock is removed: one found gone may be a live process's a moment later.
    if (owner !== 'gone') unlinkQuietly(lock);
    return tryCreate(lock, text);
  } finally {
    unlinkQuietly(guard);
  }
}
