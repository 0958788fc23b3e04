import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../src/config.js';
import { lintPaths } from '../src/engine.js';
import type { Report, ReportMessage } from '../src/types.js';
import duplicatePassage from '../rules/duplicate-passage.js';
import { requireShared } from './shared.js';

// Evaluates duplicate-passage on ../shared/corpora (or $CORPUS_LINT_SHARED):
//   node dist/scripts/eval-dup.js          BBC News 2225: exact-duplicate groups, near duplicates found beyond them, a sample of 20
//   node dist/scripts/eval-dup.js --bench  huffpost + reuters + bbc together: time, peak memory, findings by kind

const corpora = join(requireShared('eval:dup'), 'corpora');

const ruleId = duplicatePassage.meta.id;
const config = resolveConfig({ rules: { [ruleId]: 'warn' } }, { rules: new Map([[ruleId, duplicatePassage]]) });

async function lint(paths: string[]): Promise<Report> {
  const run = await lintPaths(paths, { cwd: corpora, config });
  if (run.crashes.length || run.problems.length) throw new Error([...run.crashes, ...run.problems].join('\n'));
  return run.report;
}

function byKind(report: Report): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const file of report.files) for (const message of file.messages) if (message.ruleId === ruleId) counts[message.kind ?? '?'] = (counts[message.kind ?? '?'] ?? 0) + 1;
  return counts;
}

async function bbc(): Promise<void> {
  const folder = 'bbc-news-2225';
  const groups = readFileSync(join(corpora, folder, 'exact-duplicates.tsv'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => line.trim().split('\t').map((path) => `${folder}/${path}`));
  const groupOf = new Map<string, number>();
  groups.forEach((group, index) => group.forEach((path) => groupOf.set(path, index)));
  const report = await lint([folder]);
  const found = new Set<number>();
  const wrongExact: string[] = [];
  const near: { path: string; other: string; message: ReportMessage }[] = [];
  for (const file of report.files) {
    for (const message of file.messages) {
      if (message.ruleId !== ruleId || !message.related?.length) continue;
      const other = message.related[0].path;
      if (message.kind === 'exact-duplicate') {
        const group = groupOf.get(file.path);
        if (group !== undefined && group === groupOf.get(other)) found.add(group);
        else wrongExact.push(`${file.path} = ${other}`);
      } else if (message.kind === 'near-duplicate' || message.kind === 'normalised-duplicate') near.push({ path: file.path, other, message });
    }
  }
  console.log(`BBC News 2225: ${report.files.length} documents; findings by kind ${JSON.stringify(byKind(report))}`);
  console.log(`exact-duplicate groups reported: ${found.size}/${groups.length}; other pairs called exact duplicates: ${wrongExact.length}`);
  for (const pair of wrongExact) console.log(`  wrongly exact: ${pair}`);
  console.log(`near duplicates beyond the exact groups: ${near.length} pairs (normalised-only: ${near.filter((n) => n.message.kind === 'normalised-duplicate').length})`);
  // A fixed sample of 20 (evenly spaced) to check by eye.
  const step = Math.max(1, near.length / 20);
  const sample = Array.from({ length: Math.min(20, near.length) }, (_, at) => near[Math.floor(at * step)]);
  const title = (path: string) => readFileSync(join(corpora, path), 'latin1').split('\n')[0].trim();
  console.log('sample of 20 near-duplicate pairs (later | earlier | similarity):');
  for (const { path, other, message } of sample) {
    console.log(`  ${path} | ${other} | ${message.message.match(/similarity ([\d.]+)/)?.[1] ?? 'normalised'}\n      "${title(path)}" | "${title(other)}"`);
  }
}

async function bench(): Promise<void> {
  const paths = ['huffpost-newspaper3k/huffpost-newspaper3k.jsonl', 'reuters21578/reuters21578.jsonl', 'bbc-news-2225'];
  const started = performance.now();
  const cpu = process.cpuUsage();
  const report = await lint(paths);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const peak = process.resourceUsage().maxRSS / 1024;
  console.log(
    `huffpost + reuters + bbc: ${report.files.length} documents in ${seconds.toFixed(1)} s wall, ${((used.user + used.system) / 1e6).toFixed(1)} s CPU, peak RSS ${peak.toFixed(0)} MB`,
  );
  console.log(`findings by kind ${JSON.stringify(byKind(report))}`);
}

const here = relative(process.cwd(), dirname(fileURLToPath(import.meta.url))) || '.';
await (process.argv.includes('--bench') ? bench() : bbc()).catch((error: Error) => {
  console.error(`${here}/eval-dup.js: ${error.message}`);
  process.exit(1);
});
