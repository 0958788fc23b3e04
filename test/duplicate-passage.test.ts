import { describe, expect, it } from 'vitest';
import { splitLines } from '../src/context.js';
import rule, { datesOf, sequenceKey } from '../rules/duplicate-passage.js';
import { bodyOf, exactOf, hasNear, nearOf, packPassage, packRecord, passageAt, passagesOf, rawOf, signaturesAgree } from '../rules/duplicate-passage/record.js';
import { LshIndex, hashSequence, jaccard, oneHashSignature, sampleShingles, sampledJaccard, shingleSet } from '../rules/duplicate-passage/minhash.js';
import { KeyTable } from '../rules/duplicate-passage/key-table.js';
import { wordEditDistance } from '../rules/duplicate-passage/repeats.js';
import { isHardWrapped, scanWords, segment } from '../rules/duplicate-passage/segment.js';
import { lintWithRule, testRule } from './helpers/rule-tester.js';

const lede = 'The city council approved a plan on Monday to rebuild the old market hall, which has stood empty since a fire in 2019.';
const second = 'Work is due to start in the autumn and should take about two years, a spokesman said.';
const third = 'Traders who rented stalls in the hall will be offered places in the new building first.';

describe('duplicate-passage', () => {
  it('reports repeats inside a document and leaves legitimate repetition alone', async () => {
    await testRule(rule, {
      valid: [
        `${lede}\n\n${second}\n\n${third}\n`,
        // A speaker repeating a line inside quoted speech.
        `"We are not going anywhere until this is fixed," she said. Others agreed. "We are not going anywhere until this is fixed."\n`,
        // A short phrase repeated.
        'Prices went up. Prices went up again in May, and then they went up once more.\n',
        // Parallel sentences with more than a few words changed.
        'Exports rose 4 percent in March to 12 billion dollars, the ministry said.\n\nImports fell 2 percent in March to 9 billion dollars, customs data showed.\n',
      ],
      invalid: [
        {
          documents: `${lede}\n\n${second}\n\n${third}\n\n${lede}\n`,
          errors: [{ messageId: 'repeat', text: lede, line: 7, column: 1, related: [lede] }],
        },
        {
          // A whole body twice, one paragraph a line: one message over the second copy.
          documents: `Market hall to be rebuilt\n${lede}\n${second}\n${third}\n${lede}\n${second}\n${third}\n`,
          errors: [{ messageId: 'repeat', text: `${lede}\n${second}\n${third}`, line: 5, related: [`${lede}\n${second}\n${third}`] }],
        },
        {
          documents: `${lede}\n\n${second}\n\n${lede.replace('Monday', 'Tuesday')}\n`,
          errors: [{ messageId: 'nearRepeat', text: lede.replace('Monday', 'Tuesday'), kind: 'near-repeat', related: [lede] }],
        },
      ],
    });
  });

  it('reports a run repeated with a word changed as one near repeat over the second copy', async () => {
    const changed = second.replace('two years', 'three years');
    const [result] = await lintWithRule(rule, `Market hall\n\n${lede}\n\n${second}\n\n${third}\n\n${lede}\n\n${changed}\n\n${third}\n`);
    expect(result.messages.map((m) => [m.messageId, result.text.slice(m.start, m.end)])).toEqual([['nearRepeat', `${lede}\n\n${changed}\n\n${third}`]]);
    expect(result.messages[0].message).toMatch(/^Unexpected near repeat \(98% the same\) of the passage at line 3 \(56 words\)/);
  });

  it('keeps spans and the fix right with CRLF line ends', async () => {
    const text = `${lede}\r\n\r\n${second}\r\n\r\n${lede}\r\n`;
    const [result] = await lintWithRule(rule, text);
    const [message] = result.messages;
    expect(text.slice(message.start, message.end)).toBe(lede);
    expect(text.slice(0, message.fix!.start) + text.slice(message.fix!.end)).toBe(`${lede}\r\n\r\n${second}\r\n`);
  });

  it('finds a repeated paragraph in hard-wrapped newswire text', async () => {
    const wrapped = [
      'Copper prices rose on Tuesday after a strike at a large mine',
      'in Chile cut output, traders said, and stocks in London',
      'warehouses fell for a fifth day.',
      '    The strike began on Sunday and a union official said it',
      'could last for weeks.',
      '    Copper prices rose on Tuesday after a strike at a',
      'large mine in Chile cut output, traders said, and stocks in',
      'London warehouses fell for a fifth day.',
    ].join('\n');
    expect(isHardWrapped(splitLines(wrapped))).toBe(true);
    const [result] = await lintWithRule(rule, wrapped);
    expect(result.messages.map((m) => [m.messageId, m.line, m.endLine])).toEqual([['repeat', 6, 8]]);
  });

  it('offers a fix that removes an exact repeated paragraph with its line break', async () => {
    const text = `${lede}\n\n${second}\n\n${lede}\n`;
    const [result] = await lintWithRule(rule, text);
    const { fix } = result.messages[0];
    expect(fix).toBeDefined();
    expect(text.slice(0, fix!.start) + fix!.text + text.slice(fix!.end)).toBe(`${lede}\n\n${second}\n`);
  });

  it('reports duplicates on the later document, naming the earlier one', async () => {
    const body = `${lede}\n\n${second}\n\n${third}\n\nThe council said the cost would be met from its capital budget and a grant from the heritage fund.\n`;
    const results = await lintWithRule(rule, [
      { path: 'first.txt', text: `Market hall to be rebuilt\n\n${body}` },
      { path: 'copy.txt', text: `Market hall to be rebuilt\n\n${body}` },
      { path: 'shouted.txt', text: `MARKET HALL TO BE REBUILT\n\n${body}` },
      { path: 'other.txt', text: `A different story\n\nThe harbour reopened on Friday after dredging work that took three months to finish, the port authority said.\n\n${third} That is all.\n` },
    ]);
    expect(results[0].messages).toEqual([]);
    expect(results[1].messages.map((m) => [m.kind, m.message, m.related?.[0].path])).toEqual([
      ['exact-duplicate', 'Unexpected exact duplicate of first.txt, expected each document once', 'first.txt'],
    ]);
    expect(results[2].messages.map((m) => m.kind)).toEqual(['normalised-duplicate']);
    expect(results[3].messages).toEqual([]);
  });
});

