import { createReadStream, promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, basename, extname, join, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import type { ResolvedConfig } from './config.js';
import type { Fix, ReportFile, ReportMessage } from './types.js';

/** The rule whose fixes need a name marked fixable in config (`fixableNames`). */
export const SPELLING_RULE_ID = 'spelling-inconsistency';

/** Fixes to apply to one document: a whole text file, or one JSONL record (by its line). */
export interface DocumentFixes {
  /** JSONL line of the record; absent for a text file. */
  line?: number;
  id?: string;
  fixes: Fix[];
}

/** Fixes per file path (as in the report). */
export type FixPlan = Map<string, DocumentFixes[]>;

/** What a fix pass did (or, dry, would do). */
export interface FixOutcome {
  documents: number;
  fixes: number;
  /** Unified diffs, one per changed document (dry run only). */
  diff: string;
}

/**
 * The fix a message allows, if any: the rule's own `fix`; for spelling-inconsistency only when the
 * canonical form (`expected[0]`) is listed in config `fixableNames`, built from `expected` when the rule gave none.
 */
export function fixOf(message: ReportMessage, config: Pick<ResolvedConfig, 'fixableNames'>): Fix | undefined {
  if (message.ruleId === SPELLING_RULE_ID) {
    const canonical = message.expected?.[0];
    if (canonical === undefined || !config.fixableNames.includes(canonical)) return undefined;
    return message.fix ?? { start: message.start, end: message.end, text: canonical };
  }
  return message.fix;
}

/** Collect the fixes of a report's messages, per file and document. */
export function planFixes(files: ReportFile[], config: Pick<ResolvedConfig, 'fixableNames'>): FixPlan {
  const plan: FixPlan = new Map();
  for (const file of files) {
    const fixes = file.messages.map((message) => fixOf(message, config)).filter((fix): fix is Fix => fix !== undefined);
    if (fixes.length === 0) continue;
    if (!plan.has(file.path)) plan.set(file.path, []);
    plan.get(file.path)!.push({ ...(file.line !== undefined ? { line: file.line } : {}), ...(file.id !== undefined ? { id: file.id } : {}), fixes });
  }
  return plan;
}

/**
 * Apply fixes to a text: sorted by position; a fix overlapping one already taken is left for the next
 * pass (the CLI re-lints and fixes again). Returns the new text and how many fixes were applied.
 */
export function applyFixes(text: string, fixes: Fix[]): { text: string; applied: number } {
  const sorted = [...fixes].sort((a, b) => a.start - b.start || a.end - b.end);
  let output = '';
  let cursor = 0;
  let applied = 0;
  let lastStart = -1;
  for (const fix of sorted) {
    if (fix.start < cursor || fix.end > text.length || fix.end < fix.start) continue;
    // Two insertions at one point would depend on their order: take the first only.
    if (fix.start === fix.end && fix.start === lastStart) continue;
    if (text.slice(fix.start, fix.end) === fix.text) continue;
    output += text.slice(cursor, fix.start) + fix.text;
    cursor = fix.end;
    lastStart = fix.start;
    applied++;
  }
  return { text: output + text.slice(cursor), applied };
}

/** Write a file through a temporary file beside it, then a rename: the original stays intact if anything fails. */
async function replaceFile(path: string, write: (handle: fs.FileHandle) => Promise<void>): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const { mode } = await fs.stat(path);
  const handle = await fs.open(temporary, 'wx', mode);
  try {
    try {
      await write(handle);
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, path);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}

function patch(label: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${label}`, `b/${label}`, before, after, undefined, undefined, { context: 2 });
}

async function fixTextFile(absolute: string, path: string, fixes: Fix[], dryRun: boolean): Promise<FixOutcome> {
  const raw = (await fs.readFile(absolute)).toString('utf8');
  // Offsets count from after a BOM, as the linter read the file; the BOM is written back.
  const bom = raw.charCodeAt(0) === 0xfeff ? '\uFEFF' : '';
  const before = raw.slice(bom.length);
  const { text: after, applied } = applyFixes(before, fixes);
  if (applied === 0) return { documents: 0, fixes: 0, diff: '' };
  if (dryRun) return { documents: 1, fixes: applied, diff: patch(path, before, after) };
  await replaceFile(absolute, (handle) => handle.writeFile(bom + after).then(() => undefined));
  return { documents: 1, fixes: applied, diff: '' };
}

/** Replace the string value of top-level field `field` in one JSONL line, keeping every other byte. */
export function replaceJsonlText(line: string, field: string, update: (text: string) => string): string | undefined {
  const tree = parseTree(line);
  const node = tree && findNodeAtLocation(tree, [field]);
  if (!node || node.type !== 'string' || typeof node.value !== 'string') return undefined;
  const next = update(node.value);
  if (next === node.value) return line;
  const original = line.slice(node.offset, node.offset + node.length);
  let encoded = JSON.stringify(next);
  // Keep the record's style: if it escaped non-ASCII characters, escape them too.
  if (/\\u[0-9a-fA-F]{4}/.test(original)) encoded = encoded.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return line.slice(0, node.offset) + encoded + line.slice(node.offset + node.length);
}

async function fixJsonlFile(absolute: string, path: string, documents: DocumentFixes[], field: string, dryRun: boolean): Promise<FixOutcome> {
  const byLine = new Map(documents.map((document) => [document.line, document.fixes]));
  const outcome: FixOutcome = { documents: 0, fixes: 0, diff: '' };
  const rewrite = async (emit: (chunk: string) => Promise<void>) => {
    let lineNumber = 0;
    let pending = '';
    const handleLine = async (line: string, ending: string) => {
      lineNumber++;
      const fixes = byLine.get(lineNumber);
      if (!fixes) return emit(line + ending);
      // The first line may start with a BOM, which the reader skipped.
      const bom = lineNumber === 1 && line.startsWith('\uFEFF') ? '\uFEFF' : '';
      let applied = 0;
      let before = '';
      let after = '';
      const replaced = replaceJsonlText(line.slice(bom.length), field, (text) => {
        const result = applyFixes(text, fixes);
        applied = result.applied;
        before = text;
        after = result.text;
        return result.text;
      });
      if (replaced === undefined || applied === 0) return emit(line + ending);
      outcome.documents++;
      outcome.fixes += applied;
      if (dryRun) outcome.diff += patch(`${path}:${lineNumber}`, before, after);
      return emit(bom + replaced + ending);
    };
    for await (const chunk of createReadStream(absolute, { encoding: 'utf8' })) {
      pending += chunk;
      let newline;
      while ((newline = pending.indexOf('\n')) >= 0) {
        // Split on \n only: a \r stays in the line (JSON ignores it), so CRLF files keep their line ends.
        await handleLine(pending.slice(0, newline), '\n');
        pending = pending.slice(newline + 1);
      }
    }
    if (pending !== '') await handleLine(pending, '');
  };
  if (dryRun) {
    await rewrite(async () => undefined);
    return outcome;
  }
  await replaceFile(absolute, async (handle) => {
    let buffered = '';
    await rewrite(async (chunk) => {
      buffered += chunk;
      if (buffered.length >= 1 << 16) {
        await handle.write(buffered);
        buffered = '';
      }
    });
    await handle.write(buffered);
  });
  return outcome;
}

/**
 * Apply a fix plan: text files are rewritten whole, JSONL files streamed line by line (only the text
 * field of fixed records changes); every file is written to a temporary file, then renamed over the
 * original. With `dryRun`, nothing is written and the unified diff is returned.
 */
export async function applyFixPlan(plan: FixPlan, options: { cwd: string; jsonlTextField: string; dryRun: boolean }): Promise<FixOutcome> {
  const total: FixOutcome = { documents: 0, fixes: 0, diff: '' };
  for (const [path, documents] of [...plan].sort(([a], [b]) => a.localeCompare(b))) {
    const absolute = resolve(options.cwd, path);
    const outcome =
      extname(path).toLowerCase() === '.jsonl'
        ? await fixJsonlFile(absolute, path, documents, options.jsonlTextField, options.dryRun)
        : await fixTextFile(absolute, path, documents.flatMap((document) => document.fixes), options.dryRun);
    total.documents += outcome.documents;
    total.fixes += outcome.fixes;
    total.diff += outcome.diff;
  }
  return total;
}
