import { defineRule } from '../src/rule.js';
import { createAjv, formatAjvErrors, readPackageJson } from '../src/schema.js';
import type { CorpusContext, Descriptor, RuleContext } from '../src/types.js';
import { LshIndex, hashSequence, jaccard, mix32, sampleShingles, sampledJaccard, shingleSet, shingleSketch } from './duplicate-passage/minhash.js';
import { findRepeats, type Repeat, type RepeatOptions } from './duplicate-passage/repeats.js';
import { KeyTable } from './duplicate-passage/key-table.js';
import { PASSAGE_FIELDS, bodyOf, exactOf, hasNear, nearOf, packPassage, packRecord, passageAt, passageKeyAt, passagesOf, rawOf, signatureOf, signaturesAgree } from './duplicate-passage/record.js';
import { SentenceFlag, scanWords, segment, wordStart, type Segmented } from './duplicate-passage/segment.js';

interface Options extends RepeatOptions {
  abbreviations: string[];
  artifactPatterns: string[];
  shingleSize: number;
  permutations: number;
  bands: number;
  threshold: number;
  numberThreshold: number;
  minDocumentWords: number;
  passageMinWords: number;
  maxPassageDocuments: number;
  maxShingles: number;
  maxCandidates: number;
}

interface RuleData {
  abbreviations: string[];
  artifactPatterns: string[];
  months: string[];
}

const data = readPackageJson<RuleData>('rules/duplicate-passage.data.json');
const validateData = createAjv().compile(readPackageJson<Record<string, unknown>>('rules/duplicate-passage.data.schema.json'));
if (!validateData(data)) throw new Error(`rules/duplicate-passage.data.json: ${formatAjvErrors(validateData.errors, 'data')}`);

const monthNames = data.months.map((month) => `${month}|${month.slice(0, 3)}\\.?`).join('|');
// "March 6", "Mar. 6" and "6 March": a day of a month.
const datePattern = new RegExp(`\\b(?:(${monthNames})\\s+(\\d{1,2})|(\\d{1,2})\\s+(${monthNames}))\\b`, 'gi');

const wordHash = (word: string) => scanWords(word).hashes[0];
const monthWords = new Set(data.months.flatMap((month) => [month, month.slice(0, 3)]).map(wordHash));
const dayWords = new Set(Array.from({ length: 100 }, (_, day) => [String(day), String(day).padStart(2, '0')]).flat().map(wordHash));
// The low 16 bits of both sets' hashes: one typed-array load rules out almost every word before a Set lookup.
const dateWordBits = new Uint8Array(65536);
for (const hash of [...monthWords, ...dayWords]) dateWordBits[hash & 0xffff] = 1;

// Whether words `at` and `at + 1` are a month (or its first three letters) and a day number, either way round.
function mayNameDate(words: Uint32Array, at: number): boolean {
  if (!dateWordBits[words[at] & 0xffff] || !dateWordBits[words[at + 1] & 0xffff]) return false;
  return (monthWords.has(words[at]) && dayWords.has(words[at + 1])) || (dayWords.has(words[at]) && monthWords.has(words[at + 1]));
}

const stickyDatePattern = new RegExp(datePattern.source, 'iy');

/**
 * Hashes of the dates (month and day) a text names. With `segmented` (its segments), the pattern is
 * tried only where two words in a row may name one, which is where every match starts, unless a word
 * beyond ASCII hides a month or a day from the word scan (\b is ASCII): then it scans the whole text.
 */
export function datesOf(text: string, segmented?: Segmented): Uint32Array {
  const hashes: number[] = [];
  const add = (match: RegExpMatchArray) => {
    const month = (match[1] ?? match[4]).slice(0, 3).toLowerCase();
    hashes.push(hashSequence([month.charCodeAt(0), month.charCodeAt(1), month.charCodeAt(2), Number(match[2] ?? match[3])]));
  };
  if (!segmented || segmented.wide) for (const match of text.matchAll(datePattern)) add(match);
  else {
    const { words } = segmented;
    for (let at = 0; at + 1 < words.length; at++) {
      if (!mayNameDate(words, at)) continue;
      stickyDatePattern.lastIndex = wordStart(text, segmented, at);
      const match = stickyDatePattern.exec(text);
      if (!match) continue;
      add(match);
      // A match spans the two words.
      at++;
    }
  }
  return shingleSet(Uint32Array.from(hashes), 1);
}

