import { createHash } from 'node:crypto';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { ActiveRule, ResolvedConfig } from './config.js';
import type { DocumentResult } from './engine.js';
import type { LoadedDocument } from './inputs.js';
import { compareMessages, countMessages, emptySummary, REPORT_VERSION, sortedSummary, TOOL } from './report.js';
import { isUnread, lazyReportFile, reportFileJson } from './report-files.js';
import type { Descriptor, Report, ReportFile } from './types.js';
import { writeFileAtomic } from './write.js';

/** Default cache folder, relative to the working directory. */
export const DEFAULT_CACHE_LOCATION = '.corpuslintcache';
const CACHE_FORMAT = 5;

/** How a file is known to be unchanged: its size and mtime (`metadata`) or always its content hash (`content`). */
export type CacheStrategy = 'metadata' | 'content';

/** Per rule id, a 48-bit digest of the corpus data the rule returned for a document. */
type DataDigests = Record<string, number>;

function digestsOf(corpusData: Record<string, unknown>): DataDigests {
  const digests: DataDigests = {};
  for (const [ruleId, data] of Object.entries(corpusData)) digests[ruleId] = createHash('sha1').update(serialize(data)).digest().readUIntLE(0, 6);
  return digests;
}

/** A report entry's messages counted: per rule, errors, warnings and infos, then the fatal ones. */
interface MessageCounts {
  rules: readonly string[];
  values: ArrayLike<number>;
}

function countsOf(messages: ReportFile['messages']): MessageCounts {
  const summary = emptySummary();
  countMessages(summary, messages);
  const rules = Object.keys(summary.byRule);
  const values = rules.flatMap((ruleId) => {
    const { errors, warnings, infos } = summary.byRule[ruleId];
    return [errors, warnings, infos];
  });
  return { rules, values: [...values, summary.fatal] };
}

function addCounts(summary: Report['summary'], { rules, values }: MessageCounts): void {
  for (let rule = 0; rule < rules.length; rule++) {
    const errors = values[rule * 3];
    const warnings = values[rule * 3 + 1];
    const infos = values[rule * 3 + 2];
    if (errors + warnings + infos === 0) continue;
    const counts = (summary.byRule[rules[rule]] ??= { errors: 0, warnings: 0, infos: 0 });
    counts.errors += errors;
    counts.warnings += warnings;
    counts.infos += infos;
    summary.errors += errors;
    summary.warnings += warnings;
    summary.infos += infos;
  }
  summary.fatal += values[rules.length * 3];
}

/**
 * A first-pass result as cached, keyed by the hash of what the rules saw. The report entry is kept as
 * the text the JSON report writes (messages sorted) with its counts, so an unchanged document's entry
 * is written and counted without being parsed. Line starts are kept only for documents with corpus
 * data: the corpus step can only report on documents it has data for.
 */
interface CachedDocument {
  key: string;
  head: Omit<ReportFile, 'messages'>;
  json: string;
  counts: MessageCounts;
  lineStarts: Uint32Array;
  length: number;
  corpusData: Record<string, unknown>;
  digests: DataDigests;
}

const ZERO = Uint32Array.of(0);
const NO_DATA = {};
const NO_CRASHES: string[] = [];

/** A fresh first-pass result as cached (before the corpus step adds messages to it). */
function cachedDocument(key: string, result: DocumentResult, digests: DataDigests): CachedDocument {
  const { messages, ...head } = result.file;
  const sorted = [...messages].sort(compareMessages);
  const hasData = Object.keys(result.corpusData).length > 0;
  return {
    key,
    head,
    json: reportFileJson({ ...result.file, messages: sorted }),
    counts: countsOf(sorted),
    lineStarts: hasData ? Uint32Array.from(result.lineStarts) : ZERO,
    length: result.length,
    // Empty parts point to one shared object: the serializer writes it once, then back-references.
    corpusData: hasData ? result.corpusData : NO_DATA,
    digests,
  };
}

/** What a rule's corpus step reported, and the digest of the input it ran on. */
interface CorpusStep {
  input: string;
  reports: [doc: number, descriptor: Descriptor][];
}

interface CorpusStepFile {
  format: number;
  configHash: string;
  steps: Record<string, CorpusStep>;
}

const CORPUS_STEP_FILE = 'corpus-step.v8';

interface CachedFile {
  size: number;
  mtimeMs: number;
  documents: CachedDocument[];
}

