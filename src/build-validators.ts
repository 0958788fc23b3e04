import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import standalone from 'ajv/dist/standalone/index.js';
import { createAjv, newAjv, PRECOMPILED_VALIDATORS, readPackageJson, schemasCompiled, validatorFile, type CompiledSchema } from './schema.js';
import { packagePath } from './paths.js';

/**
 * Precompile the validators of every schema the CLI compiles (config, built-in rule options at
 * start-up, rule data files on first use) into dist/validators/, as ajv's standalone code; `createAjv` loads them
 * by schema and options hash instead of compiling. Run by `npm run build` after tsc.
 */

/** Write one standalone validator module per schema into `folder` (emptied first); resolves to the number written. */
export function writeValidators(folder: string, schemas: readonly CompiledSchema[]): number {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const written = new Set<string>();
  for (const { schema, options } of schemas) {
    const file = validatorFile(schema, options);
    if (written.has(file)) continue;
    const ajv = newAjv({ ...options, code: { source: true } });
    writeFileSync(join(folder, file), standalone.default(ajv, ajv.compile(schema)));
    written.add(file);
  }
  return written.size;
}

/** Every schema the CLI compiles: those compiled at start-up, and the rules' data schemas they check on first use. */
export async function schemasToPrecompile(): Promise<readonly CompiledSchema[]> {
  // Importing the rules compiles their data schemas; resolving the default config compiles the config and option schemas.
  const { resolveConfig } = await import('./config.js');
  await import('./text-index.js');
  resolveConfig({});
  // Rules read and check their data files on first use, not at import: compile those schemas here too.
  for (const file of readdirSync(packagePath('rules')).filter((name) => name.endsWith('.schema.json'))) createAjv().compile(readPackageJson<object>(`rules/${file}`));
  return schemasCompiled();
}

async function main(): Promise<void> {
  const count = writeValidators(packagePath(PRECOMPILED_VALIDATORS), await schemasToPrecompile());
  console.log(`build-validators: ${count} validators precompiled into ${PRECOMPILED_VALIDATORS}/`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
