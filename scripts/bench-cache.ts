import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { resolveConfig } from '../src/config.js';
import { LintCache } from '../src/cache.js';
import { lintCorpus } from '../src/incremental.js';
import { resolveInputs } from '../src/inputs.js';
import { formatJson } from '../src/formatters/json.js';
import { packageRoot } from '../src/paths.js';
import { sharedDir } from './shared.js';

/**
 * Benchmark of --cache: a 10,000-document corpus (from /work/shared/corpora when present, else
 * synthetic prose) is linted cold, then warm after 3 documents changed; the warm run must give the
 * same report as a cold run of the changed corpus. Usage: npm run bench:cache [-- DOCUMENTS]
 */

const DOCUMENTS = Number(process.argv[2] ?? 10_000);
const cli = join(packageRoot(), 'dist', 'src', 'cli.js');

async function* realRecords(shared: string): AsyncGenerator<{ text: string; date?: string }> {
  for (const file of ['huffpost-newspaper3k/huffpost-newspaper3k.jsonl', 'reuters21578/reuters21578.jsonl']) {
    const path = join(shared, 'corpora', file);
    if (!existsSync(path)) continue;
    for await (const line of createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })) {
      if (!line.trim()) continue;
      const record = JSON.parse(line) as { text?: string; date?: string };
      if (typeof record.text === 'string' && record.text.trim()) yield { text: record.text, ...(typeof record.date === 'string' ? { date: record.date } : {}) };
    }
  }
}

// A small seeded generator, so synthetic corpora are the same on every run.
function* syntheticRecords(): Generator<{ text: string; date?: string }> {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const subjects = ['The council', 'Shares in the carmaker', 'The central bank', 'Officials', 'Residents', 'The minister', 'Analysts', 'The club'];
  const verbs = ['said', 'warned', 'announced', 'expected', 'denied', 'confirmed', 'reported'];
  const objects = ['a rise in costs', 'new rules for landlords', 'the budget on Tuesday', 'delays at the port', 'a recovery next year', 'talks with unions'];
  for (;;) {
    const paragraphs = [];
    for (let p = 0; p < 4 + Math.floor(random() * 8); p++) {
      const sentences = [];
      for (let s = 0; s < 2 + Math.floor(random() * 4); s++) sentences.push(`${pick(subjects)} ${pick(verbs)} ${pick(objects)}${random() < 0.02 ? ' the the' : ''}.`);
      paragraphs.push(sentences.join(' '));
    }
    yield { text: paragraphs.join('\n\n'), date: `2024-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}` };
  }
}

async function makeCorpus(dir: string): Promise<{ source: string; bytes: number }> {
  mkdirSync(join(dir, 'corpus'), { recursive: true });
  const shared = sharedDir();
  const source = shared ? `${shared}/corpora (huffpost-newspaper3k, reuters21578)` : 'synthetic prose';
  let count = 0;
  let bytes = 0;
  const write = (record: { text: string; date?: string }) => {
    const header = record.date && /^\d{4}-\d{2}-\d{2}/.test(record.date) ? ` date ${record.date.slice(0, 10)} ` : '';
    const text = header ? `${header}${record.text}\n` : `${record.text}\n`;
    bytes += Buffer.byteLength(text);
    writeFileSync(join(dir, 'corpus', `${String(count).padStart(5, '0')}.txt`), text);
    count++;
  };
  if (shared) for await (const record of realRecords(shared)) if (count < DOCUMENTS) write(record); else break;
  if (count < DOCUMENTS) for (const record of syntheticRecords()) if (count < DOCUMENTS) write(record); else break;
  return { source, bytes };
}

/** Wall time and CPU time (user + system, read by a preloaded exit hook) of one CLI run. */
interface Timing {
  wall: number;
  cpu: number;
}

