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
}

export async function readRunDetail(path: string): Promise<RunDetail> {
  const state = await readJournal(path);
  const refs = new Map<string, string>();
  const batchOf = new Map<string, number>();
  const batchIds = new Map<number, string>();
  const deliveries = new Map<string, Delivery>();
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
    } else if (record.t === 'status') {
      for (const [key, status, id, code, description] of record.entries) {
        deliveries.set(key, { status, ...(id ? { id } : {}), ...(code ? { code } : {}), ...(description ? { description } : {}) });
      }
    }
  }
  return { state, refs, batchOf, batchIds, deliveries };
}
