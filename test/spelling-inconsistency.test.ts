import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import rule, { encodeForms, FormLines } from '../rules/spelling-inconsistency.js';
import { compileTransliteration, deletionKeys, detachedCopy, foldName, isEnglishWord, NameScanner, type NameOccurrence, transliterationKey, variantKind } from '../src/names.js';
import { readPackageJson } from '../src/schema.js';
import { lintWithRule, testRule } from './helpers/rule-tester.js';

const data = readPackageJson<{ homoglyphs: Record<string, string>; transliteration: [string, string][] }>('rules/spelling-inconsistency.data.json');
const transliteration = compileTransliteration(data.transliteration);
const test = { homoglyphs: data.homoglyphs, transliteration, minLength: 6, distinct: new Set<string>(), places: new Set<string>(), distinctPrefixes: [['mac', 'mc']] as [string, string][] };

const scanner = new NameScanner(data.homoglyphs);

/** The forms of a text with their occurrences, in order of first use. */
function scanNames(text: string): Map<string, NameOccurrence[]> {
  scanner.scan(text);
  const forms = new Map<string, NameOccurrence[]>();
  for (let slot = 0; slot < scanner.slotCount; slot++) forms.set(scanner.formOf(slot), scanner.occurrences(slot));
  return forms;
}

describe('name helpers', () => {
  it('folds diacritics and look-alike letters', () => {
    expect(foldName('Sébastien', data.homoglyphs)).toBe('sebastien');
    expect(foldName('Sоlheim', data.homoglyphs)).toBe('solheim');
    expect(foldName('Bjørgen', data.homoglyphs)).toBe('bjorgen');
  });

  it('collapses transliteration variants to one key', () => {
    const key = (name: string) => transliterationKey(foldName(name, data.homoglyphs), transliteration);
    expect(key('Zelenskyy')).toBe(key('Zelensky'));
    expect(key('Oleshchuk')).toBe(key('Oleschuk'));
    expect(key('Shmyhal')).toBe(key('Shmygal'));
    expect(key('Oleksii')).toBe(key('Oleksiy'));
    expect(key('Gill')).not.toBe(key('Hill'));
  });

  it('gives two words one edit apart a shared deletion key', () => {
    const shared = deletionKeys('burkhard').filter((key) => deletionKeys('bukhard').includes(key));
    expect(shared).toContain('bukhard');
  });

  it('tells variants from look-alike words', () => {
    expect(variantKind('Sebastien', 'Sébastien', test)).toBe('diacritics');
    expect(variantKind('Zelensky', 'Zelenskyy', test)).toBe('transliteration');
    expect(variantKind('Bukhard', 'Burkhard', test)).toBe('typo');
    expect(variantKind('Stoltenburg', 'Stoltenberg', test)).toBe('typo');
    for (const [a, b] of [['Iran', 'Iraq'], ['Austria', 'Australia'], ['Slovakia', 'Slovenia'], ['Niger', 'Nigeria'], ['Sweden', 'Swedes'], ['Ukraine', 'Ukrainian'], ['Russia', 'Russians'], ['Mexico', 'Mexican'], ['Salvadorian', 'Salvadorans'], ['MacDonald', 'McDonald']]) {
      expect(variantKind(a, b, test), `${a}/${b}`).toBeUndefined();
    }
  });

  it('marks sentence starts, neighbours, and skips handles', () => {
    const forms = scanNames('Mr. Smith met Thierry Burkhard. Then @JTimberlake wrote.\nBurkhard left.');
    expect(forms.get('Smith')?.[0].sentenceStart).toBe(false);
    expect(forms.get('Burkhard')?.map((o) => [o.sentenceStart, o.previous])).toEqual([[false, 'Thierry'], [true, undefined]]);
    expect(forms.get('Thierry')?.[0].next).toBe('Burkhard');
    expect(forms.get('Then')?.[0].sentenceStart).toBe(true);
    expect(forms.has('JTimberlake')).toBe(false);
  });

  it('finds the same words in a text with other than ASCII letters', () => {
    const tokens = (text: string) => [...scanNames(text)].map(([form, list]) => [form, list.map((o) => o.start)]);
    const expected = (text: string, words: string[]) => words.map((word) => [word, [text.indexOf(word)]]);
    // Cyrillic, Latin-1 and a look-alike make the Unicode path; a capital inside a word starts no word, but one after its apostrophe does.
    for (const text of ['Élodie met iPhone’s O’Brien and Ukraine’s Кличко; xA’Bc then Ökonom.', 'Elodie met iPhone’s O’Brien and Ukraine’s Kличко; xA’Bc then Okonom.']) {
      expect(tokens(text)).toEqual(expected(text, [text.slice(0, 6), 'O’Brien', 'Ukraine', text.includes('Кличко') ? 'Кличко' : 'Kличко', 'Bc', text.slice(-7, -1)]));
    }
    const ascii = 'Ann met iPhone’s O’Brien; xA’Bc then Okonom.';
    expect(tokens(ascii)).toEqual(expected(ascii, ['Ann', 'O’Brien', 'Bc', 'Okonom']));
  });
});

