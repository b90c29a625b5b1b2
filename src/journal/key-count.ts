// Counting distinct recipient keys in bounded memory: a set of 64-bit hashes in one typed array
// (16 bytes a key at most), instead of a Set of strings (~70 bytes a key). Two keys that share a
// 64-bit hash count once: at a million keys, a chance of about 1 in 30 million. For counts shown to
// people (`journal check`), never for a decision about who is sent.

/** Two FNV-1a hashes of a string (different offsets), as a pair of 32-bit numbers. */
function hash64(text: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  // (0, 0) marks an empty slot.
  return a === 0 && b === 0 ? [1, 0] : [a >>> 0, b >>> 0];
}

export class KeyCounter {
  #slots = new Uint32Array(2 * 1024);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  add(key: string): void {
    const [a, b] = hash64(key);
    if (this.#insert(a, b)) {
      this.#size++;
      // Keep the table at most half full.
      if (this.#size * 4 > this.#slots.length) this.#grow();
    }
  }

  #insert(a: number, b: number): boolean {
    const slots = this.#slots;
    const mask = slots.length / 2 - 1;
    for (let i = (a ^ Math.imul(b, 0x9e3779b1)) & mask; ; i = (i + 1) & mask) {
      const x = slots[2 * i]!;
      const y = slots[2 * i + 1]!;
      if (x === 0 && y === 0) {
        slots[2 * i] = a;
        slots[2 * i + 1] = b;
        return true;
      }
      if (x === a && y === b) return false;
    }
  }

  #grow(): void {
    const old = this.#slots;
    this.#slots = new Uint32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0 || old[i + 1] !== 0) this.#insert(old[i]!, old[i + 1]!);
  }
}
