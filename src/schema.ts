import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, Options, ValidateFunction } from 'ajv/dist/2020.js';
import { packagePath } from './paths.js';

// ajv (about 40 modules) is required on first use: a built CLI whose validators are all precompiled never loads it.
const require = createRequire(import.meta.url);

/** Folder, in the package, of the validators precompiled by src/build-validators.ts (`npm run build`). */
export const PRECOMPILED_VALIDATORS = 'dist/validators';

/**
 * A new ajv instance for draft 2020-12 schemas, with all errors collected. Schemas are not checked
 * against the meta-schema (compiling it costs ~60 ms per instance, at every start): the shipped ones
 * are checked by test/config.test.ts; strict mode still rejects unknown keywords and bad types.
 */
export function newAjv(options: Options = {}): Ajv2020 {
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  return new Ajv2020({ allErrors: true, strict: true, strictTuples: false, validateSchema: false, ...options });
}

/** Compiles JSON schemas into validators. */
export interface SchemaCompiler {
  compile<T = unknown>(schema: object): ValidateFunction<T>;
}

/** A schema compiled in this process and the options it was compiled with (what the build precompiles). */
export interface CompiledSchema {
  schema: object;
  options: Options;
}

const compiledSchemas: CompiledSchema[] = [];

/** Every schema compiled in this process so far, in order. */
export function schemasCompiled(): readonly CompiledSchema[] {
  return compiledSchemas;
}

/** File name of the precompiled validator of a schema compiled with these options. */
export function validatorFile(schema: object, options: Options): string {
  return `${createHash('sha256').update(JSON.stringify([options, schema])).digest('hex').slice(0, 32)}.cjs`;
}

/**
 * A schema compiler with `newAjv(options)`'s behaviour. A schema that the build precompiled with the
 * same options (ajv's standalone code, the same validator ajv compiles: same defaults, same errors)
 * is loaded instead of compiled: ajv's code generation costs 10-100 ms per schema at every start.
 */
export function createAjv(options: Options = {}): SchemaCompiler {
  let ajv: Ajv2020 | undefined;
  return {
    compile<T>(schema: object): ValidateFunction<T> {
      compiledSchemas.push({ schema, options });
      const file = packagePath(`${PRECOMPILED_VALIDATORS}/${validatorFile(schema, options)}`);
      if (existsSync(file)) return require(file) as ValidateFunction<T>;
      return (ajv ??= newAjv(options)).compile<T>(schema);
    },
  };
}

/** Render ajv errors as `key.path: what was expected` sentences, prefixed by `where`. */
export function formatAjvErrors(errors: ErrorObject[] | null | undefined, where: string): string {
  if (!errors || errors.length === 0) return 'invalid';
  return errors
    .map((error) => {
      const path = error.instancePath
        .split('/')
        .slice(1)
        .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
      const key = [where, path].filter(Boolean).join('.') || '(root)';
      let detail = error.message ?? 'is invalid';
      if (error.keyword === 'additionalProperties') detail = `has unknown key "${String(error.params.additionalProperty)}"`;
      if (error.keyword === 'enum') detail = `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      return `${key} ${detail}`;
    })
    .join('; ');
}

/** Read a JSON file that ships with the package (schemas, rule data). */
export function readPackageJson<T = unknown>(relative: string): T {
  return JSON.parse(readFileSync(packagePath(relative), 'utf8')) as T;
}
