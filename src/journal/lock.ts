// One process per run: `<runId>.lock`, created with O_EXCL, holds {pid, host, at}.
// A lock whose process is gone (SIGKILL, power loss) is taken over; a live one is refused,
// because two processes sending the same run is how a message goes out twice.
import { closeSync, fsyncSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { UserError } from '../errors.js';

export interface LockOptions {
  pid: number;
  at: string;
  /** Defaults to os.hostname(). */
  host?: string;
  /** Defaults to `process.kill(pid, 0)`; injected by tests. */
  isAlive?: (pid: number) => boolean;
}
export interface HeldLock {
  path: string;
  text: string;
}

interface Owner {
  pid: number;
  host: string;
  at: string;
}

/** `kill(pid, 0)` sends nothing; EPERM means the process exists but belongs to someone else. */
export function pidIsAlive(pid: number): boolean {
  try {
    // An OS probe (signal 0 sends nothing), not process I/O: the one use of `process` below cli/.
    // eslint-disable-next-line no-restricted-globals
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const errno = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if (errno(error) !== 'ENOENT') throw error;
  }
}

/** Creates `path` holding `text` unless it exists. */
function tryCreate(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if (errno(error) === 'EEXIST') return false;
    throw new UserError('E_JOURNAL', `cannot create lock ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(path);
    throw new UserError('E_JOURNAL', `cannot write lock ${path}: ${(error as Error).message}`, { cause: error });
  }
  closeSync(fd);
  return true;
}

/** The lock's owner; 'gone' if the file vanished meanwhile, 'unreadable' if it holds no owner. */
function readOwner(path: string): Owner | 'gone' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (errno(error) === 'ENOENT') return 'gone';
    throw new UserError('E_JOURNAL', `cannot read lock ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const owner = JSON.parse(text) as Partial<Owner>;
    if (Number.isSafeInteger(owner.pid) && typeof owner.host === 'string') return owner as Owner;
  } catch {
    // fall through: an empty or cut lock (crash between create and write) names no owner we could check
  }
  return 'unreadable';
}

/**
 * Takes the run's lock or throws a UserError naming the owner. A dead owner's lock is replaced,
 * and `warnings` says so.
 */
export function acquireLock(path: string, runId: string, options: LockOptions): { held: HeldLock; warnings: string[] } {
  const host = options.host ?? hostname();
  const isAlive = options.isAlive ?? pidIsAlive;
  const text = `${JSON.stringify({ pid: options.pid, host, at: options.at })}\n`;
  const held = { path, text };
  if (tryCreate(path, text)) return { held, warnings: [] };

  const check = (owner: Owner | 'gone' | 'unreadable'): Owner | undefined => {
    if (owner === 'gone') return undefined;
    if (owner === 'unreadable') {
      throw new UserError(
        'E_RUN_LOCKED',
        `run ${runId} is locked by ${path}, which names no process; if no chirp process is using this run, delete ${path}`,
      );
    }
    // Another host's pids cannot be checked from here, so its lock counts as live.
    if (owner.host !== host || isAlive(owner.pid)) {
      const where = owner.host === host ? '' : ` on ${owner.host}`;
      throw new UserError(
        'E_RUN_LOCKED',
        `run ${runId} is in use by process ${owner.pid}${where}; if that process is gone, delete ${path}`,
      );
    }
    return owner;
  };
  check(readOwner(path));

  // The owner is dead. Replace its lock only while holding `.takeover`, and check again inside:
  // two processes that both saw the stale lock must not both end up owning the run.
  const guard = `${path}.takeover`;
  if (!tryCreate(guard, text)) {
    throw new UserError('E_RUN_LOCKED', `run ${runId} is being taken over by another process; if none is running, delete ${guard}`);
  }
  try {
    const stale = check(readOwner(path));
    if (stale) unlinkQuietly(path);
    if (!tryCreate(path, text)) {
      // A process that never saw the stale lock created one between our unlink and create.
      check(readOwner(path));
      throw new UserError('E_RUN_LOCKED', `run ${runId} is in use by another process; if it is gone, delete ${path}`);
    }
    const warnings = stale
      ? [`run ${runId}: took over the lock of process ${stale.pid} (since ${stale.at}), which is no longer running`]
      : [];
    return { held, warnings };
  } finally {
    unlinkQuietly(guard);
  }
}

/** Deletes the lock if it is still ours; never someone else's. */
export function releaseLock(held: HeldLock): void {
  try {
    if (readFileSync(held.path, 'utf8') === held.text) unlinkSync(held.path);
  } catch (error) {
    if (errno(error) !== 'ENOENT') throw error;
  }
}
