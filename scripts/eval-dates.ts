import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveConfig } from '../src/config.js';
import { lintPaths } from '../src/engine.js';
import implausibleDate from '../rules/implausible-date.js';
import { requireShared, seededRandom } from './shared.js';

// implausible-date on the dated real corpora: findings per 1,000 documents by message id, throughput,
// and a reproducible sample of findings with their sentence, to be judged by reading. Usage:
//   npm run eval:dates -- [--sample 30] [--seed 6] [--corpora reuters21578,huffpost-newspaper3k]

const { values } = parseArgs({
  options: {
    sample: { type: 'string', default: '30' },
    seed: { type: 'string', default: '6' },
    corpora: { type: 'string', default: 'reuters21578,huffpost-newspaper3k' },
  },
});

const shared = requireShared('eval:dates');
const ruleId = implausibleDate.meta.id;
const config = resolveConfig({ rules: { [ruleId]: 'warn' } }, { rules: new Map([[ruleId, implausibleDate]]) });

interface Finding {
  corpus: string;
  id: string;
  date: string;
  messageId: string;
  message: string;
  context: string;
  expected?: string[];
}


const findings: Finding[] = [];
for (const corpus of values.corpora!.split(',')) {
  const file = join(shared, 'corpora', corpus, `${corpus}.jsonl`);
  const records = readFileSync(file, 'utf8').split('\n');
  const started = performance.now();
  const { report, crashes } = await lintPaths([file], { cwd: shared, config });
  const seconds = (performance.now() - started) / 1000;
  if (crashes.length) console.log(`crashes: ${crashes.join('; ')}`);
  const byMessage = new Map<string, number>();
  let count = 0;
  let dated = 0;
  for (const entry of report.files) {
    if (entry.date) dated++;
    const messages = entry.messages.filter((message) => message.ruleId === ruleId);
    if (messages.length === 0) continue;
    const text = String((JSON.parse(records[entry.line! - 1]) as { text: string }).text);
    for (const message of messages) {
      count++;
      byMessage.set(message.messageId!, (byMessage.get(message.messageId!) ?? 0) + 1);
      const from = Math.max(0, text.lastIndexOf('\n\n', message.start) + 1, message.start - 220);
      const to = Math.min(text.length, message.end + 160);
      const context = `${text.slice(from, message.start)}[[${text.slice(message.start, message.end)}]]${text.slice(message.end, to)}`.replace(/\s+/g, ' ');
      findings.push({ corpus, id: entry.id ?? String(entry.line), date: entry.date ?? 'none', messageId: message.messageId!, message: message.message, context, ...(message.expected ? { expected: message.expected } : {}) });
    }
  }
  const documents = report.files.length;
  const megabytes = statSync(file).size / 1e6;
  console.log(`${corpus}: ${documents} documents (${dated} dated), ${count} findings = ${((count / documents) * 1000).toFixed(2)} per 1,000 documents; ${seconds.toFixed(1)} s, ${(megabytes / seconds).toFixed(1)} MB/s (whole lint incl. reading)`);
  for (const [messageId, n] of [...byMessage].sort((a, b) => b[1] - a[1])) console.log(`  ${messageId}: ${n} (${((n / documents) * 1000).toFixed(2)} per 1,000)`);
}

const size = Math.min(Number(values.sample), findings.length);
const next = seededRandom(Number(values.seed));
const pool = [...findings];
for (let i = pool.length - 1; i > 0; i--) {
  const j = Math.floor(next() * (i + 1));
  [pool[i], pool[j]] = [pool[j], pool[i]];
}
console.log(`\nSample of ${size} findings (seed ${values.seed}); judge each by reading it:`);
pool.slice(0, size).forEach((finding, index) => {
  console.log(`\n${index + 1}. ${finding.corpus} ${finding.id} (document date ${finding.date}) ${finding.messageId}${finding.expected ? ` expected ${JSON.stringify(finding.expected)}` : ''}`);
  console.log(`   ${finding.message.replace(/\s+/g, ' ')}`);
  console.log(`   …${finding.context}…`);
});
