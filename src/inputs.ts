import { createReadStream, existsSync, promises as fs, readdirSync, realpathSync, statSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { extname, join, relative, resolve, sep } from 'node:path';
import { createRequire } from 'node:module';
import ignore from 'ignore';
import type { DocumentInfo, Severity } from './types.js';

/** A problem with an input, reported in that document's entry (`ruleId: input`). */
export interface InputNote {
  severity: Severity;
  fatal?: boolean;
  message: string;
  line?: number;
  column?: number;
}

/** A document as read from disk, before linting. */
export interface LoadedDocument {
  info: Omit<DocumentInfo, 'index'>;
  /** The document text (BOM removed); absent when the input could not be read. */
  text?: string;
  notes: InputNote[];
}

/** Field names of a JSONL record. */
export interface JsonlFields {
  text: string;
  id: string;
  date: string;
}

export interface InputOptions {
  cwd: string;
  extensions: string[];
  ignore: string[];
  jsonl: JsonlFields;
  /** How to read a file; replaceable in tests. */
  readFile?: (path: string) => Promise<Buffer>;
}

/** The files a run lints, and the arguments that matched nothing. */
export interface ResolvedInputs {
  files: string[];
  problems: string[];
}

const GLOB_CHARS = /[*?[\]{}!]/;
const ALWAYS_SKIPPED = ['**/.git/**', '**/node_modules/**'];

/**
 * The files under a directory whose names end in one of the extensions, as fast-glob finds them for
 * `**` and `*.{ext,...}` with `dot: false`: no name starting with a dot, no node_modules, symbolic
 * links followed (but not back into their own ancestors). Written by hand: fast-glob costs several
 * times the CPU on a 10,000-file corpus, and its modules ~40 ms to load, at every run.
 */
function filesUnder(root: string, suffixes: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    // Concatenated, not `join`ed: the folder is already normalised, and join costs ~2 µs a file.
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const { name } = entry;
      if (name.startsWith('.')) continue;
      const path = prefix + name;
      let isFile = entry.isFile();
      let isDirectory = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        const target = statSync(path, { throwIfNoEntry: false });
        if (!target) continue;
        isFile = target.isFile();
        isDirectory = target.isDirectory() && !isWithin(realpathSync(dir), realpathSync(path));
      }
      if (isFile) {
        if (suffixes.some((suffix) => name.endsWith(suffix))) found.push(path);
      } else if (isDirectory && name !== 'node_modules') walk(path);
    }
  };
  walk(root);
  return found;
}

/** Whether `dir` is `ancestor` or inside it. */
function isWithin(dir: string, ancestor: string): boolean {
  return dir === ancestor || dir.startsWith(ancestor.endsWith(sep) ? ancestor : ancestor + sep);
}

/** Turn CLI paths, directories and globs into a sorted list of files, honouring .corpuslintignore. */
export async function resolveInputs(patterns: string[], options: InputOptions): Promise<ResolvedInputs> {
  const { cwd } = options;
  const ignorer = ignore().add(options.ignore);
  const ignoreFile = join(cwd, '.corpuslintignore');
  const ignoreText = existsSync(ignoreFile) ? await fs.readFile(ignoreFile, 'utf8') : '';
  ignorer.add(ignoreText);
  const anyIgnored = options.ignore.length > 0 || ignoreText.trim() !== '';
  const isIgnored = (absolute: string) => {
    if (!anyIgnored) return false;
    const rel = relative(cwd, absolute).split(sep).join('/');
    return rel !== '' && !rel.startsWith('..') && ignorer.ignores(rel);
  };
  const extensions = options.extensions.map((ext) => ext.replace(/^\./, ''));
  const suffixes = extensions.map((ext) => `.${ext}`);

  const files = new Set<string>();
  const problems: string[] = [];
  for (const pattern of patterns) {
    const absolute = resolve(cwd, pattern);
    let stats: ReturnType<typeof statSync> | undefined;
    try {
      stats = statSync(absolute);
    } catch {
      stats = undefined;
    }
    let matched: string[];
    if (stats?.isDirectory()) {
      matched = filesUnder(absolute, suffixes).filter((file) => !isIgnored(file));
      if (matched.length === 0) {
        problems.push(`${pattern}: no files with extension ${extensions.map((e) => '.' + e).join(', ')} in this directory`);
      }
    } else if (stats) {
      // A file named explicitly is linted whatever its extension, as ESLint does.
      matched = [absolute];
    } else if (GLOB_CHARS.test(pattern)) {
      const { default: fg } = await import('fast-glob');
      matched = (await fg(pattern.split(sep).join('/'), { cwd, absolute: true, ignore: ALWAYS_SKIPPED, onlyFiles: true })).filter(
        (file) => !isIgnored(file),
      );
      if (matched.length === 0) problems.push(`${pattern}: no files match this pattern`);
    } else {
      problems.push(`${pattern}: no such file or directory`);
      matched = [];
    }
    for (const file of matched) files.add(file);
  }
  return { files: [...files].sort(), problems };
}

