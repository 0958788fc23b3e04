import { compareMessages, REPORT_VERSION, TOOL } from './report.js';
import { SPILL_AFTER, SpillFile } from './spill.js';
import type { Report, ReportFile, ReportMessage } from './types.js';

/** Entries made by `lazyReportFile` whose messages were not read yet, and their JSON text. */
const storedJson = new WeakMap<ReportFile, string>();

function settleMessages(file: ReportFile, messages: ReportMessage[]): void {
  storedJson.delete(file);
  Object.defineProperty(file, 'messages', { value: messages, writable: true, enumerable: true, configurable: true });
}

// One getter and setter for all lazy entries (`this` is the entry), so they share their hidden class.
const lazyMessages: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: ReportFile) {
    const messages = (JSON.parse(storedJson.get(this)!) as ReportFile).messages;
    settleMessages(this, messages);
    return messages;
  },
  set(this: ReportFile, messages: ReportMessage[]) {
    settleMessages(this, messages);
  },
};

/**
 * A file entry (from the cache) whose messages are parsed from `json`, its `reportFileJson` text, when
 * first read; until then the JSON report writes `json` as it is. `head` must not change afterwards.
 */
export function lazyReportFile(head: Omit<ReportFile, 'messages'>, json: string): ReportFile {
  const file = Object.defineProperty(head, 'messages', lazyMessages) as ReportFile;
  storedJson.set(file, json);
  return file;
}

/** Whether an entry is from `lazyReportFile` and its messages were not read (so not changed) yet. */
export function isUnread(file: ReportFile): boolean {
  return storedJson.has(file);
}

/** A file entry as `JSON.stringify(report, null, 2)` writes it inside the `files` array. */
export function reportFileJson(file: ReportFile): string {
  const stored = storedJson.get(file);
  if (stored !== undefined) return stored;
  // Nested as deep as in the report, so JSON.stringify indents it; then `[\n  [\n` and `\n  ]\n]` are cut.
  return JSON.stringify([[file]], null, 2).slice(6, -6);
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
        const files = Array.from(spill.read(), (json, index) => withExtra(JSON.parse(json.toString()) as ReportFile, extra.get(index)));
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
    yield extra ? reportFileJson(withExtra(JSON.parse(json.toString()) as ReportFile, extra)) : json.toString();
  }
}
