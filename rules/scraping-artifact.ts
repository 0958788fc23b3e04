import { defineRule } from '../src/rule.js';
import type { Descriptor, Fix, RuleContext, TextLine } from '../src/types.js';
import { describeCodePoints, findEntities, findInvisible, findMojibake } from './scraping-artifact.encoding.js';
import { compileAnchorScanner, compilePattern, firstChars, foldUnits, lineOpenings, loadPatternData, patternDataSchema, type AnchorScanner, type CompiledPattern, type FirstChars, type PatternKind, type PhrasePattern } from './scraping-artifact.patterns.js';

interface Options {
  /** Extra patterns; one with the id of a shipped pattern replaces it. */
  patterns: PhrasePattern[];
  /** Pattern ids or finding kinds to switch off (e.g. `advertisement`, `space-before-punctuation`). */
  disable: string[];
  /** Extra trailer marker lines left to off-topic-trailer. */
  trailerMarkers: string[];
  /** A line must recur in this many documents to count as learned boilerplate. */
  minDocuments: number;
}

/** Per document: a fingerprint of the whole text and the candidate boilerplate lines as [hash, start, end]. */
interface CorpusData {
  fingerprint: number;
  lines: [number, number, number][];
}

const data = loadPatternData();

const KIND_MESSAGE: Record<PatternKind, string> = { caption: 'caption', prompt: 'prompt', social: 'socialEmbed', 'bot-wall': 'botWall' };

/** A compiled pattern with the ids of its anchor sets in the document's scan. */
interface GatedPattern extends CompiledPattern {
  /** A line the pattern matches holds, for each gate, one of its words or one of its characters. */
  gates: Gate[];
}

/** Ids of a set of words in the anchor scan and of a character class (-1: none). */
interface Gate {
  words: number;
  chars: number;
}

/** A line, start or contains pattern as the line loop tries it: one object shape for every pattern keeps the loop's reads fast. */
interface LineCandidate {
  pattern: GatedPattern;
  wordLimit: number;
  caption: boolean;
  /** Per gate, the id of its words in the anchor scan and of its character class (-1: none). */
  gateWords: Int32Array;
  gateChars: Int32Array;
  /** What a line the pattern matches opens with at its first letter or digit, folded (one of them; empty: anything). */
  openings: string[];
}

interface Compiled {
  /** Inline patterns by flags: one scan of the text each, a capture group per pattern. */
  inline: [RegExp, GatedPattern[]][];
  /** Line, start and contains patterns by the first letter or digit of a line they can apply to (`''`: any line). */
  byFirstChar: Map<string, LineCandidate[]>;
  /** One pass over a document finds the lines holding each pattern's anchor words. */
  anchorScanner: AnchorScanner;
  /** The single characters of anchor sets, a class each, tried on a document when an inline pattern needs one. */
  charClasses: RegExp[];
  /** Per UTF-16 unit, a bit for each of the first 31 character classes that holds it; a line's classes are read in one pass. */
  classBits: Uint32Array;
  /** Characters beyond which a line is a paragraph no phrase pattern applies to. */
  maxLength: number;
  /** The largest word limit of a phrase pattern. */
  maxWords: number;
  /** The longest opening of a pattern (see {@link LineCandidate}). */
  maxOpening: number;
  /** Any boilerplate cue, in one case-insensitive search. */
  cueSearch: RegExp;
  /** The id of the boilerplate cues' set of words in the anchor scan. */
  cueWords: number;
  trailerMarkers: Set<string>;
  linkBlockMarkers: Set<string>;
  /** The first characters of the marker keys (none when a marker's key is empty). */
  markerInitials: Set<string> | undefined;
  /** The most ASCII letters and digits a marker key holds: a line with more is no marker (its key would hold as many). */
  markerMaxAlnum: number;
  htmlTag: RegExp;
  disabled: Set<string>;
}

const compiledByOptions = new WeakMap<Options, Compiled>();
const FIRST_ALNUM = /[\p{L}\p{N}]/u;

/** The first letter or digit of a line, lower-cased (`''`: none); ASCII is read unit by unit, the rest by a regex. */
function firstAlnum(text: string): string {
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if ((code >= 48 && code <= 57) || (code >= 97 && code <= 122)) return text[at];
    if (code >= 65 && code <= 90) return String.fromCharCode(code + 32);
    if (code >= 128) return FIRST_ALNUM.exec(text.slice(at))?.[0].toLowerCase() ?? '';
  }
  return '';
}

/** The first `length` UTF-16 units of a line from its first letter or digit, each case-folded as the anchor scan folds it. */
function foldedHead(text: string, length: number): string {
  let from = 0;
  while (from < text.length) {
    const code = text.charCodeAt(from);
    if ((code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122)) break;
    if (code >= 128) {
      const found = FIRST_ALNUM.exec(text.slice(from));
      from = found ? from + found.index : text.length;
      break;
    }
    from++;
  }
  const fold = foldUnits();
  let head = '';
  for (let at = from; at < text.length && at < from + length; at++) head += String.fromCharCode(fold[text.charCodeAt(at)]);
  return head;
}

/** Group patterns by the first letter or digit a line must open with; `''` holds those that may open any line. */
function dispatchByFirstChar(patterns: GatedPattern[]): Map<string, LineCandidate[]> {
  const firsts = patterns.map((pattern) => (pattern.scope === 'contains' ? 'any' : firstChars(pattern.match, data.agencies)));
  const keys = new Set<string>(['']);
  for (const first of firsts) if (first !== 'any') for (const char of first) keys.add(char);
  const applies = (first: FirstChars, key: string) => first === 'any' || first.has(key);
  const candidates = patterns.map(
    (pattern): LineCandidate => ({
      pattern,
      wordLimit: pattern.wordLimit,
      caption: pattern.kind === 'caption',
      gateWords: Int32Array.from(pattern.gates, (gate) => gate.words),
      gateChars: Int32Array.from(pattern.gates, (gate) => gate.chars),
      openings: ((openings) => (openings === 'any' ? [] : openings))(pattern.scope === 'contains' ? 'any' : lineOpenings(pattern.match, data.agencies)),
    }),
  );
  return new Map([...keys].map((key) => [key, candidates.filter((_, at) => applies(firsts[at], key))]));
}

