import type { ReportTexts } from '../report-texts.js';
import type { Report } from '../types.js';
import { formatGithub } from './github.js';
import { formatHtml } from './html.js';
import { formatJson } from './json.js';
import { formatSarif } from './sarif.js';
import { formatStylish } from './stylish.js';

/** Options every formatter receives. */
export interface FormatterOptions {
  color?: boolean;
  cwd: string;
  /** Texts of the documents with findings, for formats that show or fingerprint text (see `needsTexts`). */
  texts?: ReportTexts;
}

export type Formatter = (report: Report, options: FormatterOptions) => string;

/** Output formats by name. */
export const formatters: Record<string, Formatter> = {
  stylish: (report, options) => formatStylish(report, options),
  json: (report) => formatJson(report),
  sarif: (report, options) => formatSarif(report, options),
  github: (report) => formatGithub(report),
  html: (report, options) => formatHtml(report, options),
};

/** Formats that use document texts: the CLI re-reads the documents with findings for them. */
export const needsTexts: ReadonlySet<string> = new Set(['sarif', 'html']);
