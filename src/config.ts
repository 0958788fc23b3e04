import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, resolveRuleOptions } from './rule.js';
import { builtinRules } from './rules.js';
import { createAjv, formatAjvErrors, readPackageJson } from './schema.js';
import type { JsonlFields } from './inputs.js';
import type { Rule, Severity, SeveritySetting } from './types.js';

export const CONFIG_FILE_NAME = '.corpuslintrc.json';

/** A config file as written by a user. */
export interface UserConfig {
  rules?: Record<string, SeveritySetting | [SeveritySetting, Record<string, unknown>?]>;
  extensions?: string[];
  ignore?: string[];
  jsonl?: Partial<JsonlFields>;
  corpus?: string[];
  gates?: { maxDuplicateDocumentRate?: number; maxArtifactDocumentRate?: number; rules?: CorpusGate[] };
  fixableNames?: string[];
}

/** A corpus gate: at most `maxDocumentRate` of the documents may have a finding of `rule`. */
export interface CorpusGate {
  rule: string;
  maxDocumentRate: number;
}

/** Rules behind the gate shorthands. */
export const GATE_SHORTHANDS = { maxDuplicateDocumentRate: 'duplicate-passage', maxArtifactDocumentRate: 'scraping-artifact' } as const;

/** A rule switched on, with its severity and validated options. */
export interface ActiveRule {
  rule: Rule<any, any>;
  severity: Severity;
  options: unknown;
}

/** Config after defaults, CLI overrides and validation. */
export interface ResolvedConfig {
  /** Where the config came from, if from a file. */
  path?: string;
  rules: ActiveRule[];
  extensions: string[];
  ignore: string[];
  jsonl: JsonlFields;
  /** Corpus roots that always take part in the corpus step. */
  corpus: string[];
  /** Corpus gates, shorthands expanded. */
  gates: CorpusGate[];
  /** Canonical names --fix may write over a variant spelling. */
  fixableNames: string[];
}

const validateConfig = createAjv().compile(readPackageJson('src/config.schema.json') as object);

/** Find `.corpuslintrc.json` in `cwd` or a folder above it. */
export function findConfigFile(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Read and parse a config file; errors name the file and, for JSON syntax, the line. */
export function readConfigFile(path: string): UserConfig {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read config ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(source) as UserConfig;
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position ? source.slice(0, Number(position[1])).split('\n').length : undefined;
    throw new ConfigError(`Config ${path}${line ? `:${line}` : ''} is not valid JSON: ${message}`);
  }
}

const SEVERITY: Record<Exclude<SeveritySetting, 'off'>, Severity> = { info: 'info', warn: 'warning', error: 'error' };

/**
 * Validate a user config against the shipped schema, apply `--rule id:severity`
 * overrides, and resolve every rule's options (defaults merged, validated by ajv).
 */
export function resolveConfig(
  user: UserConfig,
  { overrides = [], path, rules: available = builtinRules }: { overrides?: string[]; path?: string; rules?: ReadonlyMap<string, Rule<any, any>> } = {},
): ResolvedConfig {
  const where = path ?? 'config';
  if (!validateConfig(user)) {
    throw new ConfigError(`Invalid config ${where}: ${formatAjvErrors(validateConfig.errors, '')}`);
  }
  const settings = new Map<string, { severity: SeveritySetting; options?: Record<string, unknown>; key: string }>();
  for (const [id, setting] of Object.entries(user.rules ?? {})) {
    if (!available.has(id)) throw new ConfigError(`Invalid config ${where}: rules.${id} is not a known rule (known: ${[...available.keys()].join(', ')})`);
    const [severity, options] = Array.isArray(setting) ? setting : [setting];
    settings.set(id, { severity, options, key: `rules.${id}` });
  }
  for (const override of overrides) {
    const match = /^([\w-]+):(off|info|warn|error)$/.exec(override);
    if (!match) throw new ConfigError(`Invalid --rule "${override}": expected <rule-id>:<off|info|warn|error>`);
    if (!available.has(match[1])) throw new ConfigError(`Invalid --rule "${override}": "${match[1]}" is not a known rule`);
    const previous = settings.get(match[1]);
    settings.set(match[1], { severity: match[2] as SeveritySetting, options: previous?.options, key: previous?.key ?? `--rule ${match[1]}` });
  }
  const rules: ActiveRule[] = [];
  for (const rule of available.values()) {
    const setting = settings.get(rule.meta.id);
    const severity = setting?.severity ?? rule.meta.defaultSeverity;
    if (severity === 'off') continue;
    const options = resolveRuleOptions(rule, setting?.options ?? {}, `${where} ${setting?.key ?? `rules.${rule.meta.id}`}[1]`);
    rules.push({ rule, severity: SEVERITY[severity], options });
  }
  return {
    ...(path ? { path } : {}),
    rules,
    extensions: user.extensions ?? ['txt', 'md', 'jsonl'],
    ignore: user.ignore ?? [],
    jsonl: { text: 'text', id: 'id', date: 'date', ...user.jsonl },
    corpus: user.corpus ?? [],
    gates: expandGates(user.gates),
    fixableNames: user.fixableNames ?? [],
  };
}

function expandGates(gates: UserConfig['gates'] = {}): CorpusGate[] {
  const expanded: CorpusGate[] = [];
  for (const [key, rule] of Object.entries(GATE_SHORTHANDS)) {
    const limit = gates[key as keyof typeof GATE_SHORTHANDS];
    if (limit !== undefined) expanded.push({ rule, maxDocumentRate: limit });
  }
  return [...expanded, ...(gates.rules ?? [])];
}

/** Load the config: an explicit file, else `.corpuslintrc.json` found upward from `cwd`, else defaults. */
export function loadConfig(cwd: string, explicit?: string, overrides: string[] = []): ResolvedConfig {
  const path = explicit ? resolve(cwd, explicit) : findConfigFile(cwd);
  if (explicit && !existsSync(path!)) throw new ConfigError(`Config file ${explicit} does not exist`);
  const user = path ? readConfigFile(path) : {};
  return resolveConfig(user, { overrides, ...(path ? { path } : {}) });
}
