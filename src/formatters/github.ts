import type { Report, Severity } from '../types.js';
import { messageWithExpected } from './message-text.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** Escape a workflow command's message as GitHub Actions requires. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a workflow command's property value: as data, and `:` and `,` too. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions workflow commands (`::warning file=…::message`) that annotate a run. */
export function formatGithub(report: Report): string {
  const lines: string[] = [];
  for (const file of report.files) {
    for (const message of file.messages) {
      // A JSONL record's positions are within its text field: annotate the record's line of the file.
      const where =
        file.line !== undefined
          ? [`file=${escapeProperty(file.path)}`, `line=${file.line}`]
          : [
              `file=${escapeProperty(file.path)}`,
              `line=${message.line}`,
              `col=${message.column}`,
              `endLine=${message.endLine}`,
              `endColumn=${message.endColumn}`,
            ];
      const record = file.line !== undefined ? ` [record ${file.id ?? file.line}, line ${message.line}, column ${message.column}]` : '';
      lines.push(`::${COMMAND[message.severity]} ${where.join(',')},title=${escapeProperty(message.ruleId)}::${escapeData(messageWithExpected(message) + record)}\n`);
    }
  }
  return lines.join('');
}
