import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type Options } from 'ajv/dist/2020.js';
import { packagePath } from './paths.js';

/**
 * An ajv instance for draft 2020-12 schemas, with all errors collected. Schemas are not checked
 * against the meta-schema (compiling it costs ~60 ms per instance, at every start): the shipped ones
 * are checked by test/config.test.ts; strict mode still rejects unknown keywords and bad types.
 */
export function createAjv(options: Options = {}): Ajv2020 {
  return new Ajv2020({ allErrors: true, strict: true, strictTuples: false, validateSchema: false, ...options });
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