/** Display path: relative to cwd with `/`, or absolute when outside it. */
export function displayPath(absolute: string, cwd: string): string {
  const rel = relative(cwd, absolute);
  return (rel.startsWith('..') ? absolute : rel).split(sep).join('/');
}

/** Read every document of the given files in corpus order, streaming JSONL line by line. */
export async function* readDocuments(files: string[], options: InputOptions): AsyncGenerator<LoadedDocument> {
  for (const file of files) {
    const path = displayPath(file, options.cwd);
    if (extname(file).toLowerCase() === '.jsonl') {
      yield* readJsonl(file, path, options);
    } else {
      yield await readTextFile(file, path, options);
    }
  }
}

async function readTextFile(file: string, path: string, options: InputOptions): Promise<LoadedDocument> {
  let buffer: Buffer;
  try {
    buffer = await (options.readFile ?? fs.readFile)(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^[A-Z]+: /, '') : String(error);
    return { info: { path, contentStart: 0 }, notes: [{ severity: 'error', fatal: true, message: `Cannot read ${path}: ${reason}` }] };
  }
  const decoded = decodeText(buffer, path);
  if (decoded.text === undefined) return { info: { path, contentStart: 0 }, notes: decoded.notes };
  const metadata = extractMetadata(decoded.text, extname(file).toLowerCase() === '.md');
  return {
    info: { path, contentStart: metadata.contentStart, ...(metadata.date ? { date: metadata.date } : {}) },
    text: decoded.text,
    notes: [...decoded.notes, ...metadata.notes],
  };
}

/** Decode a file's bytes as UTF-8 text: binary files, invalid UTF-8, BOM, CRLF and emptiness are noted. */
export function decodeText(buffer: Buffer, path: string): { text?: string; notes: InputNote[] } {
  const notes: InputNote[] = [];
  const nul = buffer.indexOf(0);
  if (nul >= 0) {
    const line = lineAt(buffer, nul);
    return { notes: [{ severity: 'error', fatal: true, line, message: `${path} looks binary (NUL byte at line ${line}): expected UTF-8 text` }] };
  }
  if (!isUtf8(buffer)) {
    const offset = firstInvalidUtf8(buffer);
    const line = lineAt(buffer, offset);
    const column = offset - buffer.lastIndexOf(10, offset - 1);
    return {
      notes: [{ severity: 'error', fatal: true, line, column, message: `${path} is not valid UTF-8 (byte 0x${buffer[offset].toString(16)} at line ${line}, column ${column}): expected UTF-8 text` }],
    };
  }
  let text = buffer.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
    notes.push({ severity: 'info', line: 1, column: 1, message: `${path} starts with a byte order mark: ignored, positions count from after it` });
  }
  if (text.includes('\r\n')) {
    notes.push({ severity: 'info', line: lineAt(Buffer.from(text.slice(0, text.indexOf('\r\n'))), Infinity), message: `${path} has CRLF line ends: read as line breaks, kept as they are` });
  }
  if (text.trim() === '') {
    notes.push({ severity: 'warning', message: `${path} is empty: nothing to lint` });
  }
  return { text, notes };
}

