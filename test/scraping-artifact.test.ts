import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.js';
import { ConfigError } from '../src/rule.js';
import { createAjv } from '../src/schema.js';
import { readPackageJson } from '../src/schema.js';
import scrapingArtifact, { isNamesLine, isShoutedHeadline } from '../rules/scraping-artifact.js';
import { findEntities, findInvisible, findMojibake } from '../rules/scraping-artifact.encoding.js';
import { compileAnchorScanner, compilePattern, firstChars, lineOpenings, loadPatternData, patternAnchors, patternDataSchema, translatePattern } from '../rules/scraping-artifact.patterns.js';
import { splitLines } from '../src/context.js';
import { lintWithRule, testRule } from './helpers/rule-tester.js';

const prose = 'The council approved the budget on Tuesday after a long debate about road repairs and school funding.';
const more = 'Officials said the new spending plan would take effect in April and be reviewed again in the autumn.';

/** Apply every fix of a document's messages, from the end backwards. */
function applyFixes(text: string, messages: { fix?: { start: number; end: number; text: string } }[]): string {
  return messages
    .map((message) => message.fix)
    .filter((fix): fix is NonNullable<typeof fix> => fix !== undefined)
    .sort((a, b) => b.start - a.start)
    .reduce((result, fix) => result.slice(0, fix.start) + fix.text + result.slice(fix.end), text);
}

