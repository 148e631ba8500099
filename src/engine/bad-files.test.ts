import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseHunt } from '../hunt';
import { STREAM_ID_MESSAGE } from '../ingest';
import { XDR_COLUMNS, badFiles, goodRecords, toCsv } from '../../scripts/gen-hostile';
import { runHunt } from './run';
import { bytesInput, textInput } from './test-inputs';
import type { RunResult } from './types';

const repo = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const hunt = parseHunt(readFileSync(repo('public/hunts/cloudflare-tunnel-webdav.md'), 'utf8'));
const query = hunt.queries.find((q) => q.supported)?.code ?? '';
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(repo(`test/fixtures/bad/${name}`)));
const TIMEOUT = 10_000;

interface Problem {
  line: number;
  reason: RegExp;
}

interface BadCase {
  file: string;
  /** malformedSamples, in order. */
  malformed: Problem[];
  /** Warnings other than missing-column ones, as `file:line: message`. */
  warnings: Problem[];
  rows: number;
  hits: string[];
  format: string | null;
  /** The outcome depends on the chunking (only the whole-file read is in the table). */
  chunkDependent?: boolean;
  /**
   * The fast path (coverage: false, src/ingest/candidates.ts, the CLI's default) has its own gzip
   * stage, which does not yet report this (fflate ends a cut-off stream silently).
   */
}

const hitsOf = (prefix: string, ...rows: number[]): string[] => rows.map((n) => `${prefix}-${n}`);
const BINARY = /^binary data, not a text export$/;

const CASES: readonly BadCase[] = [
  // 200 rows gzipped and cut in half: the rows before the cut are kept, the cut row is reported.
  { file: 'truncated.csv.gz', malformed: [{ line: 84, reason: /^unterminated quoted field$/ }, { line: 84, reason: /^truncated gzip stream$/ }], warnings: [], rows: 82, hits: hitsOf('gz', 2, 5, 9), format: 'csv' },
  // One deflate block: read whole, a corrupt block yields nothing before the error (chunked: see below).
  { file: 'corrupt.csv.gz', malformed: [{ line: 1, reason: /^corrupt gzip stream \(invalid distance\)$/ }], warnings: [], rows: 0, hits: [], format: 'csv', chunkDependent: true },
  { file: 'empty.csv.gz', malformed: [], warnings: [{ line: 1, reason: /^empty file \(0 bytes\)$/ }], rows: 0, hits: [], format: 'csv' },
  { file: 'empty-stream.csv.gz', malformed: [], warnings: [{ line: 1, reason: /^the gzip stream holds no data$/ }], rows: 0, hits: [], format: 'csv' },
  { file: 'bad-line.ndjson', malformed: [{ line: 4, reason: /^invalid JSON: Unexpected token 'P'/ }], warnings: [], rows: 6, hits: hitsOf('nd', 2, 5), format: 'ndjson' },
  {
    file: 'not-objects.ndjson',
    malformed: [
      { line: 2, reason: /^not a JSON object \(found an array\)$/ },
      { line: 3, reason: /^not a JSON object \(found number\)$/ },
      { line: 4, reason: /^not a JSON object \(found string\)$/ },
    ],
    warnings: [],
    rows: 2,
    hits: hitsOf('nd', 2),
    format: 'ndjson',
  },
  {
    file: 'ragged.csv',
    malformed: [
      { line: 3, reason: /^expected 12 fields, found 5$/ },
      { line: 7, reason: /^expected 12 fields, found 14$/ },
    ],
    warnings: [],
    rows: 8,
    hits: hitsOf('rag', 5, 9),
    format: 'csv',
  },
  // The quote opens on line 4 and never closes: reported there, reading resumes on line 5.
  { file: 'unterminated-quote.csv', malformed: [{ line: 4, reason: /^unterminated quoted field$/ }], warnings: [], rows: 9, hits: hitsOf('quote', 2, 5, 9), format: 'csv' },
  { file: 'random.bin', malformed: [{ line: 1, reason: BINARY }], warnings: [], rows: 0, hits: [], format: null },
  { file: 'screenshot.png', malformed: [{ line: 1, reason: BINARY }], warnings: [], rows: 0, hits: [], format: null },
  { file: 'export.csv.png', malformed: [{ line: 1, reason: BINARY }], warnings: [], rows: 0, hits: [], format: null },
  { file: 'Security.evtx', malformed: [{ line: 1, reason: /^binary data, not a text export \(EVTX must be exported to XML, CSV or JSON first\)$/ }], warnings: [], rows: 0, hits: [], format: null },
  { file: 'empty.csv', malformed: [], warnings: [{ line: 1, reason: /^empty file \(0 bytes\)$/ }], rows: 0, hits: [], format: 'csv' },
  { file: 'blank.csv', malformed: [], warnings: [{ line: 1, reason: /^no header row \(only blank or preamble lines\)$/ }], rows: 0, hits: [], format: 'csv' },
  { file: 'header-only.csv', malformed: [], warnings: [{ line: 1, reason: /^only a header row, no records$/ }], rows: 0, hits: [], format: 'csv' },
  { file: 'mixed-encoding.csv', malformed: [], warnings: [{ line: 2, reason: /^invalid UTF-8 replaced by U\+FFFD \(2 sequences\)$/ }], rows: 4, hits: hitsOf('latin', 2), format: 'csv' },
  { file: 'really-json.csv', malformed: [], warnings: [], rows: 4, hits: hitsOf('json', 2), format: 'json-array' },
  { file: 'truncated-array.json', malformed: [{ line: 58, reason: /^unterminated JSON element \(is the file truncated\?\)$/ }], warnings: [], rows: 4, hits: hitsOf('arr', 2), format: 'json-array' },
  { file: 'stream-id.json', malformed: [{ line: 1, reason: new RegExp(`^${STREAM_ID_MESSAGE.replace(/[()]/g, '\\$&')}$`) }], warnings: [], rows: 0, hits: [], format: 'xql-api' },
  { file: 'xql-api-error.json', malformed: [{ line: 1, reason: /^no reply\.results\.data array in this XQL API response$/ }], warnings: [], rows: 0, hits: [], format: 'xql-api' },
  { file: 'utf16le-no-bom.csv', malformed: [], warnings: [], rows: 4, hits: hitsOf('u16le', 2), format: 'csv' },
  { file: 'utf16be-no-bom.csv', malformed: [], warnings: [], rows: 4, hits: hitsOf('u16be', 2), format: 'csv' },
  { file: 'cr-only.csv', malformed: [], warnings: [{ line: 1, reason: /^CR-only line endings \(classic Mac\); each CR read as a line break$/ }], rows: 4, hits: hitsOf('cr', 2), format: 'csv' },
];

