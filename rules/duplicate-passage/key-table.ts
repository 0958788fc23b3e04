import { mix32 } from './minhash.js';

/**
 * An open-addressing set of integer keys below 2^53 in one Float64Array, giving each key a slot for
 * the caller's own typed arrays of values. Hand-written because a Map boxes every key beyond 31 bits
 * (a heap number and ~40 bytes of entry each); this costs 8 bytes a slot, 1.3 to 2.7 slots a key.
 */
export class KeyTable {
  private readonly keys: Float64Array;
  private readonly mask: number;
  /** Whether the last `slotOf` added its key. */
  added = false;

  /** A table for up to `capacity` keys. */
  constructor(capacity: number) {
    let size = 16;
    while (size < (capacity * 4) / 3) size *= 2;
    this.keys = new Float64Array(size).fill(-1);
    this.mask = size - 1;
  }

  /** Number of slots: the length the caller's value arrays need. */
  get size(): number {
    return this.keys.length;
  }

  /** The slot of `key` (an integer, 0 ≤ key < 2^53), added when absent (see `added`). */
  slotOf(key: number): number {
    const keys = this.keys;
    let slot = mix32((key >>> 0) ^ Math.floor(key / 4294967296)) & this.mask;
    while (keys[slot] !== key && keys[slot] !== -1) slot = (slot + 1) & this.mask;
    this.added = keys[slot] === -1;
    keys[slot] = key;
    return slot;
  }
}
