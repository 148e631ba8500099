import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseHunt } from '../hunt';
import { EngineError, runHunt } from './run';
import { bytesInput, fileInput, textInput } from './test-inputs';

const repo = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const hunt = parseHunt(readFileSync(repo('public/hunts/cloudflare-tunnel-webdav.md'), 'utf8'));
const query = hunt.queries.find((q) => q.supported)?.code ?? '';
interface Expected {
  rows: number;
  hitsXql: string[];
  hitsBackslash: string[];
  nearMisses: { event_id: string; failedClauseIndex: number }[];
  nearMissesBackslash: { event_id: string; failedClauseIndex: number }[];
}
const expected = JSON.parse(readFileSync(repo('public/samples/xdr-sample.expected.json'), 'utf8')) as Expected;
const sampleCsv = repo('public/samples/xdr-sample.csv');
const sampleNdjson = repo('public/samples/xdr-sample.ndjson');

describe('the bundled hunt on the sample export', () => {
  for (const [label, path] of [
    ['CSV', sampleCsv],
    ['NDJSON', sampleNdjson],
  ] as const) {
    it(`${label}: exact hits in the query's sort order under both readings`, async () => {
      const xql = await runHunt(query, [fileInput(path)], { escapes: 'xql' });
      expect(xql.hits.map((h) => h.eventId)).toEqual(expected.hitsXql);
      expect(xql.stats.rows).toBe(expected.rows);
      expect(xql.stats.otherReadingHits).toBe(expected.hitsBackslash.length);
      const backslash = await runHunt(query, [fileInput(path)], { escapes: 'backslash' });
      expect(backslash.hits.map((h) => h.eventId)).toEqual(expected.hitsBackslash);
      expect(backslash.stats.otherReadingHits).toBe(expected.hitsXql.length);
    });
  }

  it('near misses fail exactly the clause the generator says', async () => {
    const result = await runHunt(query, [fileInput(sampleCsv)], { escapes: 'xql' });
    const got = new Map(result.nearMisses.map((n) => [n.eventId, n.failedClause]));
    const want = new Map(expected.nearMisses.map((n) => [n.event_id, n.failedClauseIndex]));
    expect(got).toEqual(want);
  });

  it('the funnel counts rows per clause and cumulatively, ending at the hit count', async () => {
    const result = await runHunt(query, [fileInput(sampleCsv)]);
    const funnel = result.stats.funnel ?? [];
    expect(funnel).toHaveLength(6);
    expect(funnel.at(-1)?.cumulative).toBe(expected.hitsXql.length);
    for (let i = 1; i < funnel.length; i++) {
      expect(funnel[i]!.cumulative).toBeLessThanOrEqual(funnel[i - 1]!.cumulative);
      expect(funnel[i]!.cumulative).toBeLessThanOrEqual(funnel[i]!.passed);
    }
  });

  it('tiny chunks, gzip and the fast path give the same hits', async () => {
    const bytes = new Uint8Array(readFileSync(sampleCsv));
    const tiny = await runHunt(query, [bytesInput('s.csv', bytes, [1, 2, 3, 5, 7, 4093])]);
    expect(tiny.hits.map((h) => h.eventId)).toEqual(expected.hitsXql);
    const gz = await runHunt(query, [bytesInput('s.csv.gz', gzipSync(bytes), [65536])], { escapes: 'backslash' });
    expect(gz.hits.map((h) => h.eventId)).toEqual(expected.hitsBackslash);
    const fast = await runHunt(query, [bytesInput('s.csv', bytes)], { coverage: false, escapes: 'backslash' });
    expect(fast.hits.map((h) => h.eventId)).toEqual(expected.hitsBackslash);
    expect(fast.stats.otherReadingHits).toBe(expected.hitsXql.length);
    expect(fast.stats.rows).toBe(expected.rows);
    expect(fast.hits.map((h) => h.source.row)).toEqual(gz.hits.map((h) => h.source.row));
  });
});

