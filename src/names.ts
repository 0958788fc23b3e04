import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import anyAscii from 'any-ascii';
import { distance } from 'fastest-levenshtein';
import { grown } from './typed-arrays.js';

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

// A Unicode-aware token scan over the raw text instead of ctx.tree: names need only words, their
// capitals and what stands before them, and a retext-english parse of every document would cost
// ~25x more (issue 8). Apostrophes join "O'Brien" and "Ukraine's"; hyphens split "Verney-Carron".
const capitalisedAt = /(?<![\p{L}\p{M}])\p{Lu}[\p{L}\p{M}]*(?:['’]\p{L}[\p{L}\p{M}]*)*/uy;
// Scanning with Unicode properties costs 20-40 ns a character, so `scan` finds the tokens of that pattern
// from cheaper candidates: in a text whose letters are all ASCII (~95% of the real documents; curly quotes and
// dashes are no letters) from each ASCII capital, the token read by hand (`[A-Z][A-Za-z]*(?:['’][A-Za-z]+)*`, its
// lookbehind checked too); elsewhere the pattern runs (sticky) only where a character that may be an upper-case
// letter stands (not at ASCII, Latin-1 or Cyrillic lower-case letters, nor General Punctuation: curly quotes, dashes).
const asciiCapital = /[A-Z]/g;
const upperCandidate = /[A-Z\u00c0-\u00de\u0100-\u042f\u0460-\u1fff\u2070-\uffff]/g;
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
// Characters that may stand between a sentence end and the next word (quotes, brackets, dashes, bullets), and
// characters that end a sentence, as bits of a table by char code: a `Set` lookup per character costs more.
const OPENER = 1;
const ENDS_SENTENCE = 2;
const punctuation = new Uint8Array(0x2030);
for (const char of ' \t\u00a0"“”‘’\'«»([{—–-*•·') punctuation[char.charCodeAt(0)] |= OPENER;
for (const char of '.!?:;…') punctuation[char.charCodeAt(0)] |= ENDS_SENTENCE;
// "Mr. Smith", "J. Smith": a full stop after these does not end a sentence.
const abbreviations = new Set(['Mr', 'Mrs', 'Ms', 'Dr', 'St', 'Gen', 'Sen', 'Rep', 'Gov', 'Lt', 'Col', 'Sgt', 'Capt', 'Prof', 'Rev', 'Jr', 'Sr', 'Mt', 'No', 'vs']);
const abbreviation = new RegExp(`(?:^|[^\\p{L}])(?:${[...abbreviations].join('|')}|\\p{Lu})$`, 'u');

/** Whether the full stop at `at` follows an abbreviation or an initial (`abbreviation`). */
function afterAbbreviation(text: string, at: number): boolean {
  // The ASCII letters before the stop, read by hand; the pattern runs only where a character beyond ASCII (a letter
  // or a mark, maybe) stands in them or right before.
  let from = at;
  while (from > 0 && at - from < 5 && isAsciiLetter(text.charCodeAt(from - 1))) from--;
  const letters = at - from;
  if (letters === 5) return false;
  if (text.charCodeAt(from - 1) >= 128) return abbreviation.test(text.slice(Math.max(0, at - 6), at));
  if (letters === 0) return false;
  const code = text.charCodeAt(from);
  return (letters === 1 && code >= 65 && code <= 90) || abbreviations.has(text.slice(from, at));
}

function startsSentence(text: string, start: number): boolean {
  let at = start - 1;
  let code = text.charCodeAt(at);
  while (at >= 0 && code < 0x2030 && punctuation[code] & OPENER) code = text.charCodeAt(--at);
  if (at < 0) return true;
  if (code === 10 || code === 13) return true;
  if (code >= 0x2030 || !(punctuation[code] & ENDS_SENTENCE)) return false;
  return code !== 46 || !afterAbbreviation(text, at);
}

function scriptOf(letter: string): string {
  if (/\p{Script=Cyrillic}/u.test(letter)) return 'Cyrillic';
  if (/\p{Script=Greek}/u.test(letter)) return 'Greek';
  return 'other';
}

const isApostrophe = (code: number): boolean => code === 39 || code === 8217;
const isAsciiLetter = (code: number): boolean => (code >= 97 && code <= 122) || (code >= 65 && code <= 90);

/**
 * The end of the token `[A-Z][A-Za-z]*(?:['’][A-Za-z]+)*` at `start`; -1 where a character that may be a letter or
 * a mark could continue it, unless the text has no such characters (`ascii`).
 */
function asciiTokenEnd(text: string, start: number, ascii: boolean): number {
  let end = start + 1;
  for (;;) {
    let code = text.charCodeAt(end);
    while (isAsciiLetter(code)) code = text.charCodeAt(++end);
    if (code >= 128 && !ascii && !isApostrophe(code)) return -1;
    if (!isApostrophe(code)) return end;
    const after = text.charCodeAt(end + 1);
    if (after >= 128 && !ascii) return -1;
    if (!isAsciiLetter(after)) return end;
    end += 2;
  }
}

/** Whether `[start, end)` of `text` holds a lower-case letter. */
function hasLowerAt(text: string, start: number, end: number): boolean {
  for (let at = start; at < end; at++) {
    const code = text.charCodeAt(at);
    if (code >= 97 && code <= 122) return true;
    if (code >= 128) return hasLower.test(text.slice(start, end));
  }
  return false;
}

/** Token flag: the word begins a sentence (or a line), so its capital says nothing. */
export const SENTENCE_START = 1;
/** Token flag: the token before is the capitalised word right before this one (one space between, same line). */
export const AFTER_NAME = 2;

/** The table slot of a hash (`& mask`), its bits mixed first: similar names hash alike in the low bits (murmur3's finaliser). */
export function slotOfHash(hash: number, mask: number): number {
  let mixed = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
  return (mixed ^ (mixed >>> 16)) & mask;
}

function hashOf(text: string, start: number, end: number): number {
  let hash = 0;
  for (let at = start; at < end; at++) hash = (Math.imul(hash, 31) + text.charCodeAt(at)) | 0;
  return hash;
}

/**
 * Spellings interned by the characters of a text range: an id per distinct spelling, found without cutting the
 * word out of the text. Open addressing on typed arrays: a `Map` lookup would first build the string, and costs
 * ~250 ns with 50,000 names.
 */
export class FormTable {
  /** The spelling of each id. */
  readonly forms: string[] = [];
  // Per table slot, four numbers: hash, id + 1 (0 = a free slot), where the spelling's characters start in
  // `chars`, and its length. Slot and characters side by side: a lookup touches two cache lines, not the strings.
  private table = new Int32Array(4 << 12);
  private chars = new Uint16Array(1 << 16);
  private charsUsed = 0;

  /** How many ids are in use. */
  get size(): number {
    return this.forms.length;
  }

  /** Forget every spelling. */
  clear(): void {
    this.forms.length = 0;
    this.table = new Int32Array(4 << 12);
    this.charsUsed = 0;
  }

  /** The id of the spelling at `[start, end)` of `text`, or -1. */
  find(text: string, start = 0, end = text.length, hash = hashOf(text, start, end)): number {
    const { table, chars } = this;
    const mask = (table.length >> 2) - 1;
    const length = end - start;
    for (let at = slotOfHash(hash, mask); table[4 * at + 1] !== 0; at = (at + 1) & mask) {
      const slot = 4 * at;
      if (table[slot] !== hash || table[slot + 3] !== length) continue;
      const offset = table[slot + 2] - start;
      let same = start;
      while (same < end && chars[offset + same] === text.charCodeAt(same)) same++;
      if (same === end) return table[slot + 1] - 1;
    }
    return -1;
  }

  /** The id of the spelling at `[start, end)` of `text`, a new one if it was never seen. */
  idAt(text: string, start = 0, end = text.length): number {
    const hash = hashOf(text, start, end);
    const found = this.find(text, start, end, hash);
    if (found >= 0) return found;
    const id = this.forms.length;
    this.forms.push(detachedCopy(text.slice(start, end)));
    const offset = this.charsUsed;
    this.charsUsed += end - start;
    this.chars = grown(this.chars, this.charsUsed);
    for (let at = start; at < end; at++) this.chars[offset + at - start] = text.charCodeAt(at);
    if (8 * this.forms.length > this.table.length) {
      const old = this.table;
      this.table = new Int32Array(old.length * 2);
      for (let slot = 0; slot < old.length; slot += 4) if (old[slot + 1] !== 0) this.place(old[slot], old[slot + 1] - 1, old[slot + 2], old[slot + 3]);
    }
    this.place(hash, id, offset, end - start);
    return id;
  }

  private place(hash: number, id: number, offset: number, length: number): void {
    const { table } = this;
    const mask = (table.length >> 2) - 1;
    let at = slotOfHash(hash, mask);
    while (table[4 * at + 1] !== 0) at = (at + 1) & mask;
    table[4 * at] = hash;
    table[4 * at + 1] = id + 1;
    table[4 * at + 2] = offset;
    table[4 * at + 3] = length;
  }
}

/**
 * Capitalised words (possessive `'s` left out) and mixed-script words of one text at a time, in flat arrays reused
 * from text to text: no object or string per word. Each distinct spelling gets an id (`FormTable`) that lasts across
 * texts (names repeat across a corpus, so per-spelling work can be done once), and per text a slot, in order of
 * first use.
 */
export class NameScanner {
  /** Spellings and their ids. */
  readonly table = new FormTable();
  private lastScanOf = new Int32Array(1024);
  private slotOfId = new Int32Array(1024);
  private scans = 0;
  /** Tokens of the last text scanned: start, flags (`SENTENCE_START`, `AFTER_NAME`), slot, next token of the same slot (-1 at the last). */
  tokenCount = 0;
  tokenStart = new Int32Array(1024);
  tokenFlags = new Uint8Array(1024);
  tokenSlot = new Int32Array(1024);
  tokenNextSame = new Int32Array(1024);
  /** Slots of the last text scanned: form id, first and last token, number of tokens. */
  slotCount = 0;
  slotForm = new Int32Array(256);
  slotFirst = new Int32Array(256);
  slotLast = new Int32Array(256);
  slotSize = new Int32Array(256);
  mixedScript: MixedScriptWord[] = [];

  constructor(private readonly homoglyphs: Record<string, string>) {}

  /** The spelling of each form id. */
  get forms(): string[] {
    return this.table.forms;
  }

  /** Forget every form id (between texts: ids of the last scan become invalid). */
  clear(): void {
    this.table.clear();
    this.lastScanOf.fill(0);
  }

  /** The slot of a spelling in the last text scanned, or -1. */
  slotOf(form: string): number {
    const id = this.table.find(form);
    return id >= 0 ? this.slotOfForm(id) : -1;
  }

  /** The slot of form `id` in the last text scanned, or -1. */
  slotOfForm(id: number): number {
    return this.lastScanOf[id] === this.scans ? this.slotOfId[id] : -1;
  }

  /** Scan a text: fills the token and slot arrays and `mixedScript`. */
  scan(text: string): void {
    this.scans++;
    this.tokenCount = 0;
    this.slotCount = 0;
    this.mixedScript = [];
    if (lookAlikeScript.test(text)) {
      for (const match of text.matchAll(foreignWordPattern)) {
        const word = match[0].replace(possessive, '');
        if (!latinLetter.test(word)) continue;
        const mixed = mixedScriptWord(word, match.index, this.homoglyphs);
        if (mixed) this.mixedScript.push(mixed);
      }
    }
    // The capitalised word before, when it may be a given name: its end, and whether it may be one.
    let lastEnd = -2;
    let lastMayBeGiven = false;
    const ascii = !nonAsciiLetter.test(text);
    const scan = ascii ? asciiCapital : upperCandidate;
    scan.lastIndex = 0;
    while (scan.test(text)) {
      const start = scan.lastIndex - 1;
      const code = text.charCodeAt(start);
      // No token starts inside a surrogate pair.
      if (code >= 0xdc00 && code <= 0xdfff) continue;
      const before = start > 0 ? text.charCodeAt(start - 1) : 32;
      // From an ASCII capital after an ASCII character the token is read by hand, unless a character that may be a
      // letter or a mark stands where it could go on (never in an all-ASCII text).
      let end = -1;
      if (code < 128 && (ascii || before < 128)) {
        // A capital inside a word starts no token; one after an apostrophe in it still may ("xA'Bc").
        if (isAsciiLetter(before)) continue;
        end = asciiTokenEnd(text, start, ascii);
      }
      if (end < 0) {
        capitalisedAt.lastIndex = start;
        const match = capitalisedAt.exec(text);
        if (!match) continue;
        end = start + match[0].length;
      }
      scan.lastIndex = end;
      const owner = end - start > 3 && text.charCodeAt(end - 1) === 115 && isApostrophe(text.charCodeAt(end - 2));
      if (owner) end -= 2;
      // Handles, hashtags and URL parts (@JTimberlake, #PulangMengundi, SarahO_Connell) are not prose names.
      const second = text.charCodeAt(start + 1);
      const lowerSecond = second >= 97 && second <= 122;
      if (end - start < 2 || (!lowerSecond && !hasLowerAt(text, start, end)) || isHandleMark(before)) {
        lastMayBeGiven = false;
        continue;
      }
      let flags = startsSentence(text, start) ? SENTENCE_START : 0;
      if (lastMayBeGiven && start - lastEnd === 1 && (text.charCodeAt(lastEnd) === 32 || text.charCodeAt(lastEnd) === 160)) flags |= AFTER_NAME;
      this.addToken(this.table.idAt(text, start, end), start, flags);
      // "Ukraine's Chief": a possessive is not the given name of the word after it.
      lastMayBeGiven = !owner;
      lastEnd = end;
    }
  }

  private addToken(id: number, start: number, flags: number): void {
    if (id >= this.lastScanOf.length) {
      this.lastScanOf = grown(this.lastScanOf, id + 1);
      this.slotOfId = grown(this.slotOfId, id + 1);
    }
    const token = this.tokenCount++;
    if (token === this.tokenStart.length) {
      this.tokenStart = grown(this.tokenStart, token + 1);
      this.tokenFlags = grown(this.tokenFlags, token + 1);
      this.tokenSlot = grown(this.tokenSlot, token + 1);
      this.tokenNextSame = grown(this.tokenNextSame, token + 1);
    }
    let slot: number;
    if (this.lastScanOf[id] === this.scans) {
      slot = this.slotOfId[id];
      this.tokenNextSame[this.slotLast[slot]] = token;
      this.slotSize[slot]++;
    } else {
      slot = this.slotCount++;
      if (slot === this.slotForm.length) {
        this.slotForm = grown(this.slotForm, slot + 1);
        this.slotFirst = grown(this.slotFirst, slot + 1);
        this.slotLast = grown(this.slotLast, slot + 1);
        this.slotSize = grown(this.slotSize, slot + 1);
      }
      this.lastScanOf[id] = this.scans;
      this.slotOfId[id] = slot;
      this.slotForm[slot] = id;
      this.slotFirst[slot] = token;
      this.slotSize[slot] = 1;
    }
    this.slotLast[slot] = token;
    this.tokenStart[token] = start;
    this.tokenFlags[token] = flags;
    this.tokenSlot[token] = slot;
    this.tokenNextSame[token] = -1;
  }

  /** The spelling in a slot of the last text scanned. */
  formOf(slot: number): string {
    return this.forms[this.slotForm[slot]];
  }

  /** The occurrences of a slot's form in the last text scanned, as objects (for the few forms that need them). */
  occurrences(slot: number): NameOccurrence[] {
    const form = this.formOf(slot);
    const occurrences: NameOccurrence[] = [];
    for (let token = this.slotFirst[slot]; token >= 0; token = this.tokenNextSame[token]) {
      const start = this.tokenStart[token];
      const occurrence: NameOccurrence = { start, end: start + form.length, sentenceStart: (this.tokenFlags[token] & SENTENCE_START) !== 0 };
      if (this.tokenFlags[token] & AFTER_NAME) {
        occurrence.previous = this.formOf(this.tokenSlot[token - 1]);
        if (this.tokenFlags[token - 1] & SENTENCE_START) occurrence.previousStartsSentence = true;
      }
      if (token + 1 < this.tokenCount && this.tokenFlags[token + 1] & AFTER_NAME) occurrence.next = this.formOf(this.tokenSlot[token + 1]);
      occurrences.push(occurrence);
    }
    return occurrences;
  }
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
 * The English word list's file as one Latin-1 string (`["a","aa",…]`, sorted, lower-case ASCII) and where each word
 * starts and ends in it, searched by binary search in place: ~5 ms to read and index, where parsing and regrouping
 * 275,000 words cost ~100 ms at every start (issue 10: warm runs), and ~5.5 MB where a `Set` of the words held ~20 MB.
 */
let dictionary: { text: string; starts: Int32Array; ends: Int32Array } | undefined;

function loadDictionary(): NonNullable<typeof dictionary> {
  const text = readFileSync(createRequire(import.meta.url).resolve('an-array-of-english-words'), 'latin1');
  if (!text.startsWith('["')) throw new Error('an-array-of-english-words: unexpected format');
  const starts: number[] = [];
  const ends: number[] = [];
  for (let quote = text.indexOf('"'); quote >= 0; ) {
    const end = text.indexOf('"', quote + 1);
    starts.push(quote + 1);
    ends.push(end);
    quote = text.indexOf('"', end + 1);
  }
  return { text, starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}

/** Whether a lower-case word is an ordinary English word (an-array-of-english-words, read once). */
export function isEnglishWord(word: string): boolean {
  const { text, starts, ends } = (dictionary ??= loadDictionary());
  let low = 0;
  let high = starts.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const start = starts[middle];
    const length = ends[middle] - start;
    let order = 0;
    for (let at = 0; order === 0 && at < word.length && at < length; at++) order = word.charCodeAt(at) - text.charCodeAt(start + at);
    if (order === 0) order = word.length - length;
    if (order === 0) return true;
    if (order < 0) high = middle - 1;
    else low = middle + 1;
  }
  return false;
}
