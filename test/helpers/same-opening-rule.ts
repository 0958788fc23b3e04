import { createHash } from 'node:crypto';
import { defineRule } from '../../src/rule.js';

/**
 * A test-only corpus rule: documents whose first line is the same as an earlier document's.
 * It proves the corpus pass: `check` returns a hash (never the text), `complete` reports across documents.
 */
export default defineRule<{ minLength: number }, { hash: string; start: number; end: number }>({
  meta: {
    id: 'same-opening',
    description: 'First line shared with an earlier document (test rule).',
    url: 'https://example.invalid/same-opening',
    defaultSeverity: 'warn',
    messages: { shared: 'Unexpected opening line shared with {{other}}, expected a distinct one' },
    schema: {
      type: 'object',
      properties: { minLength: { type: 'integer', minimum: 1, default: 10 } },
      additionalProperties: false,
    },
  },
  check(context) {
    const first = context.lines.find((line) => line.text.trim() !== '');
    if (!first || first.text.trim().length < context.options.minLength) return undefined;
    return { hash: createHash('sha1').update(first.text.trim()).digest('hex'), start: first.start, end: first.end };
  },
  complete(corpus) {
    const seen = new Map<string, { doc: number; start: number; end: number }>();
    for (const entry of corpus.entries) {
      const first = seen.get(entry.data.hash);
      const span = { doc: entry.doc, start: entry.data.start, end: entry.data.end };
      if (!first) {
        seen.set(entry.data.hash, span);
        continue;
      }
      corpus.report(entry.doc, {
        messageId: 'shared',
        data: { other: corpus.describe(first.doc) },
        start: span.start,
        end: span.end,
        related: [{ ...first, message: 'first document with this opening' }],
      });
    }
  },
});
