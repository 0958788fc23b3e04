import type { TextLine } from '../../src/types.js';
import { grown } from '../../src/typed-arrays.js';
import { hashSequence } from './minhash.js';

/** A paragraph: `[start, end)` from its first to its last non-space character. */
export interface Paragraph {
  start: number;
  end: number;
  /** A list item (bullet or numbered line). */
  list: boolean;
}

/**
 * The sentences (or heading lines) of a text, the units in which repeats are matched, as parallel
 * typed arrays indexed by sentence (the first `count` entries): no object or word view per sentence.
 */
export interface Sentences {
  count: number;
  start: Int32Array;
  end: Int32Array;
  paragraph: Int32Array;
  /** Index of the sentence's first word in the text's words. */
  firstWord: Int32Array;
  /** Number of words (case and quotes folded, punctuation dropped). */
  wordCount: Int32Array;
  /** Hash of the word sequence. */
  key: Uint32Array;
  /** Words that hold a letter (numbers and dates do not count towards sizes). */
  letterWords: Int32Array;
  /** SentenceFlag bits. */
  flags: Uint8Array;
}

export const SentenceFlag = {
  /** A table row or a scraping artifact (embed, credit): never matched as a repeat. */
  Ignored: 1,
  /** Inside quotation marks (quoted speech). */
  Quoted: 2,
  /** The whole of its paragraph. */
  Whole: 4,
} as const;

/**
 * A text's paragraphs, sentences and words. The typed arrays are buffers reused by the next call of
 * `segment` (a text's segments are used up before the next text is segmented): freeing thousands of
 * small buffers per second was the bulk of the garbage collector's work.
 */
export interface Segmented {
  paragraphs: Paragraph[];
  sentences: Sentences;
  /** Word hashes of the whole text, in order. */
  words: Uint32Array;
  /** Hashes of the numbers in the text (figures, dates), in order. */
  numbers: Uint32Array;
  /** How many words hold a letter. */
  letterWords: number;
  /** Whether a word holds a character beyond ASCII. */
  wide: boolean;
  /** Hash of the text as it stands (see `Words`). */
  textHash: number;
}

const listItem = /^\s*(?:[-*•·▪‣●◦]|\d{1,3}[.)])\s+/;
// A sentence ends at a run of . ! ? … (then closing quotes or brackets) before a space and a capital,
// digit or opening quote: /[.!?…]+["'”’)\]]*(?=\s+["'“‘(\[]?[\p{Lu}\p{N}])/u, scanned by hand with
// a table of character flags because the regex, run per paragraph, was the rule's top cost.
const Char = { Terminator: 1, Closer: 2, Opener: 4, Space: 8, Quote: 16, OpeningQuote: 32, LineEnd: 64, ListOpener: 128 } as const;
const charFlags = new Uint8Array(65536);
const flag = (chars: string, bit: number) => {
  for (const char of chars) charFlags[char.charCodeAt(0)] |= bit;
};
flag('.!?…', Char.Terminator);
flag('"\'”’)]', Char.Closer);
flag('"\'“‘([', Char.Opener);
// What \s matches in JavaScript.
flag('\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff', Char.Space);
flag('"“”«»„', Char.Quote);
flag('"“«„', Char.OpeningQuote);
// A line ending in one of these is closed (see isHardWrapped); a list item starts with one of these.
flag('.!?:;"\'”’)]', Char.LineEnd);
flag('-*•·▪‣●◦0123456789', Char.ListOpener);
const isSpace = (code: number) => (charFlags[code] & Char.Space) !== 0;

// Offset of the first non-space character of a line (its length when blank), and after the last one.
function leadOf(text: string): number {
  let at = 0;
  while (at < text.length && isSpace(text.charCodeAt(at))) at++;
  return at;
}

function trailOf(text: string): number {
  let at = text.length;
  while (at > 0 && isSpace(text.charCodeAt(at - 1))) at--;
  return at;
}

const isBlank = (text: string) => leadOf(text) === text.length;

