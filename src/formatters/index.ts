import type { Report } from '../types.js';
import { formatJson } from './json.js';
import { formatStylish } from './stylish.js';

/** Options every formatter receives. */
export interface FormatterOptions {
  color?: boolean;
  cwd: string;
}

export type Formatter = (report: Report, options: FormatterOptions) => string;

/** Output formats by name. */
export const formatters: Record<string, Formatter> = {
  stylish: (report, options) => formatStylish(report, options),
  json: (report) => formatJson(report),
};
