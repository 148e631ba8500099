/**
 * `npm run bench`: the engine's fast path (the CLI's `scan`) against the raw read floor, papaparse
 * and DuckDB on generated XSIAM-style exports (scripts/gen-bench-data.ts).
 *
 *   npm run bench -- [--rows 100000,1000000] [--runs 5] [--quick] [--out .bench] [--no-full]
 *
 * Methods run interleaved (run 1 of every method, then run 2, ...) so that a noisy neighbour on a
 * shared machine spreads over all of them; the table shows medians. Exits 1 when any method's hit
 * count differs from the generator's expected count.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBenchData } from './gen-bench-data';
import { bundledQuery, runEngine } from './bench-lib/engine';
import { openDuckDb, papaparseCount, rawRead } from './bench-lib/baselines';

interface Method {
  name: string;
  /** Hits found, or null for the read floor; seconds measured by the method when it times itself. */
  run(path: string): Promise<{ hits: number | null; seconds?: number }>;
}

interface Target {
  label: string;
  rows: number;
  path: string;
  bytes: number;
  expected: number;
}

const REPO = fileURLToPath(new URL('..', import.meta.url));

function option(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main(argv: readonly string[]): Promise<number> {
  const quick = argv.includes('--quick');
  const rowsList = (option(argv, '--rows') ?? (quick ? '100000' : '100000,1000000')).split(',').map(Number);
  const runs = Number(option(argv, '--runs') ?? (quick ? 3 : 5));
  const outDir = resolve(REPO, option(argv, '--out') ?? '.bench');
  const withFull = !argv.includes('--no-full');

  const targets: Target[] = [];
  for (const rows of rowsList) {
    const data = await ensureBenchData({ rows, outDir });
    const e = data.expected;
    console.log(`${data.skipped ? 'reused' : 'generated'} ${rows} rows: ${data.csvPath} ${(e.files.csv.bytes / 1e6).toFixed(1)} MB; ${data.ndjsonGzPath} ${(e.files.ndjsonGz.bytes / 1e6).toFixed(1)} MB gzip (${(e.files.ndjsonGz.uncompressedBytes / 1e6).toFixed(1)} MB NDJSON); expected hits ${e.hitCountXql}`);
    targets.push({ label: 'csv', rows, path: data.csvPath, bytes: statSync(data.csvPath).size, expected: e.hitCountXql });
    targets.push({ label: 'ndjson.gz', rows, path: data.ndjsonGzPath, bytes: statSync(data.ndjsonGzPath).size, expected: e.hitCountXql });
  }

  const query = bundledQuery();
  const methods: Method[] = [
    { name: 'raw read', run: async (path) => (await rawRead(path), { hits: null }) },
    { name: 'papaparse', run: async (path) => ({ hits: await papaparseCount(path) }) },
    {
      name: 'duckdb',
      run: async (path) => {
        // A fresh instance per run (cold caches, like one CLI invocation); the table's time is the query.
        const started = performance.now();
        const db = await openDuckDb(2);
        const { hits, seconds } = await db.count(path);
        db.close();
        processCost.push({ path, seconds: (performance.now() - started) / 1000 });
        return { hits, seconds };
      },
    },
    { name: 'engine', run: async (path) => ({ hits: (await runEngine(path, false, query)).stats.hits }) },
  ];
  if (withFull) methods.push({ name: 'engine full', run: async (path) => ({ hits: (await runEngine(path, true, query)).stats.hits }) });
  const processCost: { path: string; seconds: number }[] = [];

  const times = new Map<string, number[]>();
  const hits = new Map<string, Set<number>>();
  const key = (t: Target, m: string): string => `${t.path}|${m}`;
  for (let run = 0; run < runs; run++) {
    for (const target of targets) {
      for (const method of methods) {
        const started = performance.now();
        const result = await method.run(target.path);
        const seconds = result.seconds ?? (performance.now() - started) / 1000;
        const k = key(target, method.name);
        times.set(k, [...(times.get(k) ?? []), seconds]);
        if (result.hits !== null) hits.set(k, (hits.get(k) ?? new Set()).add(result.hits));
      }
    }
    process.stderr.write(`run ${run + 1}/${runs} done\n`);
  }

  const rows: string[][] = [];
  const header = ['format', 'rows', 'MB', ...methods.map((m) => `${m.name} s (MB/s)`), 'duckdb process s', 'eng/duckdb', 'eng/papa', 'eng/raw'];
  let failed = false;
  for (const target of targets) {
    const mb = target.bytes / 1e6;
    const med = (m: string): number => median(times.get(key(target, m)) ?? [NaN]);
    const cells = methods.map((m) => `${med(m.name).toFixed(3)} (${(mb / med(m.name)).toFixed(0)})`);
    const process = median(processCost.filter((p) => p.path === target.path).map((p) => p.seconds));
    const engine = med('engine');
    rows.push([target.label, String(target.rows), mb.toFixed(1), ...cells, process.toFixed(3), `${(med('duckdb') / engine).toFixed(2)}x`, `${(med('papaparse') / engine).toFixed(2)}x`, `${(med('raw read') / engine).toFixed(2)}x`]);
    for (const method of methods) {
      const found = hits.get(key(target, method.name));
      if (!found) continue;
      if (found.size !== 1 || !found.has(target.expected)) {
        failed = true;
        console.error(`MISMATCH ${target.label} ${target.rows}: ${method.name} found ${[...found].join('/')} hits, expected ${target.expected}`);
      }
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\nmedian of ${runs} runs, interleaved; MB = file bytes / 1e6 (ndjson.gz: compressed); ratios = throughput of the engine's fast path over the other method`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  console.log(failed ? '\nhit counts DISAGREE' : `\nall methods agree with the generator's expected hit counts`);
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 2;
  },
);
