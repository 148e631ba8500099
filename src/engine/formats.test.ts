import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'fflate';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { parseHunt } from '../hunt';
import { runHunt } from './run';
import { bytesInput } from './test-inputs';

/**
 * The sample export written out in every format the readers know, each run end to end through the
 * engine with the bundled hunt: the hits must be exactly the generator's, whatever the wrapping.
 */
const repo = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const query = parseHunt(readFileSync(repo('public/hunts/cloudflare-tunnel-webdav.md'), 'utf8')).queries[0]?.code ?? '';
const expected = JSON.parse(readFileSync(repo('public/samples/xdr-sample.expected.json'), 'utf8')) as {
  hitsXql: string[];
  hitsBackslash: string[];
};
const records = readFileSync(repo('public/samples/xdr-sample.ndjson'), 'utf8')
  .split('\n')
  .filter((line) => line.length > 0)
  .map((line) => JSON.parse(line) as Record<string, unknown>);
const columns = Object.keys(records[0] ?? {});
const cell = (value: unknown): string => (value === null || value === undefined ? '' : String(value));
const delimited = (delimiter: string, newline = '\n'): string =>
  Papa.unparse({ fields: columns, data: records.map((r) => columns.map((c) => cell(r[c]))) }, { delimiter, newline });

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
function utf16(text: string, bigEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(2 + text.length * 2);
  bytes.set(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    bytes[2 + i * 2] = bigEndian ? code >> 8 : code & 0xff;
    bytes[3 + i * 2] = bigEndian ? code & 0xff : code >> 8;
  }
  return bytes;
}

const upperHeaders = (text: string): string => {
  const newline = text.indexOf('\n');
  return text.slice(0, newline).toUpperCase() + text.slice(newline);
};

const FORMATS: [string, string, () => Uint8Array][] = [
  ['CSV, CRLF', 'export.csv', () => utf8(delimited(',', '\r\n'))],
  ['TSV', 'export.tsv', () => utf8(delimited('\t'))],
  ['semicolon CSV', 'export.csv', () => utf8(delimited(';'))],
  ['CSV with upper-case headers', 'export.csv', () => utf8(upperHeaders(delimited(',')))],
  ['JSON array', 'export.json', () => utf8(JSON.stringify(records, null, 1))],
  ['XQL API response', 'reply.json', () => utf8(JSON.stringify({ reply: { status: 'SUCCESS', number_of_results: records.length, results: { data: records } } }))],
  ['NDJSON.gz', 'results.gz', () => gzipSync(utf8(records.map((r) => JSON.stringify(r)).join('\n')))],
  ['UTF-8 with BOM', 'bom.csv', () => utf8(`\uFEFF${delimited(',')}`)],
  ['UTF-16 LE with BOM', 'utf16le.csv', () => utf16(delimited('\t'), false)],
  ['UTF-16 BE with BOM', 'utf16be.csv', () => utf16(delimited(','), true)],
  ['a .csv that is really NDJSON', 'mislabelled.csv', () => utf8(records.map((r) => JSON.stringify(r)).join('\n'))],
];

describe('every format gives the same hits', () => {
  for (const [label, name, make] of FORMATS) {
    it(label, async () => {
      const bytes = make();
      for (const coverage of [true, false]) {
        const xql = await runHunt(query, [bytesInput(name, bytes, [65_537])], { coverage });
        expect(xql.hits.map((h) => h.eventId), `${label}, coverage ${coverage}`).toEqual(expected.hitsXql);
        expect(xql.stats.malformed).toBe(0);
        expect(xql.stats.rows).toBe(records.length);
        const backslash = await runHunt(query, [bytesInput(name, bytes, [65_537])], { coverage, escapes: 'backslash' });
        expect(backslash.hits.map((h) => h.eventId)).toEqual(expected.hitsBackslash);
      }
    });
  }
});
