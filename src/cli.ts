#!/usr/bin/env node
import { resolve } from 'node:path';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { writeJson } from './formatters/json.js';
import { formatterLoaders, needsTexts } from './formatters/load.js';
import { parseConcurrency } from './parallel.js';
import { ConfigError } from './rule.js';
import { onlyErrors, TOOL } from './report.js';
import { loadReportTexts } from './report-texts.js';
import { writeFileAtomic } from './write.js';
import { checkWorkflowFlags, defaultPatterns, runWorkflow, WORKFLOW_OPTIONS, WORKFLOW_USAGE } from './workflow.js';
import type { Report } from './types.js';

/** Exit codes, as ESLint uses them. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

const USAGE = `Usage: corpus-lint [options] [paths...]

Lints text corpora (files, directories, globs, .jsonl) for scraping artifacts,
duplicates, off-topic trailers, implausible dates, inconsistent spellings and
repeated words. With no paths, lints the config's "corpus" roots, else corpus/.

Options:
  -f, --format NAME[:FILE]  Output format: ${Object.keys(formatterLoaders).join(', ')} (default stylish).
                            Repeatable; NAME:FILE writes that format to FILE.
  -o, --output FILE         Write the (single) format without a FILE here instead of stdout
  -c, --config FILE         Config file (default: .corpuslintrc.json found upward from cwd)
      --rule ID:SEVERITY    Set a rule's severity: off, info, warn, error (repeatable)
      --quiet               Report errors only
      --max-warnings N      Exit 1 when there are more than N warnings (default -1: no limit)
      --concurrency N|auto|off
                            Worker threads for linting documents (default auto:
                            all cores once the input passes a few MB)
      --color / --no-color  Force or disable colours in stylish output
${WORKFLOW_USAGE}
  -h, --help                Show this help
  -v, --version             Show the version

Exit codes: 0 no failing findings; 1 error findings or too many warnings;
2 usage error, bad config, unreadable input path, or a failure of the tool.
A breached corpus gate (config "gates") also exits 1.`;

/** Streams and cwd the CLI uses; replaceable in tests. */
export interface CliIo {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY?: boolean;
  /** Where progress goes (stderr); shown only when it is a TTY, outside CI and without --quiet. */
  progressStream?: NodeJS.WritableStream & { isTTY?: boolean };
}

interface OutputSpec {
  format: string;
  path?: string;
}

/** Run the CLI with arguments (without node and script); resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f', multiple: true },
        output: { type: 'string', short: 'o' },
        config: { type: 'string', short: 'c' },
        rule: { type: 'string', multiple: true },
        quiet: { type: 'boolean' },
        'max-warnings': { type: 'string' },
        concurrency: { type: 'string', default: 'auto' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        ...WORKFLOW_OPTIONS,
      },
    });
  } catch (error) {
    io.stderr(`corpus-lint: ${(error as Error).message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE + '\n');
    return EXIT.ok;
  }
  if (values.version) {
    io.stdout(`${TOOL.version}\n`);
    return EXIT.ok;
  }

  const outputs: OutputSpec[] = (values.format?.length ? values.format : ['stylish']).map((spec) => {
    const colon = spec.indexOf(':');
    return colon > 0 ? { format: spec.slice(0, colon), path: spec.slice(colon + 1) } : { format: spec };
  });
  for (const output of outputs) {
    if (!(output.format in formatterLoaders)) {
      io.stderr(`corpus-lint: unknown format "${output.format}": expected one of ${Object.keys(formatterLoaders).join(', ')}\n`);
      return EXIT.usage;
    }
  }
  const toStream = outputs.filter((output) => !output.path);
  if (values.output) {
    if (toStream.length !== 1) {
      io.stderr('corpus-lint: --output takes exactly one format without its own :FILE\n');
      return EXIT.usage;
    }
    toStream[0].path = values.output;
  }
  let maxWarnings = -1;
  if (values['max-warnings'] !== undefined) {
    maxWarnings = Number(values['max-warnings']);
    if (!Number.isInteger(maxWarnings)) {
      io.stderr(`corpus-lint: --max-warnings takes a whole number, got "${values['max-warnings']}"\n`);
      return EXIT.usage;
    }
  }

  const workflowProblem = checkWorkflowFlags(values);
  if (workflowProblem) {
    io.stderr(`corpus-lint: ${workflowProblem}\n`);
    return EXIT.usage;
  }
  const concurrency = parseConcurrency(values.concurrency);
  if (concurrency === undefined) {
    io.stderr(`corpus-lint: --concurrency takes a positive whole number, auto or off, got "${values.concurrency}"\n`);
    return EXIT.usage;
  }

  let config;
  try {
    config = loadConfig(io.cwd, values.config, values.rule ?? []);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`corpus-lint: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }

  const patterns = positionals.length > 0 ? positionals : defaultPatterns(config, io.cwd);
  // The progress bar library is loaded only when stderr is a terminal, where a bar may show.
  const progress = io.progressStream?.isTTY
    ? await import('./progress.js').then(({ createProgress, progressWanted }) => createProgress(io.progressStream, progressWanted(io.progressStream, process.env, Boolean(values.quiet))))
    : undefined;
  let run;
  try {
    run = await runWorkflow(patterns, config, values, io, {
      concurrency,
      onFiles: (files) => progress?.files(files),
      onDocument: (_result, chars) => progress?.document(chars),
    });
  } catch (error) {
    // A bad baseline file, or a file system error while writing fixes, a baseline or the cache.
    if (!(error instanceof ConfigError) && (error as NodeJS.ErrnoException).code === undefined) throw error;
    io.stderr(`corpus-lint: ${(error as Error).message}\n`);
    return EXIT.usage;
  } finally {
    progress?.stop();
  }
  for (const problem of run.problems) io.stderr(`corpus-lint: ${problem}\n`);
  for (const crash of run.crashes) io.stderr(`corpus-lint: rule crashed: ${crash}\n`);

  let report: Report = values.quiet ? onlyErrors(run.report) : run.report;
  const color = values['no-color'] ? false : (values.color ?? io.isTTY ?? false);
  if (report.summary.documents > 0 || run.problems.length === 0) {
    const texts = outputs.some((output) => needsTexts.has(output.format)) ? await loadReportTexts(report, { cwd: io.cwd, jsonl: config.jsonl }) : undefined;
    for (const output of outputs) {
      if (output.format === 'json') {
        // Written in pieces: a large run's report is streamed, never built as one string.
        if (output.path) await writeFileAtomic(resolve(io.cwd, output.path), (write) => writeJson(report, write));
        else if (run.diff === undefined) writeJson(report, io.stdout);
        continue;
      }
      const format = await formatterLoaders[output.format]();
      const text = format(report, { color: output.path ? false : color, cwd: io.cwd, ...(texts ? { texts } : {}) });
      if (output.path) await writeFileAtomic(resolve(io.cwd, output.path), text);
      else if (run.diff === undefined) io.stdout(text);
    }
  }
  if (run.diff !== undefined) io.stdout(run.diff);

  if (run.problems.length > 0 || run.crashes.length > 0) return EXIT.usage;
  if (report.summary.errors > 0 || run.gateFailed) return EXIT.findings;
  if (maxWarnings >= 0 && report.summary.warnings > maxWarnings) {
    io.stderr(`corpus-lint found too many warnings (${report.summary.warnings}, maximum: ${maxWarnings})\n`);
    return EXIT.findings;
  }
  return EXIT.ok;
}

function isMain(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: process.stdout.isTTY,
    progressStream: process.stderr,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`corpus-lint: internal error: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = EXIT.usage;
    },
  );
}
