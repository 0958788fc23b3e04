import { describe, expect, it } from 'vitest';
import { keepText, loadReportTexts, sliceText, spansByDocument } from '../src/report-texts.js';
import type { Report, ReportFile, ReportMessage } from '../src/types.js';
import { makeTree } from './helpers/cli.js';

const jsonl = { text: 'text', id: 'id', date: 'date' };
const at = (start: number, end: number): Omit<ReportMessage, 'ruleId' | 'severity' | 'message'> => ({ line: 1, column: start + 1, endLine: 1, endColumn: end + 1, start, end });
const finding = (start: number, end: number, extra: Partial<ReportMessage> = {}): ReportMessage => ({ ruleId: 'repeated-words', severity: 'warning', message: 'm', ...at(start, end), ...extra });
const report = (files: ReportFile[]): Report => ({ version: '1.0.0', tool: { name: 'corpus-lint', version: '0.1.0' }, summary: { documents: files.length, errors: 0, warnings: 0, infos: 0, fatal: 0, byRule: {} }, files });

describe('report texts', () => {
  it('re-reads only documents with findings or related spans: text files whole, JSONL records by line', async () => {
    const cwd = makeTree({
      'corpus/a.txt': '\uFEFFAlpha alpha text.\n',
      'corpus/clean.txt': 'Nothing to see.\n',
      'corpus/b.jsonl': [JSON.stringify({ id: 1, text: 'first record' }), '{not json', JSON.stringify({ id: 3, text: 'third record' }), JSON.stringify({ id: 4, text: 'fourth record' })].join('\n'),
    });
    const texts = await loadReportTexts(
      report([
        { path: 'corpus/a.txt', messages: [finding(0, 11, { related: [{ path: 'corpus/b.jsonl', documentLine: 4, message: 'same', ...at(0, 6) }] })] },
        { path: 'corpus/clean.txt', messages: [] },
        { path: 'corpus/b.jsonl', line: 1, id: '1', messages: [] },
        { path: 'corpus/b.jsonl', line: 2, messages: [{ ...finding(0, 0), ruleId: 'input', severity: 'error' }] },
        { path: 'corpus/b.jsonl', line: 3, id: '3', messages: [finding(0, 5)] },
        { path: 'corpus/b.jsonl', line: 4, id: '4', messages: [] },
        { path: 'corpus/gone.txt', messages: [finding(0, 1)] },
      ]),
      { cwd, jsonl },
    );
    expect([...texts.keys()].sort()).toEqual(['corpus/a.txt', 'corpus/b.jsonl:3', 'corpus/b.jsonl:4']);
    expect(sliceText(texts.get('corpus/a.txt'), 0, 11)).toBe('Alpha alpha');
    expect(sliceText(texts.get('corpus/b.jsonl:3'), 0, 5)).toBe('third');
    expect(sliceText(texts.get('corpus/b.jsonl:4'), 0, 6)).toBe('fourth');
  });

  it('keeps a long document as windows around its spans, and short ones whole', () => {
    const text = 'x'.repeat(1000) + 'FOUND' + 'y'.repeat(1000) + 'AGAIN' + 'z'.repeat(50);
    const limits = { wholeUpTo: 500, context: 10, totalBudget: Infinity };
    const kept = keepText(text, [[1000, 1005], [2005, 2010], [2008, 2010]], limits, true);
    expect(kept.length).toBe(text.length);
    expect(kept.segments).toEqual([
      { start: 990, text: 'x'.repeat(10) + 'FOUND' + 'y'.repeat(10) },
      { start: 1995, text: 'y'.repeat(10) + 'AGAIN' + 'z'.repeat(10) },
    ]);
    expect(sliceText(kept, 1000, 1005)).toBe('FOUND');
    expect(sliceText(kept, 0, 5)).toBeUndefined();
    expect(keepText('short', [[0, 1]], limits, true).segments).toEqual([{ start: 0, text: 'short' }]);
    expect(keepText('short', [[0, 1]], limits, false).segments).toEqual([{ start: 0, text: 'short' }]);
  });

  it('collects spans by document key, related spans included and input notes left out', () => {
    const spans = spansByDocument(
      report([{ path: 'a.txt', messages: [finding(1, 2, { related: [{ path: 'f.jsonl', documentLine: 2, message: 'm', ...at(3, 4) }] }), { ...finding(0, 0), ruleId: 'input' }] }]),
    );
    expect(Object.fromEntries(spans)).toEqual({ 'a.txt': [[1, 2]], 'f.jsonl:2': [[3, 4]] });
  });
});
