import { defineRule } from '../src/rule.js';
import { createAjv, formatAjvErrors, readPackageJson } from '../src/schema.js';
import {
  AFTER_NAME,
  compileTransliteration,
  deletionKeys,
  FormTable,
  isEnglishWord,
  keyHash,
  memoize,
  memoizedFold,
  NameScanner,
  pairKey,
  SENTENCE_START,
  slotOfHash,
  transliterationKey,
  type NameOccurrence,
  type VariantKind,
  type VariantTest,
  variantKind,
} from '../src/names.js';
import type { RelatedSpan } from '../src/types.js';
import { grown } from '../src/typed-arrays.js';

interface Options {
  /** Spellings that win over the majority, in a document and across the corpus ("Zelenskyy"). */
  preferred: string[];
  /** More pairs of look-alike names that are different names. */
  distinct: [string, string][];
  /** More words that stand before a name as a title, not a given name. */
  titles: string[];
  /** Shortest name (letters) compared by edit distance; distance 2 needs 10 letters. */
  minLength: number;
  /** Compare each document's spellings with the rest of the corpus. */
  corpus: boolean;
}

interface RuleData {
  homoglyphs: Record<string, string>;
  transliteration: [string, string][];
  titles: string[];
  distinct: [string, string][];
  places: string[];
  calendar: string[];
  distinctPrefixes: [string, string][];
}

/** One capitalised name form of a document, as the corpus pass reads it back. */
interface FormRecord {
  form: string;
  count: number;
  /** Offset of the form's first occurrence. */
  first: number;
  /** A given name before it, or `''`. */
  given: string;
  /** A capitalised word after it, or `''`. */
  next: string;
  /** The document itself reported the form as a variant of another of its spellings. */
  minority: boolean;
}

/**
 * Per document, one string: a line per name form, `[!]form<TAB>count<TAB>first<TAB>given<TAB>next`, `!` on a minority
 * form. Numbers are in base 36, a count of 1 is left empty, and `first` counts from the previous line's (forms come in
 * order of first use); a given name or next word that is a form of the document is written as that form's line
 * number (names never start with a digit); empty trailing fields are left out. Names never hold tabs, line breaks or
 * `!`. A string with a character beyond Latin-1 is kept as its UTF-8 bytes after a \u0001: V8 would store it at two
 * bytes a character. One flat string costs a few bytes a form where an array of tuples costs ~150 (issue 8: the
 * corpus pass must fit 1 GB of text).
 */
type CorpusData = string;

const utf8Mark = '\u0001';

/** Encode a document's forms for the corpus pass (see `CorpusData`). */
export function encodeForms(records: FormRecord[]): CorpusData {
  const lineOf = new Map(records.map(({ form }, index) => [form, index]));
  const word = (name: string) => String(lineOf.get(name) ?? name);
  let previousFirst = 0;
  const lines = records.map(({ form, count, first, given, next, minority }) => {
    const fields = [`${minority ? '!' : ''}${form}`, count === 1 ? '' : count.toString(36), (first - previousFirst).toString(36), given && word(given), next && word(next)];
    previousFirst = first;
    while (fields.at(-1) === '') fields.pop();
    return fields.join('\t');
  });
  const joined = lines.join('\n');
  const bytes = Buffer.from(joined, 'utf8');
  // Read back as Latin-1 either way: a one-byte string, also when the text the names came from was a two-byte one.
  return bytes.length === joined.length ? bytes.toString('latin1') : utf8Mark + bytes.toString('latin1');
}

/** Value of the base-36 digits at `[start, end)` of `text`. */
function base36At(text: string, start: number, end: number): number {
  let value = 0;
  for (let at = start; at < end; at++) {
    const code = text.charCodeAt(at);
    value = value * 36 + (code <= 57 ? code - 48 : code - 87);
  }
  return value;
}

/**
 * A document's corpus data read back (see `CorpusData`) without a string or an object per field: `load` finds the
 * lines and their forms, `read` puts one line's other fields in this object's numbers (one reader, reused).
 */
export class FormLines {
  text = '';
  lines = 0;
  private lineStart = new Int32Array(64);
  private formEnd = new Int32Array(64);
  /** Fields of the line last `read`: its count and the step of its first offset from the line before. */
  count = 1;
  step = 0;
  /** Its given name and next word: a line of the document (else -1), or `[start, end)` of `text` (empty if none). */
  givenLine = -1;
  givenStart = 0;
  givenEnd = 0;
  nextLine = -1;
  nextStart = 0;
  nextEnd = 0;

  /** Read a document's data. */
  load(data: CorpusData): void {
    const text = (this.text = data.startsWith(utf8Mark) ? Buffer.from(data.slice(1), 'latin1').toString('utf8') : data);
    this.lines = 0;
    for (let start = 0; text !== '' && start <= text.length; ) {
      const end = text.indexOf('\n', start);
      const lineEnd = end < 0 ? text.length : end;
      if (this.lines === this.lineStart.length) {
        this.lineStart = grown(this.lineStart, this.lines + 1);
        this.formEnd = grown(this.formEnd, this.lines + 1);
      }
      const tab = text.indexOf('\t', start);
      this.lineStart[this.lines] = start;
      this.formEnd[this.lines++] = tab < 0 || tab > lineEnd ? lineEnd : tab;
      start = lineEnd + 1;
    }
  }

  /** The document itself reported the form of `line` as a variant. */
  minority(line: number): boolean {
    return this.text.charCodeAt(this.lineStart[line]) === 33;
  }

