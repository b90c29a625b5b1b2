// `chirp journal list`: every run in the journal folder, newest first, with what its journal says
// about it as a whole (how many it set out to reach, how many it sent to, who it never reached).
// Read from the journal only: no request to Bird (`chirp status RUN` fetches delivery statuses).
import { scanRuns, type RunSummary, type UnreadableRun } from '../journal/index.js';
import { sendActivity } from './activity.js';
import { readRunDetail } from './run-detail.js';
import { summarize } from './summary.js';

/**
 * sending: a send of the run is still going. unfinished: someone of its data was never sent to (or the
 * journal cannot tell). incomplete: everyone was sent to or skipped, but some failed, are unknown, or
 * were skipped (window closed). complete: every recipient it set out to reach was accepted by Bird.
 */
export type RunListState = 'sending' | 'unfinished' | 'incomplete' | 'complete';

export interface RunListEntry {
  runId: string;
  message: string;
  startedAt: string;
  /** The time of the run's last record. */
  lastAt: string | null;
  state: RunListState;
  /** Why its last send ended; null if it did not (killed, or still sending). */
  ended: 'complete' | 'interrupted' | 'stopped' | null;
  /** Recipients it set out to reach; null when an older journal that never ended cannot tell. */
  total: number | null;
  accepted: number;
  failed: number;
  /** Unknown outcome (maybe sent), or an intent without an outcome. */
  unknown: number;
  resendable: number;
  windowClosed: number;
  notSent: number;
  /** Lines that do not verify (`chirp journal check` lists them). */
  damaged: number;
  path: string;
}

export interface RunList {
  version: 1;
  dir: string;
  runs: RunListEntry[];
  unreadable: UnreadableRun[];
}

export async function listRunStates(dir: string, pid: number): Promise<RunList> {
  const scan = await scanRuns(dir);
  const runs: RunListEntry[] = [];
  const unreadable = [...scan.unreadable];
  for (const run of scan.runs) {
    try {
      runs.push(await entry(dir, run, pid));
    } catch (error) {
      unreadable.push({ path: run.path, message: (error as Error).message });
    }
  }
  return { version: 1, dir, runs, unreadable };
}

async function entry(dir: string, run: RunSummary, pid: number): Promise<RunListEntry> {
  const { state, table } = await readRunDetail(run.path);
  const activity = sendActivity(dir, run.runId, run.path, { pid }).activity;
  // The same count as `chirp status`, without asking Bird: every message sent counts as accepted.
  const s = summarize(state.header, table, {
    journalOnly: true,
    sending: activity,
    run: { planned: state.header.planned, ended: state.ended, endSummary: state.endSummary },
  });
  const open = s.sendFailed + s.unknown + s.inFlight + s.resendable + s.windowClosed;
  return {
    runId: run.runId,
    message: state.header.messageId,
    startedAt: state.header.startedAt,
    lastAt: run.lastAt ?? null,
    state: activity
      ? 'sending'
      : s.unfinished && s.notSent + (s.total === null ? 1 : 0) > 0
        ? 'unfinished'
        : open > 0
          ? 'incomplete'
          : 'complete',
    ended: state.ended ?? null,
    total: s.total,
    accepted: s.accepted,
    failed: s.sendFailed,
    unknown: s.unknown + s.inFlight,
    resendable: s.resendable,
    windowClosed: s.windowClosed,
    notSent: s.notSent,
    damaged: state.damage.length,
    path: run.path,
  };
}
