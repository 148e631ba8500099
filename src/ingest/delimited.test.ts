import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import { DelimitedScanner, createRecordScan, sniffDelimiter } from './delimited';
import { collectingSink, readBytes, readEverywhere } from './test-helpers';
import { createByteReader } from './reader';


const values = (collected: ReturnType<typeof readBytes>): unknown[] => collected.records.map((entry) => entry.record);

describe('delimited reader', () => {
  it('reads RFC 4180 CSV: quoted commas, doubled quotes, CRLF and LF inside quotes', () => {
    const text = 'a,b,c\r\n1,"x, y","say ""hi"""\r\n2,"line1\r\nline2","l1\nl2"\r\n3,,\r\n';
    const result = readEverywhere(text);
    expect(result.format).toEqual({ format: 'csv', compression: 'none', encoding: 'utf-8', bom: false });
    expect(result.columns).toEqual(['a', 'b', 'c']);
    expect(values(result)).toEqual([
      { a: '1', b: 'x, y', c: 'say "hi"' },
      { a: '2', b: 'line1\r\nline2', c: 'l1\nl2' },
      { a: '3', b: '', c: '' },
    ]);
    expect(result.records.map((entry) => entry.line)).toEqual([2, 3, 6]);
    expect(result.records[0].rawText).toBe('1,"x, y","say ""hi"""');
    expect(result.records[1].rawText).toBe('2,"line1\r\nline2","l1\nl2"');
    expect(result.malformed).toEqual([]);
  });

  it('reads a last line without a line break and keeps surrounding spaces in cells', () => {
    const result = readEverywhere('a,b\n x ,"y"\n1,2');
    expect(values(result)).toEqual([{ a: ' x ', b: 'y' }, { a: '1', b: '2' }]);
  });

  it('sniffs tab and semicolon delimiters from the header line', () => {
    const tsv = readEverywhere('_time\tagent_hostname\tcmd\n1\thost\t"a\tb"\n');
    expect(tsv.format?.format).toBe('tsv');
    expect(values(tsv)).toEqual([{ _time: '1', agent_hostname: 'host', cmd: 'a\tb' }]);
    const semicolon = readEverywhere('a;b;"c;d"\n1;2,5;3\n');
    expect(semicolon.format?.format).toBe('semicolon');
    expect(semicolon.columns).toEqual(['a', 'b', 'c;d']);
    expect(values(semicolon)).toEqual([{ a: '1', b: '2,5', 'c;d': '3' }]);
    expect(sniffDelimiter('"a,b";c;d')).toBe(';');
    expect(sniffDelimiter('single')).toBe(',');
  });

  it('skips Excel sep= and PowerShell #TYPE preamble lines', () => {
    expect(readEverywhere('sep=;\na;b\n1;2\n').columns).toEqual(['a', 'b']);
    const typed = readEverywhere('#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\n"Id","Message"\n"1","x"\n');
    expect(values(typed)).toEqual([{ Id: '1', Message: 'x' }]);
  });

  it('reports ragged rows and keeps the others; tolerates trailing empty cells', () => {
    const result = readEverywhere('a,b,c\n1,2,3\n1,2\n1,2,3,4\n4,5,6,,\n7,8,9\n');
    expect(values(result)).toEqual([{ a: '1', b: '2', c: '3' }, { a: '4', b: '5', c: '6' }, { a: '7', b: '8', c: '9' }]);
    expect(result.malformed).toEqual([
      { line: 3, reason: 'expected 3 fields, found 2' },
      { line: 4, reason: 'expected 3 fields, found 4' },
    ]);
  });

  it('ignores blank lines and names empty or repeated header cells', () => {
    const result = readEverywhere('\na,,a\n\n1,2,3\n\n');
    expect(result.columns).toEqual(['a', 'column_2', 'a_2']);
    expect(result.records).toEqual([{ record: { a: '1', column_2: '2', a_2: '3' }, line: 4, rawText: '1,2,3' }]);
  });

  it('recovers from an unterminated quote at EOF: reports the opening line and keeps rows after it', () => {
    const result = readEverywhere('a,b\n1,2\n3,"broken\n4,5\n6,7\n');
    expect(result.malformed).toEqual([{ line: 3, reason: 'unterminated quoted field' }]);
    expect(values(result)).toEqual([{ a: '1', b: '2' }, { a: '4', b: '5' }, { a: '6', b: '7' }]);
    expect(result.records.map((entry) => entry.line)).toEqual([2, 4, 5]);
  });

  it('recovers from an unterminated quote at the line cap without waiting for EOF', () => {
    const rows = Array.from({ length: 10_050 }, (_, i) => `${i},x`);
    const text = `a,b\n0,"open\n${rows.join('\n')}\n`;
    const { sink, collected: result } = collectingSink();
    const reader = createByteReader('big.csv', sink);
    const bytes = new TextEncoder().encode(text);
    for (let offset = 0; offset < bytes.length; offset += 4096) reader.push(bytes.subarray(offset, offset + 4096));
    // Recovered before end(): the open quote hit the 10,000-line cap.
    expect(result.records.length).toBeGreaterThan(0);
    reader.end();
    expect(result.malformed).toEqual([{ line: 2, reason: 'unterminated quoted field' }]);
    expect(result.records.length).toBe(10_050);
    expect(result.records[0]).toEqual({ record: { a: '0', b: 'x' }, line: 3, rawText: '0,x' });
  });

  it('pairs a stray quote with the next quote, as RFC 4180 says, and reports the merged record', () => {
    const result = readEverywhere('a,b\n"x,1\n2,3\n4,"y\n5,6\n');
    expect(result.malformed).toEqual([{ line: 2, reason: 'expected 2 fields, found 1' }]);
    expect(result.records).toEqual([{ record: { a: '5', b: '6' }, line: 5, rawText: '5,6' }]);
  });

  it('delivers header-only and empty files as columns without records', () => {
    const headerOnly = readEverywhere('a,b,c\r\n');
    expect(headerOnly.columns).toEqual(['a', 'b', 'c']);
    expect(headerOnly.records).toEqual([]);
    const empty = readEverywhere('');
    expect(empty.columns).toEqual([]);
    expect(empty.columnsCalls).toBe(1);
    expect(empty.records).toEqual([]);
    expect(empty.malformed).toEqual([]);
  });

  it('handles non-ASCII text split across chunks', () => {
    const result = readEverywhere('name,city\n"Ünïcødé, 日本",Zürich 🎉\n');
    expect(values(result)).toEqual([{ name: 'Ünïcødé, 日本', city: 'Zürich 🎉' }]);
  });

  it('scans single records at given positions (the entry point for the literal prefilter)', () => {
    const text = 'h1,h2\n1,2\n"a\nb",c\n';
    const scanner = new DelimitedScanner(',');
    scanner.setText(text);
    const scan = createRecordScan();
    scanner.scan(text.indexOf('"'), true, scan);
    expect(scan).toMatchObject({ status: 'complete', cells: ['a\nb', 'c'], lineBreaks: 2, end: text.length });
    scanner.setText(text); // positions may only move forward between setText calls
    scanner.scan(0, false, scan);
    expect(scan.cells).toEqual(['h1', 'h2']);
    scanner.scan(6, false, scan);
    expect(scan).toMatchObject({ status: 'complete', cells: ['1', '2'], contentEnd: 9, end: 10 });
    scanner.setText('x,"open');
    scanner.scan(0, false, scan);
    expect(scan).toMatchObject({ status: 'need-more', openQuoteAt: 2 });
    scanner.scan(0, true, scan);
    expect(scan).toMatchObject({ status: 'unterminated', openQuoteAt: 2 });
  });
});

