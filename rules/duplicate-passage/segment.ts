import type { TextLine } from '../../src/types.js';
import { hashSequence } from './minhash.js';

/** A paragraph: `[start, end)` from its first to its last non-space character. */
export interface Paragraph {
  start: number;
  end: number;
  /** A list item (bullet or numbered line). */
  list: boolean;
}

/** A sentence (or a heading line): the unit in which repeats are matched. */
export interface Sentence {
  start: number;
  end: number;
  paragraph: number;
  /** Word hashes (case and quotes folded, punctuation dropped): a view into the text's words. */
  words: Uint32Array;
  /** Index of its first word in the text's words. */
  firstWord: number;
  /** Hash of the word sequence. */
  key: number;
  /** Words that hold a letter (numbers and dates do not count towards sizes). */
  letterWords: number;
  /** A table row or a scraping artifact (embed, credit): never matched as a repeat. */
  ignored: boolean;
  /** Inside quotation marks (quoted speech). */
  quoted: boolean;
  /** The whole of its paragraph. */
  whole: boolean;
}

export interface Segmented {
  paragraphs: Paragraph[];
  sentences: Sentence[];
  /** Word hashes of the whole text, in order. */
  words: Uint32Array;
  /** Hashes of the numbers in the text (figures, dates), in order. */
  numbers: number[];
  /** How many words hold a letter. */
  letterWords: number;
}

