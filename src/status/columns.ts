// Per-recipient values in typed arrays, for `chirp status` of a big run (src/status/run-table.ts): a
// string column of fixed 16-byte slots, and an interner for the few distinct tuples (failure codes,
// reasons, statuses) many recipients share. Every value reads back exactly as it was written.

const HEX = /^(?:[0-9a-f]{2})+$/;
/** A recipient key as shortKey makes it: 22 characters of base64url (sha256's first 132 bits). */
const KEY22 = /^[A-Za-z0-9_-]{22}$/;
// Lower case only, unlike util's UUID: a packed id must read back exactly as written.
const LOWER_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
/** Where a packed value is spelled out before it becomes one flat string. */
const SCRATCH = Buffer.alloc(64);

const enum Kind {
  None = 0,
  /** Up to slot - 1 bytes of UTF-8 in the slot (byte 0: the length). */
  Raw = 1,
  /** The column's prefix + lower-case hex (up to 30 digits) packed two digits a byte (byte 0: bytes). */
  Hex = 2,
  /** A lower-case UUID in 16 bytes. */
  Uuid = 3,
  /** Anything else: in the pool (bytes 0-3: offset, 4-7: length). */
  Pooled = 4,
  /** A recipient key (22 base64url characters) in 17 bytes: the first 20 decoded (15 bytes), the last two as they are. */
  Key = 5,
}

/**
 * Optional strings by id: references (`chirp:<message>:<20 hex digits>` in 11 bytes), Bird's message
 * ids (UUIDs in 16 bytes) and recipient keys (17 bytes) fit a slot; anything else goes to a byte pool
 * (the last value is shared, so a fixed `reference:` costs its bytes once). A column costs a byte and
 * its slot per id, allocated on the first value.
 */
export class StringColumn {
  /** `slot`: bytes a value may take in place (at least 8; 16 holds UUIDs, 17 recipient keys, 11 references). */
  constructor(readonly slot = 16) {}

  #kinds = new Uint8Array(0);
  #slots = new Uint8Array(0);
  #pool = Buffer.alloc(0);
  #poolUsed = 0;
  #prefix: string | undefined;
  #last: { value: string; offset: number; length: number } | undefined;

