import { builtinRules } from '../src/rules.js';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatHtml, htmlReportData, jsonForScript } from '../src/formatters/html.js';
import type { Report, ReportFile } from '../src/types.js';
import { cli, makeTree } from './helpers/cli.js';
import { largeReport } from './helpers/large-report.js';

const hostile = 'Lead.</script><script>alert(1)</script> <img src=x onerror=alert(2)> <!-- x --> \u2028 & done';

function reportOf(files: ReportFile[]): Report {
  return { version: '1.0.0', tool: { name: 'corpus-lint', version: '0.1.0' }, summary: { documents: files.length, errors: 0, warnings: files.length, infos: 0, fatal: 0, byRule: { 'repeated-words': { errors: 0, warnings: files.length, infos: 0 } } }, files };
}

describe('HTML formatter', () => {
  it('embeds corpus text only as escaped JSON: no markup from the corpus reaches the page', () => {
    const report = reportOf([{ path: 'corpus/<b>.txt', messages: [{ ruleId: 'repeated-words', severity: 'warning', message: 'Unexpected </script>', line: 1, column: 1, endLine: 1, endColumn: 5, start: 0, end: 4 }] }]);
    const html = formatHtml(report, { texts: new Map([['corpus/<b>.txt', { length: hostile.length, segments: [{ start: 0, text: hostile }] }]]) });
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<!-- x');
    expect(html).not.toContain('<b>');
    const json = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html)![1];
    expect(JSON.parse(json).files[0].text.segments[0].text).toBe(hostile);
  });

  it('allows no network request and no script but its own, by Content-Security-Policy', () => {
    const html = formatHtml(reportOf([]));
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1];
    expect(csp).toContain("default-src 'none'");
    const script = /<script>([\s\S]*)<\/script>\n<\/body>/.exec(html)![1];
    expect(csp).toContain(`script-src 'sha256-${createHash('sha256').update(script).digest('base64')}'`);
    expect(html).not.toMatch(/\b(?:src|href)=["']?(?:https?:)?\/\//);
  });

  it('escapes every character that could end or confuse a script element', () => {
    expect(jsonForScript({ a: '</script><!--&\u2028\u2029>' })).toBe('{"a":"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\\u2029\\u003e"}');
  });

  it('carries only documents with findings, plus documents their related spans point into', () => {
    const place = { line: 1, column: 1, endLine: 1, endColumn: 3, start: 0, end: 2 };
    const data = htmlReportData(
      reportOf([
        { path: 'a.txt', messages: [{ ruleId: 'duplicate-passage', severity: 'warning', message: 'm', url: 'https://example.org/dup', ...place, related: [{ path: 'c.txt', message: 'r', ...place }] }] },
        { path: 'b.txt', messages: [] },
        { path: 'c.txt', messages: [] },
      ]),
    );
    expect(data.files.map((file) => file.path)).toEqual(['a.txt', 'c.txt']);
    const builtin = builtinRules.get('duplicate-passage')!.meta;
    expect(data.rules['duplicate-passage']).toEqual({ description: builtin.description, url: builtin.url });
    expect(data.rules['repeated-words'].description).toContain('repeated');
    expect(data.files[0].messages[0]).not.toHaveProperty('url');
  });

  it('stays a reasonable size at 10,000 documents', () => {
    const { report, texts } = largeReport(10_000);
    const html = formatHtml(report, { texts });
    expect(html.length).toBeLessThan(25_000_000);
  });

  it('is written by the CLI with the texts of the documents that have findings', async () => {
    const root = makeTree({ 'corpus/a.txt': 'Prices rose as as traders returned.\n', 'corpus/b.txt': 'A clean line.\n' });
    const { stdout } = await cli(['corpus', '--format', 'html'], root);
    const data = JSON.parse(/id="report-data">([^<]*)</.exec(stdout)![1]) as ReturnType<typeof htmlReportData>;
    expect(data.summary.documents).toBe(2);
    expect(data.files.map((file) => [file.path, file.text?.segments[0].text])).toEqual([['corpus/a.txt', 'Prices rose as as traders returned.\n']]);
  });
});
