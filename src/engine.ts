import { VFile } from 'vfile';
import type { ResolvedConfig } from './config.js';
import { createRuleContext } from './context.js';
import { extractMetadata, readDocuments, resolveInputs, type InputOptions, type LoadedDocument } from './inputs.js';
import { formatMessage } from './rule.js';
import { buildReport } from './report.js';
import type { Concurrency } from './parallel.js';
import type { Descriptor, DocumentInfo, Report, ReportFile, ReportMessage, ReportRelated, Severity } from './types.js';

export const INPUT_RULE_ID = 'input';
export const INPUT_RULE_URL = 'https://github.com/corpus-lint/corpus-lint#bad-input';

/** Per-document outcome of the first pass: the report entry and compact data for the corpus step. */
export interface DocumentResult {
  file: ReportFile;
  /** Offsets where each line starts: enough to place corpus-step findings without the text. */
  lineStarts: number[];
  length: number;
  /** Rule id to the data the rule's `check` returned. */
  corpusData: Record<string, unknown>;
  /** Rules that threw on this document. */
  crashed: string[];
}

/** Outcome of a whole run. */
export interface LintRun {
  report: Report;
  /** Arguments that matched nothing (a usage problem: exit 2). */
  problems: string[];
  /** `ruleId: path` for rules that threw (a tool failure: exit 2). */
  crashes: string[];
}

export interface LintOptions {
  cwd: string;
  config: ResolvedConfig;
  readFile?: InputOptions['readFile'];
  /** Called after each document of the first pass (progress). */
  onDocument?: (result: DocumentResult, bytes: number) => void;
  /** Called once the input files are known, before linting starts (progress). */
  onFiles?: (files: string[]) => void;
  /** Worker threads for the first pass: a number, `auto` (all cores, for large runs) or `off` (default). */
  concurrency?: Concurrency;
}

/** How the first pass runs on documents: in this thread or over a worker pool. */
export type FirstPass = (
  documents: AsyncIterable<LoadedDocument> | Iterable<LoadedDocument>,
  config: ResolvedConfig,
  onDocument?: LintOptions['onDocument'],
) => Promise<DocumentResult[]>;

/** Offsets at which lines start. */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

// vfile-location needs the whole text; the corpus step keeps only line starts, so positions are found here.
function toPoint(lineStarts: number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lineStarts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - lineStarts[low] + 1 };
}

/** Blank metadata (header, front matter) with spaces, keeping offsets and line breaks. */
export function maskMetadata(text: string, contentStart: number): string {
  if (contentStart <= 0) return text;
  return text.slice(0, contentStart).replace(/[^\r\n]/g, ' ') + text.slice(contentStart);
}

function positioned(lineStarts: number[], start: number, end: number) {
  const from = toPoint(lineStarts, start);
  const to = toPoint(lineStarts, end);
  return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column, start, end };
}

interface Placed {
  path: string;
  id?: string;
  line?: number;
  lineStarts: number[];
}

function toReportMessage(
  descriptor: Descriptor,
  message: string,
  ruleId: string,
  severity: Severity,
  url: string,
  here: Placed,
  lookup: (doc: number) => Placed,
): ReportMessage {
  const result: ReportMessage = {
    ruleId,
    severity,
    message,
    ...positioned(here.lineStarts, descriptor.start, descriptor.end),
    messageId: descriptor.messageId,
    ...(descriptor.kind ? { kind: descriptor.kind } : {}),
    ...(descriptor.actual !== undefined ? { actual: descriptor.actual } : {}),
    ...(descriptor.expected ? { expected: descriptor.expected } : {}),
    url,
    ...(descriptor.fix ? { fix: descriptor.fix } : {}),
  };
  if (descriptor.related?.length) {
    result.related = descriptor.related.map((related): ReportRelated => {
      const other = lookup(related.doc);
      return {
        path: other.path,
        ...(other.id !== undefined ? { id: other.id } : {}),
        ...(other.line !== undefined ? { documentLine: other.line } : {}),
        ...positioned(other.lineStarts, related.start, related.end),
        message: related.message,
      };
    });
  }
  return result;
}

function inputMessage(note: LoadedDocument['notes'][number]): ReportMessage {
  const line = note.line ?? 1;
  const column = note.column ?? 1;
  return {
    ruleId: INPUT_RULE_ID,
    severity: note.severity,
    message: note.message,
    line,
    column,
    endLine: line,
    endColumn: column,
    start: 0,
    end: 0,
    url: INPUT_RULE_URL,
    ...(note.fatal ? { fatal: true } : {}),
  };
}

/** Lint one loaded document with every active rule: the first pass. */
export function lintDocument(loaded: LoadedDocument, index: number, config: ResolvedConfig): DocumentResult {
  const info: DocumentInfo = { ...loaded.info, index };
  const file: ReportFile = {
    path: info.path,
    ...(info.line !== undefined ? { line: info.line } : {}),
    ...(info.id !== undefined ? { id: info.id } : {}),
    ...(info.date !== undefined ? { date: info.date } : {}),
    messages: loaded.notes.map(inputMessage),
  };
  const raw = loaded.text;
  if (raw === undefined || raw.trim() === '') {
    return { file, lineStarts: [0], length: raw?.length ?? 0, corpusData: {}, crashed: [] };
  }
  const text = maskMetadata(raw, info.contentStart);
  const lineStarts = lineStartsOf(text);
  const here: Placed = { ...info, lineStarts };
  const vfile = new VFile({ value: text, path: info.path, data: { ...info } });
  const memo = new Map<string, unknown>();
  const corpusData: Record<string, unknown> = {};
  const crashed: string[] = [];
  for (const active of config.rules) {
    const { rule } = active;
    const context = createRuleContext({ rule, options: active.options, text, doc: info, file: vfile, memo }, (descriptor) => {
      const message = formatMessage(rule.meta, descriptor.messageId, descriptor.data);
      file.messages.push(toReportMessage(descriptor, message, rule.meta.id, active.severity, rule.meta.url, here, () => here));
    });
    try {
      const data = rule.check(context);
      if (data !== undefined) corpusData[rule.meta.id] = data;
    } catch (error) {
      crashed.push(rule.meta.id);
      file.messages.push({
        ...inputMessage({ severity: 'error', fatal: true, message: `Rule "${rule.meta.id}" failed on ${info.path}: ${(error as Error).message}` }),
        ruleId: rule.meta.id,
        url: rule.meta.url,
      });
    }
  }
  return { file, lineStarts, length: text.length, corpusData, crashed };
}

