import { decodeHTMLStrict } from 'entities';

/** A span of residue with the text that should stand there instead. */
export interface Residue {
  start: number;
  end: number;
  replacement: string;
}

// cp1252 bytes 0x80-0x9F (WHATWG windows-1252), written out because Node's TextDecoder maps them to
// C1 controls (it treats windows-1252 as Latin-1) and no encoder exists; 0x81 0x8D 0x8F 0x90 0x9D stay C1.
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
const byteOf = new Map<string, number>();
for (let byte = 0; byte < 256; byte++) byteOf.set(byte >= 0x80 && byte < 0xa0 ? CP1252_HIGH[byte - 0x80] : String.fromCharCode(byte), byte);
const continuation = [...byteOf].filter(([, byte]) => byte >= 0x80 && byte <= 0xbf).map(([char]) => char);
const escapeClass = (chars: string[]) => chars.map((c) => `\\u{${c.codePointAt(0)!.toString(16)}}`).join('');
const CONT = `[${escapeClass(continuation)}]`;
const lead = (from: number, to: number) =>
  `[${escapeClass([...byteOf].filter(([, byte]) => byte >= from && byte <= to).map(([char]) => char))}]`;
// UTF-8 lead byte then its continuation bytes, each read as a cp1252 character ("â€™", "Ã©").
const MOJIBAKE = new RegExp(`(?:${lead(0xc2, 0xdf)}${CONT}|${lead(0xe0, 0xef)}${CONT}{2}|${lead(0xf0, 0xf4)}${CONT}{3})+`, 'gu');
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Runs of UTF-8 text that was decoded as cp1252, with the text they stand for. */
export function findMojibake(text: string): Residue[] {
  const found: Residue[] = [];
  for (const match of text.matchAll(MOJIBAKE)) {
    const bytes = Uint8Array.from([...match[0]].map((char) => byteOf.get(char)!));
    let decoded: string;
    try {
      decoded = strictUtf8.decode(bytes);
    } catch {
      continue;
    }
    found.push({ start: match.index, end: match.index + match[0].length, replacement: decoded });
  }
  return found;
}

const ENTITY = /&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});/g;

/** HTML character references ("&amp;", "&#39;") with their decoded characters. */
export function findEntities(text: string): Residue[] {
  const found: Residue[] = [];
  for (const match of text.matchAll(ENTITY)) {
    const decoded = decodeHTMLStrict(match[0]);
    if (decoded === match[0]) continue;
    found.push({ start: match.index, end: match.index + match[0].length, replacement: decoded === '\u00a0' ? ' ' : decoded });
  }
  return found;
}

// C0/C1 controls other than tab and line breaks, and invisible format characters. ZWJ/ZWNJ are
// left alone: they belong in emoji sequences and in Persian, Indic and other scripts.
// Tested unit by unit: a regular expression over every document cost several times more.
const isInvisible = (code: number) =>
  code < 0x20
    ? code !== 0x09 && code !== 0x0a && code !== 0x0d
    : code >= 0x7f && (code <= 0x9f || (code >= 0x200b && (code === 0x200b || code === 0x200e || code === 0x200f || (code >= 0x202a && code <= 0x202e) || (code >= 0x2060 && code <= 0x2064) || code === 0xfeff)));

/** Control, zero-width and other invisible characters, a run each. */
export function findInvisible(text: string): Residue[] {
  const found: Residue[] = [];
  for (let at = 0; at < text.length; at++) {
    if (!isInvisible(text.charCodeAt(at))) continue;
    const start = at;
    while (at + 1 < text.length && isInvisible(text.charCodeAt(at + 1))) at++;
    found.push({ start, end: at + 1, replacement: '' });
  }
  return found;
}

/** Code points of a run of characters, as `U+200B U+200B`. */
export function describeCodePoints(text: string): string {
  return [...text].map((char) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
}
