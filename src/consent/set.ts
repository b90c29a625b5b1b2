// The suppressed recipients, exact and compact. A million E.164 numbers as JS strings in a Set cost
// ~80 MB of heap and let V8 grow it further. Here a number is its digits packed as nibbles into 64
// bits (up to 15 digits, each stored as digit + 1 so that 0 ends it): the packed form IS the number,
// so a match is exact (no false positive, no false negative, unlike a hash alone). The packed numbers
// sit in one open-addressing table of 32-bit pairs (a typed array, off the JS heap): 16 MB for a
// million, and a lookup touches one slot run. Anything else (e-mail addresses) sits in a plain Set.

/** The packed halves of an E.164 key (`+` and 1–15 digits), or undefined for any other key. */
function pack(key: string, out: Uint32Array): boolean {
  const n = key.length - 1;
  if (n < 1 || n > 15 || key.charCodeAt(0) !== 43 /* + */) return false;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const d = key.charCodeAt(i + 1) - 48;
    if (d < 0 || d > 9) return false;
    if (i < 8) lo = (lo | ((d + 1) << (i * 4))) >>> 0;
    else hi = (hi | ((d + 1) << ((i - 8) * 4))) >>> 0;
  }
  out[0] = lo;
  out[1] = hi;
  return true;
}

function mix(lo: number, hi: number): number {
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class SuppressionSet {
  private capacity = 1 << 10;
  /** Slot i: [2i] low and [2i+1] high half of a packed number; both 0: empty (a packed number never is). */
  private slots = new Uint32Array(this.capacity * 2);
  private readonly other = new Set<string>();
  private readonly scratch = new Uint32Array(2);
  /** Distinct keys. */
  size = 0;

  /** Add a normalised key; false when it was there already. */
  add(key: string): boolean {
    if (!pack(key, this.scratch)) {
      if (this.other.has(key)) return false;
      this.other.add(key);
      this.size++;
      return true;
    }
    const lo = this.scratch[0]!;
    const hi = this.scratch[1]!;
    const mask = this.capacity - 1;
    const { slots } = this;
    let i = mix(lo, hi) & mask;
    for (; slots[2 * i] !== 0 || slots[2 * i + 1] !== 0; i = (i + 1) & mask)
      if (slots[2 * i] === lo && slots[2 * i + 1] === hi) return false;
    slots[2 * i] = lo;
    slots[2 * i + 1] = hi;
    if (++this.size * 2 > this.capacity) this.grow();
    return true;
  }

  /** Whether a normalised key is suppressed: one probe run in one typed array. */
  has(key: string): boolean {
    if (!pack(key, this.scratch)) return this.other.size > 0 && this.other.has(key);
    const lo = this.scratch[0]!;
    const hi = this.scratch[1]!;
    const mask = this.capacity - 1;
    const { slots } = this;
    for (let i = mix(lo, hi) & mask; slots[2 * i] !== 0 || slots[2 * i + 1] !== 0; i = (i + 1) & mask)
      if (slots[2 * i] === lo && slots[2 * i + 1] === hi) return true;
    return false;
  }

  /** Bytes held off the JS heap (for the benchmark's account of memory). */
  get footprint(): number {
    return this.slots.byteLength;
  }

  private grow(): void {
    const old = this.slots;
    this.capacity *= 2;
    this.slots = new Uint32Array(this.capacity * 2);
    const mask = this.capacity - 1;
    for (let j = 0; j < old.length; j += 2) {
      const lo = old[j]!;
      const hi = old[j + 1]!;
      if (lo === 0 && hi === 0) continue;
      let i = mix(lo, hi) & mask;
      while (this.slots[2 * i] !== 0 || this.slots[2 * i + 1] !== 0) i = (i + 1) & mask;
      this.slots[2 * i] = lo;
      this.slots[2 * i + 1] = hi;
    }
  }
}
