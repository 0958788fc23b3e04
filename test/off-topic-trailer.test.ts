import { describe, expect, it } from 'vitest';
import rule, { contentTerms, isCountedList, isHeadlineLike, loadTrailerData, markerKey, stripDecoration } from '../rules/off-topic-trailer.js';
import { resolveConfig } from '../src/config.js';
import { lintDocuments } from '../src/engine.js';
import { createAjv, readPackageJson } from '../src/schema.js';
import { lintWithRule, testRule } from './helpers/rule-tester.js';

const article = [
  'The harbour authority approved a plan on Monday to dredge the main shipping channel, allowing larger container ships to dock at the port for the first time.',
  '',
  'The work will cost about 90 million dollars and take two years. Fishermen have warned that dredging could disturb spawning grounds for flatfish near the harbour mouth, and the authority has promised to pause work during the spring spawning season.',
  '',
  '"This keeps the port competitive for another generation," said harbour master Colm Byrne.',
  '',
].join('\n');

const headlines = ['Teenager wins national chess title at first attempt', 'Ten soups to make this autumn', 'Pop star announces farewell stadium tour'];

describe('off-topic-trailer helpers', () => {
  it('normalises marker lines', () => {
    expect(markerKey('  You May Also Like…')).toBe('you may also like');
    expect(markerKey('- Editor\u2019s Picks:')).toBe("editor's picks");
    expect(markerKey('Read more >')).toBe('read more');
  });

  it('strips bullets and ages from headline lines', () => {
    expect(stripDecoration('\u2022 Rates edge down \u00b7 6h ago')).toBe('Rates edge down');
    expect(stripDecoration('1. Rates edge down')).toBe('Rates edge down');
    expect(stripDecoration('Rates edge down | 4 min read')).toBe('Rates edge down');
  });

  it('tells headline-like lines from sentences', () => {
    expect(isHeadlineLike('Stocks edge higher as investors await inflation data', 20)).toBe(true);
    expect(isHeadlineLike('Which streaming service is cheapest now?', 20)).toBe(true);
    expect(isHeadlineLike('The trial continues.', 20)).toBe(false);
    expect(isHeadlineLike('the lower-case start of a wrapped sentence', 20)).toBe(false);
    expect(isHeadlineLike('Paid ads are not the problem. Our perceptions are', 20)).toBe(false);
    expect(isHeadlineLike('Paid ads are not the problem. Our perceptions are', 20, 2, false)).toBe(true);
  });

  it('recognises numbered rankings', () => {
    expect(isCountedList(['5 Carlos Moya (Spain)', '6 Tim Henman (Britain)', '7 Andre Agassi (US)'])).toBe(true);
    expect(isCountedList(['15 Amazing Images of Stars', '11 Fascinating Facts About Our Galaxy', 'The 11 Biggest Questions'])).toBe(false);
  });

  it('keeps stemmed content words only', () => {
    const ignore = new Set(['the', 'for', 'said']);
    expect(contentTerms('The Farmers said harvests for farmers', ignore)).toEqual(['farmer', 'harvest', 'farmer']);
  });

  it('ships marker data that its schema accepts, and the schema rejects bad data', () => {
    expect(loadTrailerData().markers).toContain('you may also like');
    const validate = createAjv().compile(readPackageJson<Record<string, unknown>>('rules/off-topic-trailer.markers.schema.json'));
    expect(validate({ markers: 'you may also like' })).toBe(false);
  });
});

