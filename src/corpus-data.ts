import { deserialize, serialize } from 'node:v8';
import { SPILL_AFTER, SpillFile } from './spill.js';
import { grown } from './typed-arrays.js';
import type { CorpusEntry, ReportFile } from './types.js';

/** Where a document is, enough to place findings without its text. */
export interface CorpusPlace {
  path: string;
  id?: string;
  line?: number;
  /** Offsets where each line starts. */
  lineStarts: ArrayLike<number>;
  length: number;
}

/** The corpus step's view of the documents with corpus data. */
export interface CorpusDocuments {
  /** Where a document with corpus data is; undefined for any other. */
  place(doc: number): CorpusPlace | undefined;
  /** One rule's entries, in corpus order. */
  entries(ruleId: string): CorpusEntry<unknown>[];
}

/** A corpus entry: the document's name and place in the corpus, and the rule's data. */
export function corpusEntry(doc: number, file: Pick<ReportFile, 'path' | 'id' | 'line'>, data: unknown): CorpusEntry<unknown> {
  const { path, id, line } = file;
  return { doc, path, ...(id !== undefined ? { id } : {}), ...(line !== undefined ? { line } : {}), data };
}

/**
 * Where the documents with corpus data are, in columns: a few numbers a document, and its line
 * starts as the gaps between them in variable-length bytes (one or two a line, not four), instead
 * of an object and a typed-array view each. A place is rebuilt when the corpus step asks for it.
 */
class PlaceColumns {
  count = 0;
  /** Document indexes, ascending (the first pass hands documents on in order). */
  private docs = new Int32Array(1024);
  /** JSONL line, 0 for none. */
  private lines = new Int32Array(1024);
  private lengths = new Uint32Array(1024);
  private lineCounts = new Uint32Array(1024);
  /** Where each document's line gaps begin in `gaps`. */
  private gapsAt = new Uint32Array(1024);
  private gaps = new Uint8Array(1 << 16);
  private gapBytes = 0;
  private readonly paths: string[] = [];
  private readonly ids: (string | undefined)[] = [];

  add(doc: number, file: Pick<ReportFile, 'path' | 'id' | 'line'>, lineStarts: ArrayLike<number>, length: number): void {
    const at = this.count++;
    if (at === this.docs.length) {
      this.docs = grown(this.docs, at + 1);
      this.lines = grown(this.lines, at + 1);
      this.lengths = grown(this.lengths, at + 1);
      this.lineCounts = grown(this.lineCounts, at + 1);
      this.gapsAt = grown(this.gapsAt, at + 1);
    }
    this.docs[at] = doc;
    this.lines[at] = file.line ?? 0;
    this.lengths[at] = length;
    this.lineCounts[at] = lineStarts.length;
    this.gapsAt[at] = this.gapBytes;
    this.paths.push(file.path);
    this.ids.push(file.id);
    // Gaps as 7-bit groups, low first, the high bit set on all but the last group (LEB128).
    this.gaps = grown(this.gaps, this.gapBytes + 5 * lineStarts.length);
    for (let line = 1; line < lineStarts.length; line++) {
      let gap = lineStarts[line] - lineStarts[line - 1];
      while (gap >= 0x80) {
        this.gaps[this.gapBytes++] = (gap & 0x7f) | 0x80;
        gap >>>= 7;
      }
      this.gaps[this.gapBytes++] = gap;
    }
  }

