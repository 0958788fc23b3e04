import { builtinRules } from '../src/rules.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import { buildSarif } from '../src/formatters/sarif.js';
import type { DocumentText } from '../src/report-texts.js';
import type { Report, ReportFile, ReportMessage } from '../src/types.js';
import { cli, makeTree } from './helpers/cli.js';

// The vendored copy declares draft 2020-12 in `$schema`, but the OASIS schema is draft-07 (its keywords
// are draft-07's: `definitions`), so it is compiled with ajv's draft-07 default class.
const schema = JSON.parse(readFileSync(join(import.meta.dirname, 'vendor', 'sarif', 'sarif-2.1.0.json'), 'utf8')) as Record<string, unknown>;
delete schema.$schema;
const ajv = new Ajv.default({ allErrors: true });
addFormats.default(ajv);
const validateSarif = ajv.compile(schema);

/** CI sets this to a folder: the logs tested here are kept there for Microsoft's validator too. */
const samplesDir = process.env.SARIF_SAMPLES_DIR;

function expectValidSarif(log: unknown, sample: string): Sarif.Log {
  expect(validateSarif(log), JSON.stringify(validateSarif.errors, null, 2)).toBe(true);
  if (samplesDir) writeFileSync(join(samplesDir, `${sample}.sarif`), JSON.stringify(log, null, 2));
  return log as Sarif.Log;
}

function message(text: string, flagged: string, extra: Partial<ReportMessage> = {}): ReportMessage {
  const start = text.indexOf(flagged);
  const before = text.slice(0, start).split('\n');
  const line = before.length;
  const column = before[before.length - 1].length + 1;
  return {
    ruleId: 'repeated-words',
    severity: 'warning',
    message: `Unexpected repeated \`${flagged.split(' ')[0]}\`, expected it once`,
    line,
    column,
    endLine: line,
    endColumn: column + flagged.length,
    start,
    end: start + flagged.length,
    ...extra,
  };
}

function reportOf(files: ReportFile[]): Report {
  return {
    version: '1.0.0',
    tool: { name: 'corpus-lint', version: '0.1.0' },
    summary: { documents: files.length, errors: 0, warnings: 0, infos: 0, fatal: 0, byRule: {} },
    files,
  };
}

const whole = (text: string): DocumentText => ({ length: text.length, segments: [{ start: 0, text }] });

