import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.js';
import { measureGates, formatGates } from '../src/gates.js';
import type { ReportFile } from '../src/types.js';
import { cli, makeTree } from './helpers/cli.js';

const council = 'The council met on Tuesday.\nOfficials said said the budget would pass.\n';

describe('--baseline', () => {
  it('suppresses known findings across edits elsewhere, reports new ones, and lists what no longer occurs', async () => {
    const root = makeTree({ 'corpus/a.txt': council, 'corpus/b.txt': 'Rain is expected later today.\n' });
    const written = await cli(['--baseline', 'baseline.json', '--update-baseline'], root);
    expect(written.code).toBe(0);
    expect(written.stderr).toContain('wrote 1 baseline entry to baseline.json');
    expect(written.stdout).toContain('no problems');
    const baseline = JSON.parse(readFileSync(join(root, 'baseline.json'), 'utf8'));
    expect(baseline.findings).toEqual([{ path: 'corpus/a.txt', ruleId: 'repeated-words', text: 'said said', fingerprint: expect.stringMatching(/^[0-9a-f]{20}$/), count: 1 }]);

    // Lines added above the finding: line numbers move, the fingerprint does not.
    writeFileSync(join(root, 'corpus/a.txt'), `A new first line.\nAnd a second.\n${council}`);
    const moved = await cli(['--baseline', 'baseline.json', '--format', 'json'], root);
    expect(moved.code).toBe(0);
    expect(JSON.parse(moved.stdout).summary.warnings).toBe(0);
    expect(moved.stderr).toContain('1 known finding(s) suppressed by the baseline baseline.json');

    // A second copy of the same finding elsewhere is new: counts matter.
    writeFileSync(join(root, 'corpus/b.txt'), 'Rain is is expected later today.\n');
    const added = await cli(['--baseline', 'baseline.json', '--format', 'json'], root);
    expect(JSON.parse(added.stdout).files.flatMap((file: ReportFile) => file.messages.map((m) => `${file.path} ${m.actual}`))).toEqual(['corpus/b.txt is']);

    // The known finding is fixed: its entry is prunable.
    writeFileSync(join(root, 'corpus/a.txt'), council.replace('said said', 'said'));
    const pruned = await cli(['--baseline', 'baseline.json', '--format', 'json'], root);
    expect(pruned.stderr).toContain('1 baseline entry no longer occur (prunable with --update-baseline):\n  corpus/a.txt: repeated-words "said said"\n');
  });

  it('keeps entries of documents a partial run did not lint', async () => {
    const root = makeTree({ 'a.txt': council, 'b.txt': 'Rain is is expected.\n' });
    await cli(['.', '--baseline', 'base.json', '--update-baseline'], root);
    await cli(['b.txt', '--baseline', 'base.json', '--update-baseline'], root);
    const paths = JSON.parse(readFileSync(join(root, 'base.json'), 'utf8')).findings.map((entry: { path: string }) => entry.path);
    expect(paths).toEqual(['a.txt', 'b.txt']);
    const partial = await cli(['b.txt', '--baseline', 'base.json'], root);
    expect(partial.stderr).not.toContain('prunable');
  });

  it('distinguishes JSONL records by id', async () => {
    const root = makeTree({ 'd.jsonl': [{ id: 'x', text: 'He said said no.' }, { id: 'y', text: 'He said said no.' }].map((r) => JSON.stringify(r)).join('\n') });
    await cli(['d.jsonl', '--baseline', 'b.json', '--update-baseline'], root);
    const entries = JSON.parse(readFileSync(join(root, 'b.json'), 'utf8')).findings;
    expect(entries.map((entry: { id: string }) => entry.id)).toEqual(['x', 'y']);
    writeFileSync(join(root, 'd.jsonl'), [{ id: 'y', text: 'He said said no.' }, { id: 'z', text: 'He said said no.' }].map((r) => JSON.stringify(r)).join('\n'));
    const run = await cli(['d.jsonl', '--baseline', 'b.json', '--format', 'json'], root);
    expect(JSON.parse(run.stdout).files.map((file: ReportFile) => [file.id, file.messages.length])).toEqual([['y', 0], ['z', 1]]);
  });

  it('rejects --update-baseline without --baseline, and a file that is not a baseline', async () => {
    const root = makeTree({ 'a.txt': council, 'bad.json': '{"findings": 3}' });
    expect((await cli(['a.txt', '--update-baseline'], root)).stderr).toContain('--update-baseline needs --baseline FILE');
    const bad = await cli(['a.txt', '--baseline', 'bad.json'], root);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.json is not a corpus-lint baseline');
  });
});

describe('corpus gates', () => {
  const files = (flags: boolean[]): ReportFile[] =>
    flags.map((flagged, index) => ({ path: `${index}.txt`, messages: flagged ? [{ ruleId: 'repeated-words' } as never, { ruleId: 'repeated-words' } as never] : [] }));

  it('measures the share of documents with at least one finding of the rule', () => {
    const config = resolveConfig({ gates: { rules: [{ rule: 'repeated-words', maxDocumentRate: 0.25 }] } });
    expect(measureGates(files([true, false, false, false]), config)).toEqual([
      { rule: 'repeated-words', maxDocumentRate: 0.25, flagged: 1, documents: 4, rate: 0.25, passed: true, active: true },
    ]);
    const [failed] = measureGates(files([true, true, false, false]), config);
    expect(failed.passed).toBe(false);
    expect(formatGates([failed])).toBe('corpus gate FAILED: repeated-words: 2 of 4 documents (50%), limit 25%\n');
  });

  it('expands the shorthands and skips a gate whose rule is not on', () => {
    const config = resolveConfig({ gates: { maxDuplicateDocumentRate: 0.01, maxArtifactDocumentRate: 0.05 } });
    expect(config.gates).toEqual([
      { rule: 'duplicate-passage', maxDocumentRate: 0.01 },
      { rule: 'scraping-artifact', maxDocumentRate: 0.05 },
    ]);
    const results = measureGates(files([false]), config);
    expect(results.every((gate) => gate.active === false || gate.passed)).toBe(true);
  });

  it('exits 1 on a breach with the measured rate against the limit, even with warnings only', async () => {
    const root = makeTree({
      '.corpuslintrc.json': JSON.stringify({ gates: { rules: [{ rule: 'repeated-words', maxDocumentRate: 0.34 }] } }),
      'corpus/a.txt': council,
      'corpus/b.txt': 'Rain is expected later today.\n',
      'corpus/c.txt': 'The the storm passed.\n',
    });
    const breached = await cli([], root);
    expect(breached.code).toBe(1);
    expect(breached.stderr).toContain('corpus gate FAILED: repeated-words: 2 of 3 documents (66.67%), limit 34%');
    writeFileSync(join(root, 'corpus/c.txt'), 'The storm passed.\n');
    const passed = await cli([], root);
    expect(passed.code).toBe(0);
    expect(passed.stderr).toContain('corpus gate passed: repeated-words: 1 of 3 documents (33.33%), limit 34%');
  });

  it('rejects a rate outside 0..1 in config', async () => {
    const root = makeTree({ '.corpuslintrc.json': JSON.stringify({ gates: { maxDuplicateDocumentRate: 2 } }), 'corpus/a.txt': council });
    const result = await cli([], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('gates.maxDuplicateDocumentRate must be <= 1');
  });
});
