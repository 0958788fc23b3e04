import type { Root } from 'nlcst';
import type { VFile } from 'vfile';

/** Severity of a finding in a report. */
export type Severity = 'error' | 'warning' | 'info';

/** Severity as written in config: `off` disables a rule. */
export type SeveritySetting = 'off' | 'info' | 'warn' | 'error';

/** A JSON Schema object (draft 2020-12), as ajv takes it. */
export type JsonSchema = Record<string, unknown>;

/** What a rule declares about itself, in the spirit of ESLint's `meta`. */
export interface RuleMeta {
  id: string;
  description: string;
  url: string;
  defaultSeverity: SeveritySetting;
  /** Message templates by message id; `{{name}}` is replaced from the report's `data`. */
  messages: Record<string, string>;
  /** JSON Schema of the rule's options, with defaults; validated once by ajv. */
  schema: JsonSchema;
}

/** Where a document came from, and its metadata; kept in `vfile.data`. */
export interface DocumentInfo {
  /** Index of the document in corpus order. */
  index: number;
  /** Path of the file it came from, relative to the working directory, with `/`. */
  path: string;
  /** For a JSONL document: the 1-based line of the record in the .jsonl file. */
  line?: number;
  /** For a JSONL document: the value of its id field. */
  id?: string;
  /** Document date, `YYYY-MM-DD`, from the header line, front matter or JSONL field. */
  date?: string;
  /** Offset where the linted text starts (after a metadata header or front matter). */
  contentStart: number;
}

/** A span of text in another (or the same) document. */
export interface RelatedSpan {
  /** Document index in corpus order; the engine resolves path and positions. */
  doc: number;
  start: number;
  end: number;
  message: string;
}

/** A proposed replacement of `[start, end)` by `text`, for --fix. */
export interface Fix {
  start: number;
  end: number;
  text: string;
}

/** What a rule reports; offsets are 0-based into the document text, end exclusive. */
export interface Descriptor {
  messageId: string;
  data?: Record<string, string | number>;
  start: number;
  end: number;
  actual?: string;
  expected?: string[];
  related?: RelatedSpan[];
  /** A finer kind of finding within the rule, e.g. `mojibake`. */
  kind?: string;
  fix?: Fix;
}

/** A line of a document: `[start, end)` excludes the line break. */
export interface TextLine {
  text: string;
  start: number;
  end: number;
  /** 1-based line number. */
  number: number;
}

/** What a rule sees of one document. */
export interface RuleContext<Options> {
  ruleId: string;
  options: Options;
  doc: DocumentInfo;
  /** The VFile of the document (its `data` holds the DocumentInfo). */
  file: VFile;
  /**
   * The document text with metadata (date header, front matter) blanked by spaces:
   * same length and offsets as the original, so rules never see metadata as prose.
   */
  text: string;
  /** Lines of `text`, computed once and shared by all rules. */
  readonly lines: TextLine[];
  /** NLCST tree of `text` from retext-english, parsed on first use and shared by all rules. */
  readonly tree: Root;
  /** Memo shared by all rules on this document, for derived data worth computing once. */
  shared<T>(key: string, compute: () => T): T;
  report(descriptor: Descriptor): void;
}

/** One document's compact corpus-pass data, as collected by a rule. */
export interface CorpusEntry<Data> {
  doc: number;
  path: string;
  id?: string;
  line?: number;
  data: Data;
}

/** What a rule sees in the corpus step, after every document was checked. */
export interface CorpusContext<Options, Data> {
  ruleId: string;
  options: Options;
  /** Per-document data in corpus order (documents for which the rule returned nothing are absent). */
  entries: CorpusEntry<Data>[];
  /** Report a finding on document `doc`, one with corpus data (so are the documents of `related` spans). */
  report(doc: number, descriptor: Descriptor): void;
  /** Display name of a document with corpus data: `path`, or `path:line (id)` for a JSONL record. */
  describe(doc: number): string;
}

/**
 * A lint rule: metadata, a per-document check, and optionally a corpus step.
 * `check` may return compact, structured-cloneable data for the corpus step
 * (per document a signature or counts, never the text).
 */
export interface Rule<Options = Record<string, unknown>, Data = unknown> {
  meta: RuleMeta;
  check(context: RuleContext<Options>): Data | undefined | void;
  complete?(context: CorpusContext<Options, Data>): void;
}

/** Where a span stands: line/column 1-based with the end exclusive, start/end 0-based offsets. */
export interface ReportPosition {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  start: number;
  end: number;
}

/** A message as it stands in the JSON report. */
export interface ReportMessage extends ReportPosition {
  ruleId: string;
  severity: Severity;
  message: string;
  messageId?: string;
  kind?: string;
  actual?: string;
  expected?: string[];
  url?: string;
  fatal?: boolean;
  fix?: Fix;
  related?: ReportRelated[];
}

/** A related location as it stands in the JSON report. */
export interface ReportRelated extends ReportPosition {
  path: string;
  id?: string;
  documentLine?: number;
  message: string;
}

/** One document's entry in the JSON report. */
export interface ReportFile {
  path: string;
  line?: number;
  id?: string;
  date?: string;
  messages: ReportMessage[];
}

/** The JSON report. */
export interface Report {
  version: string;
  tool: { name: string; version: string };
  summary: {
    documents: number;
    errors: number;
    warnings: number;
    infos: number;
    fatal: number;
    byRule: Record<string, { errors: number; warnings: number; infos: number }>;
  };
  files: ReportFile[];
}
