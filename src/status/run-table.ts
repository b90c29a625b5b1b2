// What `chirp status` knows of each recipient of a run, in bounded memory. The journal is read once
// into a RunTable: one id per key (the journal's KeyIndex: a 64-bit hash) and a few bytes per id: the
// journal state, its code/message/via and the delivery recorded by an earlier `status`, each an
// interned tuple (a million recipients share a few). That is all a summary needs (~17 bytes a
// recipient). What only asking Bird needs (the whole key, the reference, Bird's message id, times) is
// read by a second pass (details.ts) for the ids that need it, and there an id's key is checked whole.
import { KeyIndex, type RecipientStatus } from '../journal/index.js';
import { InternalError } from '../errors.js';
import { CodeColumn, Interner, StringColumn, TimeColumn } from './columns.js';
import type { Delivery } from './run-detail.js';

const STATUSES: readonly (RecipientStatus | undefined)[] = [undefined, 'accepted', 'failed', 'unknown', 'pending', 'resendable'];
const STATUS_CODE: Record<RecipientStatus, number> = { accepted: 1, failed: 2, unknown: 3, pending: 4, resendable: 5 };
const STATUS_BITS = 7;
/** Bits of the status byte: a skip record names the key; the details of the id were read. */
const SKIPPED = 8;
const LOADED = 16;

/** The journal state of one recipient. `atMs` (epoch ms) and `id` only once its details are read. */
export interface RecipientView {
  status: RecipientStatus;
  atMs: number;
  /** Bird's message id, for accepted single sends. */
  id: string | undefined;
  code: string | undefined;
  message: string | undefined;
  via: string | undefined;
}

/** How keys become ids (tests pass a weak hash to make collisions). */
export type KeyHash = (key: string) => [number, number];

type Note = [code: string | undefined, message: string | undefined, via: string | undefined];
/** A delivery but its id and createdAt (those are details). */
type DeliveryNote = [status: string, code?: string, description?: string, reason?: string, scheduledFor?: string, lookupError?: string];

export class RunTable {
  readonly keys: KeyIndex;
  #status: Uint8Array;
  readonly #note: CodeColumn;
  readonly #delivery: CodeColumn;
  readonly #notes = new Interner<Note>();
  readonly #deliveryNotes = new Interner<DeliveryNote>();
  // Details, for the ids whose details were read (allocated when first needed).
  #at = new TimeColumn();
  readonly #created = new TimeColumn();
  readonly #keyText = new StringColumn(17);
  readonly #birdId = new StringColumn();
  #ref = new StringColumn(11);
  /** The references and send times were let go (no refresh follows in this process). */
  #released = false;
  /** The send times were let go (the last refresh has its window). */
  #timesReleased = false;
  readonly #deliveryId = new StringColumn();
  /** The journal's hash of the request bytes (runs with `--allow-duplicates` only: copies are told apart by it). */
  readonly #requestHash = new StringColumn(22);
  /** Ids two different keys share (a 64-bit hash collision, seen when their details were read). */
  readonly ambiguous = new Set<number>();

  constructor(expected = 0, hash?: KeyHash) {
    this.keys = new KeyIndex(expected, hash);
    const n = this.keys.capacity;
    this.#status = new Uint8Array(n);
    this.#note = new CodeColumn(n);
    this.#delivery = new CodeColumn(n);
  }

  /** Ids are 0 .. size - 1: every key the journal names (recipients, skipped keys, keys of status records). */
  get size(): number {
    return this.keys.size;
  }

  /** Room the columns have (ids below it). */
  get capacity(): number {
    return this.#status.length;
  }

