// Which runs a journal directory holds, newest first, from each file's header and tail only.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readHeader, readTail } from './file-ends.js';
import { lockFile, type EndReason, type HeaderRecord } from './records.js';

export interface RunSummary {
  runId: string;
  path: string;
  header: HeaderRecord;
  /** From the tail: why the run ended; undefined if it did not, was resumed since, or the tail cannot tell. */
  ended: EndReason | undefined;
  /** The `end` record's summary, when `ended` is set. */
  summary: Record<string, number> | undefined;
  /** The time of the last record in the file. */
  lastAt: string | undefined;
  /** A lock file exists: the run is in use, or its process died. */
  locked: boolean;
}

export interface UnreadableRun {
  path: string;
  message: string;
}

async function summarize(dir: string, path: string, runId: string): Promise<RunSummary> {
  const header = await readHeader(path);
  if (header.runId !== runId) throw new Error(`its header names run ${header.runId}`);
  const tail = await readTail(path);
  const final = tail.at(-1);
  const lastAt = final === undefined ? undefined : final.t === 'header' ? final.startedAt : final.at;
  const last = tail.findLast((record) => record.t === 'end' || record.t === 'resume');
  const ended = last?.t === 'end' ? last : undefined;
  return { runId, path, header, ended: ended?.reason, summary: ended?.summary, lastAt, locked: existsSync(lockFile(dir, runId)) };
}

function newestFirst(a: RunSummary, b: RunSummary): number {
  const byTime = Date.parse(b.header.startedAt) - Date.parse(a.header.startedAt);
  if (byTime) return byTime;
  return b.header.startedAt.localeCompare(a.header.startedAt) || b.runId.localeCompare(a.runId);
}

/** Every run in `dir` (none if it does not exist) and the files that could not be read as runs. */
export async function scanRuns(dir: string): Promise<{ runs: RunSummary[]; unreadable: UnreadableRun[] }> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { runs: [], unreadable: [] };
    throw error;
  }
  const runs: RunSummary[] = [];
  const unreadable: UnreadableRun[] = [];
  for (const name of names.filter((n) => n.endsWith('.ndjson')).sort()) {
    const path = join(dir, name);
    try {
      runs.push(await summarize(dir, path, name.slice(0, -'.ndjson'.length)));
    } catch (error) {
      unreadable.push({ path, message: (error as Error).message });
    }
  }
  return { runs: runs.sort(newestFirst), unreadable };
}

/** Every readable run, newest first (by startedAt). scanRuns also reports the unreadable files. */
export async function listRuns(dir: string): Promise<RunSummary[]> {
  return (await scanRuns(dir)).runs;
}

/**
 * The newest run of this message with the same definition and data. Ended runs count too:
 * a complete run means there is nothing left to send, which must not read as "no run yet".
 */
export async function findResumableRun(
  dir: string,
  match: { messageId: string; definitionHash: string; dataHash: string },
): Promise<RunSummary | undefined> {
  return (await listRuns(dir)).find(
    ({ header }) =>
      header.messageId === match.messageId && header.definitionHash === match.definitionHash && header.dataHash === match.dataHash,
  );
}
