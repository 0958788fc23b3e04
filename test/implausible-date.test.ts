import { describe, expect, it } from 'vitest';
import rule, { daysInMonth, inQuotedTitle, keystrokes, opensClause, sentenceAround, tenseAround } from '../rules/implausible-date.js';
import { createAjv, readPackageJson } from '../src/schema.js';
import { testRule } from './helpers/rule-tester.js';

const dated = (date: string, text: string) => ({ text, date });

describe('implausible-date helpers', () => {
  it('ships word lists that match their schema (the rule does not check them at start-up)', () => {
    const validate = createAjv().compile(readPackageJson('rules/implausible-date.data.schema.json') as object);
    expect(validate(readPackageJson('rules/implausible-date.data.json')), JSON.stringify(validate.errors)).toBe(true);
  });

  it('counts keystrokes between years, a swap of neighbours once', () => {
    expect(keystrokes('2015', '2025')).toBe(1);
    expect(keystrokes('2052', '2025')).toBe(1);
    expect(keystrokes('2013', '2031')).toBe(1);
    expect(keystrokes('2013', '2024')).toBe(2);
    expect(keystrokes('1998', '2025')).toBe(4);
  });

  it('knows month lengths, February 29 only in leap years', () => {
    expect(daysInMonth(2, 2023)).toBe(28);
    expect(daysInMonth(2, 2024)).toBe(29);
    expect(daysInMonth(2)).toBe(29);
    expect(daysInMonth(6)).toBe(30);
  });

  it('finds the sentence around a date, not ending at "Nov." and spanning a wire line break', () => {
    const text = 'It rained. The call was held on Nov. 14, the army said. Next one.';
    const at = text.indexOf('Nov.');
    const [start, end] = sentenceAround(text, at, at + 4);
    expect(text.slice(start, end)).toBe('The call was held on Nov. 14, the army said.');
    const wire = 'The company said the notes are due March\n31, 1991, it said.\n    A new paragraph.';
    const [wireStart, wireEnd] = sentenceAround(wire, wire.indexOf('March'), wire.indexOf('March') + 5);
    expect(wire.slice(wireStart, wireEnd)).toBe('The company said the notes are due March\n31, 1991, it said.');
  });

  it('reads the tense of the clause around a date', () => {
    const tense = /(?<future>will)|(?<past>held|said)|(?<neutral>would|is)/gu;
    const check = (sentence: string, date: string) => tenseAround(sentence, sentence.indexOf(date), sentence.indexOf(date) + date.length, tense)?.tense;
    expect(check('The summit will take place on April 10, 2014 in Geneva.', 'April 10, 2014')).toBe('future');
    expect(check('The meeting will be held on April 10, 2014.', 'April 10, 2014')).toBe('future');
    expect(check('On July 21, 2015, the president held a meeting.', 'July 21, 2015')).toBe('past');
    expect(check('He said it would open in May 2019.', 'May 2019')).toBe('neutral');
    expect(check('She was held against her will, in May 2013.', 'May 2013')).toBeUndefined();
    expect(check('Kept against her will in May 2013.', 'May 2013')).toBeUndefined();
  });

  it('tells an opening date from a date inside the clause', () => {
    expect(opensClause('On July 21, 2015, the president held a meeting.', 3, 16)).toBe(true);
    expect(opensClause('They met on July 21, 2015, in Kyiv.', 11, 24)).toBe(false);
  });

  it('recognises a short quoted title, not a quoted sentence', () => {
    const title = 'They will screen “July 21, 2015”, a documentary, next week.';
    expect(inQuotedTitle(title, title.indexOf('July'), title.indexOf('July') + 13)).toBe(true);
    const speech = '"We met them on July 21, 2015. Nothing came of it, and we will not meet them again," she said.';
    expect(inQuotedTitle(speech, speech.indexOf('July'), speech.indexOf('July') + 13)).toBe(false);
  });
});

