import { SentenceFlag, type Segmented, type Sentences } from './segment.js';

/** Thresholds for repeats inside a document. */
export interface RepeatOptions {
  minWords: number;
  minChars: number;
  nearMinWords: number;
  maxChangedWords: number;
  nearSimilarity: number;
  minLineWords: number;
}

/** A repeated passage: sentences `[from, to]` repeat sentences `[firstFrom, firstTo]`. */
export interface Repeat {
  from: number;
  to: number;
  firstFrom: number;
  firstTo: number;
  /** Words that hold a letter, in the second copy. */
  words: number;
  /** All words of the second copy, numbers included. */
  tokens: number;
  /** Words changed (substituted, inserted or deleted) between the two copies. */
  changed: number;
}

interface Match {
  first: number;
  changed: number;
}

// Two rows of wordEditDistance, reused.
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/**
 * Word-level edit distance, or `limit + 1` as soon as it must exceed `limit`. Only the cells within
 * `limit` of the diagonal are computed (Ukkonen's band): any path leaving the band costs more.
 */
export function wordEditDistance(a: ArrayLike<number>, b: ArrayLike<number>, limit: number): number {
  const over = limit + 1;
  if (Math.abs(a.length - b.length) > limit) return over;
  if (rowA.length <= b.length + 1) {
    rowA = new Int32Array(2 * (b.length + 2));
    rowB = new Int32Array(2 * (b.length + 2));
  }
  let previous = rowA;
  let current = rowB;
  for (let j = 0; j <= Math.min(b.length, limit + 1); j++) previous[j] = Math.min(j, over);
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - limit);
    const to = Math.min(b.length, i + limit);
    current[from - 1] = from === 1 ? Math.min(i, over) : over;
    let best = current[from - 1];
    for (let j = from; j <= to; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost, over);
      current[j] = value;
      if (value < best) best = value;
    }
    if (to < b.length) current[to + 1] = over;
    if (best > limit) return over;
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

function sameWords(words: Uint32Array, a: number, b: number, length: number): boolean {
  for (let at = 0; at < length; at++) if (words[a + at] !== words[b + at]) return false;
  return true;
}

function wholeLines(sentences: Sentences, from: number, to: number): boolean {
  for (let at = from; at <= to; at++) if (!(sentences.flags[at] & SentenceFlag.Whole)) return false;
  return true;
}

const trigramOf = (words: Uint32Array, at: number) => (Math.imul(words[at], 31) + Math.imul(words[at + 1], 7) + words[at + 2]) & 0x3fffffff;

/**
 * The trigram keys of the sentences that may be matched with words changed (long enough, not in a
 * list; ignored ones included), in an open-addressing table of typed arrays reused across texts,
 * each marked when it is found in two or more of them. Only marked trigrams can lead to an earlier
 * sentence; and with at most `maxChangedWords` edits, each spoiling at most three trigrams, a near
 * match keeps all but 3 × maxChangedWords of a sentence's trigrams, all of them marked.
 */
class TrigramTable {
  private keys = new Int32Array(1024);
  private owners = new Int32Array(1024);
  private shared = new Uint8Array(1024);
  /** Slot of the trigram starting at each word of the sentences filled in. */
  private slots = new Int32Array(1024);
  private mask = 1023;

  fill(words: Uint32Array, sentences: Sentences, nearOnes: number[]): void {
    let total = 0;
    for (const at of nearOnes) total += sentences.wordCount[at] - 2;
    let size = 1024;
    while (size < 2 * total) size *= 2;
    if (size > this.keys.length) {
      this.keys = new Int32Array(size);
      this.owners = new Int32Array(size);
      this.shared = new Uint8Array(size);
    } else {
      this.keys.fill(0, 0, size);
      this.shared.fill(0, 0, size);
    }
    if (this.slots.length < words.length) this.slots = new Int32Array(2 * words.length);
    const { keys, owners, shared, slots } = this;
    const mask = size - 1;
    for (const at of nearOnes) {
      const first = sentences.firstWord[at];
      for (let w = first; w + 3 <= first + sentences.wordCount[at]; w++) {
        const trigram = trigramOf(words, w);
        let slot = (Math.imul(trigram, 0x9e3779b1) >>> 0) & mask;
        while (keys[slot] !== 0 && keys[slot] !== trigram + 1) slot = (slot + 1) & mask;
        if (keys[slot] === 0) {
          keys[slot] = trigram + 1;
          owners[slot] = at;
        } else if (owners[slot] !== at) shared[slot] = 1;
        slots[w] = slot;
      }
    }
  }

