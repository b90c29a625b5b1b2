// Start a run's journal, or continue one after a crash or a stop. Either way the caller holds the
// run's lock until close(): one process per run.
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { readHeader } from './file-ends.js';
import { acquireLock, releaseLock, type HeldLock } from './lock.js';
import { checkLine, checkRunId, headerRecord, journalFile, lockFile, type HeaderFields } from './records.js';
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

/**
 * The cut last line (where it begins, and its text) when the file does not end with a newline; undefined
 * when it does. The header ends with a newline, so one is always found before it.
 */
function cutLine(fd: number): { start: number; text: string } | undefined {
  if (endsWithNewline(fd)) return undefined;
  const { size } = fstatSync(fd);
  const chunk = Buffer.alloc(64 * 1024);
  let start = 0;
  for (let end = size; end > 0;) {
    const from = Math.max(0, end - chunk.length);
    readSync(fd, chunk, 0, end - from, from);
    const nl = chunk.subarray(0, end - from).lastIndexOf(10);
    if (nl !== -1) {
      start = from + nl + 1;
      break;
    }
    end = from;
  }
  const tail = Buffer.alloc(size - start);
  readSync(fd, tail, 0, tail.length, start);
  return { start, text: tail.toString('utf8') };
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
  const header = await readHeader(path); // no resume of a file that is missing or has no header
  const at = now().toISOString();
  const { held, warnings } = acquireLock(lockFile(dir, runId), runId, { ...options, pid, at });
  const fd = openOrRelease(path, 'a+', held, `run ${runId}`);
  const journal = new FileJournal(runId, path, fd, held, warnings);
  try {
    const cut = cutLine(fd);
    if (cut !== undefined) {
      const whole = checkLine(cut.text, header.v >= 2).ok;
      if (options.resume === false && !whole) {
        // Nothing but a `resume` may follow a cut line (readers call any other record after one damage):
        // a status's records go where the cut line began. Readers ignore a cut last line anyway.
        ftruncateSync(fd, cut.start);
        warnings.push(`run ${runId}: the last record was cut by a crash and is ignored (removed)`);
      } else {
        // Terminate a cut last line so the next record starts its own line; readers count it as torn
        // (a whole record that only lost its line end is read as it is).
        journal.writeRaw('\n');
        if (!whole) warnings.push(`run ${runId}: the last record was cut by a crash and is ignored`);
      }
    }
    if (options.resume !== false)
      await journal.appendDurable([{ t: 'resume', at, pid, ...(options.renderKey !== undefined ? { renderKey: options.renderKey } : {}) }]);
  } catch (error) {
    await journal.close().catch(() => undefined);
    throw error;
  }
  return journal;
}