const abbreviationSets = new WeakMap<string[], Set<string>>();
const artifactLists = new WeakMap<string[], RegExp>();

function abbreviationsFor(options: Options): Set<string> {
  let set = abbreviationSets.get(options.abbreviations);
  if (!set) {
    set = new Set([...data.abbreviations, ...options.abbreviations.map((word) => word.toLowerCase().replace(/\.$/, ''))]);
    abbreviationSets.set(options.abbreviations, set);
  }
  return set;
}

// Case-sensitive on purpose: "via Getty Images" is a credit, "via email" is prose.
function artifactsFor(options: Options): RegExp {
  let pattern = artifactLists.get(options.artifactPatterns);
  if (!pattern) {
    pattern = new RegExp([...data.artifactPatterns, ...options.artifactPatterns].map((one) => `(?:${one})`).join('|'), 'u');
    artifactLists.set(options.artifactPatterns, pattern);
  }
  return pattern;
}

/**
 * Key of a word sequence: 53 bits of two 32-bit hashes, so that millions of keys do not collide. The
 * two hashSequence runs (seeds 0x1b873593 and 0x5bd1e995) in one loop: every word of a text goes through here twice.
 */
export function sequenceKey(words: Uint32Array, from = 0, to = words.length): number {
  let high = 0x1b873593;
  let low = 0x5bd1e995;
  for (let at = from; at < to; at++) {
    high = mix32(Math.imul(high ^ words[at], 0x9e3779b1) + at - from);
    low = mix32(Math.imul(low ^ words[at], 0x9e3779b1) + at - from);
  }
  return (mix32(high ^ (to - from)) & 0x1fffff) * 2 ** 32 + mix32(low ^ (to - from));
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

// Remove whole lines of an exact repeat: from the end of the text before it to the end of its last line.
function removalFix(text: string, start: number, end: number): Descriptor['fix'] | undefined {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end);
  if (text.slice(lineStart, start).trim() !== '' || text.slice(end, lineEnd).trim() !== '') return undefined;
  let from = lineStart;
  while (from > 0 && /\s/.test(text[from - 1])) from--;
  if (from === 0) return undefined;
  const stop = text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
  return { start: from, end: stop, text: '' };
}

function reportRepeat(context: RuleContext<Options>, segmented: Segmented, repeat: Repeat): void {
  const { sentences } = segmented;
  const start = sentences.start[repeat.from];
  const end = sentences.end[repeat.to];
  const firstStart = sentences.start[repeat.firstFrom];
  const firstEnd = sentences.end[repeat.firstTo];
  const line = lineOf(context.text, firstStart);
  const related = [{ doc: context.doc.index, start: firstStart, end: firstEnd, message: 'First copy' }];
  if (repeat.changed === 0) {
    const fix = removalFix(context.text, start, end);
    context.report({ messageId: 'repeat', kind: 'repeat', data: { line, words: repeat.tokens }, start, end, related, ...(fix ? { fix } : {}) });
  } else {
    const similarity = Math.max(0, Math.round(100 * (1 - repeat.changed / repeat.tokens)));
    context.report({ messageId: 'nearRepeat', kind: 'near-repeat', data: { line, words: repeat.tokens, similarity }, start, end, related });
  }
}

function passagesIn(segmented: Segmented, minWords: number): number[] {
  const passages: number[] = [];
  const { sentences, paragraphs } = segmented;
  for (let at = 0; at < sentences.count; ) {
    const paragraph = sentences.paragraph[at];
    let stop = at;
    let ignored = false;
    while (stop < sentences.count && sentences.paragraph[stop] === paragraph) {
      ignored ||= (sentences.flags[stop] & SentenceFlag.Ignored) !== 0;
      stop++;
    }
    const from = sentences.firstWord[at];
    const to = sentences.firstWord[stop - 1] + sentences.wordCount[stop - 1];
    if (to - from >= minWords && !ignored) {
      packPassage(passages, sequenceKey(segmented.words, from, to), paragraphs[paragraph].start, paragraphs[paragraph].end, to - from);
    }
    at = stop;
  }
  return passages;
}