describe('off-topic-trailer rule', () => {
  it('reports marked, unmarked and widget trailers, and leaves article endings alone', async () => {
    await testRule(rule, {
      valid: [
        article,
        // A short quotation to close the story.
        `${article}"We will not let this harbour die"\n"Not on our watch"\n`,
        // A marker-like word in prose is not a marker line.
        `${article}Read more about the plan in the authority's report, published on its website.\n`,
        // A sentence is not a marker, even when it starts like one.
        `${article}Read more about sharing.\n${headlines.slice(0, 2).join('\n')}\nByrne said the first ships could arrive in 2027.\n`,
        // Comment counts are scraping-artifact's by default.
        `${article}Comments (12)\n`,
      ],
      invalid: [
        {
          documents: `${article}Trending now\n${headlines.join('\n')}\n`,
          errors: [{ messageId: 'marked', kind: 'marked', text: `Trending now\n${headlines.join('\n')}`, line: 6, column: 1 }],
        },
        {
          documents: `${article}${headlines.join('\n')}\n`,
          errors: [{ messageId: 'unmarked', kind: 'unmarked', text: headlines.join('\n'), line: 6 }],
        },
        {
          // A marked block in the middle needs two headlines; the article goes on after it.
          documents: `${article}Related stories\n${headlines.slice(0, 2).join('\n')}\n\nByrne said the first ships could arrive in 2027.\n`,
          errors: [{ messageId: 'marked', text: `Related stories\n${headlines.slice(0, 2).join('\n')}` }],
        },
        {
          // Another rule's one-line leftover after the trailer is stepped over.
          documents: `${article}${headlines.join('\n')}\nAdvertisement\n`,
          errors: [{ messageId: 'unmarked', text: headlines.join('\n') }],
        },
        {
          documents: `${article}Topics: Shipping, Ports, Fishing\n`,
          errors: [{ messageId: 'tags', kind: 'tags', text: 'Topics: Shipping, Ports, Fishing' }],
        },
        {
          documents: `${article}Tags\nShipping, Ports, Fishing\n`,
          errors: [{ messageId: 'tags', text: 'Tags\nShipping, Ports, Fishing' }],
        },
      ],
    });
  });

  it('ends a list where its look changes, and ignores lists of two-word names', async () => {
    const bulleted = headlines.map((headline) => `  * ${headline}`).join('\n');
    await testRule(rule, {
      valid: [
        // A product list under a marker: names of two words are not headlines.
        `${article}Related\n\nApple AirPods\nCharging Case\nSmart Speaker\n`,
      ],
      invalid: [
        {
          // A hard-wrapped paragraph after a bulleted list does not join it.
          documents: `${article}Related Stories\n\n${bulleted}\n\nByrne said the dredgers would start work in the outer\nchannel next spring, weather permitting.\n`,
          errors: [{ messageId: 'marked', text: `Related Stories\n\n${bulleted}` }],
        },
        {
          // CRLF line ends: the span stops before the last \r.
          documents: `${article}Most read\r\n${headlines.join('\r\n')}\r\n`.replace(/(?<!\r)\n/g, '\r\n'),
          errors: [{ messageId: 'marked', text: `Most read\r\n${headlines.join('\r\n')}` }],
        },
      ],
    });
  });

  it('keeps on-topic trailing lines that share the article\u2019s words', async () => {
    await testRule(rule, {
      valid: [`${article}Harbour dredging plan approved despite fishermen's fears\nPort authority promises pause during spawning season\n`],
      invalid: [],
    });
  });

  it('takes extra markers and switches from options', async () => {
    await testRule(rule, {
      options: { markers: ['Across the network'], ignoreMarkers: ['Trending now'], commentCounts: true, tags: false },
      valid: [`${article}Trending now\n`, `${article}Topics: Shipping, Ports\n`],
      invalid: [
        {
          documents: `${article}Across the network\n${headlines.slice(0, 2).join('\n')}\n`,
          errors: [{ messageId: 'marked', text: `Across the network\n${headlines.slice(0, 2).join('\n')}` }],
        },
        { documents: `${article}Comments (12)\n`, errors: [{ messageId: 'commentCount', kind: 'comment-count', text: 'Comments (12)' }] },
      ],
    });
    await testRule(rule, { options: { unmarked: false }, valid: [`${article}${headlines.join('\n')}\n`], invalid: [] });
    // Patterns that start with a known word, and one that does not (the first-word prefilter steps aside).
    for (const markerPatterns of [['^elsewhere in [\\p{L} ]+$'], ['^.{0,2}elsewhere in [\\p{L} ]+$']]) {
      await testRule(rule, {
        options: { markerPatterns, unmarked: false },
        valid: [],
        invalid: [{ documents: `${article}Elsewhere in Sport\n${headlines.join('\n')}\n`, errors: [{ messageId: 'marked', text: `Elsewhere in Sport\n${headlines.join('\n')}` }] }],
      });
    }
  });

  it('names a bad marker pattern from options', async () => {
    const config = resolveConfig({ rules: { [rule.meta.id]: ['warn', { markerPatterns: ['(unclosed'] }] } }, { rules: new Map([[rule.meta.id, rule]]) });
    const { report } = await lintDocuments([{ info: { path: 'doc.txt', contentStart: 0 }, text: article, notes: [] }], config);
    expect(report.files[0].messages[0].message).toMatch(/markerPatterns entry "\(unclosed" is not a valid regular expression/);
  });

  it('offers a fix that removes the whole block and its line breaks', async () => {
    const text = `${article}You may also like\n${headlines.join('\n')}\n`;
    const [result] = await lintWithRule(rule, text);
    const fix = result.messages[0].fix!;
    expect(text.slice(0, fix.start) + fix.text + text.slice(fix.end)).toBe(`${article.trimEnd()}\n`);
    const middle = `${article}Related stories\n${headlines.slice(0, 2).join('\n')}\nByrne said the first ships could arrive in 2027.\n`;
    const [inMiddle] = await lintWithRule(rule, middle);
    const cut = inMiddle.messages[0].fix!;
    expect(middle.slice(0, cut.start) + middle.slice(cut.end)).toBe(`${article}Byrne said the first ships could arrive in 2027.\n`);
    // Findings next to each other get fixes that do not overlap, and applying both leaves the article.
    const widgets = `${article}\nMaria Lopez is a reporter for the Harbour Gazette.\nTags: Shipping, Ports\n`;
    const [both] = await lintWithRule(rule, widgets);
    const fixes = both.messages.map((message) => message.fix!).sort((a, b) => b.start - a.start);
    expect(fixes).toHaveLength(2);
    expect(fixes[1].end).toBeLessThanOrEqual(fixes[0].start);
    expect(fixes.reduce((text, fix) => text.slice(0, fix.start) + fix.text + text.slice(fix.end), widgets)).toBe(article);
  });
});