  /** Makes room for ids below `capacity` (allocated on the first value, so an unused column costs nothing). */
  #room(id: number, capacity: number): void {
    if (id < this.#kinds.length) return;
    const size = Math.max(capacity, id + 1, Math.ceil(this.#kinds.length * 1.5));
    const kinds = new Uint8Array(size);
    kinds.set(this.#kinds);
    const slots = new Uint8Array(size * this.slot);
    slots.set(this.#slots);
    this.#kinds = kinds;
    this.#slots = slots;
  }

  has(id: number): boolean {
    return id < this.#kinds.length && this.#kinds[id] !== Kind.None;
  }

  /** Bytes held: the kind and slot of every id, and the pool (what did not fit a slot). */
  get bytes(): { slots: number; pooled: number } {
    return { slots: this.#kinds.byteLength + this.#slots.byteLength, pooled: this.#pool.byteLength };
  }

  get(id: number): string | undefined {
    if (id >= this.#kinds.length) return undefined;
    const at = id * this.slot;
    const slots = this.#slots;
    switch (this.#kinds[id] as Kind) {
      case Kind.None:
        return undefined;
      case Kind.Raw:
        return Buffer.from(slots.buffer, slots.byteOffset + at + 1, slots[at]).toString('utf8');
      case Kind.Hex:
        return this.#prefix! + Buffer.from(slots.buffer, slots.byteOffset + at + 1, slots[at]).toString('hex');
      case Kind.Uuid: {
        // One flat string (a template of slices would be a chain of pieces, kept as such in a write-back's entries).
        const text = SCRATCH;
        for (let i = 0, o = 0; i < 16; i++) {
          if (i === 4 || i === 6 || i === 8 || i === 10) text[o++] = 0x2d;
          const byte = slots[at + i]!;
          text[o++] = HEX_DIGITS[byte >> 4]!;
          text[o++] = HEX_DIGITS[byte & 15]!;
        }
        return text.toString('latin1', 0, 36);
      }
      case Kind.Pooled: {
        const view = new DataView(slots.buffer, slots.byteOffset + at, 8);
        const offset = view.getUint32(0);
        return this.#pool.toString('utf8', offset, offset + view.getUint32(4));
      }
      case Kind.Key: {
        const text = SCRATCH;
        text.write(Buffer.from(slots.buffer, slots.byteOffset + at, 15).toString('base64url'), 0, 'latin1');
        text[20] = slots[at + 15]!;
        text[21] = slots[at + 16]!;
        return text.toString('latin1', 0, 22);
      }
    }
  }

  /** `capacity`: the size the table's columns have now (the column grows with them). */
  set(id: number, value: string | undefined, capacity: number): void {
    if (value === undefined) {
      if (id < this.#kinds.length) this.#kinds[id] = Kind.None;
      return;
    }
    this.#room(id, capacity);
    const at = id * this.slot;
    const slots = this.#slots;
    if (this.#prefix === undefined) this.#prefix = value.slice(0, value.lastIndexOf(':') + 1);
    if (value.length > 36 + this.#prefix.length + 2 * this.slot) {
      // too long for any slot form
    } else if (value.length === 22 && this.slot >= 17 && KEY22.test(value)) {
      slots.set(Buffer.from(value.slice(0, 20), 'base64url'), at);
      slots[at + 15] = value.charCodeAt(20);
      slots[at + 16] = value.charCodeAt(21);
      this.#kinds[id] = Kind.Key;
      return;
    } else if (value.length === 36 && this.slot >= 16 && LOWER_UUID.test(value)) {
      slots.set(Buffer.from(value.replace(/-/g, ''), 'hex'), at);
      this.#kinds[id] = Kind.Uuid;
      return;
    } else if (
      value.startsWith(this.#prefix) &&
      value.length - this.#prefix.length <= 2 * (this.slot - 1) &&
      HEX.test(value.slice(this.#prefix.length))
    ) {
      const bytes = Buffer.from(value.slice(this.#prefix.length), 'hex');
      slots[at] = bytes.length;
      slots.set(bytes, at + 1);
      this.#kinds[id] = Kind.Hex;
      return;
    } else if (value.length < this.slot) {
      const bytes = Buffer.from(value, 'utf8');
      if (bytes.length < this.slot) {
        slots[at] = bytes.length;
        slots.set(bytes, at + 1);
        this.#kinds[id] = Kind.Raw;
        return;
      }
    }
    let last = this.#last;
    if (last?.value !== value) {
      const bytes = Buffer.from(value, 'utf8');
      if (this.#poolUsed + bytes.length > this.#pool.length) {
        const pool = Buffer.alloc(Math.max(4096, (this.#poolUsed + bytes.length) * 2));
        this.#pool.copy(pool, 0, 0, this.#poolUsed);
        this.#pool = pool;
      }
      bytes.copy(this.#pool, this.#poolUsed);
      last = this.#last = { value, offset: this.#poolUsed, length: bytes.length };
      this.#poolUsed += bytes.length;
    }
    const view = new DataView(slots.buffer, slots.byteOffset + at, 8);
    view.setUint32(0, last.offset);
    view.setUint32(4, last.length);
    this.#kinds[id] = Kind.Pooled;
  }
}

/** Distinct tuples by number (0 is reserved for "none"): a million recipients share a few failure reasons. */
export class Interner<T> {
  readonly #values: (T | undefined)[] = [undefined];
  readonly #numbers = new Map<string, number>();

  number(value: T): number {
    const text = JSON.stringify(value);
    let n = this.#numbers.get(text);
    if (n === undefined) {
      n = this.#values.length;
      this.#values.push(value);
      this.#numbers.set(text, n);
    }
    return n;
  }

  value(n: number): T | undefined {
    return this.#values[n];
  }
}

/** Small numbers by id (interned tuples): one byte each until a number needs two, then two, then four. */
export class CodeColumn {
  #values: Uint8Array | Uint16Array | Uint32Array;

  constructor(capacity: number) {
    this.#values = new Uint8Array(capacity);
  }

  get(id: number): number {
    return this.#values[id] ?? 0;
  }

  set(id: number, value: number): void {
    const values = this.#values;
    if (value > 0xff && values instanceof Uint8Array) this.#values = Uint16Array.from(values);
    if (value > 0xffff && !(this.#values instanceof Uint32Array)) this.#values = Uint32Array.from(this.#values);
    this.#values[id] = value;
  }

  get bytes(): number {
    return this.#values.byteLength;
  }

  /** Room for `capacity` ids. */
  grow(capacity: number): void {
    if (capacity <= this.#values.length) return;
    const fresh = new (this.#values.constructor as Uint32ArrayConstructor)(capacity);
    fresh.set(this.#values);
    this.#values = fresh;
  }
}

const NO_TIME = -0x80000000;

/**
 * Optional times (epoch ms) by id, NaN when unset: 4 bytes an id as milliseconds from the first time
 * set (±24 days), 8 once a time falls outside that (every value reads back exactly as written).
 */
export class TimeColumn {
  #base = NaN;
  #ms: Int32Array | undefined;
  #wide: Float64Array | undefined;

  get(id: number): number {
    if (this.#wide !== undefined) return this.#wide[id] ?? NaN;
    const v = this.#ms?.[id];
    return v === undefined || v === NO_TIME ? NaN : this.#base + v;
  }

  /** `capacity`: the size the table's columns have now (allocated on the first time set). */
  set(id: number, ms: number, capacity: number): void {
    if (this.#wide === undefined && this.#ms === undefined) {
      if (Number.isNaN(ms)) return;
      this.#ms = new Int32Array(Math.max(capacity, id + 1)).fill(NO_TIME);
    }
    this.grow(Math.max(capacity, id + 1));
    if (this.#wide !== undefined) {
      this.#wide[id] = ms;
      return;
    }
    const ints = this.#ms!;
    if (Number.isNaN(ms)) {
      ints[id] = NO_TIME;
      return;
    }
    if (Number.isNaN(this.#base) && Number.isSafeInteger(ms) && !Object.is(ms, -0)) this.#base = ms;
    const offset = ms - this.#base;
    if (Number.isInteger(offset) && offset > NO_TIME && offset <= 0x7fffffff && this.#base + offset === ms && !Object.is(ms, -0)) {
      ints[id] = offset;
      return;
    }
    const wide = new Float64Array(ints.length);
    for (let i = 0; i < ints.length; i++) wide[i] = ints[i] === NO_TIME ? NaN : this.#base + ints[i]!;
    this.#wide = wide;
    this.#ms = undefined;
    wide[id] = ms;
  }

  /** Room for `capacity` ids (once allocated). */
  grow(capacity: number): void {
    if (this.#wide !== undefined && capacity > this.#wide.length) {
      const fresh = new Float64Array(capacity).fill(NaN);
      fresh.set(this.#wide);
      this.#wide = fresh;
    } else if (this.#ms !== undefined && capacity > this.#ms.length) {
      const fresh = new Int32Array(capacity).fill(NO_TIME);
      fresh.set(this.#ms);
      this.#ms = fresh;
    }
  }

  get bytes(): number {
    return (this.#ms?.byteLength ?? 0) + (this.#wide?.byteLength ?? 0);
  }
}
