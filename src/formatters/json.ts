import type { Report } from '../types.js';

/** The JSON report, one stable serialisation. */
export function formatJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}
