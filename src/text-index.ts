import type { Paragraph, Root, Sentence, Word } from 'nlcst';
import { createAjv, formatAjvErrors, readPackageJson } from './schema.js';
import type { RuleContext } from './types.js';

/** A span of the document text: `[start, end)`. */
export interface Span {
  start: number;
  end: number;
}

/** A word token of the raw text: letters and digits, with inner apostrophes, hyphens and dots ("don't", "long-term", "U.S"). */
export interface WordToken extends Span {
  text: string;
}

/** Derived data from one pass over the raw text, shared by every rule on a document (no tree). */
export interface TextIndex {
  /** Runs of non-blank lines, trimmed of surrounding white space. */
  readonly paragraphs: Span[];
  /** Sentences within paragraphs, split after `.`, `!`, `?` or `…` before a capital, digit or quote; abbreviations and initials do not end one. */
  readonly sentences: Span[];
  /** Word tokens in text order. */
  readonly words: WordToken[];
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

const WORD = /[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*/gu;
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

/** Word tokens of text with their offsets. */
export function wordTokens(text: string): WordToken[] {
  const words: WordToken[] = [];
  for (const match of text.matchAll(WORD)) words.push({ text: match[0], start: match.index, end: match.index + match[0].length });
  return words;
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
      return shared('text-index:words', () => wordTokens(text));
    },
    get wordCounts() {
      return shared('text-index:word-counts', () => {
        const counts = new Map<string, number>();
        for (const word of this.words) {
          const key = word.text.toLowerCase();
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
