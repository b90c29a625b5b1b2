// What `chirp status` needs from a run's journal: per recipient key, how it was sent (batch, Bird's
// message id or batch id, reference) and the delivery status fetched last time.
import { readJournal, type JournalState } from '../journal/index.js';

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

/** A status entry that records a failed lookup, not a status of Bird's. */
export const LOOKUP_FAILED = 'lookup_failed';

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
  state: JournalState;
  /** key → reference of its request (the listing matches batch-sent messages on it). */
  refs: Map<string, string>;
  /** key → delivery status recorded by an earlier `chirp status`. */
  deliveries: Map<string, Delivery>;
  /** Rows the run skipped for consent (opted out, no opt-in): its last segment's count (end record, else header). Undefined: not recorded. */
  suppressed: number | undefined;
}

/**
 * One streaming pass over the journal: the state per key, each key's reference and the statuses
 * recorded so far. The reference map shares its key strings with the state's; nothing is kept per
 * batch that the state does not already hold.
 */
export async function readRunDetail(path: string): Promise<RunDetail> {
  const refs = new Map<string, string>();
  const deliveries = new Map<string, Delivery>();
  let suppressed: number | undefined;
  const state = await readJournal(path, (record) => {
    if (record.t === 'end' && typeof record.summary.suppressed === 'number') suppressed = record.summary.suppressed;
    if (record.t === 'intent') {
      const list = record.refs;
      if (list === undefined) return;
      for (let i = 0; i < record.keys.length; i++) {
        const ref = list[i];
        if (ref !== undefined) refs.set(record.keys[i]!, ref);
      }
    } else if (record.t === 'status') {
      for (const entry of record.entries) {
        const [key, status, id, code, description] = entry;
        const [, , , , , reason, scheduledFor, createdAt] = entry as unknown[];
        if (status === 'unknown' && code === LOOKUP_FAILED) {
          // A failed lookup does not undo what an earlier one learnt.
          const known = deliveries.get(key);
          deliveries.set(key, {
            ...(known ?? { status: 'accepted', ...(id ? { id } : {}) }),
            lookupError: description ?? 'the lookup failed',
          });
          continue;
        }
        deliveries.set(key, {
          status,
          ...(id ? { id } : {}),
          ...(code ? { code } : {}),
          ...(description ? { description } : {}),
          ...(typeof reason === 'string' ? { reason } : {}),
          ...(typeof scheduledFor === 'string' ? { scheduledFor } : {}),
          ...(typeof createdAt === 'string' ? { createdAt } : {}),
        });
      }
    }
  });
  // The last segment's count: its end record, else what its header planned to skip.
  const fromHeader = state.header.options?.suppressed;
  return { state, refs, deliveries, suppressed: suppressed ?? (typeof fromHeader === 'number' ? fromHeader : undefined) };
}
