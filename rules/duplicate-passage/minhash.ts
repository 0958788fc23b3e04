// Hand-written: npm's only MinHash package ("minhash" 0.0.9) loses precision in its a*x+b arithmetic
// (beyond 2^53) and hashes strings once per permutation; this is ~100 lines of 32-bit integer arithmetic.
// Shingles are hashed from per-word FNV-1a hashes (segment.ts), so no string is built per shingle.

/** MurmurHash3's 32-bit finaliser: spreads every input bit over the whole word. */
export function mix32(value: number): number {
  let hash = value >>> 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Hash of a sequence of 32-bit values (order matters), e.g. the words of a sentence. */
export function hashSequence(values: ArrayLike<number>, from = 0, to = values.length, seed = 0x9747b28c): number {
  let hash = seed;
  for (let at = from; at < to; at++) hash = mix32(Math.imul(hash ^ values[at], 0x9e3779b1) + at - from);
  return mix32(hash ^ (to - from));
}

/** Sorted, de-duplicated hashes of the word `size`-grams of a word-hash sequence (the whole text when shorter). */
export function shingleSet(words: ArrayLike<number>, size: number): Uint32Array {
  const count = Math.max(1, words.length - size + 1);
  if (words.length === 0) return new Uint32Array(0);
  const hashes = new Uint32Array(count);
  for (let at = 0; at < count; at++) hashes[at] = hashSequence(words, at, Math.min(words.length, at + size));
  hashes.sort();
  let unique = 0;
  for (let at = 0; at < hashes.length; at++) if (at === 0 || hashes[at] !== hashes[at - 1]) hashes[unique++] = hashes[at];
  return hashes.slice(0, unique);
}

/** Exact Jaccard similarity of two sorted, de-duplicated hash sets. */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let shared = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return shared / (a.length + b.length - shared);
}

/**
 * MinHash signature by one-permutation hashing (Li, Owen and Zhang 2012): each shingle hash goes to
 * one of `size` bins and each bin keeps its smallest value, so a signature costs one hash per shingle
 * instead of one per shingle and permutation. Empty bins borrow from the next filled bin to the right
 * (rotation densification, Shrivastava and Li 2014), so two documents agree on a bin as often as
 * k-permutation MinHash would make them.
 */
export function oneHashSignature(shingles: Uint32Array, size: number): Uint32Array {
  const signature = new Uint32Array(size).fill(0xffffffff);
  const filled = new Uint8Array(size);
  for (let s = 0; s < shingles.length; s++) {
    const hash = mix32(shingles[s] ^ 0x27d4eb2f);
    const bin = hash % size;
    const value = mix32(hash + 0x165667b1);
    if (!filled[bin] || value < signature[bin]) signature[bin] = value;
    filled[bin] = 1;
  }
  if (shingles.length === 0) return signature;
  for (let bin = 0; bin < size; bin++) {
    if (filled[bin]) continue;
    let distance = 1;
    while (!filled[(bin + distance) % size]) distance++;
    signature[bin] = mix32(signature[(bin + distance) % size] + Math.imul(distance, 0x9e3779b1));
  }
  return signature;
}

/** LSH banding: `bands` buckets of `rows` signature values each; documents sharing a bucket become candidates. */
export class LshIndex {
  private readonly buckets: Map<number, number[]>[];

  constructor(
    private readonly bands: number,
    private readonly rows: number,
    /** Most documents kept per bucket (a huge bucket is a template, not a duplicate family). */
    private readonly bucketLimit = 64,
  ) {
    this.buckets = Array.from({ length: bands }, () => new Map<number, number[]>());
  }

  // 30-bit keys are small integers, V8's fastest Map keys; a collision only adds a candidate, checked later.
  private key(signature: Uint32Array, band: number): number {
    return hashSequence(signature, band * this.rows, (band + 1) * this.rows, band) & 0x3fffffff;
  }

  /** Documents already added that share at least one band with `signature`. */
  candidates(signature: Uint32Array): Set<number> {
    const found = new Set<number>();
    for (let band = 0; band < this.bands; band++) {
      const bucket = this.buckets[band].get(this.key(signature, band));
      if (bucket) for (const doc of bucket) found.add(doc);
    }
    return found;
  }

  /** Add a document's signature under id `doc`. */
  add(doc: number, signature: Uint32Array): void {
    for (let band = 0; band < this.bands; band++) {
      const key = this.key(signature, band);
      const bucket = this.buckets[band].get(key);
      if (!bucket) this.buckets[band].set(key, [doc]);
      else if (bucket.length < this.bucketLimit) bucket.push(doc);
    }
  }
}
