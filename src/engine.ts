import type { ResolvedConfig } from './config.js';
import { createRuleContext } from './context.js';
import { extractMetadata, readDocuments, resolveInputs, type InputOptions, type LoadedDocument } from './inputs.js';
import { formatMessage } from './rule.js';
import { compareMessages, countMessages, emptySummary, sortedSummary } from './report.js';
import { CorpusDataStore, corpusEntry, type CorpusDocuments, type CorpusPlace } from './corpus-data.js';
import { ReportFileStore } from './report-files.js';
import { SPILL_AFTER } from './spill.js';
import type { Concurrency } from './parallel.js';
import type { Descriptor, DocumentInfo, Report, ReportFile, ReportMessage, ReportRelated, Severity } from './types.js';

export const INPUT_RULE_ID = 'input';
export const INPUT_RULE_URL = 'https://github.com/corpus-lint/corpus-lint#bad-input';

/** Per-document outcome of the first pass: the report entry and compact data for the corpus step. */
export interface DocumentResult {
  file: ReportFile;
  /**
   * Offsets where each line starts: enough to place corpus-step findings without the text. Only for
   * a document with corpus data (the corpus step reports on no other); `[0]` otherwise.
   */
  lineStarts: ArrayLike<number>;
  length: number;
  /** Rule id to the data the rule's `check` returned (one shared frozen empty object when none). */
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
  /** Documents past which the report's entries go to a temporary file (default SPILL_AFTER). */
  spillAfter?: number;
}

/** How the first pass runs on documents (in this thread or over a worker pool): each result goes to `onResult` in corpus order. */
export type FirstPass = (
  documents: AsyncIterable<LoadedDocument> | Iterable<LoadedDocument>,
  config: ResolvedConfig,
  onResult: (result: DocumentResult, chars: number) => void,
) => Promise<void>;

/** Offsets at which lines start. */
export function lineStartsOf(text: string): Uint32Array {
  let lines = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
  const starts = new Uint32Array(lines);
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts[line++] = at + 1;
  return starts;
}

const NO_LINE_STARTS: ArrayLike<number> = Object.freeze([0]);
const NO_CORPUS_DATA: Record<string, unknown> = Object.freeze({});
const NO_CRASHES: string[] = Object.freeze([]) as unknown as string[];

// vfile-location needs the whole text; the corpus step keeps only line starts, so positions are found here.
function toPoint(lineStarts: ArrayLike<number>, offset: number): { line: number; column: number } {
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

function positioned(lineStarts: ArrayLike<number>, start: number, end: number) {
  const from = toPoint(lineStarts, start);
  const to = toPoint(lineStarts, end);
  return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column, start, end };
}

/** Where a document is, to place findings in it. */
interface Placed {
  path: string;
  id?: string;
  line?: number;
  lineStarts: ArrayLike<number>;
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
    return { file, lineStarts: NO_LINE_STARTS, length: raw?.length ?? 0, corpusData: NO_CORPUS_DATA, crashed: NO_CRASHES };
  }
  const text = maskMetadata(raw, info.contentStart);
  // Line starts only once a rule reports or returns corpus data: most documents need none.
  let here: Placed | undefined;
  const placeHere = () => (here ??= { ...info, lineStarts: lineStartsOf(text) });
  const memo = new Map<string, unknown>();
  let corpusData: Record<string, unknown> | undefined;
  let crashed: string[] | undefined;
  for (const active of config.rules) {
    const { rule } = active;
    const context = createRuleContext({ rule, options: active.options, text, doc: info, memo }, (descriptor) => {
      const message = formatMessage(rule.meta, descriptor.messageId, descriptor.data);
      file.messages.push(toReportMessage(descriptor, message, rule.meta.id, active.severity, rule.meta.url, placeHere(), placeHere));
    });
    try {
      const data = rule.check(context);
      if (data !== undefined) (corpusData ??= {})[rule.meta.id] = data;
    } catch (error) {
      (crashed ??= []).push(rule.meta.id);
      file.messages.push({
        ...inputMessage({ severity: 'error', fatal: true, message: `Rule "${rule.meta.id}" failed on ${info.path}: ${(error as Error).message}` }),
        ruleId: rule.meta.id,
        url: rule.meta.url,
      });
    }
  }
  return {
    file,
    lineStarts: corpusData ? placeHere().lineStarts : NO_LINE_STARTS,
    length: text.length,
    corpusData: corpusData ?? NO_CORPUS_DATA,
    crashed: crashed ?? NO_CRASHES,
  };
}

function hasCorpusData(result: DocumentResult): boolean {
  return Object.keys(result.corpusData).length > 0;
}

