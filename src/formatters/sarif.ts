import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { INPUT_RULE_ID, INPUT_RULE_URL } from '../engine.js';
import { TOOL } from '../report.js';
import { documentKey, sliceText, type ReportTexts } from '../report-texts.js';
import { builtinRules } from '../rules.js';
import { messageWithExpected } from './message-text.js';
import type { Report, ReportFile, ReportMessage, Severity, SeveritySetting } from '../types.js';

/** GitHub code scanning accepts at most this many results per run. */
export const SARIF_MAX_RESULTS = 25_000;
/** GitHub code scanning keeps at most this many related locations per result. */
export const SARIF_MAX_RELATED = 1_000;

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/corpus-lint/corpus-lint';
const SOURCE_ROOT = '%SRCROOT%';
const FINGERPRINT_KEY = 'corpusLintSpan/v1';
/** Characters of context on each side of the flagged text that enter its fingerprint. */
const FINGERPRINT_CONTEXT = 16;

const LEVEL: Record<Severity, Sarif.Result.level> = { error: 'error', warning: 'warning', info: 'note' };
const DEFAULT_LEVEL: Record<SeveritySetting, Sarif.ReportingConfiguration.level> = { off: 'none', info: 'note', warn: 'warning', error: 'error' };
const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export interface SarifOptions {
  cwd: string;
  texts?: ReportTexts;
  /** Cap on results (default 25,000, code scanning's limit). */
  maxResults?: number;
}

/** SARIF 2.1.0 log of a report, one run, for GitHub code scanning and other SARIF viewers. */
export function formatSarif(report: Report, options: SarifOptions): string {
  return JSON.stringify(buildSarif(report, options), null, 2) + '\n';
}

/** Build the SARIF 2.1.0 log object of a report. */
export function buildSarif(report: Report, options: SarifOptions): Sarif.Log {
  const maxResults = options.maxResults ?? SARIF_MAX_RESULTS;
  const rules = ruleDescriptors(report);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));

  const located: Array<{ file: ReportFile; message: ReportMessage }> = [];
  for (const file of report.files) for (const message of file.messages) located.push({ file, message });
  const total = located.length;
  // When cut, keep the most severe findings first; the sort is stable, so corpus order holds within a level.
  const kept = total > maxResults ? [...located].sort((a, b) => SEVERITY_RANK[a.message.severity] - SEVERITY_RANK[b.message.severity]).slice(0, maxResults) : located;

  const occurrences = new Map<string, number>();
  const results = kept.map(({ file, message }): Sarif.Result => {
    const result: Sarif.Result = {
      ruleId: message.ruleId,
      ruleIndex: ruleIndex.get(message.ruleId),
      level: LEVEL[message.severity],
      message: { text: messageWithExpected(message) },
      locations: [{ physicalLocation: physicalLocation(file.path, file.line, message, options) }],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(file, message, options.texts, occurrences) },
    };
    if (message.related?.length) {
      result.relatedLocations = message.related.slice(0, SARIF_MAX_RELATED).map((related, index) => ({
        id: index + 1,
        physicalLocation: physicalLocation(related.path, related.documentLine, related, options),
        message: { text: related.message },
      }));
    }
    const properties: Record<string, unknown> = {};
    if (message.kind) properties.kind = message.kind;
    if (message.expected) properties.expected = message.expected;
    if (file.line !== undefined) {
      properties.record = { line: file.line, ...(file.id !== undefined ? { id: file.id } : {}) };
      properties.textRegion = { startLine: message.line, startColumn: message.column, endLine: message.endLine, endColumn: message.endColumn };
    }
    if (Object.keys(properties).length > 0) result.properties = properties;
    return result;
  });

  const run: Sarif.Run = {
    tool: {
      driver: { name: TOOL.name, version: TOOL.version, semanticVersion: TOOL.version, informationUri: INFORMATION_URI, rules },
    },
    originalUriBaseIds: { [SOURCE_ROOT]: { uri: pathToFileURL(options.cwd.endsWith('/') ? options.cwd : options.cwd + '/').href } },
    columnKind: 'utf16CodeUnits',
    results,
  };
  if (kept.length < total) {
    const note = `Results cut to ${kept.length} of ${total} (GitHub code scanning accepts ${maxResults} per run): errors first, then warnings, then notes. Use --format json for all of them.`;
    run.invocations = [
      { executionSuccessful: true, toolExecutionNotifications: [{ level: 'warning', descriptor: { id: 'results-cut' }, message: { text: note } }] },
    ];
    run.properties = { resultsCut: true, totalResults: total, includedResults: kept.length };
  }
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