/**
 * A file modified this close to the moment the cache was written may have changed again within the
 * same mtime tick (coarse file systems: up to 2 s), as git's "racily clean" entries: its content is hashed instead.
 */
const RACY_MS = 2000;

/** One shard file of the cache: the files whose path hashes to it. */
interface CacheShard {
  format: number;
  /** Tool version, config and rule code hashed together: any change empties the cache. */
  configHash: string;
  /** When the shard was written (ms since the epoch). */
  savedAt: number;
  files: Record<string, CachedFile>;
}

/**
 * A shard as written: one array per field instead of objects per file and document, since
 * deserializing costs per object (the live objects are rebuilt in JavaScript, several times faster).
 */
interface ShardColumns {
  format: number;
  configHash: string;
  savedAt: number;
  /** Per file; its documents follow each other in the document columns. */
  paths: string[];
  sizes: Float64Array;
  mtimes: Float64Array;
  counts: Uint32Array;
  /** Per document. */
  keys: string[];
  docPaths: string[];
  /** NaN for none. */
  lines: Float64Array;
  ids: (string | null)[];
  dates: (string | null)[];
  /**
   * The entries' JSON texts one after the other, as UTF-8 (half the bytes of the string: a shard's
   * text mostly holds some character beyond Latin-1, which makes it two-byte), and where each ends (in characters).
   */
  jsonText: Uint8Array;
  jsonEnds: Uint32Array;
  lineStarts: Uint32Array[];
  lengths: Float64Array;
  corpusData: Record<string, unknown>[];
  /** Per document, for each of `countRules`, errors, warnings and infos, then fatal messages. */
  countRules: string[];
  messageCounts: Uint32Array;
  /** Per document and rule (`documents × digestRules.length`), NaN where the rule returned no data. */
  digestRules: string[];
  digests: Float64Array;
}

function encodeShard(shard: CacheShard): ShardColumns {
  const entries = Object.entries(shard.files);
  const documents = entries.flatMap(([, cached]) => cached.documents);
  const digestRules = [...new Set(documents.flatMap((document) => Object.keys(document.digests)))];
  const digests = new Float64Array(documents.length * digestRules.length).fill(Number.NaN);
  for (const [index, document] of documents.entries()) {
    for (const [rule, ruleId] of digestRules.entries()) digests[index * digestRules.length + rule] = document.digests[ruleId] ?? Number.NaN;
  }
  let jsonEnd = 0;
  const countRules = [...new Set(documents.flatMap((document) => document.counts.rules))];
  const stride = countRules.length * 3 + 1;
  const messageCounts = new Uint32Array(documents.length * stride);
  for (const [index, { counts: { rules, values } }] of documents.entries()) {
    for (const [rule, ruleId] of rules.entries()) messageCounts.set([values[rule * 3], values[rule * 3 + 1], values[rule * 3 + 2]], index * stride + countRules.indexOf(ruleId) * 3);
    messageCounts[index * stride + stride - 1] = values[rules.length * 3];
  }
  return {
    format: shard.format,
    configHash: shard.configHash,
    savedAt: shard.savedAt,
    paths: entries.map(([absolute]) => absolute),
    sizes: Float64Array.from(entries, ([, cached]) => cached.size),
    mtimes: Float64Array.from(entries, ([, cached]) => cached.mtimeMs),
    counts: Uint32Array.from(entries, ([, cached]) => cached.documents.length),
    keys: documents.map((document) => document.key),
    docPaths: documents.map((document) => document.head.path),
    lines: Float64Array.from(documents, (document) => document.head.line ?? Number.NaN),
    ids: documents.map((document) => document.head.id ?? null),
    dates: documents.map((document) => document.head.date ?? null),
    jsonText: Buffer.from(documents.map((document) => document.json).join('')),
    jsonEnds: Uint32Array.from(documents, (document) => (jsonEnd += document.json.length)),
    lineStarts: documents.map((document) => document.lineStarts),
    lengths: Float64Array.from(documents, (document) => document.length),
    corpusData: documents.map((document) => document.corpusData),
    countRules,
    messageCounts,
    digestRules,
    digests,
  };
}

