import offTopicTrailer from '../rules/off-topic-trailer.js';
import repeatedWords from '../rules/repeated-words.js';
import type { Rule } from './types.js';

/** The built-in rules, by id. */
export const builtinRules: ReadonlyMap<string, Rule<any, any>> = new Map(
  [repeatedWords, offTopicTrailer].map((rule) => [rule.meta.id, rule as Rule<any, any>]),
);
