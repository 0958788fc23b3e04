import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, formatGithub } from '../src/formatters/github.js';
import type { Report, ReportMessage } from '../src/types.js';
import { cli, makeTree } from './helpers/cli.js';

const base: Omit<ReportMessage, 'ruleId' | 'severity' | 'message'> = { line: 3, column: 5, endLine: 3, endColumn: 9, start: 40, end: 44 };

function report(files: Report['files']): Report {
  return { version: '1.0.0', tool: { name: 'corpus-lint', version: '0.1.0' }, summary: { documents: files.length, errors: 0, warnings: 0, infos: 0, fatal: 0, byRule: {} }, files };
}

describe('GitHub Actions formatter', () => {
  it('escapes % CR LF in messages, and also : and , in properties', () => {
    expect(escapeData('50% off\r\nnow: yes, really')).toBe('50%25 off%0D%0Anow: yes, really');
    expect(escapeProperty('dir,a/b:c%.txt')).toBe('dir%2Ca/b%3Ac%25.txt');
  });

  it('writes one workflow command per finding, with the level, the place and the rule as title', () => {
    const output = formatGithub(
      report([
        {
          path: 'corpus/a,b:c.txt',
          messages: [
            { ...base, ruleId: 'repeated-words', severity: 'warning', message: 'Unexpected repeated `to`, expected it once' },
            { ...base, ruleId: 'scraping-artifact', severity: 'error', message: 'Unexpected "100%\nshare", expected nothing', expected: ['(removed)'] },
            { ...base, ruleId: 'spelling-inconsistency', severity: 'info', message: 'Unexpected `Zelenskiy`', expected: ['Zelensky'] },
          ],
        },
        { path: 'feed.jsonl', line: 7, id: 'r7', messages: [{ ...base, ruleId: 'input', severity: 'error', message: 'malformed' }] },
      ]),
    );
    expect(output.split('\n')).toEqual([
      '::warning file=corpus/a%2Cb%3Ac.txt,line=3,col=5,endLine=3,endColumn=9,title=repeated-words::Unexpected repeated `to`, expected it once',
      '::error file=corpus/a%2Cb%3Ac.txt,line=3,col=5,endLine=3,endColumn=9,title=scraping-artifact::Unexpected "100%25%0Ashare", expected nothing (expected: (removed))',
      '::notice file=corpus/a%2Cb%3Ac.txt,line=3,col=5,endLine=3,endColumn=9,title=spelling-inconsistency::Unexpected `Zelenskiy` (expected: Zelensky)',
      '::error file=feed.jsonl,line=7,title=input::malformed [record r7, line 3, column 5]',
      '',
    ]);
  });

  it('is selectable from the CLI', async () => {
    const root = makeTree({ 'corpus/a.txt': 'Prices rose as as traders returned.\n' });
    const { stdout } = await cli(['corpus', '--format', 'github'], root);
    expect(stdout).toBe('::warning file=corpus/a.txt,line=1,col=13,endLine=1,endColumn=18,title=repeated-words::Unexpected repeated `as`, expected it once\n');
  });
});
