import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHunt } from '../hunt';
import type { Hunt } from '../hunt/types';
import { EngineError, runHunt } from '../engine/run';
import type { RunResult } from '../engine/types';
import type { EscapeReading } from '../xql/plan';
import { parseArgs, UsageError } from './args';
import { inspectHunt } from './inspect';
import { terminalSafe, writeHits, type OutputFormat } from './write-hits';
import { summaryLines } from './summary';
import { fileInput } from './file-input';

const USAGE = `usage:
  npm run -s cli -- scan [--hunt DOC.md] [--escapes xql|backslash] [--format table|ndjson|csv|json] [--strict] [--coverage] FILE...
  npm run -s cli -- inspect [--format json|ndjson] DOC.md...`;

const BUNDLED_HUNT = resolve(dirname(fileURLToPath(import.meta.url)), '../../public/hunts/cloudflare-tunnel-webdav.md');

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'scan') return scan(rest);
  if (command === 'inspect') return inspect(rest);
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
}

async function scan(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    valued: { hunt: [], escapes: ['xql', 'backslash'], format: ['table', 'ndjson', 'csv', 'json'] },
    switches: ['strict', 'coverage'],
  });
  if (args.positional.length === 0) throw new UsageError('scan needs at least one FILE');
  const huntPath = args.values['hunt'] ?? BUNDLED_HUNT;
  const hunt = readHunt(huntPath);
  const query = hunt.queries.find((q) => q.supported);
  if (!query) throw new UsageError(`${huntPath}: the document has no XQL query block`);

  const inputs = args.positional.map(fileInput);
  const format = (args.values['format'] ?? 'table') as OutputFormat;
  const escapes = (args.values['escapes'] ?? 'xql') as EscapeReading;
  const coverage = args.switches.has('coverage');
  const result: RunResult = await runHunt(query.code, inputs, { escapes, strict: args.switches.has('strict'), coverage });

  await writeHits(process.stdout, result, hunt, format);
  // Reasons quote file text (JSON.parse errors do) and file names may come from archives: escape them.
  for (const line of summaryLines(result)) process.stderr.write(`${terminalSafe(line)}\n`);
  if (result.stats.rows === 0 && result.stats.malformed > 0) {
    const first = result.stats.malformedSamples[0];
    const reason = first ? ` (${first.file}:${first.line}: ${first.reason})` : '';
    process.stderr.write(`${terminalSafe(`hunt-triage: no record could be read${reason}`)}\n`);
    return 1;
  }
  return 0;
}

async function inspect(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { valued: { format: ['json', 'ndjson'] }, switches: [] });
  if (args.positional.length === 0) throw new UsageError('inspect needs at least one DOC.md');
  const format = args.values['format'] ?? 'json';
  let failed = false;
  const reports = args.positional.map((path) => {
    try {
      return { file: path, ...inspectHunt(readFileSync(path, 'utf8')) };
    } catch (error) {
      failed = true;
      return { file: path, error: { message: errorMessage(error) } };
    }
  });
  if (format === 'ndjson') {
    for (const report of reports) process.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    process.stdout.write(`${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`);
  }
  return failed ? 1 : 0;
}

function readHunt(path: string): Hunt {
  if (!existsSync(path)) throw new UsageError(`hunt document not found: ${path}`);
  return parseHunt(readFileSync(path, 'utf8'));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known = error instanceof UsageError || error instanceof EngineError;
    process.stderr.write(`${terminalSafe(`hunt-triage: ${errorMessage(error).split('\n')[0]}`)}\n`);
    if (error instanceof UsageError) process.stderr.write(`${USAGE}\n`);
    if (!known && error instanceof Error && process.env['HUNT_TRIAGE_DEBUG']) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 2;
  },
);
