// Recipient keys in bounded memory: each key gets a dense number (0, 1, 2, ...) that indexes typed-array
// columns (`chirp status`'s run table) or just counts (`journal check`). chirp's keys are 22 base64url
// characters (132 bits of a sha256): they are stored whole, packed into 18 bytes, and a slot table of
// ids finds them by a hash of those bits. Two keys are the same only when all 132 bits are: a hash
// collision costs a probe, never merges two recipients. A key of any other shape (an older or a
// hand-made journal) is kept as a string in a Map: exact too, at a Map's cost.

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) DIGIT[B64URL.charCodeAt(i)] = i;

/** Characters in a key chirp writes (shortKey: 22 base64url characters). */
export const PACKED_KEY_LENGTH = 22;

/** Five base64url digits of `key` from `from` as one 30-bit number; -1 if one is not a digit. */
function word(key: string, from: number, count = 5): number {
  let w = 0;
  for (let i = from; i < from + count; i++) {
    const c = key.charCodeAt(i);
    const d = c < 128 ? DIGIT[c]! : -1;
    if (d < 0) return -1;
    w = w * 64 + d;
  }
  return w;
}

function slotHash(w0: number, w1: number, w2: number, w3: number, w4: number): number {
  let h = Math.imul(w0 ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ w1 ^ (h >>> 15), 0xc2b2ae35);
  h = Math.imul(h ^ w2 ^ (h >>> 13), 0x85ebca6b);
  h = Math.imul(h ^ w3 ^ (h >>> 16), 0xc2b2ae35);
  h = Math.imul(h ^ w4 ^ (h >>> 13), 0x85ebca6b);
  return (h ^ (h >>> 16)) >>> 0;
}

export class KeyIndex {
  // slot → id + 1 (0: empty); at most ~70% full.
  #slots: Int32Array;
  // Per id: 4 words of 30 bits (characters 0-19) and 12 bits (characters 20-21); OTHER: a key kept in #other.
  #words: Uint32Array;
  #tail: Uint16Array;
  #size = 0;
  readonly #other = new Map<string, number>();
  readonly #otherKeys = new Map<number, string>();
  static readonly #OTHER = 0xffff;

  /** `expected`: how many keys to make room for up front (a run's `planned`), so the columns need not grow. */
  constructor(expected = 0) {
    // A header's `planned` is a hint, not a promise: beyond 4M keys the columns grow as keys come.
    const capacity = Math.max(1024, Math.min(expected, 1 << 22));
    this.#words = new Uint32Array(capacity * 4);
    this.#tail = new Uint16Array(capacity);
    this.#slots = new Int32Array(Math.max(2048, Math.ceil(capacity * 1.45)));
  }

  /** Distinct keys added. Ids are 0 .. size - 1. */
  get size(): number {
    return this.#size;
  }

  /** Room for this many ids without growing (columns indexed by id may size themselves by it). */
  get capacity(): number {
    return this.#tail.length;
  }

  /** The key's id, added if new. */
  add(key: string): number {
    return this.#find(key, true);
  }

  /** The key's id; -1 if it was never added. */
  get(key: string): number {
    return this.#find(key, false);
  }

  /** The key of an id. */
  key(id: number): string {
    const tail = this.#tail[id]!;
    if (tail === KeyIndex.#OTHER) return this.#otherKeys.get(id)!;
    let out = '';
    for (let w = 0; w < 4; w++) {
      const v = this.#words[id * 4 + w]!;
      for (let shift = 24; shift >= 0; shift -= 6) out += B64URL[Math.floor(v / 2 ** shift) % 64];
    }
    return out + B64URL[tail >>> 6]! + B64URL[tail & 63]!;
  }

  #find(key: string, add: boolean): number {
    const w4 = key.length === PACKED_KEY_LENGTH ? word(key, 20, 2) : -1;
    const w0 = w4 < 0 ? -1 : word(key, 0);
    const w1 = w0 < 0 ? -1 : word(key, 5);
    const w2 = w1 < 0 ? -1 : word(key, 10);
    const w3 = w2 < 0 ? -1 : word(key, 15);
    if (w3 < 0) {
      const known = this.#other.get(key);
      if (known !== undefined || !add) return known ?? -1;
      const id = this.#newId();
      this.#tail[id] = KeyIndex.#OTHER;
      this.#other.set(key, id);
      this.#otherKeys.set(id, key);
      return id;
    }
    const slots = this.#slots;
    const words = this.#words;
    const n = slots.length;
    for (let s = Math.floor((slotHash(w0, w1, w2, w3, w4) * n) / 4294967296); ; s = s + 1 === n ? 0 : s + 1) {
      const held = slots[s]!;
      if (held === 0) {
        if (!add) return -1;
        const id = this.#newId();
        this.#words[id * 4] = w0;
        this.#words[id * 4 + 1] = w1;
        this.#words[id * 4 + 2] = w2;
        this.#words[id * 4 + 3] = w3;
        this.#tail[id] = w4;
        if (this.#slots === slots) slots[s] = id + 1;
        else this.#place(id);
        return id;
      }
      const id = held - 1;
      const at = id * 4;
      if (words[at] === w0 && words[at + 1] === w1 && words[at + 2] === w2 && words[at + 3] === w3 && this.#tail[id] === w4) return id;
    }
  }

  #newId(): number {
    const id = this.#size++;
    if (id === this.#tail.length) {
      const capacity = Math.ceil(this.#tail.length * 1.5);
      const words = new Uint32Array(capacity * 4);
      words.set(this.#words);
      this.#words = words;
      const tail = new Uint16Array(capacity);
      tail.set(this.#tail);
      this.#tail = tail;
    }
    if (this.#size * 10 > this.#slots.length * 7) {
      this.#slots = new Int32Array(Math.ceil(this.#slots.length * 1.6));
      for (let other = 0; other < id; other++) if (this.#tail[other] !== KeyIndex.#OTHER) this.#place(other);
    }
    return id;
  }

  /** Puts a packed id into the slot table (growing or after growth). */
  #place(id: number): void {
    const slots = this.#slots;
    const n = slots.length;
    const at = id * 4;
    const w = this.#words;
    let s = Math.floor((slotHash(w[at]!, w[at + 1]!, w[at + 2]!, w[at + 3]!, this.#tail[id]!) * n) / 4294967296);
    while (slots[s] !== 0) s = s + 1 === n ? 0 : s + 1;
    slots[s] = id + 1;
  }
}
