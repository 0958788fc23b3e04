import { createAjv, formatAjvErrors, readPackageJson } from '../src/schema.js';

/** What a phrase pattern finds; each kind has its own message. */
export type PatternKind = 'caption' | 'prompt' | 'social' | 'bot-wall';

/** A phrase pattern as written in rules/scraping-artifact.patterns.json or in config. */
export interface PhrasePattern {
  id: string;
  kind: PatternKind;
  /** `line`: the whole line; `start`: a line opening with it; `contains`: a line holding it (whole line flagged); `inline`: the match only. */
  scope: 'line' | 'start' | 'contains' | 'inline';
  match: string;
  maxWords?: number;
  /** A link line that may open a run of headline lines inside the article (taken with it). */
  opensList?: boolean;
  /** A dateline: a names-only line just above it (a byline without "By") is reported with it. */
  takesBylineAbove?: boolean;
}

/** The shipped pattern data. */
export interface PatternData {
  patterns: PhrasePattern[];
  agencies: string[];
  trailerMarkers: string[];
  linkBlockMarkers: string[];
  htmlElements: string[];
  boilerplateCues: string[];
}

/** A pattern compiled to a regular expression. */
export interface CompiledPattern extends PhrasePattern {
  regex: RegExp;
  /** Longest line (in words) the pattern applies to. */
  wordLimit: number;
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

// At least one space or punctuation mark, so that words do not glue ("follow" is not "Following").
const SEPARATOR = String.raw`(?:[\s\p{P}\p{S}]+)`;
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
  email: '[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+',
  tz: '(utc|gmt|bst|cet|cest|est|edt|cst|cdt|mst|mdt|pst|pdt|et|ct|mt|pt|ist|jst|hkt|sgt|aest|aedt|msk|amt)(?![\\p{L}])',
  ptmonth: '(janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro|enero|febrero|marzo|mayo|junio|julio|septiembre|octubre|noviembre|diciembre)',
  ptweekday: '((segunda|terça|quarta|quinta|sexta)-feira|sábado|domingo|lunes|martes|miércoles|jueves|viernes)',
  // One piece of a dateline: a weekday, month, date, day or year, time, time zone, or a joining word.
  stamp: `(${WEEKDAYS}|{ptweekday}|${MONTHS}|{ptmonth}|\\d{1,2}[/.-]\\d{1,2}[/.-]\\d{2,4}|\\d{4}-\\d{2}-\\d{2}(T[\\d:+.-]+)?|\\d{1,4}(st|nd|rd|th)?|\\d{1,2}[:.h]\\d{2}( ?[ap]\\.?m\\.?)?|{tz}|at|on|de|às|as|a las|em)(?![\\p{L}\\p{N}])`,
};
// Capitalised words: kept case-sensitive, so a name is not any run of words.
const NAME = String.raw`\p{Lu}[\p{L}'\u2019.\-]*(?:[ \u00a0]+(?:\p{Lu}[\p{L}'\u2019.\-]*|de|van|von|da|al|bin|la|le)){0,4}`;

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function bothCases(letter: string): string {
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
 * Translate the pattern language to a regular expression source: a space matches any run of spaces and
 * punctuation, an apostrophe any apostrophe, `{name}` a capitalised name. With `caseless`, letters are
 * spelled in both cases (for patterns with `{name}`, which cannot use the `i` flag); otherwise the
 * caller compiles with `i`, which keeps V8's fast literal search.
 */
export function translatePattern(source: string, agencies: string[], caseless = true): string {
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
      out += body.startsWith('^') || !caseless ? `[${body}]` : `[${swapCase(body)}${body}]`;
      at = end;
    } else if (char === '{' && /^\{[a-z]+\}/.test(source.slice(at))) {
      const name = /^\{([a-z]+)\}/.exec(source.slice(at))![1];
      at += name.length + 1;
      if (name === 'name') out += `(?:${NAME})`;
      else if (name === 'agency') out += `(?<![\\p{L}\\p{N}])(?:${agencies.map((agency) => translatePattern(escapeRegex(agency), [], caseless)).join('|')})(?![\\p{L}\\p{N}])`;
      else if (name in PLACEHOLDERS) out += `(?:${translatePattern(PLACEHOLDERS[name], agencies, caseless)})`;
      else throw new Error(`unknown placeholder {${name}}`);
    } else if (char === ' ') {
      while (source[at + 1] === ' ') at++;
      out += SEPARATOR;
    } else if (char === "'") {
      out += APOSTROPHE;
    } else if (char === '(' && source[at + 1] !== '?') {
      out += '(?:';
    } else {
      out += caseless ? bothCases(char) : char;
    }
  }
  return out;
}

const EDGE = String.raw`[\s\p{P}\p{S}]*`;