function timeCli(cwd: string, args: string[]): Timing {
  const cpuFile = join(cwd, 'cpu.json');
  const hook = join(cwd, 'cpu-hook.cjs');
  writeFileSync(hook, `process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').writeFileSync(${JSON.stringify(cpuFile)}, String((u.user + u.system) / 1000)); });`);
  const start = performance.now();
  try {
    execFileSync(process.execPath, ['--require', hook, cli, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    // Exit 1 (findings) is a normal outcome here.
    if ((error as { status?: number }).status !== 1) throw error;
  }
  return { wall: performance.now() - start, cpu: Number(readFileSync(cpuFile, 'utf8')) };
}

/** CPU time (user + system) of this process so far, in ms. */
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** The fastest of several timings, wall and CPU taken separately. */
const fastest = (timings: Timing[]): Timing => ({ wall: Math.min(...timings.map((t) => t.wall)), cpu: Math.min(...timings.map((t) => t.cpu)) });

const ms = (value: number) => `${value.toFixed(0)} ms`;
const ROUNDS = 3;
const rounds = (measure: (round: number) => Timing) => fastest(Array.from({ length: ROUNDS }, (_, round) => measure(round)));
const show = (timing: Timing, cold?: Timing) =>
  `${ms(timing.wall)} wall, ${ms(timing.cpu)} CPU` + (cold ? ` (${((timing.wall / cold.wall) * 100).toFixed(1)}% / ${((timing.cpu / cold.cpu) * 100).toFixed(1)}% of cold)` : '');

async function main(): Promise<void> {
  if (!existsSync(cli)) throw new Error('run `npm run build` first');
  const dir = mkdtempSync(join(tmpdir(), 'corpus-lint-bench-cache-'));
  try {
    const { source, bytes } = await makeCorpus(dir);
    console.log(`corpus: ${DOCUMENTS} documents, ${(bytes / 1e6).toFixed(1)} MB, from ${source}`);
    const json = (name: string) => ['--format', `json:${name}`];
    // Each timing is the fastest of ROUNDS runs: the machine may be shared, and the minimum is the least disturbed.
    const cold = rounds(() => timeCli(dir, ['corpus', ...json('cold.json')]));
    rmSync(join(dir, '.corpuslintcache'), { recursive: true, force: true });
    const fill = timeCli(dir, ['corpus', '--cache', ...json('fill.json')]);
    const unchanged = rounds(() => timeCli(dir, ['corpus', '--cache', ...json('unchanged.json')]));
    // Three documents change before every warm run: one gains a finding, two change otherwise.
    const changeThree = (round: number) => {
      for (const [index, edit] of [
        [17 + round, '\nThe mayor said said the works would finish in May.'],
        [(DOCUMENTS >> 1) + round, '\nAn added closing line about the weather.'],
        [DOCUMENTS - 3 - round, '\nA short correction was appended.'],
      ] as const) {
        appendFileSync(join(dir, 'corpus', `${String(index).padStart(5, '0')}.txt`), edit);
      }
    };
    const warm = rounds((round) => {
      changeThree(round);
      return timeCli(dir, ['corpus', '--cache', ...json('warm.json')]);
    });
    const coldAfter = timeCli(dir, ['corpus', ...json('cold-after.json')]);
    const staged = rounds(() => timeCli(dir, ['corpus/00017.txt', '--cache', ...json('staged.json')]));
    const same = readFileSync(join(dir, 'warm.json'), 'utf8') === readFileSync(join(dir, 'cold-after.json'), 'utf8');
    const findings = (JSON.parse(readFileSync(join(dir, 'warm.json'), 'utf8')) as { summary: { warnings: number; errors: number } }).summary;

    console.log(`cold run, no cache:               ${show(cold)}`);
    console.log(`cold run filling the cache:       ${show(fill)}`);
    console.log(`warm run, nothing changed:        ${show(unchanged, cold)}`);
    console.log(`warm run, 3 documents changed:    ${show(warm, cold)}; target ≤ 5%`);
    console.log(`one named file, warm cache:       ${show(staged, cold)}`);
    console.log(`cold run of the changed corpus:   ${show(coldAfter)}`);
    console.log(`warm report identical to a cold run of the changed corpus: ${same ? 'yes' : 'NO'} (${findings.errors + findings.warnings} findings)`);

    // Where a warm run's time goes after 3 changes, measured in-process (node start-up and module loading
    // come on top). A warm run of the whole corpus first: the named-file run above kept its own corpus steps.
    timeCli(dir, ['corpus', '--cache', ...json('warm.json')]);
    changeThree(ROUNDS);
    const config = resolveConfig({});
    const inputOptions = { cwd: dir, extensions: config.extensions, ignore: config.ignore, jsonl: config.jsonl };
    let at = cpuMs();
    await resolveInputs(['corpus'], inputOptions);
    const listing = cpuMs() - at;
    at = cpuMs();
    const cache = await LintCache.open(join(dir, '.corpuslintcache'), config, dir);
    const opening = cpuMs() - at;
    at = cpuMs();
    const run = await lintCorpus(['corpus'], { cwd: dir, config, cache });
    const whole = cpuMs() - at;
    at = cpuMs();
    formatJson(run.report);
    const formatting = cpuMs() - at;
    const startup = timeCli(dir, ['--version']);
    console.log(
      `warm run after 3 changes, in-process (CPU): listing ${ms(listing)}, cache load ${ms(opening)}, stat + first pass of the changed documents + corpus step + report + cache write ${ms(whole - listing)}, JSON formatting ${ms(formatting)}; node start-up + imports (--version) ${show(startup)}`,
    );
    if (!same) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
