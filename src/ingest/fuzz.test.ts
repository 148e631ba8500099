import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseHunt } from '../hunt';
import { runHunt } from '../engine/run';
import { bytesInput } from '../engine/test-inputs';
import type { ExplainNode, MatchSpan } from '../xql/plan';
import { XDR_COLUMNS } from '../../scripts/gen-hostile';
import { createByteReader, unwrapJsonRecord } from '.';
import { collectingSink, outcome, type Collected } from './test-helpers';

const TIMEOUT = 120_000;
/** FUZZ_RUNS=10 npx vitest run src/ingest/fuzz.test.ts multiplies every property's runs. */
const RUNS = Math.max(1, Number(process.env['FUZZ_RUNS'] ?? 1));

/** Reads `bytes` through createByteReader, cut at the given offsets (sorted, deduplicated, clamped). */
function readAt(bytes: Uint8Array, cuts: readonly number[], fileName = 'export.csv'): Collected {
  const { sink, collected } = collectingSink();
  const reader = createByteReader(fileName, sink);
  const points = [...new Set(cuts.map((c) => Math.min(bytes.length, Math.max(0, c))))].sort((a, b) => a - b);
  let from = 0;
  for (const point of [...points, bytes.length]) {
    if (point <= from) continue;
    reader.push(bytes.subarray(from, point));
    from = point;
  }
  reader.end();
  return collected;
}

/** The sink contract: columns exactly once before any record; records in line order; lines >= 1. */
function expectContract(collected: Collected): void {
  expect(collected.columnsCalls).toBe(1);
  let previous = 0;
  for (const { line } of collected.records) {
    expect(line).toBeGreaterThanOrEqual(Math.max(1, previous));
    previous = line;
  }
  for (const { line, reason } of collected.malformed) {
    expect(line).toBeGreaterThanOrEqual(1);
    expect(reason.length).toBeGreaterThan(0);
  }
  for (const { line } of collected.warnings) expect(line).toBeGreaterThanOrEqual(1);
}

const cutsArb = fc.array(fc.nat({ max: 4096 }), { maxLength: 24 });
const encoder = new TextEncoder();

/** Characters that matter to the parsers, plus ordinary and hostile text. */
const TRICKY = ['"', ',', ';', '\t', '\r', '\n', '{', '}', '[', ']', ':', '\\', '<', '>', '/', ' ', 'a', 'Z', '0', '\u00e9', '\uFFFD', '\u0000', '\u001b', '\u202e', '\uFEFF', '😀', 'İ'];
const trickyText = fc.string({ unit: fc.constantFrom(...TRICKY), maxLength: 400 });

function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    out[2 * i] = text.charCodeAt(i) & 0xff;
    out[2 * i + 1] = text.charCodeAt(i) >> 8;
  }
  return out;
}

/** Arbitrary bytes, tricky text in UTF-8 / UTF-16 / with a BOM, and gzip (whole or cut) of either. */
const inputArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }),
  trickyText.map((t) => encoder.encode(t)),
  fc.tuple(fc.constantFrom('event_id,cmd\n', '{"a":1}\n', '[', '{"reply":{"results":{"data":[', '<Events><Event>', 'sep=;\n'), trickyText).map(([head, t]) => encoder.encode(head + t)),
  trickyText.map((t) => utf16le(t)),
  trickyText.map((t) => Uint8Array.of(0xff, 0xfe, ...utf16le(t))),
  fc.tuple(trickyText, fc.double({ min: 0, max: 1, noNaN: true })).map(([t, at]) => {
    const gz = gzipSync(encoder.encode(`a,b\n${t}`), { mtime: 0 });
    return gz.subarray(0, Math.max(2, Math.floor(gz.length * at)));
  }),
  fc.tuple(fc.uint8Array({ maxLength: 500 }), fc.nat({ max: 255 })).map(([bytes, flip]) => {
    const gz = gzipSync(bytes, { mtime: 0 }).slice();
    if (gz.length > 12) gz[10 + (flip % (gz.length - 10))] ^= 0xa5;
    return gz;
  }),
);

