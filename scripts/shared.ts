import { existsSync } from 'node:fs';
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