  /** Where the form of `line` starts in `text`. */
  formStart(line: number): number {
    return this.lineStart[line] + (this.minority(line) ? 1 : 0);
  }

  /** Where the form of `line` ends in `text`. */
  formEndOf(line: number): number {
    return this.formEnd[line];
  }

  /** The form of `line`. */
  form(line: number): string {
    return this.text.slice(this.formStart(line), this.formEnd[line]);
  }

  /** Read the fields of `line` after its form. */
  read(line: number): void {
    const lineEnd = line + 1 < this.lines ? this.lineStart[line + 1] - 1 : this.text.length;
    const countStart = Math.min(this.formEnd[line] + 1, lineEnd);
    const countEnd = this.fieldEnd(countStart, lineEnd);
    this.count = countEnd === countStart ? 1 : base36At(this.text, countStart, countEnd);
    const stepStart = Math.min(countEnd + 1, lineEnd);
    const stepEnd = this.fieldEnd(stepStart, lineEnd);
    this.step = base36At(this.text, stepStart, stepEnd);
    this.givenStart = Math.min(stepEnd + 1, lineEnd);
    this.givenEnd = this.fieldEnd(this.givenStart, lineEnd);
    this.givenLine = this.lineNumber(this.givenStart, this.givenEnd);
    this.nextStart = Math.min(this.givenEnd + 1, lineEnd);
    this.nextEnd = lineEnd;
    this.nextLine = this.lineNumber(this.nextStart, this.nextEnd);
  }

  private fieldEnd(start: number, lineEnd: number): number {
    const tab = start < lineEnd ? this.text.indexOf('\t', start) : -1;
    return tab < 0 || tab > lineEnd ? lineEnd : tab;
  }

  // A field that starts with a digit is a line number (names never do).
  private lineNumber(start: number, end: number): number {
    const code = this.text.charCodeAt(start);
    return start < end && code >= 48 && code <= 57 ? Number(this.text.slice(start, end)) : -1;
  }
}

const dataFile = 'rules/spelling-inconsistency.data.json';
const data = readPackageJson<RuleData>(dataFile);
const validateData = createAjv().compile(readPackageJson('rules/spelling-inconsistency.data.schema.json') as object);
if (!validateData(data)) throw new Error(`Invalid ${dataFile}: ${formatAjvErrors(validateData.errors, 'data')}`);

interface Settings extends VariantTest {
  fold: (name: string) => string;
  titles: Set<string>;
  preferred: Set<string>;
  /** Folded name to its transliteration key, memoised. */
  nameKey: (name: string) => string;
  scanner: NameScanner;
  /** Per form id of `scanner`, learnt when first scanned (`learnForms`): bits (`TITLE`, …), fold, variant partners. */
  formBits: Uint16Array;
  folds: string[];
  partners: Map<number, number[]>;
  keyBuckets: KeyBuckets;
  /** Per form id: 1 + the id of the last new form that met it under a blocking key (`learnForms`). */
  metBy: Int32Array;
}

// What a spelling is whatever the document it stands in, worked out once per form id (`Settings.formBits`).
const TITLE = 1;
/** Folded, fewer than 3 letters: never compared. */
const SHORT = 2;
/** Folded, 4 letters or more: may go to the corpus pass. */
const CORPUS_LENGTH = 4;
/** It shares a blocking key with a form it is a variant of (`Settings.partners`). */
const PARTNERED = 8;
/** Its fold is an English word; looked up on first need (`ENGLISH_KNOWN`). */
const ENGLISH = 16;
const ENGLISH_KNOWN = 32;
/** Before a name it is a given name mid-sentence, at a sentence start (`isGivenName`); looked up on first need. */
const GIVEN_MID_SENTENCE = 64;
const GIVEN_AT_START = 128;
const GIVEN_KNOWN = 256;

// Names repeat across a corpus (56,000 spellings in 1 million document forms of the real corpora); past this many
// form ids the scanner and the facts start afresh, so memory stays flat on any corpus.
const maxForms = 100_000;

/**
 * Items (form ids) noted under each blocking-key hash. Over all documents, a new form is tested once against the
 * forms it meets there, so a document pairs only forms already known to be variants (28,000 forms meet another on
 * the real corpora, 12,000 pairs are variants; a document would otherwise hash ~10 keys of each of its forms). Open
 * addressing and a chain of entries per hash on typed arrays: a `Map` would hold ~450,000 keys at ~30 bytes each.
 */
class KeyBuckets {
  // Per table slot: hash + 1 (0 = free) and its last entry; per entry: the form and the hash's entry before (-1).
  private hashes = new Int32Array(1 << 16);
  private heads = new Int32Array(1 << 16);
  private entryForm = new Int32Array(1 << 16);
  private entryBefore = new Int32Array(1 << 16);
  private entries = 0;
  private used = 0;

  /** Note form `id` under the 30-bit `hash`: the entry of the form noted there before it (`formAt`, `before`), or -1. */
  add(hash: number, id: number): number {
    if (2 * (this.used + 1) > this.hashes.length) this.resize(this.hashes.length * 2);
    const mask = this.hashes.length - 1;
    let at = slotOfHash(hash, mask);
    while (this.hashes[at] !== 0 && this.hashes[at] !== hash + 1) at = (at + 1) & mask;
    let before = -1;
    if (this.hashes[at] === 0) {
      this.hashes[at] = hash + 1;
      this.used++;
    } else before = this.heads[at];
    if (this.entries === this.entryForm.length) {
      this.entryForm = grown(this.entryForm, this.entries + 1);
      this.entryBefore = grown(this.entryBefore, this.entries + 1);
    }
    this.entryForm[this.entries] = id;
    this.entryBefore[this.entries] = before;
    this.heads[at] = this.entries++;
    return before;
  }

