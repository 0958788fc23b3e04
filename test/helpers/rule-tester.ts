import { expect } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { lintDocuments } from '../../src/engine.js';
import { extractMetadata } from '../../src/inputs.js';
import type { ReportMessage, Rule } from '../../src/types.js';

/** An expected finding: message id and the exact flagged text, optionally its position, message and expected value. */
export interface ExpectedFinding {
  messageId: string;
  text: string;
  line?: number;
  column?: number;
  message?: string;
  expected?: string[];
  kind?: string;
  /** Text of each related span, in order. */
  related?: string[];
}

/** A document for a rule test: its text and optional metadata. */
export interface TestDocument {
  text: string;
  path?: string;
  date?: string;
}

export interface RuleTestCases<Options> {
  options?: Partial<Options>;
  /** Texts (or corpora: arrays of documents) on which the rule must report nothing. */
  valid: (string | TestDocument | TestDocument[])[];
  /** Texts (or corpora) with the findings expected, per document in order for a corpus. */
  invalid: { documents: string | TestDocument | TestDocument[]; errors: ExpectedFinding[] | ExpectedFinding[][] }[];
}

function toDocuments(input: string | TestDocument | TestDocument[]): TestDocument[] {
  if (typeof input === 'string') return [{ text: input }];
  return Array.isArray(input) ? input : [input];
}

/** Lint documents as one corpus with only `rule` switched on; returns each document's messages and text. */
export async function lintWithRule<Options>(rule: Rule<Options, any>, input: string | TestDocument | TestDocument[], options: Partial<Options> = {}) {
  const documents = toDocuments(input);
  const config = resolveConfig({ rules: { [rule.meta.id]: ['warn', options as Record<string, unknown>] } }, { rules: new Map([[rule.meta.id, rule]]) });
  const loaded = documents.map((document, index) => {
    const metadata = extractMetadata(document.text, (document.path ?? '').endsWith('.md'));
    const date = document.date ?? metadata.date;
    return {
      info: { path: document.path ?? `doc${index}.txt`, contentStart: metadata.contentStart, ...(date ? { date } : {}) },
      text: document.text,
      notes: [],
    };
  });
  const { report, crashes } = await lintDocuments(loaded, config);
  expect(crashes).toEqual([]);
  return report.files.map((file, index) => ({ messages: file.messages, text: documents[index].text, documents }));
}

function describeMessage(message: ReportMessage, text: string) {
  return { messageId: message.messageId, text: text.slice(message.start, message.end) };
}

/** Check a rule against valid and invalid cases, in the spirit of ESLint's RuleTester. */
export async function testRule<Options>(rule: Rule<Options, any>, cases: RuleTestCases<Options>): Promise<void> {
  for (const name of Object.keys(rule.meta.messages)) expect(rule.meta.messages[name]).toBeTruthy();
  for (const valid of cases.valid) {
    const results = await lintWithRule(rule, valid, cases.options);
    for (const result of results) {
      expect(result.messages.map((m) => describeMessage(m, result.text)), `valid case should pass: ${result.text.slice(0, 80)}`).toEqual([]);
    }
  }
  for (const invalid of cases.invalid) {
    const results = await lintWithRule(rule, invalid.documents, cases.options);
    const perDocument = (Array.isArray(invalid.errors[0]) ? invalid.errors : [invalid.errors]) as ExpectedFinding[][];
    results.forEach((result, index) => {
      const expected = perDocument[index] ?? [];
      expect(result.messages.length, `findings in: ${result.text.slice(0, 80)}\n${JSON.stringify(result.messages.map((m) => describeMessage(m, result.text)))}`).toBe(expected.length);
      expected.forEach((want, at) => {
        const got = result.messages[at];
        expect(want.messageId in rule.meta.messages, `unknown message id ${want.messageId}`).toBe(true);
        expect(got.ruleId).toBe(rule.meta.id);
        expect(describeMessage(got, result.text)).toEqual({ messageId: want.messageId, text: want.text });
        if (want.line !== undefined) expect(got.line).toBe(want.line);
        if (want.column !== undefined) expect(got.column).toBe(want.column);
        if (want.message !== undefined) expect(got.message).toBe(want.message);
        if (want.expected !== undefined) expect(got.expected).toEqual(want.expected);
        if (want.kind !== undefined) expect(got.kind).toBe(want.kind);
        if (want.related !== undefined) {
          expect(
            (got.related ?? []).map((related) => {
              const owner = result.documents.findIndex((d, i) => (d.path ?? `doc${i}.txt`) === related.path);
              return result.documents[owner].text.slice(related.start, related.end);
            }),
          ).toEqual(want.related);
        }
      });
    });
  }
}