describe('byte reader fuzzing', () => {
  it('never throws and always ends, on any bytes at any chunking; plain text reads the same at every chunking', () => {
    fc.assert(
      fc.property(inputArb, cutsArb, fc.constantFrom('export.csv', 'Security.evtx', 'x.ndjson', 'x.json.gz'), (bytes, cuts, name) => {
        const whole = readAt(bytes, [], name);
        const chunked = readAt(bytes, cuts, name);
        expectContract(whole);
        expectContract(chunked);
        // Gzip's outcome may depend on where a corrupt stream is noticed; everything else must not.
        const gzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
        if (!gzip) expect(JSON.stringify(outcome(chunked))).toBe(JSON.stringify(outcome(whole)));
      }),
      { numRuns: 400 * RUNS },
    );
  }, TIMEOUT);

  it('a whole gzip stream (one member or several) reads like the plain text at any chunking: no false truncation', () => {
    fc.assert(
      fc.property(fc.array(trickyText, { minLength: 1, maxLength: 3 }), fc.constantFrom(0 as const, 1 as const, 6 as const, 9 as const), cutsArb, (parts, level, cuts) => {
        const plain = encoder.encode(`a,b\n${parts.join('')}`);
        // `cat a.gz b.gz ...`: one member per part (empty parts make empty members).
        const members = [encoder.encode('a,b\n'), ...parts.map((p) => encoder.encode(p))].map((p) => gzipSync(p, { mtime: 0, level }));
        const joined = new Uint8Array(members.reduce((sum, m) => sum + m.length, 0));
        let offset = 0;
        for (const member of members) {
          joined.set(member, offset);
          offset += member.length;
        }
        const expected = JSON.stringify(outcome(readAt(plain, [])));
        for (const gz of [gzipSync(plain, { mtime: 0 }), joined]) {
          const collected = readAt(gz, cuts);
          expect(collected.malformed.filter((m) => /gzip/.test(m.reason))).toEqual([]);
          expect(JSON.stringify(outcome(collected))).toBe(expected);
        }
      }),
      { numRuns: 200 * RUNS },
    );
  }, TIMEOUT);

  it('one byte at a time equals the whole file (text inputs)', () => {
    fc.assert(
      fc.property(trickyText, (text) => {
        const bytes = encoder.encode(`event_id,cmd\n${text}`);
        const whole = readAt(bytes, []);
        const single = readAt(bytes, Array.from({ length: bytes.length }, (_, i) => i));
        expect(JSON.stringify(outcome(single))).toBe(JSON.stringify(outcome(whole)));
      }),
      { numRuns: 100 * RUNS },
    );
  }, TIMEOUT);
});

/** JSON values without `__proto__` keys (JSON.parse keeps them, toEqual compares them awkwardly). */
const jsonValue = fc.jsonValue({ maxDepth: 4 });
const jsonObject = fc.dictionary(fc.string({ maxLength: 8 }), jsonValue, { maxKeys: 6 });
/** Lines that are not JSON at all (no line breaks: one line each). */
const junkLine = fc.string({ unit: fc.constantFrom('{', '}', '"', 'a', ':', ',', ' ', '\t', '\\', '[', 'é', '\u2028', '\u00a0'), maxLength: 30 });

interface ExpectedJson {
  records: { record: unknown; line: number }[];
  malformedLines: number[];
}

/** What reading one JSON text (an NDJSON line or array element) must give, by JSON.parse. */
function expectText(text: string, line: number, into: ExpectedJson): void {
  if (/^[ \t\r]*$/.test(text)) return; // JSON whitespace only
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    into.malformedLines.push(line);
    return;
  }
  const record = unwrapJsonRecord(value);
  if (record === null) return;
  if (typeof record === 'string') into.malformedLines.push(line);
  else into.records.push({ record, line });
}

function compareJson(collected: Collected, expected: ExpectedJson, withLines: boolean): void {
  expectContract(collected);
  expect(collected.records.map((r) => r.record)).toEqual(expected.records.map((r) => r.record));
  expect(collected.malformed.map((m) => m.line).length).toBe(expected.malformedLines.length);
  if (withLines) {
    expect(collected.records.map((r) => r.line)).toEqual(expected.records.map((r) => r.line));
    expect(collected.malformed.map((m) => m.line)).toEqual(expected.malformedLines);
  }
  const keys = new Set(expected.records.slice(0, 256).flatMap((r) => Object.keys(r.record as object)));
  expect(new Set(collected.columns)).toEqual(keys);
}