  /** The form of an entry. */
  formAt(entry: number): number {
    return this.entryForm[entry];
  }

  /** The entry noted before this one under its hash, or -1. */
  before(entry: number): number {
    return this.entryBefore[entry];
  }

  /** Forget every form. */
  clear(): void {
    this.hashes = new Int32Array(1 << 16);
    this.heads = new Int32Array(1 << 16);
    this.entries = 0;
    this.used = 0;
  }

  private resize(size: number): void {
    const { hashes, heads } = this;
    this.hashes = new Int32Array(size);
    this.heads = new Int32Array(size);
    const mask = size - 1;
    for (let slot = 0; slot < hashes.length; slot++) {
      if (hashes[slot] === 0) continue;
      const hash = hashes[slot] - 1;
      let at = slotOfHash(hash, mask);
      while (this.hashes[at] !== 0) at = (at + 1) & mask;
      this.hashes[at] = hashes[slot];
      this.heads[at] = heads[slot];
    }
  }
}

const settingsCache = new WeakMap<Options, Settings>();

function settingsFor(options: Options): Settings {
  let settings = settingsCache.get(options);
  if (settings) return settings;
  const fold = memoizedFold(data.homoglyphs);
  const transliteration = compileTransliteration(data.transliteration);
  const nameKey = memoize((name) => transliterationKey(fold(name), transliteration));
  settings = {
    fold,
    key: nameKey,
    nameKey,
    homoglyphs: data.homoglyphs,
    transliteration,
    minLength: options.minLength,
    distinct: new Set([...data.distinct, ...options.distinct].map(([a, b]) => pairKey(fold(a), fold(b)))),
    places: new Set([...data.places, ...data.calendar].map(fold)),
    distinctPrefixes: data.distinctPrefixes,
    titles: new Set([...data.titles, ...options.titles]),
    preferred: new Set(options.preferred),
    scanner: new NameScanner(data.homoglyphs),
    formBits: new Uint16Array(1024),
    folds: [],
    partners: new Map(),
    keyBuckets: new KeyBuckets(),
    metBy: new Int32Array(1024),
  };
  settingsCache.set(options, settings);
  return settings;
}

/** Learn the forms the last scan met first: bits, fold, and the partners each has among the forms seen. */
function learnForms(settings: Settings): void {
  const { scanner, folds, partners } = settings;
  settings.formBits = grown(settings.formBits, scanner.forms.length);
  settings.metBy = grown(settings.metBy, scanner.forms.length);
  for (let id = folds.length; id < scanner.forms.length; id++) {
    const form = scanner.forms[id];
    const fold = settings.fold(form);
    folds.push(fold);
    let bits = settings.titles.has(form) ? TITLE : 0;
    if (fold.length >= 4) bits |= CORPUS_LENGTH;
    settings.formBits[id] = bits;
    // Shorter forms are never compared (`documentForms`).
    if (fold.length < 3) {
      settings.formBits[id] |= SHORT;
      continue;
    }
    // Not through the memo of `keyOf`: most forms never need their key again, and a memo entry outlives the run.
    for (const hash of blockingHashes(fold, transliterationKey(fold, settings.transliteration), settings.minLength)) {
      for (let entry = settings.keyBuckets.add(hash, id); entry >= 0; entry = settings.keyBuckets.before(entry)) {
        const other = settings.keyBuckets.formAt(entry);
        // Each other form is tested once.
        if (other === id || settings.metBy[other] === id + 1) continue;
        settings.metBy[other] = id + 1;
        const otherForm = scanner.forms[other];
        if (!variantKind(form, otherForm, settings) && !variantKind(otherForm, form, settings)) continue;
        // A hash shared by chance is no shared key.
        const keys = new Set(blockingKeys(form, fold, settings));
        if (!blockingKeys(otherForm, folds[other], settings).some((key) => keys.has(key))) continue;
        for (const [one, two] of [[id, other], [other, id]]) {
          const list = partners.get(one);
          if (list) list.push(two);
          else partners.set(one, [two]);
          settings.formBits[one] |= PARTNERED;
        }
      }
    }
  }
}

/** Forget every form (memory stays flat on any corpus). */
function forgetForms(settings: Settings): void {
  settings.scanner.clear();
  settings.formBits.fill(0);
  settings.metBy.fill(0);
  settings.folds.length = 0;
  settings.partners.clear();
  settings.keyBuckets.clear();
}

/** Whether the fold of form `id` is an English word, looked up once. */
function englishFold(id: number, settings: Settings): boolean {
  const bits = settings.formBits[id];
  if (bits & ENGLISH_KNOWN) return (bits & ENGLISH) !== 0;
  const english = isEnglishWord(settings.folds[id]);
  settings.formBits[id] |= ENGLISH_KNOWN | (english ? ENGLISH : 0);
  return english;
}

/** `isGivenName` of form `id`, looked up once. */
function givenNameForm(id: number, startsSentence: boolean, settings: Settings): boolean {
  let bits = settings.formBits[id];
  if (!(bits & GIVEN_KNOWN)) {
    const use = givenNameUse(settings.scanner.forms[id]);
    bits |= GIVEN_KNOWN | (use.midSentence ? GIVEN_MID_SENTENCE : 0) | (use.atSentenceStart ? GIVEN_AT_START : 0);
    settings.formBits[id] = bits;
  }
  return (bits & (startsSentence ? GIVEN_AT_START : GIVEN_MID_SENTENCE)) !== 0;
}

