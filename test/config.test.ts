import { join } from 'node:path';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it, onTestFinished } from 'vitest';
import { findConfigFile, loadConfig, resolveConfig } from '../src/config.js';
import { ConfigError } from '../src/rule.js';
import { builtinRules } from '../src/rules.js';
import { newAjv, readPackageJson, schemasCompiled, validatorFile } from '../src/schema.js';
import { schemasToPrecompile, writeValidators } from '../src/build-validators.js';
import { lintText } from '../src/engine.js';
import { packagePath } from '../src/paths.js';
import { cli, makeTree } from './helpers/cli.js';

describe('config', () => {
  it('ships schemas that are valid against the JSON Schema meta-schema (not checked at run time)', () => {
    const ajv = newAjv({ validateSchema: true });
    expect(ajv.validateSchema({ type: 'strin' })).toBe(false);
    const files = ['src', 'rules', 'reports'].flatMap((dir) => readdirSync(packagePath(dir)).filter((name) => name.endsWith('.schema.json')).map((name) => `${dir}/${name}`));
    expect(files).toContain('src/config.schema.json');
    for (const file of files) expect([file, ajv.validateSchema(readPackageJson<object>(file)), ajv.errors]).toEqual([file, true, null]);
    for (const rule of builtinRules.values()) expect([rule.meta.id, ajv.validateSchema(rule.meta.schema), ajv.errors]).toEqual([rule.meta.id, true, null]);
  });

  it('precompiles validators (npm run build) that give the errors and defaults ajv gives', () => {
    // Inside the package, where the generated modules find ajv's runtime helpers.
    mkdirSync(packagePath('dist'), { recursive: true });
    const folder = mkdtempSync(packagePath('dist/test-validators-'));
    onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
    const configSchema = readPackageJson<object>('src/config.schema.json');
    const optionsSchema = builtinRules.get('repeated-words')!.meta.schema;
    const schemas = [{ schema: configSchema, options: {} }, { schema: optionsSchema, options: { useDefaults: true } }];
    expect(writeValidators(folder, [...schemas, schemas[0]])).toBe(2);
    const [precompiledConfig, precompiledOptions] = schemas.map(({ schema, options }) => createRequire(import.meta.url)(join(folder, validatorFile(schema, options))));
    const [compiledConfig, compiledOptions] = schemas.map(({ schema, options }) => newAjv(options).compile(schema));
    const bad = { extensions: 3, rules: { 'repeated-words': 'loud' }, unknown: true };
    expect(precompiledConfig(bad)).toBe(false);
    expect(compiledConfig(bad)).toBe(false);
    expect(precompiledConfig.errors).toEqual(compiledConfig.errors);
    const [precompiledDefaults, compiledDefaults] = [{}, {}];
    expect([precompiledOptions(precompiledDefaults), compiledOptions(compiledDefaults)]).toEqual([true, true]);
    expect(precompiledDefaults).toEqual(compiledDefaults);
    expect(Object.keys(precompiledDefaults).length).toBeGreaterThan(0);
  });

  it('precompiles every schema a run compiles, the data schemas rules check on first use included', async () => {
    await lintText('Read more: a story. The the end.\n\nYou may also like\nOne headline here\nAnother headline there', resolveConfig({}), { path: 'a.txt' });
    const compiledByRun = schemasCompiled().map(({ schema, options }) => validatorFile(schema, options));
    expect(compiledByRun.length).toBeGreaterThan(2);
    const precompiled = new Set((await schemasToPrecompile()).map(({ schema, options }) => validatorFile(schema, options)));
    for (const file of readdirSync(packagePath('rules')).filter((name) => name.endsWith('.schema.json'))) {
      expect(precompiled.has(validatorFile(readPackageJson<object>(`rules/${file}`), {})), file).toBe(true);
    }
    expect(compiledByRun.filter((file) => !precompiled.has(file))).toEqual([]);
  });

  it('has defaults: every built-in rule at its default severity', () => {
    const config = resolveConfig({});
    expect(config.rules.map((r) => [r.rule.meta.id, r.severity])).toContainEqual(['repeated-words', 'warning']);
    expect(config.extensions).toEqual(['txt', 'md', 'jsonl']);
    expect(config.jsonl).toEqual({ text: 'text', id: 'id', date: 'date' });
  });

  it('is found upward from the working directory', () => {
    const root = makeTree({ '.corpuslintrc.json': '{"rules": {"repeated-words": "error"}}' });
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    expect(findConfigFile(join(root, 'a', 'b'))).toBe(join(root, '.corpuslintrc.json'));
    expect(loadConfig(join(root, 'a', 'b')).rules.find((r) => r.rule.meta.id === 'repeated-words')?.severity).toBe('error');
  });

  it('names the key path and what was expected', () => {
    expect(() => resolveConfig({ rules: { 'repeated-words': 'loud' as never } })).toThrow(ConfigError);
    expect(() => resolveConfig({ rules: { 'repeated-words': 'loud' as never } })).toThrow(/rules\.repeated-words must be one of "off", "info", "warn", "error"/);
    expect(() => resolveConfig({ extensions: 'txt' as never })).toThrow(/extensions must be array/);
    expect(() => resolveConfig({ colour: true } as never)).toThrow(/\(root\) has unknown key "colour"/);
    expect(() => resolveConfig({ jsonl: { txt: 'body' } as never })).toThrow(/jsonl has unknown key "txt"/);
    expect(() => resolveConfig({ rules: { 'no-such-rule': 'warn' } })).toThrow(/rules\.no-such-rule is not a known rule/);
  });

  it('validates rule options with the rule schema and merges defaults', () => {
    expect(() => resolveConfig({ rules: { 'repeated-words': ['warn', { allow: 'very' }] } })).toThrow(
      /Invalid options for rule "repeated-words": config rules\.repeated-words\[1\]\.allow must be array/,
    );
    expect(() => resolveConfig({ rules: { 'repeated-words': ['warn', { alow: [] }] } })).toThrow(/has unknown key "alow"/);
    const config = resolveConfig({ rules: { 'repeated-words': ['error'] } });
    expect(config.rules.find((r) => r.rule.meta.id === 'repeated-words')?.options).toEqual({ allow: [] });
  });

  it('--rule overrides the file; a malformed --rule is a usage error', () => {
    const config = resolveConfig({ rules: { 'repeated-words': 'error' } }, { overrides: ['repeated-words:off'] });
    expect(config.rules.find((r) => r.rule.meta.id === 'repeated-words')).toBeUndefined();
    expect(() => resolveConfig({}, { overrides: ['repeated-words'] })).toThrow(/expected <rule-id>:<off\|info\|warn\|error>/);
  });

  it('bad config exits 2 and says which file, line and key', async () => {
    const broken = makeTree({ '.corpuslintrc.json': '{\n  "rules": {\n    "repeated-words": "warn",\n  }\n}', 'a.txt': 'Fine.' });
    const syntax = await cli(['a.txt'], broken);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/\.corpuslintrc\.json:4 is not valid JSON/);
    const wrong = makeTree({ 'cfg.json': '{"rules": {"repeated-words": ["warn", {"allow": [1]}]}}', 'a.txt': 'Fine.' });
    const invalid = await cli(['a.txt', '--config', 'cfg.json'], wrong);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('rules.repeated-words[1].allow[0] must be string');
    const missing = await cli(['a.txt', '--config', 'nope.json'], wrong);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Config file nope.json does not exist');
  });
});
