import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { unified } from 'unified';
import retextEnglish from 'retext-english';
import { VFile } from 'vfile';
import { resolveConfig, type ActiveRule, type ResolvedConfig } from '../src/config.js';
import { createRuleContext } from '../src/context.js';
import { completeCorpus, lineStartsOf, maskMetadata, type DocumentResult } from '../src/engine.js';
import { readDocuments, resolveInputs, type InputOptions, type LoadedDocument } from '../src/inputs.js';
import { parallelFirstPass } from '../src/parallel.js';
import { packagePath } from '../src/paths.js';
import { sharedDir } from './shared.js';
import { writeJsonlCorpus } from './generate-corpus.js';

const USAGE = `Usage: npm run bench -- [options]

Lints the corpora in ../shared/corpora (or CORPUS_LINT_SHARED), else a generated corpus, with every
registered rule, and compares with a bare single-thread unified + retext-english parse.

Options:
  --generated MB     Bench a generated corpus of about MB megabytes instead of the real corpora
  --linearity N      Near-linearity check on N and 10*N generated documents (default 3000; 0 skips it)
  --big GB           Also lint a generated JSONL file of about GB gigabytes (e.g. 1) and report peak RSS
  --concurrency C    Passed to the CLI for the full runs (default auto)
  --repeat N         Run the reference and the full run N times, alternating, and keep the fastest of each
                     (default 2: the machine may be shared)
  --no-rules         Skip the per-rule table (each rule alone, one thread)
  --rule ID          Time only this rule in the per-rule table (repeatable)
  --rules-only       Only the per-rule table: no reference parse, no full run (the × reference column is left out)`;

const MB = 1e6;
const cliPath = packagePath('dist/src/cli.js');
// Peak RSS of the child, worker threads included (they share the process), printed as it exits.
const rssProbe = 'data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("\\ncorpus-lint-bench-maxrss="+u.maxRSS+" cpu="+(u.userCPUTime+u.systemCPUTime)+"\\n")})';

interface CorpusSize {
  documents: number;
  bytes: number;
}

interface ChildRun {
  seconds: number;
  /** CPU time of the child, all threads: steadier than wall time on a busy machine. */
  cpuSeconds: number;
  peakRssMb: number;
  code: number;
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function inputOptions(config: ResolvedConfig): InputOptions {
  return { cwd: process.cwd(), extensions: config.extensions, ignore: config.ignore, jsonl: config.jsonl };
}

async function* documentsOf(inputs: string[], config: ResolvedConfig): AsyncGenerator<LoadedDocument> {
  const options = inputOptions(config);
  const { files } = await resolveInputs(inputs, options);
  yield* readDocuments(files, options);
}

/** Lint `inputs` with the built CLI in a child process: wall time and peak RSS. */
async function runCli(inputs: string[], reportPath: string, concurrency: string): Promise<ChildRun> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', rssProbe, cliPath, ...inputs, '--format', 'json', '-o', reportPath, '--concurrency', concurrency], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number>((resolve) => child.on('close', (exit) => resolve(exit ?? 2)));
  const seconds = (performance.now() - started) / 1000;
  const probe = /corpus-lint-bench-maxrss=(\d+) cpu=(\d+)/.exec(stderr);
  if (code > 1 || !probe) throw new Error(`CLI failed (exit ${code}): ${stderr.slice(0, 2000)}`);
  return { seconds, cpuSeconds: Number(probe[2]) / 1e6, peakRssMb: Number(probe[1]) / 1024, code };
}

/** Wall and CPU time spent in `measure` calls; CPU time is steadier than wall time on a shared machine. */
class Stopwatch {
  seconds = 0;
  cpuSeconds = 0;

  measure<T>(work: () => T): T {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    try {
      return work();
    } finally {
      const used = process.cpuUsage(cpu);
      this.cpuSeconds += (used.user + used.system) / 1e6;
      this.seconds += (performance.now() - wall) / 1000;
    }
  }
}