/** What `check` keeps of a document for the corpus step: hashes and offsets in one Uint32Array (record.ts), never the text. */
type DocumentData = Uint32Array;

function reportDocumentDuplicates(corpus: CorpusContext<Options, DocumentData>, duplicateOf: Map<number, number>, reported: Set<number>): void {
  const { options, entries } = corpus;
  const exactKeys = new KeyTable(entries.length);
  const firstWithKey = new Int32Array(exactKeys.size);
  entries.forEach((entry, entryAt) => {
    const slot = exactKeys.slotOf(exactOf(entry.data));
    if (exactKeys.added) {
      firstWithKey[slot] = entryAt;
      return;
    }
    const first = entries[firstWithKey[slot]];
    duplicateOf.set(entry.doc, first.doc);
    reported.add(entry.doc);
    // Byte-identical texts are exact duplicates; texts equal only after folding case or spacing are told apart.
    const identical = rawOf(entry.data) === rawOf(first.data);
    corpus.report(entry.doc, {
      messageId: identical ? 'duplicateDocument' : 'normalisedDuplicateDocument',
      kind: identical ? 'exact-duplicate' : 'normalised-duplicate',
      data: { other: corpus.describe(first.doc) },
      ...bodyOf(entry.data),
      related: [{ doc: first.doc, ...bodyOf(first.data), message: identical ? 'Same text' : 'Same text after normalising' }],
    });
  });

  const compared = entries.filter((entry) => hasNear(entry.data) && !duplicateOf.has(entry.doc));
  const rows = Math.max(1, Math.floor(options.permutations / options.bands));
  const index = new LshIndex((at) => signatureOf(compared[at].data), compared.length, options.bands, rows);
  compared.forEach((entry, at) => {
    const candidates = index.candidates(at, options.maxCandidates);
    if (candidates.length === 0) return;
    let near: ReturnType<typeof nearOf> | undefined;
    let best: { at: number; similarity: number } | undefined;
    // At most maxCandidates per document, from its buckets (≤ 64 documents each) visited smallest first:
    // on look-alike texts (a template, a small vocabulary) the work per document stays bounded, so the
    // corpus step grows linearly, not with the square of the documents. Ties go to the earliest document.
    for (const candidate of candidates) {
      // The signatures' agreement estimates the similarity; only plausible pairs are measured on their shingles.
      if (!signaturesAgree(entry.data, compared[candidate].data, options.threshold - 0.15)) continue;
      const { shingles, shingleBits, numbers, dates } = (near ??= nearOf(entry.data));
      const other = nearOf(compared[candidate].data);
      const similarity = sampledJaccard(shingles, shingleBits, other.shingles, other.shingleBits);
      if (similarity < options.threshold || (best && similarity <= best.similarity)) continue;
      // Reports built on one template (weekly figures, price tables, bond issues) share phrasing but not figures.
      if (numbers.length >= 5 && other.numbers.length >= 5 && jaccard(numbers, other.numbers) < options.numberThreshold) continue;
      // Two issues of a weekly report name different dates; two versions of one story share theirs.
      if (dates.length && other.dates.length && jaccard(dates, other.dates) === 0) continue;
      best = { at: candidate, similarity };
    }
    if (!best) return;
    reported.add(entry.doc);
    const other = compared[best.at];
    corpus.report(entry.doc, {
      messageId: 'nearDuplicateDocument',
      kind: 'near-duplicate',
      data: { other: corpus.describe(other.doc), similarity: best.similarity.toFixed(2) },
      ...bodyOf(entry.data),
      related: [{ doc: other.doc, ...bodyOf(other.data), message: `Near duplicate (Jaccard ${best.similarity.toFixed(2)})` }],
    });
  });
}

