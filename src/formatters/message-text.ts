import type { ReportMessage } from '../types.js';

/** A message with its expected forms appended when the message does not already name them. */
export function messageWithExpected(message: ReportMessage): string {
  const expected = message.expected?.length && !message.message.includes(message.expected[0]) ? ` (expected: ${message.expected.join(', ')})` : '';
  return message.message + expected;
}