/** One spelling of a name in a document, with what stands around it. */
interface FormInfo {
  form: string;
  fold: string;
  occurrences: NameOccurrence[];
  /** The first given name before it ("Thierry" in "Thierry Burkhard"), if any. */
  given?: string;
  hasTitle: boolean;
  /** Its contexts, computed for the forms of a variant pair only (see `contextsOf`). */
  contexts?: FormContexts;
}

interface FormContexts {
  /** Transliteration keys of given names before it. */
  givens: Set<string>;
  /** Transliteration keys of capitalised words after it ("Marchenko" after "Oleksii"). */
  nexts: Set<string>;
}

/** The contexts of a form, computed once and only when asked: few forms meet a variant. */
function contextsOf(info: FormInfo, settings: Settings): FormContexts {
  if (info.contexts) return info.contexts;
  const contexts: FormContexts = { givens: new Set(), nexts: new Set() };
  for (const { previous, previousStartsSentence, next } of info.occurrences) {
    if (previous !== undefined && !settings.titles.has(previous) && isGivenName(previous, previousStartsSentence === true)) contexts.givens.add(keyOf(previous, settings));
    if (next !== undefined && !settings.titles.has(next)) contexts.nexts.add(keyOf(next, settings));
  }
  return (info.contexts = contexts);
}

function keyOf(name: string, settings: Settings): string {
  return settings.nameKey(name);
}

function intersects<K>(a: Set<K> | Map<K, number>, b: Set<K> | Map<K, number>): boolean {
  for (const value of a.keys()) if (b.has(value)) return true;
  return false;
}

const maxBlockingContexts = 12;