/**
 * Compile one pattern for its scope. Line and start patterns are sticky (tried at the line start only);
 * a `line` pattern must cover the whole trimmed line; a `contains` pattern is searched in the line. Patterns without `{name}` use the `i` flag.
 */
export function compilePattern(pattern: PhrasePattern, agencies: string[]): CompiledPattern {
  try {
    const caseless = pattern.match.includes('{name}');
    const body = translatePattern(pattern.match, agencies, caseless);
    const source = pattern.scope === 'line' ? `${EDGE}(?:${body})${EDGE}$` : pattern.scope === 'start' ? `${EDGE}(?:${body})` : `(?:${body})`;
    const flags = `${pattern.scope === 'inline' ? 'g' : pattern.scope === 'contains' ? '' : 'y'}u${caseless ? '' : 'i'}`;
    return { ...pattern, regex: new RegExp(source, flags), wordLimit: pattern.maxWords ?? (pattern.scope === 'contains' ? 60 : 40) };
  } catch (error) {
    throw new Error(`scraping-artifact: pattern "${pattern.id}" is invalid: ${(error as Error).message.slice(-80)}`);
  }
}


/** The characters a pattern may start with, or `any`. */
export type FirstChars = Set<string> | 'any';

const DIGITS = '0123456789';

function splitTopLevel(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let at = 0; at < source.length; at++) {
    const char = source[at];
    if (char === '\\') at++;
    else if (char === '[') while (at < source.length && source[at] !== ']') at += source[at] === '\\' ? 2 : 1;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === '|' && depth === 0) {
      parts.push(source.slice(from, at));
      from = at + 1;
    }
  }
  parts.push(source.slice(from));
  return parts;
}

function closingParen(source: string, open: number): number {
  let depth = 0;
  for (let at = open; at < source.length; at++) {
    const char = source[at];
    if (char === '\\') at++;
    else if (char === '[') while (at < source.length && source[at] !== ']') at += source[at] === '\\' ? 2 : 1;
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return at;
  }
  return source.length;
}

/**
 * The first letters or digits (lower case) a line can open with, after any punctuation, for a pattern
 * in the pattern language: used to try only the patterns a line can start with. Punctuation and
 * spaces are skipped as the line's leading punctuation is.
 */
export function firstChars(source: string, agencies: string[] = []): FirstChars {
  const found = alternativesFirst(source, agencies);
  return found === 'any' || found.nullable ? 'any' : found.chars;
}

interface Firsts {
  chars: Set<string>;
  /** The sequence can match without a letter or digit. */
  nullable: boolean;
}

function alternativesFirst(source: string, agencies: string[]): Firsts | 'any' {
  const chars = new Set<string>();
  let nullable = false;
  for (const alternative of splitTopLevel(source)) {
    const found = sequenceFirst(alternative, agencies);
    if (found === 'any') return 'any';
    for (const char of found.chars) chars.add(char);
    nullable ||= found.nullable;
  }
  return { chars, nullable };
}

function sequenceFirst(source: string, agencies: string[]): Firsts | 'any' {
  const chars = new Set<string>();
  let at = 0;
  while (at < source.length) {
    const char = source[at];
    let atom: Firsts | 'any';
    let end: number;
    if (char === '(') {
      end = closingParen(source, at) + 1;
      // A lookaround matches no character: it does not decide what a line starts with.
      const lookaround = /^\(\?<?[=!]/.test(source.slice(at));
      atom = lookaround ? { chars: new Set(), nullable: true } : alternativesFirst(source.slice(at + 1, end - 1).replace(/^\?:/, ''), agencies);
    } else if (char === '{' && /^\{[a-z]+\}/.test(source.slice(at))) {
      end = source.indexOf('}', at) + 1;
      const name = source.slice(at + 1, end - 1);
      if (name === 'agency') atom = alternativesFirst(agencies.map(escapeRegex).join('|'), []);
      else atom = name in PLACEHOLDERS && name !== 'words' && name !== 'url' ? alternativesFirst(PLACEHOLDERS[name], agencies) : 'any';
    } else if (char === '\\') {
      end = at + 2;
      const escaped = source[at + 1];
      atom = escaped === 'd' ? { chars: new Set(DIGITS), nullable: false } : /[pPuxwSWDb]/.test(escaped) ? 'any' : { chars: new Set(), nullable: true };
    } else if (char === '[' || char === '.') {
      return 'any';
    } else {
      end = at + 1;
      atom = /[\p{L}\p{N}]/u.test(char) ? { chars: new Set([char.toLowerCase()]), nullable: false } : { chars: new Set(), nullable: true };
    }
    const quantifier = /^(?:\?|\*|\{0,?\d*\})/.exec(source.slice(end));
    if (quantifier) end += quantifier[0].length;
    if (atom === 'any') return 'any';
    for (const first of atom.chars) chars.add(first);
    if (!quantifier && !atom.nullable) return { chars, nullable: false };
    at = end;
  }
  return { chars, nullable: true };
}
