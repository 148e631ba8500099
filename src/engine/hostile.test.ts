import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseHunt } from '../hunt';
import type { ExplainNode, MatchSpan } from '../xql/plan';
import {
  HIT_COMMAND,
  HOSTILE_CASES,
  XDR_COLUMNS,
  bigValueCsv,
  bigValueNdjson,
  bigValueRecords,
  deepNdjson,
  hostileFiles,
  hostileRows,
  longLineCsv,
  longLineNdjson,
  protoNdjson,
  wideCsv,
  type XdrRecord,
} from '../../scripts/gen-hostile';
import { createByteReader } from '../ingest';
import { runHunt } from './run';
import { bytesInput, textInput } from './test-inputs';
import type { Hit, RunResult } from './types';

const repo = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const hunt = parseHunt(readFileSync(repo('public/hunts/cloudflare-tunnel-webdav.md'), 'utf8'));
const query = hunt.queries.find((q) => q.supported)?.code ?? '';
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(repo(`test/fixtures/hostile/${name}`)));
/** Index of the image-name clause in the bundled hunt's filter (the one near misses fail). */
const IMAGE_CLAUSE = 5;
const CHUNKINGS: readonly (readonly number[])[] = [[1 << 20], [1, 2, 3, 5, 7, 4093], [64 * 1024 - 1]];

function spansOf(node: ExplainNode, into: MatchSpan[] = []): MatchSpan[] {
  into.push(...node.matches);
  for (const child of node.children) spansOf(child, into);
  return into;
}

/** Every span lies within its value and covers the literal (the hunt is case-insensitive). */
function expectSpansWithin(hit: Hit, values: Readonly<Record<string, unknown>>): void {
  const spans = hit.explanation.clauses.flatMap((clause) => spansOf(clause));
  expect(spans.length).toBeGreaterThan(0);
  for (const span of spans) {
    const value = values[span.field];
    expect(typeof value, `${hit.eventId} ${span.field}`).toBe('string');
    const text = value as string;
    expect(span.start).toBeGreaterThanOrEqual(0);
    expect(span.end).toBeLessThanOrEqual(text.length);
    expect(span.end).toBeGreaterThan(span.start);
    expect(text.slice(span.start, span.end).toLowerCase()).toBe(span.literal.toLowerCase());
  }
}

const STRING_FIELDS = XDR_COLUMNS.filter((c) => c !== '_time' && !c.startsWith('event_') && c !== 'agent_os_type');

function expectExactHit(hit: Hit, record: XdrRecord): void {
  // The whole original record, byte for byte: nothing stripped, decoded or normalised.
  expect(hit.raw).toEqual(record);
  for (const field of [...STRING_FIELDS, 'event_id']) expect(hit.fields[field], `${hit.eventId} ${field}`).toBe(record[field as keyof XdrRecord]);
  expect(hit.fields['_time']).toBe(Number(record._time));
  expectSpansWithin(hit, record);
}

function expectNotPolluted(): void {
  const probe: Record<string, unknown> = {};
  expect(probe['polluted']).toBeUndefined();
  expect(probe['isAdmin']).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_NAMES);
  expect(Object.prototype.toString).toBe(ORIGINAL_TO_STRING);
}
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();
const ORIGINAL_TO_STRING = Object.prototype.toString;

afterEach(expectNotPolluted);

