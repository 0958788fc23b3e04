import { stemmer } from 'stemmer';
import { defineRule } from '../src/rule.js';
import { createAjv, formatAjvErrors, readPackageJson } from '../src/schema.js';
import type { Descriptor, RuleContext, TextLine } from '../src/types.js';

interface Options {
  /** Marker lines to add to the built-in list ("More from Sport"), matched case-insensitively. */
  markers: string[];
  /** Regular expressions (Unicode, case-insensitive) for more marker lines. */
  markerPatterns: string[];
  /** Built-in markers to drop. */
  ignoreMarkers: string[];
  /** Look for unmarked runs of unrelated headlines at the end. */
  unmarked: boolean;
  /** Fewest lines an unmarked block must have. */
  minUnmarkedLines: number;
  /** Most lines of a trailing run judged for an unmarked block; a longer run is a list of the article's. */
  maxUnmarkedLines: number;
  /** Most words a headline-like line may have. */
  maxHeadlineWords: number;
  /** Report a trailing "Tags:" / "Topics:" list. */
  tags: boolean;
  /** Report an author bio ("Jane Doe is a reporter for …") at the very end. */
  authorBio: boolean;
  /** Report comment counts at the very end ("Comments (12)"); scraping-artifact reports them by default. */
  commentCounts: boolean;
  /** Words to ignore, besides English stopwords, when judging whether a line shares the article's topic. */
  commonWords: string[];
}

interface TrailerData {
  markers: string[];
  markerPatterns: string[];
  tagLabels: string[];
  bioRoles: string[];
  commonWords: string[];
  skipLines: string[];
  skipPatterns: string[];
}

/** The built-in data, checked once against its schema. */
export function loadTrailerData(): TrailerData {
  const data = readPackageJson<TrailerData>('rules/off-topic-trailer.markers.json');
  const validate = createAjv().compile(readPackageJson<Record<string, unknown>>('rules/off-topic-trailer.markers.schema.json'));
  if (!validate(data)) throw new Error(`Invalid rules/off-topic-trailer.markers.json: ${formatAjvErrors(validate.errors, 'markers')}`);
  return data;
}

let builtinData: TrailerData | undefined;
/** The built-in data, read and checked on first use rather than at import (a warm run may lint nothing). */
const builtin = (): TrailerData => (builtinData ??= loadTrailerData());

/** English stopwords from stopword: its main entry loads all 62 languages (about 35 ms), its English module alone a few ms where Node runs its ES module source (20.19 and later). */
async function loadEnglishStopwords(): Promise<string[]> {
  try {
    return ((await import('stopword/src/stopwords_eng.js' as string)) as { eng: string[] }).eng;
  } catch {
    return (await import('stopword')).eng;
  }
}

const englishStopwords = await loadEnglishStopwords();

