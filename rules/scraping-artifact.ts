import { defineRule } from '../src/rule.js';
import type { Descriptor, Fix, RuleContext, TextLine } from '../src/types.js';
import { describeCodePoints, findEntities, findInvisible, findMojibake } from './scraping-artifact.encoding.js';
import { compileAnchorScanner, compilePattern, firstChars, loadPatternData, patternDataSchema, type AnchorScanner, type CompiledPattern, type FirstChars, type PatternKind, type PhrasePattern } from './scraping-artifact.patterns.js';

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

interface Compiled {
  /** Inline patterns by flags: one scan of the text each, a capture group per pattern. */
  inline: [RegExp, GatedPattern[]][];
  /** Line, start and contains patterns by the first letter or digit of a line they can apply to (`''`: any line). */
  byFirstChar: Map<string, GatedPattern[]>;
  /** One pass over a document finds the lines holding each pattern's anchor words. */
  anchorScanner: AnchorScanner;
  /** The single characters of anchor sets, a class each, tried on a line when a pattern needs one. */
  charClasses: RegExp[];
  /** Characters beyond which a line is a paragraph no phrase pattern applies to. */
  maxLength: number;
  /** The largest word limit of a phrase pattern. */
  maxWords: number;
  /** Any boilerplate cue, in one case-insensitive search. */
  cueSearch: RegExp;
  /** The id of the boilerplate cues' set of words in the anchor scan. */
  cueWords: number;
  trailerMarkers: Set<string>;
  linkBlockMarkers: Set<string>;
  /** The first characters of the marker keys (none when a marker's key is empty). */
  markerInitials: Set<string> | undefined;
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

/** Group patterns by the first letter or digit a line must open with; `''` holds those that may open any line. */
function dispatchByFirstChar(patterns: GatedPattern[]): Map<string, GatedPattern[]> {
  const firsts = patterns.map((pattern) => (pattern.scope === 'contains' ? 'any' : firstChars(pattern.match, data.agencies)));
  const keys = new Set<string>(['']);
  for (const first of firsts) if (first !== 'any') for (const char of first) keys.add(char);
  const applies = (first: FirstChars, key: string) => first === 'any' || first.has(key);
  return new Map([...keys].map((key) => [key, patterns.filter((_, at) => applies(firsts[at], key))]));
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
        return [{ words: long.length ? idOf(wordSets, JSON.stringify(long)) : -1, chars: charClass ? idOf(charClasses, charClass) : -1 }];
      });
      return Object.assign(compiledPattern, { gates });
    });
  const whole = patterns.filter((p) => p.scope !== 'inline');
  const maxWords = Math.max(0, ...whole.map((p) => p.wordLimit));
  compiled = {
    inline: ['giu', 'gu']
      .map((flags): [RegExp, GatedPattern[]] => {
        const group = patterns.filter((p) => p.scope === 'inline' && p.regex.flags === flags);
        return [new RegExp(group.map((p) => `(${p.regex.source})`).join('|'), flags), group];
      })
      .filter(([, group]) => group.length > 0),
    byFirstChar: dispatchByFirstChar(whole),
    anchorScanner: compileAnchorScanner(...anchorSets([...wordSets.keys()].map((key) => JSON.parse(key) as [string, number][]), data.boilerplateCues)),
    cueWords: wordSets.size,
    charClasses: [...charClasses.keys()].map((key) => new RegExp(key, 'iu')),
    cueSearch: new RegExp(data.boilerplateCues.map((cue) => cue.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'i'),
    maxLength: maxWords * 12,
    maxWords,
    trailerMarkers: new Set([...data.trailerMarkers, ...options.trailerMarkers].map(markerKey)),
    linkBlockMarkers: new Set(data.linkBlockMarkers.map(markerKey)),
    markerInitials: markerInitials([...data.trailerMarkers, ...options.trailerMarkers, ...data.linkBlockMarkers].map(markerKey)),
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
  let low = 0x811c9dc5;
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
    low = Math.imul(low ^ code, 0x01000193) >>> 0;
    high = Math.imul(high ^ code, 0x5bd1e995) >>> 0;
  }
  return (high & 0x1fffff) * 0x100000000 + low;
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
    const compiled = compile(context.options);
    const { text } = context;
    const lines = context.lines;
    const found: Found[] = [];
    const flaggedLine = new Uint8Array(lines.length);
    const { owned, inner } = markerBlocks(lines, compiled);
    const on = (kind: string) => !compiled.disabled.has(kind);
    /** Report lines `from`..`to` (inclusive) as one leftover; the fix removes them with their line breaks. */
    const reportLines = (from: number, to: number, messageId: string, kind: string) => {
      const first = lines[from];
      const last = lines[to];
      const start = first.start + first.text.search(/\S/);
      const end = last.start + last.text.trimEnd().length;
      // A line that shares its start with metadata (the header line) loses only the span.
      const fix = first.start >= context.doc.contentStart ? removeLines(text, first, last, context.doc.contentStart) : removeSpan(text, start, end);
      found.push({ messageId, kind, start, end, data: { text: clip(text.slice(start, end)) }, fix, line: from });
      for (let index = from; index <= to; index++) flaggedLine[index] = 1;
    };
    const blank = (index: number) => isBlank(lines[index].text);
    const nextNonBlank = (index: number, step: 1 | -1) => {
      let at = index + step;
      while (at >= 0 && at < lines.length && blank(at)) at += step;
      return at >= 0 && at < lines.length ? at : -1;
    };
    // A structural cue only counts for a line standing alone between prose (or flagged lines, or the document's edges).
    // `alike` lets a neighbour of the same sort count too (a run of link lines).
    const amidProse = (index: number, alike?: (text: string) => boolean) => {
      const before = nextNonBlank(index, -1);
      const after = nextNonBlank(index, 1);
      const fits = (at: number) => at < 0 || flaggedLine[at] === 1 || isProse(lines[at].text) || (alike?.(lines[at].text) ?? false);
      return fits(before) && fits(after) && (before >= 0 || after >= 0);
    };
    // A run of shouted headlines with prose (or flagged lines) before it and prose or the end after it.
    const shoutedAmidProse = (index: number) => {
      const before = nextNonBlank(index, -1);
      let after = nextNonBlank(index, 1);
      while (after >= 0 && isShoutedHeadline(lines[after].text)) after = nextNonBlank(after, 1);
      return before >= 0 && (flaggedLine[before] === 1 || isProse(lines[before].text)) && (after < 0 || isProse(lines[after].text));
    };
    const headlineLike = (index: number) => {
      const words = wordCount(lines[index].text, 17);
      return words >= 2 && words <= 16 && !isProse(lines[index].text, 6) && !/[,;:]$/.test(lines[index].text.trim());
    };

    // Which anchor sets each line holds (one byte per line and set), and which the document holds.
    const gates = compiled.anchorScanner.sets;
    const lineGates = new Uint8Array(lines.length * gates);
    const documentGates = new Uint8Array(gates);
    compiled.anchorScanner.mark(text, lines, lineGates, documentGates);
    // Character classes a line holds: 0 not tried yet, 1 no, 2 yes.
    const classes = compiled.charClasses.length;
    const lineChars = new Uint8Array(lines.length * classes);
    const holdsChars = (index: number, id: number) => {
      const slot = index * classes + id;
      if (lineChars[slot] === 0) lineChars[slot] = compiled.charClasses[id].test(lines[index].text) ? 2 : 1;
      return lineChars[slot] === 2;
    };
    const inLine = (pattern: GatedPattern, index: number) => {
      for (let at = 0; at < pattern.gates.length; at++) {
        const gate = pattern.gates[at];
        if (!((gate.words >= 0 && lineGates[index * gates + gate.words] === 1) || (gate.chars >= 0 && holdsChars(index, gate.chars)))) return false;
      }
      return true;
    };
    const inDocument = (pattern: GatedPattern) =>
      pattern.gates.every((gate) => (gate.words >= 0 && documentGates[gate.words] === 1) || (gate.chars >= 0 && compiled.charClasses[gate.chars].test(text)));

    // In hard-wrapped text (newswire) a line is a piece of a sentence: line cues would misread it.
    const wrapped = isHardWrapped(lines);
    // A signature holds "(@handle)".
    const tweets = on('social') && on('tweet-signature') && text.includes('(@');
    for (const block of inner) if (on('related-links') && !wrapped) reportLines(block.from, block.to, 'relatedLinks', 'related-links');
    for (let index = 0; index < (wrapped ? 0 : lines.length); index++) {
      const line = lines[index];
      const content = line.text;
      if (owned[index] || flaggedLine[index] || blank(index)) continue;
      // The rest of a sentence wrapped from the line above ("a\nshare.", "on\nMarch 30, 1990.") is no line of its own.
      // A link or a timestamp never continues a sentence.
      if (index > 0 && wordCount(content, 4) <= 3 && lines[index - 1].text.trim().length >= 25 && /[\p{Ll},;-]\s*$/u.test(lines[index - 1].text) && !/:\/\/|^\s*\d{4}-\d\d-\d\dT\d/.test(content)) continue;
      if (tweets && TWEET_SIGNATURE.test(content)) {
        // The signature line of an embedded post takes the post's text line just above it.
        const standalone = /^\s*[\u2014\u2015\u2013-]/u.test(content);
        const above = index - 1;
        const withText = standalone && above >= 0 && !blank(above) && !flaggedLine[above] && !owned[above];
        reportLines(withText ? above : index, index, 'socialEmbed', 'social');
        continue;
      }
      // No phrase pattern applies to a paragraph longer than any pattern's word limit.
      const candidates = content.length <= compiled.maxLength ? compiled.byFirstChar.get(firstAlnum(content)) ?? compiled.byFirstChar.get('')! : [];
      if (candidates.length) {
        const words = wordCount(content, compiled.maxWords + 1);
        // A line ending in a colon leads in to what follows: a heading or list label, never a caption.
        let leadIn: boolean | undefined;
        let hit: GatedPattern | undefined;
        for (const pattern of candidates) {
          if (words > pattern.wordLimit || !inLine(pattern, index) || (pattern.kind === 'caption' && (leadIn ??= /:\s*$/.test(content)))) continue;
          pattern.regex.lastIndex = 0;
          if (pattern.regex.test(content)) {
            hit = pattern;
            break;
          }
        }
        if (hit) {
          // A link line that opens a run of headlines inside the article takes the run with it.
          let to = index;
          if (hit.opensList) {
            let at = index + 1;
            while (at < lines.length && (blank(at) || (headlineLike(at) && !owned[at] && !flaggedLine[at]))) at++;
            let last = at - 1;
            while (last > index && blank(last)) last--;
            const run = lines.slice(index + 1, last + 1).filter((l) => l.text.trim() !== '').length;
            if (run >= 2 && at < lines.length) to = last;
          }
          reportLines(index, to, KIND_MESSAGE[hit.kind], to > index ? 'related-links' : hit.kind);
          const above = hit.takesBylineAbove ? nextNonBlank(index, -1) : -1;
          if (above >= 0 && !flaggedLine[above] && !owned[above] && isNamesLine(lines[above].text)) {
            const dateline = found[found.length - 1];
            reportLines(above, above, 'caption', 'byline');
            // Byline and dateline make one paragraph: the dateline's fix takes the blank lines after it, as the paragraph's would.
            const blanks = /^(?:[ \t]*\r?\n)+/.exec(text.slice(dateline.fix!.end));
            if (above === index - 1 && dateline.fix!.end > dateline.end && blanks) dateline.fix = { ...dateline.fix!, end: dateline.fix!.end + blanks[0].length };
          }
          index = to;
          continue;
        }
      }
      if (on('link-line') && content.length <= 300 && LINK_LINE.test(content) && (IMAGE_URL.test(content) || amidProse(index, (text) => text.length <= 300 && LINK_LINE.test(text)))) {
        reportLines(index, index, 'linkLine', 'link-line');
        continue;
      }
      if (on('promo-headline') && content.length <= 200 && isShoutedHeadline(content) && shoutedAmidProse(index)) {
        reportLines(index, index, 'caption', 'promo-headline');
        continue;
      }
      if (on('stray-label') && content.length <= 40 && isStrayLabel(content) && amidProse(index)) {
        reportLines(index, index, 'caption', 'stray-label');
        continue;
      }
    }

    // A page that is mostly a bot wall or error page is one failed scrape, not a few leftovers.
    const walls = found.filter((f) => f.kind === 'bot-wall');
    if (walls.length) {
      let rest = 0;
      lines.forEach((line, index) => {
        if (!flaggedLine[index] && !owned[index]) rest += wordCount(line.text);
      });
      if (rest < 60 && on('failed-scrape')) {
        const first = text.search(/\S/);
        const last = text.trimEnd().length;
        found.length = 0;
        found.push({ messageId: 'failedScrape', kind: 'failed-scrape', start: first, end: last, data: { text: clip(text.slice(walls[0].start, walls[0].end), 50) } });
        return emit(context, found);
      }
    }

    const lineIndexAt = (offset: number) => {
      let low = 0;
      let high = lines.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (lines[middle].start <= offset) low = middle;
        else high = middle - 1;
      }
      return low;
    };
    const free = (start: number) => {
      const index = lineIndexAt(start);
      return !flaggedLine[index] && !owned[index];
    };
    for (const [regex, patterns] of compiled.inline) {
      if (!patterns.some(inDocument)) continue;
      regex.lastIndex = 0;
      for (const match of text.matchAll(regex)) {
        const start = match.index;
        const end = start + match[0].length;
        if (!free(start) || start === end) continue;
        // One capture group per pattern (the translation makes the patterns' own groups non-capturing).
        const pattern = patterns[match.findIndex((group, at) => at > 0 && group !== undefined) - 1];
        if (!pattern) continue;
        found.push({ messageId: KIND_MESSAGE[pattern.kind], kind: pattern.kind, start, end, data: { text: clip(match[0]) }, fix: removeSpan(text, start, end) });
      }
    }
    const inlineTaken = found.filter((f) => f.line === undefined);
    const clear = (start: number, end: number) => free(start) && !inlineTaken.some((f) => f.start < end && start < f.end);

    if (on('mojibake') && /[\u00c2-\u00f4]/.test(text)) {
      for (const residue of findMojibake(text)) {
        if (!clear(residue.start, residue.end)) continue;
        const actual = text.slice(residue.start, residue.end);
        found.push({ messageId: 'mojibake', kind: 'mojibake', start: residue.start, end: residue.end, data: { text: actual, expected: residue.replacement }, actual, expected: [residue.replacement], fix: { start: residue.start, end: residue.end, text: residue.replacement } });
        inlineTaken.push(found[found.length - 1]);
      }
    }
    if (on('html-entity') && text.includes('&')) {
      for (const residue of findEntities(text)) {
        const line = lines[lineIndexAt(residue.start)];
        if (!clear(residue.start, residue.end) || isQuotedMarkup(line.text, residue.start - line.start, residue.end - line.start)) continue;
        const actual = text.slice(residue.start, residue.end);
        found.push({ messageId: 'htmlEntity', kind: 'html-entity', start: residue.start, end: residue.end, data: { text: actual, expected: residue.replacement }, actual, expected: [residue.replacement], fix: { start: residue.start, end: residue.end, text: residue.replacement } });
      }
    }
    if (on('html-tag') && text.includes('<')) {
      compiled.htmlTag.lastIndex = 0;
      for (const match of text.matchAll(compiled.htmlTag)) {
        const start = match.index;
        const end = start + match[0].length;
        const line = lines[lineIndexAt(start)];
        if (!clear(start, end) || isQuotedMarkup(line.text, start - line.start, end - line.start)) continue;
        found.push({ messageId: 'htmlTag', kind: 'html-tag', start, end, data: { text: clip(match[0]) }, actual: match[0], fix: { start, end, text: '' } });
      }
    }
    if (on('html-tag') && (text.includes('[/') || /\[[a-z_]{2,20}\s+[a-z_-]+=/.test(text))) {
      for (const match of text.matchAll(SHORTCODE)) {
        const start = match.index;
        const end = start + match[0].length;
        if (!clear(start, end)) continue;
        found.push({ messageId: 'htmlTag', kind: 'html-tag', start, end, data: { text: clip(match[0]) }, actual: match[0], fix: { start, end, text: '' } });
      }
    }
    if (on('control-character')) {
      for (const residue of findInvisible(text)) {
        if (!clear(residue.start, residue.end)) continue;
        found.push({ messageId: 'invisibleCharacter', kind: 'control-character', start: residue.start, end: residue.end, data: { codes: describeCodePoints(text.slice(residue.start, residue.end)) }, fix: { start: residue.start, end: residue.end, text: '' } });
      }
    }
    if (on('space-before-punctuation') && /[ \t][.,;:?!]/.test(text)) spacesBeforePunctuation(text, lines, free, found);

    emit(context, found);
    if (!on('learned-boilerplate') || wrapped) return;
    const candidates: [number, number, number][] = [];
    lines.forEach((line, index) => {
      if (flaggedLine[index] || owned[index] || !isBoilerplateCandidate(line.text, compiled.cueSearch, lineGates[index * gates + compiled.cueWords] === 1)) return;
      // A line cut mid-sentence (it goes on in lower case, or ends on a lower-case word before more text) is a wrapped fragment.
      const next = lines[index + 1]?.text ?? '';
      if (/^\s*\p{Ll}/u.test(next) || (next.trim() !== '' && /[\p{Ll},]$/u.test(line.text.trim()))) return;
      const key = boilerplateKey(line.text);
      if (key.length >= 3) candidates.push([fnv(key), line.start, line.end]);
    });
    return { fingerprint: fnv(text, true), lines: candidates };
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
function markerBlocks(lines: TextLine[], { trailerMarkers, linkBlockMarkers, markerInitials }: Compiled): { owned: Uint8Array; inner: { from: number; to: number }[] } {
  const owned = new Uint8Array(lines.length);
  const inner: { from: number; to: number }[] = [];
  for (let index = 0; index < lines.length; index++) {
    if (lines[index].text.length > 60 || (markerInitials && !markerInitials.has(markerInitial(lines[index].text)))) continue;
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