describe('delimited reader against papaparse (property)', () => {
  const cellChars = fc.constantFrom('a', 'Z', '0', ' ', ',', '"', '\r', '\n', '\r\n', ';', '\t', 'é', '日', '🎉', 'x');
  const cell = fc.array(cellChars, { maxLength: 8 }).map((parts) => parts.join(''));
  const table = fc.integer({ min: 2, max: 5 }).chain((width) =>
    fc.tuple(
      fc.array(fc.string({ minLength: 1, maxLength: 6 }).filter((name) => /^[a-z_]+$/.test(name)), { minLength: width, maxLength: width }),
      fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 12 }),
    ),
  );

  it('matches papaparse on random tables, newline styles and chunkings', () => {
    fc.assert(
      fc.property(table, fc.constantFrom('\n', '\r\n'), fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }), ([rawHeader, rows], newline, chunks) => {
        const header = rawHeader.map((name, i) => `${name}${i}`);
        const text = Papa.unparse([header, ...rows], { newline }) + newline;
        const expected = Papa.parse<string[]>(text, { newline, delimiter: ',', skipEmptyLines: false }).data.filter((row) => !(row.length === 1 && row[0] === ''));
        const result = readBytes(text, chunks);
        expect(result.malformed).toEqual([]);
        expect(result.columns).toEqual(expected[0]);
        expect(result.records.map((entry) => header.map((name) => entry.record[name]))).toEqual(expected.slice(1));
      }),
      { numRuns: 300 },
    );
  });
});

describe('delimited reader record keys', () => {
  it('keeps a __proto__ header as an ordinary column', () => {
    const result = readEverywhere('__proto__,b\nx,y\n');
    const record = result.records[0].record;
    expect(Object.keys(record)).toEqual(['__proto__', 'b']);
    expect(Object.getOwnPropertyDescriptor(record, '__proto__')?.value).toBe('x');
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
  });
});

describe('delimited reader scaling', () => {
  it('reads a single-column file with and without quotes in linear time', () => {
    const plain = `only\n${Array.from({ length: 100_000 }, (_, i) => `v${i}`).join('\n')}\n`;
    const quoted = `only\n${Array.from({ length: 50_000 }, (_, i) => `"v ${i}"`).join('\n')}\n`;
    const started = performance.now();
    expect(readBytes(plain, [65_536]).records.length).toBe(100_000);
    expect(readBytes(quoted, [65_536]).records.length).toBe(50_000);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
