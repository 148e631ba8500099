import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { RunInput } from './types';

/** A RunInput over bytes in memory, cut into chunks of the given sizes (cycled). */
export function bytesInput(name: string, bytes: Uint8Array, chunkSizes: readonly number[] = [1 << 20]): RunInput {
  return {
    name,
    size: bytes.byteLength,
    async *chunks() {
      let offset = 0;
      let i = 0;
      while (offset < bytes.byteLength) {
        const size = chunkSizes[i++ % chunkSizes.length] ?? 1;
        yield bytes.subarray(offset, offset + size);
        offset += size;
      }
    },
  };
}

export function textInput(name: string, text: string, chunkSizes?: readonly number[]): RunInput {
  return bytesInput(name, new TextEncoder().encode(text), chunkSizes);
}

export function fileInput(path: string, chunkSizes?: readonly number[]): RunInput {
  return bytesInput(basename(path), new Uint8Array(readFileSync(path)), chunkSizes);
}
