import retextRepeatedWords from 'retext-repeated-words';
import { VFile } from 'vfile';
import { location } from 'vfile-location';
import { parseEnglish } from '../src/context.js';
import { defineRule } from '../src/rule.js';
import { letterOrDigitWidth, type Span } from '../src/text-index.js';
import type { RuleContext } from '../src/types.js';

interface Options {
  /** Words that may legitimately stand twice in a row, besides retext-repeated-words' own list. */
  allow: string[];
}

// Words retext-repeated-words itself lets stand twice ("had had", "that that").
const RETEXT_ALLOWED = new Set(['had', 'that', 'can', 'blah', 'beep', 'yadda', 'sapiens', 'tse', 'mau']);

// Hand-written scan instead of a back-referencing regex: ~5x faster, and this runs on every document.
// ASCII character classes: letter or digit, white space, joiner (joins two word parts into one word,
// as retext merges them: don't, long-term, B&H, U.S), anything else.
const WORD = 1;
const SPACE = 2;
const JOINER = 3;
const OTHER = 0;
const ASCII_CLASS = new Uint8Array(128).map((_, code) => {
  const char = String.fromCharCode(code);
  return /[A-Za-z0-9]/.test(char) ? WORD : /\s/.test(char) ? SPACE : "'&.-".includes(char) ? JOINER : OTHER;
});
const WHITE_SPACE = /^\s$/;

function sameWord(text: string, a: number, aEnd: number, b: number, bEnd: number): boolean {
  if (aEnd - a !== bEnd - b) return false;
  for (let offset = 0; offset < aEnd - a; offset++) {
    const x = text.charCodeAt(a + offset);
    const y = text.charCodeAt(b + offset);
    if (x === y) continue;
    if (x < 128 && y < 128) {
      if ((x | 0x20) !== (y | 0x20) || (x | 0x20) < 0x61 || (x | 0x20) > 0x7a) return false;
      continue;
    }
    return text.slice(a, aEnd).toLowerCase() === text.slice(b, bEnd).toLowerCase();
  }
  return true;
}

/** Whether retext-repeated-words lets a word stand twice for its case: "Duran Duran", "10 10" (capitalised or caseless head, lower-case tail). */
function isCapitalised(word: string): boolean {
  const head = word.charAt(0);
  if (head !== head.toUpperCase()) return false;
  const tail = word.slice(1);
  return tail === tail.toLowerCase();
}

/**
 * Offsets of the first word of each doubled pair: a word followed, across white space only (and a
 * full stop right after the first), by the same word in any case, unless retext-repeated-words lets
 * that word stand twice (its list, a capitalised second word) or it is in `skip`. A superset of what
 * retext-repeated-words finds.
 */
export function doubledWordCandidates(text: string, skip: ReadonlySet<string> = new Set()): number[] {
  const found: number[] = [];
  const length = text.length;
  let previous = -1;
  let previousEnd = -1;
  let at = 0;
  while (at < length) {
    let code = text.charCodeAt(at);
    // Between words: white space keeps the previous word, anything else forgets it.
    if (code < 128 ? ASCII_CLASS[code] !== WORD : letterOrDigitWidth(text, at, code) === 0) {
      if (code < 128 ? ASCII_CLASS[code] !== SPACE : !WHITE_SPACE.test(text[at])) previous = -1;
      at++;
      continue;
    }
    const start = at;
    while (at < length) {
      code = text.charCodeAt(at);
      if (code < 128) {
        const kind = ASCII_CLASS[code];
        if (kind === WORD) at++;
        else if (kind === JOINER && at + 1 < length && letterOrDigitWidth(text, at + 1, text.charCodeAt(at + 1)) > 0) at++;
        else break;
      } else {
        const width = letterOrDigitWidth(text, at, code);
        if (width > 0) at += width;
        else if (code === 0x2019 && at + 1 < length && letterOrDigitWidth(text, at + 1, text.charCodeAt(at + 1)) > 0) at++;
        else break;
      }
    }
    if (previous >= 0 && sameWord(text, previous, previousEnd, start, at)) {
      const word = text.slice(start, at);
      const lower = word.toLowerCase();
      if (!skip.has(lower) && !RETEXT_ALLOWED.has(lower) && !isCapitalised(word)) found.push(previous);
    }
    previous = start;
    previousEnd = at;
    // retext-english keeps the full stop of an initialism ("N.A. N.A."): one after a word does not part it from the next.
    if (at < length && text.charCodeAt(at) === 0x2e) at++;
  }
  return found;
}