describe('scraping-artifact', () => {
  it('finds leftovers of each kind and leaves near misses alone', async () => {
    await testRule(scrapingArtifact, {
      valid: [
        `${prose}\n\nReaders who want to read more can find the report online.\n\n${more}`,
        `${prose}\n\nWhat was said in the advertisement was misleading, the regulator found.\n\n${more}`,
        `Kyiv: ${prose}\n\nDetermined support\n\n${more}`,
        `${prose}\n\nYields rose to 3 . 5 | 4 . 1 | 2 . 9 per cent across the three regions\n\n${more}`,
        `${prose}\n\nThe guide says the "<b>" tag makes text bold and "&amp;" stands for an ampersand.\n\n${more}`,
        `${prose}\n\nHe paused . . . then carried on.\n\n${more}`,
        `Le ministre a demandé : « Pourquoi pas ? »\n\n${prose}`,
        `${prose}\n\nFollowing the vote, the mayor wrote on Twitter that the plan was fair.\n\n${more}`,
        `${prose}\n\nYou may also like\nFive ways to save on heating\nHow the budget affects renters`,
        // off-topic-trailer reports a marked block with two headlines wherever it stands.
        `${prose}\n\nMost read\nPotholes cost drivers millions\nNew bridge opens early\n\n${more}`,
      ],
      invalid: [
        { documents: `${prose}\n\nADVERTISEMENT\n\n${more}`, errors: [{ messageId: 'caption', text: 'ADVERTISEMENT', kind: 'caption' }] },
        { documents: `${prose}\n\nStory continues below advertisement\n\n${more}`, errors: [{ messageId: 'caption', text: 'Story continues below advertisement' }] },
        { documents: `${prose}\n\nREAD MORE: Council tax to rise by 5%\n\n${more}`, errors: [{ messageId: 'prompt', text: 'READ MORE: Council tax to rise by 5%', kind: 'prompt' }] },
        { documents: `${prose}\n\nTo keep reading, subscribe now. Already a subscriber? Log in.`, errors: [{ messageId: 'prompt', text: 'To keep reading, subscribe now. Already a subscriber? Log in.' }] },
        { documents: `${prose}\n\nShare: Facebook · X · WhatsApp · Copy link\n\n${more}`, errors: [{ messageId: 'caption', text: 'Share: Facebook · X · WhatsApp · Copy link' }] },
        { documents: `${prose} pic.twitter.com/AbC123xYz\n\n${more}`, errors: [{ messageId: 'socialEmbed', text: 'pic.twitter.com/AbC123xYz', kind: 'social' }] },
        { documents: `${prose}\n\nBudget day at last https://t.co/abc\n— Jo Reyes (@joreyes) March 2, 2024\n\n${more}`, errors: [{ messageId: 'socialEmbed', text: 'Budget day at last https://t.co/abc\n— Jo Reyes (@joreyes) March 2, 2024' }] },
        { documents: `Checking your browser before you continue.\n\nPlease enable JavaScript and cookies to continue.`, errors: [{ messageId: 'failedScrape', text: 'Checking your browser before you continue.\n\nPlease enable JavaScript and cookies to continue.', kind: 'failed-scrape' }] },
        { documents: `404 Not Found`, errors: [{ messageId: 'failedScrape', text: '404 Not Found' }] },
        { documents: `Checking your browser before you continue.\n\n${prose}\n\n${more}\n\n${prose}\n\n${more}`, errors: [{ messageId: 'botWall', text: 'Checking your browser before you continue.', kind: 'bot-wall' }] },
        { documents: `The mayorâ€™s office said so.\n\n${more}`, errors: [{ messageId: 'mojibake', text: 'â€™', expected: ['’'] }] },
        { documents: `Fish &amp; chips.\n\n${more}`, errors: [{ messageId: 'htmlEntity', text: '&amp;', expected: ['&'] }] },
        { documents: `<div class="caption">Rain</div>\n\n${more}`, errors: [{ messageId: 'htmlTag', text: '<div class="caption">' }, { messageId: 'htmlTag', text: '</div>' }] },
        { documents: `Rain\u200b fell.\n\n${more}`, errors: [{ messageId: 'invisibleCharacter', text: '\u200b', message: 'Unexpected invisible character U+200B (control-character), expected it removed' }] },
        {
          documents: `${prose}\n\nThe result was close , officials said.\n\n${more}`,
          errors: [{ messageId: 'spaceBeforePunctuation', text: ' ,', message: 'Unexpected space before `,` in `close ,` (space-before-punctuation), expected `close,`' }],
        },
        {
          documents: `${prose}\n\nRead more: Ten roads to be resurfaced\nWhy potholes return every spring\nCouncil names new highways chief\n\n${more}`,
          errors: [{ messageId: 'prompt', text: 'Read more: Ten roads to be resurfaced\nWhy potholes return every spring\nCouncil names new highways chief', kind: 'related-links' }],
        },
        {
          documents: `${prose}\n\nMore:\nPotholes cost drivers millions\nNew bridge opens early\n\n${more}`,
          errors: [{ messageId: 'relatedLinks', text: 'More:\nPotholes cost drivers millions\nNew bridge opens early', kind: 'related-links' }],
        },
        { documents: `${prose}\n\nMost read\n\n${more}`, errors: [{ messageId: 'relatedLinks', text: 'Most read' }] },
      ],
    });
  });

  it('learns a recurring non-prose line from the corpus and leaves recurring prose alone', async () => {
    const footer = 'Hill Times | News and views from the hills';
    const sentence = 'The company did not immediately respond to a request for comment.';
    const documents = [1, 2, 3].map((n) => ({ text: `Story ${n}: ${prose}\n\n${sentence}\n\n${footer}`, path: `d${n}.txt` }));
    const results = await lintWithRule(scrapingArtifact, documents);
    for (const result of results) {
      expect(result.messages.map((m) => [m.messageId, result.text.slice(m.start, m.end)])).toEqual([['learnedBoilerplate', footer]]);
    }
    const twoOnly = await lintWithRule(scrapingArtifact, documents.slice(0, 2));
    expect(twoOnly.flatMap((r) => r.messages)).toEqual([]);
    const lower = await lintWithRule(scrapingArtifact, documents.slice(0, 2), { minDocuments: 2 });
    expect(lower.flatMap((r) => r.messages.map((m) => m.messageId))).toEqual(['learnedBoilerplate', 'learnedBoilerplate']);
  });

  it('counts exact duplicate documents once for learned boilerplate', async () => {
    const text = `${prose}\n\nHill Times | News and views from the hills`;
    const results = await lintWithRule(scrapingArtifact, [1, 2, 3].map((n) => ({ text, path: `copy${n}.txt` })));
    expect(results.flatMap((r) => r.messages)).toEqual([]);
  });

  it('takes extra patterns and disables patterns or kinds through options', async () => {
    const text = `${prose}\n\nBrought to you by Acme Insurance\n\nAdvertisement\n\nThe plan passed , narrowly.`;
    const [base] = await lintWithRule(scrapingArtifact, text);
    expect(base.messages.map((m) => m.messageId)).toEqual(['caption', 'spaceBeforePunctuation']);
    const [extended] = await lintWithRule(scrapingArtifact, text, {
      patterns: [{ id: 'sponsor-line', kind: 'prompt', scope: 'line', match: 'brought to you by {name}' }],
      disable: ['advertisement', 'space-before-punctuation'],
    });
    expect(extended.messages.map((m) => [m.messageId, text.slice(m.start, m.end)])).toEqual([['prompt', 'Brought to you by Acme Insurance']]);
    // A pattern with a shipped id replaces the shipped one.
    const [replaced] = await lintWithRule(scrapingArtifact, text, { patterns: [{ id: 'advertisement', kind: 'caption', scope: 'line', match: 'sponsored' }] });
    expect(replaced.messages.map((m) => m.messageId)).toEqual(['spaceBeforePunctuation']);
  });

  it('gates a config pattern by its anchor words, and tries one without any on every line', async () => {
    const text = `${prose}\n\nEXCLUSIVE OFFER for readers\n\nAnn Lee | Bo Park | Cy Dunn\n\n${more}`;
    const [result] = await lintWithRule(scrapingArtifact, text, {
      patterns: [
        { id: 'offer', kind: 'prompt', scope: 'line', match: 'exclusive offer {words}' },
        // Names and separators only: no word to look for, so every line is tried.
        { id: 'names-bar', kind: 'caption', scope: 'line', match: '{name} [|] {name}( [|] {name})*' },
      ],
    });
    expect(result.messages.map((m) => [m.messageId, text.slice(m.start, m.end)])).toEqual([
      ['prompt', 'EXCLUSIVE OFFER for readers'],
      ['caption', 'Ann Lee | Bo Park | Cy Dunn'],
    ]);
  });

  it('rejects invalid options with their key path', () => {
    expect(() => resolveConfig({ rules: { 'scraping-artifact': ['warn', { patterns: [{ id: 'x', kind: 'nonsense', scope: 'line', match: 'ab' }] }] } })).toThrow(ConfigError);
    expect(() => resolveConfig({ rules: { 'scraping-artifact': ['warn', { minDocuments: 1 }] } })).toThrow(/minDocuments/);
  });

  it('places spans and fixes right in a CRLF document', async () => {
    const text = `${prose}\r\n\r\nAdvertisement\r\n\r\nThe plan passed , narrowly.\r\n`;
    const [result] = await lintWithRule(scrapingArtifact, text);
    expect(result.messages.map((m) => text.slice(m.start, m.end))).toEqual(['Advertisement', ' ,']);
    expect(applyFixes(text, result.messages)).toBe(`${prose}\r\n\r\nThe plan passed, narrowly.\r\n`);
  });

  it('gives fixes that leave clean text', async () => {
    const text = ` date 2024-01-02 Listen to this article\n\nThe mayorâ€™s plan passed , narrowly.\n\nAdvertisement\n\n${more}\n\nShare this article`;
    const [result] = await lintWithRule(scrapingArtifact, text);
    expect(applyFixes(text, result.messages)).toBe(` date 2024-01-02\n\nThe mayor’s plan passed, narrowly.\n\n${more}`);
  });

  it('reports a names-only line above a dateline as a byline and removes the pair without a gap', async () => {
    const text = `${prose}\n\nAnn Lee and Bo Park, Lakeside Gazette\nPublished 6:05 PM EST Mar 13, 2024\n\n${more}`;
    const [result] = await lintWithRule(scrapingArtifact, text);
    expect(result.messages.map((m) => [m.kind, text.slice(m.start, m.end)])).toEqual([
      ['byline', 'Ann Lee and Bo Park, Lakeside Gazette'],
      ['caption', 'Published 6:05 PM EST Mar 13, 2024'],
    ]);
    expect(applyFixes(text, result.messages)).toBe(`${prose}\n\n${more}`);
    // Without a dateline below, a names-only line is left alone.
    const [alone] = await lintWithRule(scrapingArtifact, `${prose}\n\nAnn Lee and Bo Park, Lakeside Gazette\n\n${more}`);
    expect(alone.messages).toEqual([]);
  });
});

