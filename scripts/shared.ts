import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../src/paths.js';

/** The shared folder with third-party corpora: env CORPUS_LINT_SHARED, else `../shared` beside the repo. */
export function sharedDir(): string | undefined {
  const candidate = process.env.CORPUS_LINT_SHARED ? resolve(process.env.CORPUS_LINT_SHARED) : join(packageRoot(), '..', 'shared');
  return existsSync(join(candidate, 'corpora')) ? candidate : undefined;
}

/** The shared folder, or exit 0 with a message saying the evaluation needs it. */
export function requireShared(what: string): string {
  const dir = sharedDir();
  if (!dir) {
    console.log(`${what}: skipped, ../shared/corpora is not here (set CORPUS_LINT_SHARED to its folder)`);
    process.exit(0);
  }
  return dir;
}

/** Normalise a line for comparison: quotes, spaces, list and table markup. */
export function normaliseLine(line: string): string {
  return line
    .replace(/[\u2018\u2019\u201b\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201f\u2033]/g, '"')
    .replace(/[\u00a0\u2009\u202f]/g, ' ')
    .replace(/[\u200b-\u200d\u2060\ufeff\u00ad]/g, '')
    .replace(/^\s*(?:[-*\u2022]\s+|#+\s+|>\s*)/, '')
    .replace(/\|/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A record of the AEB JSONL files: page id and text. */
export interface AebRecord {
  id: string;
  text: string;
}

/** Read a JSONL file of `{id, text}` records. */
export function readJsonl(path: string): AebRecord[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AebRecord);
}

/** A small seeded random generator (mulberry32), so samples and generated corpora are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
