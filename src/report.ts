import { readPackageJson } from './schema.js';
import type { Report, ReportFile, ReportMessage } from './types.js';

/** Version of the JSON report format (reports/report.schema.json). */
export const REPORT_VERSION = '1.0.0';

const pkg = readPackageJson<{ name: string; version: string }>('package.json');

/** Name and version of this tool. */
export const TOOL = { name: pkg.name, version: pkg.version };

/** Order messages by position, then rule and text, so output is deterministic. */
export function compareMessages(a: ReportMessage, b: ReportMessage): number {
  return a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId) || a.message.localeCompare(b.message);
}

/** Assemble the JSON report: messages sorted, counts summed. */
export function buildReport(files: ReportFile[]): Report {
  const summary: Report['summary'] = { documents: files.length, errors: 0, warnings: 0, infos: 0, fatal: 0, byRule: {} };
  for (const file of files) {
    file.messages.sort(compareMessages);
    for (const message of file.messages) {
      const counts = (summary.byRule[message.ruleId] ??= { errors: 0, warnings: 0, infos: 0 });
      if (message.severity === 'error') (summary.errors++, counts.errors++);
      else if (message.severity === 'warning') (summary.warnings++, counts.warnings++);
      else (summary.infos++, counts.infos++);
      if (message.fatal) summary.fatal++;
    }
  }
  summary.byRule = Object.fromEntries(Object.entries(summary.byRule).sort(([a], [b]) => a.localeCompare(b)));
  return { version: REPORT_VERSION, tool: TOOL, summary, files };
}

/** Keep only error-severity messages (--quiet), with the summary recounted. */
export function onlyErrors(report: Report): Report {
  return buildReport(report.files.map((file) => ({ ...file, messages: file.messages.filter((m) => m.severity === 'error') })));
}