  /** The id of a key, made if new (columns grown to match). */
  id(key: string): number {
    const id = this.keys.add(key);
    if (id >= this.#status.length) {
      const n = this.keys.capacity;
      const status = new Uint8Array(n);
      status.set(this.#status);
      this.#status = status;
      this.#note.grow(n);
      this.#delivery.grow(n);
      this.#at.grow(n);
      this.#created.grow(n);
    }
    return id;
  }

  /**
   * Bytes the table's columns hold beside its key index (a test keeps per-id details in fixed slots):
   * `pooled` is what did not fit a slot (a long reference, an odd key), shared when repeated.
   */
  footprint(): { bytes: number; pooled: number } {
    const strings = [this.#keyText, this.#birdId, this.#ref, this.#deliveryId, this.#requestHash].map((c) => c.bytes);
    const bytes =
      this.#status.byteLength +
      this.#note.bytes +
      this.#delivery.bytes +
      this.#at.bytes +
      this.#created.bytes +
      strings.reduce((n, b) => n + b.slots, 0);
    return { bytes, pooled: strings.reduce((n, b) => n + b.pooled, 0) };
  }

  /** The whole key of an id whose details were read. */
  key(id: number): string {
    const key = this.#keyText.get(id);
    if (key === undefined) throw new Error(`internal: the key of id ${id} was not read`);
    return key;
  }

  /** The recipient's status; undefined when the journal names the key only in a skip or status record. */
  status(id: number): RecipientStatus | undefined {
    return STATUSES[this.#status[id]! & STATUS_BITS];
  }

  /** A skip record names the key (sent to or not). */
  skipped(id: number): boolean {
    return (this.#status[id]! & SKIPPED) !== 0;
  }

  loaded(id: number): boolean {
    return (this.#status[id]! & LOADED) !== 0;
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
    for (let id = 0; id < this.size; id++) if ((this.#status[id]! & (STATUS_BITS | SKIPPED)) === SKIPPED) n++;
    return n;
  }

  state(id: number): RecipientView | undefined {
    const status = this.status(id);
    if (status === undefined) return undefined;
    const [code, message, via] = this.#notes.value(this.#note.get(id)) ?? [undefined, undefined, undefined];
    return { status, atMs: this.#at.get(id), id: this.#birdId.get(id), code, message, via };
  }

  ref(id: number): string | undefined {
    if (this.#released) throw new InternalError('the references were let go: no refresh may follow');
    return this.#ref.get(id);
  }

  /** The recorded delivery's status, without building the delivery (undefined: none). */
  deliveryStatus(id: number): string | undefined {
    return this.#deliveryNotes.value(this.#delivery.get(id))?.[0];
  }

  /** Whether the recorded delivery's last lookup failed. */
  lookupFailed(id: number): boolean {
    return this.#deliveryNotes.value(this.#delivery.get(id))?.[5] !== undefined;
  }

  /** How a `resolve` settled the recipient, if one did last. */
  via(id: number): string | undefined {
    return this.#notes.value(this.#note.get(id))?.[2];
  }

  hasDelivery(id: number): boolean {
    return this.#delivery.get(id) !== 0;
  }

  delivery(id: number): Delivery | undefined {
    return this.#deliveryWith(id, this.#deliveryId.get(id), this.createdMs(id));
  }

  /** The recorded delivery with these details (Bird's id, createdAt in epoch ms or NaN). */
  #deliveryWith(id: number, deliveryId: string | undefined, created: number): Delivery | undefined {
    const note = this.#deliveryNotes.value(this.#delivery.get(id));
    if (note === undefined) return undefined;
    const [status, code, description, reason, scheduledFor, lookupError] = note;
    return {
      status,
      ...(deliveryId !== undefined ? { id: deliveryId } : {}),
      ...(code !== undefined ? { code } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(reason !== undefined ? { reason } : {}),
      ...(scheduledFor !== undefined ? { scheduledFor } : {}),
      ...(lookupError !== undefined ? { lookupError } : {}),
      // Only ever read as a time (the clock anchors): the same instant, in ISO form.
      ...(Number.isNaN(created) ? {} : { createdAt: new Date(created).toISOString() }),
    };
  }

  /** Every recorded delivery but those of ambiguous ids (ids and createdAt once their details are read). */
  *deliveries(): Generator<Delivery> {
    for (let id = 0; id < this.size; id++) {
      const d = this.ambiguous.has(id) ? undefined : this.delivery(id);
      if (d) yield d;
    }
  }

  /** Bird's createdAt of the recorded delivery (epoch ms), NaN if none or not read. */
  createdMs(id: number): number {
    return this.#created.get(id);
  }

  /** A delivery learnt from Bird now (details included). */
  setDelivery(id: number, d: Delivery): void {
    this.#setNote(id, [d.status, d.code, d.description, d.reason, d.scheduledFor, d.lookupError]);
    this.setDeliveryDetails(id, d.id, d.createdAt === undefined ? NaN : Date.parse(d.createdAt));
  }

  /**
   * A delivery learnt from Bird now that is written to the journal at once: the table keeps its status
   * and codes (what the summary and the failures file read) but not Bird's id and createdAt (≈ 21 MB a
   * million recipients; read from the journal again when needed). Returns the delivery as `delivery(id)`
   * would read it back with its details kept, the form the write-back has always written.
   */
  setDeliveryWritten(id: number, d: Delivery): Delivery {
    this.#setNote(id, [d.status, d.code, d.description, d.reason, d.scheduledFor, d.lookupError]);
    // Details an earlier status recorded must not stay beside the new status (no column is allocated for this).
    this.setDeliveryDetails(id, undefined, NaN);
    return this.#deliveryWith(id, d.id, d.createdAt === undefined ? NaN : Date.parse(d.createdAt))!;
  }

  #setNote(id: number, note: DeliveryNote): void {
    while (note.length > 1 && note[note.length - 1] === undefined) note.pop();
    this.#delivery.set(id, this.#deliveryNotes.number(note));
  }

  /** A status entry read back: what readRunDetail kept per key as a Delivery, but its id and createdAt. */
  recordDelivery(entry: readonly unknown[], lookupFailed: boolean): void {
    const [key, status, , code, description, reason, scheduledFor] = entry as (string | undefined)[];
    const id = this.id(key!);
    if (lookupFailed) {
      // A failed lookup does not undo what an earlier one learnt.
      const known = this.#deliveryNotes.value(this.#delivery.get(id)) ?? ['accepted'];
      const note: DeliveryNote = [...known];
      while (note.length < 5) note.push(undefined);
      note[5] = description ?? 'the lookup failed';
      this.#setNote(id, note);
      return;
    }
    this.#setNote(id, [
      status!,
      code ? code : undefined,
      description ? description : undefined,
      typeof reason === 'string' ? reason : undefined,
      typeof scheduledFor === 'string' ? scheduledFor : undefined,
    ]);
  }

  /** A recipient's new state (a key never sent to becomes a recipient). `note` from `noteOf`. */
  setState(id: number, status: RecipientStatus, note: number): void {
    this.#status[id] = (this.#status[id]! & ~STATUS_BITS) | STATUS_CODE[status];
    this.#note.set(id, note);
  }

  /** Reconciliation settled a recipient (the rest of its state stays, as the journal's `resolve` would leave it until read again). */
  setStatus(id: number, status: RecipientStatus): void {
    if (id >= 0 && this.status(id) !== undefined) this.#status[id] = (this.#status[id]! & ~STATUS_BITS) | STATUS_CODE[status];
  }

  noteOf(code: string | undefined, message: string | undefined, via: string | undefined): number {
    return code === undefined && message === undefined && via === undefined ? 0 : this.#notes.number([code, message, via]);
  }

  markSkipped(id: number): void {
    this.#status[id]! |= SKIPPED;
  }

  /** End of the journal: a key still pending was promised to Bird with no answer: the request may have left. */
  settlePending(): void {
    const pending = STATUS_CODE.pending;
    for (let id = 0; id < this.size; id++)
      if ((this.#status[id]! & STATUS_BITS) === pending) this.#status[id] = (this.#status[id]! & ~STATUS_BITS) | STATUS_CODE.unknown;
  }

  // Details (details.ts): written by the second pass and by what Bird answers.

  markLoaded(id: number): void {
    this.#status[id]! |= LOADED;
  }

  /** The whole key seen for an id; a different one for the same id marks it ambiguous. */
  sawKey(id: number, key: string): void {
    const known = this.#keyText.get(id);
    if (known === undefined) this.#keyText.set(id, key, this.capacity);
    else if (known !== key) this.ambiguous.add(id);
  }

  /**
   * Lets the references and send times go (≈ 16 MB a million recipients) once the last refresh of
   * this process has run: the write-back, summary, failures, replies and interactions need neither.
   */
  releaseRefreshDetails(): void {
    this.#released = true;
    this.#timesReleased = true;
    this.#ref = new StringColumn(11);
    this.#at = new TimeColumn();
  }

  /**
   * Lets the send times go (≈ 4 MB a million recipients) once the last refresh of this process has
   * computed its listing window and has no unknown outcome to settle: `state(id).atMs` is NaN after.
   */
  releaseSendTimes(): void {
    this.#timesReleased = true;
    this.#at = new TimeColumn();
  }

  /** Whether releaseRefreshDetails ran (a refresh then refuses to start). */
  get released(): boolean {
    return this.#released;
  }

  setTimes(id: number, atMs: number): void {
    if (this.#released || this.#timesReleased) return;
    this.#at.set(id, atMs, this.capacity);
  }

  setBirdId(id: number, birdId: string | undefined): void {
    this.#birdId.set(id, birdId, this.capacity);
  }

  setRef(id: number, ref: string): void {
    if (this.#released) return;
    this.#ref.set(id, ref, this.capacity);
  }

  setRequestHash(id: number, hash: string | undefined): void {
    this.#requestHash.set(id, hash, this.capacity);
  }

  /** The hash of the request bytes last sent to the key (read for runs with `--allow-duplicates` only). */
  requestHash(id: number): string | undefined {
    return this.#requestHash.get(id);
  }

  deliveryId(id: number): string | undefined {
    return this.#deliveryId.get(id);
  }

  setDeliveryDetails(id: number, deliveryId: string | undefined, createdMs: number): void {
    this.#deliveryId.set(id, deliveryId, this.capacity);
    this.#created.set(id, createdMs, this.capacity);
  }
}

/** A status entry that records a failed lookup, not a status of Bird's. */
export const LOOKUP_FAILED = 'lookup_failed';
