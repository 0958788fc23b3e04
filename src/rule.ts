import type { Root } from 'nlcst';
import type { Plugin } from 'unified';
import type { VFile } from 'vfile';
import { location } from 'vfile-location';
import { createAjv, formatAjvErrors } from './schema.js';
import { createRuleContext } from './context.js';
import type { DocumentInfo, Rule, RuleMeta } from './types.js';

/** Declare a rule with typed options and corpus data (identity at run time). */
export function defineRule<Options, Data = never>(rule: Rule<Options, Data>): Rule<Options, Data> {
  return rule;
}

/** Thrown for invalid rule options or config; `keyPath` says where. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const ajv = createAjv({ useDefaults: true });
const compiled = new WeakMap<RuleMeta, ReturnType<typeof ajv.compile>>();

/** Validate rule options against the rule's schema (compiled once) and fill in defaults. */
export function resolveRuleOptions<Options>(rule: Rule<Options, unknown>, options: unknown, where: string): Options {
  let validate = compiled.get(rule.meta);
  if (!validate) {
    validate = ajv.compile(rule.meta.schema);
    compiled.set(rule.meta, validate);
  }
  const value = structuredClone(options ?? {});
  if (!validate(value)) {
    throw new ConfigError(`Invalid options for rule "${rule.meta.id}": ${formatAjvErrors(validate.errors, where)}`);
  }
  return value as Options;
}

/** Fill `{{name}}` placeholders of a message template; an unknown message id throws. */
export function formatMessage(meta: RuleMeta, messageId: string, data: Record<string, string | number> = {}): string {
  const template = meta.messages[messageId];
  if (template === undefined) {
    throw new Error(`Rule "${meta.id}" reported unknown message id "${messageId}"`);
  }
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    name in data ? String(data[name]) : whole,
  );
}

/**
 * Use a corpus-lint rule as a plain unified plugin on an NLCST tree:
 * messages go to `file.message` with the rule id, `actual`, `expected` and `url`.
 * The corpus step does not run this way.
 */
export function asUnifiedPlugin<Options>(rule: Rule<Options, unknown>): Plugin<[Options?], Root> {
  return function (options) {
    const resolved = resolveRuleOptions(rule, options, 'plugin options');
    return function (tree: Root, file: VFile) {
      const text = String(file.value);
      const doc: DocumentInfo = { index: 0, path: file.path ?? '', contentStart: 0, ...(file.data as Partial<DocumentInfo>) };
      const place = location(file);
      const context = createRuleContext({ rule, options: resolved, text, doc, file, tree }, (descriptor) => {
        const message = file.message(formatMessage(rule.meta, descriptor.messageId, descriptor.data), {
          place: { start: place.toPoint(descriptor.start)!, end: place.toPoint(descriptor.end)! },
          ruleId: rule.meta.id,
          source: 'corpus-lint',
        });
        message.actual = descriptor.actual;
        message.expected = descriptor.expected;
        message.url = rule.meta.url;
      });
      rule.check(context);
    };
  };
}