// A list item opens with a bullet or a number: the regex runs only on lines that do.
function isListItem(text: string, lead: number): boolean {
  const code = text.charCodeAt(lead);
  return (charFlags[code] & Char.ListOpener) !== 0 && listItem.test(text);
}

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
    if (isBlank(text) || at + 1 >= lines.length || isBlank(lines[at + 1].text)) continue;
    joined++;
    if (!(charFlags[text.charCodeAt(trailOf(text) - 1)] & Char.LineEnd)) open++;
  }
  return joined >= 3 && open / joined >= 0.5 && longest <= 120;
}

/** Paragraphs of a text: blank-line separated, and one per line unless the text is hard-wrapped (then indented lines open one). */
export function paragraphsOf(lines: TextLine[]): Paragraph[] {
  const wrapped = isHardWrapped(lines);
  const paragraphs: Paragraph[] = [];
  let current: Paragraph | undefined;
  for (const line of lines) {
    const lead = leadOf(line.text);
    if (lead === line.text.length) {
      current = undefined;
      continue;
    }
    const start = line.start + lead;
    const end = line.start + trailOf(line.text);
    const list = isListItem(line.text, lead);
    if (!current || !wrapped || lead > 0 || list) {
      current = { start, end, list };
      paragraphs.push(current);
    } else current.end = end;
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

/**
 * The words of a text, found in one pass over its code units: runs of letters and digits, hashed
 * lower-cased. The arrays are views of buffers reused by the next call.
 */
export interface Words {
  starts: Int32Array;
  hashes: Uint32Array;
  /** 1 when the word holds a letter, 0 for a number. */
  lettered: Uint8Array;
  count: number;
  /** Offsets of the sentence terminators and quotation marks (see `Char`), in order. */
  marks: Int32Array;
  /** Whether a word holds a character beyond ASCII. */
  wide: boolean;
  /** FNV-1a hash of every code unit of the text: tells byte-identical texts apart from merely similar ones. */
  textHash: number;
}

// Scratch buffers of scanWords, grown as needed: a text's word offsets are dropped once it is segmented.
let startsBuffer = new Int32Array(4096);
let hashesBuffer = new Uint32Array(4096);
let letteredBuffer = new Uint8Array(4096);
let marksBuffer = new Int32Array(4096);

/** Scan `text` for words (FNV-1a of the lower-cased word) and marks, without allocating a string per word. */
export function scanWords(text: string): Words {
  // Locals, not the module's buffers, in the loop: V8 keeps them in registers.
  let starts = startsBuffer;
  let hashes = hashesBuffer;
  let lettered = letteredBuffer;
  let marks = marksBuffer;
  const classes = charClass;
  const lower = lowerCase;
  const flags = charFlags;
  let count = 0;
  let markCount = 0;
  let bits = 0;
  let textHash = 0x811c9dc5;
  let at = 0;
  const length = text.length;
  while (at < length) {
    const code = text.charCodeAt(at);
    let kind = classes[code] || classify(code);
    if (kind === 3) {
      textHash = Math.imul(textHash ^ code, 0x01000193);
      if (flags[code] & (Char.Terminator | Char.Quote)) {
        if (markCount === marks.length) marks = marksBuffer = grown(marks, markCount * 2);
        marks[markCount++] = at;
      }
      at++;
      continue;
    }
    const start = at;
    let hash = 0x811c9dc5;
    let letters = 0;
    while (at < length) {
      const char = text.charCodeAt(at);
      kind = classes[char] || classify(char);
      if (kind === 3) break;
      letters |= kind & 1;
      bits |= char;
      hash = Math.imul(hash ^ lower[char], 0x01000193);
      textHash = Math.imul(textHash ^ char, 0x01000193);
      at++;
    }
    if (count === starts.length) {
      starts = startsBuffer = grown(starts, count * 2);
      hashes = hashesBuffer = grown(hashes, count * 2);
      lettered = letteredBuffer = grown(lettered, count * 2);
    }
    starts[count] = start;
    hashes[count] = hash;
    lettered[count] = letters;
    count++;
  }
  return {
    starts: starts.subarray(0, count),
    hashes: hashes.subarray(0, count),
    lettered: lettered.subarray(0, count),
    count,
    marks: marks.subarray(0, markCount),
    wide: bits >= 128,
    textHash: textHash >>> 0,
  };
}

/** Offset of word `word` of a segmented text: found again from the start of its sentence, since words are kept without their offsets. */
export function wordStart(text: string, segmented: Segmented, word: number): number {
  const { firstWord, start, count } = segmented.sentences;
  // The last sentence starting at or before the word: every word lies in a sentence.
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if (firstWord[middle] <= word) low = middle;
    else high = middle - 1;
  }
  let at = start[low];
  for (let skip = word - firstWord[low]; ; skip--) {
    while (at < text.length && classify(text.charCodeAt(at)) === 3) at++;
    if (skip === 0) return at;
    while (at < text.length && classify(text.charCodeAt(at)) !== 3) at++;
  }
}

// Whether a code point is an upper-case letter or a number (\p{Lu} or \p{N}), filled on first sight for the BMP: 1 yes, 2 no.
const capitalOrNumber = new Uint8Array(65536);
const capitalOrNumberPattern = /^[\p{Lu}\p{N}]$/u;

function isCapitalOrNumber(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  if (code >= 0xd800 && code <= 0xdbff) return capitalOrNumberPattern.test(String.fromCodePoint(text.codePointAt(at)!));
  if (capitalOrNumber[code] === 0) capitalOrNumber[code] = capitalOrNumberPattern.test(String.fromCharCode(code)) ? 1 : 2;
  return capitalOrNumber[code] === 1;
}

/**
 * Where the sentences of `text[start, end)` end: offsets just after each sentence end (see `Char`),
 * abbreviations skipped. `marks` from `mark` on are the text's terminator and quote offsets.
 */
function sentenceCuts(text: string, start: number, end: number, abbreviations: ReadonlySet<string>, marks: Int32Array, mark: number, cuts: number[]): void {
  let at = start;
  for (; mark < marks.length && marks[mark] < end; mark++) {
    if (marks[mark] < at || (charFlags[text.charCodeAt(marks[mark])] & Char.Terminator) === 0) continue;
    // Both runs are taken whole: a shorter match would stand before a terminator or closer, never before a space.
    const stop = marks[mark];
    at = stop;
    while (at < end && charFlags[text.charCodeAt(at)] & Char.Terminator) at++;
    while (at < end && charFlags[text.charCodeAt(at)] & Char.Closer) at++;
    let next = at;
    while (next < end && isSpace(text.charCodeAt(next))) next++;
    if (next === at || next >= end) continue;
    if (!isCapitalOrNumber(text, next) && !((charFlags[text.charCodeAt(next)] & Char.Opener) !== 0 && next + 1 < end && isCapitalOrNumber(text, next + 1))) continue;
    if (text.charCodeAt(stop) === 46) {
      // "Mr.", "U.S.", "J." do not end a sentence.
      let from = stop;
      while (from > start && stop - from < 12 && classify(text.charCodeAt(from - 1)) === 1) from--;
      const last = text.slice(from, stop);
      if (abbreviations.has(last.toLowerCase()) || (last.length === 1 && last !== last.toLowerCase()) || (from > start && text.charCodeAt(from - 1) === 46)) continue;
    }
    cuts.push(at);
  }
}

/** Growable parallel arrays of sentences, refilled for each text. */
class SentenceBuilder implements Sentences {
  count = 0;
  start: Int32Array;
  end: Int32Array;
  paragraph: Int32Array;
  firstWord: Int32Array;
  wordCount: Int32Array;
  key: Uint32Array;
  letterWords: Int32Array;
  flags: Uint8Array;

  constructor(capacity: number) {
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.paragraph = new Int32Array(capacity);
    this.firstWord = new Int32Array(capacity);
    this.wordCount = new Int32Array(capacity);
    this.key = new Uint32Array(capacity);
    this.letterWords = new Int32Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  reset(): void {
    this.count = 0;
  }

  add(start: number, end: number, paragraph: number, firstWord: number, wordCount: number, key: number, letterWords: number, flags: number): void {
    if (this.count === this.start.length) this.grow();
    const at = this.count++;
    this.start[at] = start;
    this.end[at] = end;
    this.paragraph[at] = paragraph;
    this.firstWord[at] = firstWord;
    this.wordCount[at] = wordCount;
    this.key[at] = key;
    this.letterWords[at] = letterWords;
    this.flags[at] = flags;
  }

  private grow(): void {
    const size = this.start.length * 2;
    this.start = grown(this.start, size);
    this.end = grown(this.end, size);
    this.paragraph = grown(this.paragraph, size);
    this.firstWord = grown(this.firstWord, size);
    this.wordCount = grown(this.wordCount, size);
    this.key = grown(this.key, size);
    this.letterWords = grown(this.letterWords, size);
    this.flags = grown(this.flags, size);
  }
}

const sentenceBuilder = new SentenceBuilder(256);
let numbersBuffer = new Uint32Array(1024);

/**
 * Split a text into paragraphs and sentences, with word hashes; `abbreviations` (lower case, no dot)
 * never end a sentence, and sentences matching `artifacts` are marked ignored.
 */
export function segment(text: string, lines: TextLine[], abbreviations: ReadonlySet<string>, artifacts?: RegExp): Segmented {
  const paragraphs = paragraphsOf(lines);
  const scanned = scanWords(text);
  const words = scanned.hashes;
  const sentences = sentenceBuilder;
  sentences.reset();
  // No run of three spaces, no table row: the regex is tested only on texts that have one.
  const mayHaveTable = text.includes('   ');
  const { marks } = scanned;
  const cuts: number[] = [];
  let next = 0;
  let mark = 0;
  paragraphs.forEach((paragraph, index) => {
    while (mark < marks.length && marks[mark] < paragraph.start) mark++;
    cuts.length = 0;
    cuts.push(paragraph.start);
    sentenceCuts(text, paragraph.start, paragraph.end, abbreviations, marks, mark, cuts);
    cuts.push(paragraph.end);
    let quoteDepth = 0;
    for (let at = 0; at + 1 < cuts.length; at++) {
      let start = cuts[at];
      let end = cuts[at + 1];
      while (start < end && isSpace(text.charCodeAt(start))) start++;
      while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
      if (start >= end) continue;
      let quotes = 0;
      while (mark < marks.length && marks[mark] < start) mark++;
      for (let quote = mark; quote < marks.length && marks[quote] < end; quote++) if (charFlags[text.charCodeAt(marks[quote])] & Char.Quote) quotes++;
      const quoted = quoteDepth % 2 === 1 || (charFlags[text.charCodeAt(start)] & Char.OpeningQuote) !== 0;
      quoteDepth += quotes;
      while (next < scanned.count && scanned.starts[next] < start) next++;
      const first = next;
      let lettered = 0;
      while (next < scanned.count && scanned.starts[next] < end) lettered += scanned.lettered[next++];
      if (next === first) continue;
      const piece = text.slice(start, end);
      const ignored = (mayHaveTable && tableRow.test(piece)) || (artifacts?.test(piece) ?? false);
      const flags = (ignored ? SentenceFlag.Ignored : 0) | (quoted ? SentenceFlag.Quoted : 0);
      sentences.add(start, end, index, first, next - first, hashSequence(words, first, next), lettered, flags);
    }
  });
  const { paragraph, flags } = sentences;
  for (let at = 0; at < sentences.count; at++) {
    // The sentence before a credit in the same paragraph is its caption ("Storm damage on Sunday. Photo: …").
    const following = at + 1;
    if (
      following < sentences.count &&
      paragraph[following] === paragraph[at] &&
      flags[following] & SentenceFlag.Ignored &&
      !(mayHaveTable && tableRow.test(text.slice(sentences.start[following], sentences.end[following])))
    )
      flags[at] |= SentenceFlag.Ignored;
    if ((at === 0 || paragraph[at - 1] !== paragraph[at]) && (following === sentences.count || paragraph[following] !== paragraph[at])) flags[at] |= SentenceFlag.Whole;
  }
  let letterWords = 0;
  let numberCount = 0;
  for (let at = 0; at < scanned.count; at++) {
    letterWords += scanned.lettered[at];
    if (!scanned.lettered[at]) numberCount++;
  }
  // Every word lies in a paragraph, so the numbers are all the words without a letter.
  if (numbersBuffer.length < numberCount) numbersBuffer = new Uint32Array(2 * numberCount);
  const numbers = numbersBuffer.subarray(0, numberCount);
  for (let at = 0, found = 0; at < scanned.count; at++) if (!scanned.lettered[at]) numbers[found++] = words[at];
  return { paragraphs, sentences, words, numbers, letterWords, wide: scanned.wide, textHash: scanned.textHash };
}