function reportSharedPassages(corpus: CorpusContext<Options, DocumentData>, duplicateOf: Map<number, number>, reported: Set<number>): void {
  const entries = corpus.entries.filter((entry) => !duplicateOf.has(entry.doc));
  // Passages numbered across the corpus, entry after entry: entry e holds numbers [passageStart[e], passageStart[e + 1]).
  const passageStart = new Uint32Array(entries.length + 1);
  entries.forEach((entry, entryAt) => (passageStart[entryAt + 1] = passageStart[entryAt] + passagesOf(entry.data).length / PASSAGE_FIELDS));
  // One slot per distinct passage key: how many documents hold it, and its first passage. No list of the
  // documents that share a passage is kept, so a paragraph in every document costs one slot.
  const keys = new KeyTable(passageStart[entries.length]);
  const documentsWith = new Uint32Array(keys.size);
  const lastEntry = new Int32Array(keys.size);
  const firstPassage = new Uint32Array(keys.size);
  entries.forEach((entry, entryAt) => {
    const passages = passagesOf(entry.data);
    for (let at = 0; at < passages.length; at += PASSAGE_FIELDS) {
      const slot = keys.slotOf(passageKeyAt(passages, at));
      if (keys.added) firstPassage[slot] = passageStart[entryAt] + at / PASSAGE_FIELDS;
      else if (lastEntry[slot] === entryAt) continue;
      documentsWith[slot]++;
      lastEntry[slot] = entryAt;
    }
  });
  entries.forEach((entry, entryAt) => {
    const passages = passagesOf(entry.data);
    let open: { doc: number; start: number; end: number; firstStart: number; firstEnd: number; words: number } | undefined;
    const flush = () => {
      if (!open) return;
      corpus.report(entry.doc, {
        messageId: 'sharedPassage',
        kind: 'shared-passage',
        data: { other: corpus.describe(open.doc), words: open.words },
        start: open.start,
        end: open.end,
        related: [{ doc: open.doc, start: open.firstStart, end: open.firstEnd, message: 'Same passage' }],
      });
      open = undefined;
    };
    for (let at = 0; at < passages.length; at += PASSAGE_FIELDS) {
      const slot = keys.slotOf(passageKeyAt(passages, at));
      const first = firstPassage[slot];
      // A paragraph in many documents is boilerplate (scraping-artifact's), not syndicated copy.
      if (first >= passageStart[entryAt] || documentsWith[slot] > corpus.options.maxPassageDocuments || reported.has(entry.doc)) {
        flush();
        continue;
      }
      const firstAt = upperBound(passageStart, first) - 1;
      const firstEntry = entries[firstAt];
      const { start: firstStart, end: firstEnd } = passageAt(passagesOf(firstEntry.data), (first - passageStart[firstAt]) * PASSAGE_FIELDS);
      const { start, end, words } = passageAt(passages, at);
      if (open && open.doc === firstEntry.doc && firstStart >= open.firstEnd) {
        open.end = end;
        open.firstEnd = firstEnd;
        open.words += words;
        continue;
      }
      flush();
      open = { doc: firstEntry.doc, start, end, firstStart, firstEnd, words };
    }
    flush();
  });
}

