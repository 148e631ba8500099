import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseHunt } from '../../src/hunt';
import { runHunt } from '../../src/engine/run';
import type { RunResult } from '../../src/engine/types';
import { fileInput } from '../../src/cli/file-input';

const BUNDLED_HUNT = fileURLToPath(new URL('../../public/hunts/cloudflare-tunnel-webdav.md', import.meta.url));
export { READ_CHUNK } from '../../src/cli/file-input';

export function bundledQuery(): string {
  const hunt = parseHunt(readFileSync(BUNDLED_HUNT, 'utf8'));
  const query = hunt.queries.find((q) => q.supported);
  if (!query) throw new Error('the bundled hunt has no supported query');
  return query.code;
}

/** The CLI's `scan` code path (runHunt over the CLI's own file input); `coverage: true` is `scan --coverage`. */
export async function runEngine(path: string, coverage: boolean, query = bundledQuery()): Promise<RunResult> {
  return runHunt(query, [fileInput(path)], { escapes: 'xql', coverage });
}
