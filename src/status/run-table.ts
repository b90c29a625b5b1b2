// What `chirp status` knows of each recipient of a run, in bounded memory: one id per key (the journal's
// KeyIndex, exact) and typed-array columns by id: the journal state, the reference of the request, the
// delivery status recorded by an earlier `status`. What is per batch stays per batch: a batch's ids
// until its outcome, and the outcome's code and message interned once per record. ~70 bytes a recipient
// instead of three Map entries and four objects (`npm run bench -- journal`).
import {
  KeyIndex,
  type EndReason,
  type HeaderRecord,
  type JournalDamage,
  type JournalRecord,
  type RecipientStatus,
} from '../journal/index.js';
import { Interner, StringColumn } from './columns.js';
import type { Delivery } from './run-detail.js';

const STATUSES: readonly (RecipientStatus | undefined)[] = [undefined, 'accepted', 'failed', 'unknown', 'pending', 'resendable'];
const STATUS_CODE: Record<RecipientStatus, number> = { accepted: 1, failed: 2, unknown: 3, pending: 4, resendable: 5 };
/** Bit of the status byte: a skip record names the key. */
const SKIPPED = 8;
const STATUS_BITS = 7;

/** The journal state of one recipient, as `chirp status` reads it (`at` in epoch ms, NaN if unparsable). */
export interface RecipientView {
  status: RecipientStatus;
  atMs: number;
  /** Bird's message id, for accepted single sends. */
  id: string | undefined;
  code: string | undefined;
  message: string | undefined;
  via: string | undefined;
}

type Note = [code: string | undefined, message: string | undefined, via: string | undefined];
type DeliveryNote = [status: string, code?: string, description?: string, reason?: string, scheduledFor?: string, lookupError?: string];

export class RunTable {
  readonly keys: KeyIndex;
  #status: Uint8Array;
  #at: Float64Array;
  #note: Uint32Array;
  #delivery: Uint32Array;
  #created: Float64Array | undefined;
  readonly #birdId = new StringColumn();
  readonly #ref = new StringColumn();
  readonly #deliveryId = new StringColumn();
  readonly #notes = new Interner<Note>();
  readonly #deliveryNotes = new Interner<DeliveryNote>();

  constructor(expected = 0) {
    this.keys = new KeyIndex(expected);
    const n = this.keys.capacity;
    this.#status = new Uint8Array(n);
    this.#at = new Float64Array(n);
    this.#note = new Uint32Array(n);
    this.#delivery = new Uint32Array(n);
  }

  /** Ids are 0 .. size - 1: every key the journal names (recipients, skipped keys, keys of status records). */
  get size(): number {
    return this.keys.size;
  }

