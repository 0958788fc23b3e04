// What `check` keeps of a document for the corpus step, packed into one Uint32Array: one ArrayBuffer
// per document instead of an object holding five typed arrays (each typed array costs ~150 bytes of
// heap on top of its data, which at 300k documents is more than the data itself).

/** The fields of a document record; the arrays are views into the record, made on demand. */
export interface RecordFields {
  bodyStart: number;
  bodyEnd: number;
  /** 53-bit key of the normalised words: case, spacing, quotes and punctuation folded. */
  exact: number;
  /** 32-bit hash of the text as it stands: tells byte-identical documents from those equal only once normalised. */
  raw: number;
  /** Near-duplicate data, for documents long enough to be compared. */
  near?: {
    /** MinHash signature, 16 bits a value (a chance agreement is 1 in 65,536 per value). */
    signature: ArrayLike<number>;
    /** Sorted 16-bit fingerprints of the shingle hashes: all of them, or a mod-2^shingleBits sample (minhash.ts sampleShingles). */
    shingles: Uint16Array;
    shingleBits: number;
    /** Sorted 16-bit fingerprints of the distinct numbers in the text. */
    numbers: Uint16Array;
    /** Sorted hashes of the dates (month and day) in the text. */
    dates: Uint32Array;
  };
  /** Paragraphs looked for in other documents, PASSAGE_FIELDS numbers each (see packPassage). */
  passages: ArrayLike<number>;
}

/** Numbers per passage: the high 16 bits of its 48-bit key with its word count, the low 32 bits, start, end. */
export const PASSAGE_FIELDS = 4;

/** Append a passage to `passages`: 48 bits of its key (53-bit `key`), its offsets and words (a count above 65,535 is kept as 65,535). */
export function packPassage(passages: number[], key: number, start: number, end: number, words: number): void {
  passages.push(((Math.floor(key / 2 ** 32) & 0xffff) << 16) | Math.min(words, 0xffff), key >>> 0, start, end);
}

/** The 48-bit key of the passage at `at` in a record's passages. */
export const passageKeyAt = (passages: Uint32Array, at: number) => (passages[at] >>> 16) * 2 ** 32 + passages[at + 1];

/** The passage at `at` in a record's passages. */
export function passageAt(passages: Uint32Array, at: number): { key: number; start: number; end: number; words: number } {
  return { key: passageKeyAt(passages, at), start: passages[at + 2], end: passages[at + 3], words: passages[at] & 0xffff };
}

// Positions of the header fields; the arrays follow the header in this order: signature, shingles and
// numbers (16-bit values, padded to a whole 32-bit word), dates, passages.
const Slot = {
  BodyStart: 0,
  BodyEnd: 1,
  ExactHigh: 2,
  ExactLow: 3,
  Raw: 4,
  /** Bits of the shingle sample (NO_NEAR when the document is not compared) in the high byte, signature length below. */
  BitsAndSignature: 5,
  ShinglesLength: 6,
  NumbersLength: 7,
  DatesLength: 8,
  PassagesLength: 9,
  Header: 10,
} as const;

const NO_NEAR = 0xff;

/** Pack a document's corpus-step data into one Uint32Array. */
export function packRecord(fields: RecordFields): Uint32Array {
  const near = fields.near;
  const halves = near ? near.signature.length + near.shingles.length + near.numbers.length : 0;
  const lengths = [Math.ceil(halves / 2), near?.dates.length ?? 0, fields.passages.length];
  const record = new Uint32Array(Slot.Header + lengths.reduce((sum, length) => sum + length, 0));
  record[Slot.BodyStart] = fields.bodyStart;
  record[Slot.BodyEnd] = fields.bodyEnd;
  record[Slot.ExactHigh] = Math.floor(fields.exact / 2 ** 32);
  record[Slot.ExactLow] = fields.exact >>> 0;
  record[Slot.Raw] = fields.raw;
  record[Slot.BitsAndSignature] = near ? near.shingleBits * 2 ** 24 + near.signature.length : NO_NEAR * 2 ** 24;
  record[Slot.ShinglesLength] = near?.shingles.length ?? 0;
  record[Slot.NumbersLength] = near?.numbers.length ?? 0;
  record[Slot.DatesLength] = lengths[1];
  record[Slot.PassagesLength] = lengths[2];
  let at = Slot.Header;
  if (near) {
    const sixteen = new Uint16Array(record.buffer, record.byteOffset + 4 * at, halves);
    for (let value = 0; value < near.signature.length; value++) sixteen[value] = near.signature[value];
    sixteen.set(near.shingles, near.signature.length);
    sixteen.set(near.numbers, near.signature.length + near.shingles.length);
    at += lengths[0];
    record.set(near.dates, at);
    at += near.dates.length;
  }
  record.set(fields.passages, at);
  return record;
}