function ruleDescriptors(report: Report): Sarif.ReportingDescriptor[] {
  const rules: Sarif.ReportingDescriptor[] = [...builtinRules.values()].map(({ meta }) => ({
    id: meta.id,
    shortDescription: { text: meta.description },
    helpUri: meta.url,
    defaultConfiguration: { level: DEFAULT_LEVEL[meta.defaultSeverity] },
  }));
  rules.push({
    id: INPUT_RULE_ID,
    shortDescription: { text: 'A problem reading an input: unreadable, binary or empty file, malformed JSONL record, bad metadata.' },
    helpUri: INPUT_RULE_URL,
    defaultConfiguration: { level: 'error' },
  });
  // Rules from plugins or config that are not built in still get a descriptor, from their messages.
  const known = new Set(rules.map((rule) => rule.id));
  for (const file of report.files) {
    for (const message of file.messages) {
      if (known.has(message.ruleId)) continue;
      known.add(message.ruleId);
      rules.push({ id: message.ruleId, shortDescription: { text: `Findings of the rule ${message.ruleId}.` }, ...(message.url ? { helpUri: message.url } : {}) });
    }
  }
  return rules;
}

type Positioned = Pick<ReportMessage, 'line' | 'column' | 'endLine' | 'endColumn' | 'start' | 'end'>;

function artifactLocation(path: string): Sarif.ArtifactLocation {
  if (isAbsolute(path)) return { uri: pathToFileURL(path).href };
  return { uri: path.split('/').map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT };
}

// A JSONL record's positions are within its text field, not the file: the region is the record's line.
function physicalLocation(path: string, recordLine: number | undefined, at: Positioned, options: SarifOptions): Sarif.PhysicalLocation {
  if (recordLine !== undefined) return { artifactLocation: artifactLocation(path), region: { startLine: recordLine } };
  const region: Sarif.Region = { startLine: at.line, startColumn: at.column, endLine: at.endLine, endColumn: at.endColumn };
  const snippet = sliceText(options.texts?.get(path), at.start, at.end);
  if (snippet !== undefined && snippet.length > 0 && snippet.length <= 500) region.snippet = { text: snippet };
  return { artifactLocation: artifactLocation(path), region };
}

/** A fingerprint from rule, kind, flagged text and a little context: stable when lines move. */
export function fingerprint(file: ReportFile, message: ReportMessage, texts: ReportTexts | undefined, occurrences: Map<string, number>): string {
  const key = documentKey(file.path, file.line);
  const document = texts?.get(key);
  const flagged = sliceText(document, message.start, message.end) ?? message.actual ?? message.message;
  const before = sliceText(document, Math.max(0, message.start - FINGERPRINT_CONTEXT), message.start) ?? '';
  const after = sliceText(document, message.end, Math.min(document?.length ?? message.end, message.end + FINGERPRINT_CONTEXT)) ?? '';
  const squeeze = (text: string) => text.replace(/\s+/g, ' ');
  const hash = createHash('sha256')
    .update([message.ruleId, message.kind ?? '', file.id ?? '', squeeze(before), squeeze(flagged), squeeze(after)].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
  // Identical text in the same document: number the occurrences so each finding keeps its own print.
  const seen = `${key}\u0000${hash}`;
  const count = (occurrences.get(seen) ?? 0) + 1;
  occurrences.set(seen, count);
  return `${hash}:${count}`;
}
