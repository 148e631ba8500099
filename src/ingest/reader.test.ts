import { describe, expect, it, vi } from 'vitest';
import { gzipSync } from 'fflate';
import { concatBytes } from './bytes';
import { readBytes, readEverywhere } from './test-helpers';

/** A stand-in XML parser: records the text it is given, so the dispatch itself is tested here. */
const xmlPushed: string[] = [];
vi.mock('./xml-events', () => ({
  createXmlEventParser: (sink: { columns(columns: string[]): void }) => ({
    push: (text: string) => {
      xmlPushed.push(text);
    },
    end: () => sink.columns(['xml']),
  }),
}));

const CSV = 'agent_hostname,action_process_image_command_line\nh1,"cmd /c ""x"", y"\nh2,ü日🎉\n';
const EXPECTED = [
  { agent_hostname: 'h1', action_process_image_command_line: 'cmd /c "x", y' },
  { agent_hostname: 'h2', action_process_image_command_line: 'ü日🎉' },
];
const records = (collected: ReturnType<typeof readBytes>): unknown[] => collected.records.map((entry) => entry.record);


function utf16(text: string, bigEndian: boolean, bom: boolean): Uint8Array {
  const units = (bom ? '\uFEFF' : '') + text;
  const out = new Uint8Array(units.length * 2);
  for (let i = 0; i < units.length; i++) {
    const code = units.charCodeAt(i);
    out[2 * i + (bigEndian ? 1 : 0)] = code & 0xff;
    out[2 * i + (bigEndian ? 0 : 1)] = code >> 8;
  }
  return out;
}

const encoder = new TextEncoder();

describe('byte reader: compression', () => {
  it('reads gzip by magic bytes, whatever the file is called', () => {
    const result = readEverywhere(gzipSync(encoder.encode(CSV)), 'export.csv');
    expect(result.format).toEqual({ format: 'csv', compression: 'gzip', encoding: 'utf-8', bom: false });
    expect(records(result)).toEqual(EXPECTED);
  });

  it('reads concatenated gzip members', () => {
    const first = gzipSync(encoder.encode('{"a":1}\n'));
    const second = gzipSync(encoder.encode('{"a":2}\n'));
    expect(records(readEverywhere(concatBytes([first, second]), 'results.gz'))).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('keeps the records of a truncated gzip stream and reports the truncation', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(i % 50) })).join('\n');
    const compressed = gzipSync(encoder.encode(lines));
    const result = readBytes(compressed.subarray(0, Math.floor(compressed.length / 2)), [1000], 'results.gz');
    expect(result.records.length).toBeGreaterThan(100);
    expect(result.records.slice(0, 3).map((entry) => entry.record)).toEqual([{ i: 0, pad: '' }, { i: 1, pad: 'x' }, { i: 2, pad: 'xx' }]);
    expect(result.malformed.at(-1)?.reason).toBe('truncated gzip stream');
    const tiny = readBytes(compressed.subarray(0, 2000), [3], 'results.gz');
    expect(tiny.malformed.at(-1)?.reason).toBe('truncated gzip stream');
  });
});

