import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import type { HuntFields } from './lib/hunt-eval';
import { clauseResults, clauseResultsBoth, isHit } from './lib/hunt-eval';
import { BENCH_COLUMNS, ensureBenchData } from './gen-bench-data';
import { buildSample } from './gen-sample';

const ROWS = 40_000;
const dirs: string[] = [];
const temp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'hunt-bench-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

function fields(r: Record<string, unknown>): HuntFields {
  const f = (v: unknown): string | number | null => (v === null || v === undefined || v === '' ? null : typeof v === 'number' ? v : String(v));
  return {
    event_type: f(r.event_type),
    event_sub_type: f(r.event_sub_type),
    agent_os_type: f(r.agent_os_type),
    action_process_image_command_line: f(r.action_process_image_command_line) as string | null,
    action_process_image_name: f(r.action_process_image_name) as string | null,
  };
}

describe('gen-bench-data', () => {
  it('the two-reading fast path agrees with the plain evaluator on every sample event', () => {
    for (const { ev } of buildSample().events) {
      const both = clauseResultsBoth(ev);
      expect(both.xql).toEqual(clauseResults(ev, 'xql'));
      expect(both.backslash).toEqual(clauseResults(ev, 'backslash'));
    }
  });

  it('writes CSV and NDJSON.gz whose hits match expected.json, deterministically and idempotently', async () => {
    const d1 = temp();
    const d2 = temp();
    const a = await ensureBenchData({ rows: ROWS, outDir: d1 });
    const b = await ensureBenchData({ rows: ROWS, outDir: d2 });
    expect(a.skipped).toBe(false);
    expect(sha(a.csvPath)).toBe(sha(b.csvPath));
    expect(sha(a.ndjsonGzPath)).toBe(sha(b.ndjsonGzPath));
    const mtime = statSync(a.csvPath).mtimeMs;
    const again = await ensureBenchData({ rows: ROWS, outDir: d1 });
    expect(again.skipped).toBe(true);
    expect(statSync(a.csvPath).mtimeMs).toBe(mtime);

    const e = a.expected;
    expect(e.rows).toBe(ROWS);
    expect(e.hitCountXql).toBe(e.hitsXql.length);
    expect(e.hitCountXql).toBeGreaterThan(0);
    expect(e.hitCountBackslash).toBeGreaterThan(e.hitCountXql);
    // About 1 row in 1,000 mentions cloudflare.
    expect(e.mentionsCloudflare).toBeGreaterThan(ROWS / 2000);
    expect(e.mentionsCloudflare).toBeLessThan(ROWS / 500);
    // About 300 bytes a row.
    const perRow = e.files.csv.bytes / ROWS;
    expect(perRow).toBeGreaterThan(250);
    expect(perRow).toBeLessThan(360);

    const csv = Papa.parse<Record<string, string>>(readFileSync(a.csvPath, 'utf8'), { header: true, skipEmptyLines: true });
    expect(csv.errors).toEqual([]);
    expect(csv.meta.fields).toEqual([...BENCH_COLUMNS]);
    expect(csv.data).toHaveLength(ROWS);
    const ids = new Set(csv.data.map((r) => r.event_id));
    expect(ids.size).toBe(ROWS);
    // File order is ascending _time, so the query's desc sort is the reverse of file order.
    const csvHitsX = csv.data.filter((r) => isHit(fields(r), 'xql')).map((r) => r.event_id).reverse();
    const csvHitsB = csv.data.filter((r) => isHit(fields(r), 'backslash')).map((r) => r.event_id).reverse();
    expect(csvHitsX).toEqual(e.hitsXql);
    expect(csvHitsB).toEqual(e.hitsBackslash);

    const lines = gunzipSync(readFileSync(a.ndjsonGzPath)).toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(ROWS);
    const nd = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(nd.every((r) => typeof r._time === 'number')).toBe(true);
    expect(nd.filter((r) => isHit(fields(r), 'backslash')).map((r) => String(r.event_id)).reverse()).toEqual(e.hitsBackslash);
  });
});
