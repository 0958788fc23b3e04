import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The package's root folder (where package.json is), from source or from dist/. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('corpus-lint: cannot find its package.json');
    dir = parent;
  }
  root = dir;
  return dir;
}

/** Absolute path of a file shipped with the package, e.g. `reports/report.schema.json`. */
export function packagePath(relative: string): string {
  return join(packageRoot(), relative);
}
