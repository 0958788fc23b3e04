import type { Paragraph, Sentence } from './segment.js';

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

/** Word-level edit distance, or `limit + 1` as soon as it must exceed `limit`. */
export function wordEditDistance(a: ArrayLike<number>, b: ArrayLike<number>, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, at) => at);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (current[j] < best) best = current[j];
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}

function sameWords(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let at = 0; at < a.length; at++) if (a[at] !== b[at]) return false;
  return true;
}

function wholeLines(sentences: Sentence[], from: number, to: number): boolean {
  for (let at = from; at <= to; at++) if (!sentences[at].whole) return false;
  return true;
}

function nearEnough(a: Sentence, b: Sentence, options: RepeatOptions): number | undefined {
  const changed = wordEditDistance(a.words, b.words, options.maxChangedWords);
  if (changed > options.maxChangedWords) return undefined;
  return 1 - changed / Math.max(a.words.length, b.words.length) >= options.nearSimilarity ? changed : undefined;
}

/**
 * Find repeated sentences, paragraphs and runs of them. Each sentence is matched to an earlier one:
 * the same words (exact after normalising), or, for long enough sentences, a few words changed.
 * Consecutive matches whose first copies are consecutive too form one run (one repeat).
 */
export function findRepeats(sentences: Sentence[], paragraphs: Paragraph[], options: RepeatOptions): Repeat[] {
  // Keys are cut to 30 bits (small integers are fast Map keys); a match is confirmed word by word.
  const byKey = new Map<number, number[]>();
  const byTrigram = new Map<number, number[]>();
  const matches: (Match | undefined)[] = [];
  const occurrences = new Map<number, number>();
  const trigramOf = (words: ArrayLike<number>, at: number) => (Math.imul(words[at], 31) + Math.imul(words[at + 1], 7) + words[at + 2]) & 0x3fffffff;
  for (let at = 0; at < sentences.length; at++) {
    const sentence = sentences[at];
    if (sentence.ignored) continue;
    const key = sentence.key & 0x3fffffff;
    occurrences.set(key, (occurrences.get(key) ?? 0) + 1);
    const previous = matches[at - 1];
    const aligned = previous && previous.first + 1 < at ? previous.first + 1 : undefined;
    const same = byKey.get(key)?.filter((other) => sameWords(sentences[other].words, sentence.words));
    const near = sentence.words.length >= options.nearMinWords && !paragraphs[sentence.paragraph].list;
    if (same?.length) {
      matches[at] = { first: aligned !== undefined && same.includes(aligned) ? aligned : same[0], changed: 0 };
    } else if (near) {
      const candidates = aligned !== undefined ? [aligned] : [];
      const shared = new Map<number, number>();
      for (let w = 0; w + 3 <= sentence.words.length; w++) {
        for (const other of byTrigram.get(trigramOf(sentence.words, w)) ?? []) shared.set(other, (shared.get(other) ?? 0) + 1);
      }
      candidates.push(...[...shared.entries()].sort((x, y) => y[1] - x[1]).slice(0, 3).map(([other]) => other));
      const tried = new Set<number>();
      for (const other of candidates) {
        if (tried.has(other)) continue;
        tried.add(other);
        if (paragraphs[sentences[other].paragraph].list || sentences[other].words.length < options.nearMinWords) continue;
        const changed = nearEnough(sentences[other], sentence, options);
        if (changed !== undefined) {
          matches[at] = { first: other, changed };
          break;
        }
      }
    }
    const list = byKey.get(key);
    if (list) list.push(at);
    else byKey.set(key, [at]);
    if (!near) continue;
    for (let w = 0; w + 3 <= sentence.words.length; w++) {
      const trigram = trigramOf(sentence.words, w);
      const found = byTrigram.get(trigram);
      if (!found) byTrigram.set(trigram, [at]);
      else if (found[found.length - 1] !== at) found.push(at);
    }
  }

  const repeats: Repeat[] = [];
  for (let at = 0; at < sentences.length; at++) {
    const match = matches[at];
    if (!match) continue;
    const run: Repeat = { from: at, to: at, firstFrom: match.first, firstTo: match.first, words: 0, tokens: 0, changed: match.changed };
    let longest = sentences[at].letterWords;
    run.words = longest;
    run.tokens = sentences[at].words.length;
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
          run.changed += sentences[run.to + 1].words.length;
          run.words += sentences[run.to + 1].letterWords;
          run.tokens += sentences[run.to + 1].words.length;
        } else if (gap === 2) run.changed += sentences[run.firstTo + 1].words.length;
        run.to += step;
        run.firstTo = next.first;
        run.words += sentences[run.to].letterWords;
        run.tokens += sentences[run.to].words.length;
        run.changed += next.changed;
        longest = Math.max(longest, sentences[run.to].letterWords);
        units++;
        extended = true;
      }
      if (!extended) break;
    }
    at = run.to;
    if (run.firstTo >= run.from) continue;
    if (run.words < options.minWords || longest < options.minWords) continue;
    if (sentences[run.to].end - sentences[run.from].start < options.minChars) continue;
    if (run.changed > 0 && 1 - run.changed / run.tokens < (units === 1 ? options.nearSimilarity : 0.6)) continue;
    // Short lines standing alone both times are list items or headings ("Cause of death: gunshot wound").
    if (longest < options.minLineWords && wholeLines(sentences, run.from, run.to) && wholeLines(sentences, run.firstFrom, run.firstTo)) continue;
    if (units === 1) {
      const sentence = sentences[run.from];
      // A sentence restated with a few words changed is usually the writer's; a near copy must be a whole paragraph.
      if (run.changed > 0 && !sentence.whole) continue;
      // A speaker repeating a line, or a refrain: quoted, inside a paragraph, or recurring three times or more.
      if (sentence.quoted && (!sentence.whole || (occurrences.get(sentence.key & 0x3fffffff) ?? 0) >= 3)) continue;
    }
    repeats.push(run);
  }
  return repeats;
}
