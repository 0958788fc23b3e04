import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { readPackageJson } from '../src/schema.js';
import { seededRandom } from './shared.js';

interface Vocabulary {
  firstNames: string[];
  lastNames: string[];
  roles: string[];
  organisations: string[];
  places: string[];
  outlets: string[];
  weekdays: string[];
  periods: string[];
  units: string[];
  adjectives: string[];
  nouns: string[];
  verbsPast: string[];
  verbsPresent: string[];
  objects: string[];
  clauses: string[];
  sources: string[];
  artifactLines: string[];
  trailerMarkers: string[];
}

const words = readPackageJson<Vocabulary>('scripts/corpus-vocabulary.json');

/** A generator of news-like documents with the defects a scraped corpus has, at realistic rates. */
export class CorpusGenerator {
  private readonly random: () => number;
  private readonly recentParagraphs: string[] = [];

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  private pick<T>(list: T[]): T {
    return list[Math.floor(this.random() * list.length)];
  }

  private chance(probability: number): boolean {
    return this.random() < probability;
  }

  private person(): string {
    return `${this.pick(words.firstNames)} ${this.pick(words.lastNames)}`;
  }

  private sentence(): string {
    const number = 2 + Math.floor(this.random() * 980);
    switch (Math.floor(this.random() * 5)) {
      case 0:
        return `${this.person()}, the ${this.pick(words.roles)} of ${this.pick(words.organisations)}, said on ${this.pick(words.weekdays)} that ${this.pick(words.clauses)}.`;
      case 1:
        return `${capitalise(this.pick(words.organisations))} ${this.pick(words.verbsPast)} ${number} ${this.pick(words.units)} in ${this.pick(words.places)} last ${this.pick(words.periods)}, according to ${this.pick(words.sources)}.`;
      case 2:
        return `The ${this.pick(words.adjectives)} ${this.pick(words.nouns)} ${this.pick(words.verbsPresent)} ${this.pick(words.objects)}, ${this.person()} told ${this.pick(words.outlets)}.`;
      case 3:
        return `"We expect ${this.pick(words.objects)} to change by ${number % 40} percent," said ${this.person()}, adding that ${this.pick(words.clauses)}.`;
      default:
        return `In ${this.pick(words.places)}, officials said the ${this.pick(words.nouns)} ${this.pick(words.verbsPresent)} ${this.pick(words.objects)} before the end of the ${this.pick(words.periods)}.`;
    }
  }

  private paragraph(): string {
    const sentences = Array.from({ length: 2 + Math.floor(this.random() * 4) }, () => this.sentence());
    if (this.chance(0.01)) {
      const at = Math.floor(this.random() * sentences.length);
      sentences[at] = sentences[at].replace(/ the /, ' the the ');
    }
    return sentences.join(' ');
  }

  /** The text of the next document: paragraphs, sometimes a scraping artifact, a reused paragraph or a trailer. */
  document(): string {
    const paragraphs = Array.from({ length: 4 + Math.floor(this.random() * 12) }, () => this.paragraph());
    if (this.chance(0.03) && this.recentParagraphs.length > 0) paragraphs.splice(1, 0, this.pick(this.recentParagraphs));
    if (this.chance(0.03)) paragraphs.splice(2, 0, this.pick(words.artifactLines));
    if (this.chance(0.03)) {
      const headlines = Array.from({ length: 3 }, () => `${capitalise(this.pick(words.organisations))} ${this.pick(words.verbsPast)} ${this.pick(words.adjectives)} ${this.pick(words.nouns)}`);
      paragraphs.push([this.pick(words.trailerMarkers), ...headlines].join('\n'));
    }
    this.recentParagraphs.push(paragraphs[0]);
    if (this.recentParagraphs.length > 200) this.recentParagraphs.shift();
    return paragraphs.join('\n\n') + '\n';
  }

  /** A date field for the next document (`YYYY-MM-DD`, 2015 to 2024). */
  date(): string {
    const year = 2015 + Math.floor(this.random() * 10);
    const month = 1 + Math.floor(this.random() * 12);
    const day = 1 + Math.floor(this.random() * 28);
    return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }
}

function capitalise(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}

/** Write a JSONL corpus (`id`, `date`, `text`) of `documents` documents or until `bytes` bytes; resolves to what was written. */
export async function writeJsonlCorpus(
  path: string,
  limit: { documents?: number; bytes?: number },
  seed = 1,
): Promise<{ documents: number; bytes: number; textBytes: number }> {
  const generator = new CorpusGenerator(seed);
  const out = createWriteStream(path);
  let documents = 0;
  let bytes = 0;
  let textBytes = 0;
  while ((limit.documents === undefined || documents < limit.documents) && (limit.bytes === undefined || bytes < limit.bytes)) {
    const text = generator.document();
    const line = JSON.stringify({ id: `gen-${documents + 1}`, date: generator.date(), text }) + '\n';
    documents++;
    bytes += Buffer.byteLength(line);
    textBytes += Buffer.byteLength(text);
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { documents, bytes, textBytes };
}