function decodeShard(columns: ShardColumns): CacheShard {
  const files: Record<string, CachedFile> = {};
  const rules = columns.digestRules.length;
  const stride = columns.countRules.length * 3 + 1;
  const jsonText = Buffer.from(columns.jsonText.buffer, columns.jsonText.byteOffset, columns.jsonText.byteLength).toString();
  let next = 0;
  for (const [index, absolute] of columns.paths.entries()) {
    const documents: CachedDocument[] = [];
    for (const end = next + columns.counts[index]; next < end; next++) {
      const digests: DataDigests = {};
      for (let rule = 0; rule < rules; rule++) {
        const digest = columns.digests[next * rules + rule];
        if (!Number.isNaN(digest)) digests[columns.digestRules[rule]] = digest;
      }
      // Keys in the order the engine builds an entry, so the parsed and the lazy entry agree.
      const head: CachedDocument['head'] = { path: columns.docPaths[next] };
      const [line, id, date] = [columns.lines[next], columns.ids[next], columns.dates[next]];
      if (!Number.isNaN(line)) head.line = line;
      if (id !== null) head.id = id;
      if (date !== null) head.date = date;
      const counts = { rules: columns.countRules, values: columns.messageCounts.subarray(next * stride, (next + 1) * stride) };
      documents.push({
        key: columns.keys[next],
        head,
        // A slice of the decoded text: no copy.
        json: jsonText.slice(next === 0 ? 0 : columns.jsonEnds[next - 1], columns.jsonEnds[next]),
        counts,
        lineStarts: columns.lineStarts[next],
        length: columns.lengths[next],
        corpusData: columns.corpusData[next],
        digests,
      });
    }
    files[absolute] = { size: columns.sizes[index], mtimeMs: columns.mtimes[index], documents };
  }
  return { format: columns.format, configHash: columns.configHash, savedAt: columns.savedAt, files };
}

/**
 * The cache is split by path into this many files, so that a run after a few changes rewrites a few
 * small files instead of serializing every document's result again.
 */
const SHARDS = 64;
const SHARD_FILE = /^shard-([0-9a-f]{2})\.v8$/;
const shardFile = (shard: number) => `shard-${shard.toString(16).padStart(2, '0')}.v8`;

/** The shard of a path: FNV-1a of its characters (stable across runs and platforms, unlike a Map's hashing). */
function shardOf(absolute: string): number {
  let hash = 0x811c9dc5;
  for (let at = 0; at < absolute.length; at++) hash = Math.imul(hash ^ absolute.charCodeAt(at), 0x01000193);
  return (hash >>> 0) % SHARDS;
}

/** A cache file's content, or undefined when it cannot be read or decoded (another format). */
function readCacheFile<Stored, Live>(path: string, decode: (stored: Stored) => Live): Live | undefined {
  try {
    // Read synchronously: a few dozen files, and each is deserialized at once anyway.
    const stored = deserialize(readFileSync(path)) as Stored & { format?: number };
    return stored.format === CACHE_FORMAT ? decode(stored) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Hash of everything besides a document that decides its cached result: tool version, config, rule
 * code, and the working directory (reported paths are relative to it).
 */
export function configHash(config: ResolvedConfig, cwd: string): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ format: CACHE_FORMAT, tool: TOOL, cwd, extensions: config.extensions, jsonl: config.jsonl }));
  for (const active of config.rules) {
    // Rule code changes without a version bump during development: hash the functions' source too.
    hash.update(JSON.stringify([active.rule.meta, active.severity, active.options, String(active.rule.check), String(active.rule.complete ?? '')]));
  }
  return hash.digest('hex');
}

/** Key of a loaded document: its text, metadata and input notes (the JSONL line is left out, so moved records still hit). */
export function documentKey(loaded: LoadedDocument): string {
  const { path, id, date, contentStart } = loaded.info;
  return createHash('sha1')
    .update(JSON.stringify([path, id, date, contentStart, loaded.notes]))
    .update('\0')
    .update(loaded.text ?? '\0no text')
    .digest('hex');
}

/**
 * Per-document first-pass results (messages, corpus data, line starts) of earlier runs, and the
 * findings of each rule's last corpus step. A corpus step runs over all documents' data whenever its
 * input differs from the last run's, so cross-document findings stay right when documents change,
 * appear, disappear or are renamed.
 */
