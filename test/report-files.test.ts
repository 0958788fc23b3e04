import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.js';
import { CorpusDataStore } from '../src/corpus-data.js';
import { lintDocuments } from '../src/engine.js';
import { formatJson, writeJson } from '../src/formatters/json.js';
import type { LoadedDocument } from '../src/inputs.js';
import { buildReport } from '../src/report.js';
import { defineRule } from '../src/rule.js';
import { builtinRules } from '../src/rules.js';
import { CorpusGenerator } from '../scripts/generate-corpus.js';
import sameOpening from './helpers/same-opening-rule.js';

const spillDirectories = () => readdirSync(tmpdir()).filter((name) => name.startsWith('corpus-lint-spill-'));

/** Generated documents whose openings repeat, so the corpus step reports on some of them. */
function documents(count: number): LoadedDocument[] {
  const generator = new CorpusGenerator(9);
  return Array.from({ length: count }, (_, index) => ({
    info: { path: 'news.jsonl', line: index + 1, id: `n${index}`, contentStart: 0 },
    text: index % 7 === 3 ? 'Markets rallied on Friday after the report.\nIt was the the end.\n' : generator.document(),
    notes: index === 5 ? [{ severity: 'warning' as const, message: 'news.jsonl:6: a note' }] : [],
  }));
}

const config = resolveConfig({}, { rules: new Map([...builtinRules, [sameOpening.meta.id, sameOpening as never]]) });

describe('report entries spilled to a temporary file', () => {
  it('gives the same JSON bytes and the same files as a report kept in memory, corpus-step findings merged in', async () => {
    const docs = documents(60);
    const before = new Set(spillDirectories());
    const kept = await lintDocuments(docs, config);
    const spilled = await lintDocuments(docs, config, undefined, undefined, 10);
    const created = spillDirectories().filter((name) => !before.has(name));
    expect(created).toHaveLength(1);
    expect(kept.report.files.some((file) => file.messages.some((message) => message.ruleId === 'same-opening'))).toBe(true);
    expect(formatJson(spilled.report)).toBe(JSON.stringify(kept.report, null, 2) + '\n');
    expect(spilled.crashes).toEqual(kept.crashes);
    // Read back whole on first use, as plain entries; the temporary file goes then.
    expect(spilled.report.files).toEqual(kept.report.files);
    expect(existsSync(join(tmpdir(), created[0]))).toBe(false);
    expect(formatJson(spilled.report)).toBe(formatJson(kept.report));
  });

  it('writes JSON in pieces exactly as JSON.stringify does, with and without entries', () => {
    for (const files of [[], [{ path: 'a.txt', messages: [] }, { path: 'b "q".jsonl', line: 2, id: 'x\ny', messages: [{ ruleId: 'r', severity: 'info' as const, message: 'm\u2028', line: 1, column: 1, endLine: 1, endColumn: 1, start: 0, end: 0 }] }]]) {
      const report = buildReport(files);
      const pieces: string[] = [];
      writeJson(report, (text) => void pieces.push(text));
      expect(pieces.join('')).toBe(JSON.stringify(report, null, 2) + '\n');
    }
  });

  it('stops a corpus step that reports on a document it has no data for', async () => {
    const stray = defineRule<Record<string, never>, number>({
      meta: { id: 'stray', description: 's', url: 'x', defaultSeverity: 'warn', messages: { m: 'm' }, schema: { type: 'object' } },
      check: (context) => (context.doc.index === 0 ? 1 : undefined),
      complete: (corpus) => corpus.report(1, { messageId: 'm', start: 0, end: 1 }),
    });
    const docs = ['first', 'second'].map((text, index) => ({ info: { path: `${index}.txt`, contentStart: 0 }, text, notes: [] }));
    const { crashes, report } = await lintDocuments(docs, resolveConfig({}, { rules: new Map([['stray', stray as never]]) }));
    expect(crashes).toEqual(['stray: corpus step failed: Rule "stray" reported on document 1, which has no corpus data']);
    expect(report.summary.warnings).toBe(0);
  });

  it('reads spilled corpus data back intact past its read buffer, typed arrays included', () => {
    const store = new CorpusDataStore(['r', 'unused'], 0);
    // 400 × 16 kB: more than one read block, so a value still pointing into the reused read buffer would change.
    const values = Array.from({ length: 400 }, (_, doc) => Uint32Array.from({ length: 4000 }, (_, at) => doc * 7 + at));
    values.forEach((value, doc) => store.add(doc, { path: 'a.jsonl', line: doc + 1, messages: [] }, [0], 10, { r: value }));
    const entries = store.entries('r');
    expect(entries.map((entry) => entry.doc)).toEqual(values.map((_, doc) => doc));
    expect(entries.every((entry, doc) => entry.line === doc + 1 && (entry.data as Uint32Array).every((number, at) => number === values[doc][at]))).toBe(true);
    expect(store.place(3)).toMatchObject({ path: 'a.jsonl', line: 4, length: 10 });
    expect(store.entries('unused')).toEqual([]);
    store.clear();
  });

  it('gives back each document\'s place, line starts of any length included', () => {
    const store = new CorpusDataStore(['r'], 1);
    const starts = [[0], [0, 5, 300, 70_000, 70_001, 2 ** 31], [0, 1, 2]];
    starts.forEach((lineStarts, doc) => store.add(2 * doc, { path: `${doc}.txt`, ...(doc === 1 ? { id: 'x', line: 7 } : {}), messages: [] }, lineStarts, 3_000_000_000, { r: doc }));
    expect(starts.map((_, doc) => store.place(2 * doc))).toEqual(
      starts.map((lineStarts, doc) => ({ path: `${doc}.txt`, ...(doc === 1 ? { id: 'x', line: 7 } : {}), lineStarts: Uint32Array.from(lineStarts), length: 3_000_000_000 })),
    );
    expect(store.place(1)).toBeUndefined();
    expect(store.entries('r')).toEqual([
      { doc: 0, path: '0.txt', data: 0 },
      { doc: 2, path: '1.txt', id: 'x', line: 7, data: 1 },
      { doc: 4, path: '2.txt', data: 2 },
    ]);
    store.clear();
  });

  it('removes its temporary files when a signal ends the run', async () => {
    const temp = mkdtempSync(join(tmpdir(), 'corpus-lint-signal-'));
    const spill = new URL('../dist/src/spill.js', import.meta.url).href;
    const script = `import { SpillFile } from ${JSON.stringify(spill)}; new SpillFile().append('entry'); console.log('ready'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, TMPDIR: temp }, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      expect(readdirSync(temp).filter((name) => name.startsWith('corpus-lint-spill-'))).toHaveLength(1);
      const ended = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      child.kill('SIGTERM');
      expect(await ended).toBe('SIGTERM');
      expect(readdirSync(temp)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      rmSync(temp, { recursive: true, force: true });
    }
  });
});
