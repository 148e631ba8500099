import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'fflate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHunt } from '../hunt';
import { runHunt } from '../engine/run';
import { bytesInput } from '../engine/test-inputs';
import type { RunResult } from '../engine/types';
import type { EscapeReading } from '../xql/plan';
import { bestGroup, createCandidateReader, reduceGroup, searchExpression } from './candidates';
import { createByteReader } from './reader';
import { collectingSink, type Collected } from './test-helpers';

const repo = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const hunt = parseHunt(readFileSync(repo('public/hunts/cloudflare-tunnel-webdav.md'), 'utf8'));
const query = hunt.queries.find((q) => q.supported)?.code ?? '';

const COLUMNS = ['_time', 'event_id', 'event_type', 'event_sub_type', 'agent_os_type', 'action_process_image_name', 'action_process_image_command_line', 'agent_hostname'];

/** Pieces of command lines: hits, near hits (cloudflar, cloud flare), CSV/JSON troublemakers, non-ASCII. */
const PIECES = [
  'cloudflare', 'CloudFlare', 'TRYCLOUDFLARE.COM', 'trycloudflare.com', 'cloudflar', 'cloud flare', 'net use', 'NET USE', 'webdav', 'WebDAV',
  '\\\\', '\\\\\\\\', '\\', ' ', ' ', ',', '"', '""', '\n', '\r\n', 'é', 'ü', '中文', '😀', 'İ', 'K', 'x', 'cmd.exe', '@SSL', '/c', ';', '\t', '{', '}',
];
const NAMES = ['cmd.exe', 'CMD.EXE', 'powershell.exe', 'wscript.exe', 'notepad.exe', 'cscript.exe', 'cmd.exe ', ''];
const TYPES = ['PROCESS', 'ENUM.PROCESS', '1', 'FILE', 'process'];
const SUBS = ['PROCESS_START', '1', 'PROCESS_STOP'];
const OSES = ['AGENT_OS_WINDOWS', 'ENUM.AGENT_OS_WINDOWS', 'AGENT_OS_LINUX'];

interface Event {
  [column: string]: string;
}

const eventArb: fc.Arbitrary<Omit<Event, 'event_id' | '_time'>> = fc.record({
  event_type: fc.constantFrom(...TYPES),
  event_sub_type: fc.constantFrom(...SUBS),
  agent_os_type: fc.constantFrom(...OSES),
  action_process_image_name: fc.constantFrom(...NAMES),
  action_process_image_command_line: fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((parts) => parts.join('')),
  agent_hostname: fc.constantFrom('WS-1', 'ws-2.corp', 'hôte-3', 'a"b', 'c,d'),
});

/** Background rows: about 200 bytes each, no literal, to get past the 64 KiB format sniff. */
function filler(i: number): Event {
  return {
    _time: String(1_750_000_000_000 + i * 1000),
    event_id: `f${i}`,
    event_type: i % 3 === 0 ? 'PROCESS' : 'FILE',
    event_sub_type: 'PROCESS_START',
    agent_os_type: 'AGENT_OS_WINDOWS',
    action_process_image_name: i % 5 === 0 ? 'cmd.exe' : 'svchost.exe',
    action_process_image_command_line: i % 7 === 0 ? `"C:\\Windows\\system32\\svchost.exe" -k netsvcs, "x""y" müller ${i}` : `C:\\Windows\\System32\\svchost.exe -k netsvcs -p -s Schedule ${i} ${'z'.repeat(i % 90)}`,
    agent_hostname: `WS-${i % 50}`,
  };
}

