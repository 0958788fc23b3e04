import { deserialize, serialize } from 'node:v8';
import { SPILL_AFTER, SpillFile } from './spill.js';
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

const POOL_BLOCK = 1 << 20;

/** Line starts of many documents in shared blocks: a small view each instead of a buffer each. */
class LineStartsPool {
  private block = new Uint32Array(POOL_BLOCK);
  private used = 0;

  keep(starts: ArrayLike<number>): Uint32Array {
    if (this.used + starts.length > this.block.length) {
      this.block = new Uint32Array(Math.max(POOL_BLOCK, starts.length));
      this.used = 0;
    }
    const view = this.block.subarray(this.used, this.used + starts.length);
    view.set(starts);
    this.used += starts.length;
    return view;
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
  private readonly places = new Map<number, CorpusPlace>();
  private readonly rules = new Map<string, RuleData>();
  private readonly lineStarts = new LineStartsPool();
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
    const { path, id, line } = file;
    this.places.set(doc, { path, ...(id !== undefined ? { id } : {}), ...(line !== undefined ? { line } : {}), lineStarts: this.lineStarts.keep(lineStarts), length });
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
    return this.places.get(doc);
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
    return rule.docs.map((doc, index) => corpusEntry(doc, this.places.get(doc)!, values[index]));
  }

  /** Let go of everything (temporary files included). */
  clear(): void {
    for (const rule of this.rules.values()) rule.spill?.remove();
    this.rules.clear();
    this.places.clear();
  }
}