/** Run the corpus step of every rule that has one: each finding goes to `onMessage`. Resolves to the rules that failed. */
function runCorpusStep(documents: CorpusDocuments, config: ResolvedConfig, onMessage: (doc: number, message: ReportMessage) => void): string[] {
  const crashes: string[] = [];
  const placed = (ruleId: string, doc: number): CorpusPlace => {
    const target = documents.place(doc);
    if (!target) throw new Error(`Rule "${ruleId}" reported on document ${doc}, which has no corpus data`);
    return target;
  };
  for (const active of config.rules) {
    const { rule } = active;
    if (!rule.complete) continue;
    const ruleId = rule.meta.id;
    try {
      rule.complete({
        ruleId,
        options: active.options,
        entries: documents.entries(ruleId),
        describe(doc) {
          const { path, id, line } = placed(ruleId, doc);
          return line !== undefined ? `${path}:${line}${id !== undefined ? ` (${id})` : ''}` : path;
        },
        report(doc, descriptor) {
          const target = placed(ruleId, doc);
          if (!(descriptor.start >= 0 && descriptor.end >= descriptor.start && descriptor.end <= target.length)) {
            throw new Error(`Rule "${ruleId}" reported an invalid span [${descriptor.start}, ${descriptor.end}) in ${target.path}`);
          }
          const message = formatMessage(rule.meta, descriptor.messageId, descriptor.data);
          onMessage(doc, toReportMessage(descriptor, message, ruleId, active.severity, rule.meta.url, target, (other) => placed(ruleId, other)));
        },
      });
    } catch (error) {
      crashes.push(`${ruleId}: corpus step failed: ${(error as Error).message}`);
    }
  }
  return crashes;
}

/** Run the corpus step of every rule that has one over first-pass results (in corpus order): findings join their documents' messages. */
export function completeCorpus(results: DocumentResult[], config: ResolvedConfig): string[] {
  const documents: CorpusDocuments = {
    place(doc) {
      const result = results[doc];
      if (!result || !hasCorpusData(result)) return undefined;
      const { path, id, line } = result.file;
      return { path, ...(id !== undefined ? { id } : {}), ...(line !== undefined ? { line } : {}), lineStarts: result.lineStarts, length: result.length };
    },
    entries: (ruleId) => results.flatMap((result, doc) => (result.corpusData[ruleId] === undefined ? [] : [corpusEntry(doc, result.file, result.corpusData[ruleId])])),
  };
  return runCorpusStep(documents, config, (doc, message) => void results[doc].file.messages.push(message));
}

/**
 * A result that holds no reference into the document text: strings a rule sliced from the text
 * (messages, corpus data) would keep the whole text alive, so those parts are structured-cloned, as
 * they are on the way back from a worker (which also holds rules in this thread to the same contract).
 */
export function detachResult(result: DocumentResult): DocumentResult {
  const messages = result.file.messages.length > 0;
  const data = hasCorpusData(result);
  if (!messages && !data) return result;
  return { ...result, ...(messages ? { file: structuredClone(result.file) } : {}), ...(data ? { corpusData: structuredClone(result.corpusData) } : {}) };
}

/** The first pass in this thread, results detached from the text. */
export const firstPassInThread: FirstPass = async (documents, config, onResult) => {
  let index = 0;
  for await (const loaded of documents) onResult(detachResult(lintDocument(loaded, index++, config)), loaded.text?.length ?? 0);
};

/**
 * Collects first-pass results as they come, in corpus order: report entries go to a store (on disk
 * for a large run), and only documents with corpus data keep what the corpus step needs.
 */
class RunCollector {
  readonly files: ReportFileStore;
  readonly corpus: CorpusDataStore;
  readonly summary = emptySummary();
  readonly crashes: string[] = [];
  /** Every record of a JSONL file has the same path: one copy of it, not one per document. */
  private readonly paths = new Map<string, string>();

  constructor(config: ResolvedConfig, spillAfter: number) {
    this.files = new ReportFileStore(spillAfter);
    this.corpus = new CorpusDataStore(config.rules.flatMap((active) => (active.rule.complete ? [active.rule.meta.id] : [])), spillAfter);
  }

  add(result: DocumentResult): void {
    const { file } = result;
    const path = this.paths.get(file.path);
    if (path === undefined) this.paths.set(file.path, file.path);
    else file.path = path;
    for (const ruleId of result.crashed) this.crashes.push(`${ruleId}: ${file.path}${file.line ? `:${file.line}` : ''}`);
    file.messages.sort(compareMessages);
    countMessages(this.summary, file.messages);
    if (hasCorpusData(result)) this.corpus.add(this.files.count, file, result.lineStarts, result.length, result.corpusData);
    this.files.add(file);
  }
}

/** Lint documents from any source: first pass per document, then the corpus step, then the report. */
export async function lintDocuments(
  documents: AsyncIterable<LoadedDocument> | Iterable<LoadedDocument>,
  config: ResolvedConfig,
  onDocument?: LintOptions['onDocument'],
  firstPass: FirstPass = firstPassInThread,
  spillAfter = SPILL_AFTER,
): Promise<{ report: Report; crashes: string[] }> {
  const run = new RunCollector(config, spillAfter);
  await firstPass(documents, config, (result, chars) => {
    run.add(result);
    onDocument?.(result, chars);
  });
  const extra = new Map<number, ReportMessage[]>();
  const crashes = [...run.crashes, ...runCorpusStep(run.corpus, config, (doc, message) => {
    const messages = extra.get(doc);
    if (messages) messages.push(message);
    else extra.set(doc, [message]);
  })];
  run.corpus.clear();
  for (const messages of extra.values()) countMessages(run.summary, messages);
  run.summary.documents = run.files.count;
  return { report: run.files.finish(sortedSummary(run.summary), extra), crashes };
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
  const { report, crashes } = await lintDocuments(readDocuments(files, inputOptions), options.config, options.onDocument, firstPass, options.spillAfter);
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
