import type { Formatter } from './index.js';

/** Each output format's formatter, loaded on first use: the CLI loads only the formats it writes. */
export const formatterLoaders: Record<string, () => Promise<Formatter>> = {
  stylish: async () => (await import('./stylish.js')).formatStylish,
  json: async () => (await import('./json.js')).formatJson,
  sarif: async () => (await import('./sarif.js')).formatSarif,
  github: async () => (await import('./github.js')).formatGithub,
  html: async () => (await import('./html.js')).formatHtml,
};

/** Formats that use document texts: the CLI re-reads the documents with findings for them. */
export const needsTexts: ReadonlySet<string> = new Set(['sarif', 'html']);