/** Run the corpus step of every rule that has one, over the first pass's results (in corpus order). */
export function completeCorpus(results: DocumentResult[], config: ResolvedConfig): string[] {
  const crashes: string[] = [];
  const placed = (doc: number): Placed => ({ ...results[doc].file, lineStarts: results[doc].lineStarts });
  for (const active of config.rules) {
    const { rule } = active;
    if (!rule.complete) continue;
    const entries = [];
    for (let doc = 0; doc < results.length; doc++) {
      const data = results[doc].corpusData[rule.meta.id];
      if (data === undefined) continue;
      const { path, id, line } = results[doc].file;
      entries.push({ doc, path, ...(id !== undefined ? { id } : {}), ...(line !== undefined ? { line } : {}), data });
    }
    try {
      rule.complete({
        ruleId: rule.meta.id,
        options: active.options,
        entries,
        describe(doc) {
          const { path, id, line } = results[doc].file;
          return line !== undefined ? `${path}:${line}${id !== undefined ? ` (${id})` : ''}` : path;
        },
        report(doc, descriptor) {
          const target = results[doc];
          if (!target) throw new Error(`Rule "${rule.meta.id}" reported on unknown document ${doc}`);
          if (!(descriptor.start >= 0 && descriptor.end >= descriptor.start && descriptor.end <= target.length)) {
            throw new Error(`Rule "${rule.meta.id}" reported an invalid span [${descriptor.start}, ${descriptor.end}) in ${target.file.path}`);
          }
          const message = formatMessage(rule.meta, descriptor.messageId, descriptor.data);
          target.file.messages.push(toReportMessage(descriptor, message, rule.meta.id, active.severity, rule.meta.url, placed(doc), placed));
        },
      });
    } catch (error) {
      crashes.push(`${rule.meta.id}: corpus step failed: ${(error as Error).message}`);
    }
  }
  return crashes;
}

/**
 * A result that holds no reference into the document text: strings a rule sliced from the text
 * (messages, corpus data) would keep the whole text alive, so those parts are structured-cloned, as
 * they are on the way back from a worker (which also holds rules in this thread to the same contract).
 */
export function detachResult(result: DocumentResult): DocumentResult {
  if (result.file.messages.length === 0 && Object.keys(result.corpusData).length === 0) return result;
  return { ...result, file: structuredClone(result.file), corpusData: structuredClone(result.corpusData) };
}

/** The first pass in this thread, results detached from the text. */
export const firstPassInThread: FirstPass = async (documents, config, onDocument) => {
  const results: DocumentResult[] = [];
  for await (const loaded of documents) {
    const result = detachResult(lintDocument(loaded, results.length, config));
    results.push(result);
    onDocument?.(result, loaded.text?.length ?? 0);
  }
  return results;
};

/** Lint documents from any source: first pass per document, then the corpus step, then the report. */
export async function lintDocuments(
  documents: AsyncIterable<LoadedDocument> | Iterable<LoadedDocument>,
  config: ResolvedConfig,
  onDocument?: LintOptions['onDocument'],
  firstPass: FirstPass = firstPassInThread,
): Promise<{ report: Report; crashes: string[] }> {
  const results = await firstPass(documents, config, onDocument);
  const crashes: string[] = [];
  for (const result of results) {
    for (const ruleId of result.crashed) crashes.push(`${ruleId}: ${result.file.path}${result.file.line ? `:${result.file.line}` : ''}`);
  }
  crashes.push(...completeCorpus(results, config));
  return { report: buildReport(results.map((result) => result.file)), crashes };
}

/** Lint paths, directories and globs as the CLI does. */
export async function lintPaths(patterns: string[], options: LintOptions): Promise<LintRun> {
  const inputOptions: InputOptions = {
    cwd: options.cwd,
    extensions: options.config.extensions,
    ignore: options.config.ignore,
    jsonl: options.config.jsonl,
    ...(options.readFile ? { readFile: options.readFile } : {}),
  };
  const { files, problems } = await resolveInputs(patterns, inputOptions);
  options.onFiles?.(files);
  const concurrency = options.concurrency ?? 'off';
  const firstPass = concurrency === 'off' ? firstPassInThread : (await import('./parallel.js')).parallelFirstPass(concurrency);
  const { report, crashes } = await lintDocuments(readDocuments(files, inputOptions), options.config, options.onDocument, firstPass);
  return { report, problems, crashes };
}

/** Lint a single text (API and tests): one document, corpus step included. */
export async function lintText(
  text: string,
  config: ResolvedConfig,
  info: Partial<Omit<DocumentInfo, 'index'>> = {},
): Promise<ReportFile> {
  const metadata = extractMetadata(text, (info.path ?? '').endsWith('.md'));
  const found = { path: 'text.txt', contentStart: metadata.contentStart, ...(metadata.date ? { date: metadata.date } : {}), ...info };
  const { report } = await lintDocuments([{ info: found, text, notes: metadata.notes }], config);
  return report.files[0];
}
