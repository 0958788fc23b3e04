import { readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig, type UserConfig } from '../src/config.js';
import { LintCache } from '../src/cache.js';
import { defineRule } from '../src/rule.js';
import { lintCorpus } from '../src/incremental.js';
import { formatJson } from '../src/formatters/json.js';
import { isUnread } from '../src/report-files.js';
import type { Rule } from '../src/types.js';
import repeatedWords from '../rules/repeated-words.js';
import sameOpening from './helpers/same-opening-rule.js';
import { makeTree } from './helpers/cli.js';

const rules = new Map<string, Rule<any, any>>([sameOpening, repeatedWords].map((rule) => [rule.meta.id, rule as Rule<any, any>]));
const configOf = (user: UserConfig = {}) => resolveConfig(user, { rules });

const opening = 'Shares in the carmaker fell sharply after the recall was announced.';
const corpusFiles = {
  'corpus/a.txt': `${opening}\nAnalysts expect further losses.\n`,
  'corpus/b.txt': 'The storm closed two ports on the northern coast.\nPower was cut to thousands.\n',
  'corpus/c.txt': `${opening}\nThe company said said it would respond.\n`,
  'corpus/d.jsonl': [
    JSON.stringify({ id: 'd1', text: 'Voters head to the polls on Sunday in a tight race.\nTurnout is expected to be high.' }),
    JSON.stringify({ id: 'd2', text: `${opening}\nA third copy of the opening.` }),
  ].join('\n') + '\n',
};

/** What a run found, without volatile fields: path (and record) to rule, span and related paths. */
function findings(files: { path: string; id?: string; messages: { ruleId: string; start: number; end: number; related?: { path: string }[] }[] }[]) {
  return files.map((file) => [file.path + (file.id ? `#${file.id}` : ''), file.messages.map((m) => `${m.ruleId} ${m.start}-${m.end} ${m.related?.map((r) => r.path).join(',') ?? ''}`)]);
}

const shardFiles = (root: string) => readdirSync(join(root, '.corpuslintcache')).filter((name) => name.startsWith('shard-'));

async function cold(root: string, patterns = ['corpus']) {
  return lintCorpus(patterns, { cwd: root, config: configOf() });
}

async function warm(root: string, strategy: 'metadata' | 'content' = 'metadata', patterns = ['corpus']) {
  const config = configOf();
  const cache = await LintCache.open(join(root, '.corpuslintcache'), config, root, strategy);
  return lintCorpus(patterns, { cwd: root, config, cache });
}

