// The recipients seen so far in one input, off the JS heap: two 32-bit hashes and the first row per
// recipient in typed arrays (open addressing). A million recipients cost ~40 MB of flat memory instead
// of a Map of strings whose size also makes V8 let the whole heap grow several times larger.
// Two independent 32-bit hashes give 64 bits: the chance that two different recipients of a
// million-row file collide is about 3·10⁻⁸, and a collision is reported (both rows named), never silent.

function hash32(text: string, seed: number): number {
  // FNV-1a over UTF-16 code units, then a murmur3 finaliser for avalanche.
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class RecipientSet {
  private capacity = 1 << 12;
  private a = new Uint32Array(this.capacity);
  private b = new Uint32Array(this.capacity);
  /** The first row (1-based) of each slot's recipient; 0 marks an empty slot. */
  private rows = new Uint32Array(this.capacity);
  size = 0;

  /** The first row this recipient appeared in, or 0 after recording it as first seen in `row`. */
  firstRowOrAdd(recipient: string, row: number): number {
    const ha = hash32(recipient, 0x9e3779b9);
    const hb = hash32(recipient, 0x7f4a7c15) >>> 0;
    const mask = this.capacity - 1;
    for (let i = ha & mask; ; i = (i + 1) & mask) {
      const existing = this.rows[i]!;
      if (existing === 0) {
        this.a[i] = ha;
        this.b[i] = hb;
        this.rows[i] = row;
        if (++this.size * 2 > this.capacity) this.grow();
        return 0;
      }
      if (this.a[i] === ha && this.b[i] === hb) return existing;
    }
  }

  private grow(): void {
    const { a, b, rows } = this;
    this.capacity *= 2;
    this.a = new Uint32Array(this.capacity);
    this.b = new Uint32Array(this.capacity);
    this.rows = new Uint32Array(this.capacity);
    const mask = this.capacity - 1;
    for (let j = 0; j < rows.length; j++) {
      if (rows[j] === 0) continue;
      let i = a[j]! & mask;
      while (this.rows[i] !== 0) i = (i + 1) & mask;
      this.a[i] = a[j]!;
      this.b[i] = b[j]!;
      this.rows[i] = rows[j]!;
    }
  }
}
