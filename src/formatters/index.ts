import type { ReportTexts } from '../report-texts.js';
import type { Report } from '../types.js';
import { formatterLoaders } from './load.js';

export { needsTexts } from './load.js';

/** Options every formatter receives. */
export interface FormatterOptions {
  color?: boolean;
  cwd: string;
  /** Texts of the documents with findings, for formats that show or fingerprint text (see `needsTexts`). */
  texts?: ReportTexts;
}

export type Formatter = (report: Report, options: FormatterOptions) => string;

/** Output formats by name. */
export const formatters: Record<string, Formatter> = Object.fromEntries(
  await Promise.all(Object.entries(formatterLoaders).map(async ([name, load]) => [name, await load()] as const)),
);