const blank = /^\s*$/;
const terminal = /[.!?:;"'”’)\]]\s*$/;
const listItem = /^\s*(?:[-*•·▪‣●◦]|\d{1,3}[.)])\s+/;
// A sentence ends at . ! ? (with closing quotes or brackets) before a space and a capital, digit or opening quote.
const sentenceEnd = /[.!?…]+["'”’)\]]*(?=\s+["'“‘(\[]?[\p{Lu}\p{N}])/gu;
const quoteChars = /["“”«»„]/g;

/**
 * Whether the lines are hard-wrapped (newswire style): most lines that are followed by another
 * non-blank line stop without closing punctuation, and no line is long.
 */
export function isHardWrapped(lines: TextLine[]): boolean {
  let joined = 0;
  let open = 0;
  let longest = 0;
  for (let at = 0; at < lines.length; at++) {
    const text = lines[at].text;
    longest = Math.max(longest, text.length);
    if (blank.test(text) || at + 1 >= lines.length || blank.test(lines[at + 1].text)) continue;
    joined++;
    if (!terminal.test(text)) open++;
  }
  return joined >= 3 && open / joined >= 0.5 && longest <= 120;
}

/** Paragraphs of a text: blank-line separated, and one per line unless the text is hard-wrapped (then indented lines open one). */
export function paragraphsOf(lines: TextLine[]): Paragraph[] {
  const wrapped = isHardWrapped(lines);
  const paragraphs: Paragraph[] = [];
  let current: Paragraph | undefined;
  for (const line of lines) {
    if (blank.test(line.text)) {
      current = undefined;
      continue;
    }
    const lead = line.text.length - line.text.trimStart().length;
    const start = line.start + lead;
    const end = line.start + line.text.trimEnd().length;
    const opens = !current || !wrapped || lead > 0 || listItem.test(line.text);
    if (opens) {
      current = { start, end, list: listItem.test(line.text) };
      paragraphs.push(current);
    } else current!.end = end;
  }
  return paragraphs;
}

// A table row: columns aligned with runs of spaces inside a line.
const tableRow = /\S {3,}\S/;

// Character classes and lower case of UTF-16 code units, filled on first sight: 1 letter, 2 digit, 3 other.
const charClass = new Uint8Array(65536);
const lowerCase = new Uint16Array(65536);

function classify(code: number): number {
  let found = charClass[code];
  if (found === 0) {
    const char = String.fromCharCode(code);
    found = /\p{L}/u.test(char) ? 1 : /\p{N}/u.test(char) ? 2 : 3;
    const lower = char.toLowerCase();
    lowerCase[code] = lower.length === 1 ? lower.charCodeAt(0) : code;
    charClass[code] = found;
  }
  return found;
}

/** The words of a text, found in one pass over its code units: runs of letters and digits, hashed lower-cased. */
export interface Words {
  starts: Int32Array;
  hashes: Uint32Array;
  /** 1 when the word holds a letter, 0 for a number. */
  lettered: Uint8Array;
  count: number;
}

/** Scan `text` for words (FNV-1a of the lower-cased word), without allocating a string per word. */
export function scanWords(text: string): Words {
  let capacity = Math.max(16, text.length >> 2);
  let starts = new Int32Array(capacity);
  let hashes = new Uint32Array(capacity);
  let lettered = new Uint8Array(capacity);
  let count = 0;
  let at = 0;
  const length = text.length;
  while (at < length) {
    let kind = classify(text.charCodeAt(at));
    if (kind === 3) {
      at++;
      continue;
    }
    const start = at;
    let hash = 0x811c9dc5;
    let letters = 0;
    while (at < length && (kind = classify(text.charCodeAt(at))) !== 3) {
      if (kind === 1) letters = 1;
      hash ^= lowerCase[text.charCodeAt(at)];
      hash = Math.imul(hash, 0x01000193);
      at++;
    }
    if (count === capacity) {
      capacity *= 2;
      const grow = <T extends Int32Array | Uint32Array | Uint8Array>(old: T, next: T) => (next.set(old), next);
      starts = grow(starts, new Int32Array(capacity));
      hashes = grow(hashes, new Uint32Array(capacity));
      lettered = grow(lettered, new Uint8Array(capacity));
    }
    starts[count] = start;
    hashes[count] = hash >>> 0;
    lettered[count] = letters;
    count++;
  }
  return { starts, hashes, lettered, count };
}

/**
 * Split a text into paragraphs and sentences, with word hashes; `abbreviations` (lower case, no dot)
 * never end a sentence, and sentences matching `artifacts` are marked ignored.
 */
export function segment(text: string, lines: TextLine[], abbreviations: ReadonlySet<string>, artifacts?: RegExp): Segmented {
  const paragraphs = paragraphsOf(lines);
  const scanned = scanWords(text);
  const words = scanned.hashes.subarray(0, scanned.count);
  const sentences: Sentence[] = [];
  const numbers: number[] = [];
  let letterWords = 0;
  let next = 0;
  paragraphs.forEach((paragraph, index) => {
    const body = text.slice(paragraph.start, paragraph.end);
    const cuts: number[] = [0];
    for (const match of body.matchAll(sentenceEnd)) {
      const stop = match.index;
      if (match[0].startsWith('.')) {
        // "Mr.", "U.S.", "J." do not end a sentence.
        let from = stop;
        while (from > 0 && stop - from < 12 && classify(body.charCodeAt(from - 1)) === 1) from--;
        const last = body.slice(from, stop);
        if (abbreviations.has(last.toLowerCase()) || (last.length === 1 && last !== last.toLowerCase()) || body[from - 1] === '.') continue;
      }
      cuts.push(stop + match[0].length);
    }
    cuts.push(body.length);
    let quoteDepth = 0;
    for (let at = 0; at + 1 < cuts.length; at++) {
      let from = cuts[at];
      let to = cuts[at + 1];
      while (from < to && /\s/.test(body[from])) from++;
      while (to > from && /\s/.test(body[to - 1])) to--;
      if (from >= to) continue;
      const piece = body.slice(from, to);
      const quotes = piece.match(quoteChars)?.length ?? 0;
      const quoted = quoteDepth % 2 === 1 || /^["“«„]/.test(piece);
      quoteDepth += quotes;
      const start = paragraph.start + from;
      const end = paragraph.start + to;
      while (next < scanned.count && scanned.starts[next] < start) next++;
      const first = next;
      let lettered = 0;
      while (next < scanned.count && scanned.starts[next] < end) {
        if (scanned.lettered[next]) lettered++;
        else numbers.push(scanned.hashes[next]);
        next++;
      }
      if (next === first) continue;
      letterWords += lettered;
      const hashes = words.subarray(first, next);
      sentences.push({
        start,
        end,
        paragraph: index,
        words: hashes,
        firstWord: first,
        key: hashSequence(hashes),
        letterWords: lettered,
        ignored: tableRow.test(piece) || (artifacts?.test(piece) ?? false),
        quoted,
        whole: false,
      });
    }
  });
  for (let at = 0; at < sentences.length; at++) {
    const sentence = sentences[at];
    // The sentence before a credit in the same paragraph is its caption ("Storm damage on Sunday. Photo: …").
    const following = sentences[at + 1];
    if (following && following.paragraph === sentence.paragraph && following.ignored && !tableRow.test(text.slice(following.start, following.end))) sentence.ignored = true;
    sentence.whole =
      (at === 0 || sentences[at - 1].paragraph !== sentence.paragraph) &&
      (at + 1 === sentences.length || sentences[at + 1].paragraph !== sentence.paragraph);
  }
  return { paragraphs, sentences, words, numbers, letterWords };
}
