import { statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ResolvedConfig } from './config.js';
import { completeCorpus, lintDocument, type DocumentResult, type LintRun } from './engine.js';
import { readDocuments, resolveInputs, type InputOptions } from './inputs.js';
import { buildReport } from './report.js';
import { documentKey, LintCache } from './cache.js';
import type { ReportFile } from './types.js';

export interface CorpusRunOptions {
  cwd: string;
  config: ResolvedConfig;
  /** An opened cache; results are read from and written to it. */
  cache?: LintCache;
  /** Also load the config's corpus roots, so named files are checked against the whole corpus. */
  useCorpusRoots?: boolean;
}

/** A run over named files within a corpus: the report covers the named files, `corpus` every document loaded. */
export interface CorpusRun extends LintRun {
  /** Report entries of every document that took part (named files and corpus roots), for corpus gates. */
  corpus: ReportFile[];
  /** Documents taken from the cache, and linted afresh. */
  cacheStats?: LintCache['stats'];
}

/**
 * Stat every file, synchronously: 10,000 promise-based stats cost 2-4× the CPU of `statSync`
 * (a thread-pool round trip and a promise each), and a stat of a local file does not block for long.
 */
function statAll(files: string[]): (Stats | undefined)[] {
  return files.map((file) => {
    try {
      return statSync(file, { throwIfNoEntry: false });
    } catch {
      return undefined;
    }
  });
}

/** Whether a run needs the corpus-aware runner rather than the plain `lintPaths`. */
export function needsCorpusRun(config: ResolvedConfig, options: { cache: boolean; gates: boolean }): boolean {
  return options.cache || (config.corpus.length > 0 && (options.gates || config.rules.some((active) => active.rule.complete)));
}

/**
 * Lint the named paths as part of the corpus: documents from the config's corpus roots run the first
 * pass too (from the cache when unchanged) and join the corpus step, but only the named files are reported.
 */
export async function lintCorpus(patterns: string[], options: CorpusRunOptions): Promise<CorpusRun> {
  const { config, cache, cwd } = options;
  const inputOptions: InputOptions = { cwd, extensions: config.extensions, ignore: config.ignore, jsonl: config.jsonl };
  const named = await resolveInputs(patterns, inputOptions);
  const reported = new Set(named.files);
  const all = new Set(named.files);
  if (options.useCorpusRoots && config.corpus.length > 0) {
    // Roots are relative to the config file that names them.
    const base = config.path ? dirname(config.path) : cwd;
    const roots = await resolveInputs(config.corpus.map((root) => resolve(base, root)), inputOptions);
    named.problems.push(...roots.problems.map((problem) => `corpus root ${problem}`));
    for (const file of roots.files) all.add(file);
  }

  const results: DocumentResult[] = [];
  const isReported: boolean[] = [];
  const crashes: string[] = [];
  const noteCrashes = (result: DocumentResult) => {
    for (const ruleId of result.crashed) crashes.push(`${ruleId}: ${result.file.path}${result.file.line ? `:${result.file.line}` : ''}`);
  };
  const files = [...all].sort();
  const stats = cache ? statAll(files) : [];
  for (const [index, absolute] of files.entries()) {
    const stat = stats[index];
    const unchanged = stat && cache?.unchangedFile(absolute, stat.size, stat.mtimeMs);
    if (unchanged) {
      for (const result of unchanged) {
        results.push(result);
        isReported.push(reported.has(absolute));
      }
      continue;
    }
    const fresh: { key: string; result: DocumentResult }[] = [];
    let uncacheable = false;
    for await (const loaded of readDocuments([absolute], inputOptions)) {
      const key = cache ? documentKey(loaded) : '';
      const result = cache?.lookup(key, loaded) ?? lintDocument(loaded, results.length, config);
      noteCrashes(result);
      // A crashed rule or an unreadable file (permissions can change without the mtime) is not cached.
      uncacheable ||= result.crashed.length > 0 || loaded.notes.some((note) => note.fatal && note.message.startsWith('Cannot read'));
      fresh.push({ key, result });
      results.push(result);
      isReported.push(reported.has(absolute));
    }
    if (cache && stat && !uncacheable) cache.store(absolute, stat.size, stat.mtimeMs, fresh);
  }
  crashes.push(...completeCorpus(results, cache ? cache.memoizeCorpusSteps(config, results) : config));
  if (cache) await cache.save();
  const corpus = results.map((result) => result.file);
  const reportedFiles = corpus.filter((_, index) => isReported[index]);
  const report = cache ? cache.buildReport(reportedFiles) : buildReport(reportedFiles);
  return { report, problems: named.problems, crashes, corpus, ...(cache ? { cacheStats: cache.stats } : {}) };
}
