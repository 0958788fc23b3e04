import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveConfig } from '../src/config.js';
import { lintDocuments } from '../src/engine.js';
import { builtinRules } from '../src/rules.js';
import type { LoadedDocument } from '../src/inputs.js';
import { normaliseLine, readJsonl, requireShared } from './shared.js';

// Line-level evaluation on the Scrapinghub Article Extraction Benchmark: a line an extractor output
// holds that the ground truth does not is boilerplate; a line counts as flagged when a message of
// one of the chosen rules overlaps it. Usage:
//   npm run eval:aeb -- [--rules scraping-artifact,off-topic-trailer] [--extractors newspaper,trafilatura,readability]
//                       [--trailing] [--show-fp N] [--show-fn N] [--time] [--by-kind]
// --by-kind also counts flagged lines per finding kind (a line flagged by several kinds counts for each).
// --trailing scores only each document's trailing run of boilerplate lines (what off-topic-trailer is for);
// --time prints how long linting each extractor's outputs took.
// --ceiling splits the missed lines into those before the document's first content line (the page's
// title, deck and byline block, which the ground truth leaves out), lines without Latin letters, and
// the rest, and prints the recall a linter would reach if it also found every line of the rest.

const { values } = parseArgs({
  options: {
    rules: { type: 'string', default: 'scraping-artifact,off-topic-trailer' },
    extractors: { type: 'string', default: 'newspaper,trafilatura,readability' },
    trailing: { type: 'boolean', default: false },
    'show-fp': { type: 'string', default: '0' },
    'show-fn': { type: 'string', default: '0' },
    'by-kind': { type: 'boolean', default: false },
    time: { type: 'boolean', default: false },
    ceiling: { type: 'boolean', default: false },
  },
});


const shared = requireShared('eval:aeb');
const base = join(shared, 'corpora', 'scrapinghub-aeb');
// A line is content when its normalised text stands anywhere in the normalised ground truth:
// extractors split and join lines differently, so whole-line equality would mislabel content.
const truth = new Map(readJsonl(join(base, 'ground-truth.jsonl')).map((r) => [r.id, normaliseLine(r.text.split('\n').join(' '))]));
const ruleIds = new Set(values.rules!.split(','));
const known = new Set(builtinRules.keys());
const missing = [...ruleIds].filter((id) => !known.has(id));
const config = resolveConfig({ rules: Object.fromEntries([...ruleIds].filter((id) => known.has(id)).map((id) => [id, 'warn'])) });
if (missing.length) console.log(`note: not built (yet): ${missing.join(', ')}`);
const onlyChosen = { ...config, rules: config.rules.filter((r) => ruleIds.has(r.rule.meta.id) || r.rule.complete) };

const showFp = Number(values['show-fp']);
const showFn = Number(values['show-fn']);
for (const extractor of values.extractors!.split(',')) {
  const records = readJsonl(join(base, 'extractor-output', `${extractor}.jsonl`));
  const documents: LoadedDocument[] = records.map((r, index) => ({ info: { path: `${extractor}.jsonl`, line: index + 1, id: r.id, contentStart: 0 }, text: r.text, notes: [] }));
  const started = performance.now();
  const { report, crashes } = await lintDocuments(documents, onlyChosen);
  if (values.time) {
    const megabytes = documents.reduce((sum, document) => sum + Buffer.byteLength(document.text ?? ''), 0) / 1e6;
    const seconds = (performance.now() - started) / 1000;
    console.log(`${extractor.padEnd(12)} linted ${megabytes.toFixed(2)} MB in ${seconds.toFixed(2)} s (${(megabytes / seconds).toFixed(1)} MB/s)`);
  }
  if (crashes.length) console.log(`  ${crashes.length} rule crash(es), e.g. ${crashes[0]}`);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let missedLead = 0;
  let missedNonLatin = 0;
  const fps: string[] = [];
  const fns: string[] = [];
  const byKind = new Map<string, { tp: number; fp: number }>();
  records.forEach((record, index) => {
    const gt = truth.get(record.id) ?? '';
    const messages = report.files[index].messages.filter((m) => ruleIds.has(m.ruleId));
    const lines: { text: string; start: number; end: number; boilerplate: boolean; lead: boolean }[] = [];
    let offset = 0;
    let seenContent = false;
    for (const raw of record.text.split('\n')) {
      const text = normaliseLine(raw);
      // A line without a letter or digit ("-", "___") is a separator: neither content nor boilerplate.
      if (/[\p{L}\p{N}]/u.test(text)) {
        const boilerplate = !gt.includes(text);
        seenContent ||= !boilerplate;
        lines.push({ text, start: offset, end: offset + raw.length, boilerplate, lead: !seenContent });
      }
      offset += raw.length + 1;
    }
    let scored = lines;
    if (values.trailing) {
      let cut = lines.length;
      while (cut > 0 && lines[cut - 1].boilerplate) cut--;
      // Score the tail: the trailing boilerplate run plus the last content lines before it (on-topic endings).
      scored = lines.slice(Math.max(0, cut - 3));
    }
    for (const line of scored) {
      const overlapping = messages.filter((m) => m.start < line.end && m.end > line.start);
      const flagged = overlapping.length > 0;
      for (const kind of new Set(overlapping.map((m) => `${m.ruleId}/${m.kind ?? m.messageId}`))) {
        const tally = byKind.get(kind) ?? { tp: 0, fp: 0 };
        tally[line.boilerplate ? 'tp' : 'fp']++;
        byKind.set(kind, tally);
      }
      if (flagged && line.boilerplate) tp++;
      else if (flagged) {
        fp++;
        fps.push(`${record.id.slice(0, 8)} ${line.text.slice(0, 100)} [${overlapping[0].ruleId}/${overlapping[0].kind ?? overlapping[0].messageId}]`);
      } else if (line.boilerplate) {
        fn++;
        if (!/[A-Za-z]{3}/.test(line.text)) missedNonLatin++;
        else if (line.lead) missedLead++;
        fns.push(`${record.id.slice(0, 8)} ${line.text.slice(0, 100)}`);
      }
    }
  });
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  console.log(`${extractor.padEnd(12)} precision ${precision.toFixed(3)} (${tp}/${tp + fp})  recall ${recall.toFixed(3)} (${tp}/${tp + fn})`);
  if (values.ceiling) {
    const reachable = tp + fn - missedLead - missedNonLatin;
    console.log(`  missed: ${missedLead} title/deck lines before the first content line, ${missedNonLatin} lines without Latin letters, ${fn - missedLead - missedNonLatin} others; recall if every other line were found: ${(reachable / (tp + fn)).toFixed(3)}`);
  }
  if (values['by-kind']) {
    for (const [kind, tally] of [...byKind].sort((a, b) => b[1].tp + b[1].fp - a[1].tp - a[1].fp)) console.log(`  ${kind.padEnd(44)} tp ${tally.tp}  fp ${tally.fp}`);
  }
  for (const line of fps.slice(0, showFp)) console.log(`  fp: ${line}`);
  for (const line of fns.slice(0, showFn)) console.log(`  fn: ${line}`);
}
