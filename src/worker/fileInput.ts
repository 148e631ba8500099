/**
 * A File as a RunInput: read in 16 MiB slices, hashing as it streams when asked. While the engine
 * works through one slice the next is being read (the read happens off this thread), so reading
 * and scanning overlap; one slice ahead is the backpressure (Perfetto's pattern): memory stays
 * bounded whatever the file size, and `Blob.slice().arrayBuffer()` per slice is cheap at this size
 * (style-anchors §2.5).
 *
 * The worker's fast pass reads without hashing (it only needs hits); the background coverage pass
 * reads every byte anyway, so the SHA-256 fingerprint is computed there, off the critical path.
 * hash-wasm's WebAssembly SHA-256 runs at ~300 MB/s against ~150 MB/s for @noble/hashes; it needs
 * 'wasm-unsafe-eval' in the page's script-src (see vite.config.ts).
 */
import { createSHA256 } from 'hash-wasm';
import type { RunInput } from '../engine/types';

export const SLICE_BYTES = 16 * 1024 * 1024;

export interface HashedInput extends RunInput {
  /** Hex SHA-256 once one hashing pass has read the whole file, else null (always null without `hash`). */
  digest(): string | null;
}

export interface FileInputOptions {
  sliceBytes?: number;
  /** Hash the bytes as they stream (default false). */
  hash?: boolean;
}

export function fileInput(file: Blob & { name: string }, options: FileInputOptions = {}): HashedInput {
  const sliceBytes = options.sliceBytes ?? SLICE_BYTES;
  const hash = options.hash ?? false;
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
          const hasher = hash && digest === null ? await createSHA256() : null;
          const read = (at: number): Promise<ArrayBuffer> | null => {
            if (at >= file.size) return null;
            const pending = file.slice(at, Math.min(at + sliceBytes, file.size)).arrayBuffer();
            pending.catch(() => undefined); // awaited below; this only keeps an abandoned read quiet
            return pending;
          };
          let next = read(0);
          for (let at = 0; next !== null; at += sliceBytes) {
            const chunk = new Uint8Array(await next);
            next = read(at + sliceBytes);
            hasher?.update(chunk);
            yield chunk;
          }
          if (hasher && digest === null) digest = hasher.digest('hex');
        },
      };
    },
  };
}
