import { createReadStream, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHunt } from '../../src/hunt';
import { runHunt } from '../../src/engine/run';
import type { RunInput, RunResult } from '../../src/engine/types';

const BUNDLED_HUNT = fileURLToPath(new URL('../../public/hunts/cloudflare-tunnel-webdav.md', import.meta.url));
/** As src/cli/main.ts reads files. */
export const READ_CHUNK = 16 * 1024 * 1024;

export function bundledQuery(): string {
  const hunt = parseHunt(readFileSync(BUNDLED_HUNT, 'utf8'));
  const query = hunt.queries.find((q) => q.supported);
  if (!query) throw new Error('the bundled hunt has no supported query');
  return query.code;
}

/** A RunInput over an fs read stream, exactly like the CLI's `fileInput`. */
export function streamInput(path: string, chunk = READ_CHUNK): RunInput {
  return {
    name: basename(path),
    size: statSync(path).size,
    chunks: () => createReadStream(path, { highWaterMark: chunk }) as AsyncIterable<Uint8Array>,
  };
}

/** The CLI's `scan` code path (runHunt over fs streams); `coverage: true` is `scan --coverage`. */
export async function runEngine(path: string, coverage: boolean, query = bundledQuery()): Promise<RunResult> {
  return runHunt(query, [streamInput(path)], { escapes: 'xql', coverage });
}
