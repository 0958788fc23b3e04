import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { ResolvedConfig } from './config.js';
import type { DocumentResult } from './engine.js';
import type { LoadedDocument } from './inputs.js';
import { TOOL } from './report.js';
import { writeFileAtomic } from './write.js';

/** Default cache folder, relative to the working directory. */
export const DEFAULT_CACHE_LOCATION = '.corpuslintcache';
const CACHE_FILE = 'cache.v8';
const CACHE_FORMAT = 1;

/** How a file is known to be unchanged: its size and mtime (`metadata`) or always its content hash (`content`). */
export type CacheStrategy = 'metadata' | 'content';

/**
 * A first-pass result as stored: its own messages array (the corpus step adds to the live one), and
 * line starts as a typed array, kept only for documents with corpus data: the corpus step can only
 * report on documents it has data for, and first-pass messages already carry their positions.
 */
function compact(result: DocumentResult): DocumentResult {
  const hasData = Object.keys(result.corpusData).length > 0;
  const lineStarts = hasData ? Uint32Array.from(result.lineStarts) : ZERO;
  // Empty parts point to one shared object each: the serializer writes it once, then back-references.
  return {
    ...result,
    lineStarts: lineStarts as unknown as number[],
    corpusData: hasData ? result.corpusData : NO_DATA,
    crashed: NO_CRASHES,
    file: { ...result.file, messages: result.file.messages.length > 0 ? [...result.file.messages] : NO_MESSAGES },
  };
}

const ZERO = Uint32Array.of(0);
const NO_DATA = {};
const NO_CRASHES: string[] = [];
const NO_MESSAGES: DocumentResult['file']['messages'] = [];

/** A stored result made live again: a fresh messages array and plain line starts. */
function expand(stored: DocumentResult): DocumentResult {
  return { ...stored, lineStarts: Array.from(stored.lineStarts), file: { ...stored.file, messages: [...stored.file.messages] } };
}

/** A first-pass result as cached, keyed by the hash of what the rules saw. */
interface CachedDocument {
  key: string;
  result: DocumentResult;
}

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

interface CacheData {
  format: number;
  /** Tool version, config and rule code hashed together: any change empties the cache. */
  configHash: string;
  /** When the cache was written (ms since the epoch). */
  savedAt: number;
  files: Record<string, CachedFile>;
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
 * Per-document first-pass results (messages, corpus data, line starts) of earlier runs.
 * The corpus step always reruns over all documents' data, so cross-document findings stay right
 * when documents change, appear, disappear or are renamed.
 */
export class LintCache {
  private readonly previous: CacheData;
  /** The cache file was read and matches this config. */
  private readonly loaded: boolean;
  /** Something differs from the cache file: it must be written. */
  private dirty = false;
  private readonly byKey = new Map<string, DocumentResult>();
  private readonly next: Record<string, CachedFile> = {};
  /** Documents taken from the cache and linted afresh in this run. */
  readonly stats = { hits: 0, misses: 0, filesUnchanged: 0 };

  private constructor(
    readonly file: string,
    readonly strategy: CacheStrategy,
    private readonly hash: string,
    previous: CacheData | undefined,
  ) {
    this.loaded = Boolean(previous && previous.format === CACHE_FORMAT && previous.configHash === hash);
    this.previous = this.loaded ? previous! : { format: CACHE_FORMAT, configHash: hash, savedAt: 0, files: {} };
    for (const cached of Object.values(this.previous.files)) {
      for (const document of cached.documents) this.byKey.set(document.key, document.result);
    }
  }

  /** Open the cache in `location` (a folder) for this config and working directory; an unreadable or stale cache starts empty. */
  static async open(location: string, config: ResolvedConfig, cwd: string, strategy: CacheStrategy = 'metadata'): Promise<LintCache> {
    const file = join(resolve(location), CACHE_FILE);
    let previous: CacheData | undefined;
    try {
      previous = deserialize(await fs.readFile(file)) as CacheData;
    } catch {
      previous = undefined;
    }
    return new LintCache(file, strategy, configHash(config, resolve(cwd)), previous);
  }

  /** The cached results of a whole file when its size and mtime are unchanged (metadata strategy only). */
  unchangedFile(absolute: string, size: number, mtimeMs: number): DocumentResult[] | undefined {
    if (this.strategy !== 'metadata') return undefined;
    const cached = this.previous.files[absolute];
    if (!cached || cached.size !== size || cached.mtimeMs !== mtimeMs) return undefined;
    if (mtimeMs >= this.previous.savedAt - RACY_MS) return undefined;
    this.stats.filesUnchanged++;
    this.stats.hits += cached.documents.length;
    this.next[absolute] = cached;
    return cached.documents.map((document) => expand(document.result));
  }

  /** The cached result of a document with this key, adjusted to its current JSONL line. */
  lookup(key: string, loaded: LoadedDocument): DocumentResult | undefined {
    const found = this.byKey.get(key);
    if (!found) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    const result = expand(found);
    if (loaded.info.line !== undefined) result.file.line = loaded.info.line;
    return result;
  }

  /**
   * Record a file's first-pass results (call before the corpus step adds its messages,
   * or pass copies: the messages array is copied here).
   */
  store(absolute: string, size: number, mtimeMs: number, documents: { key: string; result: DocumentResult }[]): void {
    const before = this.previous.files[absolute];
    const same =
      before && before.size === size && before.mtimeMs === mtimeMs && before.documents.length === documents.length && before.documents.every((document, index) => document.key === documents[index].key);
    if (!same) this.dirty = true;
    this.next[absolute] = { size, mtimeMs, documents: documents.map(({ key, result }) => ({ key, result: compact(result) })) };
  }

  /** Write the cache (unless nothing changed): files seen in this run, plus earlier entries of files not seen that still exist. */
  async save(): Promise<void> {
    const files: Record<string, CachedFile> = {};
    let changed = this.dirty;
    for (const [absolute, cached] of Object.entries(this.previous.files)) {
      if (this.next[absolute]) continue;
      if (existsSync(absolute)) files[absolute] = cached;
      else changed = true;
    }
    if (!changed && this.loaded) return;
    Object.assign(files, this.next);
    const data: CacheData = { format: CACHE_FORMAT, configHash: this.hash, savedAt: Date.now(), files };
    await writeFileAtomic(this.file, serialize(data));
  }
}
