import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { readDocuments, type InputOptions } from './inputs.js';
import { ConfigError } from './rule.js';
import { buildReport } from './report.js';
import { writeFileAtomic } from './write.js';
import type { Report, ReportFile, ReportMessage } from './types.js';

export const BASELINE_VERSION = 1;
/** Characters of context on each side of the flagged text that go into a fingerprint. */
const CONTEXT = 20;

/** A known finding: the document, the rule, the flagged text, its fingerprint and how often it occurs. */
export interface BaselineEntry {
  path: string;
  /** For a JSONL record: its id, or `documentLine` when it has none. */
  id?: string;
  documentLine?: number;
  ruleId: string;
  text: string;
  fingerprint: string;
  count: number;
}

export interface Baseline {
  version: number;
  findings: BaselineEntry[];
}

/** Outcome of applying a baseline to a report. */
export interface BaselineOutcome {
  report: Report;
  suppressed: number;
  /** Baseline entries (or the part of their count) that no longer occur in documents of this run. */
  prunable: BaselineEntry[];
}

type Fingerprinted = { message: ReportMessage; fingerprint: string; text: string };

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Key of a document in a baseline: path, and id (or line) for a JSONL record. */
function documentKey(file: { path: string; id?: string; line?: number; documentLine?: number }): string {
  const line = 'documentLine' in file ? file.documentLine : file.line;
  return JSON.stringify([file.path, file.id ?? line ?? null]);
}

/** Fingerprint of a finding: rule, message id, flagged text and a little context; no line numbers. */
export function fingerprint(message: ReportMessage, text: string | undefined): { fingerprint: string; text: string } {
  const flagged = text?.slice(message.start, message.end) ?? '';
  const before = text?.slice(Math.max(0, message.start - CONTEXT), message.start) ?? '';
  const after = text?.slice(message.end, message.end + CONTEXT) ?? '';
  // A zero-width finding (input problems) has no text of its own: its message stands for it.
  const anchor = flagged === '' ? message.message : flagged;
  const hash = createHash('sha256')
    .update(JSON.stringify([message.ruleId, message.messageId ?? '', squash(anchor), squash(before), squash(after)]))
    .digest('hex')
    .slice(0, 20);
  return { fingerprint: hash, text: squash(anchor).slice(0, 120) };
}

/** Read again the texts of the documents that have findings (by path and JSONL line), to fingerprint them. */
async function textsOf(files: ReportFile[], inputOptions: InputOptions): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  const paths = [...new Set(files.filter((file) => file.messages.length > 0).map((file) => file.path))];
  for (const path of paths) {
    for await (const loaded of readDocuments([resolve(inputOptions.cwd, path)], inputOptions)) {
      if (loaded.text !== undefined) texts.set(JSON.stringify([path, loaded.info.line ?? null]), loaded.text);
    }
  }
  return texts;
}

/** Fingerprint every message of the report, per document key. */
export async function fingerprintReport(files: ReportFile[], inputOptions: InputOptions): Promise<Map<string, Fingerprinted[]>> {
  const texts = await textsOf(files, inputOptions);
  const byDocument = new Map<string, Fingerprinted[]>();
  for (const file of files) {
    const text = texts.get(JSON.stringify([file.path, file.line ?? null]));
    byDocument.set(
      documentKey(file),
      file.messages.map((message) => ({ message, ...fingerprint(message, text) })),
    );
  }
  return byDocument;
}

/** Read a baseline file; a missing file is an empty baseline, a malformed one an error. */
export async function readBaseline(path: string): Promise<Baseline> {
  let source: string;
  try {
    source = await fs.readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: BASELINE_VERSION, findings: [] };
    throw error;
  }
  let parsed: Baseline | undefined;
  try {
    parsed = JSON.parse(source) as Baseline;
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.version !== BASELINE_VERSION || !Array.isArray(parsed.findings)) {
    throw new ConfigError(`${path} is not a corpus-lint baseline (expected {"version": ${BASELINE_VERSION}, "findings": [...]})`);
  }
  return parsed;
}

/** Drop the findings the baseline knows (up to each entry's count); list entries that no longer occur. */
export function applyBaseline(report: Report, fingerprints: Map<string, Fingerprinted[]>, baseline: Baseline): BaselineOutcome {
  const remaining = new Map<string, Map<string, BaselineEntry & { left: number }>>();
  for (const entry of baseline.findings) {
    const key = documentKey(entry);
    if (!remaining.has(key)) remaining.set(key, new Map());
    remaining.get(key)!.set(entry.fingerprint, { ...entry, left: entry.count });
  }
  let suppressed = 0;
  const files = report.files.map((file) => {
    const known = remaining.get(documentKey(file));
    const found = fingerprints.get(documentKey(file)) ?? [];
    const keep = new Set<ReportMessage>(file.messages);
    for (const { message, fingerprint: print } of found) {
      const entry = known?.get(print);
      if (entry && entry.left > 0) {
        entry.left--;
        suppressed++;
        keep.delete(message);
      }
    }
    return { ...file, messages: file.messages.filter((message) => keep.has(message)) };
  });
  const linted = new Set(report.files.map(documentKey));
  const prunable: BaselineEntry[] = [];
  for (const [key, entries] of remaining) {
    if (!linted.has(key)) continue;
    for (const { left, ...entry } of entries.values()) if (left > 0) prunable.push({ ...entry, count: left });
  }
  return { report: buildReport(files), suppressed, prunable };
}

/** A baseline of the run's findings, keeping entries of documents this run did not lint. */
export function makeBaseline(report: Report, fingerprints: Map<string, Fingerprinted[]>, previous: Baseline): Baseline {
  const linted = new Set(report.files.map(documentKey));
  const findings = previous.findings.filter((entry) => !linted.has(documentKey(entry)));
  for (const file of report.files) {
    const counts = new Map<string, BaselineEntry>();
    for (const { message, fingerprint: print, text } of fingerprints.get(documentKey(file)) ?? []) {
      const entry = counts.get(print);
      if (entry) entry.count++;
      else
        counts.set(print, {
          path: file.path,
          ...(file.id !== undefined ? { id: file.id } : file.line !== undefined ? { documentLine: file.line } : {}),
          ruleId: message.ruleId,
          text,
          fingerprint: print,
          count: 1,
        });
    }
    findings.push(...counts.values());
  }
  findings.sort((a, b) => a.path.localeCompare(b.path) || documentKey(a).localeCompare(documentKey(b)) || a.ruleId.localeCompare(b.ruleId) || a.text.localeCompare(b.text) || a.fingerprint.localeCompare(b.fingerprint));
  return { version: BASELINE_VERSION, findings };
}

/** Write a baseline file (atomically, stable order). */
export async function writeBaseline(path: string, baseline: Baseline): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(baseline, null, 2) + '\n');
}

/** Lines listing prunable baseline entries. */
export function formatPrunable(prunable: BaselineEntry[]): string {
  return prunable
    .map((entry) => `  ${entry.path}${entry.id !== undefined ? ` (${entry.id})` : entry.documentLine !== undefined ? `:${entry.documentLine}` : ''}: ${entry.ruleId} "${entry.text}"${entry.count > 1 ? ` ×${entry.count}` : ''}\n`)
    .join('');
}
