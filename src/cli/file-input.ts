import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { RunInput } from '../engine/types';
import { UsageError } from './args';

/** Bytes per read: the bench (scripts/bench.ts) measures the CLI, and its baselines, with this size. */
export const READ_CHUNK = 16 * 1024 * 1024;

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
