import type { Root } from 'nlcst';
import { unified } from 'unified';
import retextEnglish from 'retext-english';
import { VFile } from 'vfile';
import type { Descriptor, DocumentInfo, Rule, RuleContext, TextLine } from './types.js';

const englishParser = unified().use(retextEnglish).freeze();

/** Parse text into an NLCST tree with retext-english. */
export function parseEnglish(text: string): Root {
  return englishParser.parse(text) as Root;
}

/** Split text into lines; `end` excludes `\n` and a preceding `\r`. */
export function splitLines(text: string): TextLine[] {
  const lines: TextLine[] = [];
  let start = 0;
  let number = 1;
  while (start <= text.length) {
    let newline = text.indexOf('\n', start);
    if (newline < 0) newline = text.length;
    const end = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
    lines.push({ text: text.slice(start, end), start, end, number });
    number++;
    start = newline + 1;
  }
  return lines;
}

interface ContextInput<Options> {
  rule: Rule<Options, unknown>;
  options: Options;
  text: string;
  doc: DocumentInfo;
  /** The document's VFile; made on first use when absent. */
  file?: VFile;
  /** An already parsed tree; parsed lazily when absent. */
  tree?: Root;
  /** Memo shared between the rules of one document. */
  memo?: Map<string, unknown>;
}

/** Build the context a rule's `check` receives; the tree, lines and VFile are made once, on demand. */
export function createRuleContext<Options>(input: ContextInput<Options>, report: (descriptor: Descriptor) => void): RuleContext<Options> {
  const memo = input.memo ?? new Map<string, unknown>();
  if (input.tree) memo.set('tree', input.tree);
  if (input.file) memo.set('file', input.file);
  const shared = <T>(key: string, compute: () => T): T => {
    if (!memo.has(key)) memo.set(key, compute());
    return memo.get(key) as T;
  };
  const { text } = input;
  return {
    ruleId: input.rule.meta.id,
    options: input.options,
    doc: input.doc,
    get file() {
      return shared('file', () => new VFile({ value: text, path: input.doc.path, data: { ...input.doc } }));
    },
    text,
    get lines() {
      return shared('lines', () => splitLines(text));
    },
    get tree() {
      return shared('tree', () => parseEnglish(text));
    },
    shared,
    report(descriptor) {
      if (!(descriptor.messageId in input.rule.meta.messages)) {
        throw new Error(`Rule "${input.rule.meta.id}" reported unknown message id "${descriptor.messageId}"`);
      }
      if (!(descriptor.start >= 0 && descriptor.end >= descriptor.start && descriptor.end <= text.length)) {
        throw new Error(`Rule "${input.rule.meta.id}" reported an invalid span [${descriptor.start}, ${descriptor.end})`);
      }
      report(descriptor);
    },
  };
}
