import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.js';
import { lintPaths } from '../src/engine.js';
import { builtinRules } from '../src/rules.js';

/**
 * One harness for every rule's fixtures: test/fixtures/<rule-id>/ holds input documents and
 * expected.json, which lists for every input the findings expected (an empty list for a near miss).
 * All inputs of a folder are linted together as one corpus, with only that rule on.
 */
interface ExpectedFile {
  options?: Record<string, unknown>;
  documents: Record<string, { messageId: string; text: string; line: number; column: number; message?: string; expected?: string[]; kind?: string; related?: { path: string; text: string }[] }[]>;
}

const root = join(import.meta.dirname, 'fixtures');
const folders = readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);

describe('rule fixtures', () => {
  it('has a fixture folder for every built-in rule', () => {
    for (const id of builtinRules.keys()) expect(folders, `test/fixtures/${id}/ is missing`).toContain(id);
  });

  for (const ruleId of folders) {
    it(`${ruleId}: findings match expected.json`, async () => {
      const folder = join(root, ruleId);
      const expectedPath = join(folder, 'expected.json');
      expect(existsSync(expectedPath), `${expectedPath} is missing`).toBe(true);
      const expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as ExpectedFile;
      const inputs = readdirSync(folder).filter((name) => name !== 'expected.json').sort();
      expect(Object.keys(expected.documents).sort(), 'every input is listed in expected.json and every listed input exists').toEqual(inputs);
      const rule = builtinRules.get(ruleId);
      expect(rule, `${ruleId} is not a built-in rule`).toBeDefined();
      const config = resolveConfig({ rules: { [ruleId]: ['warn', expected.options ?? {}] } }, { rules: new Map([[ruleId, rule!]]) });
      const run = await lintPaths([folder], { cwd: folder, config });
      expect(run.crashes).toEqual([]);
      const actual: Record<string, unknown[]> = {};
      const texts = new Map(inputs.map((name) => [name, readFileSync(join(folder, name), 'utf8').replace(/^\uFEFF/, '')]));
      for (const file of run.report.files) {
        const text = texts.get(file.path)!;
        actual[file.path] = file.messages
          .filter((message) => message.ruleId === ruleId)
          .map((message) => {
            const want = expected.documents[file.path]?.find((e) => e.text === text.slice(message.start, message.end));
            return {
              messageId: message.messageId,
              text: text.slice(message.start, message.end),
              line: message.line,
              column: message.column,
              ...(want?.message !== undefined ? { message: message.message } : {}),
              ...(want?.expected !== undefined ? { expected: message.expected } : {}),
              ...(want?.kind !== undefined ? { kind: message.kind } : {}),
              ...(want?.related !== undefined
                ? { related: (message.related ?? []).map((r) => ({ path: r.path, text: texts.get(r.path)!.slice(r.start, r.end) })) }
                : {}),
            };
          });
      }
      expect(actual).toEqual(expected.documents);
    });
  }
});