describe('hostile corpus (scripts/gen-hostile.ts)', () => {
  it('the committed fixtures are what the generator writes', () => {
    for (const file of hostileFiles()) expect(new TextDecoder().decode(fixture(file.name)), file.name).toBe(file.text);
  });

  for (const format of ['csv', 'ndjson'] as const) {
    const rows = hostileRows(format);
    const byId = new Map(rows.map((r) => [r.record.event_id, r]));
    const expectedHits = rows.filter((r) => r.hit).map((r) => r.record.event_id).sort();
    const expectedMisses = rows.filter((r) => !r.hit).map((r) => r.record.event_id).sort();

    for (const chunks of CHUNKINGS) {
      for (const coverage of [true, false]) {
        it(`${format}, chunks ${chunks.join(',')}, coverage ${coverage}: every hit found, values byte-exact, spans inside`, async () => {
          const result = await runHunt(query, [bytesInput(`hostile.${format}`, fixture(`hostile.${format}`), chunks)], { coverage });
          expect(result.stats.malformedSamples).toEqual([]);
          expect(result.stats.warnings).toEqual([]);
          expect(result.stats.rows).toBe(rows.length);
          expect(result.hits.map((h) => h.eventId).sort()).toEqual(expectedHits);
          for (const hit of result.hits) {
            const row = byId.get(hit.eventId);
            expect(row).toBeDefined();
            if (row) expectExactHit(hit, row.record);
          }
          if (coverage) {
            expect(result.nearMisses.map((n) => n.eventId).sort()).toEqual(expectedMisses);
            for (const miss of result.nearMisses) expect(miss.failedClause).toBe(IMAGE_CLAUSE);
          }
        });
      }
    }
  }

  it('covers every hostile case in NDJSON and every CSV-encodable one in CSV', () => {
    const ndjsonCases = new Set(hostileRows('ndjson').map((r) => r.caseId));
    const csvCases = new Set(hostileRows('csv').map((r) => r.caseId));
    for (const c of HOSTILE_CASES) {
      expect(ndjsonCases.has(c.id)).toBe(true);
      expect(csvCases.has(c.id)).toBe(c.csv);
    }
    // The NDJSON fixture really carries lone surrogates as \ud800 escapes and NUL as \u0000.
    const ndjson = new TextDecoder().decode(fixture('hostile.ndjson'));
    expect(ndjson).toContain('\\ud800');
    expect(ndjson).toContain('\\u0000');
    expect(ndjson).toContain('\\u001b[31m');
  });

  it('hostile column names are kept as columns', async () => {
    const names = ['<img src=x onerror=alert(1)>', '\u202Eevil', '\u001b[31mred', '=HYPERLINK("x")', 'a\u200Bb'];
    const record = { ...Object.fromEntries(names.map((n, i) => [n, `v${i}`])), ...hostileRows('csv')[0].record };
    const header = Object.keys(record);
    const csv = `${header.map((h) => `"${h.replace(/"/g, '""')}"`).join(',')}\n${header.map((h) => `"${String(record[h as keyof typeof record]).replace(/"/g, '""')}"`).join(',')}\n`;
    for (const [name, text] of [
      ['names.csv', csv],
      ['names.ndjson', `${JSON.stringify(record)}\n`],
    ] as const) {
      const result = await runHunt(query, [textInput(name, text)]);
      expect(result.hits).toHaveLength(1);
      expect(result.hits[0].raw).toEqual(record);
    }
  });
});

