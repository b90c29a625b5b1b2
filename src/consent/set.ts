// The suppressed recipients, exact and compact. A million E.164 numbers as JS strings in a Set cost
// ~80 MB of heap and let V8 grow it further; here they are bytes in one growing buffer, found through
// an open-addressing table of 32-bit hashes and offsets (typed arrays, off the JS heap). A hash hit is
// confirmed by comparing the bytes, so there are no false positives and no false negatives: a
// suppression set that skipped someone by a collision would silently skip them, one that missed would
// send to someone who opted out. Keys that are not ASCII (rare e-mail addresses) sit in a plain Set.

function hash32(text: string): number {
  // FNV-1a over UTF-16 code units, then a murmur3 finaliser for avalanche.
  let h = 0x811c9dc5;
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

// eslint-disable-next-line no-control-regex -- ASCII is exactly what is asked
const ASCII = /^[\x00-\x7f]*$/;

export class SuppressionSet {
  private capacity = 1 << 10;
  private hashes = new Uint32Array(this.capacity);
  /** Offset + 1 of the key's bytes in `bytes` (0: an empty slot). */
  private offsets = new Uint32Array(this.capacity);
  private bytes = new Uint8Array(1 << 14);
  private used = 0;
  private readonly other = new Set<string>();
  /** Distinct keys. */
  size = 0;

  /** Add a normalised key; false when it was there already. */
  add(key: string): boolean {
    if (!ASCII.test(key) || key.length > 0xffff) {
      if (this.other.has(key)) return false;
      this.other.add(key);
      this.size++;
      return true;
    }
    const h = hash32(key);
    const mask = this.capacity - 1;
    let i = h & mask;
    for (; this.offsets[i] !== 0; i = (i + 1) & mask) if (this.hashes[i] === h && this.equals(this.offsets[i]! - 1, key)) return false;
    const at = this.store(key);
    this.hashes[i] = h;
    this.offsets[i] = at + 1;
    if (++this.size * 2 > this.capacity) this.grow();
    return true;
  }

  /** Whether a normalised key is suppressed: one hash, one probe run, a byte compare on a hit. */
  has(key: string): boolean {
    const h = hash32(key);
    const mask = this.capacity - 1;
    for (let i = h & mask; this.offsets[i] !== 0; i = (i + 1) & mask)
      if (this.hashes[i] === h && this.equals(this.offsets[i]! - 1, key)) return true;
    return this.other.size > 0 && this.other.has(key);
  }

  /** Bytes held (for the benchmark's account of memory). */
  get footprint(): number {
    return this.hashes.byteLength + this.offsets.byteLength + this.bytes.byteLength;
  }

  private equals(at: number, key: string): boolean {
    const { bytes } = this;
    // Stored as a 2-byte length, then the ASCII bytes.
    if (bytes[at]! + (bytes[at + 1]! << 8) !== key.length) return false;
    for (let j = 0; j < key.length; j++) if (bytes[at + 2 + j] !== key.charCodeAt(j)) return false;
    return true;
  }

  private store(key: string): number {
    const need = this.used + 2 + key.length;
    if (need > this.bytes.length) {
      let size = this.bytes.length * 2;
      while (size < need) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    const at = this.used;
    this.bytes[at] = key.length & 0xff;
    this.bytes[at + 1] = key.length >>> 8;
    for (let j = 0; j < key.length; j++) this.bytes[at + 2 + j] = key.charCodeAt(j);
    this.used = need;
    return at;
  }

  private grow(): void {
    const { hashes, offsets } = this;
    this.capacity *= 2;
    this.hashes = new Uint32Array(this.capacity);
    this.offsets = new Uint32Array(this.capacity);
    const mask = this.capacity - 1;
    for (let j = 0; j < offsets.length; j++) {
      if (offsets[j] === 0) continue;
      let i = hashes[j]! & mask;
      while (this.offsets[i] !== 0) i = (i + 1) & mask;
      this.hashes[i] = hashes[j]!;
      this.offsets[i] = offsets[j]!;
    }
  }
}
