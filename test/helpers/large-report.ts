import type { DocumentText } from '../../src/report-texts.js';
import type { Report, ReportFile } from '../../src/types.js';

/** A report of `count` documents, each with two findings in about 1.5 kB of text. */
export function largeReport(count: number): { report: Report; texts: Map<string, DocumentText> } {
  const files: ReportFile[] = [];
  const texts = new Map<string, DocumentText>();
  const paragraph = 'The committee met on Tuesday to discuss the the budget for next year, and members said that that spending would rise. ';
  for (let i = 0; i < count; i++) {
    const path = `corpus/${String(i).padStart(5, '0')}.txt`;
    const text = paragraph.repeat(12);
    const first = text.indexOf('the the');
    const second = text.indexOf('that that');
    const place = (start: number, end: number) => ({ line: 1, column: start + 1, endLine: 1, endColumn: end + 1, start, end });
    files.push({
      path,
      messages: [
        { ruleId: 'repeated-words', severity: 'warning', message: 'Unexpected repeated `the`, expected it once', ...place(first, first + 7) },
        { ruleId: 'repeated-words', severity: i % 3 === 0 ? 'error' : 'warning', message: 'Unexpected repeated `that`, expected it once', ...place(second, second + 9) },
      ],
    });
    texts.set(path, { length: text.length, segments: [{ start: 0, text }] });
  }
  const errors = files.filter((_, i) => i % 3 === 0).length;
  const warnings = files.length * 2 - errors;
  const report: Report = {
    version: '1.0.0',
    tool: { name: 'corpus-lint', version: '0.1.0' },
    summary: { documents: count, errors, warnings, infos: 0, fatal: 0, byRule: { 'repeated-words': { errors, warnings, infos: 0 } } },
    files,
  };
  return { report, texts };
}