describe('duplicate-passage near duplicates', () => {
  const report = (week: number, stored: number, rain: number) =>
    `Reservoir levels weekly report\n\nWater stored in the region's reservoirs stood at ${stored} percent of capacity in the latest week, against ${stored - 2.5} percent the previous week, the water authority said in its weekly report on Monday.\n\nRainfall over the catchment area totalled ${rain} millimetres during the week, against a seasonal average of ${rain + 11} millimetres, and inflows to the two largest reservoirs rose for week ${week + 3}.\n\nThe authority said the hosepipe restrictions introduced last summer would stay in place until stocks reached ${week + 75} percent.\n`;
  const corpus = [
    { path: 'one.txt', text: report(6, 71.4, 38) },
    { path: 'two.txt', text: report(13, 73.9, 12) },
  ];

  it('does not call two reports on one template near duplicates when their figures differ', async () => {
    const results = await lintWithRule(rule, corpus);
    expect(results.flatMap((r) => r.messages).map((m) => m.kind)).toEqual([]);
    const loose = await lintWithRule(rule, corpus, { numberThreshold: 0 });
    expect(loose[1].messages.map((m) => [m.kind, m.related?.[0].path])).toEqual([['near-duplicate', 'one.txt']]);
  });

  it('does not call two issues of a dated report near duplicates', async () => {
    const notice = (date: string) =>
      `Treasury to sell bills\n\nThe Treasury said it will sell 13.2 billion dollars of three and six-month bills at its regular auction next week. The ${date} sale, to be evenly divided between the two maturities, will raise about 500 million dollars of new cash because bills worth 12.7 billion dollars are maturing. The bills will be issued on the following Thursday and tenders must be received by one o'clock in the afternoon, eastern time, on the day of the sale, the Treasury said.\n`;
    const weekly = await lintWithRule(rule, [
      { path: 'march.txt', text: notice('March 9') },
      { path: 'april.txt', text: notice('April 6') },
    ]);
    expect(weekly.flatMap((r) => r.messages)).toEqual([]);
    const corrected = await lintWithRule(rule, [
      { path: 'first.txt', text: notice('March 9') },
      { path: 'again.txt', text: notice('9 March').replace('about 500', 'some 500') },
    ]);
    expect(corrected[1].messages.map((m) => m.kind)).toEqual(['near-duplicate']);
  });

  it('verifies candidates by their real Jaccard similarity', async () => {
    const strict = await lintWithRule(rule, corpus, { numberThreshold: 0, threshold: 0.99 });
    expect(strict.flatMap((r) => r.messages)).toEqual([]);
  });
});

