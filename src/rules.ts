import repeatedWords from '../rules/repeated-words.js';
import scrapingArtifact from '../rules/scraping-artifact.js';
import type { Rule } from './types.js';

/** The built-in rules, by id. */
export const builtinRules: ReadonlyMap<string, Rule<any, any>> = new Map(
  [repeatedWords, scrapingArtifact].map((rule) => [rule.meta.id, rule as Rule<any, any>]),
);