/** The records of a document's corpus data, read back field by field. */
function readForms(data: string) {
  const reader = new FormLines();
  reader.load(data);
  const neighbour = (line: number, start: number, end: number) => (line >= 0 ? reader.form(line) : reader.text.slice(start, end));
  let first = 0;
  return Array.from({ length: reader.lines }, (_, line) => {
    reader.read(line);
    first += reader.step;
    const { count } = reader;
    return { form: reader.form(line), count, first, given: neighbour(reader.givenLine, reader.givenStart, reader.givenEnd), next: neighbour(reader.nextLine, reader.nextStart, reader.nextEnd), minority: reader.minority(line) };
  });
}

describe('compact lookups', () => {
  it('finds every word of the packed English list and nothing else', () => {
    const words = createRequire(import.meta.url)('an-array-of-english-words') as string[];
    expect(words.every((word) => isEnglishWord(word))).toBe(true);
    for (const word of ['burkhard', 'zelenskyy', 'Organisation', 'organisatio', '', 'a', 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', 'café']) {
      expect(isEnglishWord(word)).toBe(words.includes(word));
    }
  });

  it('copies long names exactly, lone surrogates included', () => {
    for (const name of ['Sо', 'Schwarzenegger', 'Ponte\ud800Vecchio-Arcobaleno', 'Zelenskyy’s Office Holds']) expect(detachedCopy(name)).toBe(name);
  });

  it('round-trips the corpus data of a document', () => {
    const records = [
      { form: 'Sébastien', count: 3, first: 0, given: '', next: 'Loeb', minority: false },
      { form: "O'Brien", count: 1, first: 123_456, given: 'Conan', next: '', minority: true },
    ];
    const data = encodeForms(records);
    expect(typeof data).toBe('string');
    expect(readForms(data)).toEqual(records);
    expect(readForms(encodeForms([]))).toEqual([]);
    expect(readForms(encodeForms([{ form: 'Zelensky', count: 1, first: 7, given: '', next: 'Kyiv', minority: false }]))).toEqual([{ form: 'Zelensky', count: 1, first: 7, given: '', next: 'Kyiv', minority: false }]);
  });

  it('writes a neighbour that is a form of the document as its line, and a two-byte document as one-byte UTF-8', () => {
    const records = [
      { form: 'Volodymyr', count: 2, first: 40, given: '', next: 'Zelensky', minority: false },
      { form: 'Zelensky', count: 40, first: 50, given: 'Volodymyr', next: 'Олена', minority: false },
      { form: 'Олена', count: 1, first: 9_000, given: 'Zelensky', next: 'Zelenska', minority: true },
    ];
    const data = encodeForms(records);
    expect(data.split('\n')[1]).toBe('Zelensky\t14\ta\t0\t2');
    expect([...data].every((char) => char.charCodeAt(0) <= 0xff)).toBe(true);
    expect(readForms(data)).toEqual(records);
  });
});

describe('spelling-inconsistency', () => {
  it('reports variants and leaves look-alikes alone', async () => {
    await testRule(rule, {
      valid: [
        'Trade between Iran and Iraq grew. Austria and Australia signed a deal. Ukraine and Ukrainian forces, Russia and Russians.',
        'Boris Johnson met Mike Johnson. Senator Laura Ketterman and her colleague Daniel Keterman disagreed.',
        'Then the talks ended. Than expected, said Maria Lopez.',
        'Jumardi Jukardi, head of the unit, said Jumardi Jukardi would retire.',
        [
          { text: 'Prime Minister Kadri Mäeots spoke.' },
          { text: 'Coach Peeter Maeots spoke.' },
        ],
      ],
      invalid: [
        {
          documents: 'The call was with France Thierry Burkhard on Tuesday. The commanders spoke with General Bukhard about the front.',
          errors: [{ messageId: 'variant', text: 'Bukhard', expected: ['Burkhard'], kind: 'typo', related: ['Burkhard'] }],
        },
        {
          documents: 'President Volodymyr Zelenskyy spoke. Zelenskyy said so. "We need help," Zelensky added.',
          errors: [{ messageId: 'variant', text: 'Zelensky', expected: ['Zelenskyy'], kind: 'transliteration' }],
        },
      ],
    });
  });

  it('lets a preferred spelling win over the majority', async () => {
    await testRule(rule, {
      options: { preferred: ['Zelensky'] },
      valid: [],
      invalid: [
        {
          documents: 'President Volodymyr Zelenskyy spoke. Zelenskyy said so. "We need help," Zelensky added.',
          errors: [
            { messageId: 'preferred', text: 'Zelenskyy', expected: ['Zelensky'] },
            { messageId: 'preferred', text: 'Zelenskyy', expected: ['Zelensky'] },
          ],
        },
        {
          documents: [{ text: 'President Volodymyr Zelenskyy spoke in Kyiv.' }, { text: 'Officials met in Paris.' }],
          errors: [[{ messageId: 'preferred', text: 'Zelenskyy', expected: ['Zelensky'] }], []],
        },
      ],
    });
  });

  it('reports a consistent document once, on the first use of its spelling, against the corpus', async () => {
    await testRule(rule, {
      valid: [],
      invalid: [
        {
          documents: [
            { text: 'President Volodymyr Zelensky spoke. Zelensky said so.' },
            { text: 'Volodymyr Zelensky met Macron. Zelensky left.' },
            { text: 'Volodymyr Zelenskyy arrived. Zelenskyy spoke. Zelenskyy left.' },
          ],
          errors: [[], [], [{ messageId: 'corpusVariant', text: 'Zelenskyy', expected: ['Zelensky'], column: 11, related: ['Zelensky', 'Zelensky'] }]],
        },
      ],
    });
  });

  it('flags look-alike letters in any Latin word, but not units or Greek text', async () => {
    await testRule(rule, {
      valid: ['The particles measured 5 μm across.', 'The motto read καλημέρα in Greek letters.'],
      invalid: [
        {
          documents: 'The annual rеport was published on Friday.',
          errors: [{ messageId: 'mixedScript', text: 'rеport', expected: ['report'], kind: 'mixed-script' }],
        },
      ],
    });
  });

  it('offers a fix that restores the accents of a diacritics variant', async () => {
    const [result] = await lintWithRule(rule, 'Minister Joaquim Brandão spoke. Brandão left. Joaquim Brandao stayed.');
    const [message] = result.messages;
    expect(message.fix).toEqual({ start: message.start, end: message.end, text: 'Brandão' });
  });

  it('does not pair spellings across documents without a shared name', async () => {
    await testRule(rule, {
      valid: [[{ text: 'President Volodymyr Zelenskyy spoke. Zelenskyy left.' }, { text: 'Zelensky arrived. Zelensky left. Zelensky spoke.' }]],
      invalid: [],
    });
  });
});