/** Offsets of the body of the text. */
export const bodyOf = (record: Uint32Array) => ({ start: record[Slot.BodyStart], end: record[Slot.BodyEnd] });
/** Key of the normalised words. */
export const exactOf = (record: Uint32Array) => record[Slot.ExactHigh] * 2 ** 32 + record[Slot.ExactLow];
/** Key of the raw text. */
export const rawOf = (record: Uint32Array) => record[Slot.Raw];
/** Whether the document is long enough to be compared as a near duplicate. */
export const hasNear = (record: Uint32Array) => record[Slot.BitsAndSignature] >>> 24 !== NO_NEAR;

/** The MinHash signature (16-bit values), a view into the record. */
export function signatureOf(record: Uint32Array): Uint16Array {
  return new Uint16Array(record.buffer, record.byteOffset + 4 * Slot.Header, record[Slot.BitsAndSignature] & 0xffffff);
}

/**
 * Whether two records' signatures (of one length) agree on at least `least` of their values, read two
 * values at a time from the records' 32-bit words: no view to make, half the loads, and it stops once
 * the rest cannot reach `least`. Both records lay their values out alike, so a word's halves compare
 * the same values whatever the byte order.
 */
export function signaturesAgree(a: Uint32Array, b: Uint32Array, least: number): boolean {
  const length = a[Slot.BitsAndSignature] & 0xffffff;
  // The fewest agreeing values k with k / length ≥ least, as the division rounds.
  let needed = Math.max(0, Math.ceil(least * length));
  while (needed > 0 && (needed - 1) / length >= least) needed--;
  while (needed / length < least) needed++;
  const end = Slot.Header + (length >>> 1);
  let same = 0;
  for (let at = Slot.Header; at < end; at++) {
    const differ = a[at] ^ b[at];
    if ((differ & 0xffff) === 0) same++;
    if (differ >>> 16 === 0) same++;
    if (same + 2 * (end - at - 1) + (length & 1) < needed) return false;
  }
  if (length & 1 && new Uint16Array(a.buffer, a.byteOffset)[Slot.Header * 2 + length - 1] === new Uint16Array(b.buffer, b.byteOffset)[Slot.Header * 2 + length - 1]) same++;
  return same >= needed;
}

/** The near-duplicate data of a record, as views. */
export function nearOf(record: Uint32Array): NonNullable<RecordFields['near']> {
  const signature = signatureOf(record);
  const shinglesLength = record[Slot.ShinglesLength];
  const numbersLength = record[Slot.NumbersLength];
  const sixteen = new Uint16Array(record.buffer, record.byteOffset + 4 * Slot.Header, signature.length + shinglesLength + numbersLength);
  const shingles = sixteen.subarray(signature.length, signature.length + shinglesLength);
  const numbers = sixteen.subarray(signature.length + shinglesLength);
  const at = Slot.Header + Math.ceil(sixteen.length / 2);
  const dates = record.subarray(at, at + record[Slot.DatesLength]);
  return { signature, shingles, shingleBits: record[Slot.BitsAndSignature] >>> 24, numbers, dates };
}

/** The passages of a record, a view. */
export function passagesOf(record: Uint32Array): Uint32Array {
  return record.subarray(record.length - record[Slot.PassagesLength]);
}
