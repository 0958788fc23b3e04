import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.js';
import { lintPaths } from '../src/engine.js';
import { decodeText, extractMetadata, normaliseDate, readDocuments, resolveInputs } from '../src/inputs.js';
import { makeTree } from './helpers/cli.js';

const options = (cwd: string) => ({ cwd, extensions: ['txt', 'md', 'jsonl'], ignore: [], jsonl: { text: 'text', id: 'id', date: 'date' } });

describe('inputs', () => {
  it('recurses into directories for .txt, .md and .jsonl, skipping .git, node_modules and .corpuslintignore entries', async () => {
    const root = makeTree({
      'c/a.txt': 'a',
      'c/sub/b.md': 'b',
      'c/feed.jsonl': '{}',
      'c/skip.pdf': 'x',
      'c/.git/x.txt': 'x',
      'c/node_modules/y.txt': 'y',
      'c/drafts/z.txt': 'z',
      '.corpuslintignore': 'drafts/\n',
    });
    const { files, problems } = await resolveInputs(['c'], options(root));
    expect(problems).toEqual([]);
    expect(files.map((f) => f.slice(root.length + 1))).toEqual(['c/a.txt', 'c/feed.jsonl', 'c/sub/b.md']);
  });

  it('lists a directory as the glob **/*.{ext} with dot: false does: dot names skipped, links followed, a link into its own ancestors not', async () => {
    const root = makeTree({
      'c/a.txt': 'a',
      'c/.hidden.txt': 'h',
      'c/.dot/d.txt': 'd',
      'c/upper.TXT': 'u',
      'c/old.txtx': 'o',
      'c/pack.tar.gz': 'p',
      'c/sub/b.md': 'b',
      'other/o.txt': 'o',
    });
    symlinkSync(join(root, 'other'), join(root, 'c/linked'));
    symlinkSync(join(root, 'other/o.txt'), join(root, 'c/file-link.txt'));
    symlinkSync(join(root, 'c'), join(root, 'c/sub/back'));
    symlinkSync(join(root, 'nowhere.txt'), join(root, 'c/broken.txt'));
    const listed = async (extensions: string[]) => (await resolveInputs(['c'], { ...options(root), extensions })).files.map((f) => f.slice(root.length + 1));
    expect(await listed(['txt', 'md'])).toEqual(['c/a.txt', 'c/file-link.txt', 'c/linked/o.txt', 'c/sub/b.md']);
    expect(await listed(['tar.gz'])).toEqual(['c/pack.tar.gz']);
  });

  it('takes globs, explicit files of any extension, and configured extensions and ignores', async () => {
    const root = makeTree({ 'a.txt': 'a', 'b.txt': 'b', 'notes.text': 'n', 'd/c.html': 'c', 'd/e.html': 'e' });
    expect((await resolveInputs(['*.txt'], options(root))).files.map((f) => f.slice(root.length + 1))).toEqual(['a.txt', 'b.txt']);
    expect((await resolveInputs(['notes.text'], options(root))).files).toEqual([join(root, 'notes.text')]);
    const html = await resolveInputs(['d'], { ...options(root), extensions: ['.html'], ignore: ['d/e.html'] });
    expect(html.files).toEqual([join(root, 'd/c.html')]);
  });

  it('reads the date from the header line, from front matter, and from JSONL', () => {
    expect(extractMetadata(' date 2023-11-15 This audio is created\n\nBody', false)).toEqual({ date: '2023-11-15', contentStart: 16, notes: [] });
    expect(extractMetadata('---\ntitle: X\ndate: 2021-02-03\n---\nBody', true)).toMatchObject({ date: '2021-02-03', contentStart: 34 });
    expect(extractMetadata('---\ndate: 2021-02-03\n---\nBody', false)).toEqual({ contentStart: 0, notes: [] });
    expect(extractMetadata(' date 2023-02-30 x', false).notes[0].message).toContain('not a calendar date');
    expect(extractMetadata('Dated 2023-02-03 in text', false)).toEqual({ contentStart: 0, notes: [] });
    expect(normaliseDate('1987-02-26T15:01:01')).toBe('1987-02-26');
    expect(normaliseDate('26 Feb 1987')).toBe('1987-02-26');
    expect(normaliseDate('soon')).toBeUndefined();
  });

  it('notes a BOM and CRLF, keeps them working, and flags empty and binary files', () => {
    const bom = decodeText(Buffer.from('\uFEFFHello\r\nWorld\r\n'), 'x.txt');
    expect(bom.text).toBe('Hello\r\nWorld\r\n');
    expect(bom.notes.map((n) => [n.severity, n.message])).toEqual([
      ['info', 'x.txt starts with a byte order mark: ignored, positions count from after it'],
      ['info', 'x.txt has CRLF line ends: read as line breaks, kept as they are'],
    ]);
    expect(decodeText(Buffer.from('  \n'), 'e.txt').notes).toEqual([{ severity: 'warning', message: 'e.txt is empty: nothing to lint' }]);
    const binary = decodeText(Buffer.from([0x50, 0x4b, 0x0a, 0x03, 0x00, 0x04]), 'z.txt');
    expect(binary.text).toBeUndefined();
    expect(binary.notes[0]).toMatchObject({ fatal: true, line: 2, message: 'z.txt looks binary (NUL byte at line 2): expected UTF-8 text' });
  });

  it('keeps positions right with CRLF line ends and a BOM', async () => {
    const root = makeTree({ 'w.txt': '\uFEFFFirst line.\r\nIt was the the end.\r\n' });
    const run = await lintPaths(['w.txt'], { cwd: root, config: resolveConfig({}) });
    const found = run.report.files[0].messages.find((m) => m.ruleId === 'repeated-words')!;
    expect([found.line, found.column, found.endLine, found.endColumn]).toEqual([2, 8, 2, 15]);
  });

  it('gives an unreadable file a fatal message and goes on with the others', async () => {
    const root = makeTree({ 'a.txt': 'It was the the end.', 'b.txt': 'Fine.' });
    const readFile = async (path: string) => {
      if (path.endsWith('a.txt')) throw Object.assign(new Error("EACCES: permission denied, open 'a.txt'"), { code: 'EACCES' });
      const { readFile: real } = await import('node:fs/promises');
      return real(path);
    };
    const run = await lintPaths(['.'], { cwd: root, config: resolveConfig({}), readFile });
    expect(run.report.files[0].messages).toEqual([
      expect.objectContaining({ ruleId: 'input', fatal: true, message: "Cannot read a.txt: permission denied, open 'a.txt'" }),
    ]);
    expect(run.report.files[1]).toMatchObject({ path: 'b.txt', messages: [] });
  });

  it('streams a JSONL file record by record', async () => {
    const records = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ id: `r${i}`, text: i === 1234 ? 'It was the the end.' : `Record ${i}.` }));
    const root = makeTree({ 'big.jsonl': records.join('\n') });
    const run = await lintPaths(['big.jsonl'], { cwd: root, config: resolveConfig({}) });
    expect(run.report.summary.documents).toBe(2000);
    const flagged = run.report.files.filter((f) => f.messages.length > 0);
    expect(flagged.map((f) => [f.line, f.id])).toEqual([[1235, 'r1234']]);
  });

  it('splits JSONL lines at \\n, \\r\\n and a lone \\r, as readline does, wherever the read chunks end', async () => {
    const record = (id: string, length: number) => JSON.stringify({ id, text: 'x'.repeat(length) });
    // The first \\r\\n straddles the 64 kB read chunks: the \\r ends one chunk, the \\n starts the next.
    const first = '\uFEFF' + record('a', 1);
    const text =
      first + ' '.repeat(65_535 - Buffer.byteLength(first)) + '\r\n' + record('b', 70_000) + '\r' + record('c', 3) + '\n\n  \n{bad\r\n' + record('d', 2) + '\r';
    const root = makeTree({ 'mixed.jsonl': text });
    const documents = [];
    for await (const document of readDocuments([join(root, 'mixed.jsonl')], options(root))) documents.push(document);
    expect(documents.map((document) => [document.info.line, document.info.id, document.text?.length])).toEqual([
      [1, 'a', 1],
      [2, 'b', 70_000],
      [3, 'c', 3],
      [6, undefined, undefined],
      [7, 'd', 2],
    ]);
    expect(documents[3].notes[0].message).toMatch(/^mixed\.jsonl:6: malformed JSONL record/);
  });

  it('an empty JSONL file says so', async () => {
    const root = makeTree({ 'none.jsonl': '\n\n' });
    const run = await lintPaths(['none.jsonl'], { cwd: root, config: resolveConfig({}) });
    expect(run.report.files[0].messages[0]).toMatchObject({ severity: 'warning', message: 'none.jsonl has no JSONL records: nothing to lint' });
  });
});
