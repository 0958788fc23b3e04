// Hand-written: npm's only MinHash package ("minhash" 0.0.9) loses precision in its a*x+b arithmetic
// (beyond 2^53) and hashes strings per permutation; this is ~80 lines of 32-bit integer arithmetic.
// Shingles are hashed from per-word hashes, so no string is built per shingle.

/** FNV-1a (32-bit) of a string's UTF-16 code units: a fast non-cryptographic word hash. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let at = 0; at < text.length; at++) {
    hash ^= text.charCodeAt(at);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

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

/** A family of hash permutations `x -> a*x + b (mod 2^32)`, a odd, from a fixed seed (same signatures every run). */
export interface Permutations {
  a: Uint32Array;
  b: Uint32Array;
}

/** Deterministic permutation parameters for `count` MinHash functions. */
export function makePermutations(count: number, seed = 1): Permutations {
  const a = new Uint32Array(count);
  const b = new Uint32Array(count);
  let state = seed >>> 0;
  const next = () => (state = mix32(state + 0x6d2b79f5));
  for (let at = 0; at < count; at++) {
    a[at] = next() | 1;
    b[at] = next();
  }
  return { a, b };
}

/** MinHash signature of a shingle-hash set: per permutation, the smallest permuted hash. */
export function minhashSignature(shingles: Uint32Array, permutations: Permutations): Uint32Array {
  const { a, b } = permutations;
  const signature = new Uint32Array(a.length).fill(0xffffffff);
  for (let s = 0; s < shingles.length; s++) {
    const x = shingles[s];
    for (let p = 0; p < a.length; p++) {
      const value = (Math.imul(a[p], x) + b[p]) >>> 0;
      if (value < signature[p]) signature[p] = value;
    }
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

  private key(signature: Uint32Array, band: number): number {
    return hashSequence(signature, band * this.rows, (band + 1) * this.rows, band);
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