const header = 'event_type,event_sub_type,agent_os_type,action_process_image_name,action_process_image_command_line,_time,event_id';
const hitLine = (id: string, time: number): string =>
  `PROCESS,PROCESS_START,AGENT_OS_WINDOWS,cmd.exe,"cmd /c net use \\\\a.trycloudflare.com@SSL\\DavWWWRoot",${time},${id}`;

describe('runHunt', () => {
  it('several files in one run keep each hit\'s file and row, sorted across files', async () => {
    const a = textInput('a.csv', [header, hitLine('a1', 1000), 'FILE,,AGENT_OS_WINDOWS,x.exe,nothing,1500,a2', hitLine('a3', 3000)].join('\n'));
    const b = textInput('b.csv', [header, hitLine('b1', 2000)].join('\r\n'));
    const result = await runHunt(query, [a, b]);
    expect(result.hits.map((h) => [h.eventId, h.source.file, h.source.row, h.source.line])).toEqual([
      ['a3', 'a.csv', 3, 4],
      ['b1', 'b.csv', 1, 2],
      ['a1', 'a.csv', 1, 2],
    ]);
    expect(Object.keys(result.hits[0]!.fields).slice(0, 3)).toEqual(['_time', 'agent_hostname', 'actor_effective_username']);
  });

  it('explains where each literal matched inside the command line', async () => {
    const result = await runHunt(query, [textInput('a.csv', [header, hitLine('a1', 1000)].join('\n'))]);
    const hit = result.hits[0]!;
    const cmd = String(hit.raw['action_process_image_command_line']);
    const spans = hit.explanation.clauses.flatMap(function walk(node): { start: number; end: number; literal: string }[] {
      return [...(node.passed ? node.matches : []), ...node.children.flatMap(walk)];
    });
    expect(spans.some((s) => cmd.slice(s.start, s.end).toLowerCase() === 'cloudflare')).toBe(true);
    expect(spans.some((s) => cmd.slice(s.start, s.end) === 'net use')).toBe(true);
  });

  it('skips a clause on a column the export lacks, with a warning; --strict makes it an error', async () => {
    const narrow = 'action_process_image_name,action_process_image_command_line,event_id\ncmd.exe,"net use \\\\x.trycloudflare.com\\s",1';
    const result = await runHunt(query, [textInput('narrow.csv', narrow)]);
    expect(result.hits.map((h) => h.eventId)).toEqual(['1']);
    expect(result.stats.warnings.join('\n')).toMatch(/event_type/);
    expect(result.stats.funnel?.filter((s) => s.skipped).map((s) => s.clause.text)).toHaveLength(3);
    await expect(runHunt(query, [textInput('narrow.csv', narrow)], { strict: true })).rejects.toThrow(EngineError);
  });

  it('keeps good rows around malformed ones and names file, line and reason', async () => {
    const text = [header, hitLine('1', 1), 'too,few', hitLine('3', 3)].join('\n');
    const result = await runHunt(query, [textInput('bad.csv', text)]);
    expect(result.hits.map((h) => h.eventId)).toEqual(['3', '1']);
    expect(result.stats.malformed).toBe(1);
    expect(result.stats.malformedSamples[0]).toMatchObject({ file: 'bad.csv', line: 3 });
  });

  it('reports an XQL error with line and column', async () => {
    await expect(runHunt('dataset = xdr_data\n| join foo', [])).rejects.toThrow(/line 2, column 3/);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runHunt(query, [fileInput(sampleCsv)], { signal: controller.signal })).rejects.toThrow(/cancelled/);
  });
});

describe('the fast path on derived fields', () => {
  it('finds hits on a constant a profile adds (CrowdStrike _product), which is not in the raw text', async () => {
    const path = repo('src/profiles/fixtures/crowdstrike.csv');
    const query = 'dataset = xdr_data | filter _product = "Falcon" and action_process_image_name = "cmd.exe" | fields event_id';
    const full = await runHunt(query, [fileInput(path)], { coverage: true });
    const fast = await runHunt(query, [fileInput(path)], { coverage: false });
    expect(full.hits.length).toBeGreaterThan(0);
    expect(fast.hits.map((h) => h.eventId)).toEqual(full.hits.map((h) => h.eventId));
  });
});
