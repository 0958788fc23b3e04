import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';
import type { ResolvedConfig } from './config.js';
import { firstPassInThread, type DocumentResult, type FirstPass } from './engine.js';
import type { LoadedDocument } from './inputs.js';
import { builtinRules } from './rules.js';
import type { Severity } from './types.js';

/** Worker threads for the first pass: a count, `auto` (all cores when the run is large enough) or `off`. */
export type Concurrency = number | 'auto' | 'off';

/** A rule as a worker rebuilds it: looked up by id among the built-in rules, with its resolved options. */
export interface WorkerRuleSetting {
  id: string;
  severity: Severity;
  options: unknown;
}

/** The resolved config in a form that crosses to a worker (structured clone). */
export type WorkerConfig = Omit<ResolvedConfig, 'rules'> & { rules: WorkerRuleSetting[] };

/** One task for a worker: consecutive documents from corpus index `firstIndex` on. */
export interface WorkerTask {
  config: WorkerConfig;
  firstIndex: number;
  documents: LoadedDocument[];
}

/** What a parallel first pass did: threads started and batches sent (both 0 when it stayed in this thread). */
export interface PoolStats {
  threads: number;
  batches: number;
}

/** Text (UTF-16 units) read ahead before `auto` decides that a run is large enough for workers. */
export const AUTO_THRESHOLD = 4_000_000;
const BATCH_CHARS = 1_000_000;
const BATCH_DOCUMENTS = 500;
const BATCHES_IN_FLIGHT_PER_THREAD = 3;

/** Parse `--concurrency`: a positive whole number, `auto` or `off`; undefined when invalid. */
export function parseConcurrency(value: string): Concurrency | undefined {
  if (value === 'auto' || value === 'off') return value;
  const count = Number(value);
  return Number.isInteger(count) && count > 0 ? count : undefined;
}

/** Threads a setting asks for on this machine (`auto`: all cores; 0: none). */
export function threadCount(concurrency: Concurrency): number {
  if (concurrency === 'off') return 0;
  if (concurrency === 'auto') return availableParallelism() > 1 ? availableParallelism() : 0;
  return concurrency;
}

/** The config as a worker can rebuild it, or undefined when a rule is not a built-in one (custom rule maps run in-thread). */
export function toWorkerConfig(config: ResolvedConfig): WorkerConfig | undefined {
  const rules: WorkerRuleSetting[] = [];
  for (const active of config.rules) {
    if (builtinRules.get(active.rule.meta.id) !== active.rule) return undefined;
    rules.push({ id: active.rule.meta.id, severity: active.severity, options: active.options });
  }
  return { ...config, rules };
}

/** Rebuild a resolved config from its worker form (in the worker). */
export function fromWorkerConfig(config: WorkerConfig): ResolvedConfig {
  return {
    ...config,
    rules: config.rules.map((setting) => {
      const rule = builtinRules.get(setting.id);
      if (!rule) throw new Error(`Worker has no built-in rule "${setting.id}"`);
      return { rule, severity: setting.severity, options: setting.options };
    }),
  };
}

// Worker code must be compiled JS: from the TypeScript sources (vitest) use the build in dist/.
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  const file = here.endsWith('.ts') ? fileURLToPath(new URL('../dist/src/parallel-worker.js', import.meta.url)) : fileURLToPath(new URL('./parallel-worker.js', import.meta.url));
  if (!existsSync(file)) throw new Error(`Worker script ${file} is missing: run npm run build`);
  return file;
}

/**
 * A first pass over a pool of worker threads. Documents go in batches, at most a few per thread in
 * flight, so a streamed input is never held whole. `auto` reads ahead first and stays in this thread
 * when the whole run is small; custom (non-built-in) rules always stay in this thread.
 */
export function parallelFirstPass(concurrency: Concurrency, { stats, autoThreshold = AUTO_THRESHOLD }: { stats?: PoolStats; autoThreshold?: number } = {}): FirstPass {
  return async (documents, config, onResult) => {
    const threads = threadCount(concurrency);
    const workerConfig = toWorkerConfig(config);
    if (threads === 0 || !workerConfig) return firstPassInThread(documents, config, onResult);
    const iterator = (Symbol.asyncIterator in documents ? documents[Symbol.asyncIterator]() : documents[Symbol.iterator]()) as
      | AsyncIterator<LoadedDocument>
      | Iterator<LoadedDocument>;
    const readAhead: LoadedDocument[] = [];
    let exhausted = false;
    if (concurrency === 'auto') {
      let chars = 0;
      while (chars < autoThreshold) {
        const next = await iterator.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        readAhead.push(next.value);
        chars += next.value.text?.length ?? 0;
      }
      if (exhausted) return firstPassInThread(readAhead, config, onResult);
    }
    async function* all(): AsyncGenerator<LoadedDocument> {
      yield* readAhead;
      readAhead.length = 0;
      if (exhausted) return;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    }
    if (stats) stats.threads = threads;
    return runOnPool(all(), workerConfig, threads, onResult, stats);
  };
}

async function runOnPool(
  documents: AsyncIterable<LoadedDocument>,
  config: WorkerConfig,
  threads: number,
  onResult: Parameters<FirstPass>[2],
  stats: PoolStats | undefined,
): Promise<void> {
  const pool = new Tinypool({ filename: workerFile(), minThreads: threads, maxThreads: threads, idleTimeout: 1_000 });
  // Batches finish out of order: each waits here, by first index, until the ones before it are handed on.
  const finished = new Map<number, { results: DocumentResult[]; sizes: number[] }>();
  let delivered = 0;
  const running = new Set<Promise<void>>();
  let failure: unknown;
  const deliver = () => {
    for (let batch = finished.get(delivered); batch; batch = finished.get(delivered)) {
      finished.delete(delivered);
      batch.results.forEach((result, offset) => onResult(result, batch.sizes[offset]));
      delivered += batch.results.length;
    }
  };
  const dispatch = (batch: LoadedDocument[], firstIndex: number) => {
    const sizes = batch.map((document) => document.text?.length ?? 0);
    const task: WorkerTask = { config, firstIndex, documents: batch };
    if (stats) stats.batches++;
    const done: Promise<void> = (pool.run(task) as Promise<DocumentResult[]>).then(
      (results) => {
        finished.set(firstIndex, { results, sizes });
        deliver();
      },
      (error: unknown) => {
        failure ??= error;
      },
    );
    running.add(done);
    void done.finally(() => running.delete(done));
  };
  try {
    let batch: LoadedDocument[] = [];
    let batchChars = 0;
    let next = 0;
    for await (const document of documents) {
      batch.push(document);
      batchChars += document.text?.length ?? 0;
      if (batchChars < BATCH_CHARS && batch.length < BATCH_DOCUMENTS) continue;
      dispatch(batch, next);
      next += batch.length;
      batch = [];
      batchChars = 0;
      // Batches running or finished but not yet handed on are both held: bound them together.
      while (running.size + finished.size >= threads * BATCHES_IN_FLIGHT_PER_THREAD && running.size > 0) await Promise.race(running);
      if (failure) throw failure;
    }
    if (batch.length > 0) dispatch(batch, next);
    await Promise.all(running);
    if (failure) throw failure;
  } finally {
    await pool.destroy();
  }
}
