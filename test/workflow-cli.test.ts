import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/types.js';
import { cli, makeTree } from './helpers/cli.js';

describe('CLI workflow options', () => {
  it('lists every workflow option in --help', async () => {
    const { stdout } = await cli(['--help'], makeTree({}));
    for (const option of ['--cache', '--cache-location DIR', '--cache-strategy S', '--baseline FILE', '--update-baseline', '--fix', '--fix-dry-run']) {
      expect(stdout).toContain(option);
    }
  });

  it('rejects contradictory or malformed workflow options with exit 2', async () => {
    const root = makeTree({ 'a.txt': 'Fine text.\n' });
    expect(await cli(['a.txt', '--fix', '--fix-dry-run'], root)).toMatchObject({ code: 2, stderr: expect.stringContaining('--fix and --fix-dry-run exclude each other') });
    expect(await cli(['a.txt', '--cache-strategy', 'mtime'], root)).toMatchObject({ code: 2, stderr: expect.stringContaining('--cache-strategy takes metadata or content') });
  });

  it('writes the cache to .corpuslintcache/ or --cache-location, with the same report', async () => {
    const root = makeTree({ 'corpus/a.txt': 'The the bank held rates.\n', 'corpus/b.txt': 'Prices rose.\n' });
    const plain = await cli(['--format', 'json'], root);
    const cached = await cli(['--cache', '--format', 'json'], root);
    const shards = (folder: string) => readdirSync(folder).filter((name) => /^shard-[0-9a-f]{2}\.v8$/.test(name));
    expect(shards(join(root, '.corpuslintcache')).length).toBeGreaterThan(0);
    const located = await cli(['--cache-location', 'tmp/cache', '--format', 'json'], root);
    expect(shards(join(root, 'tmp', 'cache')).length).toBeGreaterThan(0);
    const warm = await cli(['--cache', '--format', 'json'], root);
    for (const run of [cached, located, warm]) expect(run.stdout).toBe(plain.stdout);
  });

  it('lints the config corpus roots when no paths are given, and reports only named files otherwise', async () => {
    const root = makeTree({
      '.corpuslintrc.json': JSON.stringify({ corpus: ['articles/', 'feeds/*.jsonl'] }),
      'articles/a.txt': 'The the bank held rates.\n',
      'feeds/f.jsonl': JSON.stringify({ id: 'f1', text: 'Prices rose.' }) + '\n',
      'corpus/ignored.txt': 'Not a root.\n',
    });
    const all = JSON.parse((await cli(['--format', 'json'], root)).stdout) as Report;
    expect(all.files.map((file) => file.path)).toEqual(['articles/a.txt', 'feeds/f.jsonl']);
    const one = JSON.parse((await cli(['feeds/f.jsonl', '--cache', '--format', 'json'], root)).stdout) as Report;
    expect(one.files.map((file) => file.path)).toEqual(['feeds/f.jsonl']);
  });
});