function otherWarnings(result: RunResult): string[] {
  return result.stats.warnings.filter((w) => !w.includes(': the export has no column'));
}

function expectOutcome(result: RunResult, c: BadCase, fileIndex = 0): void {
  const stats = result.stats.files[fileIndex];
  expect(stats.name).toBe(c.file);
  expect(stats.rows).toBe(c.rows);
  expect(stats.malformed).toBe(c.malformed.length);
  expect(stats.format?.format ?? null).toBe(c.format);
  const samples = result.stats.malformedSamples.filter((m) => m.file === c.file);
  expect(samples.map((m) => m.line)).toEqual(c.malformed.map((m) => m.line));
  samples.forEach((m, i) => expect(m.reason).toMatch(c.malformed[i].reason));
  const warnings = otherWarnings(result).filter((w) => w.startsWith(`${c.file}:`));
  expect(warnings).toHaveLength(c.warnings.length);
  warnings.forEach((w, i) => {
    const { line, reason } = c.warnings[i];
    expect(w.startsWith(`${c.file}:${line}: `), w).toBe(true);
    expect(w.slice(`${c.file}:${line}: `.length)).toMatch(reason);
  });
  expect(result.hits.filter((h) => h.source.file === c.file).map((h) => h.eventId).sort()).toEqual([...c.hits].sort());
}