function lineAt(buffer: Buffer, offset: number): number {
  let line = 1;
  const end = Math.min(offset, buffer.length);
  for (let at = buffer.indexOf(10); at >= 0 && at < end; at = buffer.indexOf(10, at + 1)) line++;
  return line;
}

// Buffer.isUtf8 says whether a buffer is valid but not where it breaks: this finds the first bad byte.
function firstInvalidUtf8(buffer: Buffer): number {
  let at = 0;
  while (at < buffer.length) {
    const byte = buffer[at];
    const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte < 0xe0 ? 2 : byte >= 0xe0 && byte < 0xf0 ? 3 : byte >= 0xf0 && byte < 0xf5 ? 4 : 0;
    if (length === 0 || at + length > buffer.length || !isUtf8(buffer.subarray(at, at + length))) return at;
    at += length;
  }
  return buffer.length - 1;
}

// yaml (about 20 modules, ~50 ms) is required only for a Markdown file with front matter.
const require = createRequire(import.meta.url);

const HEADER = /^([ \t]*date[ \t]+)(\d{4}-\d{2}-\d{2})(?=[ \t]|\r?\n|$)/;
const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** Find a document's metadata: a ` date YYYY-MM-DD` header line, or YAML front matter in Markdown. */
export function extractMetadata(text: string, markdown: boolean): { date?: string; contentStart: number; notes: InputNote[] } {
  const header = HEADER.exec(text);
  if (header) {
    const date = normaliseDate(header[2]);
    const notes: InputNote[] = date ? [] : [{ severity: 'warning', line: 1, message: `Header date "${header[2]}" is not a calendar date: ignored` }];
    return { ...(date ? { date } : {}), contentStart: header[0].length, notes };
  }
  if (markdown) {
    const front = FRONT_MATTER.exec(text);
    if (front) {
      try {
        const { parse: parseYaml } = require('yaml') as typeof import('yaml');
        const data = parseYaml(front[1]) as Record<string, unknown> | null;
        const date = data && typeof data === 'object' ? normaliseDate(data.date) : undefined;
        return { ...(date ? { date } : {}), contentStart: front[0].length, notes: [] };
      } catch (error) {
        return {
          contentStart: front[0].length,
          notes: [{ severity: 'warning', line: 2, message: `Front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}` }],
        };
      }
    }
  }
  return { contentStart: 0, notes: [] };
}