/** Bits of the character classes (as their `iu` regular expressions match) for each UTF-16 unit: the first 31 classes. */
function classBitsOf(classes: { chars: string[]; digit: boolean }[]): Uint32Array {
  const fold = foldUnits();
  const byFolded = new Map<number, number>();
  const bits = new Uint32Array(0x10000);
  classes.slice(0, 31).forEach(({ chars, digit }, id) => {
    for (const char of chars) byFolded.set(fold[char.charCodeAt(0)], (byFolded.get(fold[char.charCodeAt(0)]) ?? 0) | (1 << id));
    if (digit) for (let code = 48; code <= 57; code++) bits[code] |= 1 << id;
  });
  for (let code = 0; code < 0x10000; code++) bits[code] |= byFolded.get(fold[code]) ?? 0;
  return bits;
}

/** The character classes a text holds, one bit each (as {@link classBitsOf}), with bit 31 set to say it was read. */
function classMask(text: string, bits: Uint32Array): number {
  let mask = 1 << 31;
  for (let at = 0; at < text.length; at++) mask |= bits[text.charCodeAt(at)];
  return mask;
}

function compile(options: Options): Compiled {
  let compiled = compiledByOptions.get(options);
  if (compiled) return compiled;
  const disabled = new Set(options.disable);
  const byId = new Map<string, PhrasePattern>(data.patterns.map((pattern) => [pattern.id, pattern]));
  for (const pattern of options.patterns) byId.set(pattern.id, pattern);
  const configured = new Set(options.patterns);
  // A pattern's anchor sets are its gates: the words of each are found by one scan of the document, its
  // single characters (a digit, a slash) by a character class tried on a line when needed. A set after the
  // best with a word under four letters is dropped: scanning for "the" costs more than it saves.
  const wordSets = new Map<string, number>();
  const charClasses = new Map<string, number>();
  const classDefinitions: { chars: string[]; digit: boolean }[] = [];
  const idOf = (ids: Map<string, number>, key: string) => (ids.has(key) ? ids.get(key)! : ids.set(key, ids.size).get(key)!);
  const patterns = [...byId.values()]
    .filter((p) => !disabled.has(p.id) && !disabled.has(p.kind))
    .map((p): GatedPattern => {
      // Shipped patterns are compiled when first needed; a config pattern at once, so that a bad one fails early.
      const compiledPattern = compilePattern(p, data.agencies, !configured.has(p));
      const gates = compiledPattern.anchors.flatMap(({ words, edges, digit }, rank): Gate[] => {
        const long = words.flatMap((word, index) => (word.length > 1 ? [[word, edges[index]] as const] : []));
        const chars = words.filter((word) => word.length === 1);
        if (rank > 0 && long.some(([word]) => word.length < 4)) return [];
        const charClass = chars.length || digit ? `[${chars.map((char) => `\\u{${char.codePointAt(0)!.toString(16)}}`).join('')}${digit ? '\\d' : ''}]` : '';
        if (charClass && !charClasses.has(charClass)) classDefinitions.push({ chars, digit });
        return [{ words: long.length ? idOf(wordSets, JSON.stringify(long)) : -1, chars: charClass ? idOf(charClasses, charClass) : -1 }];
      });
      return Object.assign(compiledPattern, { gates });
    });
  const whole = patterns.filter((p) => p.scope !== 'inline');
  const maxWords = Math.max(0, ...whole.map((p) => p.wordLimit));
  const byFirstChar = dispatchByFirstChar(whole);
  compiled = {
    inline: ['giu', 'gu']
      .map((flags): [RegExp, GatedPattern[]] => {
        const group = patterns.filter((p) => p.scope === 'inline' && p.regex.flags === flags);
        return [new RegExp(group.map((p) => `(${p.regex.source})`).join('|'), flags), group];
      })
      .filter(([, group]) => group.length > 0),
    byFirstChar,
    anchorScanner: compileAnchorScanner(...anchorSets([...wordSets.keys()].map((key) => JSON.parse(key) as [string, number][]), data.boilerplateCues)),
    cueWords: wordSets.size,
    charClasses: [...charClasses.keys()].map((key) => new RegExp(key, 'iu')),
    classBits: classBitsOf(classDefinitions),
    cueSearch: new RegExp(data.boilerplateCues.map((cue) => cue.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'i'),
    maxLength: maxWords * 12,
    maxWords,
    maxOpening: Math.max(0, ...[...byFirstChar.values()].flat().flatMap((candidate) => candidate.openings.map((opening) => opening.length))),
    trailerMarkers: new Set([...data.trailerMarkers, ...options.trailerMarkers].map(markerKey)),
    linkBlockMarkers: new Set(data.linkBlockMarkers.map(markerKey)),
    markerInitials: markerInitials([...data.trailerMarkers, ...options.trailerMarkers, ...data.linkBlockMarkers].map(markerKey)),
    markerMaxAlnum: Math.max(0, ...[...data.trailerMarkers, ...options.trailerMarkers, ...data.linkBlockMarkers].map((marker) => asciiAlnum(markerKey(marker), Infinity))),
    // Lower-case names with attribute-like content only: newswire "<DD>" tickers and "<Strong Point Inc>"
    // company tags are not markup.
    htmlTag: new RegExp(`</?(?:${data.htmlElements.join('|')})(?:\\s+[a-z_:][\\w:.-]*(?:\\s*=\\s*(?:"[^"\\n]*"|'[^'\\n]*'|[^\\s"'<>]+))?){0,20}\\s*/?>`, 'g'),
    disabled,
  };
  compiledByOptions.set(options, compiled);
  return compiled;
}

/** Scanner input: each gate's words with their edges, then the boilerplate cues (counted anywhere). */
function anchorSets(gates: [string, number][][], cues: string[]): [string[][], number[][]] {
  return [[...gates.map((words) => words.map(([word]) => word)), cues], gates.map((words) => words.map(([, edges]) => edges))];
}

const markerKey = (line: string) => line.toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/[\s.…:›»>]+$/u, '').replace(/\s+/g, ' ').trim();
/** ASCII letters and digits in a text, counted up to `cap` + 1. */
function asciiAlnum(text: string, cap: number): number {
  let count = 0;
  for (let at = 0; at < text.length && count <= cap; at++) {
    const code = text.charCodeAt(at);
    if ((code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122)) count++;
  }
  return count;
}
const markerInitials = (keys: string[]) => (keys.includes('') ? undefined : new Set(keys.map((key) => key[0])));

