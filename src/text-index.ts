import type { Paragraph, Root, Sentence, Word } from 'nlcst';
import { createAjv, formatAjvErrors, readPackageJson } from './schema.js';
import { grown } from './typed-arrays.js';
import type { RuleContext } from './types.js';

/** A span of the document text: `[start, end)`. */
export interface Span {
  start: number;
  end: number;
}

/** Spans of the document text as offsets in typed arrays: span `i` is `[starts[i], ends[i])`. No object per span. */
export interface Spans {
  readonly length: number;
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
}

/** Derived data from one pass over the raw text, shared by every rule on a document (no tree). */
export interface TextIndex {
  /** Runs of non-blank lines, trimmed of surrounding white space. */
  readonly paragraphs: Span[];
  /** Sentences within paragraphs, split after `.`, `!`, `?` or `…` before a capital, digit or quote; abbreviations and initials do not end one. */
  readonly sentences: Span[];
  /** Word tokens in text order: letters and digits, with inner apostrophes, hyphens and dots ("don't", "long-term", "U.S"). */
  readonly words: Spans;
  /** Lower-cased word to its count in the document. */
  readonly wordCounts: Map<string, number>;
}

/** NLCST nodes of the document collected in one walk of `ctx.tree`, shared by every rule that needs the tree. */
export interface TreeIndex {
  readonly paragraphs: Paragraph[];
  readonly sentences: Sentence[];
  readonly words: Word[];
}

/** Only the parts of a rule context the indexes use. */
export type IndexedContext = Pick<RuleContext<unknown>, 'text' | 'shared'> & { readonly tree: Root };

interface TextIndexData {
  abbreviations: string[];
}

const validateData = createAjv().compile({
  type: 'object',
  properties: { abbreviations: { type: 'array', items: { type: 'string', pattern: '^[a-z]+$' } } },
  required: ['abbreviations'],
  additionalProperties: false,
});
const data = readPackageJson<TextIndexData>('rules/text-index.data.json');
if (!validateData(data)) throw new Error(`rules/text-index.data.json: ${formatAjvErrors(validateData.errors, '')}`);
const ABBREVIATIONS = new Set(data.abbreviations);

const PARAGRAPH = /[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*/g;
// A sentence end: terminal punctuation, closing quotes or brackets, space, then what may open a sentence.
const SENTENCE_END = /[.!?…]+["'”’)\]]*(?=\s+["'“‘(\[]?[\p{Lu}\p{N}])/gu;
const WORD_BEFORE = /([\p{L}]+)\.?$/u;

/** Paragraph spans of text: runs of lines that are not blank. */
export function paragraphSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(PARAGRAPH)) {
    const raw = match[0];
    const lead = raw.length - raw.trimStart().length;
    spans.push({ start: match.index + lead, end: match.index + raw.trimEnd().length });
  }
  return spans;
}

/** Sentence spans within one paragraph span (hand-written: retext's tokenizer needs the full parse this avoids). */
export function sentenceSpans(text: string, paragraph: Span): Span[] {
  const spans: Span[] = [];
  const body = text.slice(paragraph.start, paragraph.end);
  let start = 0;
  for (const match of body.matchAll(SENTENCE_END)) {
    if (match[0][0] === '.' && match[0].length === 1) {
      const before = WORD_BEFORE.exec(body.slice(Math.max(start, match.index - 12), match.index));
      // "Mr. Smith", "J. Smith": an abbreviation or an initial does not end a sentence.
      if (before && (before[1].length === 1 || ABBREVIATIONS.has(before[1].toLowerCase()))) continue;
    }
    const end = match.index + match[0].length;
    spans.push({ start: paragraph.start + start, end: paragraph.start + end });
    start = end + (/^\s*/.exec(body.slice(end))?.[0].length ?? 0);
  }
  if (start < body.length) spans.push({ start: paragraph.start + start, end: paragraph.end });
  return spans;
}

const ASCII_LETTER_OR_DIGIT = new Uint8Array(128).map((_, code) => (/[A-Za-z0-9]/.test(String.fromCharCode(code)) ? 1 : 0));
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

