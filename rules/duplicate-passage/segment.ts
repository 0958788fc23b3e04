import type { TextLine } from '../../src/types.js';
import { hashString, hashSequence } from './minhash.js';

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
  /** Word hashes (case and quotes folded, punctuation dropped). */
  words: number[];
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
  words: number[];
  /** Hashes of the numbers in the text (figures, dates), in order. */
  numbers: number[];
  /** How many words hold a letter. */
  letterWords: number;
}

const blank = /^\s*$/;
const terminal = /[.!?:;"'”’)\]]\s*$/;
const listItem = /^\s*(?:[-*•·▪‣●◦]|\d{1,3}[.)])\s+/;
const word = /[\p{L}\p{N}]+/gu;
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

const letter = /\p{L}/u;
// A table row: columns aligned with runs of spaces inside a line.
const tableRow = /\S {3,}\S/;

/** Word hashes of `text[start, end)` (lower-cased runs of letters and digits), split into words with a letter and numbers. */
export function wordHashes(text: string, start: number, end: number): { all: number[]; lettered: number[]; numbers: number[] } {
  const all: number[] = [];
  const lettered: number[] = [];
  const numbers: number[] = [];
  const slice = text.slice(start, end).toLowerCase();
  for (const match of slice.matchAll(word)) {
    const hash = hashString(match[0]);
    all.push(hash);
    if (letter.test(match[0])) lettered.push(hash);
    else numbers.push(hash);
  }
  return { all, lettered, numbers };
}

/**
 * Split a text into paragraphs and sentences, with word hashes; `abbreviations` (lower case, no dot)
 * never end a sentence, and sentences matching an `artifacts` pattern are marked ignored.
 */
export function segment(text: string, lines: TextLine[], abbreviations: ReadonlySet<string>, artifacts: readonly RegExp[] = []): Segmented {
  const paragraphs = paragraphsOf(lines);
  const sentences: Sentence[] = [];
  const words: number[] = [];
  const numbers: number[] = [];
  let letterWords = 0;
  paragraphs.forEach((paragraph, index) => {
    const body = text.slice(paragraph.start, paragraph.end);
    const cuts: number[] = [0];
    for (const match of body.matchAll(sentenceEnd)) {
      const stop = match.index;
      const before = /([\p{L}.]+)$/u.exec(body.slice(Math.max(0, stop - 12), stop))?.[1] ?? '';
      const last = before.split('.').pop() ?? '';
      // "Mr.", "U.S.", "J." do not end a sentence.
      if (match[0].startsWith('.') && (abbreviations.has(last.toLowerCase()) || /^\p{Lu}$/u.test(last) || before.includes('.'))) continue;
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
      const { all: hashes, lettered, numbers: figures } = wordHashes(body, from, to);
      const quotes = piece.match(quoteChars)?.length ?? 0;
      const quoted = quoteDepth % 2 === 1 || /^["“«„]/.test(piece);
      quoteDepth += quotes;
      if (hashes.length === 0) continue;
      for (const hash of hashes) words.push(hash);
      for (const hash of figures) numbers.push(hash);
      letterWords += lettered.length;
      sentences.push({
        start: paragraph.start + from,
        end: paragraph.start + to,
        paragraph: index,
        words: hashes,
        key: hashSequence(hashes),
        letterWords: lettered.length,
        ignored: tableRow.test(piece) || artifacts.some((pattern) => pattern.test(piece)),
        quoted,
        whole: false,
      });
    }
  });
  for (let at = 0; at < sentences.length; at++) {
    const sentence = sentences[at];
    // The sentence before a credit in the same paragraph is its caption ("Storm damage on Sunday. Photo: …").
    const next = sentences[at + 1];
    if (next && next.paragraph === sentence.paragraph && next.ignored && !tableRow.test(text.slice(next.start, next.end))) sentence.ignored = true;
    sentence.whole =
      (at === 0 || sentences[at - 1].paragraph !== sentence.paragraph) &&
      (at + 1 === sentences.length || sentences[at + 1].paragraph !== sentence.paragraph);
  }
  return { paragraphs, sentences, words, numbers, letterWords };
}
