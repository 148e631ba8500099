/**
 * A File as a RunInput: read in 16 MiB slices, one at a time, hashing as it streams.
 * One slice in flight is the backpressure (Perfetto's pattern): memory stays bounded whatever the
 * file size, and `Blob.slice().arrayBuffer()` per slice is cheap at this size (style-anchors §2.5).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { RunInput } from '../engine/types';

export const SLICE_BYTES = 16 * 1024 * 1024;

export interface HashedInput extends RunInput {
  /** Hex SHA-256 once one pass has read the whole file, else null. */
  digest(): string | null;
}

export function fileInput(file: Blob & { name: string }, sliceBytes = SLICE_BYTES): HashedInput {
  let digest: string | null = null;
  return {
    name: file.name,
    size: file.size,
    digest: () => digest,
    chunks(): AsyncIterable<Uint8Array> {
      return {
        async *[Symbol.asyncIterator]() {
          // The engine may read a file twice (the other string reading); hash only the first
          // complete pass, and restart the hash if an earlier pass was abandoned midway.
          const hasher = digest === null ? sha256.create() : null;
          for (let at = 0; at < file.size; at += sliceBytes) {
            const chunk = new Uint8Array(await file.slice(at, Math.min(at + sliceBytes, file.size)).arrayBuffer());
            hasher?.update(chunk);
            yield chunk;
          }
          if (hasher && digest === null) digest = bytesToHex(hasher.digest());
        },
      };
    },
  };
}