describe('scraping-artifact patterns', () => {
  it('ships pattern data that validates against its schema', () => {
    const validate = createAjv().compile(patternDataSchema);
    expect(validate(readPackageJson('rules/scraping-artifact.patterns.json'))).toBe(true);
    expect(loadPatternData().patterns.length).toBeGreaterThan(20);
  });

  it('matches case-insensitively, across punctuation and with variable parts', () => {
    const { regex } = compilePattern({ id: 't', kind: 'caption', scope: 'line', match: 'listen to this article( {n} min)?' }, []);
    for (const line of ['Listen to this article', 'LISTEN TO THIS ARTICLE · 4 min', '  listen to this article: 12 min.']) {
      regex.lastIndex = 0;
      expect(regex.test(line), line).toBe(true);
    }
    regex.lastIndex = 0;
    expect(regex.test('Listen to this article about tax')).toBe(false);
    expect(new RegExp(translatePattern("don't miss", []), 'u').test('DON’T MISS')).toBe(true);
  });

  it('keeps {name} to capitalised words and {agency} to whole words', () => {
    const { regex } = compilePattern({ id: 't', kind: 'caption', scope: 'line', match: '{name} (/|via) {agency}' }, ['Reuters', 'PA']);
    const test = (line: string) => ((regex.lastIndex = 0), regex.test(line));
    expect(test('Joshua Roberts / Reuters')).toBe(true);
    expect(test('the company told Reuters')).toBe(false);
    expect(test('Patrick Casey And Identity Evropa')).toBe(false);
  });

  it('knows which letters a pattern can open a line with', () => {
    expect(firstChars('(read more|also read) ?:')).toEqual(new Set(['r', 'a']));
    expect(firstChars('({weekday} )?{n}')).toEqual(new Set([...'mtwfs0123456789']));
    expect(firstChars('{words} newsletter')).toBe('any');
    // A lookahead matches no character: the letter after it still decides.
    expect(firstChars('(?!https?:)podcast ?: {url}')).toEqual(new Set(['p']));
  });

  it('derives the words every match of a pattern holds', () => {
    const words = (source: string, agencies: string[] = []) => patternAnchors(source, agencies).map((set) => [...set.words, ...(set.digit ? ['\\d'] : [])]);
    expect(words('listen to (this|the) article( {n} min)?')).toEqual([['article'], ['listen'], ['this', 'the'], ['to']].slice(0, 3));
    // Optional parts and negative lookarounds require nothing; a positive lookahead's text is in the line.
    expect(words('(?!by)foo( barbaz)?')).toEqual([['foo']]);
    expect(words('(?=[^\\n]*\\d{4})on {month}')[0]).toEqual(['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec']);
    expect(words('{name} ?/ ?{agency}', ['Reuters', 'AP Photo'])).toEqual([['Reuters', 'Photo'], ['/']]);
    expect(words('pic\\.twitter\\.com/[a-z]+')).toEqual([['pic.twitter.com/']]);
    // An alternative with no word of its own leaves the whole pattern without anchors.
    expect(words('(sign up|{words})')).toEqual([]);
    expect(words('{name}')).toEqual([]);
  });

  it('knows where a match has no letter or digit beside an anchor word', () => {
    // {agency} is bounded on both sides; a space bounds the word before and after it; a line pattern's edges bound its ends.
    expect(patternAnchors('{name} ?/ ?{agency}', ['AP', 'Getty Images'])[1]).toEqual({ words: ['AP', 'Images'], edges: [3, 3], digit: false });
    expect(patternAnchors('read more', [], 3, 1)).toEqual([
      { words: ['read'], edges: [3], digit: false },
      { words: ['more'], edges: [1], digit: false },
    ]);
    // "s?" may follow "newsletter": nothing is known after it.
    expect(patternAnchors('(sign up|subscribe) newsletters?', [], 3, 3)[0]).toEqual({ words: ['newsletter'], edges: [1], digit: false });
    expect(patternAnchors('pic\\.twitter\\.com/[a-z]+')[0].edges).toEqual([0]);
  });

  it('counts an anchor word only where its edges allow, as the pattern would match it', () => {
    const scanner = compileAnchorScanner([['ap'], ['ap']], [[3], [0]]);
    const text = 'happy days\nPhoto: AP\nAP.\ncap\n\u00e9AP';
    const lines = splitLines(text);
    const lineSets = new Uint8Array(lines.length * scanner.sets);
    scanner.mark(text, lines, lineSets, new Uint8Array(scanner.sets));
    expect([...lineSets]).toEqual([0, 1, 1, 1, 1, 1, 0, 1, 0, 1]);
  });

  it('knows what a line a pattern matches opens with', () => {
    expect(lineOpenings('(read more|also read) ?:')).toEqual(['read', 'also']);
    expect(lineOpenings('\\[(related|see also)')).toEqual(['related', 'see']);
    // An optional part opens the line or what follows it does; punctuation alone opens nothing.
    expect(lineOpenings('(\\()?(and )?(want|like) to')).toEqual(['and', 'want', 'like']);
    expect(lineOpenings('({weekday} )?{n}')).toContain('monday');
    expect(lineOpenings('{name} newsletter')).toBe('any');
    expect(lineOpenings('(©|copyright) {words}')).toBe('any');
  });


  it('finds the lines holding anchor words in one pass, folding case as a case-insensitive regex does', () => {
    const scanner = compileAnchorScanner([['share', 'photo'], ['oto'], ['k9']]);
    const text = 'No match here\nPHOTO by Ann\n\u017fhare this\nline \u212a9 and Photos';
    const lines = splitLines(text);
    const lineSets = new Uint8Array(lines.length * scanner.sets);
    const documentSets = new Uint8Array(scanner.sets);
    scanner.mark(text, lines, lineSets, documentSets);
    expect([...lineSets]).toEqual([0, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1]);
    expect([...documentSets]).toEqual([1, 1, 1]);
    // "ſhare" is "share" and the Kelvin sign "k" to the `iu` flags: the scan may not miss them.
    expect(/share/iu.test('\u017fhare') && /k9/iu.test('\u212a9')).toBe(true);
  });

  it('reads a dateline with a year or a clock time, not a fixture date', () => {
    const data = loadPatternData();
    const dateline = compilePattern(data.patterns.find((p) => p.id === 'dateline')!, data.agencies);
    const test = (line: string) => ((dateline.regex.lastIndex = 0), dateline.regex.test(line));
    expect(test('Monday, November 18, 2024, 04:05 pm PT (07:05 pm ET)')).toBe(true);
    expect(test('2024-03-14T07:15:00+00:00')).toBe(true);
    expect(test('sexta-feira, 22 de outubro de 2010 às 20:13')).toBe(true);
    expect(test('Sunday, 27 February')).toBe(false);
    expect(test('29 November 2018 20 January 2019')).toBe(false);
    expect(test('9.30 A.M. / 7.00 P.M.')).toBe(false);
  });
});

