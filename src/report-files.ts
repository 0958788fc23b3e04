import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareMessages, REPORT_VERSION, TOOL } from './report.js';
import type { Report, ReportFile, ReportMessage } from './types.js';

/** Documents a run keeps in memory before its report's file entries go to a temporary file. */
export const SPILL_AFTER = 10_000;

const FILE_INDENT = '    ';
const WRITE_BUFFER = 1 << 20;

/** A file entry as `JSON.stringify(report, null, 2)` writes it inside the `files` array. */
export function reportFileJson(file: ReportFile): string {
  // JSON escapes line breaks inside strings: every raw line break is indentation.
  return FILE_INDENT + JSON.stringify(file, null, 2).replaceAll('\n', '\n' + FILE_INDENT);
}

const liveDirectories = new Set<string>();
let cleanupRegistered = false;

function removeLiveDirectories(): void {
  for (const directory of liveDirectories) rmSync(directory, { recursive: true, force: true });
  liveDirectories.clear();
}

/** File entries as JSON text, appended in order to a temporary file (removed when read back whole or at exit). */
class SpillFile {
  private readonly directory = mkdtempSync(join(tmpdir(), 'corpus-lint-report-'));
  private readonly fd = openSync(join(this.directory, 'files.json'), 'w+');
  /** Byte length of each entry, in order. */
  private readonly lengths: number[] = [];
  private pending: string[] = [];
  private pendingChars = 0;
  private written = 0;

  constructor() {
    liveDirectories.add(this.directory);
    if (!cleanupRegistered) {
      cleanupRegistered = true;
      process.once('exit', removeLiveDirectories);
    }
  }

  append(json: string): void {
    this.lengths.push(Buffer.byteLength(json));
    this.pending.push(json);
    this.pendingChars += json.length;
    if (this.pendingChars >= WRITE_BUFFER) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.written += writeSync(this.fd, this.pending.join(''), this.written);
    this.pending = [];
    this.pendingChars = 0;
  }

  /** The entries in order, read back in blocks. */
  *read(): Generator<string> {
    this.flush();
    let buffer = Buffer.alloc(4 * WRITE_BUFFER);
    let filled = 0;
    let at = 0;
    let position = 0;
    for (const length of this.lengths) {
      if (filled - at < length) {
        if (length > buffer.length) buffer = Buffer.concat([buffer.subarray(at, filled)], Math.max(length, 2 * buffer.length));
        else buffer.copy(buffer, 0, at, filled);
        filled -= at;
        at = 0;
        while (filled < length) {
          const read = readSync(this.fd, buffer, filled, buffer.length - filled, position);
          if (read === 0) throw new Error('Report spill file ended early');
          filled += read;
          position += read;
        }
      }
      yield buffer.toString('utf8', at, at + length);
      at += length;
    }
  }

  remove(): void {
    closeSync(this.fd);
    rmSync(this.directory, { recursive: true, force: true });
    liveDirectories.delete(this.directory);
  }
}

/** A spilled report's entries and the corpus-step messages still to merge into them. */
interface Spilled {
  spill: SpillFile;
  extra: Map<number, ReportMessage[]>;
}

const spilledReports = new WeakMap<Report, Spilled>();

function withExtra(file: ReportFile, extra: ReportMessage[] | undefined): ReportFile {
  if (extra) file.messages = [...file.messages, ...extra].sort(compareMessages);
  return file;
}

/**
 * The file entries of a run in corpus order, messages sorted: kept in memory, or once there are more
 * than `spillAfter`, written as JSON to a temporary file, so a large run never holds its whole report.
 */
export class ReportFileStore {
  private readonly kept: ReportFile[] = [];
  private spill: SpillFile | undefined;
  /** Entries added so far. */
  count = 0;

  constructor(private readonly spillAfter = SPILL_AFTER) {}

  /** Add the next entry (its messages sorted). */
  add(file: ReportFile): void {
    this.count++;
    if (this.spill) return this.spill.append(reportFileJson(file));
    this.kept.push(file);
    if (this.kept.length <= this.spillAfter) return;
    this.spill = new SpillFile();
    for (const kept of this.kept) this.spill.append(reportFileJson(kept));
    this.kept.length = 0;
  }

  /**
   * The report: these entries with `extra` messages (corpus step, by document index) merged in.
   * A spilled report reads its entries back only if `files` is used; `reportFileTexts` streams them.
   */
  finish(summary: Report['summary'], extra: Map<number, ReportMessage[]>): Report {
    const head = { version: REPORT_VERSION, tool: TOOL, summary };
    const { spill } = this;
    if (!spill) return { ...head, files: this.kept.map((file, index) => withExtra(file, extra.get(index))) };
    const report = head as Report;
    const settle = (files: ReportFile[]) => Object.defineProperty(report, 'files', { value: files, writable: true, enumerable: true, configurable: true });
    Object.defineProperty(report, 'files', {
      enumerable: true,
      configurable: true,
      get() {
        const files = Array.from(spill.read(), (json, index) => withExtra(JSON.parse(json) as ReportFile, extra.get(index)));
        spilledReports.delete(report);
        spill.remove();
        settle(files);
        return files;
      },
      set: settle,
    });
    spilledReports.set(report, { spill, extra });
    return report;
  }
}

/** The report's file entries as JSON text in order, streamed from the temporary file of a spilled report. */
export function* reportFileTexts(report: Report): Generator<string> {
  const spilled = spilledReports.get(report);
  if (!spilled) {
    for (const file of report.files) yield reportFileJson(file);
    return;
  }
  let index = 0;
  for (const json of spilled.spill.read()) {
    const extra = spilled.extra.get(index++);
    yield extra ? reportFileJson(withExtra(JSON.parse(json) as ReportFile, extra)) : json;
  }
}
