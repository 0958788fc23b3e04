import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../src/config.js';
import { lintPaths } from '../src/engine.js';
import { builtinRules } from '../src/rules.js';
import type { ReportMessage } from '../src/types.js';
import { requireShared, seededRandom } from './shared.js';

const ruleId = 'spelling-inconsistency';
const corpora = ['reuters21578/reuters21578.jsonl', 'huffpost-newspaper3k/huffpost-newspaper3k.jsonl'];
const sampleSize = Number(process.env.SAMPLE ?? 50);


/** Lint each shared news corpus with only spelling-inconsistency on; print rates, throughput and a sample to judge. */
async function main(): Promise<void> {
  const shared = requireShared(`eval:spelling`);
  const rule = builtinRules.get(ruleId)!;
  const config = resolveConfig({ rules: { [ruleId]: 'warn' } }, { rules: new Map([[ruleId, rule]]) });
  for (const relative of corpora) {
    const path = join(shared, 'corpora', relative);
    const records = readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { text: string });
    let bytes = 0;
    const started = performance.now();
    const cpu = process.cpuUsage();
    const run = await lintPaths([path], { cwd: shared, config, onDocument: (_result, size) => (bytes += size) });
    const cpuSeconds = process.cpuUsage(cpu).user / 1e6;
    const seconds = (performance.now() - started) / 1000;
    const found: { message: ReportMessage; record: number }[] = [];
    run.report.files.forEach((file) => {
      for (const message of file.messages) if (message.ruleId === ruleId) found.push({ message, record: (file.line ?? 1) - 1 });
    });
    const documents = run.report.files.length;
    const byKind = new Map<string, number>();
    for (const { message } of found) {
      const key = `${message.messageId}/${message.kind}`;
      byKind.set(key, (byKind.get(key) ?? 0) + 1);
    }
    console.log(`\n== ${relative}: ${documents} documents, ${found.length} findings = ${((found.length / documents) * 1000).toFixed(1)} per 1,000 documents; ${(bytes / 1e6 / seconds).toFixed(1)} MB/s wall (${seconds.toFixed(1)} s), ${(bytes / 1e6 / cpuSeconds).toFixed(1)} MB/s CPU, reading and parsing JSONL included`);
    console.log([...byKind].map(([key, count]) => `${key}: ${count}`).join(', '));
    const pick = seededRandom(7);
    const pool = [...found];
    const sample = [];
    while (sample.length < sampleSize && pool.length) sample.push(pool.splice(Math.floor(pick() * pool.length), 1)[0]);
    for (const { message, record } of sample) {
      const text = records[record].text;
      const around = text.slice(Math.max(0, message.start - 60), message.end + 40).replace(/\s+/g, ' ');
      const related = (message.related ?? [])
        .slice(0, 1)
        .map((r) => {
          const other = records[(r.documentLine ?? record + 1) - 1].text;
          return other.slice(Math.max(0, r.start - 40), r.end + 20).replace(/\s+/g, ' ');
        });
      console.log(`- [${record + 1}] ${message.kind} ${message.actual} -> ${message.expected?.[0]}: …${around}…${related.length ? `\n    related: …${related[0]}…` : ''}`);
    }
  }
}

await main();