// First position in a sorted array whose value is above `value`.
function upperBound(sorted: Uint32Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Repeated passages in a document, and exact, near and partial duplicates across the corpus. */
export default defineRule<Options, DocumentData>({
  meta: {
    id: 'duplicate-passage',
    description: 'Repeated sentences, paragraphs and runs in a document; duplicate, near-duplicate and shared passages across documents.',
    url: 'https://github.com/corpus-lint/corpus-lint#duplicate-passage',
    defaultSeverity: 'warn',
    messages: {
      repeat: 'Unexpected repeat of the passage at line {{line}} ({{words}} words), expected it once',
      nearRepeat: 'Unexpected near repeat ({{similarity}}% the same) of the passage at line {{line}} ({{words}} words), expected it once',
      duplicateDocument: 'Unexpected exact duplicate of {{other}}, expected each document once',
      normalisedDuplicateDocument: 'Unexpected duplicate of {{other}} (the same words but for case, spacing, quotes or punctuation), expected each document once',
      nearDuplicateDocument: 'Unexpected near duplicate of {{other}} (Jaccard similarity {{similarity}}), expected each document once',
      sharedPassage: 'Unexpected passage ({{words}} words) also in {{other}}, expected it in one document',
    },
    schema: {
      type: 'object',
      properties: {
        minWords: { type: 'integer', minimum: 1, default: 8, description: 'Fewest words of a repeated passage.' },
        minChars: { type: 'integer', minimum: 1, default: 40, description: 'Fewest characters of a repeated passage.' },
        nearMinWords: { type: 'integer', minimum: 1, default: 15, description: 'Fewest words of a sentence matched with words changed.' },
        maxChangedWords: { type: 'integer', minimum: 0, default: 3, description: 'Most words changed in a sentence that still counts as a near repeat.' },
        nearSimilarity: { type: 'number', minimum: 0, maximum: 1, default: 0.85, description: 'Least share of a sentence that stays the same in a near repeat.' },
        minLineWords: { type: 'integer', minimum: 1, default: 12, description: 'Fewest words of a single line repeated as a line of its own (shorter ones are list items or headings).' },
        abbreviations: { type: 'array', items: { type: 'string' }, default: [], description: 'More words that end in a full stop without ending a sentence.' },
        artifactPatterns: { type: 'array', items: { type: 'string' }, default: [], description: 'More regular expressions for sentences left to scraping-artifact (embeds, credits).' },
        shingleSize: { type: 'integer', minimum: 1, default: 3, description: 'Words per shingle for near-duplicate documents.' },
        permutations: { type: 'integer', minimum: 1, default: 120, description: 'MinHash permutations.' },
        bands: { type: 'integer', minimum: 1, default: 40, description: 'LSH bands (rows per band = permutations / bands).' },
        threshold: { type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'Least real Jaccard similarity of shingle sets for a near duplicate.' },
        numberThreshold: { type: 'number', minimum: 0, maximum: 1, default: 0.4, description: 'Least Jaccard similarity of the sets of numbers of two near duplicates (when both have five or more).' },
        minDocumentWords: { type: 'integer', minimum: 1, default: 50, description: 'Fewest words (with a letter) for a document to be compared as a near duplicate.' },
        passageMinWords: { type: 'integer', minimum: 1, default: 20, description: 'Fewest words of a paragraph looked for in other documents.' },
        maxPassageDocuments: { type: 'integer', minimum: 2, default: 5, description: 'A paragraph in more documents than this is boilerplate, left to scraping-artifact.' },
        maxShingles: { type: 'integer', minimum: 1, default: 256, description: 'Most shingle hashes kept per document: a longer text keeps a mod-2^k sample (Broder) of about this many.' },
        maxCandidates: { type: 'integer', minimum: 1, default: 24, description: 'Most LSH candidates a document is compared with (smallest buckets first).' },
      },
      additionalProperties: false,
    },
  },
  check(context) {
    const { text, options } = context;
    const segmented = context.shared('duplicate-passage:segments', () => segment(text, context.lines, abbreviationsFor(options), artifactsFor(options)));
    for (const repeat of findRepeats(segmented, options)) reportRepeat(context, segmented, repeat);

    const { words } = segmented;
    const bodyStart = text.search(/\S/);
    if (bodyStart < 0 || words.length < options.minWords) return;
    const bodyEnd = text.trimEnd().length;
    const sketch = segmented.letterWords >= options.minDocumentWords ? shingleSketch(words, options.shingleSize, Math.floor(options.permutations / options.bands) * options.bands, options.maxShingles) : undefined;
    return packRecord({
      exact: sequenceKey(words),
      raw: segmented.textHash,
      bodyStart,
      bodyEnd,
      passages: passagesIn(segmented, options.passageMinWords),
      near:
        sketch
          ? {
              signature: sketch.signature,
              shingles: sketch.fingerprints,
              shingleBits: sketch.bits,
              numbers: sampleShingles(shingleSet(segmented.numbers, 1), Infinity).fingerprints,
              dates: datesOf(text, segmented),
            }
          : undefined,
    });
  },
  complete(corpus) {
    const duplicateOf = new Map<number, number>();
    // A document already reported as a duplicate is not reported again for its paragraphs.
    const reported = new Set<number>();
    reportDocumentDuplicates(corpus, duplicateOf, reported);
    reportSharedPassages(corpus, duplicateOf, reported);
  },
});
