/** One array of the parts' bytes; the part itself when there is only one (no copy). */
export function concatBytes(parts: readonly Uint8Array[], length = parts.reduce((sum, part) => sum + part.length, 0)): Uint8Array {
  if (parts.length === 1 && parts[0]) return parts[0];
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

/** The last `count` bytes of `tail` followed by `chunk` (a copy: the caller may reuse `chunk`). */
export function lastBytes(tail: Uint8Array, chunk: Uint8Array, count: number): Uint8Array {
  if (chunk.byteLength >= count) return chunk.slice(chunk.byteLength - count);
  const joined = new Uint8Array(Math.min(count, tail.length + chunk.byteLength));
  const fromTail = joined.length - chunk.byteLength;
  joined.set(tail.subarray(tail.length - fromTail), 0);
  joined.set(chunk, fromTail);
  return joined;
}
