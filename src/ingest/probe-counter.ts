/**
 * Counts occurrences of 48-bit keys in an open-addressing table of Float64Array slots: about 16 bytes per
 * key, where a Map<number, number> takes 60-80. It numbers identical content lines of one file (see
 * pipeline.ts) without holding a million-entry Map.
 */
export class ProbeCounter {
  private keys: Float64Array;
  private counts: Uint32Array;
  private size = 0;

  constructor(capacity = 1 << 16) {
    this.keys = new Float64Array(capacity).fill(-1);
    this.counts = new Uint32Array(capacity);
  }

  /** Returns how many times `key` (0 ≤ key < 2^48) was seen before, and counts this time. */
  next(key: number): number {
    if (this.size * 2 >= this.keys.length) this.grow();
    const slot = this.find(key);
    const seen = this.counts[slot] ?? 0;
    if (this.keys[slot] === -1) {
      this.keys[slot] = key;
      this.size++;
    }
    this.counts[slot] = seen + 1;
    return seen;
  }

  private find(key: number): number {
    const mask = this.keys.length - 1;
    // The key is already a hash, so its low bits index the table; linear probing from there.
    let i = (key % this.keys.length) & mask;
    for (;;) {
      const k = this.keys[i];
      if (k === key || k === -1) return i;
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldCounts = this.counts;
    this.keys = new Float64Array(oldKeys.length * 2).fill(-1);
    this.counts = new Uint32Array(oldKeys.length * 2);
    for (let i = 0; i < oldKeys.length; i++) {
      const k = oldKeys[i] ?? -1;
      if (k === -1) continue;
      const slot = this.find(k);
      this.keys[slot] = k;
      this.counts[slot] = oldCounts[i] ?? 0;
    }
  }
}
