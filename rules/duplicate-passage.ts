import { createHash } from 'node:crypto';
import { defineRule } from '../src/rule.js';
import { createAjv, formatAjvErrors, readPackageJson } from '../src/schema.js';
import type { CorpusContext, CorpusEntry, Descriptor, RuleContext } from '../src/types.js';
import { LshIndex, hashSequence, jaccard, oneHashSignature, shingleSet } from './duplicate-passage/minhash.js';
import { findRepeats, type Repeat, type RepeatOptions } from './duplicate-passage/repeats.js';
import { segment, type Segmented } from './duplicate-passage/segment.js';

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
}

/** A paragraph long enough to be looked for in other documents. */
interface Passage {
  key: string;
  start: number;
  end: number;
  words: number;
}

/** What `check` keeps of a document for the corpus step: hashes and offsets, never the text. */
interface DocumentData {
  /** Key of the normalised text: its words, with case, spacing, quotes and punctuation folded. */
  exact?: string;
  /** SHA-1 of the text as it stands: equal only for byte-identical documents. */
  raw?: string;
  bodyStart: number;
  bodyEnd: number;
  /** Sorted word-shingle hashes, to verify LSH candidates by their real Jaccard similarity. */
  shingles?: Uint32Array;
  signature?: Uint32Array;
  /** Sorted hashes of the distinct numbers in the text: the same story keeps its figures, a template changes them. */
  numbers?: Uint32Array;
  /** Sorted hashes of the dates (month and day) in the text. */
  dates?: Uint32Array;
  passages: Passage[];
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

/** Hashes of the dates (month and day) a text names. */
export function datesOf(text: string): Uint32Array {
  const hashes: number[] = [];
  for (const match of text.matchAll(datePattern)) {
    const month = (match[1] ?? match[4]).slice(0, 3).toLowerCase();
    hashes.push(hashSequence([month.charCodeAt(0), month.charCodeAt(1), month.charCodeAt(2), Number(match[2] ?? match[3])]));
  }
  return shingleSet(hashes, 1);
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

/** Key of a word sequence: two 32-bit hashes, so that hundreds of thousands of keys do not collide. */
export function sequenceKey(words: ArrayLike<number>, from = 0, to = words.length): string {
  return `${hashSequence(words, from, to, 0x5bd1e995).toString(36)}.${hashSequence(words, from, to, 0x1b873593).toString(36)}`;
}

function agreement(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let at = 0; at < a.length; at++) if (a[at] === b[at]) same++;
  return same / a.length;
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
  const start = sentences[repeat.from].start;
  const end = sentences[repeat.to].end;
  const firstStart = sentences[repeat.firstFrom].start;
  const firstEnd = sentences[repeat.firstTo].end;
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

function passagesOf(segmented: Segmented, minWords: number): Passage[] {
  const passages: Passage[] = [];
  const { sentences, paragraphs } = segmented;
  for (let at = 0; at < sentences.length; ) {
    const paragraph = sentences[at].paragraph;
    let stop = at;
    let ignored = false;
    while (stop < sentences.length && sentences[stop].paragraph === paragraph) {
      ignored ||= sentences[stop].ignored;
      stop++;
    }
    const words = segmented.words.subarray(sentences[at].firstWord, sentences[stop - 1].firstWord + sentences[stop - 1].words.length);
    if (words.length >= minWords && !ignored) {
      const key = sequenceKey(words);
      passages.push({ key, start: paragraphs[paragraph].start, end: paragraphs[paragraph].end, words: words.length });
    }
    at = stop;
  }
  return passages;
}

type Entry = CorpusEntry<DocumentData>;

function bodyOf(entry: Entry) {
  return { start: entry.data.bodyStart, end: entry.data.bodyEnd };
}

function reportDocumentDuplicates(corpus: CorpusContext<Options, DocumentData>, duplicateOf: Map<number, number>, reported: Set<number>): void {
  const { options, entries } = corpus;
  const byDoc = new Map(entries.map((entry) => [entry.doc, entry]));
  const firstByHash = new Map<string, Entry>();
  for (const entry of entries) {
    if (!entry.data.exact) continue;
    const first = firstByHash.get(entry.data.exact);
    if (!first) {
      firstByHash.set(entry.data.exact, entry);
      continue;
    }
    duplicateOf.set(entry.doc, first.doc);
    reported.add(entry.doc);
    // Byte-identical texts are exact duplicates; texts equal only after folding case or spacing are told apart.
    const identical = entry.data.raw === first.data.raw;
    corpus.report(entry.doc, {
      messageId: identical ? 'duplicateDocument' : 'normalisedDuplicateDocument',
      kind: identical ? 'exact-duplicate' : 'normalised-duplicate',
      data: { other: corpus.describe(first.doc) },
      ...bodyOf(entry),
      related: [{ doc: first.doc, ...bodyOf(first), message: identical ? 'Same text' : 'Same text after normalising' }],
    });
  }

  const rows = Math.max(1, Math.floor(options.permutations / options.bands));
  const index = new LshIndex(options.bands, rows);
  for (const entry of entries) {
    const { signature, shingles } = entry.data;
    if (!signature || !shingles || duplicateOf.has(entry.doc)) continue;
    let best: { doc: number; similarity: number } | undefined;
    for (const doc of index.candidates(signature)) {
      const other = byDoc.get(doc)!.data;
      // The signatures' agreement estimates the similarity; only plausible pairs are measured exactly.
      if (agreement(signature, other.signature!) < options.threshold - 0.15) continue;
      const similarity = jaccard(shingles, other.shingles!);
      if (similarity < options.threshold || (best && similarity <= best.similarity)) continue;
      // Reports built on one template (weekly figures, price tables, bond issues) share phrasing but not figures.
      const numbers = entry.data.numbers!;
      if (numbers.length >= 5 && other.numbers!.length >= 5 && jaccard(numbers, other.numbers!) < options.numberThreshold) continue;
      // Two issues of a weekly report name different dates; two versions of one story share theirs.
      if (entry.data.dates!.length && other.dates!.length && jaccard(entry.data.dates!, other.dates!) === 0) continue;
      best = { doc, similarity };
    }
    index.add(entry.doc, signature);
    if (!best) continue;
    reported.add(entry.doc);
    const other = byDoc.get(best.doc)!;
    corpus.report(entry.doc, {
      messageId: 'nearDuplicateDocument',
      kind: 'near-duplicate',
      data: { other: corpus.describe(best.doc), similarity: best.similarity.toFixed(2) },
      ...bodyOf(entry),
      related: [{ doc: best.doc, ...bodyOf(other), message: `Near duplicate (Jaccard ${best.similarity.toFixed(2)})` }],
    });
  }
}

function reportSharedPassages(corpus: CorpusContext<Options, DocumentData>, duplicateOf: Map<number, number>, reported: Set<number>): void {
  const documentsWith = new Map<string, number>();
  for (const entry of corpus.entries) {
    if (duplicateOf.has(entry.doc)) continue;
    for (const key of new Set(entry.data.passages.map((passage) => passage.key))) documentsWith.set(key, (documentsWith.get(key) ?? 0) + 1);
  }
  const firstByKey = new Map<string, { doc: number; passage: Passage }>();
  for (const entry of corpus.entries) {
    if (duplicateOf.has(entry.doc)) continue;
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
    for (const passage of entry.data.passages) {
      const count = documentsWith.get(passage.key) ?? 0;
      const first = firstByKey.get(passage.key);
      if (!first) firstByKey.set(passage.key, { doc: entry.doc, passage });
      // A paragraph in many documents is boilerplate (scraping-artifact's), not syndicated copy.
      if (!first || first.doc === entry.doc || count > corpus.options.maxPassageDocuments || reported.has(entry.doc)) {
        flush();
        continue;
      }
      if (open && open.doc === first.doc && first.passage.start >= open.firstEnd) {
        open.end = passage.end;
        open.firstEnd = first.passage.end;
        open.words += passage.words;
        continue;
      }
      flush();
      open = { doc: first.doc, start: passage.start, end: passage.end, firstStart: first.passage.start, firstEnd: first.passage.end, words: passage.words };
    }
    flush();
  }
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
      },
      additionalProperties: false,
    },
  },
  check(context) {
    const { text, options } = context;
    const segmented = context.shared('duplicate-passage:segments', () => segment(text, context.lines, abbreviationsFor(options), artifactsFor(options)));
    for (const repeat of findRepeats(segmented.sentences, segmented.paragraphs, options)) reportRepeat(context, segmented, repeat);

    const { words } = segmented;
    const bodyStart = text.search(/\S/);
    if (bodyStart < 0 || words.length < options.minWords) return;
    const bodyEnd = text.trimEnd().length;
    const result: DocumentData = {
      exact: sequenceKey(words),
      raw: createHash('sha1').update(text).digest('base64'),
      bodyStart,
      bodyEnd,
      passages: passagesOf(segmented, options.passageMinWords),
    };
    if (segmented.letterWords >= options.minDocumentWords) {
      result.numbers = shingleSet(segmented.numbers, 1);
      result.dates = datesOf(text);
      result.shingles = shingleSet(words, options.shingleSize);
      result.signature = oneHashSignature(result.shingles, Math.floor(options.permutations / options.bands) * options.bands);
    }
    return result;
  },
  complete(corpus) {
    const duplicateOf = new Map<number, number>();
    // A document already reported as a duplicate is not reported again for its paragraphs.
    const reported = new Set<number>();
    reportDocumentDuplicates(corpus, duplicateOf, reported);
    reportSharedPassages(corpus, duplicateOf, reported);
  },
});
