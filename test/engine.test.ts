import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.js';
import { lintDocuments, lintText, maskMetadata } from '../src/engine.js';
import { asUnifiedPlugin, defineRule } from '../src/rule.js';
import { builtinRules } from '../src/rules.js';
import repeatedWords from '../rules/repeated-words.js';
import { unified } from 'unified';
import retextEnglish from 'retext-english';
import { VFile } from 'vfile';
import sameOpening from './helpers/same-opening-rule.js';
import { lintWithRule, testRule } from './helpers/rule-tester.js';

const withRules = (...rules: Parameters<typeof defineRule>[0][]) => new Map(rules.map((rule) => [rule.meta.id, rule]));

describe('engine', () => {
  it('runs the corpus pass: per-document data, then one step reporting across documents', async () => {
    const config = resolveConfig({}, { rules: withRules(sameOpening as never) });
    const documents = [
      { info: { path: 'a.txt', contentStart: 0 }, text: 'Markets rallied on Friday after the report.\nMore text.', notes: [] },
      { info: { path: 'b.txt', contentStart: 0 }, text: 'A different opening line entirely.\nBody.', notes: [] },
      { info: { path: 'c.jsonl', line: 7, id: 'c-7', contentStart: 0 }, text: 'Markets rallied on Friday after the report.\nOther.', notes: [] },
    ];
    const { report, crashes } = await lintDocuments(documents, config);
    expect(crashes).toEqual([]);
    expect(report.files[0].messages).toEqual([]);
    expect(report.files[1].messages).toEqual([]);
    const [message] = report.files[2].messages;
    expect(message).toMatchObject({
      ruleId: 'same-opening',
      message: 'Unexpected opening line shared with a.txt, expected a distinct one',
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 44,
      start: 0,
      end: 43,
      related: [{ path: 'a.txt', line: 1, column: 1, endColumn: 44, start: 0, end: 43, message: 'first document with this opening' }],
    });
  });

  it('keeps the corpus data compact: rules see their own entries only, in corpus order', async () => {
    const seen: number[][] = [];
    const probe = defineRule<Record<string, never>, number>({
      meta: { id: 'probe', description: 'probe', url: 'x', defaultSeverity: 'warn', messages: { m: 'm' }, schema: { type: 'object' } },
      check: (context) => (context.text.includes('keep') ? context.doc.index : undefined),
      complete: (corpus) => void seen.push(corpus.entries.map((entry) => entry.data)),
    });
    const docs = ['keep 0', 'drop', 'keep 2'].map((text, index) => ({ info: { path: `${index}.txt`, contentStart: 0 }, text, notes: [] }));
    await lintDocuments(docs, resolveConfig({}, { rules: withRules(probe as never) }));
    expect(seen).toEqual([[0, 2]]);
  });

  it('rejects a report with an unknown message id and keeps linting the other documents', async () => {
    const broken = defineRule<Record<string, never>>({
      meta: { id: 'broken', description: 'b', url: 'x', defaultSeverity: 'error', messages: { known: 'k' }, schema: { type: 'object' } },
      check: (context) => {
        if (context.text.startsWith('boom')) context.report({ messageId: 'nope', start: 0, end: 1 });
      },
    });
    const config = resolveConfig({}, { rules: withRules(broken as never, repeatedWords as never) });
    const docs = [
      { info: { path: 'a.txt', contentStart: 0 }, text: 'boom goes the rule', notes: [] },
      { info: { path: 'b.txt', contentStart: 0 }, text: 'It was the the end.', notes: [] },
    ];
    const { report, crashes } = await lintDocuments(docs, config);
    expect(crashes).toEqual(['broken: a.txt']);
    expect(report.files[0].messages[0]).toMatchObject({ ruleId: 'broken', fatal: true, severity: 'error' });
    expect(report.files[0].messages[0].message).toContain('unknown message id "nope"');
    expect(report.files[1].messages.map((m) => m.ruleId)).toEqual(['repeated-words']);
  });

  it('blanks the date header so rules never see it, keeping offsets', async () => {
    const text = ' date 2024-10-04 Listen to to this\nBody.';
    expect(maskMetadata(text, 16)).toBe(' '.repeat(16) + ' Listen to to this\nBody.');
    const file = await lintText(text, resolveConfig({}));
    expect(file.date).toBe('2024-10-04');
    expect(file.messages.map((m) => [m.ruleId, text.slice(m.start, m.end), m.line, m.column])).toEqual([['repeated-words', 'to to', 1, text.indexOf('to to') + 1]]);
  });

  it('parses each document at most once, shared by all rules, and only when a rule asks', async () => {
    const trees: unknown[] = [];
    const treeUser = defineRule<Record<string, never>>({
      meta: { id: 'tree-user', description: 't', url: 'x', defaultSeverity: 'warn', messages: { m: 'm' }, schema: { type: 'object' } },
      check: (context) => void trees.push(context.tree),
    });
    let linesSeen = 0;
    const lineUser = defineRule<Record<string, never>>({
      meta: { id: 'line-user', description: 'l', url: 'x', defaultSeverity: 'warn', messages: { m: 'm' }, schema: { type: 'object' } },
      check: (context) => void (linesSeen += context.lines.length),
    });
    const second = { ...treeUser, meta: { ...treeUser.meta, id: 'tree-user-2' } };
    const both = resolveConfig({}, { rules: withRules(treeUser as never, second as never) });
    expect((await lintText('No doubled words here.', both)).messages).toEqual([]);
    expect(trees).toHaveLength(2);
    expect(trees[0]).toBeDefined();
    expect(trees[1]).toBe(trees[0]);
    // A rule that never touches ctx.tree gets no parse: memo keys show what was computed.
    const memoKeys: string[][] = [];
    const probe = defineRule<Record<string, never>>({
      meta: { id: 'probe', description: 'p', url: 'x', defaultSeverity: 'warn', messages: { m: 'm' }, schema: { type: 'object' } },
      check: (context) => void memoKeys.push(['tree', 'lines'].filter((key) => context.shared(key, () => 'fresh') !== 'fresh')),
    });
    await lintText('Line one.\nLine two.', resolveConfig({}, { rules: withRules(lineUser as never, probe as never) }));
    expect(linesSeen).toBe(2);
    expect(memoKeys).toEqual([['lines']]);
  });

  it('makes a document\'s VFile only for a rule that asks, once, with the document info', async () => {
    const files: VFile[] = [];
    const fileUser = defineRule<Record<string, never>>({
      meta: { id: 'file-user', description: 'f', url: 'x', defaultSeverity: 'warn', messages: { m: 'm' }, schema: { type: 'object' } },
      check: (context) => void files.push(context.file, context.file),
    });
    const memoKeys: boolean[] = [];
    const probe = defineRule<Record<string, never>>({
      meta: { id: 'probe', description: 'p', url: 'x', defaultSeverity: 'warn', messages: { m: 'm' }, schema: { type: 'object' } },
      check: (context) => void memoKeys.push(context.shared('file', () => 'fresh') !== 'fresh'),
    });
    await lintText('Some text.', resolveConfig({}, { rules: withRules(probe as never) }), { path: 'a.txt' });
    await lintText('Some text.', resolveConfig({}, { rules: withRules(fileUser as never, probe as never) }), { path: 'b.txt' });
    expect(memoKeys).toEqual([false, true]);
    expect(files[1]).toBe(files[0]);
    expect([String(files[0].value), files[0].path, (files[0].data as { path: string }).path]).toEqual(['Some text.', 'b.txt', 'b.txt']);
  });

  it('sorts messages by position and is deterministic', async () => {
    const config = resolveConfig({});
    const text = 'We went to to the shop. It was the the best.';
    const a = JSON.stringify(await lintText(text, config));
    const b = JSON.stringify(await lintText(text, config));
    expect(a).toBe(b);
    const file = JSON.parse(a);
    expect(file.messages.map((m: { start: number }) => m.start)).toEqual([8, 31]);
  });

  it('exposes each rule as a unified plugin too', async () => {
    const file = new VFile({ value: 'It was the the best.' });
    const processor = unified().use(retextEnglish).use(asUnifiedPlugin(repeatedWords));
    await processor.run(processor.parse(file), file);
    expect(file.messages.map((m) => [m.ruleId, m.reason, m.actual, m.line, m.column])).toEqual([
      ['repeated-words', 'Unexpected repeated `the`, expected it once', 'the', 1, 8],
    ]);
  });

  it('ships every built-in rule with complete metadata', () => {
    for (const [id, rule] of builtinRules) {
      expect(rule.meta.id).toBe(id);
      expect(rule.meta.description.length).toBeGreaterThan(10);
      expect(rule.meta.url).toMatch(/^https:\/\//);
      expect(['off', 'info', 'warn', 'error']).toContain(rule.meta.defaultSeverity);
      expect(Object.keys(rule.meta.messages).length).toBeGreaterThan(0);
      expect(rule.meta.schema.type).toBe('object');
    }
  });
});

describe('repeated-words (RuleTester)', () => {
  it('passes valid and invalid cases', async () => {
    await testRule(repeatedWords, {
      valid: ['They had had enough.', 'Duran Duran toured.', 'What it is is a rescue.', 'Words on\ntheir own lines.'],
      invalid: [
        { documents: 'It rose by by 3%.', errors: [{ messageId: 'repeated', text: 'by by', line: 1, column: 9, expected: ['by'] }] },
        { documents: 'The the plan.\nIt was the\nthe end.', errors: [{ messageId: 'repeated', text: 'The the' }, { messageId: 'repeated', text: 'the\nthe' }] },
      ],
    });
  });

  it('honours its allow option', async () => {
    const [result] = await lintWithRule(repeatedWords, 'It was very very cold.', { allow: ['very'] });
    expect(result.messages).toEqual([]);
  });
});