/** The first character of a line's marker key when it has one: its first character after white space, lower-cased. */
function markerInitial(line: string): string {
  let first = 0;
  while (first < line.length && isSpaceUnit(line.charCodeAt(first))) first++;
  const code = line.charCodeAt(first);
  if (code >= 65 && code <= 90) return String.fromCharCode(code + 32);
  if (code < 128) return line[first] ?? '';
  return line.slice(first, first + 2).toLowerCase().replace(/[\u2018\u2019]/g, "'")[0] ?? '';
}
/** The code units `\s` matches. */
const isSpaceUnit = (code: number) =>
  code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || (code >= 0x1680 && (code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff));

/** Whether a text is only white space (as `text.trim() === ''`, without the copy). */
function isBlank(text: string): boolean {
  for (let at = 0; at < text.length; at++) if (!isSpaceUnit(text.charCodeAt(at))) return false;
  return true;
}

/**
 * Whitespace-separated tokens, counted up to `cap` (a limit test needs no more): a cheap word count for
 * length limits (a regex match per line costs far more).
 */
function wordCount(text: string, cap = Infinity): number {
  let count = 0;
  let inToken = false;
  for (let at = 0; at < text.length && count < cap; at++) {
    const code = text.charCodeAt(at);
    const space = code === 32 || (code >= 9 && code <= 13) || code === 0xa0;
    if (!space && !inToken) count++;
    inToken = !space;
  }
  return count;
}
/** A line that reads as a sentence of prose: enough words, ending like a sentence. */
const isProse = (text: string, minWords = 8) => wordCount(text, minWords) >= minWords && /[.!?…]["'\u201d\u2019)\]]*$/u.test(text.trim());
const clip = (text: string, max = 60) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const TWEET_SIGNATURE = /(^|\s)[\u2014\u2015\u2013-]\s*[^()\n]{0,80}\(@\w{1,30}\)\s*(?:[A-Z][a-z]+\.? \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]+ \d{4})?\s*$/u;
const LINK_LINE = /^\s*(?:(?:https?:\/\/|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@\w{1,30}|(?:twitter|x|instagram|facebook)\.com\/\S+|[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|co\.uk)\/\S*)(?:\s*[,;|·]?\s*(?:(?:https?:\/\/|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@\w{1,30}))*\s*$/iu;
/** A link line of at most 300 characters. Every link LINK_LINE knows holds "/", "@" or "www.": cheap tests first. */
const isLinkLine = (text: string) => text.length <= 300 && (text.includes('/') || text.includes('@') || /www\./i.test(text)) && LINK_LINE.test(text);
const IMAGE_URL = /^\s*(?:https?:\/\/|www\.)\S+\.(?:jpe?g|png|gif|webp|svg)(?:\?\S*)?\s*$/i;
// Shortcodes of blog engines: "[button link=\"…\"]", "[/button]".
const SHORTCODE = /\[\/?[a-z_]{2,20}(?:\s+[a-z_-]+=(?:"[^"\]\n]*"|'[^'\]\n]*'|[^\s\]]+))+\s*\/?\]|\[\/[a-z_]{2,20}\]/g;
const SPACE_BEFORE_PUNCTUATION = /(?<=[\p{L}\p{N})\]"\u201d\u2019%])([ \t]+)([.,;:?!])(?=[\s"'\u201d\u2019)\]]|$)/gu;

/**
 * Remove whole lines `first`..`last` with their line break; a paragraph of its own takes the blank lines
 * after it, and the last lines of a text take the line breaks before them, so no gap is left.
 */
function removeLines(text: string, first: TextLine, last: TextLine, floor: number): Fix {
  let start = first.start;
  let end = last.end;
  const newline = text.indexOf('\n', end);
  if (newline >= 0) {
    end = newline + 1;
    if (start === 0 || /\n[ \t]*\r?\n$/.test(text.slice(Math.max(0, start - 4), start))) {
      for (let blank = /^[ \t]*\r?\n/.exec(text.slice(end)); blank; blank = /^[ \t]*\r?\n/.exec(text.slice(end))) end += blank[0].length;
    }
  } else {
    // Metadata is blanked with spaces in `text`: never reach back into it.
    while (start > floor && /\s/.test(text[start - 1])) start--;
  }
  return { start, end, text: '' };
}

/** Remove an inline span and one space beside it. */
function removeSpan(text: string, start: number, end: number): Fix {
  if (text[end] === ' ' && (start === 0 || /\s/.test(text[start - 1]))) return { start, end: end + 1, text: '' };
  if (text[start - 1] === ' ') return { start: start - 1, end, text: '' };
  return { start, end, text: '' };
}

/** Is the span quoted or discussed as markup ("the `<b>` tag"), as in an article about HTML? */
function isQuotedMarkup(line: string, start: number, end: number): boolean {
  const before = line.slice(Math.max(0, start - 30), start);
  const after = line.slice(end, end + 30);
  if (/["'\u201c\u2018`«]\s*$/u.test(before) && /^\s*["'\u201d\u2019`»]/u.test(after)) return true;
  return /\b(?:tag|tags|element|elements|entity|entities|markup|html|code|type|typing|write|writes|written)\b/i.test(`${before} ${after}`);
}

const stripEdges = (text: string) => text.replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '');

/** A short line that no prose or heading looks like: a lowercase label or a run of symbols. */
function isStrayLabel(text: string): boolean {
  const trimmed = text.trim();
  if (/^\s*(?:[-*\u2022\u25aa\u2013]|\d+[.)])\s/u.test(text)) return false;
  // A run of mixed symbols with no letter ("--- | ---", "|=|=|"), but not a section break ("* * *", "―――").
  if (!/\p{L}/u.test(trimmed)) {
    const marks = trimmed.replace(/\s/g, '');
    return marks.length >= 3 && new Set(marks).size > 1 && !/\p{Extended_Pictographic}/u.test(trimmed) && !/\d/.test(trimmed);
  }
  const core = stripEdges(trimmed);
  const words = core.split(/\s+/);
  // A lowercase label of one to three words ("comments", "less") where prose or a heading would be capitalised.
  return words.length <= 3 && !/^[([].*[)\]][.,;:]?$/u.test(trimmed) && /^\p{Ll}/u.test(core) && /^[\p{L}\s]+$/u.test(core);
}

/** Text broken into lines of a fixed width: most lines run on into the next one without ending a sentence. */
function isHardWrapped(lines: TextLine[]): boolean {
  let filled = 0;
  let runOn = 0;
  for (let index = 0; index < lines.length; index++) {
    const text = lines[index].text.trim();
    if (text === '') continue;
    filled++;
    const next = lines[index + 1]?.text.trim() ?? '';
    // A sentence that goes on in lower case on the next line.
    if (text.length >= 25 && text.length <= 90 && /[\p{L},;-]$/u.test(text) && /^\p{Ll}+[\s,.;]/u.test(next)) runOn++;
  }
  return runOn >= 2 && runOn * 3 >= filled;
}

/** A line of names only, as a byline without "By" reads ("Ann Lee and Bo Park, City Herald"). */
export function isNamesLine(text: string): boolean {
  const trimmed = text.trim();
  const words = trimmed.split(/\s+/);
  if (words.length < 2 || words.length > 12 || /[!?:;]$|[\p{Ll}]\.$/u.test(trimmed)) return false;
  return words.every((word) => /^(?:\p{Lu}[\p{L}.'\u2019-]*,?|and|&|[-\u2013\u2014|]|staff|wire|services|writer|writers|reporter|correspondent|editor|for|de|van|von|da)$/u.test(word));
}

/** A headline shouted in capitals ("STAR QUITS SHOW AFTER ROW"), as promoted links between paragraphs are set. */
export function isShoutedHeadline(text: string): boolean {
  // Cheap first: the opening letters are capitals (an ASCII lower-case letter among them settles it without a regex).
  for (let at = 0, seen = 0; at < text.length && seen < 12; at++) {
    const code = text.charCodeAt(at);
    if (code >= 128) break;
    if (code >= 97 && code <= 122) return false;
    if (seen > 0 || !isSpaceUnit(code)) seen++;
  }
  if (!/^[^\p{Ll}]{12}/u.test(text.trimStart())) return false;
  const letters = text.replace(/[^\p{L}]/gu, '');
  const words = wordCount(text, 26);
  // An exclamation or more than one sentence is someone shouting in a quote, not a headline.
  if (/!\s*$|[.!?]\s+\S/u.test(text.trim())) return false;
  // Short ones are subheadings ("HOW TO CHOOSE A TENT"); a promoted headline is long or quotes someone.
  if (letters.length < 12 || words > 25 || words < (/(^|\s)['\u2018"\u201c][^'\u2019"\u201d]+['\u2019"\u201d]/u.test(text) ? 6 : 8)) return false;
  const upper = letters.replace(/[^\p{Lu}]/gu, '').length;
  const lower = letters.replace(/[^\p{Ll}]/gu, '').length;
  return upper >= 12 && lower * 10 <= upper && /^[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}]+$/u.test(letters);
}

interface Found extends Descriptor {
  line?: number;
}

// Hand-written 53-bit FNV-style hash: a node:crypto digest per line would cost more than the whole scan.
// With `collapseSpaces` it hashes `text.replace(/\s+/g, ' ').trim()` without building that copy of a document.
function fnv(text: string, collapseSpaces = false): number {
  let low = 0x811c9dc5 | 0;
  let high = 0x01000193;
  let started = false;
  let spaceBefore = false;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (collapseSpaces && (code <= 32 || code >= 0x85) && isSpaceUnit(code)) {
      spaceBefore = started;
      continue;
    }
    if (spaceBefore) {
      // The space that stands for the run is hashed, then this unit.
      code = 32;
      i--;
    }
    spaceBefore = false;
    started = true;
    // Kept as int32 in the loop (uint32 values would leave V8's small integers); the bits are the same.
    low = Math.imul(low ^ code, 0x01000193);
    high = Math.imul(high ^ code, 0x5bd1e995);
  }
  return (high & 0x1fffff) * 0x100000000 + (low >>> 0);
}

const boilerplateKey = (text: string) =>
  text.toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/\s+/g, ' ').replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '');

/** Whether a line that recurs across documents would be page furniture rather than a sentence or heading. */
function isBoilerplateCandidate(text: string, cues: RegExp, mayHoldCue: boolean): boolean {
  const trimmed = text.trim();
  if (trimmed.length > 400) return false;
  const words = wordCount(trimmed, 41);
  if (words === 0 || words > 40) return false;
  if (/:$/.test(trimmed) || /^["'\u201c\u2018«(]/u.test(trimmed)) return false;
  if (mayHoldCue && cues.test(trimmed)) return true;
  // Quoted titles (a list of nominees or films) recur in articles on the same subject.
  if (/["\u201c\u201d\u2018\u2019«»]/u.test(trimmed)) return false;
  if (isProse(trimmed, 6)) return false;
  // Figures make a templated report line ("Qtly div 10 cts vs 10 cts prior"), not a site's furniture.
  if (/\d/.test(trimmed)) return false;
  // A short title-like line (a recurring section heading of a column) is not furniture by itself.
  if (words <= 6 && /^[\p{Lu}\d][\p{L}\p{N}\s'\u2019&,-]*$/u.test(trimmed)) return false;
  // A recurring line of 3-12 words that is no sentence (a slogan, a footer); longer ones are standfirsts or bios.
  return /[!?|·•]/.test(trimmed) || (words >= 3 && words <= 12 && !/[.!?]["'\u201d\u2019]?$/.test(trimmed));
}

/**
 * One document's check. Methods rather than closures in one large `check`: V8 recompiles a function whole
 * each time one of its rare branches is first taken, and recompiling that one cost more than the scan.
 */
class DocumentCheck {
  readonly context: RuleContext<Options>;
  readonly compiled: Compiled;
  readonly text: string;
  readonly lines: TextLine[];
  readonly found: Found[] = [];
  readonly flaggedLine: Uint8Array;
  /** Lines of marker blocks left to off-topic-trailer. */
  readonly owned: Uint8Array;
  /** Marker blocks inside the article, reported here. */
  readonly inner: { from: number; to: number }[];
  /** Which anchor sets each line holds (one byte per line and set), and which the document holds. */
  readonly gates: number;
  readonly lineGates: Uint8Array;
  readonly documentGates: Uint8Array;
  /** Character classes each line holds (0: not read yet). */
  readonly lineChars: Int32Array;
  /** Inline findings, which the later span scans do not overlap. */
  inlineTaken: Found[] = [];

  constructor(context: RuleContext<Options>, compiled: Compiled) {
    this.context = context;
    this.compiled = compiled;
    this.text = context.text;
    this.lines = context.lines;
    this.flaggedLine = new Uint8Array(this.lines.length);
    ({ owned: this.owned, inner: this.inner } = markerBlocks(this.lines, compiled));
    this.gates = compiled.anchorScanner.sets;
    this.lineGates = new Uint8Array(this.lines.length * this.gates);
    this.documentGates = new Uint8Array(this.gates);
    compiled.anchorScanner.mark(this.text, this.lines, this.lineGates, this.documentGates);
    this.lineChars = new Int32Array(this.lines.length);
  }

  on(kind: string): boolean {
    return !this.compiled.disabled.has(kind);
  }

  run(): CorpusData | undefined {
    const { text, lines } = this;
    // In hard-wrapped text (newswire) a line is a piece of a sentence: line cues would misread it.
    const wrapped = isHardWrapped(lines);
    for (const block of this.inner) if (this.on('related-links') && !wrapped) this.reportLines(block.from, block.to, 'relatedLinks', 'related-links');
    // A signature holds "(@handle)".
    if (!wrapped) this.scanLines(this.on('social') && this.on('tweet-signature') && text.includes('(@'));
    if (this.failedScrape()) return undefined;
    this.scanSpans();
    emit(this.context, this.found);
    if (!this.on('learned-boilerplate') || wrapped) return undefined;
    return { fingerprint: fnv(text, true), lines: this.boilerplateCandidates() };
  }

  /** Report lines `from`..`to` (inclusive) as one leftover; the fix removes them with their line breaks. */
  reportLines(from: number, to: number, messageId: string, kind: string): void {
    const { text, context } = this;
    const first = this.lines[from];
    const last = this.lines[to];
    const start = first.start + first.text.search(/\S/);
    const end = last.start + last.text.trimEnd().length;
    // A line that shares its start with metadata (the header line) loses only the span.
    const fix = first.start >= context.doc.contentStart ? removeLines(text, first, last, context.doc.contentStart) : removeSpan(text, start, end);
    this.found.push({ messageId, kind, start, end, data: { text: clip(text.slice(start, end)) }, fix, line: from });
    for (let index = from; index <= to; index++) this.flaggedLine[index] = 1;
  }

  blank(index: number): boolean {
    return isBlank(this.lines[index].text);
  }

  nextNonBlank(index: number, step: 1 | -1): number {
    let at = index + step;
    while (at >= 0 && at < this.lines.length && this.blank(at)) at += step;
    return at >= 0 && at < this.lines.length ? at : -1;
  }

  /**
   * A structural cue only counts for a line standing alone between prose (or flagged lines, or the document's edges).
   * `alike` lets a neighbour of the same sort count too (a run of link lines).
   */
  amidProse(index: number, alike?: (text: string) => boolean): boolean {
    const before = this.nextNonBlank(index, -1);
    const after = this.nextNonBlank(index, 1);
    const fits = (at: number) => at < 0 || this.flaggedLine[at] === 1 || isProse(this.lines[at].text) || (alike?.(this.lines[at].text) ?? false);
    return fits(before) && fits(after) && (before >= 0 || after >= 0);
  }

  /** A run of shouted headlines with prose (or flagged lines) before it and prose or the end after it. */
  shoutedAmidProse(index: number): boolean {
    const { lines } = this;
    const before = this.nextNonBlank(index, -1);
    let after = this.nextNonBlank(index, 1);
    while (after >= 0 && isShoutedHeadline(lines[after].text)) after = this.nextNonBlank(after, 1);
    return before >= 0 && (this.flaggedLine[before] === 1 || isProse(lines[before].text)) && (after < 0 || isProse(lines[after].text));
  }

  headlineLike(index: number): boolean {
    const { text } = this.lines[index];
    const words = wordCount(text, 17);
    return words >= 2 && words <= 16 && !isProse(text, 6) && !/[,;:]$/.test(text.trim());
  }

  holdsChars(index: number, id: number): boolean {
    if (id >= 31) return this.compiled.charClasses[id].test(this.lines[index].text);
    if (this.lineChars[index] === 0) this.lineChars[index] = classMask(this.lines[index].text, this.compiled.classBits);
    return (this.lineChars[index] & (1 << id)) !== 0;
  }

  /** Whether a line holds, for each gate of a pattern, one of its words or characters. */
  inLine(candidate: LineCandidate, index: number): boolean {
    const { gateWords, gateChars } = candidate;
    const base = index * this.gates;
    for (let at = 0; at < gateWords.length; at++) {
      if (!((gateWords[at] >= 0 && this.lineGates[base + gateWords[at]] === 1) || (gateChars[at] >= 0 && this.holdsChars(index, gateChars[at])))) return false;
    }
    return true;
  }

  inDocument(pattern: GatedPattern): boolean {
    return pattern.gates.every((gate) => (gate.words >= 0 && this.documentGates[gate.words] === 1) || (gate.chars >= 0 && this.compiled.charClasses[gate.chars].test(this.text)));
  }

  /** Line by line: tweet signatures, phrase patterns, link lines, promoted headlines and stray labels. */
  scanLines(tweets: boolean): void {
    const { lines, owned, flaggedLine, compiled } = this;
    for (let index = 0; index < lines.length; index++) {
      const content = lines[index].text;
      if (owned[index] || flaggedLine[index] || this.blank(index)) continue;
      // The rest of a sentence wrapped from the line above ("a\nshare.", "on\nMarch 30, 1990.") is no line of its own.
      // A link or a timestamp never continues a sentence.
      if (index > 0 && wordCount(content, 4) <= 3 && lines[index - 1].text.trim().length >= 25 && /[\p{Ll},;-]\s*$/u.test(lines[index - 1].text) && !/:\/\/|^\s*\d{4}-\d\d-\d\dT\d/.test(content)) continue;
      if (tweets && TWEET_SIGNATURE.test(content)) {
        this.reportTweet(index, content);
        continue;
      }
      // No phrase pattern applies to a paragraph longer than any pattern's word limit.
      const candidates = content.length <= compiled.maxLength ? compiled.byFirstChar.get(firstAlnum(content)) ?? compiled.byFirstChar.get('')! : [];
      const hit = candidates.length ? this.phraseAt(index, content, candidates) : undefined;
      if (hit) {
        index = this.reportPhrase(index, hit);
        continue;
      }
      if (this.on('link-line') && isLinkLine(content) && (IMAGE_URL.test(content) || this.amidProse(index, isLinkLine))) {
        this.reportLines(index, index, 'linkLine', 'link-line');
        continue;
      }
      if (this.on('promo-headline') && content.length <= 200 && isShoutedHeadline(content) && this.shoutedAmidProse(index)) {
        this.reportLines(index, index, 'caption', 'promo-headline');
        continue;
      }
      if (this.on('stray-label') && content.length <= 40 && isStrayLabel(content) && this.amidProse(index)) {
        this.reportLines(index, index, 'caption', 'stray-label');
        continue;
      }
    }
  }

  /** The signature line of an embedded post takes the post's text line just above it. */
  reportTweet(index: number, content: string): void {
    const standalone = /^\s*[\u2014\u2015\u2013-]/u.test(content);
    const above = index - 1;
    const withText = standalone && above >= 0 && !this.blank(above) && !this.flaggedLine[above] && !this.owned[above];
    this.reportLines(withText ? above : index, index, 'socialEmbed', 'social');
  }

  /** The first phrase pattern (in order) that matches a line, among those its gates let through. */
  phraseAt(index: number, content: string, candidates: LineCandidate[]): GatedPattern | undefined {
    const words = wordCount(content, this.compiled.maxWords + 1);
    // A line ending in a colon leads in to what follows: a heading or list label, never a caption.
    let leadIn: boolean | undefined;
    let head: string | undefined;
    for (let at = 0; at < candidates.length; at++) {
      const candidate = candidates[at];
      if (words > candidate.wordLimit || !this.inLine(candidate, index)) continue;
      const { openings } = candidate;
      if (openings.length) {
        head ??= foldedHead(content, this.compiled.maxOpening);
        let opens = false;
        for (let which = 0; which < openings.length && !opens; which++) opens = head.startsWith(openings[which]);
        if (!opens) continue;
      }
      if (candidate.caption && (leadIn ??= /:\s*$/.test(content))) continue;
      const { regex } = candidate.pattern;
      regex.lastIndex = 0;
      if (regex.test(content)) return candidate.pattern;
    }
    return undefined;
  }

  /** Report a line a phrase pattern matched (with the headlines it opens, or the byline above it); the last line taken. */
  reportPhrase(index: number, hit: GatedPattern): number {
    const { lines, owned, flaggedLine, found, text } = this;
    // A link line that opens a run of headlines inside the article takes the run with it.
    let to = index;
    if (hit.opensList) {
      let at = index + 1;
      while (at < lines.length && (this.blank(at) || (this.headlineLike(at) && !owned[at] && !flaggedLine[at]))) at++;
      let last = at - 1;
      while (last > index && this.blank(last)) last--;
      const run = lines.slice(index + 1, last + 1).filter((l) => l.text.trim() !== '').length;
      if (run >= 2 && at < lines.length) to = last;
    }
    this.reportLines(index, to, KIND_MESSAGE[hit.kind], to > index ? 'related-links' : hit.kind);
    const above = hit.takesBylineAbove ? this.nextNonBlank(index, -1) : -1;
    if (above >= 0 && !flaggedLine[above] && !owned[above] && isNamesLine(lines[above].text)) {
      const dateline = found[found.length - 1];
      this.reportLines(above, above, 'caption', 'byline');
      // Byline and dateline make one paragraph: the dateline's fix takes the blank lines after it, as the paragraph's would.
      const blanks = /^(?:[ \t]*\r?\n)+/.exec(text.slice(dateline.fix!.end));
      if (above === index - 1 && dateline.fix!.end > dateline.end && blanks) dateline.fix = { ...dateline.fix!, end: dateline.fix!.end + blanks[0].length };
    }
    return to;
  }

  /** A page that is mostly a bot wall or error page is one failed scrape, not a few leftovers: reported as one, then true. */
  failedScrape(): boolean {
    const { found, text } = this;
    const walls = found.filter((f) => f.kind === 'bot-wall');
    if (!walls.length) return false;
    let rest = 0;
    this.lines.forEach((line, index) => {
      if (!this.flaggedLine[index] && !this.owned[index]) rest += wordCount(line.text);
    });
    if (rest >= 60 || !this.on('failed-scrape')) return false;
    const first = text.search(/\S/);
    const last = text.trimEnd().length;
    found.length = 0;
    found.push({ messageId: 'failedScrape', kind: 'failed-scrape', start: first, end: last, data: { text: clip(text.slice(walls[0].start, walls[0].end), 50) } });
    emit(this.context, found);
    return true;
  }

  lineIndexAt(offset: number): number {
    const { lines } = this;
    let low = 0;
    let high = lines.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lines[middle].start <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** Whether the line at `start` is neither flagged nor owned. */
  free(start: number): boolean {
    const index = this.lineIndexAt(start);
    return !this.flaggedLine[index] && !this.owned[index];
  }

  /** Free, and no inline finding overlaps the span. */
  clear(start: number, end: number): boolean {
    return this.free(start) && !this.inlineTaken.some((f) => f.start < end && start < f.end);
  }

  /** Spans within lines: inline patterns, mojibake, entities, tags, shortcodes, invisible characters, spaces before punctuation. */
  scanSpans(): void {
    const { text, lines, found, compiled } = this;
    for (const [regex, patterns] of compiled.inline) {
      if (!patterns.some((pattern) => this.inDocument(pattern))) continue;
      regex.lastIndex = 0;
      for (const match of text.matchAll(regex)) {
        const start = match.index;
        const end = start + match[0].length;
        if (!this.free(start) || start === end) continue;
        // One capture group per pattern (the translation makes the patterns' own groups non-capturing).
        const pattern = patterns[match.findIndex((group, at) => at > 0 && group !== undefined) - 1];
        if (!pattern) continue;
        found.push({ messageId: KIND_MESSAGE[pattern.kind], kind: pattern.kind, start, end, data: { text: clip(match[0]) }, fix: removeSpan(text, start, end) });
      }
    }
    this.inlineTaken = found.filter((f) => f.line === undefined);

    if (this.on('mojibake') && /[\u00c2-\u00f4]/.test(text)) {
      for (const residue of findMojibake(text)) {
        if (!this.clear(residue.start, residue.end)) continue;
        const actual = text.slice(residue.start, residue.end);
        found.push({ messageId: 'mojibake', kind: 'mojibake', start: residue.start, end: residue.end, data: { text: actual, expected: residue.replacement }, actual, expected: [residue.replacement], fix: { start: residue.start, end: residue.end, text: residue.replacement } });
        this.inlineTaken.push(found[found.length - 1]);
      }
    }
    if (this.on('html-entity') && text.includes('&')) {
      for (const residue of findEntities(text)) {
        const line = lines[this.lineIndexAt(residue.start)];
        if (!this.clear(residue.start, residue.end) || isQuotedMarkup(line.text, residue.start - line.start, residue.end - line.start)) continue;
        const actual = text.slice(residue.start, residue.end);
        found.push({ messageId: 'htmlEntity', kind: 'html-entity', start: residue.start, end: residue.end, data: { text: actual, expected: residue.replacement }, actual, expected: [residue.replacement], fix: { start: residue.start, end: residue.end, text: residue.replacement } });
      }
    }
    if (this.on('html-tag') && text.includes('<')) {
      compiled.htmlTag.lastIndex = 0;
      for (const match of text.matchAll(compiled.htmlTag)) {
        const start = match.index;
        const end = start + match[0].length;
        const line = lines[this.lineIndexAt(start)];
        if (!this.clear(start, end) || isQuotedMarkup(line.text, start - line.start, end - line.start)) continue;
        found.push({ messageId: 'htmlTag', kind: 'html-tag', start, end, data: { text: clip(match[0]) }, actual: match[0], fix: { start, end, text: '' } });
      }
    }
    if (this.on('html-tag') && (text.includes('[/') || /\[[a-z_]{2,20}\s+[a-z_-]+=/.test(text))) {
      for (const match of text.matchAll(SHORTCODE)) {
        const start = match.index;
        const end = start + match[0].length;
        if (!this.clear(start, end)) continue;
        found.push({ messageId: 'htmlTag', kind: 'html-tag', start, end, data: { text: clip(match[0]) }, actual: match[0], fix: { start, end, text: '' } });
      }
    }
    if (this.on('control-character')) {
      for (const residue of findInvisible(text)) {
        if (!this.clear(residue.start, residue.end)) continue;
        found.push({ messageId: 'invisibleCharacter', kind: 'control-character', start: residue.start, end: residue.end, data: { codes: describeCodePoints(text.slice(residue.start, residue.end)) }, fix: { start: residue.start, end: residue.end, text: '' } });
      }
    }
    if (this.on('space-before-punctuation') && /[ \t][.,;:?!]/.test(text)) spacesBeforePunctuation(text, lines, (start) => this.free(start), found);
  }

  /** Lines that may be a site's furniture, as [hash of the line's key, start, end], for the corpus step to count. */
  boilerplateCandidates(): [number, number, number][] {
    const { lines, compiled } = this;
    const candidates: [number, number, number][] = [];
    lines.forEach((line, index) => {
      if (this.flaggedLine[index] || this.owned[index] || !isBoilerplateCandidate(line.text, compiled.cueSearch, this.lineGates[index * this.gates + compiled.cueWords] === 1)) return;
      // A line cut mid-sentence (it goes on in lower case, or ends on a lower-case word before more text) is a wrapped fragment.
      const next = lines[index + 1]?.text ?? '';
      if (/^\s*\p{Ll}/u.test(next) || (next.trim() !== '' && /[\p{Ll},]$/u.test(line.text.trim()))) return;
      const key = boilerplateKey(line.text);
      if (key.length >= 3) candidates.push([fnv(key), line.start, line.end]);
    });
    return candidates;
  }
}

/** What the scraper left in the text: captions, prompts, social residue, bot walls, mojibake, markup, stray spaces, and learned boilerplate. */
export default defineRule<Options, CorpusData>({
  meta: {
    id: 'scraping-artifact',
    description: 'Leftovers of scraping: captions, prompts, embedded-post residue, bot walls, mojibake, entities and tags, invisible characters, spaces before punctuation, and boilerplate lines learned from the corpus.',
    url: 'https://github.com/corpus-lint/corpus-lint#scraping-artifact',
    defaultSeverity: 'warn',
    messages: {
      caption: 'Unexpected caption or page widget `{{text}}` (caption), expected the text without it',
      linkLine: 'Unexpected link line `{{text}}` standing in the article (link-line), expected the text without it',
      relatedLinks: 'Unexpected related-links block `{{text}}` inside the article (related-links), expected the text without it',
      prompt: 'Unexpected reader prompt `{{text}}` (prompt), expected the text without it',
      socialEmbed: 'Unexpected embedded social-media residue `{{text}}` (social-embed), expected the text without it',
      botWall: 'Unexpected bot-wall or error-page text `{{text}}` (bot-wall), expected the text without it',
      failedScrape: 'Unexpected bot-wall or error page instead of an article (failed-scrape: `{{text}}`), expected the article text (fetch the page again)',
      mojibake: 'Unexpected mojibake `{{text}}` (UTF-8 read as cp1252), expected `{{expected}}`',
      htmlEntity: 'Unexpected HTML entity `{{text}}` (html-entity), expected `{{expected}}`',
      htmlTag: 'Unexpected HTML tag `{{text}}` (html-tag), expected the text without it',
      invisibleCharacter: 'Unexpected invisible character {{codes}} (control-character), expected it removed',
      spaceBeforePunctuation: 'Unexpected space before `{{mark}}` in `{{text}}` (space-before-punctuation), expected `{{expected}}`',
      learnedBoilerplate: 'Unexpected boilerplate line found in {{count}} documents (learned-boilerplate), expected the text without it',
    },
    schema: {
      type: 'object',
      properties: {
        patterns: { type: 'array', items: structuredClone(patternDataSchema.$defs.pattern), default: [] },
        disable: { type: 'array', items: { type: 'string' }, default: [] },
        trailerMarkers: { type: 'array', items: { type: 'string', minLength: 1 }, default: [] },
        minDocuments: { type: 'integer', minimum: 2, default: 3 },
      },
      additionalProperties: false,
    },
  },
  check(context) {
    return new DocumentCheck(context, compile(context.options)).run();
  },
  complete(corpus) {
    // Count distinct documents (by fingerprint, so exact duplicates count once) per line hash.
    const seen = new Map<number, Set<number>>();
    for (const entry of corpus.entries) {
      for (const [hash] of entry.data.lines) {
        let set = seen.get(hash);
        if (!set) seen.set(hash, (set = new Set()));
        set.add(entry.data.fingerprint);
      }
    }
    const firstSeen = new Map<number, { doc: number; start: number; end: number }>();
    for (const entry of corpus.entries) {
      const done = new Set<number>();
      for (const [hash, start, end] of entry.data.lines) {
        const count = seen.get(hash)!.size;
        if (count < corpus.options.minDocuments || done.has(hash)) continue;
        done.add(hash);
        const first = firstSeen.get(hash);
        if (!first) firstSeen.set(hash, { doc: entry.doc, start, end });
        const related = first && first.doc !== entry.doc ? [{ ...first, message: 'the same line in another document' }] : [];
        corpus.report(entry.doc, { messageId: 'learnedBoilerplate', kind: 'learned-boilerplate', start, end, data: { count }, ...(related.length ? { related } : {}) });
      }
    }
  },
});

/**
 * Marker lines with the non-prose lines after them. off-topic-trailer reports a block of one of its markers
 * ("You may also like", "Don't miss") that has two headlines or more, and any marked block or tag list that
 * runs to the end of the document: those are owned (left alone). Any other block inside an article, and
 * the blocks of markers it does not know ("More:", "Filed under:"), are related-links leftovers reported here.
 */
function markerBlocks(lines: TextLine[], { trailerMarkers, linkBlockMarkers, markerInitials, markerMaxAlnum }: Compiled): { owned: Uint8Array; inner: { from: number; to: number }[] } {
  const owned = new Uint8Array(lines.length);
  const inner: { from: number; to: number }[] = [];
  for (let index = 0; index < lines.length; index++) {
    const { text } = lines[index];
    // Lower-casing keeps ASCII letters and digits (and may add some): a key holds at least the line's.
    if (text.length > 60 || asciiAlnum(text, markerMaxAlnum) > markerMaxAlnum || (markerInitials && !markerInitials.has(markerInitial(text)))) continue;
    const key = markerKey(lines[index].text);
    const linkBlock = linkBlockMarkers.has(key);
    if (!linkBlock && !trailerMarkers.has(key)) continue;
    let to = index;
    let headlines = 0;
    let at = index + 1;
    for (; at < lines.length; at++) {
      const trimmed = lines[at].text.trim();
      if (trimmed === '') continue;
      if (isProse(trimmed, 15)) break;
      if (wordCount(trimmed, 3) >= 3) headlines++;
      to = at;
    }
    if (at >= lines.length || (!linkBlock && headlines >= 2)) owned.fill(1, index, to + 1);
    else inner.push({ from: index, to });
    index = to;
  }
  return { owned, inner };
}

/** A space before . , ; : ? ! where prose has none: not in numbers, ellipses, emoticons or French spacing. */
function spacesBeforePunctuation(text: string, lines: TextLine[], free: (start: number) => boolean, found: Found[]): void {
  const french = /[«»]/.test(text);
  for (const line of lines) {
    if (!/[ \t][.,;:?!]/.test(line.text) || !free(line.start)) continue;
    // A table or list of figures ("3 . 5", "12 , 4") is not prose.
    const numbers = (line.text.match(/\d+/g) ?? []).length;
    if (numbers >= 3 && numbers > wordCount(line.text) / 2) continue;
    for (const match of line.text.matchAll(SPACE_BEFORE_PUNCTUATION)) {
      const at = match.index;
      const mark = match[2];
      const before = line.text[at - 1];
      const after = line.text.slice(at + match[0].length);
      if (mark === '.' && (/^\s*\./.test(after) || /\.\s*$/.test(line.text.slice(0, at)))) continue;
      if (/\d/.test(before) && /^\s*\d/.test(after)) continue;
      if (french && /[;:?!]/.test(mark)) continue;
      // "VIP : 60,000" in a short label line, or a spaced colon ending a lead-in, is a layout choice.
      if (mark === ':' && (wordCount(line.text) <= 8 || after.trim() === '')) continue;
      if (/^[)(DPp]/.test(line.text.slice(at + match[0].length))) continue;
      const start = line.start + at;
      const end = start + match[0].length;
      const wordStart = line.text.slice(0, at).search(/\S+$/);
      const context = `${line.text.slice(wordStart, at)}${match[0]}`;
      found.push({
        messageId: 'spaceBeforePunctuation',
        kind: 'space-before-punctuation',
        start,
        end,
        data: { mark, text: context, expected: `${line.text.slice(wordStart, at)}${mark}` },
        actual: match[0],
        expected: [mark],
        fix: { start, end: start + match[1].length, text: '' },
      });
    }
  }
}

function emit(context: RuleContext<Options>, found: Found[]): void {
  found.sort((a, b) => a.start - b.start || a.end - b.end);
  for (const { line: _line, ...descriptor } of found) context.report(descriptor);
}
