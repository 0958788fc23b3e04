import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveConfig } from '../src/config.js';
import { lintPaths } from '../src/engine.js';
import { builtinRules } from '../src/rules.js';
import { requireShared } from './shared.js';

// Clean-text check: BBC News 2225 is edited text with no scraper leftovers, so every document that gets a
// scraping-artifact finding is a candidate false positive. Prints the rate and each flagged line.
// Usage: npm run eval:bbc-clean -- [--max-rate 0.05] [--rule scraping-artifact]
// Exits 1 when the rate is above --max-rate.

const { values } = parseArgs({
  options: {
    'max-rate': { type: 'string', default: '0.05' },
    rule: { type: 'string', default: 'scraping-artifact' },
  },
});

const shared = requireShared('eval:bbc-clean');
const base = join(shared, 'corpora', 'bbc-news-2225');
const topics = ['business', 'entertainment', 'politics', 'sport', 'tech'];
const ruleId = values.rule!;
const config = resolveConfig({ rules: Object.fromEntries([...builtinRules.keys()].map((id) => [id, id === ruleId ? 'warn' : 'off'])) });
const { report } = await lintPaths(topics.map((topic) => join(base, topic)), { cwd: base, config: { ...config, extensions: ['txt'] } });

let flagged = 0;
const kinds = new Map<string, number>();
for (const file of report.files) {
  const messages = file.messages.filter((message) => message.ruleId === ruleId);
  if (messages.length === 0) continue;
  flagged++;
  const text = readFileSync(join(base, file.path), 'utf8');
  for (const message of messages) {
    const kind = message.kind ?? message.messageId ?? '?';
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    const lineText = text.split('\n')[message.line - 1] ?? '';
    const from = Math.max(0, message.column - 41);
    console.log(`${file.path}:${message.line}:${message.column} [${kind}] ${JSON.stringify(text.slice(message.start, message.end).slice(0, 80))} in …${lineText.slice(from, message.endLine === message.line ? message.endColumn + 39 : from + 120)}…`);
  }
}
const documents = report.files.length;
const rate = documents ? flagged / documents : 0;
console.log(`\n${ruleId} on bbc-news-2225: ${flagged}/${documents} documents flagged (${(rate * 100).toFixed(2)}%)`);
for (const [kind, count] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`  ${kind}: ${count}`);
const maxRate = Number(values['max-rate']);
if (rate > maxRate) {
  console.log(`above the allowed ${(maxRate * 100).toFixed(1)}%`);
  process.exitCode = 1;
}
