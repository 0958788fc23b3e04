import { describe, expect, it } from 'vitest';
import { parseEnglish } from '../src/context.js';
import { textIndex, treeIndex } from '../src/text-index.js';
import { toString } from 'nlcst-to-string';
import { blocksWithCandidates, doubledWordCandidates } from '../rules/repeated-words.js';

const mayHaveDoubledWord = (text: string) => doubledWordCandidates(text).length > 0;

function contextOf(text: string) {
  const memo = new Map<string, unknown>();
  const computed: string[] = [];
  let tree: ReturnType<typeof parseEnglish> | undefined;
  return {
    computed,
    context: {
      text,
      shared<T>(key: string, compute: () => T): T {
        if (!memo.has(key)) {
          computed.push(key);
          memo.set(key, compute());
        }
        return memo.get(key) as T;
      },
      get tree() {
        return (tree ??= parseEnglish(text));
      },
    },
  };
}

const article =
  'Mr. Okafor said on Monday that J. R. Hartley had resigned. "It was time," he said!\n' +
  'The U.S. market fell 3.5 percent on Jan. 4.\n' +
  '\n' +
  '  Shares in Meridian Bank didn\u2019t move. Long-term rates rose?  Analysts were surprised.\n';

describe('textIndex', () => {
  it('splits paragraphs at blank lines and trims them', () => {
    const { context } = contextOf(article);
    const paragraphs = textIndex(context).paragraphs.map((span) => article.slice(span.start, span.end));
    expect(paragraphs).toEqual([
      'Mr. Okafor said on Monday that J. R. Hartley had resigned. "It was time," he said!\nThe U.S. market fell 3.5 percent on Jan. 4.',
      'Shares in Meridian Bank didn\u2019t move. Long-term rates rose?  Analysts were surprised.',
    ]);
  });

  it('splits sentences but not after abbreviations, initials or decimal points', () => {
    const { context } = contextOf(article);
    expect(textIndex(context).sentences.map((span) => article.slice(span.start, span.end))).toEqual([
      'Mr. Okafor said on Monday that J. R. Hartley had resigned.',
      '"It was time," he said!',
      'The U.S. market fell 3.5 percent on Jan. 4.',
      'Shares in Meridian Bank didn\u2019t move.',
      'Long-term rates rose?',
      'Analysts were surprised.',
    ]);
  });

  it('tokenises words with inner apostrophes, hyphens and dots, and counts them lower-cased', () => {
    const { context } = contextOf('The U.S. and the long-term plan didn\u2019t change.');
    const index = textIndex(context);
    const { words } = index;
    expect(Array.from(words.starts, (start, word) => 'The U.S. and the long-term plan didn\u2019t change.'.slice(start, words.ends[word]))).toEqual([
      'The',
      'U.S',
      'and',
      'the',
      'long-term',
      'plan',
      'didn\u2019t',
      'change',
    ]);
    expect([words.length, words.starts[4], words.ends[4]]).toEqual([8, 17, 26]);
    expect(index.wordCounts.get('the')).toBe(2);
  });

  it('computes each part once per document, only when asked for, and shares it through ctx.shared', () => {
    const { context, computed } = contextOf(article);
    const first = textIndex(context);
    expect(computed).toEqual(['text-index']);
    void first.sentences;
    void textIndex(context).sentences;
    void textIndex(context).words;
    expect(computed).toEqual(['text-index', 'text-index:sentences', 'text-index:paragraphs', 'text-index:words']);
    expect(textIndex(context).words).toBe(first.words);
  });
});

describe('treeIndex', () => {
  it('collects paragraphs, sentences and words of the tree in one walk, in text order', () => {
    const { context } = contextOf(article);
    const index = treeIndex(context);
    expect(index.paragraphs).toHaveLength(context.tree.children.filter((node) => node.type === 'ParagraphNode').length);
    expect(index.sentences.map((sentence) => toString(sentence))[0]).toBe('Mr. Okafor said on Monday that J. R. Hartley had resigned.');
    expect(index.words.slice(0, 3).map((word) => toString(word))).toEqual(['Mr.', 'Okafor', 'said']);
    expect(index.words[1].position?.start.offset).toBe(4);
    expect(treeIndex(context)).toBe(index);
  });
});

describe('repeated-words prefilter', () => {
  it('finds doubled words in ASCII and in non-ASCII text, whatever the case', () => {
    expect(mayHaveDoubledWord('He said the the plan was late.')).toBe(true);
    expect(mayHaveDoubledWord('The the plan.')).toBe(true);
    expect(mayHaveDoubledWord('\u201cIt was was over,\u201d she said.')).toBe(true);
    expect(mayHaveDoubledWord('Le caf\u00e9 caf\u00e9 ferme.')).toBe(true);
    expect(mayHaveDoubledWord('στην ελλάδα ελλάδα')).toBe(true);
    expect(mayHaveDoubledWord('THE THE plan.')).toBe(true);
    expect(mayHaveDoubledWord('Prices rose rose\u00a0rose.')).toBe(true);
    expect(mayHaveDoubledWord('It was so so good.')).toBe(true);
  });

  it('does not fire on words that only share a part', () => {
    expect(mayHaveDoubledWord('There the plan was late.')).toBe(false);
    expect(mayHaveDoubledWord('the theme was late.')).toBe(false);
    expect(mayHaveDoubledWord('\u201cThe cafe caf\u00e9 closed.\u201d')).toBe(false);
    expect(mayHaveDoubledWord('The vote, vote again.')).toBe(false);
    expect(mayHaveDoubledWord('She said said-so.')).toBe(false);
  });

  it('leaves out pairs retext-repeated-words lets stand for their case: a capitalised or caseless second word', () => {
    expect(mayHaveDoubledWord('Duran Duran played.')).toBe(false);
    expect(mayHaveDoubledWord('the The plan')).toBe(false);
    expect(mayHaveDoubledWord('Ελλάδα Ελλάδα')).toBe(false);
    expect(mayHaveDoubledWord('In 2019 2019 was late.')).toBe(false);
    expect(doubledWordCandidates('He said the the plan was late late.')).toEqual([8, 25]);
  });
});

describe('repeated-words blocks', () => {
  const slices = (text: string, allowed?: Set<string>) => blocksWithCandidates(text, allowed).map((span) => text.slice(span.start, span.end));

  it('keeps only the blocks between blank lines that hold a candidate', () => {
    const text = 'First paragraph is fine.\nIt goes on.\n\nThe vote was was close.\nVery close.\n \n\nLast one, no repeat.\n';
    expect(slices(text)).toEqual(['The vote was was close.\nVery close.']);
  });

  it('finds overlapping pairs and words joined by apostrophes, hyphens and ampersands', () => {
    expect(slices('Phones\n\niPhone\niPhone 11')).toEqual(['iPhone\niPhone 11']);
    expect(slices('A long-term long-term plan.')).toHaveLength(1);
    expect(slices('There\u2019s there\u2019s more.')).toHaveLength(1);
    expect(slices('B&H B&H Photo')).toHaveLength(1);
  });

  it('skips words retext-repeated-words and the allow option let stand twice', () => {
    expect(slices('They had had enough.')).toEqual([]);
    expect(slices('He said that that was all.')).toEqual([]);
    expect(slices('A very very long day.', new Set(['very']))).toEqual([]);
    expect(slices('A very very long day.')).toEqual(['A very very long day.']);
  });
});
