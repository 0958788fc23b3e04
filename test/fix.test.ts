import { promises as fsp, readdirSync, readFileSync, writeFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveConfig } from '../src/config.js';
import { defineRule } from '../src/rule.js';
import { applyFixes, fixOf, replaceJsonlText } from '../src/fix.js';
import { runWorkflow, type WorkflowFlags } from '../src/workflow.js';
import type { ReportMessage, Rule } from '../src/types.js';
import repeatedWords from '../rules/repeated-words.js';
import { cli, makeTree } from './helpers/cli.js';

/** A test rule: a line that is only "Advertisement" is a scraping leftover; its fix removes the whole line. */
const advertLine = defineRule<Record<string, never>>({
  meta: {
    id: 'advert-line',
    description: 'test rule',
    url: 'https://example.invalid/advert-line',
    defaultSeverity: 'warn',
    messages: { advert: 'Unexpected advertisement line, expected article text' },
    schema: { type: 'object' },
  },
  check(context) {
    for (const line of context.lines) {
      if (line.text.trim() !== 'Advertisement') continue;
      const next = context.lines[line.number];
      context.report({ messageId: 'advert', start: line.start, end: line.end, fix: { start: line.start, end: next ? next.start : line.end, text: '' } });
    }
  },
});

const rules = new Map<string, Rule<any, any>>([advertLine, repeatedWords].map((rule) => [rule.meta.id, rule as Rule<any, any>]));

async function run(root: string, flags: WorkflowFlags, patterns = ['.']) {
  let stderr = '';
  const result = await runWorkflow(patterns, resolveConfig({}, { rules }), flags, { cwd: root, stderr: (text) => void (stderr += text) });
  return { ...result, stderr };
}

const samples = join(import.meta.dirname, '..', 'corpus');

/** Copies of the sample corpus with a doubled word and an advertisement line put into each. */
function damagedSamples(): { root: string; originals: Map<string, string> } {
  const root = mkdtempSync(join(tmpdir(), 'corpus-lint-fix-'));
  cpSync(samples, join(root, 'corpus'), { recursive: true });
  const originals = new Map<string, string>();
  for (const name of readdirSync(join(root, 'corpus'))) {
    const path = join(root, 'corpus', name);
    const text = readFileSync(path, 'utf8');
    originals.set(name, text);
    const lines = text.split('\n');
    const at = lines.findIndex((line, index) => index > 0 && / the /.test(line));
    lines[at] = lines[at].replace(' the ', ' the the ');
    lines.splice(at, 0, 'Advertisement');
    writeFileSync(path, lines.join('\n'));
  }
  return { root, originals };
}

afterEach(() => vi.restoreAllMocks());