describe('prototype-pollution keys', () => {
  const expectOwnProto = (value: unknown, expected: unknown): void => {
    expect(Object.hasOwn(value as object, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual(expected);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  };

  it('CSV headers __proto__, constructor, prototype, toString, hasOwnProperty stay columns', async () => {
    const result = await runHunt(query, [bytesInput('proto.csv', fixture('proto.csv'))]);
    expect(result.stats.malformed).toBe(0);
    expect(result.hits.map((h) => h.eventId).sort()).toEqual(['proto-csv-1', 'proto-csv-3']);
    for (const hit of result.hits) {
      const n = hit.eventId.slice(-1);
      expectOwnProto(hit.raw, `{"polluted":"yes-${n}"}`);
      expect(hit.raw['constructor']).toBe('polluted');
      expect(hit.raw['prototype']).toBe('polluted');
      expect(hit.raw['toString']).toBe('polluted');
      expect(hit.row['constructor']).toBe('polluted');
      expectOwnProto(hit.row, `{"polluted":"yes-${n}"}`);
    }
  });

  for (const shape of ['ndjson', 'json-array'] as const) {
    it(`JSON keys __proto__, constructor, prototype (${shape}) stay keys, never prototypes`, async () => {
      const ndjson = protoNdjson();
      const text = shape === 'ndjson' ? ndjson : `[\n${ndjson.trimEnd().split('\n').join(',\n')}\n]`;
      const result = await runHunt(query, [textInput(`proto.${shape === 'ndjson' ? 'ndjson' : 'json'}`, text)]);
      expect(result.stats.malformed).toBe(0);
      expect(result.stats.files[0].format?.format).toBe(shape);
      // proto-json-inherit has its event fields only under __proto__: they must not be inherited.
      expect(result.hits.map((h) => h.eventId).sort()).toEqual(['proto-json-1', 'proto-json-3']);
      for (const hit of result.hits) {
        expectOwnProto(hit.raw, { polluted: 'yes', isAdmin: true });
        expect(hit.raw['constructor']).toEqual({ prototype: { polluted: 'yes' } });
        const nested = hit.raw['nested'] as Record<string, unknown>;
        expectOwnProto(nested, { polluted: 'yes' });
        expectOwnProto(hit.row, { polluted: 'yes', isAdmin: true });
        expect(hit.row['isAdmin']).toBeUndefined();
        const rowNested = hit.row['nested'] as Record<string, unknown>;
        expectOwnProto(rowNested, { polluted: 'yes' });
        expectOwnProto((rowNested['a'] as unknown[])[0], { polluted: 'yes' });
      }
      const all = [...result.hits.map((h) => h.row), ...result.nearMisses.map((n) => n.row)];
      for (const row of all) expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    });
  }

  it('a record lacking a column named like an Object.prototype member reads null, not the member', async () => {
    const lines = [
      JSON.stringify({ ...hostileRows('ndjson')[0].record, constructor: 'c', toString: 't' }),
      JSON.stringify({ ...hostileRows('ndjson')[0].record, event_id: 'without' }),
    ];
    const result = await runHunt(query, [textInput('members.ndjson', `${lines.join('\n')}\n`)], { nearMissLimit: 10 });
    const without = result.hits.find((h) => h.eventId === 'without');
    expect(without?.row['constructor']).toBeNull();
    expect(without?.row['tostring']).toBeNull();
  });
});

describe('deeply nested JSON values', () => {
  for (const depth of [400, 100_000]) {
    it(`depth ${depth}: hits found, deeper levels kept as JSON text with a warning`, async () => {
      const text = depth === 400 ? new TextDecoder().decode(fixture('deep.ndjson')) : deepNdjson(depth);
      const result = await runHunt(query, [textInput('deep.ndjson', text)]);
      expect(result.hits.map((h) => h.eventId).sort()).toEqual(['deep-1', 'deep-2', 'deep-3']);
      expect(result.stats.warnings).toEqual([1, 2, 3].map((line) => `deep.ndjson:${line}: JSON nested deeper than 64 levels; the deeper values are kept as JSON text`));
      // Walk down to the string and check that no level was lost.
      let value: unknown = result.hits[0].raw['extra'];
      let objects = 0;
      while (typeof value === 'object' && value !== null) {
        if (!Array.isArray(value)) objects++;
        value = Array.isArray(value) ? value[0] : (value as Record<string, unknown>)['a'];
      }
      expect(typeof value).toBe('string');
      const rest = value as string;
      expect(objects + (rest.match(/\{/g)?.length ?? 0)).toBe(depth / 2);
      expect(rest).toMatch(/^[[{].*[\]}]$/s);
    });
  }
});

describe('deeply nested XML elements', () => {
  const event = (id: number, command: string, extra = ''): string =>
    `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Microsoft-Windows-Sysmon"/>` +
    `<EventID>1</EventID><TimeCreated SystemTime="2025-06-30T10:00:0${id}.000Z"/><EventRecordID>${id}</EventRecordID><Computer>WS1${extra}</Computer></System>` +
    `<EventData><Data Name="Image">C:\\Windows\\System32\\cmd.exe</Data><Data Name="CommandLine">${command}</Data><Data Name="__proto__">x</Data></EventData></Event>`;

  it('50,000 levels inside an event: read without recursion, the hits found, the entities decoded once', async () => {
    const deep = `${'<a>'.repeat(50_000)}z${'</a>'.repeat(50_000)}`;
    const command = 'cmd /c net use \\\\h.trycloudflare.com@SSL\\x &lt;img src=x onerror=alert(1)&gt; &amp;lt;';
    const xml = `<Events>${event(1, command)}${event(2, 'net use x.trycloudflare.com', deep)}</Events>`;
    const result = await runHunt(query, [textInput('events.xml', xml)]);
    expect(result.stats.malformedSamples).toEqual([]);
    expect(result.hits).toHaveLength(2);
    const commands = result.hits.map((h) => h.fields['action_process_image_command_line']);
    expect(commands).toContain('cmd /c net use \\\\h.trycloudflare.com@SSL\\x <img src=x onerror=alert(1)> &lt;');
    const second = result.hits.find((h) => h.fields['action_process_image_command_line'] === 'net use x.trycloudflare.com');
    expect(second?.raw['Computer']).toBe('WS1z');
    for (const hit of result.hits) expectOwnString(hit.raw, '__proto__', 'x');
  });
});

function expectOwnString(record: Record<string, unknown>, key: string, value: string): void {
  expect(Object.getOwnPropertyDescriptor(record, key)?.value).toBe(value);
  expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
}

describe('large values, wide files, long lines', () => {
  const timed = async (run: () => Promise<RunResult>): Promise<{ result: RunResult; ms: number }> => {
    const started = performance.now();
    const result = await run();
    return { result, ms: performance.now() - started };
  };

  for (const format of ['csv', 'ndjson'] as const) {
    it(`1 MB single values (${format}) come back whole with spans past the first megabyte`, async () => {
      const text = format === 'csv' ? bigValueCsv() : bigValueNdjson();
      const { result, ms } = await timed(() => runHunt(query, [textInput(`big.${format}`, text, [1 << 16])]));
      const records = new Map(bigValueRecords().map((r) => [r.event_id, r]));
      expect(result.hits.map((h) => h.eventId).sort()).toEqual(['big-after', 'big-before', 'big-host', 'big-value']);
      for (const hit of result.hits) expectExactHit(hit, records.get(hit.eventId) as XdrRecord);
      const big = result.hits.find((h) => h.eventId === 'big-value');
      expect((big?.fields['action_process_image_command_line'] as string).length).toBe(2 * 1024 * 1024 + HIT_COMMAND.length + 2);
      expect(ms).toBeLessThan(10_000);
    });

    it(`a 2 MB line without any newline (${format})`, async () => {
      const text = format === 'csv' ? longLineCsv() : longLineNdjson();
      const result = await runHunt(query, [textInput(`long.${format}`, text, [4096])]);
      expect(result.stats.malformedSamples).toEqual([]);
      expect(result.hits.map((h) => h.eventId)).toEqual(['long-line']);
      expect((result.hits[0].fields['action_process_image_command_line'] as string).length).toBe(HIT_COMMAND.length + 1 + 2 * 1024 * 1024);
    });
  }

  it('10,000 columns x 1,000 rows in a few seconds', async () => {
    const text = wideCsv(10_000, 1_000);
    const { result, ms } = await timed(() => runHunt(query, [textInput('wide.csv', text, [1 << 20])]));
    expect(result.stats.rows).toBe(1_000);
    expect(result.stats.malformed).toBe(0);
    expect(result.hits.map((h) => h.eventId).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `wide-${(i + 1) * 100}`).sort());
    expect(Object.keys(result.hits[0].raw)).toHaveLength(10_000);
    // 4.5 s on an idle 2-core machine (1.3 s of it reading); the bound only catches blow-ups under
    // load. Linearity is checked below, where the reader's quadratic case was.
    expect(ms).toBeLessThan(30_000);
  }, 60_000);

  it('reading is linear in the line length: a quoted 20,000-column line costs what a plain one does', () => {
    const readMs = (columns: number, rows: number, quoted: boolean): number => {
      const header = Array.from({ length: columns }, (_, i) => `c${i}`).join(',');
      const plain = Array.from({ length: columns }, (_, i) => String(i % 10)).join(',');
      const row = quoted ? `"q",${plain.slice(2)}` : plain;
      const bytes = new TextEncoder().encode(`${header}\n${`${row}\n`.repeat(rows)}`);
      let best = Infinity;
      for (let attempt = 0; attempt < 3; attempt++) {
        let records = 0;
        const started = performance.now();
        const reader = createByteReader('wide.csv', { columns() {}, record: () => void records++, malformed() {} });
        reader.push(bytes);
        reader.end();
        best = Math.min(best, performance.now() - started);
        expect(records).toBe(rows);
      }
      return best;
    };
    // 500,000 cells each, best of three. A quoted line used to look up the next newline once per
    // cell, O(cells x line length): 4-6x a plain line at 20,000 columns; now about 1x.
    const widePlain = readMs(20_000, 25, false);
    const wideQuoted = readMs(20_000, 25, true);
    const narrowPlain = readMs(500, 1_000, false);
    expect(wideQuoted / widePlain, `quoted ${wideQuoted.toFixed(0)} ms, plain ${widePlain.toFixed(0)} ms`).toBeLessThan(3);
    expect(widePlain / narrowPlain, `20,000 columns ${widePlain.toFixed(0)} ms, 500 columns ${narrowPlain.toFixed(0)} ms`).toBeLessThan(3);
  }, 60_000);
});
