import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { packagePath } from '../paths.js';
import { documentKey, type DocumentText, type ReportTexts } from '../report-texts.js';
import { builtinRules } from '../rules.js';
import type { Report, ReportFile, ReportMessage } from '../types.js';

/** Rules whose findings the report groups as name variants (by expected form) rather than as passages. */
export const VARIANT_RULES = ['spelling-inconsistency'];

/** One document as the HTML report embeds it: only documents with findings, messages trimmed. */
interface HtmlDocument {
  path: string;
  line?: number;
  id?: string;
  date?: string;
  messages: Array<Omit<ReportMessage, 'url' | 'messageId' | 'fix'>>;
  text?: DocumentText;
}

/** The data the page renders, embedded as JSON. */
export interface HtmlReportData {
  tool: Report['tool'];
  summary: Report['summary'];
  rules: Record<string, { description: string; url: string }>;
  variantRules: string[];
  files: HtmlDocument[];
}

let assets: { css: string; js: string } | undefined;

function readAssets(): { css: string; js: string } {
  assets ??= {
    css: readFileSync(packagePath('assets/html-report/report.css'), 'utf8'),
    js: readFileSync(packagePath('assets/html-report/report.js'), 'utf8'),
  };
  return assets;
}

/** The data of the HTML report: documents with findings, their kept text, rule metadata. */
export function htmlReportData(report: Report, texts?: ReportTexts): HtmlReportData {
  const rules: HtmlReportData['rules'] = {};
  for (const { meta } of builtinRules.values()) rules[meta.id] = { description: meta.description, url: meta.url };
  const files: HtmlDocument[] = [];
  const wanted = new Set<string>();
  for (const file of report.files) {
    if (file.messages.length === 0) continue;
    for (const message of file.messages) {
      if (!rules[message.ruleId]) rules[message.ruleId] = { description: '', url: message.url ?? '' };
      for (const related of message.related ?? []) wanted.add(documentKey(related.path, related.documentLine));
    }
    files.push(htmlDocument(file, texts));
  }
  // Documents reached only through `related` (the other half of a duplicate pair) come along with their text.
  const present = new Set(files.map((file) => documentKey(file.path, file.line)));
  for (const file of report.files) {
    const key = documentKey(file.path, file.line);
    if (wanted.has(key) && !present.has(key)) files.push(htmlDocument(file, texts));
  }
  return { tool: report.tool, summary: report.summary, rules, variantRules: VARIANT_RULES, files };
}

function htmlDocument(file: ReportFile, texts?: ReportTexts): HtmlDocument {
  const text = texts?.get(documentKey(file.path, file.line));
  return {
    path: file.path,
    ...(file.line !== undefined ? { line: file.line } : {}),
    ...(file.id !== undefined ? { id: file.id } : {}),
    ...(file.date !== undefined ? { date: file.date } : {}),
    messages: file.messages.map(({ url: _url, messageId: _messageId, fix: _fix, ...rest }) => rest),
    ...(text ? { text } : {}),
  };
}

/** JSON that is safe inside a `<script>` element: no `<`, `>`, `&` or line separators left raw. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * One self-contained HTML page: inline CSS and script, data as JSON rendered with textContent,
 * and a Content-Security-Policy that allows no network request and only this page's own script.
 */
export function formatHtml(report: Report, options: { texts?: ReportTexts } = {}): string {
  const { css, js } = readAssets();
  const data = jsonForScript(htmlReportData(report, options.texts));
  const scriptHash = createHash('sha256').update(js).digest('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${scriptHash}'; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>corpus-lint report</title>
<style>${css}</style>
</head>
<body>
<noscript>This report needs JavaScript to show its findings; the JSON report (--format json) has the same data.</noscript>
<script type="application/json" id="report-data">${data}</script>
<script>${js}</script>
</body>
</html>
`;
}