describe('--cache', () => {
  for (const strategy of ['metadata', 'content'] as const) {
    it(`gives a cold run's findings after documents change, appear, disappear and are renamed (${strategy})`, async () => {
      const root = makeTree(corpusFiles);
      const first = await warm(root, strategy);
      expect(first.cacheStats).toMatchObject({ hits: 0, misses: 5 });
      expect(findings(first.report.files)).toEqual(findings((await cold(root)).report.files));

      const again = await warm(root, strategy);
      expect(again.cacheStats).toMatchObject({ hits: 5, misses: 0 });
      expect(again.report).toEqual(first.report);

      // Change: b now shares the opening; a new document; c deleted; a renamed.
      writeFileSync(join(root, 'corpus/b.txt'), `${opening}\nA different body that is longer than before.\n`);
      writeFileSync(join(root, 'corpus/e.txt'), 'Fresh reporting on the the harbour.\n');
      rmSync(join(root, 'corpus/c.txt'));
      renameSync(join(root, 'corpus/a.txt'), join(root, 'corpus/z.txt'));
      const changed = await warm(root, strategy);
      const expected = await cold(root);
      expect(findings(changed.report.files)).toEqual(findings(expected.report.files));
      expect(changed.report).toEqual(expected.report);
      expect(changed.cacheStats!.misses).toBe(3);
      expect(findings(changed.report.files).find(([path]) => path === 'corpus/b.txt')![1]).toEqual([]);
      expect(findings(changed.report.files).find(([path]) => path === 'corpus/z.txt')![1]).toEqual([expect.stringMatching(/^same-opening 0-67 corpus\/b\.txt$/)]);
    });
  }

  it('does not read files whose size and mtime are unchanged (metadata), but reports their paths as seen from the cwd', async () => {
    const root = makeTree(corpusFiles);
    const old = new Date('2024-01-01T00:00:00Z');
    for (const path of Object.keys(corpusFiles)) utimesSync(join(root, path), old, old);
    await warm(root);
    const again = await warm(root);
    expect(again.cacheStats).toMatchObject({ filesUnchanged: 4, hits: 5, misses: 0 });
    const config = configOf();
    const fromCorpus = await lintCorpus(['.'], { cwd: join(root, 'corpus'), config, cache: await LintCache.open(join(root, '.corpuslintcache'), config, join(root, 'corpus')) });
    expect(fromCorpus.report.files.map((file) => file.path)).toEqual(['a.txt', 'b.txt', 'c.txt', 'd.jsonl', 'd.jsonl']);
    expect(fromCorpus.cacheStats).toMatchObject({ filesUnchanged: 0 });
  });

  it("writes unchanged documents' entries from their stored JSON text, and counts them from stored counts, as a cold run does", async () => {
    const root = makeTree(corpusFiles);
    const old = new Date('2024-01-01T00:00:00Z');
    for (const path of Object.keys(corpusFiles)) utimesSync(join(root, path), old, old);
    await warm(root);
    const again = await warm(root);
    const coldRun = await cold(root);
    expect(again.cacheStats).toMatchObject({ filesUnchanged: 4 });
    // Entries the corpus step adds nothing to (b.txt has no finding) are not parsed; c.txt gets a same-opening finding.
    const unread = again.report.files.filter(isUnread).map((file) => file.path);
    expect(unread).toContain('corpus/b.txt');
    expect(unread).not.toContain('corpus/c.txt');
    expect(again.report.summary).toEqual(coldRun.report.summary);
    expect(again.report.summary.byRule['repeated-words']).toEqual({ errors: 0, warnings: 1, infos: 0 });
    expect(formatJson(again.report)).toBe(formatJson(coldRun.report));
    // Reading an entry parses it: the same entry as a cold run's.
    const b = again.report.files.find((file) => file.path === 'corpus/b.txt')!;
    expect(b).toEqual(coldRun.report.files.find((file) => file.path === 'corpus/b.txt'));
    expect(isUnread(b)).toBe(false);
  });

  it('hashes a file changed within the mtime tick of the last cache write (racily clean), even with the metadata strategy', async () => {
    const root = makeTree(corpusFiles);
    const path = join(root, 'corpus/b.txt');
    const recent = new Date();
    utimesSync(path, recent, recent);
    await warm(root);
    writeFileSync(path, 'The storm closed two ports on the northern coast.\nPower was cut to thousands.\n'.replace('two ports', 'six ports'));
    utimesSync(path, recent, recent);
    const run = await warm(root);
    expect(run.cacheStats).toMatchObject({ misses: 1 });
  });

  it('notices a change of the same size and mtime with the content strategy', async () => {
    const root = makeTree(corpusFiles);
    await warm(root, 'content');
    const path = join(root, 'corpus/b.txt');
    const before = new Date('2024-01-01T00:00:00Z');
    utimesSync(path, before, before);
    await warm(root, 'content');
    writeFileSync(path, 'The storm closed two ports on the northern coast.\nPower was cut to thousands.\n'.replace('two ports', 'six ports'));
    utimesSync(path, before, before);
    const run = await warm(root, 'content');
    expect(run.cacheStats).toMatchObject({ misses: 1 });
  });

  it('starts afresh when the config changes', async () => {
    const root = makeTree(corpusFiles);
    await warm(root);
    const config = configOf({ rules: { 'repeated-words': 'error' } });
    const cache = await LintCache.open(join(root, '.corpuslintcache'), config, root);
    const run = await lintCorpus(['corpus'], { cwd: root, config, cache });
    expect(run.cacheStats).toMatchObject({ hits: 0, misses: 5 });
    expect(run.report.summary.errors).toBe(1);
  });

  it('does not cache a file on which a rule crashed, so the crash shows again', async () => {
    const flaky = defineRule<Record<string, never>>({
      meta: { id: 'flaky', description: 'test', url: 'x', defaultSeverity: 'warn', messages: { m: 'm' }, schema: { type: 'object' } },
      check(context) {
        if (context.text.includes('boom')) throw new Error('boom');
      },
    });
    const root = makeTree({ 'a.txt': 'Calm text.\n', 'b.txt': 'It went boom.\n' });
    const config = resolveConfig({}, { rules: new Map([[flaky.meta.id, flaky as Rule<any, any>]]) });
    for (let run = 0; run < 2; run++) {
      const cache = await LintCache.open(join(root, '.corpuslintcache'), config, root);
      const result = await lintCorpus(['.'], { cwd: root, config, cache });
      expect(result.crashes).toEqual(['flaky: b.txt']);
      expect(result.cacheStats).toMatchObject(run === 0 ? { hits: 0, misses: 2 } : { hits: 1, misses: 1 });
    }
  });

  it("replays a corpus step whose input is unchanged, and reruns it when a document's data, place or path changes", async () => {
    let completions = 0;
    const counted = { ...sameOpening, complete: (corpus: Parameters<NonNullable<typeof sameOpening.complete>>[0]) => (completions++, sameOpening.complete!(corpus)) };
    const countedRules = new Map<string, Rule<any, any>>([counted, repeatedWords].map((rule) => [rule.meta.id, rule as Rule<any, any>]));
    const config = resolveConfig({}, { rules: countedRules });
    const root = makeTree(corpusFiles);
    const run = async () => lintCorpus(['corpus'], { cwd: root, config, cache: await LintCache.open(join(root, '.corpuslintcache'), config, root) });
    const expectCold = async (warmRun: Awaited<ReturnType<typeof run>>) => {
      const before = completions;
      expect(warmRun.report).toEqual((await lintCorpus(['corpus'], { cwd: root, config })).report);
      completions = before;
    };
    await expectCold(await run());
    expect(completions).toBe(1);
    await expectCold(await run());
    expect(completions).toBe(1);
    // A new body under the same opening line: same-opening's data is unchanged, repeated-words finds more.
    writeFileSync(join(root, 'corpus/c.txt'), `${opening}\nThe the board met again.\n`);
    const sameInput = await run();
    expect(completions).toBe(1);
    expect(sameInput.cacheStats).toMatchObject({ misses: 1 });
    await expectCold(sameInput);
    writeFileSync(join(root, 'corpus/b.txt'), `${opening}\nNow b opens the same way.\n`);
    await expectCold(await run());
    expect(completions).toBe(2);
    renameSync(join(root, 'corpus/a.txt'), join(root, 'corpus/a0.txt'));
    await expectCold(await run());
    expect(completions).toBe(3);
  });

  it('ignores an unreadable cache shard, and replaces or removes it', async () => {
    const root = makeTree({ ...corpusFiles, '.corpuslintcache/shard-00.v8': 'not a cache', '.corpuslintcache/shard-3f.v8': 'not a cache' });
    const run = await warm(root);
    expect(run.cacheStats).toMatchObject({ hits: 0, misses: 5 });
    for (const name of shardFiles(root)) expect(readFileSync(join(root, '.corpuslintcache', name), 'utf8')).not.toBe('not a cache');
    expect((await warm(root)).cacheStats).toMatchObject({ hits: 5, misses: 0 });
  });

  it('rewrites only the shard files of changed or deleted files', async () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, at) => [`corpus/n${at}.txt`, `Report number ${at} on the the harbour.\n`]));
    const root = makeTree(many);
    const old = new Date('2024-01-01T00:00:00Z');
    for (const path of Object.keys(many)) utimesSync(join(root, path), old, old);
    await warm(root);
    const contents = () => new Map(shardFiles(root).map((name) => [name, readFileSync(join(root, '.corpuslintcache', name))]));
    const before = contents();
    expect(before.size).toBeGreaterThan(10);
    writeFileSync(join(root, 'corpus/n3.txt'), 'A changed report.\n');
    rmSync(join(root, 'corpus/n7.txt'));
    const run = await warm(root);
    expect(run.cacheStats).toMatchObject({ filesUnchanged: 38, misses: 1 });
    const after = contents();
    const rewritten = [...before.keys()].filter((name) => !after.get(name)?.equals(before.get(name)!));
    expect(rewritten.length).toBeGreaterThanOrEqual(1);
    expect(rewritten.length).toBeLessThanOrEqual(2);
    expect(findings((await warm(root)).report.files)).toEqual(findings((await cold(root)).report.files));
  });
});

describe('corpus roots', () => {
  it('checks named files against the whole corpus and reports only them', async () => {
    const root = makeTree({ ...corpusFiles, '.corpuslintrc.json': '{}' });
    const config = resolveConfig({ corpus: ['corpus/'] }, { rules, path: join(root, '.corpuslintrc.json') });
    const run = await lintCorpus(['corpus/c.txt'], { cwd: root, config, useCorpusRoots: true });
    expect(run.report.files.map((file) => file.path)).toEqual(['corpus/c.txt']);
    expect(findings(run.report.files)).toEqual([['corpus/c.txt', ['same-opening 0-67 corpus/a.txt', 'repeated-words 80-89 ']]]);
    expect(run.corpus).toHaveLength(5);
    const alone = await lintCorpus(['corpus/c.txt'], { cwd: root, config: configOf() });
    expect(findings(alone.report.files)).toEqual([['corpus/c.txt', ['repeated-words 80-89 ']]]);
  });
});
