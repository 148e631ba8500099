import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { RunInput } from '../engine/types';
import { UsageError } from './args';

/**
 * Bytes per read: the bench (scripts/bench.ts) measures the CLI, and its baselines, with this size.
 * The fast path on the 316 MB bench CSV, three interleaved rounds of 5: 4 MiB 312/403/334 ms,
 * 16 MiB 451/466/483 ms (a fresh 16 MiB buffer per read costs page faults and major GCs).
 */
export const READ_CHUNK = 4 * 1024 * 1024;

/** A file on disk as the engine's input: streamed, never held whole. */
export function fileInput(path: string): RunInput {
  if (!existsSync(path)) throw new UsageError(`file not found: ${path}`);
  const stat = statSync(path);
  if (!stat.isFile()) throw new UsageError(`not a file: ${path}`);
  return {
    name: basename(path),
    size: stat.size,
    chunks: () => createReadStream(path, { highWaterMark: READ_CHUNK }) as AsyncIterable<Uint8Array>,
  };
}
