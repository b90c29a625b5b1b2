// What `chirp status` needs from a run's journal: per recipient key, how it was sent (batch, Bird's
// message id or batch id, reference) and the delivery status fetched last time.
import { foldJournal } from '../journal/index.js';
import type { Reply } from './replies.js';
import { LOOKUP_FAILED, type KeyHash, type RunTable } from './run-table.js';
import { RunTableFold, type RunTableRead } from './run-table-fold.js';

export { LOOKUP_FAILED };

export interface Delivery {
  status: string;
  id?: string;
  code?: string;
  description?: string;
  /** Bird's `reason` (why a message was skipped or deleted). */
  reason?: string;
  /** When a `scheduled` message goes out (Bird's clock). */
  scheduledFor?: string;
  /** Bird's createdAt: places the run on Bird's clock. */
  createdAt?: string;
  /** Set when the last attempt to fetch this message's status failed: why. The status is the last known one. */
  lookupError?: string;
}

/** The journal's status entry for a delivery: [key, status, id, code, description, reason, scheduledFor, createdAt]. */
export function statusEntry(key: string, d: Delivery): [string, string, string?, string?, string?, string?, string?, string?] {
  if (d.lookupError !== undefined) return [key, 'unknown', d.id, LOOKUP_FAILED, d.lookupError];
  const entry: [string, string, string?, string?, string?, string?, string?, string?] = [
    key,
    d.status,
    d.id,
    d.code,
    d.description,
    d.reason,
    d.scheduledFor,
    d.createdAt,
  ];
  while (entry.length > 2 && entry[entry.length - 1] === undefined) entry.pop();
  return entry;
}

export interface RunDetail {
  /** The journal's header, how the run ended, and what of it is damaged. */
  state: Omit<RunTableRead, 'table' | 'suppressed' | 'replies'>;
  /** Per recipient: journal state, reference, recorded delivery (bounded memory: src/status/run-table.ts). */
  table: RunTable;
  /** Rows the run skipped for consent (opted out, no opt-in): its last segment's count (end record, else header). Undefined: not recorded. */
  suppressed: number | undefined;
  /** Replies earlier statuses recorded, by Bird's message id, in the order first recorded (read in the same pass). */
  replies: Map<string, Reply>;
}

/**
 * One streaming pass over the journal: the state per key, each key's reference and the statuses
 * recorded so far, into typed-array columns by key id.
 */
export async function readRunDetail(path: string, hash?: KeyHash): Promise<RunDetail> {
  const { table, suppressed, replies, ...state } = await foldJournal(path, (header) => new RunTableFold(header, hash));
  // The last segment's count: its end record, else what its header planned to skip.
  const fromHeader = state.header.options?.suppressed;
  return { state, table, replies, suppressed: suppressed ?? (typeof fromHeader === 'number' ? fromHeader : undefined) };
}