/** Normalise a date value (ISO string, Date, or a string Date can parse) to `YYYY-MM-DD`. */
export function normaliseDate(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(value.trim());
  if (iso) {
    const [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    const check = new Date(Date.UTC(year, month - 1, day));
    return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day ? iso[0] : undefined;
  }
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString().slice(0, 10);
}

// Chunks stay below V8's large-object size: a 1 MB chunk left ~60 MB of dead strings until a full GC.
const JSONL_CHUNK = 1 << 16;
const LINE_BREAK = /\r\n|\n|\r/g;

/**
 * Splits text that comes in chunks into lines at `\r\n`, `\n` or `\r`, as readline does.
 * Hand-written: readline costs an event per line. Only each new chunk is searched, and the
 * unfinished line grows as a rope, so a record longer than many chunks costs no more per character.
 */
class LineSplitter {
  /** The unfinished line so far. */
  private carry = '';
  /** Whether the last chunk ended with a `\r`, a break that may be the first half of `\r\n`. */
  private heldReturn = false;

  /** The lines that `chunk` completes. */
  push(chunk: string): string[] {
    const lines: string[] = [];
    let start = 0;
    if (this.heldReturn) {
      this.heldReturn = false;
      lines.push(this.carry);
      this.carry = '';
      if (chunk.charCodeAt(0) === 10) start = 1;
    }
    const anyReturn = chunk.indexOf('\r', start) >= 0;
    for (;;) {
      let end: number;
      let breakLength = 1;
      if (anyReturn) {
        LINE_BREAK.lastIndex = start;
        const found = LINE_BREAK.exec(chunk);
        end = found ? found.index : -1;
        if (found) breakLength = found[0].length;
      } else end = chunk.indexOf('\n', start);
      if (end < 0) break;
      if (end === chunk.length - 1 && chunk.charCodeAt(end) === 13) {
        this.carry += chunk.slice(start, end);
        this.heldReturn = true;
        return lines;
      }
      lines.push(this.carry + chunk.slice(start, end));
      this.carry = '';
      start = end + breakLength;
    }
    this.carry += chunk.slice(start);
    return lines;
  }

  /** The last line, if the text does not end with a break. */
  end(): string[] {
    const last = this.heldReturn || this.carry !== '' ? [this.carry] : [];
    this.carry = '';
    this.heldReturn = false;
    return last;
  }
}

async function* readJsonl(file: string, path: string, options: InputOptions): AsyncGenerator<LoadedDocument> {
  let stream;
  try {
    await fs.access(file);
    stream = createReadStream(file, { encoding: 'utf8', highWaterMark: JSONL_CHUNK });
  } catch (error) {
    yield { info: { path, contentStart: 0 }, notes: [{ severity: 'error', fatal: true, message: `Cannot read ${path}: ${(error as Error).message}` }] };
    return;
  }
  const reader = new JsonlRecords(path, options.jsonl);
  const splitter = new LineSplitter();
  try {
    for await (const chunk of stream) {
      for (const line of splitter.push(chunk as string)) {
        const document = reader.record(line);
        if (document) yield document;
      }
    }
    for (const line of splitter.end()) {
      const document = reader.record(line);
      if (document) yield document;
    }
  } catch (error) {
    yield { info: { path, line: reader.lineNumber + 1, contentStart: 0 }, notes: [{ severity: 'error', fatal: true, message: `Cannot read ${path}: ${(error as Error).message}` }] };
  }
  if (reader.documents === 0) {
    yield { info: { path, contentStart: 0 }, notes: [{ severity: 'warning', message: `${path} has no JSONL records: nothing to lint` }] };
  }
}

/** Turns the lines of one JSONL file, in order, into documents. */
class JsonlRecords {
  lineNumber = 0;
  documents = 0;

  constructor(
    private readonly path: string,
    private readonly fields: JsonlFields,
  ) {}

  /** The document of the next line; undefined for a blank line. */
  record(raw: string): LoadedDocument | undefined {
    const { path, fields } = this;
    const lineNumber = ++this.lineNumber;
    const line = lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim() === '') return undefined;
    this.documents++;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      return {
        info: { path, line: lineNumber, contentStart: 0 },
        notes: [{ severity: 'error', fatal: true, line: 1, message: `${path}:${lineNumber}: malformed JSONL record (${(error as Error).message})` }],
      };
    }
    if (!record || typeof record !== 'object' || Array.isArray(record)) {
      return { info: { path, line: lineNumber, contentStart: 0 }, notes: [{ severity: 'error', fatal: true, message: `${path}:${lineNumber}: expected a JSON object per line` }] };
    }
    const fieldsOf = record as Record<string, unknown>;
    const idValue = fieldsOf[fields.id];
    const id = typeof idValue === 'string' || typeof idValue === 'number' ? String(idValue) : undefined;
    const base = { path, line: lineNumber, ...(id !== undefined ? { id } : {}) };
    const text = fieldsOf[fields.text];
    if (typeof text !== 'string') {
      return { info: { ...base, contentStart: 0 }, notes: [{ severity: 'error', fatal: true, message: `${path}:${lineNumber}: record has no string field "${fields.text}"` }] };
    }
    const notes: InputNote[] = [];
    const rawDate = fieldsOf[fields.date];
    const date = normaliseDate(rawDate);
    if (rawDate != null && rawDate !== '' && !date) {
      notes.push({ severity: 'warning', message: `${path}:${lineNumber}: field "${fields.date}" is not a date (${JSON.stringify(rawDate).slice(0, 40)}): ignored` });
    }
    if (text.trim() === '') notes.push({ severity: 'warning', message: `${path}:${lineNumber}: record text is empty: nothing to lint` });
    return { info: { ...base, contentStart: 0, ...(date ? { date } : {}) }, text, notes };
  }
}
