import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import anyAscii from 'any-ascii';
import { distance } from 'fastest-levenshtein';

/** One occurrence of a capitalised word in a text. */
export interface NameOccurrence {
  start: number;
  end: number;
  /** The word begins a sentence (or a line), so its capital says nothing. */
  sentenceStart: boolean;
  /** The capitalised word right before it (one space between, same line), if any. */
  previous?: string;
  /** The capitalised word right after it, if any. */
  next?: string;
  /** The word before begins a sentence itself ("The Ukrainian …"), so it is not a given name. */
  previousStartsSentence?: boolean;
}

/** A word containing letters of a look-alike script inside a Latin word. */
export interface MixedScriptWord {
  start: number;
  end: number;
  text: string;
  /** The word with the look-alike letters mapped to Latin. */
  latin: string;
  /** The foreign letters found, e.g. `о (Cyrillic)`. */
  letters: string[];
}

/** What a scan of a text finds: capitalised words by spelling, and mixed-script words. */
export interface NameScan {
  forms: Map<string, NameOccurrence[]>;
  mixedScript: MixedScriptWord[];
}

// A Unicode-aware token scan over the raw text instead of ctx.tree: names need only words, their
// capitals and what stands before them, and a retext-english parse of every document would cost
// ~25x more (issue 8). Apostrophes join "O'Brien" and "Ukraine's"; hyphens split "Verney-Carron".
const capitalisedAt = /(?<![\p{L}\p{M}])\p{Lu}[\p{L}\p{M}]*(?:['’]\p{L}[\p{L}\p{M}]*)*/uy;
// Scanning with Unicode properties costs 20-40 ns a character, so `scanNames` finds the tokens of that pattern
// from cheaper candidates: in a text whose letters are all ASCII (~95% of the real documents; curly quotes and
// dashes are no letters) one ASCII pattern does, its lookbehind checked by hand; elsewhere the pattern runs
// (sticky) only where a character that may be an upper-case letter stands (not at ASCII, Latin-1 or Cyrillic
// lower-case letters).
const asciiCapitalisedPattern = /[A-Z][A-Za-z]*(?:['’][A-Za-z]+)*/g;
const upperCandidate = /[A-Z\u00c0-\u00de\u0100-\u042f\u0460-\uffff]/g;
// A superset of the non-ASCII letters and marks: General Punctuation and the Latin-1 symbols are left out.
const nonAsciiLetter = /[\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u1fff\u2070-\uffff]/;
// Mixed-script words are looked for only in texts with a Cyrillic or Greek letter at all.
const lookAlikeScript = /[\u0370-\u03ff\u0400-\u052f]/;
const foreignWordPattern = /[\p{L}\p{M}'’]*[\u0370-\u03ff\u0400-\u052f][\p{L}\p{M}'’]*/gu;
const possessive = /['’]s$/u;
const hasLower = /\p{Ll}/u;
// @, #, _, /, \ and digits before a word: a handle, hashtag or URL part.
function isHandleMark(code: number): boolean {
  return code === 64 || code === 35 || code === 95 || code === 47 || code === 92 || (code >= 48 && code <= 57);
}
const latinLetter = /\p{Script=Latin}/u;
const codesOf = (chars: string): Set<number> => new Set([...chars].map((char) => char.charCodeAt(0)));
// Characters that may stand between a sentence end and the next word: quotes, brackets, dashes, bullets.
const openers = codesOf(' \t\u00a0"“”‘’\'«»([{—–-*•·');
const sentenceEnd = codesOf('.!?:;…');
// "Mr. Smith", "J. Smith": a full stop after these does not end a sentence.
const abbreviation = /(?:^|[^\p{L}])(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|Prof|Rev|Jr|Sr|Mt|No|vs|\p{Lu})$/u;

function startsSentence(text: string, start: number): boolean {
  let at = start - 1;
  while (at >= 0 && openers.has(text.charCodeAt(at))) at--;
  if (at < 0) return true;
  const code = text.charCodeAt(at);
  if (code === 10 || code === 13) return true;
  if (!sentenceEnd.has(code)) return false;
  if (code === 46 && abbreviation.test(text.slice(Math.max(0, at - 6), at))) return false;
  return true;
}

function scriptOf(letter: string): string {
  if (/\p{Script=Cyrillic}/u.test(letter)) return 'Cyrillic';
  if (/\p{Script=Greek}/u.test(letter)) return 'Greek';
  return 'other';
}

const isApostrophe = (code: number): boolean => code === 39 || code === 8217;
const isAsciiLetter = (code: number): boolean => (code >= 97 && code <= 122) || (code >= 65 && code <= 90);

/** Scan a text for capitalised words (possessive `'s` left out) and mixed-script words. */
export function scanNames(text: string, homoglyphs: Record<string, string>): NameScan {
  const forms = new Map<string, NameOccurrence[]>();
  const mixedScript: MixedScriptWord[] = [];
  if (lookAlikeScript.test(text)) {
    for (const match of text.matchAll(foreignWordPattern)) {
      const word = match[0].replace(possessive, '');
      if (!latinLetter.test(word)) continue;
      const mixed = mixedScriptWord(word, match.index, homoglyphs);
      if (mixed) mixedScript.push(mixed);
    }
  }
  // The capitalised word before, when it may be a given name: its form, end and occurrence.
  let lastForm: string | undefined;
  let lastEnd = 0;
  let lastOccurrence: NameOccurrence | undefined;
  const ascii = !nonAsciiLetter.test(text);
  const scan = ascii ? asciiCapitalisedPattern : upperCandidate;
  scan.lastIndex = 0;
  for (let candidate = scan.exec(text); candidate; candidate = scan.exec(text)) {
    const start = candidate.index;
    let match: RegExpExecArray | null = candidate;
    if (ascii) {
      if (start > 0 && isAsciiLetter(text.charCodeAt(start - 1))) {
        // A capital inside a word: a token may still start after an apostrophe in it ("xA'Bc").
        scan.lastIndex = start + 1;
        continue;
      }
    } else {
      // No token starts inside a surrogate pair.
      const code = text.charCodeAt(start);
      if (code >= 0xdc00 && code <= 0xdfff) continue;
      capitalisedAt.lastIndex = start;
      match = capitalisedAt.exec(text);
      if (!match) continue;
      scan.lastIndex = start + match[0].length;
    }
    let word = match[0];
    const owner = word.length > 3 && word.charCodeAt(word.length - 1) === 115 && isApostrophe(word.charCodeAt(word.length - 2));
    if (owner) word = word.slice(0, -2);
    const end = start + word.length;
    // Handles, hashtags and URL parts (@JTimberlake, #PulangMengundi, SarahO_Connell) are not prose names.
    const before = start > 0 ? text.charCodeAt(start - 1) : 32;
    const second = word.charCodeAt(1);
    const lowerSecond = second >= 97 && second <= 122;
    if (word.length < 2 || (!lowerSecond && !hasLower.test(word)) || isHandleMark(before)) {
      lastForm = lastOccurrence = undefined;
      continue;
    }
    const occurrence: NameOccurrence = { start, end, sentenceStart: startsSentence(text, start) };
    if (lastForm !== undefined && lastOccurrence && start - lastEnd === 1 && (text.charCodeAt(lastEnd) === 32 || text.charCodeAt(lastEnd) === 160)) {
      occurrence.previous = lastForm;
      if (lastOccurrence.sentenceStart) occurrence.previousStartsSentence = true;
      lastOccurrence.next = word;
    }
    let list = forms.get(word);
    if (!list) forms.set(word, (list = []));
    list.push(occurrence);
    // "Ukraine's Chief": a possessive is not the given name of the word after it.
    lastForm = owner ? undefined : word;
    lastEnd = end;
    lastOccurrence = occurrence;
  }
  return { forms, mixedScript };
}

function mixedScriptWord(word: string, start: number, homoglyphs: Record<string, string>): MixedScriptWord | undefined {
  let latin = '';
  const letters: string[] = [];
  let foreign = 0;
  let native = 0;
  for (const char of word) {
    if (/\p{Script=Latin}/u.test(char)) {
      native++;
      latin += char;
    } else if (/\p{L}/u.test(char)) {
      const mapped = homoglyphs[char];
      // Only look-alikes count: "μm" (micro) is a unit, not a disguised word.
      if (mapped === undefined) return undefined;
      foreign++;
      latin += mapped;
      letters.push(`${char} (${scriptOf(char)})`);
    } else latin += char;
  }
  if (foreign === 0 || native < foreign) return undefined;
  return { start, end: start + word.length, text: word, latin, letters: [...new Set(letters)] };
}

const plainAscii = /^[A-Za-z]+$/;

/** Lower-case ASCII spelling of a name: look-alike letters mapped, diacritics dropped. */
export function foldName(name: string, homoglyphs: Record<string, string>): string {
  if (plainAscii.test(name)) return name.toLowerCase();
  let mapped = '';
  for (const char of name) mapped += homoglyphs[char] ?? char;
  return anyAscii(mapped).toLowerCase().replace(/[^a-z]/g, '');
}

/**
 * A copy of a string that shares no storage with the text it was cut from: V8 keeps a substring of 13 or more
 * characters as a view of the whole text, so a name kept in a memo would keep its whole document alive.
 */
export function detachedCopy(value: string): string {
  return value.length < 13 ? value : (JSON.parse(JSON.stringify(value)) as string);
}

/** A memo of a string function, emptied when it grows past `limit` entries (names repeat across a corpus). */
export function memoize(compute: (value: string) => string, limit = 200_000): (value: string) => string {
  const cache = new Map<string, string>();
  return (value) => {
    let result = cache.get(value);
    if (result === undefined) {
      if (cache.size >= limit) cache.clear();
      result = compute(value);
      cache.set(detachedCopy(value), result);
    }
    return result;
  };
}

/** `foldName` memoised for names with other than ASCII letters: a plain name folds faster than a lookup finds it. */
export function memoizedFold(homoglyphs: Record<string, string>): (name: string) => string {
  const foldOther = memoize((name) => foldName(name, homoglyphs));
  return (name) => (plainAscii.test(name) ? name.toLowerCase() : foldOther(name));
}

/**
 * A 30-bit hash of `text` (with the character at `skip` left out), seeded per kind of key: equal keys hash alike,
 * so keys whose hash no other key shares need never be built as strings.
 */
export function keyHash(seed: number, text: string, skip = -1): number {
  let hash = seed;
  for (let at = 0; at < text.length; at++) if (at !== skip) hash = (Math.imul(hash, 31) + text.charCodeAt(at)) | 0;
  return hash & 0x3fffffff;
}

/** Compiled transliteration rewrites: `[pattern, replacement]` applied in order. */
export type Transliteration = [RegExp, string][];

/** Compile `[regex, replacement]` pairs from the rule's data. */
export function compileTransliteration(pairs: [string, string][]): Transliteration {
  return pairs.map(([pattern, replacement]) => [new RegExp(pattern, 'g'), replacement]);
}

/** A folded name with transliteration variants collapsed (zelenskyy and zelensky give one key). */
export function transliterationKey(folded: string, rules: Transliteration): string {
  let key = folded;
  for (const [pattern, replacement] of rules) key = key.replace(pattern, replacement);
  return key;
}

/** Keys of a word with one letter deleted: two words within one edit share one (SymSpell blocking). */
export function deletionKeys(word: string): string[] {
  const keys = [word];
  for (let at = 0; at < word.length; at++) keys.push(word.slice(0, at) + word.slice(at + 1));
  return keys;
}

/** How two spellings of a name differ, or `undefined` when they are not variants of one name. */
export type VariantKind = 'diacritics' | 'transliteration' | 'typo';

export interface VariantTest {
  homoglyphs: Record<string, string>;
  transliteration: Transliteration;
  /** Shortest name (folded) compared by edit distance. */
  minLength: number;
  /** Pairs of folded names that are known to differ (`a|b`, sorted). */
  distinct: Set<string>;
  /** Folded places: two places are never variants of each other. */
  places: Set<string>;
  /** Beginnings that make different names (`mac`/`mc`: MacDonald/McDonald). */
  distinctPrefixes: [string, string][];
  /** A memoised `foldName` and transliteration key of a name, when the caller has them. */
  fold?: (name: string) => string;
  key?: (name: string) => string;
}

/** Sorted `a|b` key of a pair of folded names. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

function commonPrefix(a: string, b: string): number {
  let at = 0;
  while (at < a.length && at < b.length && a[at] === b[at]) at++;
  return at;
}

/**
 * Whether two spellings are variants of one name, and of which kind. Inflections and derivations
 * (Ukraine/Ukrainian, Sweden/Swedes: only the ending differs), short words (Iran/Iraq), edits too
 * large for the length (Austria/Australia, Slovakia/Slovenia) and known distinct pairs are not.
 */
export function variantKind(a: string, b: string, test: VariantTest): VariantKind | undefined {
  if (a === b) return undefined;
  const fold = test.fold ?? ((name: string) => foldName(name, test.homoglyphs));
  const foldA = fold(a);
  const foldB = fold(b);
  if (foldA.length < 3 || foldB.length < 3) return undefined;
  if (foldA === foldB) {
    // Case-only differences (McDonald/Mcdonald) are left alone; look-alike letters are reported on their own.
    const bareA = a.normalize('NFD').replace(/\p{M}/gu, '');
    const bareB = b.normalize('NFD').replace(/\p{M}/gu, '');
    return bareA !== a || bareB !== b ? 'diacritics' : undefined;
  }
  if (test.distinct.has(pairKey(foldA, foldB))) return undefined;
  if (test.places.has(foldA) && test.places.has(foldB)) return undefined;
  for (const [one, other] of test.distinctPrefixes) {
    const [x, y] = foldA.startsWith(one) ? [foldA, foldB] : [foldB, foldA];
    if (x.startsWith(one) && y.startsWith(other) && x.slice(one.length) === y.slice(other.length)) return undefined;
  }
  const shorter = Math.min(foldA.length, foldB.length);
  const key = test.key ?? ((name: string) => transliterationKey(fold(name), test.transliteration));
  if (shorter >= 4 && key(a) === key(b)) {
    return 'transliteration';
  }
  if (shorter < test.minLength) return undefined;
  // An ending that differs is an inflection or a derivation (Russia/Russians, Ukraine/Ukrainian, Sweden/Swedes,
  // Salvadorian/Salvadorans); a change just before a shared ending is not (Vandermolen/Vandermollen).
  if (endingDiffers(foldA, foldB) || derivationStem(foldA) === derivationStem(foldB)) return undefined;
  const allowed = shorter >= 10 ? 2 : 1;
  return distance(foldA, foldB) <= allowed ? 'typo' : undefined;
}

// Demonym and plural endings: Salvadorian and Salvadorans share the stem "salvador".
const derivationEnding = /(?:ians|ian|ans|an|ese|ish|es|s)$/;

function derivationStem(folded: string): string {
  return folded.length > 5 ? folded.replace(derivationEnding, '') : folded;
}

function endingDiffers(a: string, b: string): boolean {
  return commonPrefix(a, b) >= Math.min(a.length, b.length) - 2 && commonSuffix(a, b) < 2;
}

function commonSuffix(a: string, b: string): number {
  let at = 0;
  while (at < a.length && at < b.length && a[a.length - 1 - at] === b[b.length - 1 - at]) at++;
  return at;
}

/**
 * The English word list packed per length into one sorted string (`byLength[n]`: the words of n letters, end to
 * end), looked up by binary search: ~2.5 MB where a Set of 275,000 strings holds ~20 MB through the whole run.
 */
let dictionary: string[] | undefined;

function loadDictionary(): string[] {
  const require = createRequire(import.meta.url);
  // Read, not `require`d: the module cache would keep the array of words alive beside the packed strings.
  const words = JSON.parse(readFileSync(require.resolve('an-array-of-english-words'), 'utf8')) as string[];
  const groups: string[][] = [];
  for (const word of words) (groups[word.length] ??= []).push(word);
  return Array.from(groups, (group) => (group ? group.sort().join('') : ''));
}

/** Whether a lower-case word is an ordinary English word (an-array-of-english-words, loaded once). */
export function isEnglishWord(word: string): boolean {
  dictionary ??= loadDictionary();
  const length = word.length;
  const packed = dictionary[length];
  if (!packed) return false;
  let low = 0;
  let high = packed.length / length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const offset = middle * length;
    let order = 0;
    for (let at = 0; at < length && order === 0; at++) order = word.charCodeAt(at) - packed.charCodeAt(offset + at);
    if (order === 0) return true;
    if (order < 0) high = middle - 1;
    else low = middle + 1;
  }
  return false;
}