/** How many letters of a spelling carry diacritics (é, ø): the accented spelling keeps what ASCII drops. */
function marks(form: string): number {
  return form.normalize('NFD').replace(/[A-Za-z'’]/g, '').length;
}

// Different given names (Boris Johnson / Mike Jonson) or different following names (Brian Smith / Bryan Jones)
// say two people; a shared one says one person spelt two ways.
function contextOf(a: FormContexts, b: FormContexts) {
  const shared = intersects(a.givens, b.givens) || intersects(a.nexts, b.nexts);
  const conflict =
    !shared && ((a.givens.size > 0 && b.givens.size > 0) || (a.nexts.size > 0 && b.nexts.size > 0));
  return { shared, conflict };
}

/** Which of two spellings of one name in a document is the suspect; `undefined` when they are two names. */
function judgePair(a: FormInfo, b: FormInfo, kind: VariantKind, settings: Settings): { minority: FormInfo; canonical: FormInfo } | undefined {
  const contextsA = contextsOf(a, settings);
  const contextsB = contextsOf(b, settings);
  const { shared, conflict } = contextOf(contextsA, contextsB);
  if (conflict && kind !== 'diacritics') return undefined;
  // "Jumardi Jukardi": a given name and the surname after it are two names, however alike.
  const keyA = keyOf(a.form, settings);
  const keyB = keyOf(b.form, settings);
  if (contextsA.nexts.has(keyB) || contextsB.nexts.has(keyA) || contextsA.givens.has(keyB) || contextsB.givens.has(keyA)) return undefined;
  // "Carson Mell" / "Ben Carlson": one used only as a given name, the other only as a surname.
  const givenOnly = (x: FormInfo) => contextsOf(x, settings).nexts.size > 0 && x.given === undefined;
  const surnameOnly = (x: FormInfo) => x.given !== undefined && contextsOf(x, settings).nexts.size === 0;
  if ((givenOnly(a) && surnameOnly(b)) || (givenOnly(b) && surnameOnly(a))) return undefined;
  const order = (x: FormInfo, y: FormInfo): number =>
    Number(settings.preferred.has(y.form)) - Number(settings.preferred.has(x.form)) ||
    Number(settings.places.has(y.fold)) - Number(settings.places.has(x.fold)) ||
    y.occurrences.length - x.occurrences.length ||
    // On a tie an English word beats its look-alike (American/Amerian).
    Number(isEnglishWord(y.fold)) - Number(isEnglishWord(x.fold)) ||
    (kind === 'diacritics' ? marks(y.form) - marks(x.form) : 0) ||
    // A full name ("Thierry Burkhard") is the careful spelling; a bare or titled one ("General Bukhard") the suspect.
    Number(y.given !== undefined) - Number(x.given !== undefined) ||
    x.occurrences[0].start - y.occurrences[0].start;
  const [canonical, minority] = order(a, b) <= 0 ? [a, b] : [b, a];
  if (kind === 'diacritics') return { minority, canonical };
  const englishMinority = isEnglishWord(minority.fold);
  const englishCanonical = isEnglishWord(canonical.fold);
  if (englishMinority && englishCanonical) return undefined;
  if ((englishMinority || englishCanonical) && !shared) return undefined;
  // A name (after a title or a given name, or before another name) is not a misspelt place or day
  // (Judge Munday / Monday, the 6. Juli Banken / July).
  if (settings.places.has(canonical.fold) && (minority.hasTitle || minority.given !== undefined || contextsOf(minority, settings).nexts.size > 0)) return undefined;
  if (kind === 'typo') {
    // Two spellings each used three times or more are two names (Hanson / Hansen), unless one person wears both.
    if (minority.occurrences.length >= 3 && !shared) return undefined;
    // A slip rarely hits the first letter: Ronald/Donald, Luganda/Uganda are two names unless context joins them.
    if (minority.fold[0] !== canonical.fold[0] && !shared) return undefined;
    const rarer = minority.occurrences.length < canonical.occurrences.length;
    const introduced = canonical.given !== undefined && minority.given === undefined;
    if (!shared && !rarer && !introduced) return undefined;
  }
  return { minority, canonical };
}

// An English word before a name is a given name only when short ("Mike", "Mark") and not the sentence's first word
// ("The", "Undersecretary" and "French" are not).
function givenNameUse(word: string): { midSentence: boolean; atSentenceStart: boolean } {
  const lower = word.toLowerCase();
  const english = isEnglishWord(lower);
  return { midSentence: !english || lower.length <= 5, atSentenceStart: !english };
}

function isGivenName(word: string, startsSentence: boolean): boolean {
  const use = givenNameUse(word);
  return startsSentence ? use.atSentenceStart : use.midSentence;
}

/** Per slot of the document the scanner read last: what its occurrences say, from one walk over the tokens. */
interface DocumentForms {
  /** The form may be a name worth comparing: no mixed-script word, 3+ letters folded, and not an English word seen only at sentence starts. */
  candidate: Uint8Array;
  /** Slot of the first given name before it, or -1. */
  given: Int32Array;
  hasTitle: Uint8Array;
  /** Slot of the first capitalised word after it that is no title, or -1. */
  next: Int32Array;
}

function documentForms(settings: Settings, mixedForms: Set<string>): DocumentForms {
  const { scanner, formBits } = settings;
  const slots = scanner.slotCount;
  const forms: DocumentForms = { candidate: new Uint8Array(slots), given: new Int32Array(slots).fill(-1), hasTitle: new Uint8Array(slots), next: new Int32Array(slots).fill(-1) };
  // Outside sentence starts at least once.
  const midSentence = new Uint8Array(slots);
  const { tokenFlags, tokenSlot, slotForm } = scanner;
  for (let token = 0; token < scanner.tokenCount; token++) {
    const slot = tokenSlot[token];
    const flags = tokenFlags[token];
    if (!(flags & SENTENCE_START)) midSentence[slot] = 1;
    if (flags & AFTER_NAME) {
      const previous = tokenSlot[token - 1];
      if (formBits[slotForm[previous]] & TITLE) forms.hasTitle[slot] = 1;
      else if (forms.given[slot] < 0 && givenNameForm(slotForm[previous], (tokenFlags[token - 1] & SENTENCE_START) !== 0, settings)) forms.given[slot] = previous;
      if (forms.next[previous] < 0 && !(formBits[slotForm[slot]] & TITLE)) forms.next[previous] = slot;
    }
  }
  for (let slot = 0; slot < slots; slot++) {
    const id = slotForm[slot];
    // A word seen only at sentence starts is a name only if it is no ordinary English word ("Then", "General").
    if (formBits[id] & SHORT || (!midSentence[slot] && englishFold(id, settings))) continue;
    if (mixedForms.size > 0 && mixedForms.has(scanner.forms[id])) continue;
    forms.candidate[slot] = 1;
  }
  return forms;
}

/** The FormInfo of a slot of the document the scanner read last. */
function formInfo(slot: number, forms: DocumentForms, settings: Settings): FormInfo {
  const { scanner } = settings;
  const id = scanner.slotForm[slot];
  const info: FormInfo = { form: scanner.forms[id], fold: settings.folds[id], occurrences: scanner.occurrences(slot), hasTitle: forms.hasTitle[slot] === 1 };
  if (forms.given[slot] >= 0) info.given = scanner.formOf(forms.given[slot]);
  return info;
}

/**
 * Candidate pairs by blocking keys (folded form, transliteration key, one-deletion keys): never all pairs.
 * `joins` may turn down a pair met under one key (it may still meet under another).
 */
function candidatePairs<T>(items: T[], keysOf: (item: T) => string[], joins?: (a: T, b: T, key: string) => boolean): [T, T][] {
  // Most keys block one item only: a bare index until a second item shares the key (an array costs ~150 bytes).
  const buckets = new Map<string, number | number[]>();
  items.forEach((item, index) => {
    for (const key of keysOf(item)) {
      const bucket = buckets.get(key);
      if (bucket === undefined) buckets.set(key, index);
      else if (typeof bucket === 'number') buckets.set(key, [bucket, index]);
      else bucket.push(index);
    }
  });
  const seen = new Set<number>();
  const pairs: [T, T][] = [];
  for (const [key, bucket] of buckets) {
    if (typeof bucket === 'number') continue;
    for (let i = 0; i < bucket.length; i++) {
      for (let j = i + 1; j < bucket.length; j++) {
        if (bucket[i] === bucket[j]) continue;
        const id = bucket[i] * items.length + bucket[j];
        if (seen.has(id)) continue;
        if (joins && !joins(items[bucket[i]], items[bucket[j]], key)) continue;
        seen.add(id);
        pairs.push([items[bucket[i]], items[bucket[j]]]);
      }
    }
  }
  return pairs;
}

function blockingKeys(form: string, fold: string, settings: Settings, minLength = settings.minLength): string[] {
  const keys = [`f:${fold}`, `t:${keyOf(form, settings)}`];
  if (fold.length >= minLength) for (const key of deletionKeys(fold)) keys.push(`d:${key}`);
  return keys;
}

/** Hashes of `blockingKeys`, in their order (`keyHash`). */
function blockingHashes(fold: string, key: string, minLength: number): number[] {
  const hashes = [keyHash(1, fold), keyHash(2, key)];
  if (fold.length >= minLength) for (let skip = -1; skip < fold.length; skip++) hashes.push(keyHash(3, fold, skip));
  return hashes;
}

/**
 * The keys of items (`keysOf`, hashed in the same order by `hashesOf`) that another item may share: a key no other
 * item has makes no pair in `candidatePairs`, and leaving it out changes neither the pairs nor their order. Hashes
 * tell which keys repeat, so most keys are never built as strings (~10 an item, the bulk of the allocations);
 * `undefined` when no key can repeat at all.
 */
function sharedKeys<T>(items: T[], hashesOf: (item: T) => number[], keysOf: (item: T) => string[]): ((item: T) => string[]) | undefined {
  const buckets = new KeyBuckets();
  const repeated = new Set<number>();
  items.forEach((item, index) => {
    for (const hash of hashesOf(item)) {
      // The item last noted under the hash is another one, or this one (its earlier additions saw the others).
      const before = buckets.add(hash, index);
      if (before >= 0 && buckets.formAt(before) !== index) repeated.add(hash);
    }
  });
  if (repeated.size === 0) return undefined;
  return (item) => {
    const hashes = hashesOf(item);
    if (!hashes.some((hash) => repeated.has(hash))) return [];
    return keysOf(item).filter((_, index) => repeated.has(hashes[index]));
  };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

const kindNames: Record<VariantKind, string> = {
  diacritics: 'diacritics',
  transliteration: 'transliteration',
  typo: 'spelling',
};

/** One name spelt two ways in a document or across the corpus (Bukhard/Burkhard, Zelensky/Zelenskyy, Sebastien/Sébastien, Sоlheim with a Cyrillic о). */
export default defineRule<Options, CorpusData>({
  meta: {
    id: 'spelling-inconsistency',
    description: 'A name spelt two ways (diacritics, look-alike letters of another script, a typo, a transliteration variant) in a document or across the corpus.',
    url: 'https://github.com/corpus-lint/corpus-lint#spelling-inconsistency',
    defaultSeverity: 'warn',
    messages: {
      mixedScript: 'Unexpected {{letters}} in `{{actual}}`, expected the Latin spelling `{{expected}}`',
      variant: 'Unexpected `{{actual}}` ({{kind}} variant), expected `{{expected}}` as written elsewhere in this document ({{count}}×)',
      preferred: 'Unexpected `{{actual}}` ({{kind}} variant), expected the preferred spelling `{{expected}}`',
      corpusVariant:
        'Unexpected `{{actual}}` ({{kind}} variant, {{count}}× in this document), expected `{{expected}}` as written in {{documents}}',
    },
    schema: {
      type: 'object',
      properties: {
        preferred: { type: 'array', items: { type: 'string', minLength: 2 }, default: [] },
        distinct: {
          type: 'array',
          items: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 },
          default: [],
        },
        titles: { type: 'array', items: { type: 'string' }, default: [] },
        minLength: { type: 'integer', minimum: 4, default: 6 },
        corpus: { type: 'boolean', default: true },
      },
      additionalProperties: false,
    },
  },
  check(context) {
    const settings = settingsFor(context.options);
    const { scanner } = settings;
    if (scanner.forms.length >= maxForms) forgetForms(settings);
    scanner.scan(context.text);
    learnForms(settings);
    const here = context.doc.index;
    const mixedForms = new Set<string>();
    for (const word of scanner.mixedScript) {
      mixedForms.add(word.text);
      const same = scanner.slotOf(word.latin);
      const sameStart = same < 0 ? 0 : scanner.tokenStart[scanner.slotFirst[same]];
      context.report({
        messageId: 'mixedScript',
        data: { actual: word.text, expected: word.latin, letters: word.letters.join(', ') },
        start: word.start,
        end: word.end,
        actual: word.text,
        expected: [word.latin],
        kind: 'mixed-script',
        fix: { start: word.start, end: word.end, text: word.latin },
        ...(same >= 0 ? { related: [{ doc: here, start: sameStart, end: sameStart + word.latin.length, message: 'the Latin spelling in this document' }] } : {}),
      });
    }
    const forms = documentForms(settings, mixedForms);
    const infoOf = new Map<number, FormInfo>();
    const info = (slot: number): FormInfo => {
      let found = infoOf.get(slot);
      if (!found) infoOf.set(slot, (found = formInfo(slot, forms, settings)));
      return found;
    };
    let pairs: [FormInfo, FormInfo][] = [];
    for (let slot = 0; slot < scanner.slotCount; slot++) {
      if (!forms.candidate[slot] || !(settings.formBits[scanner.slotForm[slot]] & PARTNERED)) continue;
      for (const partner of settings.partners.get(scanner.slotForm[slot]) ?? []) {
        const other = scanner.slotOfForm(partner);
        if (other > slot && forms.candidate[other]) pairs.push([info(slot), info(other)]);
      }
    }
    if (pairs.length > 1) {
      // Which pair comes first can settle a tie (see `best`): their order is that of the blocking keys of all forms.
      const infos: FormInfo[] = [];
      for (let slot = 0; slot < scanner.slotCount; slot++) if (forms.candidate[slot]) infos.push(info(slot));
      const keysOf = sharedKeys(
        infos,
        (info) => blockingHashes(info.fold, keyOf(info.form, settings), settings.minLength),
        (info) => blockingKeys(info.form, info.fold, settings),
      );
      pairs = keysOf ? candidatePairs(infos, keysOf) : [];
    }
    const best = new Map<FormInfo, { canonical: FormInfo; kind: VariantKind }>();
    for (const [a, b] of pairs) {
      const kind = variantKind(a.form, b.form, settings);
      if (!kind) continue;
      const judged = judgePair(a, b, kind, settings);
      if (!judged) continue;
      const previous = best.get(judged.minority);
      if (!previous || previous.canonical.occurrences.length < judged.canonical.occurrences.length) best.set(judged.minority, { canonical: judged.canonical, kind });
    }
    for (const [minority, { canonical, kind }] of best) {
      const first = canonical.occurrences[0];
      const isPreferred = settings.preferred.has(canonical.form);
      for (const occurrence of minority.occurrences) {
        context.report({
          messageId: isPreferred ? 'preferred' : 'variant',
          data: { actual: minority.form, expected: canonical.form, kind: kindNames[kind], count: canonical.occurrences.length },
          start: occurrence.start,
          end: occurrence.end,
          actual: minority.form,
          expected: [canonical.form],
          kind,
          ...(kind === 'diacritics' ? { fix: { start: occurrence.start, end: occurrence.end, text: canonical.form } } : {}),
          related: [{ doc: here, start: first.start, end: first.end, message: `\`${canonical.form}\` in this document` }],
        });
      }
    }
    if (!context.options.corpus) return;
    // English words never pair across documents (see complete), so they are not sent: a smaller corpus pass.
    const records: FormRecord[] = [];
    for (let slot = 0; slot < scanner.slotCount; slot++) {
      const id = scanner.slotForm[slot];
      if (!forms.candidate[slot] || !(settings.formBits[id] & CORPUS_LENGTH) || (settings.preferred.size === 0 && englishFold(id, settings))) continue;
      const info = infoOf.get(slot);
      records.push({
        form: scanner.formOf(slot),
        count: scanner.slotSize[slot],
        first: scanner.tokenStart[scanner.slotFirst[slot]],
        given: forms.given[slot] < 0 ? '' : scanner.formOf(forms.given[slot]),
        next: forms.next[slot] < 0 ? '' : scanner.formOf(forms.next[slot]),
        minority: info !== undefined && best.has(info),
      });
    }
    return encodeForms(records);
  },
  complete(corpus) {
    const settings = settingsFor(corpus.options);
    interface Use {
      doc: number;
      count: number;
      first: number;
      /** Contexts (`contextId`) of its given name and next word, or -1. */
      given: number;
      next: number;
      minority: boolean;
    }
    interface FormStats {
      form: string;
      fold: string;
      /** Documents where the form is not a reported minority. */
      votes: number;
      total: number;
      /** First document that writes the form at all (`Infinity` for a configured spelling no document writes). */
      firstDoc: number;
      /** Given names and next words seen with the form (`contextId`), with how many documents. */
      contexts: Map<number, number>;
    }
    // Spellings of forms, given names and next words by id, and the transliteration keys of names by id + 1.
    const table = new FormTable();
    const keyIds = new Map<string, number>();
    let keyIdOf = new Int32Array(1024);
    // A context is a transliteration key, as a given name (even) or as a next word (odd).
    const contextId = (id: number, asNext: boolean): number => {
      keyIdOf = grown(keyIdOf, id + 1);
      if (keyIdOf[id] === 0) {
        const key = keyOf(table.forms[id], settings);
        let keyId = keyIds.get(key);
        if (keyId === undefined) keyIds.set(key, (keyId = keyIds.size));
        keyIdOf[id] = keyId + 1;
      }
      return 2 * (keyIdOf[id] - 1) + (asNext ? 1 : 0);
    };
    const reader = new FormLines();
    // The id of a given name or next word of the line `reader` read last (a line of its document, or a name), or -1.
    const neighbourOf = (line: number, start: number, end: number): number =>
      line >= 0 ? table.idAt(reader.text, reader.formStart(line), reader.formEndOf(line)) : start < end ? table.idAt(reader.text, start, end) : -1;
    const givenContext = () => {
      const id = neighbourOf(reader.givenLine, reader.givenStart, reader.givenEnd);
      return id < 0 ? -1 : contextId(id, false);
    };
    const nextContext = () => {
      const id = neighbourOf(reader.nextLine, reader.nextStart, reader.nextEnd);
      return id < 0 ? -1 : contextId(id, true);
    };
    // Shared (never written) by every form seen without a context: a Map each would cost ~100 bytes a form.
    const noContexts = new Map<number, number>();
    // First pass: votes, totals and contexts per form; the uses of a form are read again only for forms in a pair.
    const statsById: (FormStats | undefined)[] = [];
    const stats: FormStats[] = [];
    const statsOf = (id: number, doc = Infinity): FormStats => {
      let found = statsById[id];
      if (!found) {
        const form = table.forms[id];
        stats.push((statsById[id] = found = { form, fold: settings.fold(form), votes: 0, total: 0, firstDoc: doc, contexts: noContexts }));
      }
      return found;
    };
    const addContext = (found: FormStats, context: number) => {
      if (context < 0) return;
      if (found.contexts === noContexts) found.contexts = new Map();
      found.contexts.set(context, (found.contexts.get(context) ?? 0) + 1);
    };
    for (const entry of corpus.entries) {
      reader.load(entry.data);
      for (let line = 0; line < reader.lines; line++) {
        const found = statsOf(table.idAt(reader.text, reader.formStart(line), reader.formEndOf(line)), entry.doc);
        if (reader.minority(line)) continue;
        reader.read(line);
        found.votes++;
        found.total += reader.count;
        addContext(found, givenContext());
        addContext(found, nextContext());
      }
    }
    for (const form of settings.preferred) statsOf(table.idAt(form));
    const voters = stats.filter((s) => s.votes > 0 || settings.preferred.has(s.form));
    // Across documents a typo needs a shared given name or neighbour: forms meeting under a deletion key pair up
    // only when they share one of their blocking contexts (a key per context and deletion would cost ~100 bytes each).
    const blockingContexts = new Map<FormStats, Set<number>>();
    const blockingContextsOf = (s: FormStats): Set<number> => {
      let found = blockingContexts.get(s);
      if (!found) {
        // A frequent name has many contexts; its commonest ones are enough to meet a rare misspelling.
        const common = s.fold.length >= settings.minLength ? [...s.contexts].sort((x, y) => y[1] - x[1]).slice(0, maxBlockingContexts) : [];
        blockingContexts.set(s, (found = new Set(common.map(([context]) => context))));
      }
      return found;
    };
    // Deletion keys only for forms with a context to meet by.
    const minLengthOf = (s: FormStats) => (s.contexts.size > 0 ? settings.minLength : Infinity);
    const keysOf = sharedKeys(
      voters,
      (s) => blockingHashes(s.fold, keyOf(s.form, settings), minLengthOf(s)),
      (s) => blockingKeys(s.form, s.fold, settings, minLengthOf(s)),
    );
    const joins = (a: FormStats, b: FormStats, key: string): boolean => !key.startsWith('d:') || intersects(blockingContextsOf(a), blockingContextsOf(b));
    const rank = (x: FormStats, y: FormStats, kind: VariantKind): number =>
      Number(settings.preferred.has(y.form)) - Number(settings.preferred.has(x.form)) ||
      Number(settings.places.has(y.fold)) - Number(settings.places.has(x.fold)) ||
      y.votes - x.votes ||
      (kind === 'diacritics' ? marks(y.form) - marks(x.form) : 0) ||
      y.total - x.total ||
      x.firstDoc - y.firstDoc;
    const canonicalOf = new Map<FormStats, { canonical: FormStats; kind: VariantKind }>();
    for (const [a, b] of keysOf ? candidatePairs(voters, keysOf, joins) : []) {
      const kind = variantKind(a.form, b.form, settings);
      if (!kind) continue;
      const [canonical, variant] = rank(a, b, kind) <= 0 ? [a, b] : [b, a];
      const isPreferred = settings.preferred.has(canonical.form);
      if (!isPreferred) {
        if (canonical.votes < variant.votes) continue;
        if (!intersects(canonical.contexts, variant.contexts)) continue;
        if (isEnglishWord(canonical.fold) || isEnglishWord(variant.fold)) continue;
        // Across documents a typo is believed only of a rare spelling with the same first letter (not Karnes/Barnes).
        if (kind === 'typo' && (variant.votes > 2 || variant.fold[0] !== canonical.fold[0] || canonical.votes < 2 * variant.votes)) continue;
      }
      const previous = canonicalOf.get(variant);
      if (!previous || rank(canonical, previous.canonical, kind) < 0) canonicalOf.set(variant, { canonical, kind });
    }
    // Second pass: the uses of the forms in a pair only.
    const pairs = [...canonicalOf].filter(([, { canonical }]) => !canonicalOf.has(canonical));
    const uses = new Map<number, Use[]>();
    for (const [variant, { canonical }] of pairs) for (const { form } of [variant, canonical]) uses.set(table.idAt(form), []);
    for (const entry of corpus.entries) {
      reader.load(entry.data);
      let first = 0;
      for (let line = 0; line < reader.lines; line++) {
        // Every line's offset step is summed; the other fields matter only on the lines of a form in a pair.
        reader.read(line);
        first += reader.step;
        const found = uses.get(table.find(reader.text, reader.formStart(line), reader.formEndOf(line)));
        if (found) found.push({ doc: entry.doc, count: reader.count, first, given: givenContext(), next: nextContext(), minority: reader.minority(line) });
      }
    }
    // Per document, its dominant spelling of each name: a corpus finding goes on that form's first use only.
    const reported = new Set<string>();
    for (const [variant, { canonical, kind }] of pairs) {
      const canonicalUses = uses.get(table.idAt(canonical.form)) ?? [];
      const isPreferred = settings.preferred.has(canonical.form);
      const related: RelatedSpan[] = canonicalUses
        .filter((use) => !use.minority)
        .slice(0, 3)
        .map((use) => ({ doc: use.doc, start: use.first, end: use.first + canonical.form.length, message: `\`${canonical.form}\` in ${corpus.describe(use.doc)}` }));
      for (const use of uses.get(table.idAt(variant.form)) ?? []) {
        if (use.minority) continue;
        const docKey = `${use.doc}|${canonical.form}`;
        if (reported.has(docKey)) continue;
        if (!isPreferred && !canonical.contexts.has(use.given) && !canonical.contexts.has(use.next)) continue;
        const here = canonicalUses.find((other) => other.doc === use.doc && !other.minority);
        // The document writes the canonical form more often itself: its own check reported the variant already.
        if (here && here.count >= use.count) continue;
        reported.add(docKey);
        corpus.report(use.doc, {
          messageId: isPreferred ? 'preferred' : 'corpusVariant',
          data: { actual: variant.form, expected: canonical.form, kind: kindNames[kind], count: use.count, documents: plural(canonical.votes - (here ? 1 : 0), 'other document') },
          start: use.first,
          end: use.first + variant.form.length,
          actual: variant.form,
          expected: [canonical.form],
          kind,
          related: related.filter((span) => span.doc !== use.doc),
        });
      }
    }
  },
});