/** Width in UTF-16 units (1, or 2 for a surrogate pair) of the letter or digit (`\p{L}`, `\p{N}`) at `at`, or 0; `code` is `text.charCodeAt(at)`. */
export function letterOrDigitWidth(text: string, at: number, code: number): number {
  if (code < 128) return ASCII_LETTER_OR_DIGIT[code];
  if (code >= 0xd800 && code <= 0xdbff) return LETTER_OR_DIGIT.test(String.fromCodePoint(text.codePointAt(at)!)) ? 2 : 0;
  return LETTER_OR_DIGIT.test(text[at]) ? 1 : 0;
}

// Characters that join two runs of letters and digits into one word: ' ’ . -
const isWordJoiner = (code: number) => code === 0x27 || code === 0x2019 || code === 0x2e || code === 0x2d;

/** Word tokens of text as offsets (hand-written: the equivalent Unicode regex runs at about 30 MB/s). */
export function wordSpans(text: string): Spans {
  let starts: Uint32Array = new Uint32Array(256);
  let ends: Uint32Array = new Uint32Array(256);
  let length = 0;
  let at = 0;
  while (at < text.length) {
    const width = letterOrDigitWidth(text, at, text.charCodeAt(at));
    if (width === 0) {
      at++;
      continue;
    }
    const start = at;
    at += width;
    while (at < text.length) {
      const code = text.charCodeAt(at);
      const inner = letterOrDigitWidth(text, at, code);
      if (inner > 0) at += inner;
      else if (isWordJoiner(code) && at + 1 < text.length && letterOrDigitWidth(text, at + 1, text.charCodeAt(at + 1)) > 0) at++;
      else break;
    }
    if (length === starts.length) {
      starts = grown(starts, starts.length + 1);
      ends = grown(ends, ends.length + 1);
    }
    starts[length] = start;
    ends[length++] = at;
  }
  return { length, starts: starts.subarray(0, length), ends: ends.subarray(0, length) };
}

/**
 * The shared raw-text index of a document: each part is computed once, on first use, and kept in
 * `ctx.shared` for every other rule on the same document. Use it instead of re-scanning the text.
 */
export function textIndex(context: Pick<RuleContext<unknown>, 'text' | 'shared'>): TextIndex {
  const { text, shared } = context;
  return shared('text-index', (): TextIndex => ({
    get paragraphs() {
      return shared('text-index:paragraphs', () => paragraphSpans(text));
    },
    get sentences() {
      return shared('text-index:sentences', () => this.paragraphs.flatMap((paragraph) => sentenceSpans(text, paragraph)));
    },
    get words() {
      return shared('text-index:words', () => wordSpans(text));
    },
    get wordCounts() {
      return shared('text-index:word-counts', () => {
        const counts = new Map<string, number>();
        const { length, starts, ends } = this.words;
        for (let word = 0; word < length; word++) {
          const key = text.slice(starts[word], ends[word]).toLowerCase();
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        return counts;
      });
    },
  }));
}

/**
 * The shared tree index of a document: paragraphs, sentences and words of `ctx.tree`, collected in one
 * iterative walk (a unist-util-visit walk per rule costs more than the parse) and kept in `ctx.shared`.
 * Touching it parses the document: put a cheap text prefilter before it.
 */
export function treeIndex(context: IndexedContext): TreeIndex {
  return context.shared('tree-index', () => {
    const index = { paragraphs: [] as Paragraph[], sentences: [] as Sentence[], words: [] as Word[] };
    const stack: Array<{ type: string; children?: unknown[] }> = [context.tree];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.type === 'ParagraphNode') index.paragraphs.push(node as Paragraph);
      else if (node.type === 'SentenceNode') index.sentences.push(node as Sentence);
      else if (node.type === 'WordNode') {
        index.words.push(node as Word);
        continue;
      }
      const children = node.children as Array<{ type: string; children?: unknown[] }> | undefined;
      if (children) for (let at = children.length - 1; at >= 0; at--) stack.push(children[at]);
    }
    return index;
  });
}
