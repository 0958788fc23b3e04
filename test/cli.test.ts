import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAjv } from '../src/schema.js';
import type { Report } from '../src/types.js';
import { cli, makeTree } from './helpers/cli.js';

const validateReport = createAjv().compile(JSON.parse(readFileSync(join(import.meta.dirname, '..', 'reports', 'report.schema.json'), 'utf8')));

function expectValidReport(json: string): Report {
  const report = JSON.parse(json) as Report;
  expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
  return report;
}

const good = 'Orders fell more than expected, adding to to the gloom.\n';

describe('CLI', () => {
  it('lints corpus/ by default and writes a report that validates against the schema', async () => {
    const root = join(import.meta.dirname, '..');
    const { code, stdout } = await cli(['--format', 'json'], root);
    expect(code).toBe(0);
    const report = expectValidReport(stdout);
    expect(report.summary.documents).toBe(4);
    expect(report.files.map((f) => f.path)).toEqual([
      'corpus/000_10d281829489d250.txt',
      'corpus/001_ea3b11b1fd5ac3e1.txt',
      'corpus/002_de18945914337035.txt',
      'corpus/003_fde1c0ea1f6e6355.txt',
    ]);
    expect(report.files.map((f) => f.date)).toEqual(['2023-11-15', '2025-07-27', undefined, '2025-04-04']);
  });

  it('exits 2 with a clear message for a path that does not exist', async () => {
    const { code, stderr, stdout } = await cli(['does-not-exist/'], makeTree({}));
    expect(code).toBe(2);
    expect(stderr).toContain('does-not-exist/: no such file or directory');
    expect(stdout).toBe('');
  });

  it('exits 2 for a directory with no matching files, and for a glob matching nothing', async () => {
    const root = makeTree({ 'docs/readme.pdf': 'x' });
    const dir = await cli(['docs'], root);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toContain('docs: no files with extension .txt, .md, .jsonl in this directory');
    const glob = await cli(['docs/*.txt'], root);
    expect(glob.code).toBe(2);
    expect(glob.stderr).toContain('docs/*.txt: no files match this pattern');
  });

  it('gives invalid UTF-8 a fatal message and still reports the good file', async () => {
    const root = makeTree({ 'a-bad.txt': Buffer.from([0x48, 0x69, 0x0a, 0x6f, 0x6b, 0xc3, 0x28, 0x0a]), 'b-good.txt': good });
    const { code, stdout } = await cli(['.', '--format', 'json'], root);
    expect(code).toBe(1);
    const report = expectValidReport(stdout);
    expect(report.files[0].path).toBe('a-bad.txt');
    expect(report.files[0].messages).toEqual([
      expect.objectContaining({ ruleId: 'input', fatal: true, severity: 'error', line: 2, column: 3, message: 'a-bad.txt is not valid UTF-8 (byte 0xc3 at line 2, column 3): expected UTF-8 text' }),
    ]);
    expect(report.files[1].messages.map((m) => m.ruleId)).toEqual(['repeated-words']);
  });

  it('lints each JSONL record as its own document and reports malformed lines by line', async () => {
    const lines = [
      JSON.stringify({ id: 'n1', text: 'Prices rose by by 2%.', date: '2024-03-01T10:00:00Z', extra: 1 }),
      '{"id": "n2", "text": "broken',
      '',
      JSON.stringify({ id: 'n3', body: 'no text field' }),
      JSON.stringify({ id: 4, text: 'Clean text.' }),
    ];
    const root = makeTree({ 'feed.jsonl': lines.join('\n') + '\n' });
    const { code, stdout } = await cli(['feed.jsonl', '--format', 'json'], root);
    expect(code).toBe(1);
    const report = expectValidReport(stdout);
    expect(report.files.map((f) => [f.path, f.line, f.id, f.date])).toEqual([
      ['feed.jsonl', 1, 'n1', '2024-03-01'],
      ['feed.jsonl', 2, undefined, undefined],
      ['feed.jsonl', 4, 'n3', undefined],
      ['feed.jsonl', 5, '4', undefined],
    ]);
    expect(report.files[0].messages[0]).toMatchObject({ ruleId: 'repeated-words', line: 1, column: 13, start: 12, end: 17 });
    expect(report.files[1].messages[0].message).toMatch(/^feed\.jsonl:2: malformed JSONL record/);
    expect(report.files[2].messages[0].message).toBe('feed.jsonl:4: record has no string field "text"');
    expect(report.files[3].messages).toEqual([]);
  });

  it('reads the date from Markdown front matter and lints only the body', async () => {
    const root = makeTree({ 'story.md': '---\ntitle: the the title\ndate: 2022-05-06\n---\nIt was the the end.\n' });
    const report = expectValidReport((await cli(['story.md', '-f', 'json'], root)).stdout);
    expect(report.files[0].date).toBe('2022-05-06');
    expect(report.files[0].messages.map((m) => [m.line, m.column])).toEqual([[5, 8]]);
  });

  it('reads JSONL field names from config', async () => {
    const root = makeTree({
      'feed.jsonl': JSON.stringify({ key: 'k1', body: 'It was the the end.', published: '2020-05-06' }) + '\n',
      '.corpuslintrc.json': JSON.stringify({ jsonl: { text: 'body', id: 'key', date: 'published' } }),
    });
    const report = expectValidReport((await cli(['feed.jsonl', '-f', 'json'], root)).stdout);
    expect(report.files[0]).toMatchObject({ id: 'k1', date: '2020-05-06', messages: [expect.objectContaining({ ruleId: 'repeated-words' })] });
  });

  it('exit codes: 0 for warnings, 1 for errors or too many warnings', async () => {
    const root = makeTree({ 'a.txt': good });
    expect((await cli(['a.txt'], root)).code).toBe(0);
    expect((await cli(['a.txt', '--rule', 'repeated-words:error'], root)).code).toBe(1);
    const limited = await cli(['a.txt', '--max-warnings', '0'], root);
    expect(limited.code).toBe(1);
    expect(limited.stderr).toContain('too many warnings (1, maximum: 0)');
    expect((await cli(['a.txt', '--max-warnings', '1'], root)).code).toBe(0);
    expect((await cli(['a.txt', '--bogus'], root)).code).toBe(2);
    expect((await cli(['a.txt', '--format', 'xml'], root)).code).toBe(2);
    expect((await cli(['a.txt', '--rule', 'nope:warn'], root)).code).toBe(2);
  });

  it('--quiet keeps errors only; --rule id:off switches a rule off', async () => {
    const root = makeTree({ 'a.txt': good });
    const quiet = expectValidReport((await cli(['a.txt', '--quiet', '-f', 'json'], root)).stdout);
    expect(quiet.summary.warnings).toBe(0);
    const off = expectValidReport((await cli(['a.txt', '--rule', 'repeated-words:off', '-f', 'json'], root)).stdout);
    expect(off.files[0].messages).toEqual([]);
  });

  it('stylish output names the file, position, severity, message and rule', async () => {
    const root = makeTree({ 'a.txt': good });
    const { stdout } = await cli(['a.txt'], root);
    expect(stdout).toMatch(/^a\.txt\n/);
    expect(stdout).toMatch(/1:40-1:45\s+warning\s+Unexpected repeated `to`, expected it once\s+repeated-words/);
  });

  it('writes several formats at once, each to its own file, atomically', async () => {
    const root = makeTree({ 'a.txt': good });
    const { code, stdout } = await cli(['a.txt', '-f', 'stylish', '-f', 'json:out/report.json'], root);
    expect(code).toBe(0);
    expect(stdout).toContain('repeated-words');
    expectValidReport(readFileSync(join(root, 'out/report.json'), 'utf8'));
    const single = await cli(['a.txt', '-f', 'json', '-o', 'r.json'], root);
    expect(single.stdout).toBe('');
    expectValidReport(readFileSync(join(root, 'r.json'), 'utf8'));
  });

  it('same input, same bytes', async () => {
    const root = makeTree({ 'a.txt': good, 'b.txt': 'It was the the end.' });
    const first = await cli(['.', '-f', 'json'], root);
    const second = await cli(['.', '-f', 'json'], root);
    expect(first.stdout).toBe(second.stdout);
  });

  it('never modifies its inputs', async () => {
    const root = makeTree({ 'a.txt': good });
    await cli(['.', '-f', 'json'], root);
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe(good);
  });
});
