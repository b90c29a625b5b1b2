// Start a run's journal, or continue one after a crash or a stop. Either way the caller holds the
// run's lock until close(): one process per run.
import { closeSync, fstatSync, fsyncSync, openSync, readSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { readHeader } from './file-ends.js';
import { acquireLock, releaseLock, type HeldLock } from './lock.js';
import { checkRunId, headerRecord, journalFile, lockFile, type HeaderFields } from './records.js';
import { FileJournal, type JournalWriter } from './writer.js';

export interface JournalLockOptions {
  /** Append a `resume` record (default). `chirp status` only adds statuses and resolutions: false. */
  resume?: boolean;
  /** The continuing send's render key, recorded in the `resume` record. */
  renderKey?: string;
  /** Defaults to os.hostname(). */
  host?: string;
  /** Whether a pid on this host is running; defaults to `process.kill(pid, 0)`. */
  isAlive?: (pid: number) => boolean;
}

/** The new directory entry must survive power loss too, or the synced header is unreachable. */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot open or sync a directory; the file itself is synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function openOrRelease(path: string, flags: string, held: HeldLock, what: string): number {
  try {
    return openSync(path, flags);
  } catch (error) {
    releaseLock(held);
    const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
    throw new UserError(
      'E_JOURNAL',
      exists ? `${what}: ${path} already exists` : `cannot open journal ${path}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Creates `<dir>/<runId>.ndjson`, takes the lock and writes and syncs the header. */
export async function createJournal(
  dir: string,
  header: HeaderFields,
  options: JournalLockOptions & { pid: number },
): Promise<JournalWriter> {
  checkRunId(header.runId);
  await mkdir(dir, { recursive: true });
  const path = journalFile(dir, header.runId);
  const { held, warnings } = acquireLock(lockFile(dir, header.runId), header.runId, { ...options, at: header.startedAt });
  const fd = openOrRelease(path, 'ax', held, `run ${header.runId} exists`);
  const journal = new FileJournal(header.runId, path, fd, held, warnings);
  try {
    await journal.appendDurable([headerRecord(header)]);
  } catch (error) {
    await journal.close().catch(() => undefined);
    throw error;
  }
  syncDir(dir);
  return journal;
}

/** Whether the file ends with '\n' (or is empty): if not, a crash cut its last line. */
function endsWithNewline(fd: number): boolean {
  const { size } = fstatSync(fd);
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] === 10;
}

/** Continues a run: takes the lock and appends a `resume` record, durably. */
export async function reopenJournal(
  dir: string,
  runId: string,
  now: () => Date,
  pid: number,
  options: JournalLockOptions = {},
): Promise<JournalWriter> {
  checkRunId(runId);
  const path = journalFile(dir, runId);
  await readHeader(path); // no resume of a file that is missing or has no header
  const at = now().toISOString();
  const { held, warnings } = acquireLock(lockFile(dir, runId), runId, { ...options, pid, at });
  const fd = openOrRelease(path, 'a+', held, `run ${runId}`);
  const journal = new FileJournal(runId, path, fd, held, warnings);
  try {
    // Terminate a cut last line so the resume record starts its own line; readers count it as torn.
    if (!endsWithNewline(fd)) {
      journal.writeRaw('\n');
      warnings.push(`run ${runId}: the last record was cut by a crash and is ignored`);
    }
    if (options.resume !== false)
      await journal.appendDurable([{ t: 'resume', at, pid, ...(options.renderKey !== undefined ? { renderKey: options.renderKey } : {}) }]);
  } catch (error) {
    await journal.close().catch(() => undefined);
    throw error;
  }
  return journal;
}