export class LintCache {
  /** Shards read from the folder that match this config, by shard number. */
  private readonly shards: (CacheShard | undefined)[];
  /** Shard files present in the folder, matching this config or not. */
  private readonly present: Set<number>;
  /** Shards whose content differs from their file: they must be written. */
  private readonly dirty = new Set<number>();
  private readonly byKey = new Map<string, CachedDocument>();
  private readonly next = new Map<string, CachedFile>();
  /** Data digests of the live results handed out or stored, for the corpus-step memo. */
  private readonly digests = new WeakMap<DocumentResult, DataDigests>();
  /** Message counts of the report entries handed out, for a report that does not read unchanged entries. */
  private readonly counts = new WeakMap<ReportFile, MessageCounts>();
  /** Corpus steps of the last run, by rule id, and those of this run. */
  private readonly steps: Record<string, CorpusStep>;
  private readonly nextSteps: Record<string, CorpusStep> = {};
  private stepsChanged = false;
  /** Documents taken from the cache and linted afresh in this run. */
  readonly stats = { hits: 0, misses: 0, filesUnchanged: 0 };

  private constructor(
    readonly folder: string,
    readonly strategy: CacheStrategy,
    private readonly hash: string,
    stored: Map<number, CacheShard | undefined>,
    steps: CorpusStepFile | undefined,
  ) {
    this.steps = steps && steps.configHash === hash ? steps.steps : {};
    this.present = new Set(stored.keys());
    this.shards = Array.from({ length: SHARDS }, (_, shard) => {
      const read = stored.get(shard);
      return read && read.configHash === hash ? read : undefined;
    });
    for (const shard of this.shards) {
      for (const cached of Object.values(shard?.files ?? {})) {
        for (const document of cached.documents) this.byKey.set(document.key, document);
      }
    }
  }

  /** Open the cache in `location` (a folder) for this config and working directory; unreadable or stale shards start empty. */
  static async open(location: string, config: ResolvedConfig, cwd: string, strategy: CacheStrategy = 'metadata'): Promise<LintCache> {
    const folder = resolve(location);
    const stored = new Map<number, CacheShard | undefined>();
    let steps: CorpusStepFile | undefined;
    const names = await fs.readdir(folder).catch(() => []);
    for (const name of names) {
      const match = SHARD_FILE.exec(name);
      if (match) stored.set(Number.parseInt(match[1], 16), readCacheFile<ShardColumns, CacheShard>(join(folder, name), decodeShard));
      else if (name === CORPUS_STEP_FILE) steps = readCacheFile<CorpusStepFile, CorpusStepFile>(join(folder, name), (read) => read);
    }
    return new LintCache(folder, strategy, configHash(config, resolve(cwd)), stored, steps);
  }

  /**
   * A stored document made live, its data digests and message counts remembered. Its report entry
   * reads its messages from the stored text when first used; at another JSONL line, it is parsed at once.
   */
  private live(document: CachedDocument, line?: number): DocumentResult {
    let file: ReportFile;
    if (line === undefined || line === document.head.line) file = lazyReportFile({ ...document.head }, document.json);
    else {
      file = JSON.parse(document.json) as ReportFile;
      file.line = line;
    }
    const result = { file, lineStarts: document.lineStarts, length: document.length, corpusData: document.corpusData, crashed: NO_CRASHES };
    this.digests.set(result, document.digests);
    this.counts.set(file, document.counts);
    return result;
  }

  /** The cached results of a whole file when its size and mtime are unchanged (metadata strategy only). */
  unchangedFile(absolute: string, size: number, mtimeMs: number): DocumentResult[] | undefined {
    if (this.strategy !== 'metadata') return undefined;
    const shard = this.shards[shardOf(absolute)];
    const cached = shard?.files[absolute];
    if (!cached || cached.size !== size || cached.mtimeMs !== mtimeMs) return undefined;
    if (mtimeMs >= shard!.savedAt - RACY_MS) return undefined;
    this.stats.filesUnchanged++;
    this.stats.hits += cached.documents.length;
    this.next.set(absolute, cached);
    return cached.documents.map((document) => this.live(document));
  }

  /** The cached result of a document with this key, adjusted to its current JSONL line. */
  lookup(key: string, loaded: LoadedDocument): DocumentResult | undefined {
    const found = this.byKey.get(key);
    if (!found) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    return this.live(found, loaded.info.line);
  }

  /**
   * Record a file's first-pass results (call before the corpus step adds its messages,
   * or pass copies: the messages array is copied here).
   */
  store(absolute: string, size: number, mtimeMs: number, documents: { key: string; result: DocumentResult }[]): void {
    const shard = shardOf(absolute);
    const before = this.shards[shard]?.files[absolute];
    const same =
      before && before.size === size && before.mtimeMs === mtimeMs && before.documents.length === documents.length && before.documents.every((document, index) => document.key === documents[index].key);
    if (!same) this.dirty.add(shard);
    this.next.set(absolute, {
      size,
      mtimeMs,
      documents: documents.map(({ key, result }) => {
        let digests = this.digests.get(result);
        if (!digests) this.digests.set(result, (digests = digestsOf(result.corpusData)));
        return cachedDocument(key, result, digests);
      }),
    });
  }

