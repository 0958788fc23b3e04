import { createHash } from 'node:crypto';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { ResolvedConfig } from './config.js';
import type { DocumentResult } from './engine.js';
import type { LoadedDocument } from './inputs.js';
import { TOOL } from './report.js';
import { writeFileAtomic } from './write.js';

/** Default cache folder, relative to the working directory. */
export const DEFAULT_CACHE_LOCATION = '.corpuslintcache';
const CACHE_FORMAT = 2;

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

/**
 * A stored result made live again: a fresh messages array (the corpus step adds to it). Line starts
 * stay a typed array: the engine only reads them by index, for the few documents the corpus step reports on.
 */
function expand(stored: DocumentResult): DocumentResult {
  return { ...stored, file: { ...stored.file, messages: [...stored.file.messages] } };
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
  /** Shards read from the folder that match this config, by shard number. */
  private readonly shards: (CacheShard | undefined)[];
  /** Shard files present in the folder, matching this config or not. */
  private readonly present: Set<number>;
  /** Shards whose content differs from their file: they must be written. */
  private readonly dirty = new Set<number>();
  private readonly byKey = new Map<string, DocumentResult>();
  private readonly next = new Map<string, CachedFile>();
  /** Documents taken from the cache and linted afresh in this run. */
  readonly stats = { hits: 0, misses: 0, filesUnchanged: 0 };

  private constructor(
    readonly folder: string,
    readonly strategy: CacheStrategy,
    private readonly hash: string,
    stored: Map<number, CacheShard | undefined>,
  ) {
    this.present = new Set(stored.keys());
    this.shards = Array.from({ length: SHARDS }, (_, shard) => {
      const read = stored.get(shard);
      return read && read.format === CACHE_FORMAT && read.configHash === hash ? read : undefined;
    });
    for (const shard of this.shards) {
      for (const cached of Object.values(shard?.files ?? {})) {
        for (const document of cached.documents) this.byKey.set(document.key, document.result);
      }
    }
  }

  /** Open the cache in `location` (a folder) for this config and working directory; unreadable or stale shards start empty. */
  static async open(location: string, config: ResolvedConfig, cwd: string, strategy: CacheStrategy = 'metadata'): Promise<LintCache> {
    const folder = resolve(location);
    const stored = new Map<number, CacheShard | undefined>();
    const names = await fs.readdir(folder).catch(() => []);
    for (const name of names) {
      const match = SHARD_FILE.exec(name);
      if (!match) continue;
      let shard: CacheShard | undefined;
      try {
        // Read synchronously: a few dozen files, and each is deserialized at once anyway.
        shard = deserialize(readFileSync(join(folder, name))) as CacheShard;
      } catch {
        shard = undefined;
      }
      stored.set(Number.parseInt(match[1], 16), shard);
    }
    return new LintCache(folder, strategy, configHash(config, resolve(cwd)), stored);
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
    const shard = shardOf(absolute);
    const before = this.shards[shard]?.files[absolute];
    const same =
      before && before.size === size && before.mtimeMs === mtimeMs && before.documents.length === documents.length && before.documents.every((document, index) => document.key === documents[index].key);
    if (!same) this.dirty.add(shard);
    this.next.set(absolute, { size, mtimeMs, documents: documents.map(({ key, result }) => ({ key, result: compact(result) })) });
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
    await Promise.all(
      [...changed].map(async (shard) => {
        const path = join(this.folder, shardFile(shard));
        if (Object.keys(files[shard]).length === 0) await fs.rm(path, { force: true });
        else await writeFileAtomic(path, serialize({ format: CACHE_FORMAT, configHash: this.hash, savedAt, files: files[shard] } satisfies CacheShard));
      }),
    );
  }
}