describe('SARIF formatter', () => {
  it('writes a log that validates against the SARIF 2.1.0 schema, from the CLI, with text files and JSONL records', async () => {
    const root = makeTree({
      'corpus/a b.txt': ' date 2024-05-01\nPrices rose as as traders returned.\n',
      'corpus/feed.jsonl': [JSON.stringify({ id: 'x1', text: 'Clean text here.' }), JSON.stringify({ id: 'x2', text: 'The the mayor spoke.' }), '{broken'].join('\n'),
    });
    const { code, stdout } = await cli(['corpus', '--format', 'sarif'], root);
    expect(code).toBe(1);
    const log = expectValidSarif(JSON.parse(stdout), 'cli-text-and-jsonl');
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('corpus-lint');
    const ruleIds = run.tool.driver.rules!.map((rule) => rule.id);
    expect(ruleIds).toContain('repeated-words');
    expect(ruleIds).toContain('input');
    for (const rule of run.tool.driver.rules!) {
      expect(rule.shortDescription?.text).toBeTruthy();
      expect(rule.helpUri).toMatch(/^https:\/\//);
    }
    const results = run.results!;
    const text = results.find((result) => result.locations![0].physicalLocation!.artifactLocation!.uri === 'corpus/a%20b.txt')!;
    expect(text).toMatchObject({
      ruleId: 'repeated-words',
      level: 'warning',
      locations: [{ physicalLocation: { artifactLocation: { uriBaseId: '%SRCROOT%' }, region: { startLine: 2, startColumn: 13, endLine: 2, endColumn: 18, snippet: { text: 'as as' } } } }],
    });
    expect(ruleIds[text.ruleIndex!]).toBe('repeated-words');
    // A JSONL record's finding points at the record's line of the file, with the position inside its text as a property.
    const record = results.find((result) => (result.properties as { record?: { id: string } } | undefined)?.record?.id === 'x2')!;
    expect(record.locations![0].physicalLocation!.region).toEqual({ startLine: 2 });
    expect(record.properties).toMatchObject({ textRegion: { startLine: 1, startColumn: 1 } });
    const malformed = results.find((result) => result.ruleId === 'input')!;
    expect(malformed.level).toBe('error');
    expect(malformed.locations![0].physicalLocation!.region!.startLine).toBe(3);
  });

  it('maps severities to levels and related spans to relatedLocations', () => {
    const first = 'Storm warning issued for the coast. Ferries were cancelled on Sunday.\n';
    const second = 'Schools shut early. Ferries were cancelled on Sunday.\n';
    const passage = 'Ferries were cancelled on Sunday.';
    const related = message(second, passage);
    const report = reportOf([
      {
        path: 'corpus/first.txt',
        messages: [
          message(first, passage, {
            ruleId: 'duplicate-passage',
            severity: 'info',
            message: 'Unexpected passage repeated from corpus/second.txt',
            related: [{ path: 'corpus/second.txt', line: related.line, column: related.column, endLine: related.endLine, endColumn: related.endColumn, start: related.start, end: related.end, message: 'First seen here' }],
            url: 'https://example.org/duplicate-passage',
          }),
          message(first, 'Storm', { ruleId: 'scraping-artifact', severity: 'error', message: 'Unexpected artifact', expected: ['Gale'] }),
        ],
      },
      { path: 'corpus/second.txt', messages: [] },
    ]);
    const log = expectValidSarif(buildSarif(report, { cwd: '/corpus-root', texts: new Map([['corpus/first.txt', whole(first)]]) }), 'related-locations');
    const [duplicate, artifact] = log.runs[0].results!;
    expect(duplicate.level).toBe('note');
    expect(duplicate.relatedLocations).toEqual([
      { id: 1, message: { text: 'First seen here' }, physicalLocation: { artifactLocation: { uri: 'corpus/second.txt', uriBaseId: '%SRCROOT%' }, region: { startLine: 1, startColumn: 21, endLine: 1, endColumn: 54 } } },
    ]);
    expect(artifact.level).toBe('error');
    expect(artifact.message.text).toBe('Unexpected artifact (expected: Gale)');
    // Rules that are not built in still get a descriptor, with the url their messages carry.
    expect(log.runs[0].tool.driver.rules!.find((rule) => rule.id === 'duplicate-passage')?.helpUri).toBe(builtinRules.get('duplicate-passage')!.meta.url);
    expect(log.runs[0].originalUriBaseIds!['%SRCROOT%'].uri).toBe('file:///corpus-root/');
  });

  it('fingerprints a finding by rule and text, so it keeps its print when lines move and loses it when the text changes', () => {
    const print = (text: string, flagged: string) => {
      const report = reportOf([{ path: 'corpus/a.txt', messages: [message(text, flagged)] }]);
      return buildSarif(report, { cwd: '/', texts: new Map([['corpus/a.txt', whole(text)]]) }).runs[0].results![0].partialFingerprints!;
    };
    const original = 'Markets opened higher.\nThe bank said that that rates would hold.\n';
    const moved = 'A new first line.\nAnother added line.\nMarkets opened higher.\nThe bank said that that rates would hold.\n';
    const edited = 'Markets opened higher.\nThe fund said that that yields would hold.\n';
    expect(print(moved, 'that that')).toEqual(print(original, 'that that'));
    expect(print(edited, 'that that')).not.toEqual(print(original, 'that that'));

    // The same words with the same context, four times on a line: the second and third share a hash.
    const fourTimes = 'He said it it again. '.repeat(4);
    const sentence = 21;
    const first = message(fourTimes, 'it it');
    const at = (n: number) => ({ ...first, column: first.column + n * sentence, endColumn: first.endColumn + n * sentence, start: first.start + n * sentence, end: first.end + n * sentence });
    const log = buildSarif(reportOf([{ path: 'corpus/b.txt', messages: [at(1), at(2)] }]), { cwd: '/', texts: new Map([['corpus/b.txt', whole(fourTimes)]]) });
    const [one, two] = log.runs[0].results!.map((result) => Object.values(result.partialFingerprints!)[0]);
    expect(one).not.toBe(two);
    expect(one.split(':')[0]).toBe(two.split(':')[0]);
  });

  it('cuts results at the cap, keeping errors first, and says so in the run', () => {
    const text = 'one one two two three three\n';
    const messages = [
      message(text, 'one one', { severity: 'info' }),
      message(text, 'two two', { severity: 'error' }),
      message(text, 'three three', { severity: 'warning' }),
    ];
    const log = expectValidSarif(buildSarif(reportOf([{ path: 'corpus/a.txt', messages }]), { cwd: '/', maxResults: 2 }), 'results-cut');
    const run = log.runs[0];
    expect(run.results!.map((result) => result.level)).toEqual(['error', 'warning']);
    expect(run.properties).toEqual({ resultsCut: true, totalResults: 3, includedResults: 2 });
    expect(run.invocations![0].toolExecutionNotifications![0].message.text).toContain('Results cut to 2 of 3');
    const full = buildSarif(reportOf([{ path: 'corpus/a.txt', messages }]), { cwd: '/' }).runs[0];
    expect(full.results).toHaveLength(3);
    expect(full.properties).toBeUndefined();
  });

  it('rejects what the schema rejects (the validator is not a rubber stamp)', () => {
    expect(validateSarif({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
    expect(validateSarif({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'fatal' }] }] })).toBe(false);
  });
});
