import { join } from 'node:path';
import { eng as englishStopwords } from 'stopword';
import { contentTerms, isHeadlineLike, loadTrailerData } from '../rules/off-topic-trailer.js';
import { normaliseLine, readJsonl, requireShared } from './shared.js';

// Is a corpus pass worth it for off-topic-trailer? On the AEB extractor outputs, take the
// headline-shaped lines among each document's last 15 lines, label each boilerplate (absent from the
// ground truth) or content, and ask how well a cohesion score against the body above the line
// separates the two: the rule's per-document content-word overlap, and TF-IDF cosine with IDF from
// the corpus. Prints the AUC of each (the chance that a boilerplate line scores lower than a content
// line; 0.5 is no better than chance). Usage: npm run eval:trailer-cohesion [-- newspaper,trafilatura]

const shared = requireShared('eval:trailer-cohesion');
const base = join(shared, 'corpora', 'scrapinghub-aeb');
const truth = new Map(readJsonl(join(base, 'ground-truth.jsonl')).map((r) => [r.id, normaliseLine(r.text.split('\n').join(' '))]));
const ignore = new Set([...englishStopwords, ...loadTrailerData().commonWords]);
const extractors = (process.argv[2] ?? 'newspaper,trafilatura,readability').split(',');

/** Chance that a boilerplate line scores below a content line (ties count half). */
function auc(boilerplate: number[], content: number[]): number {
  let wins = 0;
  for (const b of boilerplate) for (const c of content) wins += b < c ? 1 : b === c ? 0.5 : 0;
  return wins / (boilerplate.length * content.length);
}

for (const extractor of extractors) {
  const records = readJsonl(join(base, 'extractor-output', `${extractor}.jsonl`));
  const documentFrequency = new Map<string, number>();
  for (const record of records) for (const term of new Set(contentTerms(record.text, ignore))) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const idf = (term: string) => Math.log((records.length + 1) / ((documentFrequency.get(term) ?? 0) + 1)) + 1;
  const scores = { boilerplate: { overlap: [] as number[], cosine: [] as number[] }, content: { overlap: [] as number[], cosine: [] as number[] } };
  for (const record of records) {
    const gt = truth.get(record.id) ?? '';
    const lines = record.text.split('\n').map(normaliseLine).filter(Boolean);
    for (let at = Math.max(1, lines.length - 15); at < lines.length; at++) {
      if (!isHeadlineLike(lines[at], 20, 3)) continue;
      const bodyCounts = new Map<string, number>();
      for (const term of contentTerms(lines.slice(0, at).join('\n'), ignore)) bodyCounts.set(term, (bodyCounts.get(term) ?? 0) + 1);
      const terms = [...new Set(contentTerms(lines[at], ignore))];
      if (bodyCounts.size < 30 || terms.length === 0) continue;
      const overlap = terms.filter((term) => bodyCounts.has(term)).length / terms.length;
      let dot = 0;
      let bodyNorm = 0;
      for (const [term, count] of bodyCounts) bodyNorm += (count * idf(term)) ** 2;
      for (const term of terms) dot += idf(term) * (bodyCounts.get(term) ?? 0) * idf(term);
      const lineNorm = Math.sqrt(terms.reduce((sum, term) => sum + idf(term) ** 2, 0));
      const cosine = dot / (lineNorm * Math.sqrt(bodyNorm));
      const label = gt.includes(lines[at]) ? scores.content : scores.boilerplate;
      label.overlap.push(overlap);
      label.cosine.push(cosine);
    }
  }
  console.log(
    `${extractor.padEnd(12)} lines: ${scores.boilerplate.overlap.length} boilerplate, ${scores.content.overlap.length} content  ` +
      `AUC overlap ${auc(scores.boilerplate.overlap, scores.content.overlap).toFixed(3)}  AUC tf-idf cosine ${auc(scores.boilerplate.cosine, scores.content.cosine).toFixed(3)}`,
  );
}
