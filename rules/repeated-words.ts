import retextRepeatedWords from 'retext-repeated-words';
import { VFile } from 'vfile';
import { location } from 'vfile-location';
import { parseEnglish } from '../src/context.js';
import { defineRule } from '../src/rule.js';
import type { Span } from '../src/text-index.js';
import type { RuleContext } from '../src/types.js';

interface Options {
  /** Words that may legitimately stand twice in a row, besides retext-repeated-words' own list. */
  allow: string[];
}

// Cheap prefilter: most documents have no doubled word, and then no tree is needed.
const doubledWord = /(?<![\p{L}\p{N}])([\p{L}\p{N}]+(?:['’&.-][\p{L}\p{N}]+)*)\s+\1(?![\p{L}\p{N}])/iu;
// The Unicode-aware pattern runs at ~20 MB/s; text whose letters are all ASCII takes the ~60 MB/s ASCII one.
const doubledAsciiWord = /(?<![a-z0-9])([a-z0-9]+(?:['’&.-][a-z0-9]+)*)\s+\1(?![a-z0-9])/i;
// Non-ASCII characters other than common punctuation, spaces and currency signs (none of which is a letter or digit).
const nonAsciiLetterLike = /[^\x00-\x7F\u00A0\u00A3\u00A9\u00AB\u00AE\u00B0\u00BB\u2000-\u206F\u20A0-\u20CF]/;

/** Whether text may hold a doubled word (a superset of what retext-repeated-words finds). */
export function mayHaveDoubledWord(text: string): boolean {
  return nonAsciiLetterLike.test(text) ? doubledWord.test(text) : doubledAsciiWord.test(text);
}

// Words retext-repeated-words itself lets stand twice ("had had", "that that").
const RETEXT_ALLOWED = new Set(['had', 'that', 'can', 'blah', 'beep', 'yadda', 'sapiens', 'tse', 'mau']);
// retext-english never continues a sentence across white space holding two line breaks (parse-latin's break-implicit-sentences).
const BLOCK_BREAK = /(?:\r\n|\r|\n)(?:[^\S\r\n]*(?:\r\n|\r|\n))+/g;

/** Spans of text between blank lines that hold a doubled word not allowed anyway: the only parts worth parsing. */
export function blocksWithCandidates(text: string, allowed: ReadonlySet<string> = new Set()): Span[] {
  const unicode = nonAsciiLetterLike.test(text);
  const pattern = new RegExp(unicode ? doubledWord : doubledAsciiWord, unicode ? 'giu' : 'gi');
  const candidates: number[] = [];
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const word = match[1].toLowerCase();
    if (!RETEXT_ALLOWED.has(word) && !allowed.has(word)) candidates.push(match.index);
    // Overlapping pairs ("iPhone\n\niPhone\niPhone 11"): the second word may start the next pair.
    pattern.lastIndex = match.index + match[1].length;
  }
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
    if (!mayHaveDoubledWord(text)) return;
    const allowed = new Set(context.options.allow.map((word) => word.toLowerCase()));
    for (const block of blocksWithCandidates(text, allowed)) {
      // Only the blocks holding a candidate are parsed: ~14% of the text of real corpora instead of every document that has one.
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
