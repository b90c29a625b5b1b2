// Is a send of this run still going? Its process holds `<runId>.lock` while it sends (a live pid on
// this host, or any lock from another host), and its journal grows. `chirp status` says so instead of
// calling requests on their way "unknown", and `--wait` waits for the send to end first.
import { readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { lockFile, pidIsAlive } from '../journal/index.js';
import type { SendActivity } from './summary.js';

export interface ActivityProbe {
  activity: SendActivity | null;
  /** The journal's size now, to compare with at the next probe. */
  size: number;
}

export interface ActivityOptions {
  /** This process (a `status --reconcile` holds the lock itself). */
  pid: number;
  /** The journal's size at the previous probe, if any. */
  previousSize?: number;
  host?: string;
  isAlive?: (pid: number) => boolean;
}

export function sendActivity(dir: string, runId: string, journalPath: string, options: ActivityOptions): ActivityProbe {
  let size = 0;
  try {
    size = statSync(journalPath).size;
  } catch {
    // A journal that vanished is no send in progress; the caller's read reports it.
  }
  const owner = readOwner(lockFile(dir, runId));
  const host = options.host ?? hostname();
  const isAlive = options.isAlive ?? pidIsAlive;
  if (owner && !(owner.host === host && owner.pid === options.pid) && (owner.host !== host || isAlive(owner.pid))) {
    return {
      activity: {
        evidence: 'lock',
        pid: owner.pid,
        ...(owner.host !== host ? { host: owner.host } : {}),
        ...(owner.at ? { since: owner.at } : {}),
      },
      size,
    };
  }
  if (options.previousSize !== undefined && size > options.previousSize) return { activity: { evidence: 'growing' }, size };
  return { activity: null, size };
}

function readOwner(path: string): { pid: number; host: string; at?: string } | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown; host?: unknown; at?: unknown };
    if (Number.isSafeInteger(owner.pid) && typeof owner.host === 'string') {
      return { pid: owner.pid as number, host: owner.host, ...(typeof owner.at === 'string' ? { at: owner.at } : {}) };
    }
  } catch {
    // No lock, or one being written: no evidence either way.
  }
  return undefined;
}
