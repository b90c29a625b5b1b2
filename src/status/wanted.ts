// The keys a listing is to find, by the reference of their request, in bounded memory: the references
// in a KeyIndex (a 64-bit hash each) and a chain of ids per reference, instead of a Map of a million
// reference strings to arrays. A listed message's reference is compared whole with each id's reference
// (table.ref) before it is said to be wanted: a hash collision between two references finds nobody.
// The one thing kept per hash is "seen" (a listed message carried that reference), which only ever
// stops an absence from being declared: a collision there keeps a key unknown, never resends it.
import { KeyIndex } from '../journal/index.js';
import type { KeyHash, RunTable } from './run-table.js';

export class WantedRefs {
  readonly #refs: KeyIndex;
  #head = new Int32Array(0);
  #seen = new Uint8Array(0);
  readonly #next: Int32Array;
  readonly #open: Uint8Array;
  /** Ids still wanted. */
  size = 0;
  /** Ids added. */
  indexed = 0;

  /** `hash`: tests pass a weak one to make collisions. */
  constructor(
    readonly table: RunTable,
    hash?: KeyHash,
  ) {
    this.#refs = new KeyIndex(0, hash);
    this.#next = new Int32Array(table.size).fill(-1);
    this.#open = new Uint8Array(table.size);
  }

  add(id: number, ref: string): void {
    const r = this.#refs.add(ref);
    if (r >= this.#head.length) {
      const n = this.#refs.capacity;
      const head = new Int32Array(n).fill(-1);
      head.set(this.#head);
      this.#head = head;
      const seen = new Uint8Array(n);
      seen.set(this.#seen);
      this.#seen = seen;
    }
    this.#next[id] = this.#head[r]!;
    this.#head[r] = id;
    this.#open[id] = 1;
    this.size++;
    this.indexed++;
  }

  /** Ids still wanted whose reference is exactly `ref`, in the order they were added. */
  ids(ref: string): number[] {
    const r = this.#refs.get(ref);
    const ids: number[] = [];
    for (let id = r < 0 ? -1 : this.#head[r]!; id >= 0; id = this.#next[id]!)
      if (this.#open[id] === 1 && this.table.ref(id) === ref) ids.push(id);
    return ids.reverse();
  }

  /** Every id still wanted. */
  *open(): Generator<number> {
    for (let id = 0; id < this.#open.length; id++) if (this.#open[id] === 1) yield id;
  }

  /** The id was found: no longer wanted. */
  take(id: number): void {
    if (this.#open[id] !== 1) return;
    this.#open[id] = 0;
    this.size--;
  }

  markSeen(ref: string): void {
    const r = this.#refs.get(ref);
    if (r >= 0) this.#seen[r] = 1;
  }

  /** A listed message carried this reference (or one sharing its hash: never a reason to resend). */
  seen(ref: string): boolean {
    const r = this.#refs.get(ref);
    return r >= 0 && this.#seen[r] === 1;
  }
}

/**
 * The ids a listing is to find, a byte each. A listed message with a receiver names its key, so its id
 * comes from the run table's own index and no index of references is needed: the id's reference and
 * whole key are then compared with the message's. References are indexed (WantedRefs) only for the
 * unknown outcomes (what a listing saw decides whether one is absent) and, should a listed message come
 * without a receiver, for every id still wanted (built then, from the table's references).
 */
export class Wanted {
  readonly #open: Uint8Array;
  #unknown: WantedRefs | undefined;
  #all: WantedRefs | undefined;
  /** Ids still wanted. */
  size = 0;

  constructor(readonly table: RunTable) {
    this.#open = new Uint8Array(table.size);
  }

  /** `unknown`: an unknown outcome (whether a listed message carried its reference decides its absence). */
  add(id: number, ref: string, unknown: boolean): void {
    this.#open[id] = 1;
    this.size++;
    if (unknown) (this.#unknown ??= new WantedRefs(this.table)).add(id, ref);
  }

  isOpen(id: number): boolean {
    return this.#open[id] === 1;
  }

  /** Every id still wanted. */
  *open(): Generator<number> {
    for (let id = 0; id < this.#open.length; id++) if (this.#open[id] === 1) yield id;
  }

  /** Ids still wanted whose reference is exactly `ref`, in id order (for a listed message without a receiver). */
  ids(ref: string): number[] {
    if (this.#all === undefined) {
      this.#all = new WantedRefs(this.table);
      for (const id of this.open()) this.#all.add(id, this.table.ref(id)!);
    }
    return this.#all.ids(ref);
  }

  /** The id was found: no longer wanted. */
  take(id: number): void {
    if (this.#open[id] !== 1) return;
    this.#open[id] = 0;
    this.size--;
    this.#unknown?.take(id);
    this.#all?.take(id);
  }

  /** A listed message carried `ref`: kept if an unknown outcome still wanted has exactly that reference. */
  markSeen(ref: string): void {
    const unknown = this.#unknown;
    if (unknown !== undefined && unknown.ids(ref).length > 0) unknown.markSeen(ref);
  }

  /** References indexed by hash: the unknown outcomes', and every wanted id's once a listed message came without a receiver. */
  get indexed(): number {
    return (this.#unknown?.indexed ?? 0) + (this.#all?.indexed ?? 0);
  }

  /** A listed message carried this reference of an unknown outcome (or one sharing its hash: never a reason to resend). */
  seenByUnknown(ref: string): boolean {
    return this.#unknown?.seen(ref) ?? false;
  }
}
