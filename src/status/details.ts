// The second look at a run's journal, only when Bird must be asked (or the failures file written): for
// the ids that need them, the whole key, the reference, Bird's message id, the times. A summary of a
// run whose messages are all final reads the journal once; a refresh reads it once more, for the ids it
// asks about, no further than the first read went. Here each id's key is seen whole: an id two keys
// share (a 64-bit hash collision) is marked ambiguous and never asked about, resolved or written back.
import { foldJournal, type HeaderRecord, type JournalDamage, type JournalRecord, type RecordFold } from '../journal/index.js';
import { FAILED, FINAL } from './fetch.js';
import type { RunDetail } from './run-detail.js';
import { LOOKUP_FAILED, type RunTable } from './run-table.js';

export interface DetailNeeds {
  /** Unknown outcomes will be reconciled (their references and times are needed). */
  reconcile: boolean;
  /** Reads and clicks will be fetched (Bird's ids of sent and delivered messages). */
  interactions?: boolean;
  /** The failed rows will be written (their whole keys). */
  failures?: boolean;
  /** These ids too (the senders of replies: their keys are compared whole). */
  ids?: Iterable<number>;
}

const INTERACTIVE = new Set(['sent', 'delivered']);
const WANTED = 1;
const DELIVERY_SEEN = 2;

/** Whether `refreshStatuses` asks Bird about this id. */
export function asksBird(table: RunTable, id: number, reconcile: boolean): boolean {
  const status = table.status(id);
  if (status === 'unknown') return reconcile;
  if (status !== 'accepted') return false;
  const delivered = table.deliveryStatus(id);
  return !(delivered !== undefined && FINAL.has(delivered) && !table.lookupFailed(id));
}

/** Reads the details of every id `needs` calls for that are not read yet. */
export async function loadDetails(detail: RunDetail, needs: DetailNeeds): Promise<void> {
  const { table } = detail;
  const want = new Uint8Array(table.size);
  let asking = false;
  for (let id = 0; id < table.size; id++) {
    if (asksBird(table, id, needs.reconcile)) {
      want[id] = WANTED;
      asking = true;
    }
  }
  for (const id of needs.ids ?? []) if (id >= 0 && id < table.size) want[id] = WANTED;
  // A run with copies of a recipient (`--allow-duplicates`): a listed message is matched to a copy
  // only when every copy of its receiver can be looked at (src/status/copies.ts).
  const copies = asking && detail.state.header.options.allowDuplicates === true;
  let count = 0;
  for (let id = 0; id < table.size; id++) {
    const delivered = table.deliveryStatus(id);
    const status = table.status(id);
    if (copies && status !== undefined) want[id] = WANTED;
    // The clock anchors of a listing: every accepted message whose createdAt Bird told.
    if (asking && status === 'accepted' && delivered !== undefined && table.via(id) === undefined) want[id] = WANTED;
    if (needs.interactions && delivered !== undefined && INTERACTIVE.has(delivered)) want[id] = WANTED;
    if (needs.failures && (status === 'failed' || (delivered !== undefined && FAILED.has(delivered)))) want[id] = WANTED;
    if (want[id] === WANTED && table.loaded(id)) want[id] = 0;
    if (want[id] === WANTED) count++;
  }
  if (count === 0) return;
  await foldJournal(detail.state.path, (header) => new DetailFold(header, table, want, detail.state.lastLine));
  for (let id = 0; id < want.length; id++) if (want[id] !== 0) table.markLoaded(id);
}

class DetailFold implements RecordFold<void> {
  // The ids of each batch until a keyless outcome answers all of it (as the first pass).
  readonly #batches = new Map<number, Int32Array>();
  readonly #copies: boolean;

  constructor(
    readonly header: HeaderRecord,
    readonly table: RunTable,
    readonly want: Uint8Array,
    readonly lastLine: number,
  ) {
    this.#copies = header.options.allowDuplicates === true;
  }

  #id(key: string): number {
    const id = this.table.keys.get(key);
    if (id < 0 || id >= this.want.length || this.want[id] === 0) return -1;
    this.table.sawKey(id, key);
    return id;
  }

  apply(record: JournalRecord, line: number): void {
    if (line > this.lastLine) return;
    const table = this.table;
    switch (record.t) {
      case 'skip':
        for (const key of record.keys) this.#id(key);
        return;
      case 'intent': {
        const at = Date.parse(record.at);
        const ids = Int32Array.from(record.keys, (key) => this.#id(key));
        // Copies (`--allow-duplicates`) are told apart by the bytes sent (src/status/copies.ts); other runs keep no hash.
        const hashes = this.#copies && record.h?.length === ids.length ? record.h : undefined;
        for (let i = 0; i < ids.length; i++) {
          const id = ids[i]!;
          if (id < 0) continue;
          table.setTimes(id, at);
          table.setBirdId(id, undefined);
          const ref = record.refs?.[i];
          if (ref !== undefined) table.setRef(id, ref);
          if (this.#copies) table.setRequestHash(id, typeof hashes?.[i] === 'string' ? hashes[i] : undefined);
        }
        this.#batches.set(record.b, ids);
        return;
      }
      case 'outcome': {
        const ids = record.keys ? Int32Array.from(record.keys, (key) => this.#id(key)) : this.#batches.get(record.b);
        if (ids === undefined) return;
        if (record.keys === undefined) this.#batches.delete(record.b);
        // ids pair with keys only when there is one id per key (single sends).
        const birdIds = record.status === 'accepted' && record.ids?.length === ids.length ? record.ids : undefined;
        const at = Date.parse(record.at);
        for (let i = 0; i < ids.length; i++) {
          const id = ids[i]!;
          if (id < 0) continue;
          table.setTimes(id, at);
          table.setBirdId(id, birdIds?.[i]);
        }
        return;
      }
      case 'resolve': {
        const at = Date.parse(record.at);
        for (const key of record.keys) {
          const id = this.#id(key);
          if (id < 0) continue;
          table.setTimes(id, at);
          table.setBirdId(id, record.status === 'accepted' ? table.state(id)?.id : undefined);
        }
        return;
      }
      case 'status':
        for (const entry of record.entries) {
          const id = this.#id(entry[0]);
          if (id < 0) continue;
          const [, status, deliveryId, code, , , , createdAt] = entry as unknown[];
          const seen = (this.want[id]! & DELIVERY_SEEN) !== 0;
          this.want[id]! |= DELIVERY_SEEN;
          const birdId = typeof deliveryId === 'string' && deliveryId ? deliveryId : undefined;
          // A failed lookup does not undo what an earlier one learnt (id and createdAt stay).
          if (status === 'unknown' && code === LOOKUP_FAILED) {
            if (!seen) table.setDeliveryDetails(id, birdId, NaN);
          } else table.setDeliveryDetails(id, birdId, typeof createdAt === 'string' ? Date.parse(createdAt) : NaN);
        }
        return;
      default:
        return;
    }
  }

  finish(_path: string, _torn: number, _damage: JournalDamage[]): void {
    return undefined;
  }
}
