import duplicatePassage from '../rules/duplicate-passage.js';
import implausibleDate from '../rules/implausible-date.js';
import offTopicTrailer from '../rules/off-topic-trailer.js';
import repeatedWords from '../rules/repeated-words.js';
import scrapingArtifact from '../rules/scraping-artifact.js';
import spellingInconsistency from '../rules/spelling-inconsistency.js';
import type { Rule } from './types.js';

/** The built-in rules, by id, in the order they run. */
export const builtinRules: ReadonlyMap<string, Rule<any, any>> = new Map(
  [scrapingArtifact, duplicatePassage, offTopicTrailer, implausibleDate, spellingInconsistency, repeatedWords].map((rule) => [rule.meta.id, rule as Rule<any, any>]),
);