  /** Position of document `doc` in the columns (at `from` or later), or -1. */
  find(doc: number, from = 0): number {
    let low = from;
    let high = this.count - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (this.docs[middle] === doc) return middle;
      if (this.docs[middle] < doc) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  /** The place at position `at` of the columns. */
  place(at: number): CorpusPlace {
    const lineStarts = new Uint32Array(this.lineCounts[at]);
    let byte = this.gapsAt[at];
    for (let line = 1; line < lineStarts.length; line++) {
      let gap = 0;
      for (let shift = 0; ; shift += 7) {
        const group = this.gaps[byte++];
        gap += (group & 0x7f) * 2 ** shift;
        if (group < 0x80) break;
      }
      lineStarts[line] = lineStarts[line - 1] + gap;
    }
    const id = this.ids[at];
    const line = this.lines[at];
    return { path: this.paths[at], ...(id !== undefined ? { id } : {}), ...(line > 0 ? { line } : {}), lineStarts, length: this.lengths[at] };
  }

  /** Name and line of the document at position `at`, for a corpus entry. */
  name(at: number): Pick<ReportFile, 'path' | 'id' | 'line'> {
    const id = this.ids[at];
    const line = this.lines[at];
    return { path: this.paths[at], ...(id !== undefined ? { id } : {}), ...(line > 0 ? { line } : {}) };
  }
}

/** One rule's data: in memory, or v8-serialized in batches to a temporary file (`values` then holds the batch being filled). */
interface RuleData {
  docs: number[];
  values: unknown[];
  spill?: SpillFile;
}

// Values serialized together: one v8 serializer and one record per batch costs a fraction of one per value.
const SPILL_BATCH = 256;

/**
 * The corpus data of a run's documents as the first pass hands them on, for the rules that have a
 * corpus step. Past `spillAfter` documents each rule's data goes v8-serialized to a temporary file
 * and is read back only for that rule's step: a large run holds one rule's data at a time.
 */
export class CorpusDataStore implements CorpusDocuments {
  private places = new PlaceColumns();
  private readonly rules = new Map<string, RuleData>();
  private spilling = false;

  constructor(
    ruleIds: Iterable<string>,
    private readonly spillAfter = SPILL_AFTER,
  ) {
    for (const ruleId of ruleIds) this.rules.set(ruleId, { docs: [], values: [] });
  }

  /** Keep what the corpus step needs of document `doc` (handed on in corpus order). */
  add(doc: number, file: ReportFile, lineStarts: ArrayLike<number>, length: number, corpusData: Record<string, unknown>): void {
    let kept = false;
    for (const [ruleId, rule] of this.rules) {
      const data = corpusData[ruleId];
      if (data === undefined) continue;
      kept = true;
      rule.docs.push(doc);
      rule.values.push(data);
      if (rule.spill && rule.values.length >= SPILL_BATCH) this.spillBatch(rule);
    }
    if (!kept) return;
    this.places.add(doc, file, lineStarts, length);
    if (!this.spilling && doc >= this.spillAfter) this.spill();
  }

  private spill(): void {
    this.spilling = true;
    for (const rule of this.rules.values()) {
      rule.spill = new SpillFile();
      for (let start = 0; start < rule.values.length; start += SPILL_BATCH) rule.spill.append(serialize(rule.values.slice(start, start + SPILL_BATCH)));
      rule.values = [];
    }
  }

  private spillBatch(rule: RuleData): void {
    if (rule.values.length === 0) return;
    rule.spill!.append(serialize(rule.values));
    rule.values = [];
  }

  place(doc: number): CorpusPlace | undefined {
    const at = this.places.find(doc);
    return at < 0 ? undefined : this.places.place(at);
  }

  /** One rule's entries; the store lets go of them (each corpus step runs once). */
  entries(ruleId: string): CorpusEntry<unknown>[] {
    const rule = this.rules.get(ruleId);
    if (!rule) return [];
    this.rules.delete(ruleId);
    let values = rule.values;
    if (rule.spill) {
      this.spillBatch(rule);
      values = [];
      // Node's deserializer returns typed arrays as views into the bytes it reads: give each batch its own copy, not the reused read buffer.
      for (const bytes of rule.spill.read()) for (const value of deserialize(new Uint8Array(bytes)) as unknown[]) values.push(value);
      rule.spill.remove();
    }
    // A rule's documents are some of the placed ones, in the same order: walk both.
    let at = 0;
    return rule.docs.map((doc, index) => {
      at = this.places.find(doc, at);
      return corpusEntry(doc, this.places.name(at), values[index]);
    });
  }

  /** Let go of everything (temporary files included). */
  clear(): void {
    for (const rule of this.rules.values()) rule.spill?.remove();
    this.rules.clear();
    this.places = new PlaceColumns();
  }
}
