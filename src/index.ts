export { defineRule, asUnifiedPlugin, resolveRuleOptions, formatMessage, ConfigError } from './rule.js';
export { loadConfig, resolveConfig, type ResolvedConfig, type UserConfig } from './config.js';
export { lintPaths, lintDocuments, lintDocument, lintText, completeCorpus } from './engine.js';
export { builtinRules } from './rules.js';
export { buildReport, REPORT_VERSION } from './report.js';
export { formatters } from './formatters/index.js';
export { loadReportTexts, type ReportTexts, type DocumentText } from './report-texts.js';
export { runCli, EXIT } from './cli.js';
export type * from './types.js';