function csvCell(value: string, forceQuote: boolean): string {
  return forceQuote || /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

interface Export {
  events: Event[];
  crlf: boolean;
  quoteAll: boolean;
  blankEvery: number;
  bom: boolean;
}

function toCsv(e: Export): string {
  const nl = e.crlf ? '\r\n' : '\n';
  const lines = [COLUMNS.join(',')];
  e.events.forEach((event, i) => {
    if (e.blankEvery > 0 && i % e.blankEvery === 0) lines.push('');
    lines.push(COLUMNS.map((c) => csvCell(event[c] ?? '', e.quoteAll && i % 2 === 0)).join(','));
  });
  return (e.bom ? '\uFEFF' : '') + lines.join(nl) + nl;
}

function toNdjson(e: Export): string {
  const nl = e.crlf ? '\r\n' : '\n';
  return (
    e.events
      .map((event, i) => (e.blankEvery > 0 && i % e.blankEvery === 0 ? nl : '') + JSON.stringify(event))
      .join(nl) + nl
  );
}

const exportArb: fc.Arbitrary<Export> = fc
  .record({
    specials: fc.array(fc.tuple(fc.nat(1200), eventArb), { minLength: 1, maxLength: 60 }),
    fillers: fc.integer({ min: 500, max: 1200 }),
    crlf: fc.boolean(),
    quoteAll: fc.boolean(),
    blankEvery: fc.constantFrom(0, 0, 97, 401),
    bom: fc.boolean(),
  })
  .map(({ specials, fillers, crlf, quoteAll, blankEvery, bom }) => {
    const events: Event[] = [];
    for (let i = 0; i < fillers; i++) events.push(filler(i));
    specials.forEach(([at, special], n) => {
      events.splice(Math.min(at, events.length), 0, { ...special, _time: String(1_750_000_000_000 + n * 7), event_id: `s${n}` });
    });
    return { events, crlf, quoteAll, blankEvery, bom };
  });

const chunkSizesArb = fc.array(fc.integer({ min: 1, max: 64 * 1024 }), { minLength: 1, maxLength: 8 });

function summary(result: RunResult): unknown {
  return {
    hits: result.hits.map((h) => ({ eventId: h.eventId, row: h.source.row, line: h.source.line, fields: h.fields })),
    rows: result.stats.rows,
    other: result.stats.otherReadingHits,
    malformed: result.stats.malformed,
  };
}

async function compare(name: string, bytes: Uint8Array, chunks: number[], escapes: EscapeReading): Promise<RunResult> {
  const full = await runHunt(query, [bytesInput(name, bytes, chunks)], { escapes, coverage: true });
  const fast = await runHunt(query, [bytesInput(name, bytes, chunks)], { escapes, coverage: false });
  expect(summary(fast)).toEqual(summary(full));
  return fast;
}

describe('the fast path (coverage: false) against the full path', () => {
  const encoder = new TextEncoder();
  for (const [label, render, name] of [
    ['CSV', toCsv, 'x.csv'],
    ['NDJSON', toNdjson, 'x.ndjson'],
  ] as const) {
    it(`${label}: same hits (id, row, line, fields), rows and other-reading count, any chunking, both readings`, async () => {
      let skippedSomewhere = false;
      let hitsSomewhere = 0;
      await fc.assert(
        fc.asyncProperty(exportArb, chunkSizesArb, fc.constantFrom<EscapeReading>('xql', 'backslash'), fc.boolean(), async (e, chunks, escapes, gzip) => {
          const text = encoder.encode(render(e));
          const fast = await compare(gzip ? `${name}.gz` : name, gzip ? gzipSync(text) : text, chunks, escapes);
          if (fast.stats.malformedCandidatesOnly) skippedSomewhere = true;
          hitsSomewhere += fast.hits.length;
        }),
        { numRuns: 60 },
      );
      expect(skippedSomewhere).toBe(true);
      expect(hitsSomewhere).toBeGreaterThan(0);
    }, 120_000);
  }

  it('CSV with stray quotes inside cells, text after a closing quote and malformed candidates', async () => {
    const events = Array.from({ length: 900 }, (_, i) => filler(i));
    const lines = [COLUMNS.join(',')];
    events.forEach((event, i) => {
      const cells = COLUMNS.map((c) => csvCell(event[c] ?? '', false));
      if (i === 200 || i === 760) cells[6] = 'ab"c plain'; // a quote mid-cell is literal
      if (i === 210 || i === 820) cells[6] = '"q"tail"more'; // and so is one after a closing quote
      if (i === 300) cells[6] = 'ab"c cloudflare net use';
      if (i === 301) cells[6] = '"cmd /c net use"x,"cloudflare'; // text after a closing quote; then a quoted cell
      if (i === 302) cells[6] = '"multi\nline, cloudflare" rest';
      if (i === 500) cells.push('extra cloudflare'); // malformed candidate: reported by both paths
      lines.push(cells.join(','));
    });
    const bytes = encoder.encode(lines.join('\n') + '\n');
    for (const escapes of ['xql', 'backslash'] as const) {
      const fast = await compare('q.csv', bytes, [4096, 65536, 7], escapes);
      expect(fast.stats.malformed).toBeGreaterThan(0);
    }
  });

  it('an unterminated quote near the end is reported the same way', async () => {
    const lines = [COLUMNS.join(',')];
    for (let i = 0; i < 900; i++) lines.push(COLUMNS.map((c) => csvCell(filler(i)[c] ?? '', false)).join(','));
    lines.push('1,e1,PROCESS,PROCESS_START,AGENT_OS_WINDOWS,cmd.exe,"cmd /c net use \\\\a.trycloudflare.com@SSL,WS');
    lines.push('2,e2,PROCESS,PROCESS_START,AGENT_OS_WINDOWS,cmd.exe,cmd /c net use \\\\b.trycloudflare.com@SSL,WS');
    const fast = await compare('u.csv', encoder.encode(lines.join('\n')), [65536], 'backslash');
    expect(fast.stats.malformed).toBeGreaterThan(0);
  });

  it('NDJSON lines that are not plain objects are parsed (and reported) even when they lack the literals', async () => {
    const lines = Array.from({ length: 900 }, (_, i) => JSON.stringify(filler(i)));
    lines[400] = '[1, 2]';
    lines[401] = '  {"event_id": "padded"}';
    lines[402] = '{"broken": ';
    lines[403] = '{"preview": false}';
    const fast = await compare('n.ndjson', encoder.encode(lines.join('\n')), [65536], 'xql');
    expect(fast.stats.malformed).toBe(2);
  });
});

describe('candidate reader internals', () => {
  it('searches one group per reading, without literals that contain another', () => {
    expect(reduceGroup(['cloudflare', 'trycloudflare.com'])).toEqual(['cloudflare']);
    expect(bestGroup([['cloudflare', 'trycloudflare.com'], ['cmd.exe', 'powershell.exe', 'wscript.exe', 'cscript.exe']])).toEqual(['cloudflare']);
    const re = searchExpression({ cnfs: [[['a.b']], [['c+d']]], caseSensitive: false }, 'csv');
    expect(re?.source).toBe('a\\.b|c\\+d');
    expect(re?.flags).toBe('gi');
  });

  it('skips non-candidates with exact row and line counts, and feeds candidates with their real lines', () => {
    const { sink, collected } = collectingSink();
    const skipped: [number, number][] = [];
    const rows: string[] = ['a,b'];
    for (let i = 0; i < 20_000; i++) rows.push(i === 15_000 ? 'needle,"two\nlines"' : `${i},"q""${i}"`);
    const reader = createCandidateReader('t.csv', {
      ...sink,
      record(record, line, rawText) {
        sink.record(record, line, rawText);
        if (collected.records.length === 64) reader.setFilter({ cnfs: [[['needle']]], caseSensitive: true });
      },
      rowsSkipped: (count, lines) => skipped.push([count, lines]),
    });
    const bytes = new TextEncoder().encode(rows.join('\n') + '\n');
    for (let at = 0; at < bytes.length; at += 10_000) reader.push(bytes.subarray(at, at + 10_000));
    reader.end();
    expect(reader.skipped).toBe(true);
    const needle = collected.records.find((r) => r.record['a'] === 'needle');
    expect(needle?.line).toBe(15_002);
    expect(needle?.record['b']).toBe('two\nlines');
    const skippedRows = skipped.reduce((sum, [count]) => sum + count, 0);
    expect(skippedRows + collected.records.length).toBe(20_000);
    expect(collected.records.at(-1)?.record['a']).toBe('needle');
  });

  /** What the plain reader sees: every record, and those holding the literal with their lines. */
  function plainRead(name: string, bytes: Uint8Array, literal: string): { rows: number; candidates: Collected['records'] } {
    const { sink, collected } = collectingSink();
    const reader = createByteReader(name, sink);
    reader.push(bytes);
    reader.end();
    const candidates = collected.records.filter((r) => holds(r, literal));
    return { rows: collected.records.length, candidates };
  }

  const holds = (r: Collected['records'][number], literal: string): boolean => (r.rawText ?? '').toLowerCase().includes(literal);

  it('CSV and NDJSON, small scan batches, windows and bridges, any chunking: exactly the plain reader\'s candidates, lines and row count', async () => {
    const encoder = new TextEncoder();
    let bridged = 0;
    await fc.assert(
      fc.asyncProperty(
        exportArb,
        chunkSizesArb,
        // Rare and common literals: with a common one nearly every record is fed and compared.
        fc.constantFrom('cloudflare', 'net use', 'netsvcs', '0'),
        fc.record({
          scanBatch: fc.integer({ min: 1, max: 20_000 }),
          bridgeBytes: fc.integer({ min: 1, max: 3_000 }),
          bridgeFrom: fc.integer({ min: 1, max: 8_000 }),
          scanWindow: fc.integer({ min: 1, max: 6_000 }),
          warmupPiece: fc.integer({ min: 1, max: 8_000 }),
        }),
        fc.boolean(),
        async (e, chunks, literal, options, csv) => {
          const name = csv ? 'c.csv' : 'c.ndjson';
          const bytes = encoder.encode(csv ? toCsv(e) : toNdjson(e));
          const expected = plainRead(name, bytes, literal);
          const { sink, collected } = collectingSink();
          let skippedRows = 0;
          const reader = createCandidateReader(name, {
            ...sink,
            record(record, line, rawText) {
              sink.record(record, line, rawText);
              if (collected.records.length === 3) reader.setFilter({ cnfs: [[[literal]]], caseSensitive: false });
            },
            rowsSkipped: (count) => {
              skippedRows += count;
            },
          }, options);
          let at = 0;
          for (let i = 0; at < bytes.length; i++) {
            const size = chunks[i % chunks.length] ?? 1;
            reader.push(bytes.subarray(at, at + size));
            at += size;
          }
          reader.end();
          if (options.bridgeBytes < options.scanBatch && options.bridgeFrom < options.scanBatch) bridged++;
          const fed = collected.records;
          expect(skippedRows + fed.length).toBe(expected.rows);
          const fedCandidates = fed.filter((r) => holds(r, literal));
          expect(fedCandidates.map((r) => [r.line, r.record])).toEqual(expected.candidates.map((r) => [r.line, r.record]));
        },
      ),
      { numRuns: 60 },
    );
    expect(bridged).toBeGreaterThan(0);
  }, 120_000);
});
