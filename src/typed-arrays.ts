/** A typed array of numbers, as the growable buffers of the engine and the rules use them. */
type NumberArray = Int32Array | Uint32Array | Uint16Array | Uint8Array;

/** `array`, or a copy at least twice as long when it holds fewer than `size` items. */
export function grown<T extends NumberArray>(array: T, size: number): T {
  if (size <= array.length) return array;
  const larger = new (array.constructor as new (length: number) => T)(Math.max(size, array.length * 2));
  larger.set(array);
  return larger;
}
