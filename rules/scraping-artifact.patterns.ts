import type { TextLine } from '../src/types.js';
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
  /** Sets of words a line the pattern matches holds one of each of (none: try it on any line). */
  anchors: Anchors[];
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
// No letter or digit just before / just after: {agency} is wrapped in these, and the anchor scan knows them.
const NO_WORD_BEFORE = '(?<![\\p{L}\\p{N}])';
const NO_WORD_AFTER = '(?![\\p{L}\\p{N}])';
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
 * What `derive` gives for a key, made once per list of agencies: placeholders ({month}, {stamp}) recur in
 * many patterns, dozens of times in the dateline ones. Results are shared: callers only read them.
 */
function memoized<T>(cache: WeakMap<string[], Map<string, T>>, agencies: string[], key: string, derive: () => T): T {
  let results = cache.get(agencies);
  if (!results) cache.set(agencies, (results = new Map()));
  if (!results.has(key)) results.set(key, derive());
  return results.get(key)!;
}

// Agency names hold no {agency}: what is derived from them is cached under this one list.
const NO_AGENCIES: string[] = [];

const placeholderSources = new WeakMap<string[], Map<string, string>>();

/** A placeholder's translation, made once per list of agencies and case mode. */
function translatedPlaceholder(name: string, agencies: string[], caseless: boolean, translate: () => string): string {
  return memoized(placeholderSources, agencies, `${caseless ? 'caseless' : 'i'} ${name}`, translate);
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
      else if (name === 'agency') out += translatedPlaceholder(name, agencies, caseless, () => `${NO_WORD_BEFORE}(?:${agencies.map((agency) => translatePattern(escapeRegex(agency), [], caseless)).join('|')})${NO_WORD_AFTER}`);
      else if (name in PLACEHOLDERS) out += translatedPlaceholder(name, agencies, caseless, () => `(?:${translatePattern(PLACEHOLDERS[name], agencies, caseless)})`);
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

// What a scope puts around the body: a line or start pattern has only spaces and punctuation (or nothing)
// before it, a line pattern after it too (1: no letter or digit just before a match, 2: just after).
const SCOPE_EDGES: Record<PhrasePattern['scope'], number> = { line: 3, start: 1, contains: 0, inline: 0 };

/**
 * Compile one pattern for its scope. Line and start patterns are sticky (tried at the line start only);
 * a `line` pattern must cover the whole trimmed line; a `contains` pattern is searched in the line. Patterns without `{name}` use the `i` flag.
 * With `lazy` the regular expression is built on first use: V8 takes milliseconds to parse a large `u` expression
 * with property classes, and most documents need few of the patterns.
 */
export function compilePattern(pattern: PhrasePattern, agencies: string[], lazy = false): CompiledPattern {
  const invalid = (error: unknown) => new Error(`scraping-artifact: pattern "${pattern.id}" is invalid: ${(error as Error).message.slice(-80)}`);
  const build = () => {
    try {
      const caseless = pattern.match.includes('{name}');
      const body = translatePattern(pattern.match, agencies, caseless);
      const source = pattern.scope === 'line' ? `${EDGE}(?:${body})${EDGE}$` : pattern.scope === 'start' ? `${EDGE}(?:${body})` : `(?:${body})`;
      return new RegExp(source, `${pattern.scope === 'inline' ? 'g' : pattern.scope === 'contains' ? '' : 'y'}u${caseless ? '' : 'i'}`);
    } catch (error) {
      throw invalid(error);
    }
  };
  let regex = lazy ? undefined : build();
  let anchors: Anchors[];
  try {
    anchors = patternAnchors(pattern.match, agencies, 3, SCOPE_EDGES[pattern.scope]);
  } catch (error) {
    throw invalid(error);
  }
  return {
    ...pattern,
    get regex() {
      return (regex ??= build());
    },
    wordLimit: pattern.maxWords ?? (pattern.scope === 'contains' ? 60 : 40),
    anchors,
  };
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

/** One element of a pattern source, as the gate derivations below read it. */
type PatternElement =
  | { kind: 'group'; end: number; text: string; body: string }
  | { kind: 'lookaround'; end: number; text: string; positive: boolean; body: string }
  | { kind: 'placeholder'; end: number; name: string }
  | { kind: 'escape'; end: number; escape: string }
  | { kind: 'class'; end: number }
  | { kind: 'char'; end: number; char: string };

/** The element of the pattern language that starts at `at` (its quantifier not included). */
function elementAt(source: string, at: number): PatternElement {
  const char = source[at];
  if (char === '(') {
    const end = closingParen(source, at) + 1;
    const text = source.slice(at, end);
    const lookaround = /^\(\?<?([=!])/.exec(text);
    if (lookaround) return { kind: 'lookaround', end, text, positive: lookaround[1] === '=', body: text.slice(lookaround[0].length, -1) };
    return { kind: 'group', end, text, body: text.slice(1, -1).replace(/^\?:/, '') };
  }
  if (char === '{' && /^\{[a-z]+\}/.test(source.slice(at))) {
    const end = source.indexOf('}', at) + 1;
    return { kind: 'placeholder', end, name: source.slice(at + 1, end - 1) };
  }
  if (char === '\\') {
    const escape = /^\\(?:[pP]\{[^}]+\}|u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/.exec(source.slice(at))![0];
    return { kind: 'escape', end: at + escape.length, escape };
  }
  if (char === '[') {
    let end = at + 1;
    while (end < source.length && source[end] !== ']') end += source[end] === '\\' ? 2 : 1;
    return { kind: 'class', end: end + 1 };
  }
  return { kind: 'char', end: at + 1, char };
}

/** The source a placeholder stands for when gates are derived, or undefined when it can match anything. */
function placeholderSource(name: string): string | undefined {
  return name in PLACEHOLDERS && name !== 'words' && name !== 'url' ? PLACEHOLDERS[name] : undefined;
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

const firstsCache = new WeakMap<string[], Map<string, Firsts | 'any'>>();

function alternativesFirst(source: string, agencies: string[]): Firsts | 'any' {
  return memoized(firstsCache, agencies, source, () => deriveAlternativesFirst(source, agencies));
}

function deriveAlternativesFirst(source: string, agencies: string[]): Firsts | 'any' {
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
    const element = elementAt(source, at);
    let atom: Firsts | 'any';
    if (element.kind === 'group') atom = alternativesFirst(element.body, agencies);
    // A lookaround matches no character: it does not decide what a line starts with.
    else if (element.kind === 'lookaround') atom = { chars: new Set(), nullable: true };
    else if (element.kind === 'placeholder') {
      const placeholder = placeholderSource(element.name);
      if (element.name === 'agency') atom = alternativesFirst(agencies.map(escapeRegex).join('|'), NO_AGENCIES);
      else atom = placeholder === undefined ? 'any' : alternativesFirst(placeholder, agencies);
    } else if (element.kind === 'escape') {
      const escaped = element.escape[1];
      atom = escaped === 'd' ? { chars: new Set(DIGITS), nullable: false } : /[pPuxwSWDb]/.test(escaped) ? 'any' : { chars: new Set(), nullable: true };
    } else if (element.kind === 'class' || element.char === '.') {
      return 'any';
    } else {
      atom = /[\p{L}\p{N}]/u.test(element.char) ? { chars: new Set([element.char.toLowerCase()]), nullable: false } : { chars: new Set(), nullable: true };
    }
    const { min, length } = quantifierAt(source, element.end);
    if (atom === 'any') return 'any';
    for (const first of atom.chars) chars.add(first);
    if (min > 0 && !atom.nullable) return { chars, nullable: false };
    at = element.end + length;
  }
  return { chars, nullable: true };
}

/** Literal openings of a sequence: the strings a match starts with at its first letter or digit, or `any`. */
type Openings = Set<string> | 'any';

// Above this many openings a pattern is tried without them: comparing costs more than it saves.
const MAX_OPENINGS = 200;

const openingsCache = new WeakMap<string[], Map<string, Openings>>();

function alternativesOpenings(source: string, agencies: string[]): Openings {
  return memoized(openingsCache, agencies, source, () => deriveAlternativesOpenings(source, agencies));
}

function deriveAlternativesOpenings(source: string, agencies: string[]): Openings {
  const all = new Set<string>();
  for (const alternative of splitTopLevel(source)) {
    const openings = sequenceOpenings(alternative, agencies);
    if (openings === 'any') return 'any';
    for (const opening of openings) all.add(opening);
  }
  return all.size > MAX_OPENINGS ? 'any' : all;
}

/**
 * The openings of a sequence: literal letters and digits after any leading punctuation (which a line's first
 * letter or digit skips too), up to the first part that is not a plain letter or digit. An empty opening is none.
 */
function sequenceOpenings(source: string, agencies: string[]): Openings {
  let openings = new Set(['']);
  const started = () => !openings.has('');
  const extend = (next: Set<string>): Openings => {
    const out = new Set<string>();
    for (const head of openings) for (const tail of next) out.add(head + tail);
    return out.size > MAX_OPENINGS ? 'any' : out;
  };
  let at = 0;
  while (at < source.length) {
    const element = elementAt(source, at);
    // What the element can open with (`any`: anything; `skip`: no letter or digit, zero-width, or punctuation).
    let atom: Openings | 'skip';
    if (element.kind === 'group') atom = alternativesOpenings(element.body, agencies);
    else if (element.kind === 'lookaround') atom = 'skip';
    else if (element.kind === 'placeholder') {
      const placeholder = placeholderSource(element.name);
      if (element.name === 'agency') atom = alternativesOpenings(agencies.map(escapeRegex).join('|'), NO_AGENCIES);
      else atom = placeholder === undefined ? 'any' : alternativesOpenings(placeholder, agencies);
    } else if (element.kind === 'escape') {
      const { escape } = element;
      if (escape === '\\d') atom = new Set(DIGITS);
      else if (escape.length === 2 && !/[\p{L}\p{N}]/u.test(escape[1]) && !/[pPuxwWSDbB]/.test(escape[1])) atom = 'skip';
      else atom = escape === '\\b' || escape === '\\B' ? 'skip' : 'any';
    } else if (element.kind === 'class' || element.char === '.' || /[\ud800-\udfff]/.test(element.char)) {
      return started() ? openings : 'any';
    } else {
      atom = /[\p{L}\p{N}]/u.test(element.char) ? new Set([element.char]) : 'skip';
    }
    const { min, length } = quantifierAt(source, element.end);
    const end = element.end + length;
    // A group of punctuation only (`(\\()?`) opens with no letter either.
    if (atom instanceof Set && atom.size === 1 && atom.has('')) atom = 'skip';
    if (atom === 'skip') {
      // Punctuation before the first letter or digit is skipped; after it, the opening ends.
      const zeroWidth = element.kind === 'lookaround' || (element.kind === 'escape' && (element.escape === '\\b' || element.escape === '\\B'));
      if (started() && !zeroWidth) return openings;
      at = end;
      continue;
    }
    if (atom === 'any') return started() ? openings : 'any';
    if (min === 0) {
      // An optional opening: either it or what follows opens the match.
      if (started()) return openings;
      const rest = sequenceOpenings(source.slice(end), agencies);
      if (rest === 'any' || atom.has('')) return 'any';
      const union = new Set([...atom, ...rest]);
      return union.size > MAX_OPENINGS ? 'any' : union;
    }
    if (atom.has('')) return started() ? openings : 'any';
    const next = extend(atom);
    if (next === 'any') return started() ? openings : 'any';
    openings = next;
    // Only a single letter or digit, once, lets the opening go on.
    if (!(length === 0 && element.kind === 'char')) return openings;
    at = end;
  }
  return openings;
}

/**
 * The lower-case strings a line a `line` or `start` pattern matches opens with at its first letter or digit
 * (one of them), or `any`: a pattern is tried only on lines that open with one of its openings.
 */
export function lineOpenings(source: string, agencies: string[] = []): string[] | 'any' {
  const found = sequenceOpenings(`(?:${source})`, agencies);
  if (found === 'any' || found.has('')) return 'any';
  const fold = foldUnits();
  return [...new Set([...found].map((opening) => Array.from(opening, (char) => String.fromCharCode(fold[char.charCodeAt(0)])).join('')))];
}

/**
 * Literal strings at least one of which every match holds (case-insensitively), or a digit when `digit` is set.
 * `edges[i]` says where a match has no letter or digit beside `words[i]`: 1 before it, 2 after it, 3 both.
 */
export interface Anchors {
  words: string[];
  edges: number[];
  digit: boolean;
}

// Higher is a rarer anchor: the weakest alternative decides; a punctuation mark counts as two letters, a digit as one and a half.
function anchorScore(anchors: Anchors): number {
  const wordScore = (word: string) => [...word].reduce((sum, char) => sum + (/[\p{L}\p{N}]/u.test(char) ? 1 : 2), 0);
  return Math.min(anchors.digit ? 1.5 : Infinity, ...anchors.words.map(wordScore));
}

const byScore = (conjuncts: Anchors[]) => conjuncts.map((anchors) => ({ anchors, score: anchorScore(anchors) })).sort((a, b) => b.score - a.score);

/** Anchors of `a|b|…`; `edges` says what is known around the whole (as in {@link Anchors}). */
const anchorsCache = new WeakMap<string[], Map<string, Anchors[]>>();

function alternativesAnchors(source: string, agencies: string[], edges: number): Anchors[] {
  return memoized(anchorsCache, agencies, `${edges} ${source}`, () => deriveAlternativesAnchors(source, agencies, edges));
}

function deriveAlternativesAnchors(source: string, agencies: string[], edges: number): Anchors[] {
  const alternatives = splitTopLevel(source).map((alternative) => sequenceAnchors(alternative, agencies, edges));
  if (alternatives.length === 1) return alternatives[0];
  const union: Anchors = { words: [], edges: [], digit: false };
  for (const conjuncts of alternatives) {
    const best = byScore(conjuncts)[0]?.anchors;
    if (!best) return [];
    union.words.push(...best.words);
    union.edges.push(...best.edges);
    union.digit ||= best.digit;
  }
  return [union];
}

/** The smallest number of times a quantifier lets its atom occur (1 without a quantifier), and its length. */
function quantifierAt(source: string, at: number): { min: number; length: number } {
  const quantifier = /^(?:([?*+])|\{(\d+)(?:,\d*)?\})\??/.exec(source.slice(at));
  if (!quantifier) return { min: 1, length: 0 };
  const min = quantifier[1] ? (quantifier[1] === '+' ? 1 : 0) : Number(quantifier[2]);
  return { min, length: quantifier[0].length };
}

const isWordChar = (char: string) => /[\p{L}\p{N}]/u.test(char);

/**
 * Every set of anchors a sequence requires (all of them must be in a matching line), with what is known
 * beside each word: after a space (a run of spaces or punctuation), a punctuation mark, `\s` or
 * {@link NO_WORD_BEFORE} no letter or digit precedes it; before a space, `\s`, {@link NO_WORD_AFTER} or `$` none follows.
 */
function sequenceAnchors(source: string, agencies: string[], edges: number): Anchors[] {
  const conjuncts: Anchors[] = [];
  let run = '';
  let runEdges = 0;
  // No letter or digit just before the current position.
  let clearBefore = (edges & 1) === 1;
  const flush = (clearAfter: boolean) => {
    if (run) conjuncts.push({ words: [run], edges: [runEdges | (clearAfter ? 2 : 0)], digit: false });
    run = '';
  };
  // No letter or digit at `at` (a space, `\s`, NO_WORD_AFTER or the end of the source, when edges allow).
  const clearAt = (at: number): boolean => {
    if (at >= source.length) return (edges & 2) === 2;
    if (source[at] === ' ') return quantifierAt(source, at + 1).min > 0;
    if (source.startsWith('\\s', at)) return quantifierAt(source, at + 2).min > 0;
    return source[at] === '$' || source.startsWith(NO_WORD_AFTER, at);
  };
  let at = 0;
  while (at < source.length) {
    const element = elementAt(source, at);
    let atom: Anchors[] = [];
    let literal: string | undefined;
    // An element that matches no character; `clear` after it is then what it tells of the position.
    let zeroWidth = false;
    // The element matches only characters that are no letter or digit.
    let notWord = false;
    if (element.kind === 'group' || element.kind === 'placeholder') {
      const { length } = quantifierAt(source, element.end);
      const around = length ? 0 : (clearBefore ? 1 : 0) | (clearAt(element.end) ? 2 : 0);
      // {agency} is wrapped in NO_WORD_BEFORE and NO_WORD_AFTER.
      if (element.kind === 'group') atom = alternativesAnchors(element.body, agencies, around);
      else if (element.name === 'agency') atom = alternativesAnchors(agencies.map(escapeRegex).join('|'), NO_AGENCIES, 3);
      else if (element.name in PLACEHOLDERS) atom = alternativesAnchors(PLACEHOLDERS[element.name], agencies, around);
    } else if (element.kind === 'lookaround') {
      // A positive lookaround's text is in the line too; a negative one requires nothing.
      if (element.positive) atom = alternativesAnchors(element.body, agencies, 0);
      zeroWidth = true;
      if (element.text === NO_WORD_BEFORE) clearBefore = true;
    } else if (element.kind === 'escape') {
      const { escape } = element;
      if (escape === '\\d') atom = [{ words: [], edges: [], digit: true }];
      else if (escape.length === 2 && /[^\p{L}\p{N}\s]/u.test(escape[1])) literal = escape[1];
      zeroWidth = escape === '\\b' || escape === '\\B';
      notWord = escape === '\\s';
    } else if (element.kind === 'char') {
      const { char } = element;
      // A space stands for a run of spaces or punctuation, an apostrophe for any apostrophe or none;
      // half an astral character has no case of its own to fold.
      if (!/[ '.^$\ud800-\udfff]/.test(char)) literal = char;
      zeroWidth = char === '^' || char === '$';
      notWord = char === ' ';
      if (char === '^') clearBefore = true;
    }
    const { min, length } = quantifierAt(source, element.end);
    if (literal !== undefined && length === 0) {
      if (!run) runEdges = clearBefore ? 1 : 0;
      run += literal;
      clearBefore = !isWordChar(literal);
    } else {
      flush(clearAt(at));
      if (literal !== undefined && min > 0) conjuncts.push({ words: [literal], edges: [0], digit: false });
      if (min > 0) conjuncts.push(...atom);
      if (!zeroWidth) clearBefore = (notWord || (literal !== undefined && !isWordChar(literal))) && (min > 0 || clearBefore);
    }
    at = element.end + length;
  }
  flush((edges & 2) === 2);
  return conjuncts;
}

/**
 * Sets of literal words (or a digit) that every line a pattern in the pattern language matches holds,
 * one of each set, case-insensitively: the rarest `limit` sets. None when none can be derived, and the
 * pattern must always be tried. `edges` is what the pattern's scope tells of a match's sides (as in {@link Anchors}).
 */
export function patternAnchors(source: string, agencies: string[] = [], limit = 3, edges = 0): Anchors[] {
  return byScore(alternativesAnchors(source, agencies, edges))
    .slice(0, limit)
    .map(({ anchors }) => {
      // A word found twice keeps only what both places tell of its sides.
      const byWord = new Map<string, number>();
      anchors.words.forEach((word, index) => byWord.set(word, (byWord.get(word) ?? 3) & anchors.edges[index]));
      return { words: [...byWord.keys()], edges: [...byWord.values()], digit: anchors.digit };
    });
}

let foldTable: Uint16Array | undefined;

/**
 * Each UTF-16 unit upper- then lower-cased (when that gives one unit): units a case-insensitive
 * regular expression takes as equal fold alike ("ſ" to "s", the Kelvin sign to "k", "ẞ" and "ß" to "ß").
 */
export function foldUnits(): Uint16Array {
  if (foldTable) return foldTable;
  foldTable = new Uint16Array(0x10000);
  for (let code = 0; code < 0x10000; code++) {
    const folded = code >= 0xd800 && code <= 0xdfff ? '' : String.fromCharCode(code).toUpperCase().toLowerCase();
    foldTable[code] = folded.length === 1 ? folded.charCodeAt(0) : code;
  }
  return foldTable;
}

/** Finds, in one pass over a text, which lines hold a word of each of several sets (case-insensitively). */
export interface AnchorScanner {
  /** How many sets of words (a set's id is its index). */
  sets: number;
  /** Set `lineSets[line * sets + set]` and `documentSets[set]` to 1 for each set with a word in the line, in the text. */
  mark(text: string, lines: TextLine[], lineSets: Uint8Array, documentSets: Uint8Array): void;
}

/** Whether the code point at `at` (or, `before`, the one ending just before it) is a letter or a digit. */
function wordCharAt(text: string, at: number, before: boolean): boolean {
  const index = before ? at - 1 : at;
  if (index < 0 || index >= text.length) return false;
  const code = text.charCodeAt(index);
  if (code < 128) return (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122);
  // Before: a low surrogate ends the code point its high surrogate starts.
  const pair = before && code >= 0xdc00 && code <= 0xdfff && index > 0 && (text.charCodeAt(index - 1) & 0xfc00) === 0xd800;
  return isWordChar(String.fromCodePoint(text.codePointAt(pair ? index - 1 : index)!));
}

/**
 * An Aho-Corasick automaton over the folded words of each set. Hand-written: V8 searches a regular
 * expression of a few hundred alternatives ten times slower with `i`, a hundred times with `iu`.
 * Words are of BMP characters (patternAnchors leaves astral ones out). `edges[set][i]` (as in
 * {@link Anchors}) makes the scan count word `i` of a set only where no letter or digit is beside it.
 */
export function compileAnchorScanner(wordSets: string[][], edges: number[][] = []): AnchorScanner {
  const fold = foldUnits();
  const classOf = new Uint16Array(0x10000);
  const transitions: Map<number, number>[] = [new Map()];
  // Per state, the words ending there: [set, length, edges].
  const own: [number, number, number][][] = [[]];
  let classes = 1;
  wordSets.forEach((words, set) => {
    words.forEach((word, index) => {
      const units = Array.from(word, (char) => fold[char.charCodeAt(0)]);
      let state = 0;
      for (const unit of units) {
        if (classOf[unit] === 0) classOf[unit] = classes++;
        let next = transitions[state].get(classOf[unit]);
        if (next === undefined) {
          next = transitions.push(new Map()) - 1;
          own.push([]);
          transitions[state].set(classOf[unit], next);
        }
        state = next;
      }
      own[state].push([set, units.length, edges[set]?.[index] ?? 0]);
    });
  });
  const classOfUnit = new Uint16Array(0x10000);
  for (let code = 0; code < 0x10000; code++) classOfUnit[code] = classOf[fold[code]];
  const width = classes;
  const next = new Int32Array(transitions.length * width);
  const fail = new Int32Array(transitions.length);
  const outputs: [number, number, number][][] = new Array(transitions.length);
  outputs[0] = [];
  const queue: number[] = [];
  for (const [unitClass, child] of transitions[0]) {
    next[unitClass] = child;
    queue.push(child);
  }
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head];
    const unique = new Map([...own[state], ...outputs[fail[state]]].map((output) => [output.join(), output]));
    outputs[state] = [...unique.values()];
    for (let unitClass = 0; unitClass < width; unitClass++) {
      const child = transitions[state].get(unitClass);
      const fallback = next[fail[state] * width + unitClass];
      if (child === undefined) next[state * width + unitClass] = fallback;
      else {
        fail[child] = fallback;
        next[state * width + unitClass] = child;
        queue.push(child);
      }
    }
  }
  // The words ending in each state, flat: state s has outputSets[outputStart[s]..outputStart[s + 1]), and as many lengths and edges.
  const outputStart = new Int32Array(transitions.length + 1);
  outputs.forEach((found, state) => (outputStart[state + 1] = outputStart[state] + found.length));
  const outputSets = Int32Array.from(outputs.flat(), (output) => output[0]);
  const outputLengths = Int32Array.from(outputs.flat(), (output) => output[1]);
  const outputEdges = Uint8Array.from(outputs.flat(), (output) => output[2]);
  const sets = wordSets.length;
  // The scan's per-unit reads: a 16-bit table (half the cache a 32-bit one takes) and a flag per state with words.
  const table = transitions.length <= 0x10000 ? Uint16Array.from(next) : next;
  const hasOutput = Uint8Array.from(transitions, (_, state) => (outputStart[state] === outputStart[state + 1] ? 0 : 1));
  return {
    sets,
    mark(text, lines, lineSets, documentSets) {
      let state = 0;
      let line = 0;
      // Past the last line start: the text's length (a small integer keeps the loop's compares cheap).
      let nextLineStart = lines.length > 1 ? lines[1].start : text.length;
      for (let at = 0; at < text.length; at++) {
        state = table[state * width + classOfUnit[text.charCodeAt(at)]];
        if (hasOutput[state] === 0) continue;
        while (at >= nextLineStart) nextLineStart = ++line + 1 < lines.length ? lines[line + 1].start : text.length;
        for (let output = outputStart[state]; output < outputStart[state + 1]; output++) {
          const slot = line * sets + outputSets[output];
          if (lineSets[slot] === 1) continue;
          const sides = outputEdges[output];
          if (sides !== 0 && (((sides & 1) === 1 && wordCharAt(text, at + 1 - outputLengths[output], true)) || ((sides & 2) === 2 && wordCharAt(text, at + 1, false)))) continue;
          lineSets[slot] = 1;
          documentSets[outputSets[output]] = 1;
        }
      }
    },
  };
}
