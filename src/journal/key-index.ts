// Recipient keys in bounded memory: each key gets a dense number (0, 1, 2, ...) that indexes typed-array
// columns (`chirp status`'s run table) or just counts (`journal check`). A key is kept as a 64-bit hash
// (two FNV-1a variants), 8 bytes, plus ~6 bytes of slot table: ~14 bytes a key instead of a Map entry
// and a string (~90). Two different keys that share a 64-bit hash get the same id: at a million keys a
// chance of about 1 in 40 million, and more if someone crafts recipients to collide. So an id is never
// proof of a key on its own: what decides who is sent, or is written back, is checked against the
// whole key where it matters (see `chirp status` in docs/design.md).

/** Two FNV-1a hashes of a string (different offsets and primes), as a pair of 32-bit numbers; never (0, 0). */
export function hash64(text: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return a === 0 && b === 0 ? [1, 0] : [a >>> 0, b >>> 0];
}

export class KeyIndex {
  // slot → id + 1 (0: empty); at most 70% full.
  #slots: Int32Array;
  // Per id: its hash (two words).
  #hashes: Uint32Array;
  #size = 0;

  /**
   * `expected`: how many keys to make room for up front (a run's `planned`), so nothing has to grow.
   * `hash`: tests pass a weak one to make collisions.
   */
  constructor(
    expected = 0,
    private readonly hash: (key: string) => [number, number] = hash64,
  ) {
    // A header's `planned` is a hint, not a promise: beyond 4M keys the index grows as keys come.
    const capacity = Math.max(1024, Math.min(expected, 1 << 22));
    this.#hashes = new Uint32Array(capacity * 2);
    this.#slots = new Int32Array(Math.ceil(capacity * 1.45));
  }

  /** Distinct keys (distinct hashes) added. Ids are 0 .. size - 1. */
  get size(): number {
    return this.#size;
  }

  /** Room for this many ids without growing (columns indexed by id size themselves by it). */
  get capacity(): number {
    return this.#hashes.length / 2;
  }

  /** The key's id, added if new. */
  add(key: string): number {
    return this.#find(key, true);
  }

  /** The key's id; -1 if it was never added. */
  get(key: string): number {
    return this.#find(key, false);
  }

  #find(key: string, add: boolean): number {
    const [a, b] = this.hash(key);
    const slots = this.#slots;
    const hashes = this.#hashes;
    const n = slots.length;
    for (let s = this.#start(a, b, n); ; s = s + 1 === n ? 0 : s + 1) {
      const held = slots[s]!;
      if (held === 0) {
        if (!add) return -1;
        const id = this.#newId();
        this.#hashes[2 * id] = a;
        this.#hashes[2 * id + 1] = b;
        if (this.#slots === slots) slots[s] = id + 1;
        else this.#place(id);
        return id;
      }
      if (hashes[2 * held - 2] === a && hashes[2 * held - 1] === b) return held - 1;
    }
  }

  #start(a: number, b: number, n: number): number {
    return Math.floor(((a ^ Math.imul(b, 0x9e3779b1)) >>> 0) * (n / 4294967296));
  }

  #newId(): number {
    const id = this.#size++;
    if (2 * id === this.#hashes.length) {
      const hashes = new Uint32Array(2 * Math.ceil(this.#hashes.length * 0.75));
      hashes.set(this.#hashes);
      this.#hashes = hashes;
    }
    if (this.#size * 10 > this.#slots.length * 7) {
      this.#slots = new Int32Array(Math.ceil(this.#slots.length * 1.6));
      for (let other = 0; other < id; other++) this.#place(other);
    }
    return id;
  }

  /** Puts an id into the slot table (after growth, or when the table grew while adding it). */
  #place(id: number): void {
    const slots = this.#slots;
    const n = slots.length;
    let s = this.#start(this.#hashes[2 * id]!, this.#hashes[2 * id + 1]!, n);
    while (slots[s] !== 0) s = s + 1 === n ? 0 : s + 1;
    slots[s] = id + 1;
  }
}
