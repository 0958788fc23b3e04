import { reportFileTexts } from '../report-files.js';
import type { Report } from '../types.js';

const CHUNK_CHARS = 1 << 20;

/**
 * Write the JSON report in pieces of about a megabyte: the bytes of `JSON.stringify(report, null, 2)`
 * and a line break, without building that string (a spilled report is streamed from its temporary file).
 */
export function writeJson(report: Report, write: (text: string) => void): void {
  const { version, tool, summary } = report;
  // Everything before the entries, as JSON.stringify writes it: `... "files": []\n}` less its last 3 characters.
  const head = JSON.stringify({ version, tool, summary, files: [] }, null, 2);
  let chunk = head.slice(0, -3);
  let first = true;
  for (const json of reportFileTexts(report)) {
    chunk += (first ? '\n' : ',\n') + json;
    first = false;
    if (chunk.length >= CHUNK_CHARS) {
      write(chunk);
      chunk = '';
    }
  }
  write(chunk + (first ? ']\n}\n' : '\n  ]\n}\n'));
}

/** The JSON report, one stable serialisation. */
export function formatJson(report: Report): string {
  const pieces: string[] = [];
  writeJson(report, (text) => void pieces.push(text));
  return pieces.join('');
}
