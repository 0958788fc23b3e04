// What `check` keeps of a document for the corpus step, packed into one Uint32Array: one ArrayBuffer
// per document instead of an object holding five typed arrays (each typed array costs ~150 bytes of
// heap on top of its data, which at 300k documents is more than the data itself).

/** The fields of a document record; the arrays are views into the record, made on demand. */
export interface RecordFields {
  bodyStart: number;
  bodyEnd: number;
  /** 53-bit key of the normalised words: case, spacing, quotes and punctuation folded. */
  exact: number;
  /** 53 bits of the SHA-1 of the text as it stands: equal only for byte-identical documents. */
  raw: number;
  /** Near-duplicate data, for documents long enough to be compared. */
  near?: {
    /** MinHash signature, 16 bits a value (a chance agreement is 1 in 65,536 per value). */
    signature: ArrayLike<number>;
    /** Sorted shingle hashes: all of them, or a mod-2^shingleBits sample. */
    shingles: Uint32Array;
    shingleBits: number;
    /** Sorted hashes of the distinct numbers in the text. */
    numbers: Uint32Array;
    /** Sorted hashes of the dates (month and day) in the text. */
    dates: Uint32Array;
  };
  /** Paragraphs looked for in other documents, PASSAGE_FIELDS numbers each. */
  passages: Uint32Array;
}

/** Numbers per passage: the two halves of its 53-bit key, start, end, words. */
export const PASSAGE_FIELDS = 5;

// Positions of the header fields; the arrays follow the header in this order: signature, shingles, numbers, dates, passages.
const Slot = {
  BodyStart: 0,
  BodyEnd: 1,
  ExactHigh: 2,
  ExactLow: 3,
  RawHigh: 4,
  RawLow: 5,
  ShingleBits: 6,
  SignatureLength: 7,
  ShinglesLength: 8,
  NumbersLength: 9,
  DatesLength: 10,
  PassagesLength: 11,
  Header: 12,
} as const;

const NO_NEAR = 0xffffffff;

/** Pack a document's corpus-step data into one Uint32Array. */
export function packRecord(fields: RecordFields): Uint32Array {
  const near = fields.near;
  const signatureWords = near ? Math.ceil(near.signature.length / 2) : 0;
  const lengths = [signatureWords, near?.shingles.length ?? 0, near?.numbers.length ?? 0, near?.dates.length ?? 0, fields.passages.length];
  const record = new Uint32Array(Slot.Header + lengths.reduce((sum, length) => sum + length, 0));
  record[Slot.BodyStart] = fields.bodyStart;
  record[Slot.BodyEnd] = fields.bodyEnd;
  record[Slot.ExactHigh] = Math.floor(fields.exact / 2 ** 32);
  record[Slot.ExactLow] = fields.exact >>> 0;
  record[Slot.RawHigh] = Math.floor(fields.raw / 2 ** 32);
  record[Slot.RawLow] = fields.raw >>> 0;
  record[Slot.ShingleBits] = near ? near.shingleBits : NO_NEAR;
  record[Slot.SignatureLength] = near?.signature.length ?? 0;
  record[Slot.ShinglesLength] = lengths[1];
  record[Slot.NumbersLength] = lengths[2];
  record[Slot.DatesLength] = lengths[3];
  record[Slot.PassagesLength] = lengths[4];
  let at = Slot.Header;
  if (near) {
    new Uint16Array(record.buffer, record.byteOffset + 4 * at, near.signature.length).set(Array.from(near.signature, (value) => value & 0xffff));
    at += signatureWords;
    for (const part of [near.shingles, near.numbers, near.dates]) {
      record.set(part, at);
      at += part.length;
    }
  }
  record.set(fields.passages, at);
  return record;
}

/** Offsets of the body of the text. */
export const bodyOf = (record: Uint32Array) => ({ start: record[Slot.BodyStart], end: record[Slot.BodyEnd] });
/** Key of the normalised words. */
export const exactOf = (record: Uint32Array) => record[Slot.ExactHigh] * 2 ** 32 + record[Slot.ExactLow];
/** Key of the raw text. */
export const rawOf = (record: Uint32Array) => record[Slot.RawHigh] * 2 ** 32 + record[Slot.RawLow];
/** Whether the document is long enough to be compared as a near duplicate. */
export const hasNear = (record: Uint32Array) => record[Slot.ShingleBits] !== NO_NEAR;

/** The MinHash signature (16-bit values), a view into the record. */
export function signatureOf(record: Uint32Array): Uint16Array {
  return new Uint16Array(record.buffer, record.byteOffset + 4 * Slot.Header, record[Slot.SignatureLength]);
}

/** The near-duplicate data of a record, as views. */
export function nearOf(record: Uint32Array): NonNullable<RecordFields['near']> {
  let at = Slot.Header + Math.ceil(record[Slot.SignatureLength] / 2);
  const next = (length: number) => record.subarray(at, (at += length));
  const signature = signatureOf(record);
  const shingles = next(record[Slot.ShinglesLength]);
  const numbers = next(record[Slot.NumbersLength]);
  const dates = next(record[Slot.DatesLength]);
  return { signature, shingles, shingleBits: record[Slot.ShingleBits], numbers, dates };
}

/** The passages of a record, a view. */
export function passagesOf(record: Uint32Array): Uint32Array {
  return record.subarray(record.length - record[Slot.PassagesLength]);
}
