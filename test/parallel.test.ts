import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.js';
import { firstPassInThread, lintDocuments, type DocumentResult, type FirstPass } from '../src/engine.js';
import type { LoadedDocument } from '../src/inputs.js';
import { parallelFirstPass, parseConcurrency, toWorkerConfig, type PoolStats } from '../src/parallel.js';
import { defineRule } from '../src/rule.js';
import { CorpusGenerator } from '../scripts/generate-corpus.js';
import sameOpening from './helpers/same-opening-rule.js';
import { cli, makeTree } from './helpers/cli.js';

const root = join(import.meta.dirname, '..');

// Workers run compiled JS from dist/: build it from the current sources first.
beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'pipe' });
}, 120_000);

function generatedDocuments(count: number, seed = 3): LoadedDocument[] {
  const generator = new CorpusGenerator(seed);
  return Array.from({ length: count }, (_, index) => ({
    info: { path: 'corpus.jsonl', line: index + 1, id: `d${index}`, contentStart: 0 },
    text: generator.document(),
    notes: [],
  }));
}

const stats = (): PoolStats => ({ threads: 0, batches: 0 });

/** The results a first pass hands on, in the order it hands them on. */
async function collect(firstPass: FirstPass, documents: LoadedDocument[], config: ReturnType<typeof resolveConfig>): Promise<DocumentResult[]> {
  const results: DocumentResult[] = [];
  await firstPass(documents, config, (result) => void results.push(result));
  return results;
}

describe('parallel first pass', () => {
  it('gives the same report over worker threads as in this thread, in corpus order', async () => {
    const documents = generatedDocuments(450);
    documents[17].text = 'Officials said the the vote would go ahead.\n';
    const config = resolveConfig({});
    const used = stats();
    const parallel = await lintDocuments(documents, config, undefined, parallelFirstPass(2, { stats: used }));
    const inThread = await lintDocuments(documents, config, undefined, firstPassInThread);
    expect(used).toMatchObject({ threads: 2 });
    expect(used.batches).toBeGreaterThan(1);
    expect(parallel).toEqual(inThread);
    expect(parallel.report.files[17].messages.map((message) => message.ruleId)).toContain('repeated-words');
    expect(parallel.report.files.map((file) => file.id)).toEqual(documents.map((document) => document.info.id));
  });

  it('runs the corpus step in the main thread on the workers\' compact results', async () => {
    const config = resolveConfig({});
    // Past 1 M characters: two batches, handed on in corpus order whichever finishes first.
    const documents = generatedDocuments(300);
    const used = stats();
    const results = await collect(parallelFirstPass(2, { stats: used }), documents, config);
    expect(used.batches).toBeGreaterThan(1);
    expect(results.map((result) => result.file.id)).toEqual(documents.map((document) => document.info.id));
    for (const result of results) expect(Object.keys(result).sort()).toEqual(['corpusData', 'crashed', 'file', 'length', 'lineStarts']);
    // Line starts travel back only for documents with corpus data, as a typed array.
    const withData = results.filter((result) => Object.keys(result.corpusData).length > 0);
    expect(withData.length).toBeGreaterThan(0);
    for (const result of withData) expect(result.lineStarts).toBeInstanceOf(Uint32Array);
  });

  it('stays in this thread for a small run with auto, and for rules that are not built in', async () => {
    const auto = stats();
    await collect(parallelFirstPass('auto', { stats: auto }), generatedDocuments(20), resolveConfig({}));
    expect(auto.batches).toBe(0);

    const custom = resolveConfig({}, { rules: new Map([[sameOpening.meta.id, sameOpening as never]]) });
    expect(toWorkerConfig(custom)).toBeUndefined();
    const forced = stats();
    const docs: LoadedDocument[] = ['Same start.\nOne.', 'Same start.\nTwo.'].map((text, index) => ({ info: { path: `${index}.txt`, contentStart: 0 }, text, notes: [] }));
    const { report } = await lintDocuments(docs, custom, undefined, parallelFirstPass(2, { stats: forced }));
    expect(forced.batches).toBe(0);
    expect(report.files[1].messages).toHaveLength(1);
  });

  it('goes to the workers with auto once the input passes the read-ahead threshold', async () => {
    const documents = generatedDocuments(120);
    const used = stats();
    const results = await collect(parallelFirstPass('auto', { stats: used, autoThreshold: 100_000 }), documents, resolveConfig({}));
    expect(results).toHaveLength(documents.length);
    expect(used.batches).toBeGreaterThan(0);
  });

  it('keeps a rule that only borrows a built-in id out of the workers', async () => {
    const config = resolveConfig({});
    const broken = defineRule<Record<string, never>>({
      meta: { id: 'repeated-words', description: 'x', url: 'x', defaultSeverity: 'warn', messages: { m: 'm' }, schema: { type: 'object' } },
      check: () => undefined,
    });
    // A rule object that is not the built-in one under its id must not be swapped for the built-in in a worker.
    expect(toWorkerConfig({ ...config, rules: [{ rule: broken, severity: 'warning', options: {} }] })).toBeUndefined();
  });
});