// Documents in chunks, read before they are timed: reading is not what the in-process timings measure.
async function* chunksOf(inputs: string[], config: ResolvedConfig, size = 500): AsyncGenerator<LoadedDocument[]> {
  let chunk: LoadedDocument[] = [];
  for await (const loaded of documentsOf(inputs, config)) {
    chunk.push(loaded);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** The reference: a bare unified + retext-english parse of every document, one thread. */
async function referenceParse(inputs: string[], config: ResolvedConfig): Promise<CorpusSize & { time: Stopwatch }> {
  const parser = unified().use(retextEnglish).freeze();
  const time = new Stopwatch();
  const size = { documents: 0, bytes: 0 };
  for await (const chunk of chunksOf(inputs, config)) {
    const texts = chunk.flatMap((loaded) => (loaded.text === undefined ? [] : [loaded.text]));
    size.documents += texts.length;
    for (const text of texts) size.bytes += Buffer.byteLength(text);
    time.measure(() => {
      for (const text of texts) parser.parse(text);
    });
  }
  return { ...size, time };
}

interface RuleTiming {
  id: string;
  check: Stopwatch;
  complete: Stopwatch;
  parsedDocuments: number;
  findings: number;
  /** Documents linted and their UTF-8 bytes. */
  documents: number;
  bytes: number;
  /** Bytes of corpus data kept for the corpus step (structured-clone size), all documents. */
  corpusDataBytes: number;
}

/** Each rule alone on one thread, as the engine runs it: time in `check` (a parse it forces included) and in `complete`. */
async function timeRule(active: ActiveRule, inputs: string[], config: ResolvedConfig): Promise<RuleTiming> {
  const timing: RuleTiming = { id: active.rule.meta.id, check: new Stopwatch(), complete: new Stopwatch(), parsedDocuments: 0, findings: 0, documents: 0, bytes: 0, corpusDataBytes: 0 };
  const results: DocumentResult[] = [];
  for await (const chunk of chunksOf(inputs, config)) {
    const prepared = chunk.map((loaded) => {
      const index = results.length;
      const raw = loaded.text ?? '';
      if (loaded.text !== undefined) timing.documents++;
      timing.bytes += Buffer.byteLength(raw);
      const text = maskMetadata(raw, loaded.info.contentStart);
      const doc = { ...loaded.info, index };
      const memo = new Map<string, unknown>();
      const file = new VFile({ value: text, path: doc.path, data: { ...doc } });
      const context = createRuleContext({ rule: active.rule, options: active.options, text, doc, file, memo }, () => timing.findings++);
      results.push({
        file: { path: doc.path, ...(doc.line !== undefined ? { line: doc.line } : {}), messages: [] },
        lineStarts: lineStartsOf(text),
        length: text.length,
        corpusData: {},
        crashed: [],
      });
      return { index, blank: raw.trim() === '', memo, context };
    });
    const returned = timing.check.measure(() =>
      prepared.map(({ blank, context }) => {
        try {
          return blank ? undefined : active.rule.check(context);
        } catch {
          return undefined;
        }
      }),
    );
    prepared.forEach(({ index, memo }, offset) => {
      if (memo.has('tree')) timing.parsedDocuments++;
      if (returned[offset] === undefined) return;
      results[index].corpusData[timing.id] = structuredClone(returned[offset]);
      timing.corpusDataBytes += serialize(returned[offset]).length;
    });
  }
  if (active.rule.complete) {
    timing.complete.measure(() => completeCorpus(results, { ...config, rules: [active] }));
    for (const result of results) timing.findings += result.file.messages.length;
  }
  return timing;
}

type ChildTiming = Omit<RuleTiming, 'check' | 'complete'> & { check: number; complete: number };

/**
 * One rule timed in a fresh process: rules timed one after another in one process slowed each other
 * (V8 state left by an earlier rule made a later rule's regexes up to 4× slower), which no real run sees.
 */
async function timeRuleInChild(id: string, inputs: string[]): Promise<ChildTiming> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--time-rule', id, ...inputs.flatMap((input) => ['--input', input])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const code = await new Promise<number>((resolve) => child.on('close', (exit) => resolve(exit ?? 2)));
  if (code !== 0) throw new Error(`timing ${id} failed (exit ${code})`);
  return JSON.parse(stdout) as ChildTiming;
}

/** The corpus step alone, all rules, on the first `documents` first-pass results. */
function timeCorpusStep(results: DocumentResult[], documents: number, config: ResolvedConfig): number {
  const part = structuredClone(results.slice(0, documents));
  const time = new Stopwatch();
  time.measure(() => completeCorpus(part, config));
  return time.cpuSeconds;
}

const rate = (amount: number, seconds: number) => (seconds > 0 ? amount / seconds : Infinity);
const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '∞');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      generated: { type: 'string' },
      linearity: { type: 'string', default: '3000' },
      big: { type: 'string' },
      concurrency: { type: 'string', default: 'auto' },
      repeat: { type: 'string', default: '2' },
      'no-rules': { type: 'boolean' },
      rule: { type: 'string', multiple: true },
      'rules-only': { type: 'boolean' },
      // Internal: time one rule on these inputs in this process and print the timing as JSON.
      'time-rule': { type: 'string' },
      input: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const config = resolveConfig({});
  if (values['time-rule']) {
    const active = config.rules.find(({ rule }) => rule.meta.id === values['time-rule']);
    if (!active) throw new Error(`no rule ${values['time-rule']}`);
    const timing = await timeRule(active, values.input ?? [], config);
    console.log(JSON.stringify({ ...timing, check: timing.check.cpuSeconds, complete: timing.complete.cpuSeconds }));
    return;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'corpus-lint-bench-'));
  try {
    const shared = values.generated ? undefined : sharedDir();
    let inputs: string[];
    let corpusName: string;
    if (shared) {
      inputs = [join(shared, 'corpora')];
      corpusName = `${join(shared, 'corpora')} (real corpora)`;
    } else {
      const megabytes = Number(values.generated ?? 64);
      log(shared === undefined && !values.generated ? 'no ../shared/corpora: generating a corpus' : `generating a ${megabytes} MB corpus`);
      const file = join(scratch, 'generated.jsonl');
      await writeJsonlCorpus(file, { bytes: megabytes * MB });
      inputs = [file];
      corpusName = `generated JSONL, ${megabytes} MB`;
    }
    const ruleIds = config.rules.map((active) => active.rule.meta.id);
    const print = (line = '') => console.log(line);

    const rulesOnly = values['rules-only'] === true;
    let reference: Awaited<ReturnType<typeof referenceParse>> | undefined;
    let full: ChildRun | undefined;
    for (let round = 1; !rulesOnly && round <= Math.max(1, Number(values.repeat)); round++) {
      log(`round ${round}: reference parse (unified + retext-english, one thread)`);
      const parsed = await referenceParse(inputs, config);
      if (!reference || parsed.time.cpuSeconds < reference.time.cpuSeconds) reference = parsed;
      log(`round ${round}: full run, corpus-lint CLI --concurrency ${values.concurrency}`);
      const run = await runCli(inputs, join(scratch, 'report.json'), values.concurrency);
      if (!full || run.seconds < full.seconds) full = run;
    }
    if (!rulesOnly && (!reference || !full)) throw new Error('no round ran');
    if (reference && full) {
      const referenceMbps = rate(reference.bytes / MB, reference.time.cpuSeconds);
      const fullMbps = rate(reference.bytes / MB, full.seconds);

      print(`### corpus-lint bench (${new Date().toISOString().slice(0, 10)}, ${availableParallelism()} cores, Node ${process.version})`);
      print();
      print(`Corpus: ${corpusName}: ${reference.documents} documents, ${fixed(reference.bytes / MB)} MB of text. Rules: ${ruleIds.join(', ')}. Fastest of ${values.repeat} rounds; load average at the end ${loadavg()[0].toFixed(1)}.`);
      print();
      print('| run | seconds | CPU s | MB/s | documents/s | peak RSS | × reference (target ≥ 2.5) | × reference, CPU |');
      print('|---|---:|---:|---:|---:|---:|---:|---:|');
      print(
        `| reference: bare unified + retext-english parse, 1 thread (MB/s from CPU time) | ${fixed(reference.time.seconds, 2)} | ${fixed(reference.time.cpuSeconds, 2)} | ${fixed(referenceMbps)} | ${fixed(rate(reference.documents, reference.time.cpuSeconds), 0)} | | 1.0 | 1.0 |`,
      );
      print(
        `| corpus-lint CLI, all rules, --concurrency ${values.concurrency} (end to end: start, read, lint, corpus step, JSON report) | ${fixed(full.seconds, 2)} | ${fixed(full.cpuSeconds, 2)} | ${fixed(fullMbps)} | ${fixed(rate(reference.documents, full.seconds), 0)} | ${fixed(full.peakRssMb, 0)} MB | ${fixed(reference.time.cpuSeconds / full.seconds, 2)} | ${fixed(reference.time.cpuSeconds / full.cpuSeconds, 2)} |`,
      );
      print();
      print(
        '"× reference" is the target: the one-thread parse time (its CPU time, which is its wall time on an idle core) over the CLI\'s wall time; a busy machine only lowers it. "× reference, CPU" compares CPU time of all threads (work done, whatever the cores).',
      );
    }

    if (!values['no-rules']) {
      print();
      print('Each rule alone, one thread, CPU time (check includes any parse the rule forces; "parsed" = documents whose tree it built):');
      print();
      print('| rule | check CPU s | complete CPU s | MB/s per core | × reference CPU | parsed | corpus data | findings |');
      print('|---|---:|---:|---:|---:|---:|---:|---:|');
      const chosen = values.rule ?? [];
      for (const active of config.rules.filter(({ rule }) => chosen.length === 0 || chosen.includes(rule.meta.id))) {
        log(`rule ${active.rule.meta.id}`);
        const timing = await timeRuleInChild(active.rule.meta.id, inputs);
        const total = timing.check + timing.complete;
        const mbps = rate(timing.bytes / MB, total);
        print(
          `| ${timing.id} | ${fixed(timing.check, 2)} | ${fixed(timing.complete, 3)} | ${fixed(mbps)} | ${reference ? fixed(reference.time.cpuSeconds / total, 2) : 'n/a'} | ${fixed((100 * timing.parsedDocuments) / Math.max(timing.documents, 1))}% | ${fixed(timing.corpusDataBytes / MB)} MB | ${timing.findings} |`,
        );
      }
    }

    const small = Number(values.linearity);
    if (small > 0) {
      log(`near-linearity: ${small} and ${small * 10} generated documents`);
      const bigFile = join(scratch, 'linearity-10n.jsonl');
      const smallFile = join(scratch, 'linearity-n.jsonl');
      await writeJsonlCorpus(smallFile, { documents: small }, 7);
      const generated = await writeJsonlCorpus(bigFile, { documents: small * 10 }, 7);
      const runSmall = await runCli([smallFile], join(scratch, 'linearity-n.json'), values.concurrency);
      const runBig = await runCli([bigFile], join(scratch, 'linearity-10n.json'), values.concurrency);
      const firstPass: DocumentResult[] = [];
      await parallelFirstPass(values.concurrency === 'off' ? 'off' : 'auto')(documentsOf([bigFile], config), config, (result) => void firstPass.push(result));
      const stepSmall = timeCorpusStep(firstPass, small, config);
      const stepBig = timeCorpusStep(firstPass, small * 10, config);
      print();
      print(`Near-linearity, generated JSONL (${fixed(generated.bytes / MB)} MB for ${small * 10} documents):`);
      print();
      print(`| measure | ${small} documents | ${small * 10} documents | ratio (target ≤ 12) |`);
      print('|---|---:|---:|---:|');
      print(`| CLI end to end, seconds | ${fixed(runSmall.seconds, 2)} | ${fixed(runBig.seconds, 2)} | ${fixed(runBig.seconds / runSmall.seconds, 2)} |`);
      print(`| CLI end to end, CPU seconds | ${fixed(runSmall.cpuSeconds, 2)} | ${fixed(runBig.cpuSeconds, 2)} | ${fixed(runBig.cpuSeconds / runSmall.cpuSeconds, 2)} |`);
      print(`| corpus step (all rules' complete), CPU seconds | ${fixed(stepSmall, 3)} | ${fixed(stepBig, 3)} | ${stepSmall > 0.005 ? fixed(stepBig / stepSmall, 2) : 'n/a (under 5 ms)'} |`);
    }

    if (values.big) {
      const gigabytes = Number(values.big);
      log(`generating a ${gigabytes} GB JSONL file in ${scratch}`);
      const file = join(scratch, 'big.jsonl');
      const generated = await writeJsonlCorpus(file, { bytes: gigabytes * 1e9 }, 11);
      log('linting it with the CLI');
      const run = await runCli([file], join(scratch, 'big-report.json'), values.concurrency);
      const reportMb = statSync(join(scratch, 'big-report.json')).size / MB;
      print();
      print(`Large input: one generated JSONL file of ${fixed(generated.bytes / MB, 0)} MB, ${generated.documents} documents:`);
      print();
      print('| seconds | CPU s | MB/s | documents/s | peak RSS (target < 1024 MB) | JSON report |');
      print('|---:|---:|---:|---:|---:|---:|');
      print(`| ${fixed(run.seconds, 1)} | ${fixed(run.cpuSeconds, 1)} | ${fixed(rate(generated.bytes / MB, run.seconds))} | ${fixed(rate(generated.documents, run.seconds), 0)} | ${fixed(run.peakRssMb, 0)} MB | ${fixed(reportMb, 0)} MB |`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