describe('byte reader: encodings', () => {
  it('strips a UTF-8 BOM', () => {
    const result = readEverywhere(concatBytes([new Uint8Array([0xef, 0xbb, 0xbf]), encoder.encode(CSV)]));
    expect(result.format).toMatchObject({ encoding: 'utf-8', bom: true });
    expect(result.columns).toEqual(['agent_hostname', 'action_process_image_command_line']);
    expect(records(result)).toEqual(EXPECTED);
  });

  it('reads UTF-16 LE and BE with and without BOM', () => {
    for (const bigEndian of [false, true]) {
      for (const bom of [true, false]) {
        const result = readEverywhere(utf16(CSV, bigEndian, bom));
        expect(result.format).toMatchObject({ encoding: bigEndian ? 'utf-16be' : 'utf-16le', bom });
        expect(records(result)).toEqual(EXPECTED);
        expect(result.warnings).toEqual([]);
      }
    }
  });

  it('reads PowerShell 5.1 style UTF-16 LE TSV with CRLF', () => {
    const result = readEverywhere(utf16('Id\tMessage\r\n1\t"a\r\nb"\r\n', false, true));
    expect(result.format?.format).toBe('tsv');
    expect(records(result)).toEqual([{ Id: '1', Message: 'a\r\nb' }]);
  });

  it('replaces invalid UTF-8 and warns once with a count and the first line', () => {
    const bytes = concatBytes([encoder.encode('a,b\n1,ok\n2,'), new Uint8Array([0xff, 0xfe, 0x41]), encoder.encode('\n3,'), new Uint8Array([0xc3]), encoder.encode(',\n4,\uFFFD\n')]);
    const result = readEverywhere(bytes);
    expect(records(result)).toEqual([{ a: '1', b: 'ok' }, { a: '2', b: '\uFFFD\uFFFDA' }, { a: '3', b: '\uFFFD' }, { a: '4', b: '\uFFFD' }]);
    expect(result.warnings).toEqual([{ line: 3, message: 'invalid UTF-8 replaced by U+FFFD (3 sequences)' }]);
  });

  it('does not warn about a genuine U+FFFD', () => {
    expect(readEverywhere('a\n\uFFFD\n').warnings).toEqual([]);
  });
});

describe('byte reader: sniffing', () => {
  it('reads a .csv that really holds JSON as JSON', () => {
    expect(readEverywhere('  \n[{"a":1}]', 'export.csv').format?.format).toBe('json-array');
    expect(readEverywhere('{"a":1}\n', 'export.csv').format?.format).toBe('ndjson');
    expect(readEverywhere('{ "reply" : {"results":{"data":[]}}}', 'export.csv').format?.format).toBe('xql-api');
  });

  it('rejects binary data with one malformed report and ignores the rest', () => {
    const binary = concatBytes([encoder.encode('ElfChnk\0'), new Uint8Array(200).map((_, i) => i % 7), encoder.encode('\na,b\n')]);
    const result = readEverywhere(binary, 'Security.evtx');
    expect(result.malformed).toEqual([{ line: 1, reason: 'binary data, not a text export (EVTX must be exported to XML, CSV or JSON first)' }]);
    expect(result.columns).toEqual([]);
    expect(result.records).toEqual([]);
    expect(result.format).toBeNull();
    const gzBinary = readEverywhere(gzipSync(new Uint8Array(5000).map((_, i) => (i * 31) % 256)), 'x.gz');
    expect(gzBinary.malformed[0].reason).toBe('binary data, not a text export');
  });

  it('handles an empty file, whitespace-only file and a header-only file', () => {
    for (const input of ['', '\n\n', 'a,b']) {
      const result = readEverywhere(input);
      expect(result.columnsCalls).toBe(1);
      expect(result.records).toEqual([]);
      expect(result.malformed).toEqual([]);
    }
    expect(readEverywhere(new Uint8Array([0xef, 0xbb, 0xbf])).columns).toEqual([]);
  });

  it('dispatches XML event exports to the XML parser with all the text', () => {
    xmlPushed.length = 0;
    const xml = '\uFEFF\n<Events><Event><Data Name="CommandLine">cmd &amp; x</Data></Event></Events>';
    const result = readBytes(xml, [3], 'events.txt');
    expect(result.format?.format).toBe('xml-events');
    expect(xmlPushed.join('')).toBe('\n<Events><Event><Data Name="CommandLine">cmd &amp; x</Data></Event></Events>');
    expect(result.columns).toEqual(['xml']);
  });

  it('streams a large file without losing records across sniff and chunk boundaries', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i},"c ${i}, ""q"""`);
    const result = readBytes(`n,cmd\n${rows.join('\r\n')}\r\n`, [65_537, 10_000, 3]);
    expect(result.records.length).toBe(20_000);
    expect(result.records[19_999]).toEqual({ record: { n: '19999', cmd: 'c 19999, "q"' }, line: 20_001, rawText: '19999,"c 19999, ""q"""' });
  });
});
