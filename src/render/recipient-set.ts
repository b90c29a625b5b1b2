// The recipients seen so far in one input, off the JS heap: two 32-bit hashes and the first row per
// recipient in one typed array (open addressing). A million recipients cost ~25 MB of flat memory instead
// of a Map of strings whose size also makes V8 let the whole heap grow several times larger.
// Two independent 32-bit hashes give 64 bits: the chance that two different recipients of a
// million-row file collide is about 3·10⁻⁸, and a collision is reported (both rows named), never silent.

/** The two hashes: FNV-1a over UTF-16 code units from these bases (its offset basis mixed with a seed), then `mix`. */
const BASIS_A = (0x811c9dc5 ^ 0x9e3779b9) >>> 0;
const BASIS_B = (0x811c9dc5 ^ 0x7f4a7c15) >>> 0;

/** A murmur3 finaliser, for avalanche. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Frees a typed array's memory now rather than at the next full collection: transferring its buffer
 * detaches it and hands the memory to a young clone that the next minor collection frees. An old table
 * is garbage the moment the set has grown (12.5 MB at a million recipients), and a render rarely runs
 * a full collection, so without this it stays in the process's peak memory.
 */
function release(array: Uint32Array): void {
  const buffer = array.buffer as ArrayBuffer; // the set's own, never shared
  structuredClone(buffer, { transfer: [buffer] });
}

/** Slots of three 32-bit words: the two hashes and the first row. */
const STRIDE = 3;
/** The most recipients a table is sized for up front (2²⁴ slots, 200 MB): beyond, it grows as it fills. */
const MAX_EXPECTED = 1 << 23;

export class RecipientSet {
  /** Slots, a power of two; at most half of them filled. */
  private capacity: number;
  /**
   * One table, each slot's words side by side so a probe touches one cache line, not three arrays
   * (on a million recipients the table is 25 MB, and each row's lookup lands somewhere random in it).
   * The row word (1-based) is 0 in an empty slot.
   */
  private table: Uint32Array;
  size = 0;

  /**
   * `expected`: about how many recipients will come (a low guess), so the table starts at its final
   * size: growing holds the old table and the new one, 1.5× the memory, at once. Only memory depends on it.
   */
  constructor(expected = 0) {
    let capacity = 1 << 12;
    const want = Math.min(Math.max(0, Math.floor(expected)), MAX_EXPECTED) * 2;
    while (capacity < want) capacity *= 2;
    this.capacity = capacity;
    this.table = new Uint32Array(capacity * STRIDE);
  }

  /** The first row this recipient appeared in, or 0 after recording it as first seen in `row`. */
  firstRowOrAdd(recipient: string, row: number): number {
    // Both hashes in one pass over the text.
    let ha = BASIS_A;
    let hb = BASIS_B;
    for (let i = 0; i < recipient.length; i++) {
      const c = recipient.charCodeAt(i);
      ha = Math.imul(ha ^ c, 0x01000193);
      hb = Math.imul(hb ^ c, 0x01000193);
    }
    ha = mix(ha);
    hb = mix(hb);
    const table = this.table;
    const mask = this.capacity - 1;
    for (let i = ha & mask; ; i = (i + 1) & mask) {
      const at = i * STRIDE;
      const existing = table[at + 2]!;
      if (existing === 0) {
        table[at] = ha;
        table[at + 1] = hb;
        table[at + 2] = row;
        if (++this.size * 2 > this.capacity) this.grow();
        return 0;
      }
      if (table[at] === ha && table[at + 1] === hb) return existing;
    }
  }

  private grow(): void {
    const old = this.table;
    this.capacity *= 2;
    const table = new Uint32Array(this.capacity * STRIDE);
    const mask = this.capacity - 1;
    for (let j = 0; j < old.length; j += STRIDE) {
      if (old[j + 2] === 0) continue;
      const ha = old[j]!;
      let i = ha & mask;
      while (table[i * STRIDE + 2] !== 0) i = (i + 1) & mask;
      table[i * STRIDE] = ha;
      table[i * STRIDE + 1] = old[j + 1]!;
      table[i * STRIDE + 2] = old[j + 2]!;
    }
    this.table = table;
    release(old);
  }
}