describe('duplicate-passage helpers', () => {
  it('splits sentences but not at abbreviations', () => {
    const text = 'Mr. Smith met U.S. officials on Monday. They talked for an hour.\n';
    const { sentences } = segment(text, splitLines(text), new Set(['mr']));
    expect(Array.from({ length: sentences.count }, (_, at) => text.slice(sentences.start[at], sentences.end[at]))).toEqual(['Mr. Smith met U.S. officials on Monday.', 'They talked for an hour.']);
  });

  it('finds dates with the pattern only where the words name one', () => {
    const abbreviations = new Set<string>();
    const texts = ['Talks resume on March 6 and end 9 Apr. in Rome.', 'Sales rose in March, 6 percent up.', 'The 2016 Mayor met on the 12th.', 'Le 6 marché, on May 7.'];
    for (const text of texts) expect(datesOf(text, segment(text, splitLines(text), abbreviations))).toEqual(datesOf(text));
    expect([...texts.map((text) => datesOf(text, segment(text, splitLines(text), abbreviations)).length)]).toEqual([2, 0, 0, 2]);
    // Pairs that overlap, words glued by an underscore, dates in later sentences and paragraphs.
    const harder = 'It ran from 6 March 7 April to May. 9.\n\n"On Dec. 25," he said. Then JUNE 3_ and _July 4 and 1 Jan 2 Feb.\nOn 31 October 30 November, Sept. 4 came.';
    expect(datesOf(harder, segment(harder, splitLines(harder), abbreviations))).toEqual(datesOf(harder));
    expect(datesOf(harder).length).toBe(8);
  });

  it('keys a word sequence with two hashes in one pass', () => {
    const words = Uint32Array.from({ length: 50 }, (_, at) => Math.imul(at + 1, 0x9e3779b1) >>> 0);
    for (const [from, to] of [[0, 50], [7, 30], [5, 5]]) {
      expect(sequenceKey(words, from, to)).toBe((hashSequence(words, from, to, 0x1b873593) & 0x1fffff) * 2 ** 32 + hashSequence(words, from, to, 0x5bd1e995));
    }
  });

  it('measures word edit distance with a limit', () => {
    expect(wordEditDistance([1, 2, 3, 4], [1, 2, 5, 4], 3)).toBe(1);
    expect(wordEditDistance([1, 2, 3, 4], [1, 4], 3)).toBe(2);
    expect(wordEditDistance([1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12], 2)).toBe(3);
  });

  it('estimates Jaccard similarity with MinHash and finds near pairs with LSH', () => {
    const words = (text: string) => {
      const scanned = scanWords(text);
      return scanned.hashes.subarray(0, scanned.count);
    };
    const base = Array.from({ length: 200 }, (_, at) => `w${at % 150}x${at}`).join(' ');
    const a = shingleSet(words(base), 3);
    const b = shingleSet(words(base.replace('w10x10', 'changed').replace('w90x90', 'other')), 3);
    const c = shingleSet(words(Array.from({ length: 200 }, (_, at) => `z${at}`).join(' ')), 3);
    const exact = jaccard(a, b);
    expect(exact).toBeGreaterThan(0.9);
    expect(jaccard(a, c)).toBe(0);
    const [sa, sb, sc] = [a, b, c].map((set) => oneHashSignature(set, 120));
    const estimate = sa.filter((value, at) => value === sb[at]).length / sa.length;
    expect(Math.abs(estimate - exact)).toBeLessThan(0.1);
    const signatures = [sa, sc, sb];
    const index = new LshIndex((doc) => signatures[doc], 3, 40, 3);
    expect(index.candidates(2)).toEqual([0]);
    expect(index.candidates(0)).toEqual([]);
  });

  it('keeps LSH buckets and the candidates examined bounded', () => {
    const same = Uint32Array.from({ length: 120 }, (_, at) => at);
    const index = new LshIndex(() => same, 10, 40, 3, 4);
    expect(index.candidates(9)).toEqual([0, 1, 2, 3]);
    expect(index.candidates(2)).toEqual([0, 1]);
    expect(index.candidates(9, 2)).toEqual([0, 1]);
  });

  it('picks the candidates of capped buckets, smallest first, as if documents came one by one', () => {
    // Signatures over a tiny alphabet share many buckets of every size; the index must agree with the
    // rule spelled out directly: per band, the first `limit` earlier documents of the bucket.
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const [count, bands, rows, bucketLimit, limit] = [300, 10, 2, 6, 9];
    const signatures = Array.from({ length: count }, () => Uint16Array.from({ length: bands * rows }, () => Math.floor(random() * (random() < 0.5 ? 2 : 5))));
    const index = new LshIndex((doc) => signatures[doc], count, bands, rows, bucketLimit);
    const sameBand = (a: number, b: number, band: number) => signatures[a].slice(band * rows, (band + 1) * rows).join() === signatures[b].slice(band * rows, (band + 1) * rows).join();
    for (let doc = 0; doc < count; doc++) {
      const ranges = Array.from({ length: bands }, (_, band) => Array.from({ length: doc }, (_, other) => other).filter((other) => sameBand(doc, other, band)).slice(0, bucketLimit));
      const found = new Set<number>();
      for (const range of ranges.filter((range) => range.length > 0).sort((x, y) => x.length - y.length)) for (const other of range) if (found.size < limit) found.add(other);
      expect(index.candidates(doc, limit)).toEqual([...found].sort((x, y) => x - y));
    }
  });

  it('gives each key of a KeyTable one slot', () => {
    const table = new KeyTable(1000);
    const keys = Array.from({ length: 1000 }, (_, at) => at * 2 ** 37 + (at % 7));
    const slots = keys.map((key) => table.slotOf(key));
    expect(new Set(slots).size).toBe(1000);
    expect(slots.every((slot) => slot < table.size)).toBe(true);
    expect(keys.map((key) => [table.slotOf(key), table.added])).toEqual(slots.map((slot) => [slot, false]));
  });

  it('packs a document record into one Uint32Array and reads it back', () => {
    const near = { signature: [1, 0x12345, 7], shingles: Uint16Array.of(3, 9, 11), shingleBits: 2, numbers: Uint16Array.of(4), dates: Uint32Array.of(8) };
    const passageKey = 0xabcd * 2 ** 32 + 0x12345678;
    const packed: number[] = [];
    packPassage(packed, passageKey, 30, 90, 21);
    const passages = Uint32Array.from(packed);
    const exact = 0x1fffff * 2 ** 32 + 0xfffffffe;
    const record = packRecord({ bodyStart: 3, bodyEnd: 99, exact, raw: 12345, near, passages });
    expect(bodyOf(record)).toEqual({ start: 3, end: 99 });
    expect([exactOf(record), rawOf(record), hasNear(record)]).toEqual([exact, 12345, true]);
    expect({ ...nearOf(record), signature: Array.from(nearOf(record).signature) }).toEqual({ ...near, signature: [1, 0x2345, 7] });
    expect(passagesOf(record)).toEqual(passages);
    expect(passageAt(passagesOf(record), 0)).toEqual({ key: passageKey, start: 30, end: 90, words: 21 });
    const short = packRecord({ bodyStart: 0, bodyEnd: 5, exact: 1, raw: 2, passages: new Uint32Array(0) });
    expect([hasNear(short), passagesOf(short).length]).toEqual([false, 0]);
  });

  it('tells whether two records agree on enough signature values', () => {
    const near = (signature: number[]) => ({ signature, shingles: Uint16Array.of(5, 6), shingleBits: 0, numbers: new Uint16Array(0), dates: new Uint32Array(0) });
    const record = (signature: number[]) => packRecord({ bodyStart: 0, bodyEnd: 1, exact: 1, raw: 1, near: near(signature), passages: new Uint32Array(0) });
    for (const length of [6, 7]) {
      const a = Array.from({ length }, (_, at) => at + 1);
      for (let differ = 0; differ <= length; differ++) {
        const b = a.map((value, at) => (at < differ ? value + 100 : value));
        for (const least of [0, 0.35, 0.5, 3 / length, 1]) expect(signaturesAgree(record(a), record(b), least)).toBe((length - differ) / length >= least);
      }
    }
  });

  it('estimates Jaccard similarity from mod-2^k shingle samples', () => {
    const a = shingleSet(Uint32Array.from({ length: 4000 }, (_, at) => at), 1);
    const b = shingleSet(Uint32Array.from({ length: 4000 }, (_, at) => at + 2000), 1);
    const sampleA = sampleShingles(a, 256);
    const sampleB = sampleShingles(b, 256);
    expect(sampleA.bits).toBe(4);
    expect(sampleA.fingerprints.length).toBeLessThanOrEqual(400);
    const whole = sampleShingles(a, 5000);
    expect(whole.bits).toBe(0);
    // 4,000 random 16-bit fingerprints: about 120 collide.
    expect(whole.fingerprints.length).toBeGreaterThan(3800);
    const exact = jaccard(a, b);
    expect(Math.abs(sampledJaccard(sampleA.fingerprints, sampleA.bits, sampleB.fingerprints, sampleB.bits) - exact)).toBeLessThan(0.08);
    // Sets of up to maxShingles are kept whole: their fingerprints give the Jaccard similarity but for a collision or two.
    const [c, d] = [0, 125].map((from) => shingleSet(Uint32Array.from({ length: 250 }, (_, at) => at + from), 1));
    expect(Math.abs(sampledJaccard(sampleShingles(c, 256).fingerprints, 0, sampleShingles(d, 256).fingerprints, 0) - jaccard(c, d))).toBeLessThan(0.01);
    // A short text kept whole is compared with a long one's sample on the long one's terms.
    const short = sampleShingles(a.slice(0, 200), 256);
    expect(short.bits).toBe(0);
    expect(sampledJaccard(short.fingerprints, 0, sampleA.fingerprints, sampleA.bits)).toBeGreaterThan(0);
    expect(sampledJaccard(sampleShingles(a, 1000).fingerprints, 2, sampleA.fingerprints, sampleA.bits)).toBeCloseTo(1, 5);
  });
});