  /** The id of a key, made if new (columns grown to match). */
  id(key: string): number {
    const id = this.keys.add(key);
    if (id >= this.#status.length) this.#grow();
    return id;
  }

  #grow(): void {
    const n = this.keys.capacity;
    const grow = <A extends Uint8Array | Uint32Array | Float64Array>(old: A, make: (n: number) => A): A => {
      const fresh = make(n);
      fresh.set(old);
      return fresh;
    };
    this.#status = grow(this.#status, (k) => new Uint8Array(k));
    this.#at = grow(this.#at, (k) => new Float64Array(k));
    this.#note = grow(this.#note, (k) => new Uint32Array(k));
    this.#delivery = grow(this.#delivery, (k) => new Uint32Array(k));
    if (this.#created) this.#created = grow(this.#created, (k) => new Float64Array(k).fill(NaN));
  }

  key(id: number): string {
    return this.keys.key(id);
  }

  /** The recipient's status; undefined when the journal names the key only in a skip or status record. */
  status(id: number): RecipientStatus | undefined {
    return STATUSES[this.#status[id]! & STATUS_BITS];
  }

  /** Recipients: keys sent to (an intent, outcome or resolve names them). */
  recipients(): number {
    let n = 0;
    for (let id = 0; id < this.size; id++) if ((this.#status[id]! & STATUS_BITS) !== 0) n++;
    return n;
  }

  /** Keys a skip record names that were never sent to (window closed...). */
  skippedOnly(): number {
    let n = 0;
    for (let id = 0; id < this.size; id++) if (this.#status[id] === SKIPPED) n++;
    return n;
  }

  state(id: number): RecipientView | undefined {
    const status = this.status(id);
    if (status === undefined) return undefined;
    const [code, message, via] = this.#notes.value(this.#note[id]!) ?? [undefined, undefined, undefined];
    return { status, atMs: this.#at[id]!, id: this.#birdId.get(id), code, message, via };
  }

  ref(id: number): string | undefined {
    return this.#ref.get(id);
  }

  delivery(id: number): Delivery | undefined {
    const note = this.#deliveryNotes.value(this.#delivery[id]!);
    if (note === undefined) return undefined;
    const [status, code, description, reason, scheduledFor, lookupError] = note;
    const deliveryId = this.#deliveryId.get(id);
    return {
      status,
      ...(deliveryId !== undefined ? { id: deliveryId } : {}),
      ...(code !== undefined ? { code } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(reason !== undefined ? { reason } : {}),
      ...(scheduledFor !== undefined ? { scheduledFor } : {}),
      ...(lookupError !== undefined ? { lookupError } : {}),
      // Only ever read as a time (the clock anchors): the same instant, in ISO form.
      ...(Number.isNaN(this.createdMs(id)) ? {} : { createdAt: new Date(this.createdMs(id)).toISOString() }),
    };
  }

  /** Bird's createdAt of the recorded delivery (epoch ms), NaN if none. */
  createdMs(id: number): number {
    return this.#created?.[id] ?? NaN;
  }

  /** Every recorded delivery. */
  *deliveries(): Generator<Delivery> {
    for (let id = 0; id < this.size; id++) {
      const d = this.delivery(id);
      if (d) yield d;
    }
  }

  setDelivery(id: number, d: Delivery): void {
    const note: DeliveryNote = [d.status, d.code, d.description, d.reason, d.scheduledFor, d.lookupError];
    while (note.length > 1 && note[note.length - 1] === undefined) note.pop();
    this.#delivery[id] = this.#deliveryNotes.number(note);
    this.#deliveryId.set(id, d.id, this.#status.length);
    this.#setCreated(id, d.createdAt === undefined ? NaN : Date.parse(d.createdAt));
  }

  #setCreated(id: number, ms: number): void {
    if (Number.isNaN(ms) && this.#created === undefined) return;
    this.#created ??= new Float64Array(this.#status.length).fill(NaN);
    this.#created[id] = ms;
  }

  /** A status entry read back (what readRunDetail kept per key as a Delivery, field for field). */
  recordDelivery(id: number, entry: readonly unknown[], lookupFailed: boolean): void {
    const [, status, deliveryId, code, description, reason, scheduledFor, createdAt] = entry as (string | undefined)[];
    if (lookupFailed) {
      // A failed lookup does not undo what an earlier one learnt.
      const known = this.delivery(id);
      this.setDelivery(id, {
        ...(known ?? { status: 'accepted', ...(deliveryId ? { id: deliveryId } : {}) }),
        lookupError: description ?? 'the lookup failed',
      });
      return;
    }
    this.setDelivery(id, {
      status: status!,
      ...(deliveryId ? { id: deliveryId } : {}),
      ...(code ? { code } : {}),
      ...(description ? { description } : {}),
      ...(typeof reason === 'string' ? { reason } : {}),
      ...(typeof scheduledFor === 'string' ? { scheduledFor } : {}),
      ...(typeof createdAt === 'string' ? { createdAt } : {}),
    });
  }

  /** A recipient's new state (a key never sent to becomes a recipient). `note` from `noteOf`. */
  setState(id: number, status: RecipientStatus, atMs: number, note: number, birdId: string | undefined): void {
    this.#status[id] = (this.#status[id]! & SKIPPED) | STATUS_CODE[status];
    this.#at[id] = atMs;
    this.#note[id] = note;
    this.#birdId.set(id, birdId, this.#status.length);
  }

  /** Reconciliation settled a recipient (the rest of its state stays, as the journal's `resolve` would leave it until read again). */
  setStatus(id: number, status: RecipientStatus): void {
    if (id >= 0 && this.status(id) !== undefined) this.#status[id] = (this.#status[id]! & SKIPPED) | STATUS_CODE[status];
  }

  noteOf(code: string | undefined, message: string | undefined, via: string | undefined): number {
    return code === undefined && message === undefined && via === undefined ? 0 : this.#notes.number([code, message, via]);
  }

  markSkipped(id: number): void {
    this.#status[id]! |= SKIPPED;
  }

  setRef(id: number, ref: string): void {
    this.#ref.set(id, ref, this.#status.length);
  }

  /** End of the journal: a key still pending was promised to Bird with no answer: the request may have left. */
  settlePending(): void {
    const pending = STATUS_CODE.pending;
    for (let id = 0; id < this.size; id++)
      if ((this.#status[id]! & STATUS_BITS) === pending) this.#status[id] = (this.#status[id]! & SKIPPED) | STATUS_CODE.unknown;
  }

  /** Deliveries this table lacks that `other` (an earlier read of the same run) has: statuses learnt meanwhile. */
  adoptDeliveries(other: RunTable): void {
    for (let id = 0; id < other.size; id++) {
      const d = other.delivery(id);
      if (d === undefined) continue;
      const mine = this.id(other.key(id));
      if (this.#delivery[mine] === 0) this.setDelivery(mine, d);
    }
  }
}

/** The journal read into a RunTable: StateFold's rules (src/journal/state.ts), record for record. */
export class RunTableFold {
  readonly table: RunTable;
  ended: EndReason | undefined;
  endSummary: Record<string, number> | undefined;
  /** The last end record's `suppressed`. */
  suppressed: number | undefined;
  readonly damage: JournalDamage[] = [];
  // The ids of each batch until a keyless outcome answers all of it.
  readonly #batches = new Map<number, Int32Array>();

  constructor(readonly header: HeaderRecord) {
    this.table = new RunTable(header.planned ?? 0);
  }

  apply(record: JournalRecord, line: number): void {
    const table = this.table;
    switch (record.t) {
      case 'header':
        this.damage.push({ line, reason: 'a second header' });
        return;
      case 'skip':
        for (const key of record.keys) table.markSkipped(table.id(key));
        return;
      case 'resume':
        this.ended = undefined;
        this.endSummary = undefined;
        return;
      case 'end':
        this.ended = record.reason;
        this.endSummary = record.summary;
        if (typeof record.summary.suppressed === 'number') this.suppressed = record.summary.suppressed;
        return;
      case 'intent': {
        const at = Date.parse(record.at);
        const ids = new Int32Array(record.keys.length);
        for (let i = 0; i < record.keys.length; i++) {
          const id = (ids[i] = table.id(record.keys[i]!));
          table.setState(id, 'pending', at, 0, undefined);
          const ref = record.refs?.[i];
          if (ref !== undefined) table.setRef(id, ref);
        }
        this.#batches.set(record.b, ids);
        return;
      }
      case 'outcome': {
        const ids = record.keys ? Int32Array.from(record.keys, (key) => table.id(key)) : this.#batches.get(record.b);
        if (ids === undefined) {
          this.damage.push({ line, reason: `an outcome for batch ${record.b}, whose intent is missing` });
          return;
        }
        if (record.keys === undefined) this.#batches.delete(record.b);
        // ids pair with keys only when there is one id per key (single sends).
        const birdIds = record.status === 'accepted' && record.ids?.length === ids.length ? record.ids : undefined;
        const at = Date.parse(record.at);
        const note = table.noteOf(record.code, record.message, undefined);
        for (let i = 0; i < ids.length; i++) table.setState(ids[i]!, record.status, at, note, birdIds?.[i]);
        return;
      }
      case 'resolve': {
        const at = Date.parse(record.at);
        const note = table.noteOf(undefined, undefined, record.via);
        for (const key of record.keys) {
          const id = table.id(key);
          const birdId = record.status === 'accepted' ? table.state(id)?.id : undefined;
          table.setState(id, record.status, at, note, birdId);
        }
        return;
      }
      case 'status':
        for (const entry of record.entries) {
          const [key, status, , code] = entry;
          table.recordDelivery(table.id(key), entry, status === 'unknown' && code === LOOKUP_FAILED);
        }
        return;
    }
  }

  finish(path: string, tornLines: number, lineDamage: JournalDamage[]): RunTableRead {
    this.table.settlePending();
    const damage = [...lineDamage, ...this.damage].sort((a, b) => a.line - b.line);
    return {
      path,
      header: this.header,
      table: this.table,
      ended: this.ended,
      endSummary: this.endSummary,
      suppressed: this.suppressed,
      tornLines,
      damage,
    };
  }
}

export interface RunTableRead {
  path: string;
  header: HeaderRecord;
  table: RunTable;
  ended: EndReason | undefined;
  endSummary: Record<string, number> | undefined;
  suppressed: number | undefined;
  tornLines: number;
  damage: JournalDamage[];
}

/** A status entry that records a failed lookup, not a status of Bird's. */
export const LOOKUP_FAILED = 'lookup_failed';