describe('scraping-artifact line shapes', () => {
  it('tells a names-only byline from a headline or a venue', () => {
    expect(isNamesLine('Ann Lee and Bo Park, City Herald')).toBe(true);
    expect(isNamesLine('Metro News wire services')).toBe(true);
    expect(isNamesLine('Council approves the budget after a long debate')).toBe(false);
    expect(isNamesLine('Smith')).toBe(false);
    expect(isNamesLine('Why Did They Leave?')).toBe(false);
  });

  it('takes a long or quoting line in capitals for a promoted headline, not a short subheading', () => {
    expect(isShoutedHeadline("STAR QUITS 'DANCE OFF' AFTER ROW WITH JUDGES")).toBe(true);
    expect(isShoutedHeadline('COUNCIL TO CLOSE THREE LIBRARIES AS BUDGET CUTS BITE HARDER')).toBe(true);
    expect(isShoutedHeadline('HOW TO PICK A GOOD TENT')).toBe(false);
    expect(isShoutedHeadline('Council To Close Three Libraries As Budget Cuts Bite Harder')).toBe(false);
  });
});

describe('scraping-artifact encoding helpers', () => {
  it('decodes mojibake of UTF-8 read as cp1252', () => {
    expect(findMojibake('cafÃ© and â€œquotesâ€\u009d').map((r) => r.replacement)).toEqual(['é', '“', '”']);
    expect(findMojibake('SÃO PAULO and Ãlvaro')).toEqual([]);
  });

  it('decodes HTML entities and ignores unknown ones', () => {
    expect(findEntities('a &amp; b &#39;c&#x27; &nbsp; &notanentity;').map((r) => r.replacement)).toEqual(['&', "'", "'", ' ']);
  });

  it('finds control and zero-width characters but not emoji joiners', () => {
    expect(findInvisible('a\u200bb\u0007c').length).toBe(2);
    expect(findInvisible('🏃🏽\u200d♀️')).toEqual([]);
    // Every BMP unit, as the character class it replaced finds them.
    const all = Array.from({ length: 0x10000 }, (_, code) => String.fromCharCode(code)).join('x');
    const expected = [...all.matchAll(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b\u2060\ufeff\u200e\u200f\u202a-\u202e\u2061-\u2064]+/g)].map((m) => [m.index, m.index + m[0].length]);
    expect(findInvisible(all).map((r) => [r.start, r.end])).toEqual(expected);
    expect(findInvisible('a\u200b\u200b\ufeffb').map((r) => [r.start, r.end])).toEqual([[1, 4]]);
  });
});