describe('bad files (test/fixtures/bad, scripts/gen-hostile.ts)', () => {
  it('the committed fixtures are what the generator writes, and every one has a case', () => {
    const generated = badFiles();
    for (const file of generated) expect(fixture(file.name), file.name).toEqual(file.bytes);
    const covered = new Set([...CASES.map((c) => c.file), 'unknown-columns.csv']);
    expect(generated.map((f) => f.name).filter((name) => !covered.has(name))).toEqual([]);
    for (const file of generated) expect(file.bytes.length, file.name).toBeLessThan(8 * 1024);
  });

  for (const coverage of [true, false]) {
    for (const c of CASES) {
      for (const chunks of c.chunkDependent ? [[1 << 20]] : [[1 << 20], [1, 2, 3, 4, 5, 6, 7]]) {
        const what = c.malformed.map((m) => `${m.line}: ${m.reason.source}`).join('; ') || c.warnings.map((w) => w.reason.source).join('; ') || 'read';
        const name = `${c.file} (coverage ${coverage}, chunks ${chunks.join(',')}): ${what}`;
        it(
          name,
          async () => {
            const result = await runHunt(query, [bytesInput(c.file, fixture(c.file), chunks)], { coverage });
            expectOutcome(result, c);
          },
          TIMEOUT,
        );
      }
    }
  }

  it('corrupt gzip read in pieces: the rows before the damage are kept and the stream is reported', async () => {
    for (const chunks of [[1], [7], [100], [1000], [1, 2, 3, 4, 5, 6, 7]]) {
      const result = await runHunt(query, [bytesInput('corrupt.csv.gz', fixture('corrupt.csv.gz'), chunks)]);
      const samples = result.stats.malformedSamples;
      // fflate inflates what it can before it notices; without a CRC check some damage only shows
      // as a wrong length at the end, which the reader reports as truncation.
      expect(samples.at(-1)?.reason).toMatch(/^(corrupt gzip stream \(invalid distance\)|truncated gzip stream)$/);
      expect(result.stats.rows).toBeGreaterThanOrEqual(60);
      expect(result.hits.map((h) => h.eventId).sort()).toEqual(['gz-2', 'gz-5', 'gz-9']);
    }
  }, TIMEOUT);

  it('a file no profile recognises is reported and passed over; the other files are still read', async () => {
    const good = bytesInput('ragged.csv', fixture('ragged.csv'));
    const result = await runHunt(query, [bytesInput('unknown-columns.csv', fixture('unknown-columns.csv')), good]);
    expect(result.stats.malformedSamples[0]).toMatchObject({ file: 'unknown-columns.csv', line: 1 });
    expect(result.stats.malformedSamples[0]?.reason).toMatch(/^no profile recognises these columns \(.+\); the file was not read$/);
    expect(result.hits.length).toBeGreaterThan(0);
    expect(new Set(result.hits.map((h) => h.source.file))).toEqual(new Set(['ragged.csv']));
  }, TIMEOUT);

  it('in strict mode a file no profile recognises fails the run with one line naming it', async () => {
    await expect(runHunt(query, [bytesInput('unknown-columns.csv', fixture('unknown-columns.csv'))], { strict: true })).rejects.toThrow(
      /^unknown-columns\.csv: no profile recognises these columns \(/,
    );
  }, TIMEOUT);

  it('every bad file in one run between good files: each keeps its counts, the good files all their hits', async () => {
    const good = (name: string): { input: ReturnType<typeof textInput>; hits: string[] } => ({
      input: textInput(name, toCsv(XDR_COLUMNS, goodRecords(name, 10))),
      hits: [2, 5, 9].map((n) => `${name}-${n}`),
    });
    const before = good('good-before');
    const after = good('good-after');
    const inputs = [before.input, ...CASES.map((c) => bytesInput(c.file, fixture(c.file))), after.input];
    const result = await runHunt(query, inputs);
    CASES.forEach((c, i) => expectOutcome(result, c, i + 1));
    for (const g of [before, after]) expect(result.hits.filter((h) => h.source.file === g.input.name).map((h) => h.eventId).sort()).toEqual([...g.hits].sort());
    expect(result.stats.rows).toBe(20 + CASES.reduce((sum, c) => sum + c.rows, 0));
    expect(result.stats.malformed).toBe(CASES.reduce((sum, c) => sum + c.malformed.length, 0));
  }, TIMEOUT);

  it('a bad line between good ones keeps the line numbers of the good rows', async () => {
    const result = await runHunt(query, [bytesInput('bad-line.ndjson', fixture('bad-line.ndjson'))]);
    expect(result.hits.map((h) => [h.eventId, h.source.line, h.source.row])).toEqual(
      expect.arrayContaining([
        ['nd-2', 2, 2],
        ['nd-5', 6, 5],
      ]),
    );
  }, TIMEOUT);
});
