import { createReadStream, promises as fs } from 'node:fs';
import { extname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { decodeText, type JsonlFields } from './inputs.js';
import type { Report } from './types.js';

/** A piece of a document's text that starts at offset `start`. */
export interface TextSegment {
  start: number;
  text: string;
}

/** What a report keeps of one document's text: all of it, or windows around its findings. */
export interface DocumentText {
  length: number;
  /** Sorted, non-overlapping; one segment at 0 when the whole text is kept. */
  segments: TextSegment[];
}

/** Document texts by `documentKey`, for formatters that show or fingerprint text. */
export type ReportTexts = ReadonlyMap<string, DocumentText>;

export interface TextLimits {
  /** Keep a document whole up to this many characters; longer ones keep windows around findings. */
  wholeUpTo: number;
  /** Characters of context kept on each side of a finding in a windowed document. */
  context: number;
  /** Once this many characters are kept in total, every further document keeps windows only. */
  totalBudget: number;
}

export const DEFAULT_TEXT_LIMITS: TextLimits = { wholeUpTo: 50_000, context: 400, totalBudget: 40_000_000 };

/** Key of a document in a report: its path, and for a JSONL record `path:line`. */
export function documentKey(path: string, line?: number): string {
  return line === undefined ? path : `${path}:${line}`;
}

/** The spans a report points at in each document: its own findings and other findings' related spans. */
export function spansByDocument(report: Report): Map<string, Array<[number, number]>> {
  const spans = new Map<string, Array<[number, number]>>();
  const add = (key: string, start: number, end: number) => {
    let list = spans.get(key);
    if (!list) spans.set(key, (list = []));
    list.push([start, end]);
  };
  for (const file of report.files) {
    for (const message of file.messages) {
      if (message.ruleId === 'input') continue;
      add(documentKey(file.path, file.line), message.start, message.end);
      for (const related of message.related ?? []) add(documentKey(related.path, related.documentLine), related.start, related.end);
    }
  }
  return spans;
}

/** Cut a text down to the limits: whole, or merged windows around the given spans. */
export function keepText(text: string, spans: Array<[number, number]>, limits: TextLimits, whole: boolean): DocumentText {
  if (whole && text.length <= limits.wholeUpTo) return { length: text.length, segments: [{ start: 0, text }] };
  const windows = spans
    .map(([start, end]): [number, number] => [Math.max(0, start - limits.context), Math.min(text.length, end + limits.context)])
    .sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const window of windows) {
    const last = merged[merged.length - 1];
    if (last && window[0] <= last[1]) last[1] = Math.max(last[1], window[1]);
    else merged.push([...window]);
  }
  return { length: text.length, segments: merged.map(([start, end]) => ({ start, text: text.slice(start, end) })) };
}

/**
 * Re-read the texts of the documents a report points at (those with findings or related spans):
 * text files whole, JSONL files streamed with only the wanted records parsed.
 */
export async function loadReportTexts(
  report: Report,
  options: { cwd: string; jsonl: JsonlFields; limits?: Partial<TextLimits> },
): Promise<Map<string, DocumentText>> {
  const limits = { ...DEFAULT_TEXT_LIMITS, ...options.limits };
  const spans = spansByDocument(report);
  const linesByPath = new Map<string, Set<number | undefined>>();
  for (const file of report.files) {
    if (!spans.has(documentKey(file.path, file.line))) continue;
    let lines = linesByPath.get(file.path);
    if (!lines) linesByPath.set(file.path, (lines = new Set()));
    lines.add(file.line);
  }
  const texts = new Map<string, DocumentText>();
  let kept = 0;
  const keep = (key: string, text: string) => {
    const document = keepText(text, spans.get(key) ?? [], limits, kept < limits.totalBudget);
    for (const segment of document.segments) kept += segment.text.length;
    texts.set(key, document);
  };
  for (const [path, lines] of linesByPath) {
    const absolute = resolve(options.cwd, path);
    try {
      if (extname(path).toLowerCase() === '.jsonl') {
        for await (const [line, text] of readJsonlTexts(absolute, lines as Set<number>, options.jsonl.text)) keep(documentKey(path, line), text);
      } else {
        const text = decodeText(await fs.readFile(absolute), path).text;
        if (text !== undefined) keep(path, text);
      }
    } catch {
      // A document that vanished or changed since the run simply shows without text.
    }
  }
  return texts;
}

async function* readJsonlTexts(file: string, wanted: Set<number>, field: string): AsyncGenerator<[number, string]> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNumber = 0;
  let left = wanted.size;
  try {
    for await (const raw of lines) {
      lineNumber++;
      if (!wanted.has(lineNumber)) continue;
      try {
        const record = JSON.parse(lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw) as Record<string, unknown>;
        if (typeof record?.[field] === 'string') yield [lineNumber, record[field] as string];
      } catch {
        // Malformed records carry only input findings, which point at no text.
      }
      if (--left === 0) break;
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}

/** The text of `[start, end)` when the kept segments cover it. */
export function sliceText(document: DocumentText | undefined, start: number, end: number): string | undefined {
  if (!document) return undefined;
  for (const segment of document.segments) {
    if (start >= segment.start && end <= segment.start + segment.text.length) {
      return segment.text.slice(start - segment.start, end - segment.start);
    }
  }
  return undefined;
}
