import { createRequire } from 'node:module';
import type { Refiner } from 'chrono-node';
import type { Chrono, ParsingComponents, ParsingResult } from 'chrono-node/en';
import { defineRule } from '../src/rule.js';
import { readPackageJson } from '../src/schema.js';

/** The word lists of the rule (rules/implausible-date.data.json). */
export interface DateWordLists {
  months: string[];
  futureCues: string[];
  pastCues: string[];
  neutralCues: string[];
  historyCues: string[];
  recentCues: string[];
}

interface Options {
  /** A corrected date up to this many days before the document date counts as recent. */
  recentDaysBefore: number;
  /** A corrected date up to this many days after the document date counts as recent. */
  recentDaysAfter: number;
  /** Days a dated event may stand on the wrong side of the document date before tense contradicts it. */
  tenseToleranceDays: number;
  /** Most keystrokes (digit edits or swaps) between a written year and the document's year for a typo. */
  maxYearKeystrokes: number;
  /** Words added to the shipped lists. */
  addWords: Partial<DateWordLists>;
  /** Words removed from the shipped lists. */
  removeWords: Partial<DateWordLists>;
}

const listNames = ['months', 'futureCues', 'pastCues', 'neutralCues', 'historyCues', 'recentCues'] as const;
const wordListsSchema = {
  type: 'object',
  properties: Object.fromEntries(listNames.map((name) => [name, { type: 'array', items: { type: 'string', minLength: 1 } }])),
  additionalProperties: false,
  default: {},
};

// Checked against rules/implausible-date.data.schema.json by test/implausible-date.test.ts, not at
// every start: an ajv instance and its compile cost ~25 ms of each process's start-up.
const shippedWords = readPackageJson<DateWordLists>('rules/implausible-date.data.json');

const DAY_MS = 86_400_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Days in a month of a year; with no year, the most a month can have (February 29). */
export function daysInMonth(month: number, year?: number): number {
  return new Date(Date.UTC(year ?? 2000, month, 0)).getUTCDate();
}

