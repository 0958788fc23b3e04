import retextRepeatedWords from 'retext-repeated-words';
import { VFile } from 'vfile';
import { location } from 'vfile-location';
import { defineRule } from '../src/rule.js';

interface Options {
  /** Words that may legitimately stand twice in a row, besides retext-repeated-words' own list. */
  allow: string[];
}

// Cheap prefilter: most documents have no doubled word, and then no tree is needed.
const doubledWord = /(?<![\p{L}\p{N}])([\p{L}\p{N}]+)\s+\1(?![\p{L}\p{N}])/iu;
// The Unicode-aware pattern runs at ~20 MB/s; text whose letters are all ASCII takes the ~60 MB/s ASCII one.
const doubledAsciiWord = /(?<![a-z0-9])([a-z0-9]+)\s+\1(?![a-z0-9])/i;
// Non-ASCII characters other than common punctuation, spaces and currency signs (none of which is a letter or digit).
const nonAsciiLetterLike = /[^\x00-\x7F\u00A0\u00A3\u00A9\u00AB\u00AE\u00B0\u00BB\u2000-\u206F\u20A0-\u20CF]/;

/** Whether text may hold a doubled word (a superset of what retext-repeated-words finds). */
export function mayHaveDoubledWord(text: string): boolean {
  return nonAsciiLetterLike.test(text) ? doubledWord.test(text) : doubledAsciiWord.test(text);
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
    if (!mayHaveDoubledWord(context.text)) return;
    const scratch = new VFile({ value: context.text });
    transform(context.tree, scratch);
    if (scratch.messages.length === 0) return;
    const place = location(scratch);
    const allowed = new Set(context.options.allow.map((word) => word.toLowerCase()));
    for (const found of scratch.messages) {
      const start = found.place && 'start' in found.place ? place.toOffset(found.place.start) : undefined;
      const end = found.place && 'end' in found.place ? place.toOffset(found.place.end) : undefined;
      if (start === undefined || end === undefined) continue;
      const span = context.text.slice(start, end);
      const word = String(found.expected?.[0] ?? span.split(/\s+/)[0]);
      if (allowed.has(word.toLowerCase())) continue;
      // "What it is is a rescue": a pseudo-cleft doubles "is" on purpose after a pronoun.
      if (word.toLowerCase() === 'is' && /\b(?:it|this|that|what|which)\s+$/i.test(context.text.slice(Math.max(0, start - 12), start))) continue;
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
  },
});