  /** The slot of the trigram starting at word `w` (of a sentence filled in) when it is marked, else -1. */
  sharedAt(w: number): number {
    const slot = this.slots[w];
    return this.shared[slot] === 1 ? slot : -1;
  }
}

const trigramTable = new TrigramTable();

function nearEnough(words: Uint32Array, sentences: Sentences, a: number, b: number, options: RepeatOptions): number | undefined {
  const aFirst = sentences.firstWord[a];
  const bFirst = sentences.firstWord[b];
  const aLength = sentences.wordCount[a];
  const bLength = sentences.wordCount[b];
  const changed = wordEditDistance(words.subarray(aFirst, aFirst + aLength), words.subarray(bFirst, bFirst + bLength), options.maxChangedWords);
  if (changed > options.maxChangedWords) return undefined;
  return 1 - changed / Math.max(aLength, bLength) >= options.nearSimilarity ? changed : undefined;
}

/**
 * Find repeated sentences, paragraphs and runs of them. Each sentence is matched to an earlier one:
 * the same words (exact after normalising), or, for long enough sentences, a few words changed.
 * Consecutive matches whose first copies are consecutive too form one run (one repeat).
 */
export function findRepeats(segmented: Segmented, options: RepeatOptions): Repeat[] {
  const { sentences, paragraphs, words } = segmented;
  const { wordCount, firstWord, flags, letterWords } = sentences;
  const count = sentences.count;
  const ignored = (at: number) => (flags[at] & SentenceFlag.Ignored) !== 0;
  const nearSized = (at: number) => wordCount[at] >= options.nearMinWords && !paragraphs[sentences.paragraph[at]].list;
  // Keys are cut to 30 bits (small integers are fast Map keys); a match is confirmed word by word.
  // A key seen once maps to its sentence, a key seen again to the list of its sentences.
  const byKey = new Map<number, number | number[]>();
  const nearOnes: number[] = [];
  for (let at = 0; at < count; at++) if (nearSized(at)) nearOnes.push(at);
  // Skipping sentences with too few marked trigrams is exact only when edits cannot spoil them all (see TrigramTable).
  const gated = options.nearMinWords >= 3 * options.maxChangedWords + 3;
  if (nearOnes.length >= 2) trigramTable.fill(words, sentences, nearOnes);
  const sharedAt = (w: number) => (nearOnes.length >= 2 ? trigramTable.sharedAt(w) : -1);
  // Earlier sentences by the table slot of each marked trigram they hold.
  const byTrigram = new Map<number, number[]>();
  const matches: (Match | undefined)[] = new Array(count);
  for (let at = 0; at < count; at++) {
    if (ignored(at)) continue;
    const key = sentences.key[at] & 0x3fffffff;
    const previous = matches[at - 1];
    const aligned = previous && previous.first + 1 < at ? previous.first + 1 : undefined;
    const length = wordCount[at];
    const first = firstWord[at];
    const same = byKey.get(key);
    // The first earlier sentence with the same words, or the aligned one when it has them too.
    let sameFirst: number | undefined;
    const isSame = (other: number) => wordCount[other] === length && sameWords(words, firstWord[other], first, length);
    if (typeof same === 'number') sameFirst = isSame(same) ? same : undefined;
    else if (same) {
      for (const other of same) {
        if (!isSame(other)) continue;
        sameFirst ??= other;
        if (other === aligned) {
          sameFirst = other;
          break;
        }
      }
    }
    const near = nearSized(at);
    let sharedTrigrams = 0;
    if (near) for (let w = first; w + 3 <= first + length; w++) if (sharedAt(w) >= 0) sharedTrigrams++;
    const mayMatch = !gated || (sharedTrigrams > 0 && sharedTrigrams >= length - 2 - 3 * options.maxChangedWords);
    if (sameFirst !== undefined) {
      matches[at] = { first: sameFirst, changed: 0 };
    } else if (near && mayMatch) {
      const candidates = aligned !== undefined ? [aligned] : [];
      const sharing = new Map<number, number>();
      for (let w = first; w + 3 <= first + length; w++) {
        const slot = sharedAt(w);
        if (slot < 0) continue;
        for (const other of byTrigram.get(slot) ?? []) sharing.set(other, (sharing.get(other) ?? 0) + 1);
      }
      candidates.push(...[...sharing.entries()].sort((x, y) => y[1] - x[1]).slice(0, 3).map(([other]) => other));
      const tried = new Set<number>();
      for (const other of candidates) {
        if (tried.has(other)) continue;
        tried.add(other);
        if (!nearSized(other)) continue;
        const changed = nearEnough(words, sentences, other, at, options);
        if (changed !== undefined) {
          matches[at] = { first: other, changed };
          break;
        }
      }
    }
    if (same === undefined) byKey.set(key, at);
    else if (typeof same === 'number') byKey.set(key, [same, at]);
    else same.push(at);
    if (sharedTrigrams === 0) continue;
    for (let w = first; w + 3 <= first + length; w++) {
      const slot = sharedAt(w);
      if (slot < 0) continue;
      const found = byTrigram.get(slot);
      if (!found) byTrigram.set(slot, [at]);
      else if (found[found.length - 1] !== at) found.push(at);
    }
  }
  const occurrences = (at: number) => {
    const same = byKey.get(sentences.key[at] & 0x3fffffff);
    return same === undefined ? 0 : typeof same === 'number' ? 1 : same.length;
  };

  const repeats: Repeat[] = [];
  for (let at = 0; at < count; at++) {
    const match = matches[at];
    if (!match) continue;
    const run: Repeat = { from: at, to: at, firstFrom: match.first, firstTo: match.first, words: 0, tokens: 0, changed: match.changed };
    let longest = letterWords[at];
    run.words = longest;
    run.tokens = wordCount[at];
    let units = 1;
    for (;;) {
      // The next match continues the run when both copies advance together, allowing one unmatched sentence on either side.
      let extended = false;
      for (let step = 1; step <= 2 && !extended; step++) {
        const next = matches[run.to + step];
        if (!next) continue;
        const gap = next.first - run.firstTo;
        if (gap < 1 || gap > 2 || next.first >= run.from) continue;
        if (step === 2) {
          run.changed += wordCount[run.to + 1];
          run.words += letterWords[run.to + 1];
          run.tokens += wordCount[run.to + 1];
        } else if (gap === 2) run.changed += wordCount[run.firstTo + 1];
        run.to += step;
        run.firstTo = next.first;
        run.words += letterWords[run.to];
        run.tokens += wordCount[run.to];
        run.changed += next.changed;
        longest = Math.max(longest, letterWords[run.to]);
        units++;
        extended = true;
      }
      if (!extended) break;
    }
    at = run.to;
    if (run.firstTo >= run.from) continue;
    if (run.words < options.minWords || longest < options.minWords) continue;
    if (sentences.end[run.to] - sentences.start[run.from] < options.minChars) continue;
    if (run.changed > 0 && 1 - run.changed / run.tokens < (units === 1 ? options.nearSimilarity : 0.6)) continue;
    // Short lines standing alone both times are list items or headings ("Cause of death: gunshot wound").
    if (longest < options.minLineWords && wholeLines(sentences, run.from, run.to) && wholeLines(sentences, run.firstFrom, run.firstTo)) continue;
    if (units === 1) {
      const whole = (flags[run.from] & SentenceFlag.Whole) !== 0;
      // A sentence restated with a few words changed is usually the writer's; a near copy must be a whole paragraph.
      if (run.changed > 0 && !whole) continue;
      // A speaker repeating a line, or a refrain: quoted, inside a paragraph, or recurring three times or more.
      if (flags[run.from] & SentenceFlag.Quoted && (!whole || occurrences(run.from) >= 3)) continue;
    }
    repeats.push(run);
  }
  return repeats;
}
