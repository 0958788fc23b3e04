import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
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

interface CacheData {
  format: number;
  /** Tool version, config and rule code hashed together: any change empties the cache. */
  configHash: string;
  files: Record<string, CachedFile>;
}

/** Hash of everything besides a document that decides its first-pass result: tool version, config, rule code. */
export function configHash(config: ResolvedConfig): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ format: CACHE_FORMAT, tool: TOOL, extensions: config.extensions, jsonl: config.jsonl }));
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
    this.previous = previous && previous.format === CACHE_FORMAT && previous.configHash === hash ? previous : { format: CACHE_FORMAT, configHash: hash, files: {} };
    for (const cached of Object.values(this.previous.files)) {
      for (const document of cached.documents) this.byKey.set(document.key, document.result);
    }
  }

  /** Open the cache in `location` (a folder) for this config; an unreadable or stale cache starts empty. */
  static async open(location: string, config: ResolvedConfig, strategy: CacheStrategy = 'metadata'): Promise<LintCache> {
    const file = join(resolve(location), CACHE_FILE);
    let previous: CacheData | undefined;
    try {
      previous = deserialize(await fs.readFile(file)) as CacheData;
    } catch {
      previous = undefined;
    }
    return new LintCache(file, strategy, configHash(config), previous);
  }

  /** The cached results of a whole file when its size and mtime are unchanged (metadata strategy only). */
  unchangedFile(absolute: string, size: number, mtimeMs: number): DocumentResult[] | undefined {
    if (this.strategy !== 'metadata') return undefined;
    const cached = this.previous.files[absolute];
    if (!cached || cached.size !== size || cached.mtimeMs !== mtimeMs) return undefined;
    this.stats.filesUnchanged++;
    this.stats.hits += cached.documents.length;
    this.next[absolute] = cached;
    return cached.documents.map((document) => ({ ...document.result, file: { ...document.result.file, messages: [...document.result.file.messages] } }));
  }

  /** The cached result of a document with this key, adjusted to its current JSONL line. */
  lookup(key: string, loaded: LoadedDocument): DocumentResult | undefined {
    const found = this.byKey.get(key);
    if (!found) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    const file = { ...found.file, messages: [...found.file.messages] };
    if (loaded.info.line !== undefined) file.line = loaded.info.line;
    return { ...found, file };
  }

  /**
   * Record a file's first-pass results (call before the corpus step adds its messages,
   * or pass copies: the messages array is copied here).
   */
  store(absolute: string, size: number, mtimeMs: number, documents: { key: string; result: DocumentResult }[]): void {
    this.next[absolute] = {
      size,
      mtimeMs,
      documents: documents.map(({ key, result }) => ({ key, result: { ...result, file: { ...result.file, messages: [...result.file.messages] } } })),
    };
  }

  /** Write the cache: files seen in this run, plus earlier entries of files not seen that still exist. */
  async save(): Promise<void> {
    const files: Record<string, CachedFile> = {};
    for (const [absolute, cached] of Object.entries(this.previous.files)) {
      if (this.next[absolute]) continue;
      try {
        await fs.access(absolute);
        files[absolute] = cached;
      } catch {
        // A file deleted since: its results go.
      }
    }
    Object.assign(files, this.next);
    const data: CacheData = { format: CACHE_FORMAT, configHash: this.hash, files };
    await writeFileAtomic(this.file, serialize(data));
  }
}
