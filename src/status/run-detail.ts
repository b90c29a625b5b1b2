// What `chirp status` needs from a run's journal: per recipient key, how it was sent (batch, Bird's
// message id or batch id, reference) and the delivery status fetched last time.
import { readJournal, type JournalState } from '../journal/index.js';
import { readLines } from '../journal/index.js';
import { parseRecord } from '../journal/index.js';

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
  /** key → reference of its request. */
  refs: Map<string, string>;
  /** key → batch number of its last intent. */
  batchOf: Map<string, number>;
  /** batch number → Bird's batch id, for accepted batch sends. */
  batchIds: Map<number, string>;
  /** key → delivery status recorded by an earlier `chirp status`. */
  deliveries: Map<string, Delivery>;
  /** Rows the run skipped for consent (opted out, no opt-in): its last segment's count (end record, else header). Undefined: not recorded. */
  suppressed: number | undefined;
}

export async function readRunDetail(path: string): Promise<RunDetail> {
  const state = await readJournal(path);
  const refs = new Map<string, string>();
  const batchOf = new Map<string, number>();
  const batchIds = new Map<number, string>();
  const deliveries = new Map<string, Delivery>();
  const fromHeader = state.header.options?.suppressed;
  let suppressed = typeof fromHeader === 'number' ? fromHeader : undefined;
  for await (const { text } of readLines(path)) {
    const record = text === '' ? undefined : parseRecord(text);
    if (!record) continue;
    if (record.t === 'intent') {
      record.keys.forEach((key, i) => {
        batchOf.set(key, record.b);
        const ref = record.refs?.[i];
        if (ref !== undefined) refs.set(key, ref);
      });
    } else if (record.t === 'outcome' && record.status === 'accepted' && record.batchId) {
      batchIds.set(record.b, record.batchId);
    } else if (record.t === 'end' && typeof record.summary.suppressed === 'number') {
      suppressed = record.summary.suppressed;
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
  }
  return { state, refs, batchOf, batchIds, deliveries, suppressed };
}