describe('implausible-date rule', () => {
  it('passes valid cases and reports invalid ones', async () => {
    await testRule(rule, {
      valid: [
        // "May" the verb and "march" the noun are no months; a bare year is no date.
        dated('2025-07-27', 'Officials said the talks May resume, and thousands will march in 2015 colours.'),
        // Without a document date, tense and year typos do not apply.
        'On July 21, 2015, the president held a meeting. On July 24, the minister spoke. The summit will take place on April 10, 2014.',
        // An embedded post's signature dates the post.
        dated('2018-03-02', 'Please be advised that the government will not accept this — Jane Roe (@janeroe) July 26, 2017'),
        // Attributive dates name a thing: a pact, a statement.
        dated('1987-04-08', 'Officials are to meet under the emergency provisions of a July 1986 semiconductor pact.'),
        dated('1987-04-13', "The ruling was based on the agency's April 10, 1985, statement of policy."),
        // A reduced relative clause dates a past act, even after "will".
        dated('1987-10-20', 'The company said it will resume a share repurchase program authorized in September 1985.'),
        // Comparisons and schedules are not tense.
        dated('1987-04-08', 'Sales for March will be up 11.2 pct over March 1986, the company said.'),
        dated('1987-03-05', 'The board authorized an extension of the buyback program until May 1990.'),
        dated('1987-03-04', "The association said yesterday's offering of debentures, due March 10, 1992, was a new issue."),
        // A past verb that does not govern the date: the date belongs to a noun.
        dated('1987-03-13', 'The company said it has called for redemption on April 13, 1987, its notes due 1988.'),
        dated('1987-03-11', 'Shareholders will receive one share for each share held at the close of business on March 23, 1987.'),
        // Year-on-year comparisons by month are not typos, even beside "last month".
        dated('1987-03-09', 'The company said its shipments rose 12 pct last month from 1,067,000 in February 1986.'),
        // A date inside a sentence opens no clause without its comma.
        dated('1987-03-02', 'The bank agreed to merge with Diablo Bank, headquartered in Danville, in September 1986 as part of its plan to expand.'),
        // February 29 without a year, around a leap-year document date.
        dated('2024-03-06', 'The lake froze on February 29, the park service said.'),
        // A range's closing day: "March 31-April 2".
        dated('1987-03-30', 'At this week\'s March 31-April 2 meeting, the board is scheduled to discuss quotas.'),
        // A history cue ("since") keeps tense out of it; the options test below removes the cue.
        dated('2024-04-04', 'The line will reopen on May 5, 2022, closed since the flood.'),
        // A year one keystroke away, a year before: an anniversary, not a typo.
        dated('2025-07-27', 'On July 22, 2024, the president signed the first decree. On July 24, he returned to it.'),
      ],
      invalid: [
        {
          documents: dated('1987-04-09', 'The company expects revenues to reach 20 mln dlrs in fiscal 1987, ending June\n31, compared with 16.8 mln.'),
          errors: [{ messageId: 'impossible', text: 'June\n31' }],
        },
        {
          documents: dated('2025-07-27', 'On July 21, 2015, the president held a meeting on drones.\n\nOn July 24, the minister said more money is needed.'),
          errors: [{ messageId: 'yearTypo', text: 'July 21, 2015', expected: ['July 21, 2025'], line: 1, column: 4 }],
        },
        {
          documents: dated('2024-12-05', 'A new autotransformer will be installed at the most badly damaged substation in January 2023, restoring capacity.'),
          errors: [{ messageId: 'futureTenseInPast', text: 'January 2023', expected: ['January 2025'] }],
        },
        {
          documents: dated('2025-07-27', 'On 21 July 2015, the president held a meeting with manufacturers. On 24 July, the minister spoke.'),
          errors: [{ messageId: 'yearTypo', text: '21 July 2015', expected: ['21 July 2025'] }],
        },
        {
          documents: dated('2023-03-06', 'The lake froze on February 29, the park service said.'),
          errors: [{ messageId: 'impossible', text: 'February 29', message: 'Unexpected impossible date "February 29" (read as ????-02-29, document date 2023-03-06): there is no February 29 in 2023, the year around the document date; expected a date that exists' }],
        },
        {
          documents: dated('2025-07-27', 'On July 21, 2015 the president held a meeting with manufacturers. On July 24 the minister spoke.'),
          errors: [{ messageId: 'yearTypo', text: 'July 21, 2015', expected: ['July 21, 2025'] }],
        },
        {
          documents: dated('2024-04-04', 'The talks will resume on 12 March 2024 in Vienna.'),
          errors: [{ messageId: 'futureTenseInPast', text: '12 March 2024', expected: ['12 March 2025'] }],
        },
        {
          documents: dated('2025-01-05', 'The company said on December 30, 2025 it had completed the sale.'),
          errors: [{ messageId: 'pastTenseInFuture', text: 'December 30, 2025', expected: ['December 30, 2024'] }],
        },
        {
          documents: dated('2024-04-04', 'The delegation arrived in the capital on June 3, 2026, the ministry said.'),
          errors: [{ messageId: 'pastTenseInFuture', text: 'June 3, 2026' }],
        },
      ],
    });
  });

  it('takes words from options: an added future cue, a removed history cue', async () => {
    await testRule(rule, {
      options: { addWords: { futureCues: ['is poised to'] } },
      valid: [],
      invalid: [
        {
          documents: dated('2024-04-04', 'The new line is poised to open on May 5, 2022 in the north.'),
          errors: [{ messageId: 'futureTenseInPast', text: 'May 5, 2022', expected: ['May 5, 2024'] }],
        },
      ],
    });
    await testRule(rule, {
      options: { removeWords: { historyCues: ['since'] } },
      valid: [],
      invalid: [
        {
          documents: dated('2024-04-04', 'The line will reopen on May 5, 2022, closed since the flood.'),
          errors: [{ messageId: 'futureTenseInPast', text: 'May 5, 2022' }],
        },
      ],
    });
  });
});