describe('first pass in this thread', () => {
  it('detaches results from the document: corpus data and messages are copies, as from a worker', async () => {
    const returned: object[] = [];
    const opening = defineRule<Record<string, never>, { opening: string }>({
      meta: { id: 'opening', description: 'o', url: 'x', defaultSeverity: 'warn', messages: { m: 'Unexpected {{x}}' }, schema: { type: 'object' } },
      check(context) {
        const data = { opening: context.text.slice(0, 30) };
        returned.push(data);
        context.report({ messageId: 'm', data: { x: context.text.slice(0, 30) }, start: 0, end: 30, actual: context.text.slice(0, 30) });
        return data;
      },
    });
    const config = resolveConfig({}, { rules: new Map([['opening', opening as never]]) });
    const [result] = await collect(firstPassInThread, generatedDocuments(1), config);
    expect(result.corpusData.opening).toEqual(returned[0]);
    expect(result.corpusData.opening).not.toBe(returned[0]);
    expect(result.file.messages[0].actual).toHaveLength(30);
  });
});

describe('--concurrency', () => {
  it('parses a count, auto and off, and rejects anything else', async () => {
    expect([parseConcurrency('3'), parseConcurrency('auto'), parseConcurrency('off')]).toEqual([3, 'auto', 'off']);
    expect([parseConcurrency('0'), parseConcurrency('1.5'), parseConcurrency('many')]).toEqual([undefined, undefined, undefined]);
    const tree = makeTree({ 'a.txt': 'Fine text.\n' });
    const { code, stderr } = await cli(['a.txt', '--concurrency', 'many'], tree);
    expect(code).toBe(2);
    expect(stderr).toContain('--concurrency takes a positive whole number, auto or off, got "many"');
  });

  it('makes the compiled CLI give the same JSON report with workers as without', () => {
    const generator = new CorpusGenerator(5);
    const lines = Array.from({ length: 300 }, (_, index) => JSON.stringify({ id: `n${index}`, date: generator.date(), text: generator.document() }));
    lines[40] = JSON.stringify({ id: 'n40', text: 'The council met on on Monday.' });
    const tree = makeTree({ 'news.jsonl': lines.join('\n') + '\n' });
    writeFileSync(join(tree, '.corpuslintrc.json'), '{}');
    const run = (concurrency: string) =>
      spawnSync(process.execPath, [join(root, 'dist', 'src', 'cli.js'), 'news.jsonl', '--format', 'json', '--concurrency', concurrency], {
        cwd: tree,
        encoding: 'utf8',
        env: { ...process.env, CI: 'true' },
      });
    const workers = run('2');
    const single = run('off');
    expect(workers.stderr).toBe('');
    expect(workers.status).toBe(single.status);
    expect(workers.stdout).toBe(single.stdout);
    expect(JSON.parse(workers.stdout).files[40].messages[0]).toMatchObject({ ruleId: 'repeated-words', line: 1, column: 17 });
  });
});
