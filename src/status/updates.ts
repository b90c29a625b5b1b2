// What one refresh learnt from Bird (src/status/fetch.ts): the answered ids, a byte each, and, with a sink,
// the status records written as the answers come (a refused write leaves the rest, whole, to the write-back).
import type { StatusRecord } from '../journal/index.js';
import { statusEntry, type Delivery } from './run-detail.js';
import type { RunTable } from './run-table.js';

export const FINAL = new Set(['delivered', 'sending_failed', 'delivery_failed', 'rejected', 'deleted', 'skipped']);
export const FAILED = new Set(['sending_failed', 'delivery_failed', 'rejected']);

/**
 * Where a refresh writes what Bird answered as it goes (`chirp status` without `--interactions`): `status`
 * records of at most `chunk` entries, each appended durably on its own (a crash between two leaves
 * whole records; readers fold several). The answers' Bird ids and createdAt are then not held for
 * every recipient until the end of the listing: they are in the journal.
 */
export interface StatusSink {
  /** Entries a record holds at most. */
  readonly chunk: number;
  /**
   * Appends one `status` record of these entries, then (when `accepted` is not empty) a `resolve` of those
   * unknown outcomes a listed message proved sent, so the journal never holds Bird's answer for a key it
   * still calls unknown (`send --retry-unknown` reads only the send's records). Says whether it wrote
   * them (having been refused once, it says why once and drops the rest).
   */
  save(entries: StatusRecord['entries'], accepted: readonly string[]): Promise<boolean>;
  /** A write was refused (a send holds the run): the answers of this refresh are to be written back from the table. */
  readonly refused?: boolean;
}

/**
 * What Bird answered this time: the deliveries are in the run's table (setDelivery), this marks their ids
 * (one byte each), so a million answers cost a megabyte, not a Map of objects. With a sink, each answer is
 * also a status entry, written a chunk at a time; once the listing starts the table keeps only the status
 * and codes of an answer (setDeliveryWritten): nothing in this refresh reads a listed answer's id or
 * createdAt again (the clock anchors are read before the listing).
 */
export class Updates {
  /** Per id: 0 not answered this time, 1 answered and not written by the sink, 2 written by the sink. */
  readonly marks: Uint8Array;
  size = 0;
  /** Whether the table keeps an answer's Bird id and createdAt (always without a sink; with one, until the listing). */
  keepDetails = true;
  #pending: StatusRecord['entries'] = [];
  /** The table id and answer of each pending entry (its details go back to the table if the write is refused). */
  #pendingIds: number[] = [];
  #pendingAnswers: Delivery[] = [];
  // Unknown outcomes proven sent whose resolve goes with the next record written.
  #accepted: string[] = [];
  /** How many of the refresh's `resolved.accepted` (a prefix: they are written in order) the sink wrote. */
  acceptedWritten = 0;
  constructor(
    private readonly table: RunTable,
    private readonly sink?: StatusSink,
    /** Another refresh may follow (`--wait`): it asks the answers that are not final by their Bird id. */
    private readonly again = false,
  ) {
    this.marks = new Uint8Array(table.size);
  }
  /** `keep`: the table keeps this answer's Bird id and createdAt even with a sink (a later match reads them). */
  set(id: number, d: Delivery, keep = false): void {
    if (this.marks[id] === 0) this.size++;
    this.marks[id] = 1;
    // A sink that refused a write writes nothing more: the table keeps the whole answer, to be written back from it.
    if (this.sink === undefined || this.sink.refused === true) {
      this.table.setDelivery(id, d);
      return;
    }
    if (this.keepDetails || keep || (this.again && !FINAL.has(d.status))) {
      this.table.setDelivery(id, d);
      this.#pending.push(statusEntry(this.table.key(id), this.table.delivery(id)!));
    } else this.#pending.push(statusEntry(this.table.key(id), this.table.setDeliveryWritten(id, d)));
    this.#pendingIds.push(id);
    this.#pendingAnswers.push(d);
  }
  /** An unknown outcome a listed message proved sent (its answer was `set` just before). */
  accept(key: string): void {
    if (this.sink !== undefined) this.#accepted.push(key);
  }
  /** Writes the full chunks of answers (`all`: the rest too), each with the resolves of the unknowns proven sent so far. */
  async flush(all = false): Promise<void> {
    const sink = this.sink;
    if (sink === undefined) return;
    while (this.#pending.length >= sink.chunk || (all && this.#pending.length > 0)) {
      const n = Math.min(sink.chunk, this.#pending.length);
      const entries = this.#pending.slice(0, n);
      const ids = this.#pendingIds.slice(0, n);
      // The resolve may precede its key's entry by a record (the match proved it): never follow it by more than one.
      const accepted = this.#accepted;
      if (sink.refused !== true && (await sink.save(entries, accepted))) {
        this.#accepted = [];
        this.acceptedWritten += accepted.length;
      }
      if (sink.refused === true) {
        // Not written (nor anything after): the table takes back the Bird id and createdAt of every
        // answer not written yet, in order (the write-back writes them from it), and nothing is pending.
        for (let i = 0; i < this.#pending.length; i++) {
          const d = this.#pendingAnswers[i]!;
          this.table.setDeliveryDetails(this.#pendingIds[i]!, d.id, d.createdAt === undefined ? NaN : Date.parse(d.createdAt));
        }
        this.#pending = [];
        this.#pendingIds = [];
        this.#pendingAnswers = [];
        return;
      }
      this.#pending = this.#pending.slice(n);
      this.#pendingIds = this.#pendingIds.slice(n);
      this.#pendingAnswers = this.#pendingAnswers.slice(n);
      for (const id of ids) this.marks[id] = 2;
      // An id answered again since: its newer answer is still to be written.
      for (const id of this.#pendingIds) this.marks[id] = 1;
    }
  }
  /** Whether the answers were written by the sink (not to be written back again). */
  get written(): boolean {
    return this.sink !== undefined && this.sink.refused !== true;
  }
  has(id: number): boolean {
    return this.marks[id] !== 0;
  }
  /** Whether the sink wrote this id's answer (its last one). */
  wrote(id: number): boolean {
    return this.marks[id] === 2;
  }
  *ids(): Generator<number> {
    for (let id = 0; id < this.marks.length; id++) if (this.marks[id] !== 0) yield id;
  }
  /** The ids answered this time that the sink did not write (all of them without a sink): to be written back. */
  *unwritten(): Generator<number> {
    for (let id = 0; id < this.marks.length; id++) if (this.marks[id] === 1) yield id;
  }
  *keys(): Generator<string> {
    for (const id of this.ids()) yield this.table.key(id);
  }
  /** [key, delivery], each built from the table when read. */
  *[Symbol.iterator](): Generator<[string, Delivery]> {
    for (const id of this.ids()) yield [this.table.key(id), this.table.delivery(id)!];
  }
}