const bullet = /^(?:[-*\u2022\u25aa\u25ba\u203a>#]+|\d{1,2}[.)])\s+/u;
const ageSuffix = /\s*[\u00b7|\u2022\u2013\u2014-]\s*(?:\d+\s*(?:s|m|h|d|w|mins?|hrs?|minutes?|hours?|days?|weeks?|months?)\s+ago|\d+\s*(?:min|minute)s?\s+read|yesterday|just now)$/iu;
const quoteChars = /[\u2018\u2019\u201b\u2032`]/g;

/** A line without list bullets, heading marks and a trailing "· 2h ago" or "| 4 min read". */
export function stripDecoration(text: string): string {
  const line = text.trim().replace(bullet, '');
  // The age pattern is costly on long lines; most lines do not end like one.
  return (/(?:ago|yesterday|now|read)$/i.test(line) ? line.replace(ageSuffix, '') : line).trim();
}

// What a marker key drops at its end: white space (\s), colons, full stops, ellipses, arrows, bars, dashes.
const keyTrailer = /^[\s:\uff1a.\u2026\u00bb\u203a>\u2192|-]$/u;

/** A line as compared with the marker list: lower case, straight apostrophes, no trailing colon, ellipsis or arrow. */
export function markerKey(text: string): string {
  const key = stripDecoration(text).toLowerCase().replace(quoteChars, "'");
  // A loop from the end, not a regex: an end-anchored regex is tried at every offset of a long line.
  let end = key.length;
  while (end > 0 && keyTrailer.test(key[end - 1])) end--;
  return key.slice(0, end).replace(/\s+/g, ' ');
}

// Most ASCII letters an age suffix ("12 minutes read") takes off a line.
const AGE_SUFFIX_LETTERS = 11;

/**
 * Whether the marker key of `text` may be `longest` characters or shorter: a key keeps every ASCII
 * letter of its line but an age suffix's, so a long line of prose is ruled out without building it.
 */
function mayHaveShortKey(text: string, longest: number): boolean {
  let letters = 0;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at) | 0x20;
    if (code >= 0x61 && code <= 0x7a && ++letters > longest + AGE_SUFFIX_LETTERS) return false;
  }
  return true;
}

/** Whether the marker key of `text` is one of `keys`, whose longest key has `longest` characters. */
function hasKey(keys: ReadonlySet<string>, longest: number, text: string): boolean {
  return mayHaveShortKey(text, longest) && keys.has(markerKey(text));
}

const longestOf = (keys: Iterable<string>) => Math.max(0, ...[...keys].map((key) => key.length));

/** A marker line as shown in a message: without bullets and a trailing colon or ellipsis. */
function markerLabel(text: string): string {
  return stripDecoration(text).replace(/[\s:\uff1a.\u2026]+$/u, '');
}

const headlineStart = /^[\p{Lu}\p{N}"'\u201c\u2018(\[]|^(?![\u00a9\u00ae\u2122])\p{Extended_Pictographic}/u;
const twoSentences = /[.!?]["\u201d\u2019]?\s+["\u201c]?\p{Lu}\p{Ll}/u;
const truncated = /(?:\.\.\.|\u2026)$/u;

/** Whether a line has the shape of a headline: short, capitalised, without closing punctuation. */
export function isHeadlineLike(text: string, maxWords: number, minWords = 2, oneSentence = true): boolean {
  const line = stripDecoration(text);
  if (line.length < 6 || line.length > 160) return false;
  const words = line.split(/\s+/);
  if (words.length < minWords || words.length > maxWords) return false;
  if (!headlineStart.test(line)) return false;
  if (/[.,;:]$/.test(line) && !truncated.test(line)) return false;
  // A whole-line aside "(Sign up here.)", a link or a handle is not a headline.
  if (/^\(.*\)$/u.test(line) || /https?:\/\/|(?<![\p{L}\p{N}])@[\p{L}\p{N}_]/u.test(line)) return false;
  return !oneSentence || !twoSentences.test(line);
}

const separatorLine = /^[\p{P}\p{S}\s]+$/u;

const wholeQuote = /^["\u201c\u2018'].*["\u201d\u2019']$/u;
// Timeline entries ("2019: …", "March 4 …") and interview turns ("Q: …") belong to the article.
const articleListEntry = /^(?:\d{1,4}[:./-]|\d{4}\b|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\p{Lu}{1,3}:\s)/iu;
// "Jane Doe, Acme Records": a list of people (signatories, a cast, a panel) belongs to the article.
const personEntry = /^\p{Lu}[\p{L}'\u2019.-]+(?:\s\p{Lu}[\p{L}'\u2019.-]+){1,2},\s/u;
const wordPattern = /\p{L}[\p{L}\p{N}'\u2019]*/gu;

/** Content words of a text, stemmed, without stopwords and common news words. */
export function contentTerms(text: string, ignore: ReadonlySet<string>): string[] {
  const terms: string[] = [];
  for (const match of text.toLowerCase().matchAll(wordPattern)) {
    const word = match[0].replace(/['\u2019]s?$/u, '');
    if (word.length < 3 || ignore.has(word)) continue;
    terms.push(stemmer(word));
  }
  return terms;
}

interface Matchers {
  markers: Set<string>;
  /** First words a marker line can start with; undefined when a pattern's first word is not known. */
  markerFirstWords: Set<string> | undefined;
  markerPatterns: RegExp[];
  tagLine: RegExp;
  tagHeading: Set<string>;
  longestTagHeading: number;
  bio: RegExp;
  ignoreWords: Set<string>;
  skipLines: Set<string>;
  skipPatterns: RegExp[];
}

/** A leftover of another rule or a closing note of the article's own, stepped over at the end. */
function isSkipped(text: string, matchers: Matchers): boolean {
  if (text.length > 300) return false;
  const key = markerKey(text);
  return matchers.skipLines.has(key) || matchers.skipPatterns.some((pattern) => pattern.test(key));
}

const commentCount =
  /^(?:\d+\s+)?(?:comments?|responses?|replies)(?:\s*[([]?\d+[)\]]?)?$|^(?:view|show|read|see)\s+(?:all\s+)?(?:\d+\s+)?comments?$|^(?:leave|add|post)\s+a\s+comment$|^join the (?:discussion|conversation)$/iu;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const matcherCache = new WeakMap<Options, Matchers>();

function matchersFor(options: Options): Matchers {
  let matchers = matcherCache.get(options);
  if (matchers) return matchers;
  const ignored = new Set(options.ignoreMarkers.map(markerKey));
  const markers = new Set([...builtin().markers, ...options.markers].map(markerKey).filter((key) => !ignored.has(key)));
  const labels = builtin().tagLabels.map(escapeRegExp).join('|');
  const roles = builtin().bioRoles.map(escapeRegExp).join('|');
  const patterns = [...builtin().markerPatterns, ...options.markerPatterns];
  const patternWords = patterns.map(leadingWords);
  matchers = {
    markers,
    markerFirstWords: patternWords.every((words) => words !== undefined)
      ? new Set([...[...markers].map((key) => key.split(' ')[0]), ...patternWords.flat() as string[]])
      : undefined,
    markerPatterns: patterns.map((source) => {
      try {
        return new RegExp(source, 'iu');
      } catch (error) {
        throw new Error(`off-topic-trailer: markerPatterns entry ${JSON.stringify(source)} is not a valid regular expression: ${(error as Error).message}`);
      }
    }),
    tagLine: new RegExp(`^(?:${labels})\\s*[:\\uff1a]\\s*(\\S.*)$`, 'iu'),
    tagHeading: new Set(builtin().tagLabels),
    longestTagHeading: longestOf(builtin().tagLabels),
    bio: new RegExp(
      // A person's name (not "The …"), then "is a/the/X's", a few describing words (no "of", "for"…), a role.
      `^(?!(?:The|A|An|This|That|These|Its|His|Her|Their)\\s)(?:\\p{Lu}[\\p{L}'\\u2019.-]*\\s+){1,3}\\p{Lu}[\\p{L}'\\u2019-]+(?:\\s*\\([^)]{1,80}\\))?,?\\s+(?:is|was|has been|works as)\\s+(?:a|an|the|\\p{Lu}[\\p{L}.&'\\u2019-]*['\\u2019]s)\\s+(?:(?!(?:of|in|at|for|by|with|to|on|from)\\s)[\\p{L}&,-]+\\s+){0,4}(?:${roles})s?\\b`,
      'u',
    ),
    skipLines: new Set(builtin().skipLines.map(markerKey)),
    skipPatterns: builtin().skipPatterns.map((source) => new RegExp(source, 'iu')),
    ignoreWords: new Set([...englishStopwords, ...builtin().commonWords, ...options.commonWords].map((word) => word.toLowerCase())),
  };
  matcherCache.set(options, matchers);
  return matchers;
}

function isAuthorBio(text: string, matchers: Matchers): boolean {
  return text.length <= 400 && matchers.bio.test(text);
}

/** The words a pattern like `^(?:more|read) …` can start with, or undefined when they cannot be read off it. */
function leadingWords(source: string): string[] | undefined {
  const match = /^\^(?:\(\?:([\p{L}' |]+)\)|([\p{L}']+))[ (]/u.exec(source);
  if (!match) return undefined;
  return (match[1] ?? match[2]).split('|').map((alternative) => alternative.split(' ')[0].toLowerCase());
}

const firstWord = /^[\s\-*\u2022\u25aa\u25ba\u203a>#\d.)]*([\p{L}'\u2019]+)/u;
// firstWord's leading characters and word characters among ASCII: 1 lead, 2 word.
const ASCII_FIRST_WORD = new Uint8Array(128).map((_, code) => {
  const char = String.fromCharCode(code);
  return /[\s\-*>#\d.)]/.test(char) ? 1 : /[\p{L}']/u.test(char) ? 2 : 0;
});

/** The first word of a line as `firstWord` finds it, read by hand on ASCII lines (isMarker runs on every short line). */
function leadingWord(text: string): string | undefined {
  let at = 0;
  while (at < text.length && text.charCodeAt(at) < 128 && ASCII_FIRST_WORD[text.charCodeAt(at)] === 1) at++;
  let end = at;
  while (end < text.length && text.charCodeAt(end) < 128 && ASCII_FIRST_WORD[text.charCodeAt(end)] === 2) end++;
  if (end < text.length && text.charCodeAt(end) >= 128) return firstWord.exec(text)?.[1];
  return end > at ? text.slice(at, end) : undefined;
}

function isMarker(text: string, matchers: Matchers): boolean {
  if (text.length > 70) return false;
  // A marker is a label: a line that ends a sentence ("Read more about sharing.", not "More...") is prose.
  const trimmed = text.trimEnd();
  if (trimmed.endsWith('.') && !trimmed.endsWith('..')) return false;
  // Cheap test first: most short lines do not start with a word any marker starts with.
  if (matchers.markerFirstWords) {
    const word = leadingWord(text);
    if (!word || !matchers.markerFirstWords.has(word.toLowerCase().replace(quoteChars, "'"))) return false;
  }
  const key = markerKey(text);
  if (key.length < 2) return false;
  return matchers.markers.has(key) || matchers.markerPatterns.some((pattern) => pattern.test(key));
}

/** Whether `rest` reads as a list of short tags ("Brexit, EU, Trade"). */
function isTagList(rest: string): boolean {
  if (rest.length > 400 || /[.!?]$/.test(rest.trim())) return false;
  const items = rest.split(/\s*[,;|\u00b7\u2022/]\s*/).filter(Boolean);
  return items.length > 0 && items.every((item) => item.split(/\s+/).length <= 6);
}

/** Number of trailing lines (1 or 2, ending at `at`) that form a tag list, or 0. */
function tagLines(lines: TextLine[], at: number, previous: number | undefined, matchers: Matchers): number {
  const text = stripDecoration(lines[at].text);
  const inline = matchers.tagLine.exec(text);
  if (inline && isTagList(inline[1])) return 1;
  if (previous !== undefined && isTagList(text) && hasKey(matchers.tagHeading, matchers.longestTagHeading, lines[previous].text)) return 2;
  return 0;
}

type Kind = 'marked' | 'unmarked' | 'tags' | 'author-bio' | 'comment-count';

/**
 * A removal of lines `[first, last]` with the line breaks before them, so the text after them keeps
 * its own break and adjacent findings' fixes never overlap.
 */
function removalFix(lines: TextLine[], first: number, last: number) {
  let previous = first - 1;
  while (previous >= 0 && lines[previous].text.trim() === '') previous--;
  if (previous >= 0) return { start: lines[previous].end, end: lines[last].end, text: '' };
  // The block opens the document: remove it with the breaks after it.
  let next = last + 1;
  while (next < lines.length && lines[next].text.trim() === '') next++;
  return { start: lines[first].start, end: next < lines.length ? lines[next].start : lines[last].end, text: '' };
}

/** Trailing blocks that do not belong to the article: "You may also like" lists, unrelated headlines, tags, bios. */
export default defineRule<Options>({
  meta: {
    id: 'off-topic-trailer',
    description: 'A trailing block that does not belong to the article: related-link lists, unrelated headlines, tag lists, author bios.',
    url: 'https://github.com/corpus-lint/corpus-lint#off-topic-trailer',
    defaultSeverity: 'warn',
    messages: {
      marked: 'Unexpected trailer `{{marker}}` with {{count}} headline(s), expected the article to end before it',
      markerOnly: 'Unexpected trailer heading `{{marker}}` at the end, expected the article to end before it',
      unmarked: 'Unexpected {{count}} trailing headlines unrelated to the article, expected the article to end before them',
      tags: 'Unexpected trailing tag list, expected the article to end before it',
      authorBio: 'Unexpected author bio at the end, expected the article to end before it',
      commentCount: 'Unexpected trailing comment count `{{text}}`, expected the article to end before it',
    },
    schema: {
      type: 'object',
      properties: {
        markers: { type: 'array', items: { type: 'string', minLength: 2 }, default: [] },
        markerPatterns: { type: 'array', items: { type: 'string', minLength: 2 }, default: [] },
        ignoreMarkers: { type: 'array', items: { type: 'string' }, default: [] },
        unmarked: { type: 'boolean', default: true },
        minUnmarkedLines: { type: 'integer', minimum: 2, default: 2 },
        maxUnmarkedLines: { type: 'integer', minimum: 2, default: 12 },
        maxHeadlineWords: { type: 'integer', minimum: 3, default: 20 },
        tags: { type: 'boolean', default: true },
        authorBio: { type: 'boolean', default: true },
        commentCounts: { type: 'boolean', default: false },
        commonWords: { type: 'array', items: { type: 'string' }, default: [] },
      },
      additionalProperties: false,
    },
  },
  check(context) {
    const { options } = context;
    const matchers = matchersFor(options);
    const lines = context.lines;
    const filled: number[] = [];
    for (let index = 0; index < lines.length; index++) if (/\S/.test(lines[index].text)) filled.push(index);
    if (filled.length === 0) return;

    const report = (kind: Kind, messageId: string, first: number, last: number, data: Record<string, string | number>) => {
      const descriptor: Descriptor = {
        messageId,
        kind,
        data,
        start: lines[first].start + (lines[first].text.length - lines[first].text.trimStart().length),
        end: lines[last].start + lines[last].text.trimEnd().length,
        fix: removalFix(lines, first, last),
      };
      context.report(descriptor);
    };

    // Marked blocks: a marker line, then headline-like lines.
    const markedByLastLine = new Map<number, number>();
    for (const block of findMarkedBlocks(lines, filled, options, matchers)) {
      markedByLastLine.set(filled[block.last], block.first);
      report('marked', 'marked', filled[block.first], filled[block.last], { marker: markerLabel(lines[filled[block.first]].text), count: block.count });
    }

    // Peel widgets and marked blocks off the end; what is left ends the article (or an unmarked trailer).
    let end = filled.length - 1;
    while (end >= 0) {
      const index = filled[end];
      const text = stripDecoration(lines[index].text);
      if (separatorLine.test(text) || isSkipped(text, matchers)) {
        end--;
        continue;
      }
      const blockStart = markedByLastLine.get(index);
      if (blockStart !== undefined) {
        end = blockStart - 1;
        continue;
      }
      if (commentCount.test(text)) {
        if (options.commentCounts) report('comment-count', 'commentCount', index, index, { text });
        end--;
        continue;
      }
      if (isMarker(text, matchers)) {
        // A marker whose list the scraper dropped.
        report('marked', 'markerOnly', index, index, { marker: markerLabel(text) });
        end--;
        continue;
      }
      const tagCount = tagLines(lines, index, end > 0 ? filled[end - 1] : undefined, matchers);
      if (tagCount > 0) {
        if (options.tags) report('tags', 'tags', filled[end - tagCount + 1], index, {});
        end -= tagCount;
        continue;
      }
      if (isAuthorBio(text, matchers)) {
        if (options.authorBio) report('author-bio', 'authorBio', index, index, {});
        end--;
        continue;
      }
      break;
    }
    // A bio, a tag list or an emptied marker may be followed by a line of another kind (an affiliate
    // note, a newsletter prompt): look two lines further back.
    for (let back = end - 1; back >= Math.max(1, end - 2); back--) {
      const index = filled[back];
      const text = stripDecoration(lines[index].text);
      if (isAuthorBio(text, matchers)) {
        if (options.authorBio) report('author-bio', 'authorBio', index, index, {});
        break;
      }
      const tagCount = tagLines(lines, index, filled[back - 1], matchers);
      if (tagCount > 0) {
        if (options.tags) report('tags', 'tags', filled[back - tagCount + 1], index, {});
        break;
      }
      if (isMarker(text, matchers) && !isHeadlineLike(lines[filled[back + 1]].text, options.maxHeadlineWords)) {
        report('marked', 'markerOnly', index, index, { marker: markerLabel(text) });
        break;
      }
    }

    if (!options.unmarked || end < 1) return;
    const block = findUnmarkedBlock(context.text, lines, filled, end, options, matchers);
    if (block) report('unmarked', 'unmarked', block.first, block.last, { count: block.count });
  },
});

interface MarkedBlock {
  /** Positions in the list of non-blank lines: the marker and the last headline. */
  first: number;
  last: number;
  count: number;
}

/** Marker lines with the headline-like lines after them. */
function findMarkedBlocks(lines: TextLine[], filled: number[], options: Options, matchers: Matchers): MarkedBlock[] {
  const blocks: MarkedBlock[] = [];
  for (let at = 0; at < filled.length; at++) {
    if (!isMarker(lines[filled[at]].text, matchers)) continue;
    let count = 0;
    // Items of three words or more: a list of two-word names is navigation or a product list, not headlines.
    let full = 0;
    let last = at;
    let bulleted: boolean | undefined;
    let spaced: boolean | undefined;
    for (let next = at + 1; next < filled.length && !isMarker(lines[filled[next]].text, matchers); next++) {
      const line = lines[filled[next]].text;
      if (!isHeadlineLike(line, options.maxHeadlineWords, 2, false) || commentCount.test(stripDecoration(line))) {
        if (separatorLine.test(line)) continue;
        break;
      }
      // Items of one list share their look: all bulleted or none, all blank-separated or none
      // (so a hard-wrapped paragraph after the list does not join it).
      const hasBullet = bullet.test(line.trim());
      if (bulleted !== undefined && hasBullet !== bulleted) break;
      bulleted = hasBullet;
      if (count > 0) {
        const gap = filled[next] - filled[last] > 1;
        if (spaced !== undefined && gap !== spaced) break;
        spaced = gap;
      }
      count++;
      if (stripDecoration(line).split(/\s+/).length >= 3) full++;
      last = next;
    }
    const atEnd = filled.slice(last + 1).every((later) => separatorLine.test(lines[later].text));
    if ((count >= 2 && full >= 2) || (count === 1 && full === 1 && atEnd)) {
      blocks.push({ first: at, last, count });
      at = last;
    }
  }
  return blocks;
}

/**
 * The unrelated headlines ending the run of headline-like lines that ends at `filled[end]`, as line
 * indexes, or undefined when the run is the article's own (a list, a timeline) or shares its words.
 */
function findUnmarkedBlock(text: string, lines: TextLine[], filled: number[], end: number, options: Options, matchers: Matchers): UnmarkedBlock | undefined {
  while (end >= 0 && separatorLine.test(lines[filled[end]].text)) end--;
  let start = end;
  // Teaser lines under a headline ("Pats place Olszewski on IR" / "New England's roster is re-shuffling.").
  const teasers = new Set<number>();
  while (start >= 0) {
    const line = lines[filled[start]].text;
    if (isUnmarkedCandidate(line, options.maxHeadlineWords) || separatorLine.test(line)) start--;
    else if (start > 0 && isTeaser(line) && isUnmarkedCandidate(lines[filled[start - 1]].text, options.maxHeadlineWords)) {
      teasers.add(filled[start]);
      start -= 2;
    } else break;
  }
  start++;
  // One heading over one paragraph is the article's own layout; teasers count from two pairs on.
  if (teasers.size === 1) {
    const [teaser] = teasers;
    start = filled.indexOf(teaser) + 1;
    teasers.clear();
  }
  while (start <= end && separatorLine.test(lines[filled[start]].text)) start++;
  let run = filled.slice(start, end + 1).filter((index) => !separatorLine.test(lines[index].text) && !teasers.has(index));
  if (run.length < options.minUnmarkedLines) return undefined;
  // Items of one list share their look: a bulleted list of the article's own ends where unbulleted headlines begin.
  const lastBulleted = bullet.test(lines[run[run.length - 1]].text.trim());
  let firstOfLook = run.length - 1;
  while (firstOfLook > 0 && bullet.test(lines[run[firstOfLook - 1]].text.trim()) === lastBulleted) firstOfLook--;
  if (firstOfLook > 0) {
    run = run.slice(firstOfLook);
    start = filled.indexOf(run[0]);
  }
  if (run.length < options.minUnmarkedLines || start === 0) return undefined;
  const entries = run.map((index) => stripDecoration(lines[index].text));
  // A list introduced by "Key figures:", a timeline, a list of people or a ranking belongs to the article.
  if (/[:\uff1a]\s*$/.test(lines[filled[start - 1]].text)) return undefined;
  if (entries.filter((entry) => articleListEntry.test(entry) || personEntry.test(entry)).length * 2 >= run.length) return undefined;
  if (isCountedList(run.map((index) => lines[index].text))) return undefined;
  // Headlines run to several words each, and a trailer to a handful of them; a long list of short
  // entries (names, places, results) is the article's own.
  if (run.length > options.maxUnmarkedLines) return undefined;
  if (entries.reduce((sum, entry) => sum + entry.split(/\s+/).length, 0) / run.length < 5) return undefined;

  const body = new Set(contentTerms(text.slice(0, lines[run[0]].start), matchers.ignoreWords));
  if (body.size < 30) return undefined;
  const offTopic = entries.map((entry) => {
    const terms = [...new Set(contentTerms(entry, matchers.ignoreWords))];
    if (terms.length === 0) return false;
    const shared = terms.filter((term) => body.has(term)).length;
    return !(shared >= 2 || shared / terms.length >= 0.5);
  });
  // The block starts at the first unrelated line from which unrelated lines are the clear majority.
  for (let first = 0; first <= run.length - options.minUnmarkedLines; first++) {
    if (!offTopic[first]) continue;
    const unrelated = offTopic.slice(first).filter(Boolean).length;
    if (unrelated >= options.minUnmarkedLines && unrelated * 3 >= (run.length - first) * 2) {
      // The run ends at `filled[end]`: the last headline or its teaser.
      return { first: run[first], last: filled[end], count: run.length - first };
    }
  }
  return undefined;
}

/** The headline lines (and their teasers) of an unmarked trailer. */
interface UnmarkedBlock {
  first: number;
  last: number;
  /** Headlines, teasers not counted. */
  count: number;
}

const sentenceEnd = /[.!?]["\u201d\u2019]?(?:\s|$)/gu;

/**
 * A teaser under a related-link headline: one or two sentences (or a cut-off one) of at most 45
 * words, without a colon at the end, a quotation of its own or a link.
 */
export function isTeaser(text: string): boolean {
  const line = stripDecoration(text);
  if (line.length < 20 || line.length > 320 || !headlineStart.test(line) || /[:;,]$/.test(line) || wholeQuote.test(line)) return false;
  if (/https?:\/\/|(?<![\p{L}\p{N}])@[\p{L}\p{N}_]/u.test(line)) return false;
  const words = line.split(/\s+/).length;
  if (words < 4 || words > 45) return false;
  const sentences = line.match(sentenceEnd)?.length ?? 0;
  return sentences <= (truncated.test(line) ? 3 : 2);
}

/** Whether most lines are numbered 1, 2, 3 … in order (a list may start again at 1): a ranking or results table of the article's own. */
export function isCountedList(texts: string[]): boolean {
  const numbers = texts.map((text) => /^\s*(\d{1,3})(?:[.)]|\s)/.exec(text)).filter((match) => match !== null).map((match) => Number(match[1]));
  return numbers.length >= 2 && numbers.length * 2 >= texts.length && numbers.every((number, at) => at === 0 || number === numbers[at - 1] + 1 || number === 1);
}

// Headlines of other stories do not speak in the first person, exclaim, or list times of day.
const notHeadline = /!["\u201d\u2019]?$|\b\d{1,2}(?:[:.]\d\d)?\s?(?:am|pm|a\.m\.|p\.m\.)(?!\p{L})/iu;
// Photo credits ("Jane Doe via Getty Images", "John Roe / Reuters") are scraping-artifact's.
const photoCredit = /\bvia (?:Getty|AP|Reuters|AFP|EPA|Shutterstock|Alamy)\b|\s\/\s*(?:Getty|AP|Reuters|AFP|EPA|Shutterstock|Alamy|PA)\b|^(?:photo|image|picture|credit)s?\s*[:|]/iu;
// Lower case only: "Our" and "My" are often title-cased words of a headline.
const firstPerson = /\b(?:I|we|us|our|my|me)\b|^We\b/u;

/** A line that may belong to an unmarked trailer: headline-shaped, at least three words, not a quotation, aside or credit. */
function isUnmarkedCandidate(text: string, maxWords: number): boolean {
  const line = stripDecoration(text);
  if (!isHeadlineLike(text, maxWords, 3) || wholeQuote.test(line)) return false;
  // A trailing emoji ("… today! 🙂") does not hide the exclamation before it.
  const unquoted = line.replace(/["\u201c][^"\u201d]*["\u201d]/gu, '""').replace(/[\s\p{Extended_Pictographic}\ufe0f\u200d]+$/u, '');
  return !notHeadline.test(unquoted) && !firstPerson.test(unquoted) && !photoCredit.test(line);
}
