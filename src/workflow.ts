import { dirname, resolve } from 'node:path';
import type { ResolvedConfig } from './config.js';
import { lintPaths, type LintOptions, type LintRun } from './engine.js';
import { LintCache, DEFAULT_CACHE_LOCATION, type CacheStrategy } from './cache.js';
import { lintCorpus, needsCorpusRun } from './incremental.js';
import { applyBaseline, fingerprintReport, formatPrunable, makeBaseline, readBaseline, writeBaseline } from './baseline.js';
import { formatGates, measureGates } from './gates.js';
import type { Report, ReportFile } from './types.js';

/** parseArgs definitions of the workflow options (cache, baseline, fix). */
export const WORKFLOW_OPTIONS = {
  cache: { type: 'boolean' },
  'cache-location': { type: 'string' },
  'cache-strategy': { type: 'string' },
  baseline: { type: 'string' },
  'update-baseline': { type: 'boolean' },
  fix: { type: 'boolean' },
  'fix-dry-run': { type: 'boolean' },
} as const;

/** Help lines of the workflow options. */
export const WORKFLOW_USAGE = `      --cache               Only re-check changed documents (results kept in .corpuslintcache/)
      --cache-location DIR  Cache folder (default .corpuslintcache/); implies --cache
      --cache-strategy S    metadata (size and mtime, default) or content (always hash the text)
      --baseline FILE       Suppress the findings recorded in FILE; list entries that no longer occur
      --update-baseline     Write the current findings to the --baseline FILE
      --fix                 Apply safe fixes in place (atomically), then report what is left
      --fix-dry-run         Print the fixes as a unified diff; change nothing`;

/** Workflow flags as parsed from the command line. */
export interface WorkflowFlags {
  cache?: boolean;
  'cache-location'?: string;
  'cache-strategy'?: string;
  baseline?: string;
  'update-baseline'?: boolean;
  fix?: boolean;
  'fix-dry-run'?: boolean;
}

/** A usage problem in the workflow flags, or undefined. */
export function checkWorkflowFlags(flags: WorkflowFlags): string | undefined {
  if (flags['cache-strategy'] !== undefined && !['metadata', 'content'].includes(flags['cache-strategy'])) {
    return `--cache-strategy takes metadata or content, got "${flags['cache-strategy']}"`;
  }
  if (flags['update-baseline'] && !flags.baseline) return '--update-baseline needs --baseline FILE';
  if (flags.fix && flags['fix-dry-run']) return '--fix and --fix-dry-run exclude each other';
  return undefined;
}

/** Paths to lint when none are given: the config's corpus roots, else `corpus/`. */
export function defaultPatterns(config: ResolvedConfig, cwd: string): string[] {
  if (config.corpus.length === 0) return ['corpus'];
  const base = config.path ? dirname(config.path) : cwd;
  return config.corpus.map((root) => resolve(base, root));
}

/** What a workflow run gives the CLI: the run (report after the baseline), and lines for stderr and stdout. */
export interface WorkflowRun extends LintRun {
  /** A corpus gate was breached. */
  gateFailed: boolean;
  /** A unified diff (`--fix-dry-run`), printed instead of the report on stdout. */
  diff?: string;
}

const MAX_FIX_PASSES = 10;

/**
 * Lint with the workflow options: the corpus roots and cache when asked for, fixes (re-linting until
 * nothing is left to fix), the baseline, then the corpus gates.
 */
export async function runWorkflow(
  patterns: string[],
  config: ResolvedConfig,
  flags: WorkflowFlags,
  io: { cwd: string; stderr: (text: string) => void },
  lintOptions: Pick<LintOptions, 'concurrency' | 'onFiles' | 'onDocument'> = {},
): Promise<WorkflowRun> {
  const { cwd } = io;
  const inputOptions = { cwd, extensions: config.extensions, ignore: config.ignore, jsonl: config.jsonl };
  const useCache = Boolean(flags.cache || flags['cache-location']);
  const baseline = flags.baseline ? await readBaseline(resolve(cwd, flags.baseline)) : undefined;

  // Without `corpus`, the corpus is the report's files (read only for gates: a large report stays on disk).
  const lintOnce = async (): Promise<LintRun & { corpus?: ReportFile[] }> => {
    if (!needsCorpusRun(config, { cache: useCache, gates: config.gates.length > 0 })) return lintPaths(patterns, { cwd, config, ...lintOptions });
    const cache = useCache ? await LintCache.open(resolve(cwd, flags['cache-location'] ?? DEFAULT_CACHE_LOCATION), config, cwd, (flags['cache-strategy'] ?? 'metadata') as CacheStrategy) : undefined;
    return lintCorpus(patterns, { cwd, config, useCorpusRoots: true, ...(cache ? { cache } : {}) });
  };
  const withBaseline = async (run: LintRun): Promise<{ report: Report; prunable: string }> => {
    if (!baseline || flags['update-baseline']) return { report: run.report, prunable: '' };
    const outcome = applyBaseline(run.report, await fingerprintReport(run.report.files, inputOptions), baseline);
    if (outcome.suppressed > 0) io.stderr(`corpus-lint: ${outcome.suppressed} known finding(s) suppressed by the baseline ${flags.baseline}\n`);
    return { report: outcome.report, prunable: outcome.prunable.length > 0 ? `corpus-lint: ${outcome.prunable.length} baseline entr${outcome.prunable.length === 1 ? 'y' : 'ies'} no longer occur (prunable with --update-baseline):\n${formatPrunable(outcome.prunable)}` : '' };
  };

  let run = await lintOnce();
  let { report, prunable } = await withBaseline(run);
  let diff: string | undefined;
  if (flags.fix || flags['fix-dry-run']) {
    // Loaded only when fixing: the diff and JSON-offset libraries are not needed otherwise.
    const { applyFixPlan, planFixes } = await import('./fix.js');
    const dryRun = Boolean(flags['fix-dry-run']);
    let fixed = 0;
    let documents = 0;
    for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
      const outcome = await applyFixPlan(planFixes(report.files, config), { cwd, jsonlTextField: config.jsonl.text, dryRun });
      if (outcome.fixes === 0) break;
      fixed += outcome.fixes;
      documents += outcome.documents;
      if (dryRun) {
        diff = outcome.diff;
        break;
      }
      run = await lintOnce();
      ({ report, prunable } = await withBaseline(run));
    }
    if (dryRun) {
      diff ??= '';
      io.stderr(`corpus-lint: --fix-dry-run: ${fixed} fix(es) in ${documents} document(s) would be applied; nothing was changed\n`);
    } else io.stderr(`corpus-lint: --fix applied ${fixed} fix(es) in ${documents} document change(s)\n`);
  }

  if (baseline && flags['update-baseline']) {
    const fingerprints = await fingerprintReport(run.report.files, inputOptions);
    const updated = makeBaseline(run.report, fingerprints, baseline);
    await writeBaseline(resolve(cwd, flags.baseline!), updated);
    io.stderr(`corpus-lint: wrote ${updated.findings.length} baseline entr${updated.findings.length === 1 ? 'y' : 'ies'} to ${flags.baseline}\n`);
    report = applyBaseline(run.report, fingerprints, updated).report;
  }
  if (prunable) io.stderr(prunable);

  const gates = config.gates.length > 0 ? measureGates(run.corpus ?? run.report.files, config) : [];
  if (gates.length > 0) io.stderr(formatGates(gates));
  const gateFailed = gates.some((gate) => gate.active && !gate.passed);
  return { ...run, report, gateFailed, ...(diff !== undefined ? { diff } : {}) };
}
