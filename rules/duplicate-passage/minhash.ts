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

// An open-addressing set of the shingles of one text, reused: de-duplicating without sorting them all.
let seen = new Uint32Array(1024);
let seenUsed = new Uint8Array(1024);

/**
 * The distinct hashes of the word `size`-grams of a word-hash sequence (the whole text when shorter),
 * in no particular order: what a MinHash signature and a mod-2^k sample need.
 */
export function distinctShingles(words: Uint32Array, size: number): Uint32Array {
  if (words.length === 0) return new Uint32Array(0);
  const distinct = new Uint32Array(Math.max(1, words.length - size + 1));
  return distinct.subarray(0, fillDistinct(words, size, distinct));
}

// distinctShingles into `distinct` (room for a shingle per word): returns how many it holds.
function fillDistinct(words: Uint32Array, size: number, distinct: Uint32Array): number {
  if (words.length === 0) return 0;
  const count = Math.max(1, words.length - size + 1);
  let slots = 1024;
  while (slots < 2 * count) slots *= 2;
  if (slots > seen.length) {
    seen = new Uint32Array(slots);
    seenUsed = new Uint8Array(slots);
  } else seenUsed.fill(0, 0, slots);
  const mask = slots - 1;
  let found = 0;
  for (let at = 0; at < count; at++) {
    let hash: number;
    if (size === 3 && words.length >= 3) {
      // hashSequence(words, at, at + 3), unrolled: the shingles of every document go through here.
      hash = mix32(Math.imul(0x9747b28c ^ words[at], 0x9e3779b1));
      hash = mix32(Math.imul(hash ^ words[at + 1], 0x9e3779b1) + 1);
      hash = mix32(Math.imul(hash ^ words[at + 2], 0x9e3779b1) + 2);
      hash = mix32(hash ^ 3);
    } else hash = hashSequence(words, at, Math.min(words.length, at + size));
    let slot = hash & mask;
    while (seenUsed[slot] && seen[slot] !== hash) slot = (slot + 1) & mask;
    if (seenUsed[slot]) continue;
    seenUsed[slot] = 1;
    seen[slot] = hash;
    distinct[found++] = hash;
  }
  return found;
}

/** Sorted, de-duplicated hashes of the word `size`-grams of a word-hash sequence (the whole text when shorter). */
export function shingleSet(words: Uint32Array, size: number): Uint32Array {
  return distinctShingles(words, size).sort();
}

// De-duplicate a sorted array in place; returns the number of distinct values, now first.
function uniqueSorted(values: Uint16Array): number {
  let unique = 0;
  for (let at = 0; at < values.length; at++) if (at === 0 || values[at] !== values[at - 1]) values[unique++] = values[at];
  return unique;
}

