import { createAjv, formatAjvErrors, readPackageJson } from '../src/schema.js';

/** What a phrase pattern finds; each kind has its own message. */
export type PatternKind = 'caption' | 'prompt' | 'social' | 'bot-wall';

/** A phrase pattern as written in rules/scraping-artifact.patterns.json or in config. */
export interface PhrasePattern {
  id: string;
  kind: PatternKind;
  /** `line`: the whole line; `start`: a line opening with it (whole line flagged); `inline`: the match only. */
  scope: 'line' | 'start' | 'inline';
  match: string;
  maxWords?: number;
  /** A link line that may open a run of headline lines inside the article (taken with it). */
  opensList?: boolean;
}

/** The shipped pattern data. */
export interface PatternData {
  patterns: PhrasePattern[];
  agencies: string[];
  trailerMarkers: string[];
  htmlElements: string[];
  boilerplateCues: string[];
}

/** A pattern compiled to a regular expression. */
export interface CompiledPattern extends PhrasePattern {
  regex: RegExp;
}

const DATA_FILE = 'rules/scraping-artifact.patterns.json';
export const patternDataSchema = readPackageJson<Record<string, unknown> & { $defs: { pattern: Record<string, unknown> } }>(
  'rules/scraping-artifact.patterns.schema.json',
);

/** Load and validate (ajv) the shipped pattern data. */
export function loadPatternData(): PatternData {
  const data = readPackageJson<PatternData>(DATA_FILE);
  const validate = createAjv().compile(patternDataSchema);
  if (!validate(data)) throw new Error(`Invalid ${DATA_FILE}: ${formatAjvErrors(validate.errors, 'patterns')}`);
  return data;
}

const SEPARATOR = String.raw`[\s\p{P}\p{S}]*`;
const APOSTROPHE = "['\u2018\u2019`\u02bc]?";
const MONTHS =
  '(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\\.?';
const WEEKDAYS = '(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\\.?';

// Variable parts, written in the pattern language itself (so they are case-insensitive too).
const PLACEHOLDERS: Record<string, string> = {
  n: '\\d[\\d,.]*',
  time: '\\d{1,2}[:.]\\d{2}( ?[ap]\\.?m\\.?)?',
  month: MONTHS,
  weekday: WEEKDAYS,
  date: `(\\d{1,2}[/.-]\\d{1,2}[/.-]\\d{2,4}|\\d{4}-\\d{2}-\\d{2}(T[\\d:+.-]+)?|(${WEEKDAYS},? )?(${MONTHS} \\d{1,2}(st|nd|rd|th)?,? \\d{4}|\\d{1,2}(st|nd|rd|th)? ${MONTHS},? \\d{4}|${MONTHS} \\d{1,2}(st|nd|rd|th)?))`,
  words: '[^\\n]{1,200}?',
  handle: '@\\w{1,30}',
  url: '(https?://|www\\.)[^\\s]+',
};
// Capitalised words: kept case-sensitive, so a name is not any run of words.
const NAME = String.raw`\p{Lu}[\p{L}'\u2019.\-]*(?:[ \u00a0]+(?:\p{Lu}[\p{L}'\u2019.\-]*|de|van|von|da|al|bin|la|le)){0,4}`;

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function caseless(letter: string): string {
  const upper = letter.toUpperCase();
  const lower = letter.toLowerCase();
  return upper !== lower && upper.length === 1 && lower.length === 1 ? `[${lower}${upper}]` : letter;
}

function swapCase(classBody: string): string {
  let extra = '';
  for (const part of classBody.match(/\\.|\p{L}-\p{L}|./gsu) ?? []) {
    if (part.startsWith('\\')) continue;
    const swapped = [...part].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
    if (/\p{L}/u.test(part) && swapped !== part && swapped.length === part.length) extra += swapped;
  }
  return extra;
}

/**
 * Translate the pattern language to a regular expression source: letters match either case, a space
 * any run of spaces and punctuation, an apostrophe any apostrophe, `{name}` a capitalised name.
 */
export function translatePattern(source: string, agencies: string[]): string {
  let out = '';
  for (let at = 0; at < source.length; at++) {
    const char = source[at];
    if (char === '\\') {
      const escape = /^\\(?:[pP]\{[^}]+\}|u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/.exec(source.slice(at))![0];
      out += escape;
      at += escape.length - 1;
    } else if (char === '[') {
      let end = at + 1;
      while (end < source.length && source[end] !== ']') end += source[end] === '\\' ? 2 : 1;
      const body = source.slice(at + 1, end);
      // A class lists its letters (and letter ranges) in both cases unless it is negated.
      out += body.startsWith('^') ? `[${body}]` : `[${swapCase(body)}${body}]`;
      at = end;
    } else if (char === '{' && /^\{[a-z]+\}/.test(source.slice(at))) {
      const name = /^\{([a-z]+)\}/.exec(source.slice(at))![1];
      at += name.length + 1;
      if (name === 'name') out += `(?:${NAME})`;
      else if (name === 'agency') out += `(?:${agencies.map((agency) => translatePattern(escapeRegex(agency), [])).join('|')})`;
      else if (name in PLACEHOLDERS) out += `(?:${translatePattern(PLACEHOLDERS[name], agencies)})`;
      else throw new Error(`unknown placeholder {${name}}`);
    } else if (char === ' ') {
      while (source[at + 1] === ' ') at++;
      out += SEPARATOR;
    } else if (char === "'") {
      out += APOSTROPHE;
    } else if (char === '(' && source[at + 1] !== '?') {
      out += '(?:';
    } else {
      out += caseless(char);
    }
  }
  return out;
}

const EDGE = String.raw`[\s\p{P}\p{S}]*`;

/** Compile one pattern for its scope (a `line` pattern must cover the whole trimmed line). */
export function compilePattern(pattern: PhrasePattern, agencies: string[]): CompiledPattern {
  let body: string;
  try {
    body = translatePattern(pattern.match, agencies);
    const source =
      pattern.scope === 'line' ? `^${EDGE}(?:${body})${EDGE}$` : pattern.scope === 'start' ? `^${EDGE}(?:${body})` : `(?:${body})`;
    return { ...pattern, regex: new RegExp(source, pattern.scope === 'inline' ? 'gu' : 'u') };
  } catch (error) {
    throw new Error(`scraping-artifact: pattern "${pattern.id}" is invalid: ${(error as Error).message.slice(-80)}`);
  }
}