describe('--fix', () => {
  it('restores damaged copies of the samples and reports nothing left; a second --fix changes nothing', async () => {
    const { root, originals } = damagedSamples();
    const before = await run(root, {});
    expect(before.report.summary.warnings).toBe(originals.size * 2);
    const fixed = await run(root, { fix: true });
    expect(fixed.stderr).toContain(`--fix applied ${originals.size * 2} fix(es)`);
    expect(fixed.report.summary.warnings).toBe(0);
    for (const [name, text] of originals) expect(readFileSync(join(root, 'corpus', name), 'utf8')).toBe(text);
    const again = await run(root, { fix: true });
    expect(again.stderr).toContain('--fix applied 0 fix(es)');
    for (const [name, text] of originals) expect(readFileSync(join(root, 'corpus', name), 'utf8')).toBe(text);
  });

  it('fixes copies of the fixture documents: every fixable finding goes, near misses stay byte for byte', async () => {
    const fixtures = join(import.meta.dirname, 'fixtures');
    const root = mkdtempSync(join(tmpdir(), 'corpus-lint-fix-fixtures-'));
    cpSync(fixtures, root, { recursive: true });
    const before = await run(root, {}, ['.']);
    const untouched = before.report.files.filter((file) => !file.messages.some((message) => message.fix)).map((file) => file.path);
    const fixable = before.report.files.flatMap((file) => file.messages.filter((message) => message.fix)).length;
    expect(fixable).toBeGreaterThan(0);
    const fixed = await run(root, { fix: true }, ['.']);
    expect(fixed.report.files.flatMap((file) => file.messages.filter((message) => message.fix))).toEqual([]);
    for (const path of untouched.filter((path) => !path.endsWith('.json'))) expect(readFileSync(join(root, path), 'utf8')).toBe(readFileSync(join(fixtures, path), 'utf8'));
    const again = await run(root, { fix: true }, ['.']);
    expect(again.stderr).toContain('--fix applied 0 fix(es)');
  });

  it('keeps a BOM and CRLF line ends', async () => {
    const root = makeTree({ 'a.txt': '\uFEFFPrices rose.\r\nAdvertisement\r\nThe the bank held rates.\r\nAdvertisement' });
    await run(root, { fix: true });
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('\uFEFFPrices rose.\r\nThe bank held rates.\r\n');
  });

  it('rewrites only the text field of fixed JSONL records, keeping every other byte', async () => {
    const lines = [
      '{"id": "r1", "text": "Rates held.\\nAdvertisement\\nThe bank said said so.", "meta": {"score": 1.0, "tags": ["a"]}}',
      '{"id":"r2","text":"Nothing to fix here.","source":"wire"}',
      '{"text": "Caf\\u00e9 owners said said the rent rose.", "id": "r3", "n": 1e3}',
    ];
    const root = makeTree({ 'data.jsonl': lines.join('\r\n') + '\r\n' });
    const fixed = await run(root, { fix: true });
    expect(fixed.report.summary.warnings).toBe(0);
    expect(readFileSync(join(root, 'data.jsonl'), 'utf8')).toBe(
      [
        '{"id": "r1", "text": "Rates held.\\nThe bank said so.", "meta": {"score": 1.0, "tags": ["a"]}}',
        lines[1],
        '{"text": "Caf\\u00e9 owners said the rent rose.", "id": "r3", "n": 1e3}',
      ].join('\r\n') + '\r\n',
    );
  });

  it('--fix-dry-run prints a unified diff and changes nothing', async () => {
    const root = makeTree({ 'a.txt': 'Prices rose.\nAdvertisement\nThe bank held held rates.\n', 'b.jsonl': '{"id":"x","text":"Said said twice."}\n' });
    const result = await run(root, { 'fix-dry-run': true });
    expect(result.diff).toBe(
      [
        '===================================================================',
        '--- a/a.txt',
        '+++ b/a.txt',
        '@@ -1,3 +1,2 @@',
        ' Prices rose.',
        '-Advertisement',
        '-The bank held held rates.',
        '+The bank held rates.',
        '===================================================================',
        '--- a/b.jsonl:1',
        '+++ b/b.jsonl:1',
        '@@ -1,1 +1,1 @@',
        '-Said said twice.',
        '\\ No newline at end of file',
        '+Said twice.',
        '\\ No newline at end of file',
        '',
      ].join('\n'),
    );
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('Prices rose.\nAdvertisement\nThe bank held held rates.\n');
    expect(readFileSync(join(root, 'b.jsonl'), 'utf8')).toBe('{"id":"x","text":"Said said twice."}\n');
    expect(result.report.summary.warnings).toBe(3);
  });

  it('leaves the original intact when the write is interrupted', async () => {
    const original = 'Prices rose.\nAdvertisement\nThe bank held held rates.\n';
    const root = makeTree({ 'a.txt': original, 'b.jsonl': '{"text":"Said said twice."}\n' });
    vi.spyOn(fsp, 'rename').mockRejectedValue(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
    await expect(run(root, { fix: true })).rejects.toThrow('ENOSPC');
    vi.restoreAllMocks();
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe(original);
    expect(readdirSync(root).sort()).toEqual(['a.txt', 'b.jsonl']);
  });

  it('leaves a JSONL file intact when the streamed write fails halfway', async () => {
    const original = ['{"text":"Said said twice."}', '{"text":"Fine."}', '{"text":"Held held."}'].join('\n') + '\n';
    const root = makeTree({ 'b.jsonl': original });
    const realOpen = fsp.open.bind(fsp);
    vi.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
      const handle = await realOpen(...args);
      handle.write = (() => Promise.reject(new Error('EIO: i/o error, write'))) as never;
      return handle;
    });
    await expect(run(root, { fix: true })).rejects.toThrow('EIO');
    vi.restoreAllMocks();
    expect(readFileSync(join(root, 'b.jsonl'), 'utf8')).toBe(original);
    expect(readdirSync(root)).toEqual(['b.jsonl']);
  });

  it('exits 2 from the CLI when a fix cannot be written, with the file untouched', async () => {
    const original = 'The the bank held rates.\n';
    const root = makeTree({ 'a.txt': original });
    vi.spyOn(fsp, 'rename').mockRejectedValue(Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' }));
    const result = await cli(['a.txt', '--fix'], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('EXDEV');
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe(original);
  });
});

describe('fix helpers', () => {
  it('applies non-overlapping fixes and leaves overlapping ones for the next pass', () => {
    expect(applyFixes('abcdef', [{ start: 4, end: 5, text: 'E' }, { start: 0, end: 2, text: '' }, { start: 1, end: 3, text: 'X' }])).toEqual({ text: 'cdEf', applied: 2 });
    expect(applyFixes('abc', [{ start: 1, end: 1, text: 'x' }, { start: 1, end: 1, text: 'y' }])).toEqual({ text: 'axbc', applied: 1 });
    expect(applyFixes('abc', [{ start: 0, end: 1, text: 'a' }])).toEqual({ text: 'abc', applied: 0 });
  });

  it('fixes a spelling variant only when config marks the canonical name fixable', () => {
    const message = { ruleId: 'spelling-inconsistency', start: 4, end: 12, expected: ['Zelensky'], message: 'm', severity: 'warning', line: 1, column: 5, endLine: 1, endColumn: 13 } as ReportMessage;
    expect(fixOf(message, { fixableNames: [] })).toBeUndefined();
    expect(fixOf(message, { fixableNames: ['Zelensky'] })).toEqual({ start: 4, end: 12, text: 'Zelensky' });
    expect(fixOf({ ...message, fix: { start: 4, end: 12, text: 'Zelensky' } }, { fixableNames: ['Zelenskyy'] })).toBeUndefined();
    expect(fixOf({ ...message, ruleId: 'repeated-words', fix: { start: 1, end: 2, text: '' } }, { fixableNames: [] })).toEqual({ start: 1, end: 2, text: '' });
  });

  it('replaces only the text field of a JSONL line', () => {
    expect(replaceJsonlText('{"a": "x", "text" : "old" , "b": [1,2]}\r', 'text', () => 'new "q"')).toBe('{"a": "x", "text" : "new \\"q\\"" , "b": [1,2]}\r');
    expect(replaceJsonlText('{"body": "x"}', 'text', () => 'y')).toBeUndefined();
  });
});

describe('--fix on the sample corpus with the built-in rules', () => {
  it('removes the caption, the space before the full stop, the second body and the trailer; a second --fix changes nothing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'corpus-lint-samples-'));
    cpSync(samples, join(root, 'corpus'), { recursive: true });
    const read = (name: string) => readFileSync(join(root, 'corpus', name), 'utf8');
    const first = await cli(['corpus', '--fix', '-f', 'json'], root);
    expect(first.code).toBe(0);
    expect(read('000_10d281829489d250.txt').split('\n')[0]).toBe(' date 2023-11-15');
    expect(read('001_ea3b11b1fd5ac3e1.txt')).toContain('representatives of Europe, the president noted.\n');
    const body = read('002_de18945914337035.txt');
    expect(body.match(/British Chief of the Defence Staff/g)).toHaveLength(1);
    expect(body).not.toContain('You may also like');
    expect(body).toContain('Determined support');
    expect(body.trimEnd().endsWith('transformation of the army", he added.')).toBe(true);
    expect(read('003_fde1c0ea1f6e6355.txt')).toBe(readFileSync(join(samples, '003_fde1c0ea1f6e6355.txt'), 'utf8'));
    const left = JSON.parse(first.stdout) as { files: { messages: { ruleId: string }[] }[] };
    const remaining = left.files.flatMap((file) => file.messages.map((message) => message.ruleId));
    expect(remaining).not.toContain('scraping-artifact');
    expect(remaining).not.toContain('duplicate-passage');
    expect(remaining).not.toContain('off-topic-trailer');
    const snapshot = readdirSync(join(root, 'corpus')).map(read);
    const second = await cli(['corpus', '--fix'], root);
    expect(second.code).toBe(0);
    expect(readdirSync(join(root, 'corpus')).map(read)).toEqual(snapshot);
  });
});
