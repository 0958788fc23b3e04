import { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';
import { reporter } from 'vfile-reporter';
import type { Report } from '../types.js';

/** Terminal output through vfile-reporter: one block per document with findings. */
export function formatStylish(report: Report, options: { color?: boolean } = {}): string {
  const files = report.files
    .filter((entry) => entry.messages.length > 0)
    .map((entry) => {
      const name = entry.line !== undefined ? `${entry.path}:${entry.line}${entry.id !== undefined ? ` (${entry.id})` : ''}` : entry.path;
      const file = new VFile({ path: name });
      for (const message of entry.messages) {
        const vmessage = new VFileMessage(message.message, {
          place: { start: { line: message.line, column: message.column }, end: { line: message.endLine, column: message.endColumn } },
          ruleId: message.ruleId,
          source: 'corpus-lint',
        });
        vmessage.file = name;
        vmessage.fatal = message.severity === 'error' ? true : message.severity === 'warning' ? false : undefined;
        file.messages.push(vmessage);
      }
      return file;
    });
  if (files.length === 0) return `${report.summary.documents} document${report.summary.documents === 1 ? '' : 's'} checked: no problems\n`;
  const text = reporter(files, { color: options.color ?? false, quiet: true });
  return text + '\n';
}