  /**
   * The config with every corpus step memoized: a step whose input (every document's path, id and
   * line, in corpus order, and the digest of its data for the rule) is the one of the last run reports the
   * findings it reported then, without running; otherwise it runs and its findings are kept. Exactly
   * what a run gives, since a corpus step sees nothing else. Only when every result went through the cache.
   */
  memoizeCorpusSteps(config: ResolvedConfig, results: DocumentResult[]): ResolvedConfig {
    const digests = results.map((result) => this.digests.get(result));
    if (digests.some((digest) => digest === undefined)) return config;
    // The places once for all rules, as one digest; per rule, the documents' data digests as bytes (NaN for no data).
    const places = createHash('sha1')
      .update(results.map(({ file }) => `${file.line ?? ''}\t${file.id ?? ''}\t${file.path}\n`).join(''))
      .digest();
    const memoized = (active: ActiveRule): ActiveRule => {
      const { rule } = active;
      if (!rule.complete) return active;
      const id = rule.meta.id;
      const data = new Float64Array(results.length);
      for (let doc = 0; doc < results.length; doc++) data[doc] = digests[doc]![id] ?? Number.NaN;
      const input = createHash('sha1').update(places).update(new Uint8Array(data.buffer)).digest('hex');
      const complete: typeof rule.complete = (context) => {
        const previous = this.steps[id];
        if (previous?.input === input) {
          for (const [doc, descriptor] of previous.reports) context.report(doc, descriptor);
          this.nextSteps[id] = previous;
          return;
        }
        const reports: CorpusStep['reports'] = [];
        rule.complete!({
          ...context,
          report(doc, descriptor) {
            context.report(doc, descriptor);
            reports.push([doc, descriptor]);
          },
        });
        this.nextSteps[id] = { input, reports };
        this.stepsChanged = true;
      };
      return { ...active, rule: { ...rule, complete } };
    };
    return { ...config, rules: config.rules.map(memoized) };
  }

  /**
   * The report of these entries, as `buildReport` makes it (messages sorted, counted), except that an
   * entry from the cache whose messages nobody read is counted from its stored counts, and not parsed.
   */
  buildReport(files: ReportFile[]): Report {
    const summary = emptySummary();
    summary.documents = files.length;
    for (const file of files) {
      const counts = isUnread(file) ? this.counts.get(file) : undefined;
      if (counts) addCounts(summary, counts);
      else countMessages(summary, file.messages.sort(compareMessages));
    }
    return { version: REPORT_VERSION, tool: TOOL, summary: sortedSummary(summary), files };
  }

  /**
   * Write the shards that changed: each holds the files of this run, plus earlier entries of files
   * not seen in this run that still exist. Shards left empty or stale are removed.
   */
  async save(): Promise<void> {
    const files: Record<string, CachedFile>[] = Array.from({ length: SHARDS }, () => ({}));
    const changed = new Set(this.dirty);
    for (const [shard, stored] of this.shards.entries()) {
      if (this.present.has(shard) && !stored) changed.add(shard);
      for (const [absolute, cached] of Object.entries(stored?.files ?? {})) {
        if (this.next.has(absolute)) continue;
        if (existsSync(absolute)) files[shard][absolute] = cached;
        else changed.add(shard);
      }
    }
    for (const [absolute, cached] of this.next) files[shardOf(absolute)][absolute] = cached;
    for (const [shard, stored] of this.shards.entries()) {
      if (!stored && Object.keys(files[shard]).length > 0) changed.add(shard);
    }
    const savedAt = Date.now();
    if (this.stepsChanged) await writeFileAtomic(join(this.folder, CORPUS_STEP_FILE), serialize({ format: CACHE_FORMAT, configHash: this.hash, steps: this.nextSteps } satisfies CorpusStepFile));
    await Promise.all(
      [...changed].map(async (shard) => {
        const path = join(this.folder, shardFile(shard));
        if (Object.keys(files[shard]).length === 0) await fs.rm(path, { force: true });
        else await writeFileAtomic(path, serialize(encodeShard({ format: CACHE_FORMAT, configHash: this.hash, savedAt, files: files[shard] })));
      }),
    );
  }
}
