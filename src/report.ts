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

/** An empty summary, to fill with `countMessages`. */
export function emptySummary(): Report['summary'] {
  return { documents: 0, errors: 0, warnings: 0, infos: 0, fatal: 0, byRule: {} };
}

/** Add messages to a summary's counts (not to its document count). */
export function countMessages(summary: Report['summary'], messages: ReportMessage[]): void {
  for (const message of messages) {
    const counts = (summary.byRule[message.ruleId] ??= { errors: 0, warnings: 0, infos: 0 });
    if (message.severity === 'error') (summary.errors++, counts.errors++);
    else if (message.severity === 'warning') (summary.warnings++, counts.warnings++);
    else (summary.infos++, counts.infos++);
    if (message.fatal) summary.fatal++;
  }
}

/** A finished summary: rules in a stable order. */
export function sortedSummary(summary: Report['summary']): Report['summary'] {
  return { ...summary, byRule: Object.fromEntries(Object.entries(summary.byRule).sort(([a], [b]) => a.localeCompare(b))) };
}

/** Assemble the JSON report: messages sorted, counts summed. */
export function buildReport(files: ReportFile[]): Report {
  const summary = emptySummary();
  summary.documents = files.length;
  for (const file of files) {
    file.messages.sort(compareMessages);
    countMessages(summary, file.messages);
  }
  return { version: REPORT_VERSION, tool: TOOL, summary: sortedSummary(summary), files };
}

/** Keep only error-severity messages (--quiet), with the summary recounted. */
export function onlyErrors(report: Report): Report {
  return buildReport(report.files.map((file) => ({ ...file, messages: file.messages.filter((m) => m.severity === 'error') })));
}