describe('JSON readers, differential against JSON.parse', () => {
  it('NDJSON: every line is what JSON.parse says, at any chunking, CRLF or LF', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 4, arbitrary: jsonObject.map((o) => JSON.stringify(o)) }, jsonValue.map((v) => JSON.stringify(v)), junkLine), { maxLength: 30 }),
        fc.constantFrom('\n', '\r\n'),
        cutsArb,
        (lines, newline, cuts) => {
          // The first line is an object, so the content sniffs as NDJSON (a leading `[` is an array).
          const all = ['{"first":true}', ...lines];
          const expected: ExpectedJson = { records: [], malformedLines: [] };
          all.forEach((line, i) => expectText(line, i + 1, expected));
          const collected = readAt(encoder.encode(all.join(newline) + newline), cuts, 'x.ndjson');
          expect(collected.format?.format).toBe('ndjson');
          compareJson(collected, expected, true);
        },
      ),
      { numRuns: 300 * RUNS },
    );
  }, TIMEOUT);

  it('JSON array and XQL API reply: the elements are what JSON.parse says, at any chunking and indentation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 4, arbitrary: jsonObject }, jsonValue), { maxLength: 30 }),
        fc.constantFrom(0, 1, 2, '\t'),
        fc.boolean(),
        cutsArb,
        (elements, indent, wrapped, cuts) => {
          const expected: ExpectedJson = { records: [], malformedLines: [] };
          for (const element of elements) expectText(JSON.stringify(element), 0, expected);
          const document = wrapped ? { reply: { status: 'SUCCESS', results: { data: elements } } } : elements;
          const collected = readAt(encoder.encode(JSON.stringify(document, null, indent)), cuts, 'x.json');
          expect(collected.format?.format).toBe(wrapped ? 'xql-api' : 'json-array');
          compareJson(collected, expected, false);
          if (indent === 0) for (const { line } of collected.records) expect(line).toBe(1);
        },
      ),
      { numRuns: 300 * RUNS },
    );
  }, TIMEOUT);

  it('a JSON array cut anywhere keeps every complete element before the cut', () => {
    fc.assert(
      fc.property(fc.array(jsonObject, { minLength: 1, maxLength: 12 }), fc.double({ min: 0, max: 1, noNaN: true }), cutsArb, (elements, at, cuts) => {
        const text = JSON.stringify(elements, null, 1);
        const cut = text.slice(0, Math.floor(text.length * at));
        const collected = readAt(encoder.encode(cut), cuts, 'x.json');
        expectContract(collected);
        const got = collected.records.map((r) => r.record);
        // Through JSON text, as the reader sees them (JSON.stringify writes -0 as 0).
        expect(got).toEqual(elements.slice(0, got.length).map((e) => JSON.parse(JSON.stringify(e)) as unknown));
        // However it was cut (inside an element or between two), the truncation is reported.
        if (cut.length > 0 && cut.length < text.length) expect(collected.malformed.map((m) => m.reason).join('\n')).toMatch(/is the file truncated\?/);
      }),
      { numRuns: 200 * RUNS },
    );
  }, TIMEOUT);
});

describe('the engine on random CSV', () => {
  const repo = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
  const hunt = parseHunt(readFileSync(repo('public/hunts/cloudflare-tunnel-webdav.md'), 'utf8'));
  const query = hunt.queries.find((q) => q.supported)?.code ?? '';
  const cellArb = fc.oneof(
    fc.constantFrom('PROCESS', 'PROCESS_START', 'AGENT_OS_WINDOWS', 'cmd.exe', 'powershell.exe', '1751241601000', '2025-06-30 10:00:00 UTC', 'NULL', 'TRUE', ''),
    fc.constantFrom('cmd /c net use \\\\h.trycloudflare.com@SSL\\x', 'webdav cloudflare', '\\\\\\\\', 'İ net use trycloudflare.com'),
    trickyText.map((t) => t.slice(0, 40)),
  );
  const spans = (node: ExplainNode, into: MatchSpan[] = []): MatchSpan[] => {
    into.push(...node.matches);
    for (const child of node.children) spans(child, into);
    return into;
  };

  it('never throws; hits, rows and spans stay consistent', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cellArb, { minLength: 10, maxLength: 14 }), { maxLength: 25 }),
        fc.constantFrom(',', '\t', ';'),
        fc.boolean(),
        cutsArb,
        async (rows, delimiter, quoteAll, cuts) => {
          const cell = (text: string): string => (quoteAll || /["\r\n,;\t]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
          // Some rows are written raw (unquoted) so quotes and delimiters in them break the structure.
          const lines = rows.map((cells, i) => (i % 5 === 4 ? cells.join(delimiter) : cells.map(cell).join(delimiter)));
          const text = `${XDR_COLUMNS.join(delimiter)}\n${lines.join('\n')}\n`;
          const bytes = encoder.encode(text);
          const sizes = cuts.length > 0 ? cuts.map((c) => c + 1) : [1 << 20];
          for (const coverage of [true, false]) {
            const result = await runHunt(query, [bytesInput('fuzz.csv', bytes, sizes)], { coverage });
            expect(result.hits.length).toBeLessThanOrEqual(result.stats.rows);
            expect(result.stats.rows + result.stats.malformed).toBeGreaterThanOrEqual(0);
            for (const hit of result.hits) {
              for (const span of hit.explanation.clauses.flatMap((c) => spans(c))) {
                const value = hit.raw[span.field];
                expect(typeof value).toBe('string');
                expect(span.start).toBeGreaterThanOrEqual(0);
                expect(span.end).toBeLessThanOrEqual((value as string).length);
              }
            }
          }
        },
      ),
      { numRuns: 150 * RUNS },
    );
  }, TIMEOUT);
});