// retext-english never continues a sentence across white space holding two line breaks (parse-latin's break-implicit-sentences).
const BLOCK_BREAK = /(?:\r\n|\r|\n)(?:[^\S\r\n]*(?:\r\n|\r|\n))+/g;

/** Spans of text between blank lines that hold a doubled word not allowed anyway: the only parts worth parsing. */
export function blocksWithCandidates(text: string, allowed: ReadonlySet<string> = new Set(), candidates = doubledWordCandidates(text, allowed)): Span[] {
  const blocks: Span[] = [];
  if (candidates.length === 0) return blocks;
  let start = 0;
  let next = 0;
  const close = (end: number) => {
    if (next < candidates.length && candidates[next] < end) blocks.push({ start, end });
    while (next < candidates.length && candidates[next] < end) next++;
  };
  for (const found of text.matchAll(BLOCK_BREAK)) {
    close(found.index);
    if (next === candidates.length) return blocks;
    start = found.index + found[0].length;
  }
  close(text.length);
  return blocks;
}

const allowedByOptions = new WeakMap<Options, Set<string>>();

function allowedWords(options: Options): Set<string> {
  let allowed = allowedByOptions.get(options);
  if (!allowed) allowedByOptions.set(options, (allowed = new Set(options.allow.map((word) => word.toLowerCase()))));
  return allowed;
}

const transform = retextRepeatedWords() as unknown as (tree: unknown, file: VFile) => void;

/** Repeated words ("to to", "the the"), found by retext-repeated-words. */
export default defineRule<Options>({
  meta: {
    id: 'repeated-words',
    description: 'A word repeated by mistake ("to to"), found by retext-repeated-words.',
    url: 'https://github.com/corpus-lint/corpus-lint#repeated-words',
    defaultSeverity: 'warn',
    messages: {
      repeated: 'Unexpected repeated `{{word}}`, expected it once',
    },
    schema: {
      type: 'object',
      properties: { allow: { type: 'array', items: { type: 'string' }, default: [] } },
      additionalProperties: false,
    },
  },
  check(context) {
    const { text } = context;
    const allowed = allowedWords(context.options);
    const candidates = doubledWordCandidates(text, allowed);
    if (candidates.length === 0) return;
    for (const block of blocksWithCandidates(text, allowed, candidates)) {
      // Only the blocks holding a candidate are parsed: 3.8% of the text of the real corpora, against 14% for whole documents.
      const blockText = text.slice(block.start, block.end);
      const scratch = new VFile({ value: blockText });
      transform(parseEnglish(blockText), scratch);
      if (scratch.messages.length === 0) continue;
      const place = location(scratch);
      for (const found of scratch.messages) {
        const from = found.place && 'start' in found.place ? place.toOffset(found.place.start) : undefined;
        const to = found.place && 'end' in found.place ? place.toOffset(found.place.end) : undefined;
        if (from === undefined || to === undefined) continue;
        reportRepeat(context, allowed, block.start + from, block.start + to, found.expected?.[0]);
      }
    }
  },
});

/** Report one repeat unless the word is allowed or a pseudo-cleft ("what it is is"). */
function reportRepeat(context: RuleContext<Options>, allowed: Set<string>, start: number, end: number, expected: string | undefined): void {
  const span = context.text.slice(start, end);
  const word = String(expected ?? span.split(/\s+/)[0]);
  if (allowed.has(word.toLowerCase())) return;
  // "What it is is a rescue": a pseudo-cleft doubles "is" on purpose after a pronoun.
  if (word.toLowerCase() === 'is' && /\b(?:it|this|that|what|which)\s+$/i.test(context.text.slice(Math.max(0, start - 12), start))) return;
  const firstEnd = start + span.search(/\s/);
  context.report({
    messageId: 'repeated',
    data: { word },
    start,
    end,
    actual: word,
    expected: [word],
    fix: { start: firstEnd, end, text: '' },
  });
}