/** Day number (days since 1970-01-01, UTC) of a calendar date. */
function dayNumber(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

/**
 * Keystrokes between two strings: edits, with a swap of neighbours counting once
 * (optimal string alignment; hand-written because it is ten lines on 4-digit years).
 */
export function keystrokes(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function escapeWord(word: string): string {
  return escapeRegExp(word.trim()).replace(/\s+/g, '\\s+');
}

// One word-boundary lookbehind around the whole alternation (not one per branch) lets the regex
// engine skip ahead by first characters: this alternation ran at 1.5 s per 7 MB with per-branch lookarounds.
function alternation(words: string[]): string {
  const sorted = [...new Set(words.map((word) => word.trim()).filter(Boolean))].sort((a, b) => b.length - a.length);
  if (sorted.length === 0) return '(?!)';
  const wordLike = sorted.filter((word) => /^[\p{L}\p{N}]/u.test(word)).map(escapeWord);
  const other = sorted.filter((word) => !/^[\p{L}\p{N}]/u.test(word)).map((word) => `${escapeWord(word)}(?![\\p{L}\\p{N}])`);
  const grouped = wordLike.length > 0 ? [`(?<![\\p{L}\\p{N}])(?:${wordLike.join('|')})(?![\\p{L}\\p{N}])`] : [];
  return [...grouped, ...other].join('|');
}

/** An alternation of cue words with no word boundaries: a superset of what `alternation` finds. */
function unbounded(words: string[]): string {
  const escaped = words.map((word) => word.trim()).filter(Boolean).map(escapeWord);
  return escaped.length === 0 ? '(?!)' : escaped.join('|');
}

/**
 * Month names (longest first) that no letter precedes, grouped by first character with the lookbehind
 * after it: the same matches as `(?<![\p{L}])(?:January|…)`, but V8 looks for the first characters
 * instead of trying the lookbehind at every position (the candidate scan runs about 20% faster).
 */
function afterLetterBoundary(months: string[]): string {
  const byFirst = new Map<string, string[]>();
  for (const month of [...new Set(months)].sort((a, b) => b.length - a.length)) {
    const [first, ...rest] = month;
    byFirst.set(first, [...(byFirst.get(first) ?? []), escapeRegExp(rest.join(''))]);
  }
  return [...byFirst].map(([first, rests]) => `${escapeRegExp(first)}(?<![\\p{L}]${escapeRegExp(first)})(?:${rests.join('|')})`).join('|');
}

interface Compiled {
  /** Cheap prefilter: a month name by a number, or a numeric date, where a date may stand. */
  candidate: RegExp;
  /** Tense cues (case-sensitive), one named group per class; at one position the longer cue wins. */
  tense: RegExp;
  history: RegExp;
  recent: RegExp;
  /** A month name (and day) just before a range's closing day: "March 31-April 2". */
  monthBefore: RegExp;
  /** The cues with no word boundaries: anywhere in a sentence they find every cue `tense` and `recent` find in a part of it. */
  futureAnywhere: RegExp;
  pastAnywhere: RegExp;
  recentAnywhere: RegExp;
  /** A past cue, then at most three words and "on"/"in" (`TIGHT_GAP`), or a letter or digit right after it. */
  governingPastAnywhere: RegExp;
}

const compiledByOptions = new WeakMap<Options, Compiled>();

function compile(options: Options): Compiled {
  const cached = compiledByOptions.get(options);
  if (cached) return cached;
  const lists = Object.fromEntries(
    listNames.map((name) => {
      const removed = new Set((options.removeWords[name] ?? []).map((word) => word.toLowerCase()));
      return [name, [...shippedWords[name], ...(options.addWords[name] ?? [])].filter((word) => !removed.has(word.toLowerCase()))];
    }),
  ) as unknown as DateWordLists;
  const months = [...new Set(lists.months)].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const compiled: Compiled = {
    // A capitalised month name ("may" and "march" are verbs) next to a number: a month alone is never reported.
    candidate: new RegExp(`(?:${afterLetterBoundary(lists.months)})\\.?,?\\s+\\d|\\d(?:st|nd|rd|th)?[\\s-]+(?:of\\s+)?(?:${months.join('|')})(?![\\p{L}])|(?<![\\d])\\d{4}[-./]\\d{1,2}[-./]\\d{1,2}(?![\\d])|(?<![\\d/])\\d{1,2}/\\d{1,2}/\\d{2,4}(?![\\d/])`, 'gu'),
    tense: new RegExp(`(?<future>${alternation(lists.futureCues)})|(?<past>${alternation(lists.pastCues)})|(?<neutral>${alternation(lists.neutralCues)})`, 'gu'),
    history: new RegExp(alternation(lists.historyCues), 'iu'),
    recent: new RegExp(alternation(lists.recentCues), 'iu'),
    monthBefore: new RegExp(`(?<![\\p{L}])(?:${months.join('|')})\\.?\\s+$`, 'u'),
    futureAnywhere: new RegExp(unbounded(lists.futureCues), 'u'),
    pastAnywhere: new RegExp(unbounded(lists.pastCues), 'u'),
    recentAnywhere: new RegExp(unbounded(lists.recentCues), 'iu'),
    governingPastAnywhere: new RegExp(`(?:${unbounded(lists.pastCues)})(?:\\s+(?:[\\p{L}'’-]+\\s+){0,3}(?:on|in)\\s|(?=[\\p{L}\\p{N}]))`, 'u'),
  };
  compiledByOptions.set(options, compiled);
  return compiled;
}

// Chrono drops dates that do not exist ("February 30") in its last filter; this refiner, run first,
// keeps a copy of them so that they can be reported rather than silently skipped.
let capturedInvalid: ParsingResult[] = [];
const captureInvalid: Refiner = {
  refine(_context, results) {
    for (const result of results) if (!result.start.isValidDate()) capturedInvalid.push(result);
    return results;
  },
};
// Times of day and relative phrases ("3 p.m.", "two days ago", "tomorrow") never carry a calendar date
// worth checking; dropping their parsers makes chrono about twice as fast. Matched by class name.
const unusedParsers = /^EN(?:TimeUnit\w*|TimeExpression|Casual\w*|RelativeDateFormat|EndOfCurrentMonth)Parser$/;
let parser: Chrono | undefined;

/** Chrono with the parsers the rule uses, loaded on first use (~35 ms): most documents never need it. */
function chronoParser(): Chrono {
  if (parser) return parser;
  // The English locale alone (the package root loads every locale, ~4× the start-up time), required
  // rather than imported so that loading it waits for the first window chrono must read.
  const en = createRequire(import.meta.url)('chrono-node/en') as typeof import('chrono-node/en');
  const configuration = en.configuration.createCasualConfiguration(false);
  configuration.parsers = configuration.parsers.filter((candidateParser) => !unusedParsers.test(candidateParser.constructor.name));
  configuration.refiners.unshift(captureInvalid);
  return (parser = new en.Chrono(configuration));
}

/** A date found in a document, with its parsed components. */
export interface FoundDate {
  start: number;
  end: number;
  written: string;
  year?: number;
  month: number;
  day?: number;
  weekday?: number;
  /** The year chrono assumed when none was written (from the reference date). */
  impliedYear: number;
  /** A date that does not exist, e.g. "31 June". */
  invalid: boolean;
  /** Sentence around the date (offsets into the document). */
  sentenceStart: number;
  sentenceEnd: number;
}

const ABBREVIATION = '(?<!(?<![\\p{L}])(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mr|Mrs|Ms|Dr|St|Gen|Gov|Sen|Rep|Lt|Col|Sgt|Capt|Prof|Inc|Corp|Co|Ltd|No|vs|Jr|Sr|[A-Z]))';
// A sentence ends at . ! ? before a capital or digit (not after an abbreviation), at a blank line,
// or at a line break before an indented line (the paragraph break of wire copy).
const SENTENCE_BREAK = new RegExp(`${ABBREVIATION}[.!?]["”’)\\]]*\\s+(?=["“‘(\\[]?[\\p{Lu}\\d])|\\n[ \\t]*\\n|\\n(?=[ \\t]+\\S)`, 'gu');
const SENTENCE_WINDOW = 600;
const PARSE_MARGIN = 48;

/** The sentence around `[from, to)`: offsets of its start and end. */
export function sentenceAround(text: string, from: number, to: number): [number, number] {
  const windowStart = Math.max(0, from - SENTENCE_WINDOW);
  const windowEnd = Math.min(text.length, to + SENTENCE_WINDOW);
  const window = text.slice(windowStart, windowEnd);
  let start = windowStart;
  let end = windowEnd;
  SENTENCE_BREAK.lastIndex = 0;
  for (let match = SENTENCE_BREAK.exec(window); match; match = SENTENCE_BREAK.exec(window)) {
    const breakStart = windowStart + match.index;
    const breakEnd = breakStart + match[0].length;
    if (breakEnd <= from) start = breakEnd;
    else if (breakStart >= to) {
      end = breakStart + (/^[.!?]/.test(match[0]) ? 1 : 0);
      break;
    }
  }
  return [start, end];
}

function componentsOf(components: ParsingComponents) {
  return {
    year: components.isCertain('year') ? components.get('year') ?? undefined : undefined,
    month: components.get('month') ?? 0,
    day: components.isCertain('day') ? components.get('day') ?? undefined : undefined,
    weekday: components.isCertain('weekday') ? components.get('weekday') ?? undefined : undefined,
    impliedYear: components.get('year') ?? 0,
  };
}

/** A stretch of text chrono reads: `[start, end)`, inside the sentence `[sentenceStart, sentenceEnd)`. */
export interface DateWindow {
  start: number;
  end: number;
  sentenceStart: number;
  sentenceEnd: number;
}

/** Windows around prefilter hits (merged when they overlap, never across a sentence end): chrono reads these, never the whole text. */
export function dateWindows(text: string, candidate: RegExp): DateWindow[] {
  const windows: DateWindow[] = [];
  candidate.lastIndex = 0;
  for (let hit = candidate.exec(text); hit; hit = candidate.exec(text)) {
    const [sentenceStart, sentenceEnd] = sentenceAround(text, hit.index, hit.index + hit[0].length);
    let last: DateWindow | undefined;
    for (; hit && hit.index < sentenceEnd; hit = candidate.exec(text)) {
      const from = Math.max(sentenceStart, text.lastIndexOf(' ', Math.max(sentenceStart, hit.index - PARSE_MARGIN)));
      let to = text.indexOf(' ', Math.min(sentenceEnd, hit.index + hit[0].length + PARSE_MARGIN));
      to = to < 0 || to > sentenceEnd ? sentenceEnd : to;
      if (last && from <= last.end) last.end = Math.max(last.end, to);
      else windows.push((last = { start: from, end: to, sentenceStart, sentenceEnd }));
    }
    candidate.lastIndex = hit ? hit.index : text.length;
    if (!hit) break;
  }
  return windows;
}

// Chrono costs 30 to 80 µs a window, so it reads a window only when the window may hold a date that
// `check` can report. Each test is a superset of what chrono's English parsers (chrono-node/dist/esm/
// locales/en/parsers, case-insensitive) need to produce such a date: a gate that rejected one of
// them would lose a finding, so a test may let through more, never less.
const MONTH_WORD = '(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)(?![a-z])';
const DAY_PAST_28 = '(?:29|[3-9]\\d)(?!\\d)';
/** A day past the 28th in a numeric date (slash, year-month-day with a month past 12 swapped with the day: "1987 31-2"), or as an ordinal word. */
const LATE_DAY_UNNAMED = new RegExp(
  [
    `\\d/(?:29|3\\d)(?!\\d)|(?<!\\d)(?:29|3\\d)/\\d|\\d[-.](?:29|3\\d)[-./]\\d|(?<!\\d)(?:29|3\\d)[-.]\\d{1,2}[-./]\\d`,
    `\\d{4}[-./\\s](?:${MONTH_WORD}\\.?|\\d{1,2})[-./\\s]${DAY_PAST_28}|\\d{4}[-./\\s]${DAY_PAST_28}[-./\\s]\\d`,
    'ninth|thirt',
  ].join('|'),
  'i',
);
// Chrono's month-name parsers drop a day past 31.
const NAMED_LATE_DAY = /(?<!\d)(?:29|3[01])(?!\d)/g;
const ORDINAL = '(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|(?:twenty|thirty)[ -](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|\\d{1,2}(?:st|nd|rd|th)?)';
/** Chrono's little-endian pattern after its first day: "31 June", "31st of June", "29 to 31 June" (only one month can follow). */
const MONTH_AFTER_DAY = new RegExp(`(?:st|nd|rd|th)?(?:\\s{0,3}(?:to|-|–|until|through|till)\\s{0,3}${ORDINAL})?(?:-|/|\\s{0,3}(?:of)?\\s{0,3})(${MONTH_WORD})`, 'iy');
/** Chrono's middle-endian pattern before its day: "June 31", "Sept. 30". */
const MONTH_BEFORE_DAY = new RegExp(`(${MONTH_WORD})\\.?(?:-|/|\\s*,?\\s*)$`, 'i');
/** The fewest days a month has (February 28), by the first three letters of its name. */
const FEWEST_DAYS: Record<string, number> = { jan: 31, feb: 28, mar: 31, apr: 30, may: 31, jun: 30, jul: 31, aug: 31, sep: 30, oct: 31, nov: 30, dec: 31 };
const exceeds = (day: number, monthWord: string) => day > FEWEST_DAYS[monthWord.slice(0, 3).toLowerCase()];

/**
 * Whether a window holds a day its month may not have: a day past the month's fewest days read with
 * a month name the way chrono's middle-endian ("June 31") or little-endian ("31 June", "29 to 31
 * June") patterns read it, or a late day in a numeric date or as a word.
 */
function hasLateDay(window: string): boolean {
  if (LATE_DAY_UNNAMED.test(window)) return true;
  NAMED_LATE_DAY.lastIndex = 0;
  for (let number = NAMED_LATE_DAY.exec(window); number; number = NAMED_LATE_DAY.exec(window)) {
    const day = Number(number[0]);
    const before = MONTH_BEFORE_DAY.exec(window.slice(0, number.index));
    if (before && exceeds(day, before[1])) return true;
    MONTH_AFTER_DAY.lastIndex = number.index + number[0].length;
    const after = MONTH_AFTER_DAY.exec(window);
    if (after && exceeds(day, after[1])) return true;
  }
  return false;
}
/** A weekday right before a date with a day ("Friday, April 3", "Fri 3/4/87", "Monday end of April"): chrono gives a date a weekday only by merging the two. */
const WEEKDAY_BEFORE_DATE = new RegExp(`(?:sunday|monday|tuesday|wednesday|thursday|friday|saturday|sun|mon|tue|wed|thurs?|thu|fri|sat|weekend|weekday)(?![a-z0-9_])[\\s,.)）]*(?:(?:of\\s*)?(?:this|last|past|next)\\s*week[\\s,]*)?(?:(?:last\\s+day|end)\\s+of\\s+(?:the\\s+)?)?(?:on\\s*)?(?:\\d|${MONTH_WORD}|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|\\w+teenth|twent|thirt)`, 'i');
/** A numeric date that starts with a year, which a month 13 ("2025-13-02") needs. */
const YEAR_FIRST_DATE = /\d{4}[-./]\d{1,2}[-./]\d/;
/** A year with an era ("87 AD"): the only written year of fewer than four digits. */
const ERA_YEAR = /\d\s{0,2}(?:be|ad|bc|ce)/i;

/** Which cues a sentence holds anywhere, as far as the tense and year checks of `check` can use them. */
interface SentenceCues {
  future: boolean;
  /** A past cue that may govern a date: a few words and "on"/"in" before it, or nothing between. */
  governingPast: boolean;
  /** A past cue and a clause that "On" or "In" opens: a timeline. */
  pastTimeline: boolean;
  recent: boolean;
}

function sentenceCues(sentence: string, compiled: Compiled): SentenceCues {
  const clauseOpening = /(?:^|[,;:()—–])[\s"“(]*(?:[Oo]n|[Ii]n)\s/u.test(sentence);
  const past = compiled.pastAnywhere.test(sentence);
  return {
    future: compiled.futureAnywhere.test(sentence),
    governingPast: past && (clauseOpening || compiled.governingPastAnywhere.test(sentence)),
    pastTimeline: past && clauseOpening,
    recent: compiled.recentAnywhere.test(sentence),
  };
}

/**
 * Whether a window may hold a date that `check` reports. Without a document date only an impossible
 * date or a weekday mismatch can be reported; with one, a dated event in the tense or typo checks needs
 * its year written out (`written` includes it: four digits, or an era), on the side of the document's
 * year and with the cue that check needs.
 */
function mayHoldFinding(window: string, docYear: number | undefined, cues: () => SentenceCues, maxYearKeystrokes: number): boolean {
  if (hasLateDay(window) || WEEKDAY_BEFORE_DATE.test(window) || YEAR_FIRST_DATE.test(window)) return true;
  if (docYear === undefined) return false;
  if (ERA_YEAR.test(window)) return true;
  // Every four digits in a row may be the year: `written` includes it.
  let digits = 0;
  for (let at = 0; at < window.length; at++) {
    const code = window.charCodeAt(at);
    digits = code >= 48 && code <= 57 ? digits + 1 : 0;
    if (digits < 4) continue;
    const year = Number(window.slice(at - 3, at + 1));
    const { future, governingPast, pastTimeline, recent } = cues();
    // futureTenseInPast needs a date before the document date, pastTenseInFuture one after it.
    if ((future && year <= docYear) || (governingPast && year >= docYear)) return true;
    // yearTypo needs a recent-time phrase, or (two years off or more) a past timeline.
    if (year !== docYear && (recent || (pastTimeline && Math.abs(year - docYear) >= 2)) && keystrokes(String(year), String(docYear)) <= maxYearKeystrokes) return true;
  }
  return false;
}

/** Dates chrono finds in a window of the text, invalid ones ("June 31") included. */
export function datesIn(text: string, { start: windowStart, end: windowEnd, sentenceStart, sentenceEnd }: DateWindow, instant: Date, referenced: boolean): FoundDate[] {
  const found: FoundDate[] = [];
  const sentence = text.slice(windowStart, windowEnd).replace(/[\r\n]/g, ' ');
  capturedInvalid = [];
  const valid = chronoParser().parse(sentence, { instant, timezone: 0 });
  const invalid = capturedInvalid
    .filter((result) => {
      const { month, day, year, impliedYear } = componentsOf(result.start as ParsingComponents);
      // "February 29" with no year is impossible only when the year around the document date is no leap year.
      return month >= 1 && month <= 12 && day !== undefined && day > daysInMonth(month, year ?? (referenced ? impliedYear : undefined));
    })
    .sort((a, b) => a.index - b.index || b.text.length - a.text.length)
    .filter((result, index, all) => index === 0 || all[index - 1].index + all[index - 1].text.length <= result.index);
  capturedInvalid = [];
  const overlapsInvalid = (result: { index: number; text: string }) =>
    invalid.some((bad) => bad.index < result.index + result.text.length && result.index < bad.index + bad.text.length);
  const results = [
    ...invalid.map((result) => ({ result, invalid: true })),
    ...valid.filter((result) => !overlapsInvalid(result)).map((result) => ({ result, invalid: false })),
  ].sort((a, b) => a.result.index - b.result.index);
  for (const { result, invalid: isInvalid } of results) {
    if (!result.start.isCertain('month')) continue;
    // Chrono may take in leading words ("On", "for three years until May 1990"): the date starts at a month, weekday or digit.
    const skip = Math.max(0, result.text.search(/(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)|\d/u));
    const written = result.text.slice(skip).replace(/[\s,.;:]+$/, '');
    const start = windowStart + result.index + skip;
    found.push({
      start,
      end: start + written.length,
      written: text.slice(start, start + written.length),
      ...componentsOf(result.start as ParsingComponents),
      invalid: isInvalid,
      sentenceStart,
      sentenceEnd,
    });
  }
  return found;
}

type Tense = 'future' | 'past' | 'neutral';

/** Whether a date opens its clause: "On July 21, 2025, the President held…". */
export function opensClause(sentence: string, dateStart: number, dateEnd: number): boolean {
  const before = sentence.slice(0, dateStart);
  const clause = before.replace(/^.*[,;:()—–]/su, '');
  // At the start of a sentence the comma after the date may be missing; inside one it marks the clause.
  const comma = clause === before ? /^,?\s/u : /^,\s/u;
  return /^[\s"“(]*(?:[Oo]n|[Ii]n)\s+$/u.test(clause) && comma.test(sentence.slice(dateEnd));
}

const tenseOf = (match: RegExpMatchArray): Tense => (match.groups?.future ? 'future' : match.groups?.past ? 'past' : 'neutral');
// "will" is a noun after a determiner ("against her will"), and no verb before punctuation.
const NOUN_WILL = /(?<![\p{L}])(?:her|his|their|my|your|our|its|the|a|free|good|political|own)\s+$/iu;
// Between a past verb and its date: up to three words, none of them a preposition that hands the date to a noun.
const TIGHT_GAP = /^\s+(?:(?!(?:for|of|as|to|from|until|through|by|with|at|under)\s)[\p{L}'’-]+\s+){0,3}(?:on|in)\s+$/u;
const AUXILIARY_BE = /(?<![\p{L}])(?:be|been|being|is|are|am|was|were|get|gets|got|to)\s+$/iu;

/**
 * The tense of the clause around a date: the nearest cue before it in the same clause (no comma or
 * semicolon between), or the first cue after it when the date opens the sentence ("On July 21, 2025, …").
 */
export function tenseAround(sentence: string, dateStart: number, dateEnd: number, tense: RegExp): { tense: Tense; gap: string } | undefined {
  const before = sentence.slice(0, dateStart);
  // A weekday and its comma belong to the date ("on Tuesday, March 3, 2026").
  const clauseStart = before.replace(/(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s*$/u, '').search(/[^,;:()—–]*$/u);
  const clause = before.slice(clauseStart);
  const words = clause.split(/(?<=\s)/);
  const nearOffset = clauseStart + words.slice(0, Math.max(0, words.length - 12)).join('').length;
  const near = sentence.slice(nearOffset, dateStart);
  const matches = [...near.matchAll(tense)];
  for (let index = matches.length - 1; index >= 0; index--) {
    const match = matches[index];
    const kind = tenseOf(match);
    const preceding = near.slice(0, match.index);
    const following = near.slice(match.index! + match[0].length);
    if (match[0] === 'will' && (NOUN_WILL.test(preceding) || !/^\s+\p{Ll}/u.test(following))) continue;
    // "will be held", "is launched": a participle after a form of be is not the finite verb.
    if (kind === 'past' && AUXILIARY_BE.test(preceding)) continue;
    return { tense: kind, gap: following };
  }
  if (opensClause(sentence, dateStart, dateEnd)) {
    const after = sentence.slice(dateEnd).replace(/^,/, ' ').split(/(?<=\s)/).slice(0, 10).join('');
    for (const match of after.matchAll(tense)) {
      if (match[0] === 'will' && !/^\s+\p{Ll}/u.test(after.slice(match.index! + 4))) continue;
      return { tense: tenseOf(match), gap: '' };
    }
  }
  return undefined;
}

/** Whether `[start, end)` stands inside a short quoted title ("Fahrenheit 9/11", “July 4, 1976”). */
export function inQuotedTitle(text: string, start: number, end: number): boolean {
  const lineStart = text.lastIndexOf('\n', start) + 1;
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd < 0) lineEnd = text.length;
  const before = text.slice(Math.max(lineStart, start - 80), start);
  const after = text.slice(end, Math.min(lineEnd, end + 80));
  const open = Math.max(before.lastIndexOf('“'), before.lastIndexOf('"'));
  if (open < 0) return false;
  if (before.lastIndexOf('”') > open) return false;
  const closeAt = after.search(/["”]/);
  if (closeAt < 0) return false;
  const quoted = before.slice(open + 1) + text.slice(start, end) + after.slice(0, closeAt);
  if (before[open] === '"' && (text.slice(lineStart, start).split('"').length - 1) % 2 === 0) return false;
  return quoted.length <= 60 && !/[.!?;]\s/.test(quoted) && quoted.trim().split(/\s+/).length <= 10;
}

function isoOf(year: number | undefined, month: number, day?: number): string {
  return [year === undefined ? '????' : String(year).padStart(4, '0'), String(month).padStart(2, '0'), ...(day === undefined ? [] : [String(day).padStart(2, '0')])].join('-');
}

function withYear(written: string, from: number, to: number): string | undefined {
  const year = String(from);
  const at = written.lastIndexOf(year);
  return at < 0 ? undefined : written.slice(0, at) + String(to) + written.slice(at + year.length);
}

/** First and last day number a date may mean in a given year (the whole month when no day is written). */
function daySpan(date: FoundDate, year: number): [number, number] {
  if (date.day !== undefined) return [dayNumber(year, date.month, date.day), dayNumber(year, date.month, date.day)];
  return [dayNumber(year, date.month, 1), dayNumber(year, date.month, daysInMonth(date.month, year))];
}

const ISO_LIKE = /^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$/;

/** Dates that cannot be right: impossible, a year typo amid recent events, or tense against the document date. */
export default defineRule<Options>({
  meta: {
    id: 'implausible-date',
    description: 'A date that cannot be right: impossible ("February 30"), a mistyped year amid recent events, or tense against the document date.',
    url: 'https://github.com/corpus-lint/corpus-lint#implausible-date',
    defaultSeverity: 'warn',
    messages: {
      impossible: 'Unexpected impossible date "{{written}}" (read as {{parsed}}, document date {{docDate}}): {{reason}}; expected a date that exists',
      yearTypo: 'Unexpected year in "{{written}}" (read as {{parsed}}, document date {{docDate}}): {{reason}}; expected "{{expected}}"',
      futureTenseInPast: 'Unexpected past date "{{written}}" in future tense (read as {{parsed}}, document date {{docDate}}): {{reason}}; {{expectation}}',
      pastTenseInFuture: 'Unexpected future date "{{written}}" in past tense (read as {{parsed}}, document date {{docDate}}): {{reason}}; {{expectation}}',
      weekdayMismatch: 'Unexpected weekday in "{{written}}" (read as {{parsed}}, a {{weekday}}; document date {{docDate}}): {{reason}}; {{expectation}}',
    },
    schema: {
      type: 'object',
      properties: {
        recentDaysBefore: { type: 'integer', minimum: 0, default: 45 },
        recentDaysAfter: { type: 'integer', minimum: 0, default: 7 },
        tenseToleranceDays: { type: 'integer', minimum: 0, default: 3 },
        maxYearKeystrokes: { type: 'integer', minimum: 1, maximum: 4, default: 2 },
        addWords: wordListsSchema,
        removeWords: wordListsSchema,
      },
      additionalProperties: false,
    },
  },
  check(context) {
    const compiled = compile(context.options);
    const { text, options } = context;
    const docDate = context.doc.date;
    const windows = dateWindows(text, compiled.candidate);
    if (windows.length === 0) return;
    const [docYear, docMonth, docDay] = docDate ? docDate.split('-').map(Number) : [0, 0, 0];
    const instant = docDate ? new Date(`${docDate}T12:00:00Z`) : new Date(Date.UTC(2000, 0, 1, 12));
    const dates: FoundDate[] = [];
    const skipped: DateWindow[] = [];
    // The cues of the last sentence asked for: a sentence's windows come one after another.
    let cues: { sentence: DateWindow; found: SentenceCues } | undefined;
    const cuesOf = (window: DateWindow) => {
      if (cues?.sentence.sentenceStart !== window.sentenceStart || cues.sentence.sentenceEnd !== window.sentenceEnd) {
        cues = { sentence: window, found: sentenceCues(text.slice(window.sentenceStart, window.sentenceEnd), compiled) };
      }
      return cues.found;
    };
    for (const window of windows) {
      if (mayHoldFinding(text.slice(window.start, window.end), docDate ? docYear : undefined, () => cuesOf(window), options.maxYearKeystrokes)) {
        dates.push(...datesIn(text, window, instant, docDate !== undefined));
      } else {
        skipped.push(window);
      }
    }
    if (dates.length === 0) return;
    const docDay0 = docDate ? dayNumber(docYear, docMonth, docDay) : 0;
    const docLabel = docDate ?? 'none';
    const recentFrom = docDay0 - options.recentDaysBefore;
    const recentTo = docDay0 + options.recentDaysAfter;
    // Dates among recent events: written without a year or in the document's year, near the document date.
    // Only a timeline needs them, so the windows chrono skipped are read for them then.
    let recentDates: FoundDate[] | undefined;
    const recentDatesOf = () =>
      (recentDates ??= [...dates, ...skipped.flatMap((window) => datesIn(text, window, instant, docDate !== undefined))].filter((date) => {
        if (date.invalid || date.day === undefined || (date.year !== undefined && date.year !== docYear)) return false;
        const day = dayNumber(date.year ?? date.impliedYear, date.month, date.day);
        return day >= recentFrom && day <= recentTo;
      }));

    for (const date of dates) {
      const parsed = isoOf(date.year, date.month, date.day);
      const base = { written: date.written, parsed, docDate: docLabel };
      const span = { start: date.start, end: date.end, actual: date.written };
      if (inQuotedTitle(text, date.start, date.end)) continue;
      const lead = text.slice(Math.max(0, date.start - 60), date.start);

      if (date.invalid) {
        // "March 31-April 2", "Jan. 31-Feb. 1": the day closes a range that began in the month before.
        if (/^\d{1,2}\s*[-–]/u.test(date.written) && compiled.monthBefore.test(lead)) continue;
        const reason = date.month === 2 && date.day === 29
          ? date.year !== undefined ? `${date.year} is not a leap year, so February has 28 days` : `there is no February 29 in ${date.impliedYear}, the year around the document date`
          : `${MONTH_NAMES[date.month - 1]} has ${daysInMonth(date.month, date.year)} days${date.year === undefined && date.month === 2 ? ' even in a leap year' : ''}`;
        context.report({ messageId: 'impossible', kind: 'impossible', data: { ...base, reason }, ...span });
        continue;
      }
      const iso = date.written.match(ISO_LIKE);
      if (iso && Number(iso[2]) !== date.month) {
        // Chrono reads "2025-13-02" as February 13 by swapping month and day: a month 13 does not exist.
        context.report({ messageId: 'impossible', kind: 'impossible', data: { ...base, parsed: `${iso[1]}-${iso[2]}-${iso[3]}`, reason: `there is no month ${Number(iso[2])}` }, ...span });
        continue;
      }

      if (date.weekday !== undefined && date.day !== undefined && date.year !== undefined) {
        const actualWeekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
        if (actualWeekday !== date.weekday) {
          // "Friday, April 3, 1986" in a 1987 story: in the document's year the weekday fits, so the year is the typo.
          const fitsDocYear = docDate !== undefined && date.year !== docYear && new Date(Date.UTC(docYear, date.month - 1, date.day)).getUTCDay() === date.weekday
            && keystrokes(String(date.year), String(docYear)) <= options.maxYearKeystrokes;
          const expected = fitsDocYear ? withYear(date.written, date.year, docYear) : undefined;
          context.report({
            messageId: 'weekdayMismatch',
            kind: 'weekday',
            data: {
              ...base,
              weekday: WEEKDAYS[actualWeekday],
              reason: `it says ${WEEKDAYS[date.weekday]}${expected ? `, as ${MONTH_NAMES[date.month - 1]} ${date.day} is in ${docYear}, the document's year` : ''}`,
              expectation: expected ? `expected "${expected}"` : 'expected weekday and date to agree',
            },
            ...span,
            ...(expected ? { expected: [expected] } : {}),
          });
          continue;
        }
      }

      if (!docDate || date.year === undefined) continue;
      if (!date.written.includes(String(date.year))) continue;
      // An embedded post's signature ("— Name (@handle) July 26, 2017") dates the post, not the story.
      if (/\(@\w+\)\s*$/u.test(lead)) continue;
      // "a July 1986 pact", "FERC's April 10, 1985, statement": the date names a thing, it does not date an event.
      if (/(?:(?<![\p{L}])(?:a|an|the|its|their|his|her|our|this|that)|['’]s)\s+$/iu.test(lead)) continue;
      const sentence = text.slice(date.sentenceStart, date.sentenceEnd);
      const inSentence = { start: date.start - date.sentenceStart, end: date.end - date.sentenceStart };
      const rest = sentence.slice(0, inSentence.start) + ' ' + sentence.slice(inSentence.end);
      if (compiled.history.test(rest)) continue;
      const [first, last] = daySpan(date, date.year);
      const { tense, gap } = tenseAround(sentence, inSentence.start, inSentence.end, compiled.tense) ?? {};

      const typoDistance = keystrokes(String(date.year), String(docYear));
      // Only full dates: "from 1,067,000 in February 1986" is a year-on-year comparison, not a typo.
      if (date.year !== docYear && date.day !== undefined && typoDistance <= options.maxYearKeystrokes && tense !== 'future' && tense !== 'neutral' && (first < docDay0 || tense === 'past')) {
        const corrected = dayNumber(docYear, date.month, date.day);
        const correctedIsRecent = corrected >= recentFrom && corrected <= recentTo;
        const shortLead = sentence.slice(0, inSentence.start).split(/(?<=\s)/).slice(-6).join('');
        const recentCue = compiled.recent.test(shortLead);
        // "On July 21, 2015, …" beside "On July 24, …" in a 2025 story: a timeline whose neighbour is two weeks away at most.
        const timeline = () =>
          tense === 'past' && opensClause(sentence, inSentence.start, inSentence.end)
          && recentDatesOf().some((other) => Math.abs(other.start - date.start) <= 600 && Math.abs(dayNumber(other.year ?? other.impliedYear, other.month, other.day!) - corrected) <= 14);
        if (correctedIsRecent && (recentCue || (Math.abs(date.year - docYear) >= 2 && timeline()))) {
          const expected = withYear(date.written, date.year, docYear)!;
          context.report({
            messageId: 'yearTypo',
            kind: 'year-typo',
            data: {
              ...base,
              expected,
              reason: `${date.year} is ${typoDistance === 1 ? 'one keystroke' : `${typoDistance} keystrokes`} from the document's year, amid ${recentCue ? 'words of recent time' : 'recent dates'}`,
            },
            ...span,
            expected: [expected],
          });
          continue;
        }
      }

      // A reduced relative clause ("a programme authorized in September 1985") dates a past act even after "will".
      const participle = /(?<![\p{L}])\p{Ll}+ed\s+(?:in|on|at|during|from)\s+$/u.test(sentence.slice(0, inSentence.start)) && !AUXILIARY_BE.test(sentence.slice(0, inSentence.start).replace(/\p{Ll}+ed\s+(?:in|on|at|during|from)\s+$/u, ''));
      const otherYearBefore = /(?<![\p{L}\d,])(?:19|20)\d\d(?![\d,])/u.test(sentence.slice(0, inSentence.start));
      const futureInPast = tense === 'future' && last < docDay0 - options.tenseToleranceDays && !participle && !otherYearBefore;
      // The past verb must govern the date: "held a meeting on", not "called for redemption on", "shares held at the close of business on".
      const governs = gap === '' || TIGHT_GAP.test(gap ?? '');
      const pastInFuture = tense === 'past' && governs && first > docDay0 + options.tenseToleranceDays;
      if (futureInPast || pastInFuture) {
        const direction = futureInPast ? 1 : -1;
        const fix = nearestYear(date, docYear, docDay0 - direction * options.tenseToleranceDays, direction, options.maxYearKeystrokes);
        const expected = fix === undefined ? undefined : withYear(date.written, date.year, fix);
        context.report({
          messageId: futureInPast ? 'futureTenseInPast' : 'pastTenseInFuture',
          kind: 'tense',
          data: {
            ...base,
            reason: `the clause speaks of it in the ${futureInPast ? 'future' : 'past'} tense`,
            expectation: expected ? `expected "${expected}"` : `expected a date ${futureInPast ? 'after' : 'before'} the document date`,
          },
          ...span,
          ...(expected ? { expected: [expected] } : {}),
        });
      }
    }
  },
});

/**
 * The corrected year when one is clear: the document's year puts the date on the right side of `limit`
 * and is a keystroke or two from the written year, or else the year after (for a future event) or before
 * (for a past one) does so with a single keystroke.
 */
function nearestYear(date: FoundDate, docYear: number, limit: number, direction: 1 | -1, maxKeystrokes: number): number | undefined {
  if (date.year === undefined) return undefined;
  for (const [year, most] of [[docYear, maxKeystrokes], [docYear + direction, 1]]) {
    const [first, last] = daySpan(date, year);
    if (direction === 1 ? last >= limit : first <= limit) return year !== date.year && keystrokes(String(date.year), String(year)) <= most ? year : undefined;
  }
  return undefined;
}