/** Exact Jaccard similarity of two sorted, de-duplicated sets. */
export function jaccard(a: ArrayLike<number>, b: ArrayLike<number>): number {
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
 * Broder's mod-m sample of a set of shingle hashes (in any order), kept as 16-bit fingerprints: the hashes whose low
 * `bits` bits are zero, with `bits` the fewest that leave at most `limit` (0, the whole set, when it
 * is that small already), each cut to its next 16 bits (`hash >>> bits`), sorted and de-duplicated.
 * Two fingerprints of 150 distinct shingles collide about once in 3 documents, which moves a
 * Jaccard similarity by about 0.001; the record keeps half the bytes of whole hashes. `into`, when
 * large enough, holds the fingerprints instead of a new array.
 */
export function sampleShingles(shingles: Uint32Array, limit: number, into?: Uint16Array): { fingerprints: Uint16Array; bits: number } {
  let bits = 0;
  while (shingles.length / 2 ** bits > limit && bits < 16) bits++;
  const mask = 2 ** bits - 1;
  let count = 0;
  for (let at = 0; at < shingles.length; at++) if ((shingles[at] & mask) === 0) count++;
  const fingerprints = into && into.length >= count ? into.subarray(0, count) : new Uint16Array(count);
  for (let at = 0, filled = 0; at < shingles.length; at++) if ((shingles[at] & mask) === 0) fingerprints[filled++] = shingles[at] >>> bits;
  fingerprints.sort();
  return { fingerprints: fingerprints.subarray(0, uniqueSorted(fingerprints)), bits };
}

/**
 * Jaccard similarity of two sets kept as mod-2^bits samples of fingerprints (sampleShingles): both
 * are cut to the coarser sample, whose Jaccard similarity is an unbiased estimate of the whole sets'
 * (exact but for fingerprint collisions when both `bits` are 0). Of a finer sample, only the
 * fingerprints whose low `d` bits are zero belong to the coarser one (d the difference of the bits);
 * those are compared on the 16 - d bits both samples hold.
 */
export function sampledJaccard(a: Uint16Array, aBits: number, b: Uint16Array, bBits: number): number {
  if (aBits === bBits) return jaccard(a, b);
  const [fine, coarse] = aBits < bBits ? [a, b] : [b, a];
  const shift = Math.abs(aBits - bBits);
  const low = 2 ** shift - 1;
  const kept = fine.filter((fingerprint) => (fingerprint & low) === 0).map((fingerprint) => fingerprint >>> shift);
  const cut = coarse.map((fingerprint) => fingerprint & (0xffff >>> shift)).sort();
  return jaccard(kept.subarray(0, uniqueSorted(kept)), cut.subarray(0, uniqueSorted(cut)));
}

/**
 * MinHash signature by one-permutation hashing (Li, Owen and Zhang 2012): each shingle hash goes to
 * one of `size` bins and each bin keeps its smallest value, so a signature costs one hash per shingle
 * instead of one per shingle and permutation. Empty bins borrow from the next filled bin to the right
 * (rotation densification, Shrivastava and Li 2014), so two documents agree on a bin as often as
 * k-permutation MinHash would make them. `scratch`, when large enough, holds the result instead of a new array.
 */
export function oneHashSignature(shingles: Uint32Array, size: number, scratch?: { signature: Uint32Array; filled: Uint8Array }): Uint32Array {
  const signature = scratch && scratch.signature.length >= size ? scratch.signature.subarray(0, size).fill(0xffffffff) : new Uint32Array(size).fill(0xffffffff);
  const filled = scratch && scratch.filled.length >= size ? scratch.filled.subarray(0, size).fill(0) : new Uint8Array(size);
  // hash % size from the hash's two 16-bit halves: int32 arithmetic, where a hash beyond 2^31 would take a float modulo.
  const halves = size <= 0x7fff;
  for (let s = 0; s < shingles.length; s++) {
    const hash = mix32(shingles[s] ^ 0x27d4eb2f);
    const bin = halves ? (((hash >>> 16) % size) * 65536 + (hash & 0xffff)) % size : hash % size;
    const value = mix32((hash + 0x165667b1) | 0);
    if (value < signature[bin]) signature[bin] = value;
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

// Buffers of shingleSketch, grown as needed.
let sketchShingles = new Uint32Array(4096);
const sketchSample = new Uint16Array(4096);
const sketchSignature = { signature: new Uint32Array(256), filled: new Uint8Array(256) };

/**
 * What the corpus step compares of a text: the one-permutation signature (`signatureSize` values) of
 * its word `size`-grams and their mod-2^bits sample of at most about `limit` (sampleShingles). Views
 * of buffers reused by the next call, for a caller that copies them (a record), sparing the garbage
 * collector a few buffers per document.
 */
export function shingleSketch(words: Uint32Array, size: number, signatureSize: number, limit: number): { signature: Uint32Array; fingerprints: Uint16Array; bits: number } {
  if (sketchShingles.length < words.length) sketchShingles = new Uint32Array(2 * words.length);
  const shingles = sketchShingles.subarray(0, fillDistinct(words, size, sketchShingles));
  if (sketchSignature.signature.length < signatureSize) {
    sketchSignature.signature = new Uint32Array(signatureSize);
    sketchSignature.filled = new Uint8Array(signatureSize);
  }
  return { signature: oneHashSignature(shingles, signatureSize, sketchSignature), ...sampleShingles(shingles, limit, sketchSample) };
}

/**
 * LSH banding over a whole corpus at once: `bands` buckets of `rows` signature values each; documents
 * sharing a bucket become candidates. Built offline from all signatures, one band at a time (a sorted
 * Float64Array of (bucket key, document index) pairs, reused), it keeps only the buckets of two
 * documents or more, and of each its first `bucketLimit` documents: it behaves as if documents were
 * added in index order to buckets of at most `bucketLimit` (a huge bucket is a template, not a
 * duplicate family), and on a corpus of distinct texts it holds next to nothing.
 */
export class LshIndex {
  /** Per band: sorted keys of its shared buckets. */
  private readonly bucketKeys: Uint32Array[] = [];
  /** Per band: where each shared bucket's documents start in `members` (one more entry: the end). */
  private readonly bucketStarts: Uint32Array[] = [];
  /** Per band: the first `bucketLimit` documents of each shared bucket, in index order. */
  private readonly members: Uint32Array[] = [];
  /** 1 for a document with an earlier document in one of its buckets: the others have no candidate. */
  private readonly shares: Uint8Array;
  private readonly keyShift: number;
  // Scratch of `candidates`: its buckets, their first member by band, and the documents it has found (marked with `stamp`).
  private readonly order: Uint32Array;
  private readonly firsts: Uint32Array;
  private readonly seen: Uint32Array;
  private stamp = 0;

  constructor(
    private readonly signatureOf: (doc: number) => ArrayLike<number>,
    count: number,
    private readonly bands: number,
    private readonly rows: number,
    private readonly bucketLimit = 64,
  ) {
    const docBits = Math.max(1, Math.ceil(Math.log2(count + 1)));
    // Key and index share one float64 (53 bits), so that a native numeric sort orders by key, then index.
    this.keyShift = 32 - Math.min(30, 53 - docBits);
    const scale = 2 ** docBits;
    this.shares = new Uint8Array(count);
    this.order = new Uint32Array(bands);
    this.firsts = new Uint32Array(bands);
    this.seen = new Uint32Array(count);
    // Keys of a few bands at a time: one signature view per document and group, a bounded buffer.
    const group = Math.min(bands, 8);
    const keys = new Uint32Array(count * group);
    const packed = new Float64Array(count);
    for (let firstBand = 0; firstBand < bands; firstBand += group) {
      const inGroup = Math.min(group, bands - firstBand);
      for (let doc = 0; doc < count; doc++) {
        const signature = signatureOf(doc);
        for (let band = 0; band < inGroup; band++) keys[band * count + doc] = this.key(signature, firstBand + band);
      }
      for (let band = 0; band < inGroup; band++) {
        for (let doc = 0; doc < count; doc++) packed[doc] = keys[band * count + doc] * scale + doc;
        packed.sort();
        this.keepSharedBuckets(packed, scale);
      }
    }
  }

  // A collision only adds a candidate, checked later.
  private key(signature: ArrayLike<number>, band: number): number {
    return hashSequence(signature, band * this.rows, (band + 1) * this.rows, band) >>> this.keyShift;
  }

  private keepSharedBuckets(packed: Float64Array, scale: number): void {
    const keys: number[] = [];
    const starts: number[] = [];
    const members: number[] = [];
    for (let first = 0; first < packed.length; ) {
      const key = Math.floor(packed[first] / scale);
      let end = first + 1;
      while (end < packed.length && packed[end] < (key + 1) * scale) end++;
      if (end - first >= 2) {
        keys.push(key);
        starts.push(members.length);
        for (let at = first; at < end; at++) {
          const doc = packed[at] - key * scale;
          if (at - first < this.bucketLimit) members.push(doc);
          if (at > first) this.shares[doc] = 1;
        }
      }
      first = end;
    }
    starts.push(members.length);
    this.bucketKeys.push(Uint32Array.from(keys));
    this.bucketStarts.push(Uint32Array.from(starts));
    this.members.push(Uint32Array.from(members));
  }

  /**
   * Documents before `doc` that share at least one band with it, at most `limit` of them, in index
   * order. Buckets are visited smallest first (a small bucket is specific, a full one a shared
   * template; ties in band order), so on a corpus of look-alike texts a document examines a bounded
   * number of candidates and the corpus step stays linear in the number of documents.
   */
  candidates(doc: number, limit = Infinity): number[] {
    if (!this.shares[doc]) return [];
    const signature = this.signatureOf(doc);
    // Each bucket with documents before `doc` as size × bands + band, so that a numeric sort orders by size, then band.
    const order = this.order;
    let ranges = 0;
    for (let band = 0; band < this.bands; band++) {
      const bucket = binarySearch(this.bucketKeys[band], this.key(signature, band));
      if (bucket < 0) continue;
      const members = this.members[band];
      const first = this.bucketStarts[band][bucket];
      // The documents before `doc` in its bucket; not among the first `bucketLimit`, it sees all of those.
      const size = lowerBound(members, first, this.bucketStarts[band][bucket + 1], doc) - first;
      if (size === 0) continue;
      this.firsts[band] = first;
      order[ranges++] = size * this.bands + band;
    }
    const sorted = order.subarray(0, ranges).sort();
    const found: number[] = [];
    this.stamp++;
    for (const range of sorted) {
      const band = range % this.bands;
      const members = this.members[band];
      const first = this.firsts[band];
      for (let at = first; at < first + (range - band) / this.bands; at++) {
        if (found.length >= limit) return found.sort((x, y) => x - y);
        if (this.seen[members[at]] === this.stamp) continue;
        this.seen[members[at]] = this.stamp;
        found.push(members[at]);
      }
    }
    return found.sort((x, y) => x - y);
  }
}

// First position in `sorted[from, to)` whose value is not below `value`.
function lowerBound(sorted: Uint32Array, from: number, to: number, value: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

// Index of `value` in a sorted array, or -1.
function binarySearch(sorted: Uint32Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low < sorted.length && sorted[low] === value ? low : -1;
}
