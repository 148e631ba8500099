import * as zlib from 'node:zlib';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { gzipSync, strToU8, zipSync } from 'fflate';
import type * as Fflate from 'fflate';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { XDR_COLUMNS, goodRecords, toCsv, toNdjson } from '../../scripts/gen-hostile';
import { parseHunt } from '../hunt';
import { previewInput } from '../engine/preview';
import { runHunt } from '../engine/run';
import { bytesInput } from '../engine/test-inputs';
import type { RunInput, RunResult } from '../engine/types';
import { concatBytes } from './bytes';
import { GzipStage } from './gzip';
import {
  gunzipAhead,
  nativeGunzip,
  rejectsTrailingBytes,
  setNativeGunzip,
  streamGunzip,
  zlibGunzip,
  type GunzipAheadOptions,
  type NativeGunzip,
  type NodeZlib,
} from './native-gunzip';
import { createByteReader } from './reader';
import { collectingSink, outcome, readBytes, TINY_CHUNKS, type Collected } from './test-helpers';

/** fflate's Gunzip, counted: the native path must not inflate anything itself. */
const inflated = vi.hoisted(() => ({ pushes: 0 }));
vi.mock('fflate', async (importOriginal) => {
  const fflate = await importOriginal<typeof Fflate>();
  class CountingGunzip extends fflate.Gunzip {
    override push(chunk: Uint8Array, final?: boolean): void {
      inflated.pushes++;
      super.push(chunk, final);
    }
  }
  return { ...fflate, Gunzip: CountingGunzip };
});

const repo = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const hunt = parseHunt(readFileSync(repo('public/hunts/cloudflare-tunnel-webdav.md'), 'utf8'));
const query = hunt.queries.find((q) => q.supported)?.code ?? '';
const encoder = new TextEncoder();
const TIMEOUT = 60_000;
const RUNS = Number(process.env.FUZZ_RUNS ?? 1);

const zlibNative = zlibGunzip(zlib as unknown as NodeZlib, 64);
/** Tiny carriers and blocks, so that small inputs go through every step of the pipeline. */
const SMALL: GunzipAheadOptions = { carrierBytes: 5, outputBlock: 16 };

/**
 * A native gunzip that gives a correct prefix of the output (`keep` bytes) and then fails, or (with
 * keep = Infinity) gives all of it but says at the end that it was not exact: the fallback must
 * make up the rest from fflate.
 */
function failingNative(keep: number): NativeGunzip {
  return (onData) => {
    let emitted = 0;
    let failed = false;
    const inner = zlibNative((data) => {
      if (failed) return;
      const room = keep - emitted;
      if (data.byteLength >= room) {
        if (room > 0) onData(data.subarray(0, room));
        emitted = keep;
        failed = true;
        return;
      }
      emitted += data.byteLength;
      onData(data);
    });
    return {
      write: async (chunk) => (await inner.write(chunk)) && !failed,
      end: async () => (await inner.end()) && !failed && keep !== Infinity,
      abort: () => inner.abort(),
    };
  };
}

function chunked(bytes: Uint8Array, sizes: readonly number[]): AsyncIterable<Uint8Array> {
  return bytesInput('x', bytes, sizes).chunks();
}

/** The normal reader fed the carriers of `gunzipAhead`. */
async function readAhead(bytes: Uint8Array, sizes: readonly number[], native: NativeGunzip, options = SMALL): Promise<Collected> {
  const { sink, collected } = collectingSink();
  const reader = createByteReader('x.gz', sink);
  const pushesBefore = inflated.pushes;
  for await (const carrier of gunzipAhead(chunked(bytes, sizes), () => chunked(bytes, sizes), native, options)) reader.push(carrier);
  reader.end();
  (collected as Collected & { inflatedHere: number }).inflatedHere = inflated.pushes - pushesBefore;
  return collected;
}


/** Text with line breaks, quotes, commas and non-ASCII, as CSV under a header. */
const textArb = fc
  .array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom('\n', '\r\n', '"', ',', 'é', '😀', 'x'.repeat(300))), { maxLength: 40 })
  .map((parts) => `a,b\n${parts.join('')}`);

type Damage = { kind: 'none' } | { kind: 'cut'; at: number } | { kind: 'flip'; at: number; xor: number } | { kind: 'trailing'; bytes: readonly number[] };

const damageArb: fc.Arbitrary<Damage> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'none' } as const) },
  fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({
    kind: fc.constant('trailing' as const),
    bytes: fc.oneof(fc.array(fc.constant(0), { minLength: 1, maxLength: 9 }), fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 9 }), fc.constant<readonly number[]>([0x1f, 0x8b, 8, 0])),
  }),
);

/** A gzip file: the text in one or more members (cut anywhere, empty ones too), by fflate or zlib, maybe damaged. */
const gzipArb = fc
  .record({
    text: textArb,
    cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 }),
    encoder: fc.constantFrom('fflate', 'zlib'),
    level: fc.integer({ min: 0, max: 9 }),
    name: fc.boolean(),
    damage: damageArb,
  })
  .map(({ text, cuts, encoder: by, level, name, damage }) => {
    const plain = encoder.encode(text);
    const points = [...new Set(cuts.map((c) => Math.floor(c * plain.length)))].sort((a, b) => a - b);
    const pieces = [0, ...points, plain.length].slice(1).map((end, i, ends) => plain.subarray(i === 0 ? 0 : (ends[i - 1] ?? 0), end));
    const members = pieces.map((piece) =>
      by === 'fflate' ? gzipSync(piece, { level: level as 0, mtime: 0, ...(name ? { filename: 'export.csv' } : {}) }) : new Uint8Array(zlib.gzipSync(piece, { level })),
    );
    let gz = concatBytes(members);
    if (damage.kind === 'cut') gz = gz.subarray(0, Math.max(2, Math.floor(damage.at * gz.length)));
    if (damage.kind === 'flip') {
      gz = gz.slice();
      const at = Math.min(gz.length - 1, 2 + Math.floor(damage.at * (gz.length - 2)));
      gz[at] = (gz[at] ?? 0) ^ damage.xor;
    }
    if (damage.kind === 'trailing') gz = concatBytes([gz, new Uint8Array(damage.bytes)]);
    return { gz, damage: damage.kind };
  });

const chunkingArb = fc.oneof(fc.constant(TINY_CHUNKS), fc.constant([7, 6, 5, 4, 3, 2, 1]), fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 4 }), fc.constant([1 << 20]));

describe('native gunzip ahead of the reader: the same outcome as fflate', () => {
  afterEach(() => setNativeGunzip(undefined));

  it('node:zlib is found in Node (and Node\'s DecompressionStream is not strict enough to be used)', async () => {
    expect(await nativeGunzip()).not.toBeNull();
    expect(await rejectsTrailingBytes()).toBe(false);
  });

  it('any gzip file (members, levels, names; cut, flipped bytes, trailing bytes), any chunking: same records, problems, warnings', async () => {
    let bound = 0;
    let fellBack = 0;
    await fc.assert(
      fc.asyncProperty(gzipArb, chunkingArb, fc.constantFrom('zlib', 'fails early', 'fails late', 'not exact'), async ({ gz }, sizes, kind) => {
        const expected = readBytes(gz, sizes, 'x.gz');
        const native = kind === 'zlib' ? zlibNative : failingNative(kind === 'fails early' ? 3 : kind === 'fails late' ? 200 : Infinity);
        const got = await readAhead(gz, sizes, native);
        expect(JSON.stringify(outcome(got))).toBe(JSON.stringify(outcome(expected)));
        expect(got.format).toEqual(expected.format);
        if ((got as Collected & { inflatedHere: number }).inflatedHere === 0) bound++;
        else fellBack++;
      }),
      { numRuns: 300 * RUNS },
    );
    // Both ways were taken: native output used as it is, and the fallback to fflate.
    expect(bound).toBeGreaterThan(20);
    expect(fellBack).toBeGreaterThan(20);
  }, TIMEOUT);

  it('a valid stream read with node:zlib never touches fflate', async () => {
    await fc.assert(
      fc.asyncProperty(textArb, fc.integer({ min: 1, max: 3 }), chunkingArb, async (text, members, sizes) => {
        const plain = encoder.encode(text);
        const third = Math.floor(plain.length / 3);
        const parts = members === 1 ? [plain] : members === 2 ? [plain.subarray(0, third), plain.subarray(third)] : [plain.subarray(0, third), new Uint8Array(0), plain.subarray(third)];
        const gz = concatBytes(parts.map((p) => gzipSync(p, { mtime: 0 })));
        const got = await readAhead(gz, sizes, zlibNative);
        expect((got as Collected & { inflatedHere: number }).inflatedHere).toBe(0);
        expect(JSON.stringify(outcome(got))).toBe(JSON.stringify(outcome(readBytes(plain, sizes))));
      }),
      { numRuns: 100 * RUNS },
    );
  }, TIMEOUT);

  it('DecompressionStream (as in browsers): valid single members are taken as they are, everything else falls back', async () => {
    // Node's DecompressionStream is lenient about trailing zero bytes (which is why Node uses zlib):
    // the inputs here have none, so its outcome stands for a browser's.
    await fc.assert(
      fc.asyncProperty(gzipArb.filter(({ damage }) => damage !== 'trailing'), chunkingArb, async ({ gz }, sizes) => {
        const expected = readBytes(gz, sizes, 'x.gz');
        const got = await readAhead(gz, sizes, streamGunzip);
        expect(JSON.stringify(outcome(got))).toBe(JSON.stringify(outcome(expected)));
      }),
      { numRuns: 100 * RUNS },
    );
  }, TIMEOUT);

  it('default carriers and blocks (1 MiB, 4 MiB) over a few MiB: the same records, output in blocks', async () => {
    let seed = 1;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const rows = Array.from({ length: 120_000 }, (_, i) => `${i},${random().toString(36)} ${random().toString(36)} ${'v'.repeat(i % 37)}`).join('\n');
    const plain = encoder.encode(`a,b\n${rows}\n`);
    const gz = concatBytes([gzipSync(plain.subarray(0, 3_000_003), { mtime: 0, level: 1 }), gzipSync(plain.subarray(3_000_003), { mtime: 0, level: 1 })]);
    expect(gz.length).toBeGreaterThan(1 << 20);
    const sizes: number[] = [];
    const { sink, collected } = collectingSink();
    const reader = createByteReader('x.gz', sink);
    const spy = { push: reader.push.bind(reader) };
    for await (const carrier of gunzipAhead(chunked(gz, [1 << 20, 333_333]), () => chunked(gz, [1 << 20]), zlibGunzip(zlib as unknown as NodeZlib))) {
      sizes.push(carrier.byteLength);
      spy.push(carrier);
    }
    reader.end();
    expect(sizes[0]).toBe(2);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1 << 20);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(gz.length);
    expect(JSON.stringify(outcome(collected))).toBe(JSON.stringify(outcome(readBytes(plain, [1 << 20]))));
  }, TIMEOUT);
});

describe('native gunzip in a run (src/engine/inputs.ts)', () => {
  beforeEach(() => {
    inflated.pushes = 0;
  });
  afterEach(() => setNativeGunzip(undefined));

  const csv = (prefix: string, count: number): string => toCsv(XDR_COLUMNS, goodRecords(prefix, count), '\n');
  const ndjson = (prefix: string, count: number): string => toNdjson(goodRecords(prefix, count));

  function summary(result: RunResult): unknown {
    // Whether the fast path skipped records depends on how the text arrives (a whole plain file
    // skips none, the same file a byte at a time does), so it is left out.
    return {
      hits: result.hits.map((h) => ({ id: h.eventId, source: h.source, fields: h.fields })),
      stats: { ...result.stats, elapsedMs: 0, malformedCandidatesOnly: undefined },
    };
  }

  async function both(input: RunInput, coverage: boolean, native: NativeGunzip | undefined = undefined): Promise<{ native: RunResult; fflate: RunResult; inflated: number }> {
    setNativeGunzip(native);
    inflated.pushes = 0;
    const withNative = await runHunt(query, [input], { coverage });
    const pushes = inflated.pushes;
    setNativeGunzip(null);
    const withFflate = await runHunt(query, [input], { coverage });
    expect(summary(withNative)).toEqual(summary(withFflate));
    return { native: withNative, fflate: withFflate, inflated: pushes };
  }

  it('CSV.gz and NDJSON.gz, fast path and full path, any chunking: identical results, compressed bytes and format reported, no fflate', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('csv', 'ndjson'), fc.integer({ min: 1, max: 400 }), fc.boolean(), chunkingArb, async (format, count, coverage, sizes) => {
        const gz = gzipSync(encoder.encode(format === 'csv' ? csv('g', count) : ndjson('g', count)), { mtime: 0 });
        const { native, inflated: pushes } = await both(bytesInput(`x.${format}.gz`, gz, sizes), coverage);
        expect(pushes).toBe(0);
        expect(native.stats.files[0]?.format).toMatchObject({ format, compression: 'gzip' });
        expect(native.stats.bytes).toBe(gz.length);
        expect(native.stats.rows).toBe(count);
      }),
      { numRuns: 60 * RUNS },
    );
  }, TIMEOUT);

  it('damaged or concatenated streams in a run: identical to fflate, whichever way native fails', async () => {
    await fc.assert(
      fc.asyncProperty(gzipArb, fc.boolean(), chunkingArb, fc.constantFrom<NativeGunzip | undefined>(undefined, failingNative(10), failingNative(Infinity)), async ({ gz }, coverage, sizes, native) => {
        await both(bytesInput('x.csv.gz', gz, sizes), coverage, native);
      }),
      { numRuns: 60 * RUNS },
    );
    // With records the profile knows, so that the fast path's scan runs too.
    const rows = encoder.encode(csv('d', 300));
    const gz = concatBytes([gzipSync(rows.subarray(0, 20_000), { mtime: 0 }), gzipSync(rows.subarray(20_000), { mtime: 0 })]);
    for (const damaged of [gz.subarray(0, gz.length - 100), concatBytes([gz, new Uint8Array([0, 0])]), concatBytes([gz, encoder.encode('junk')])]) {
      for (const coverage of [false, true]) {
        const { native } = await both(bytesInput('d.csv.gz', damaged, [4096]), coverage, failingNative(30_000));
        expect(native.stats.malformedSamples.at(-1)?.reason).toMatch(/gzip/);
      }
    }
  }, TIMEOUT);

  it('formats the fast path hands to the normal reader whole (a JSON array, UTF-16 CSV): identical results', async () => {
    const records = goodRecords('j', 300);
    const utf16 = (text: string): Uint8Array => {
      const out = new Uint8Array(2 + text.length * 2);
      out.set([0xff, 0xfe]);
      for (let i = 0; i < text.length; i++) {
        out[2 + 2 * i] = text.charCodeAt(i) & 0xff;
        out[3 + 2 * i] = text.charCodeAt(i) >> 8;
      }
      return out;
    };
    for (const [name, bytes] of [
      ['j.json.gz', encoder.encode(JSON.stringify(records))],
      ['u.csv.gz', utf16(csv('j', 300))],
    ] as const) {
      for (const coverage of [false, true]) {
        for (const sizes of [[1 << 20], [777], TINY_CHUNKS.map((n) => n * 100)]) {
          // The fast path's own gzip stage takes the stream, then hands copies to the normal reader,
          // which inflates them itself; a failing native decoder's fallback reads the same bytes
          // again: none of these may take output meant for another.
          for (const native of [undefined, failingNative(5000), failingNative(Infinity)]) {
            const gz = gzipSync(bytes, { mtime: 0 });
            const result = (await both(bytesInput(name, gz, sizes), coverage, native)).native;
            expect(result.stats.rows).toBe(300);
            expect(result.hits.map((h) => h.eventId).sort()).toEqual(['j-2', 'j-5', 'j-9']);
          }
          const { native } = await both(bytesInput(name, gzipSync(bytes, { mtime: 0 }), sizes), coverage);
          expect(native.stats.rows).toBe(300);
          expect(native.hits.map((h) => h.eventId).sort()).toEqual(['j-2', 'j-5', 'j-9']);
        }
      }
    }
  });

  it('reads the input again only when native decompression is not exact', async () => {
    const gz = gzipSync(encoder.encode(csv('r', 50)), { mtime: 0 });
    let opened = 0;
    const counting = (bytes: Uint8Array): RunInput => {
      const input = bytesInput('r.csv.gz', bytes, [100]);
      return { ...input, chunks: () => (opened++, input.chunks()) };
    };
    await runHunt(query, [counting(gz)]);
    expect(opened).toBe(1);
    opened = 0;
    await runHunt(query, [counting(concatBytes([gz, new Uint8Array([0])]))]);
    expect(opened).toBe(2);
  });

  it('progress counts the compressed bytes up to the size', async () => {
    const gz = gzipSync(encoder.encode(ndjson('p', 3000)), { mtime: 0 });
    const seen: number[] = [];
    const result = await runHunt(query, [bytesInput('p.ndjson.gz', gz, [4096])], { onProgress: (p) => seen.push(p.bytes) });
    expect(inflated.pushes).toBe(0);
    expect(seen.at(-1)).toBe(gz.length);
    expect(seen.every((bytes, i) => bytes <= gz.length && (i === 0 || bytes >= (seen[i - 1] ?? 0)))).toBe(true);
    expect(result.stats.rows).toBe(3000);
  });

  it('a gzip inside a zip is still read (by fflate: an entry cannot be read twice)', async () => {
    const zip = zipSync({ 'exports/a.csv.gz': gzipSync(strToU8(csv('z', 10)), { mtime: 0 }), 'b.csv': strToU8(csv('y', 10)) });
    const result = await runHunt(query, [bytesInput('case.zip', zip, [100])]);
    expect(result.stats.files.map((f) => [f.name, f.format?.compression, f.rows])).toEqual([
      ['case.zip/exports/a.csv.gz', 'gzip', 10],
      ['case.zip/b.csv', 'none', 10],
    ]);
    expect(result.hits.map((h) => h.eventId).sort()).toEqual(['y-2', 'y-5', 'y-9', 'z-2', 'z-5', 'z-9']);
  });

  it('the preview of a large gzip file (cut mid-carrier) sees its format and columns', async () => {
    const gz = gzipSync(encoder.encode(ndjson('v', 20_000)), { mtime: 0, level: 0 });
    expect(gz.length).toBeGreaterThan(2 << 20);
    for (const sizes of [[1 << 20], [300_000], TINY_CHUNKS.map((n) => n * 5000)]) {
      const preview = await previewInput(query, bytesInput('v.ndjson.gz', gz, sizes));
      expect(preview.format).toMatchObject({ format: 'ndjson', compression: 'gzip' });
      expect(preview.profileId).toBe('xdr');
      expect(preview.sampled).toBe(64);
    }
  });

  it('a cancelled run stops the native inflater', async () => {
    const gz = gzipSync(encoder.encode(ndjson('c', 20_000)), { mtime: 0, level: 0 });
    const controller = new AbortController();
    const run = runHunt(query, [bytesInput('c.ndjson.gz', gz, [64 * 1024])], {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toThrow(/cancelled/);
  });
});

describe('GzipStage bound to a stream decompressed ahead', () => {
  async function carriersOf(gz: Uint8Array): Promise<Uint8Array[]> {
    const carriers: Uint8Array[] = [];
    for await (const carrier of gunzipAhead(chunked(gz, [9]), () => chunked(gz, [9]), zlibNative, SMALL)) carriers.push(carrier);
    return carriers;
  }

  it('accepts copies and views of the carriers once bound, and reports bytes that do not follow the stream', async () => {
    const plain = encoder.encode('a,b\n' + '1,2\n'.repeat(50));
    const text = new TextDecoder().decode(plain);
    const gz = gzipSync(plain, { mtime: 0 });
    /** Decodes what `pick` makes of fresh carriers (a stream is bound once, by one stage). */
    const decode = async (pick: (carriers: Uint8Array[]) => Uint8Array[]): Promise<{ text: string; problem: string | null; bound: boolean }> => {
      let out = '';
      const stage = new GzipStage((data) => (out += new TextDecoder().decode(data)));
      for (const chunk of pick(await carriersOf(gz))) stage.push(chunk);
      const bound = stage.preinflated;
      stage.end();
      return { text: out, problem: stage.problem, bound };
    };
    // The reader's copy of the magic, then the carriers.
    expect(await decode(([magic, ...rest]) => [(magic as Uint8Array).slice(), ...rest])).toEqual({ text, problem: null, bound: true });
    // After binding, a copy, or a chunk running across carriers, is fine.
    expect(await decode(([magic, first, second, third, ...rest]) => [magic as Uint8Array, first as Uint8Array, concatBytes([second as Uint8Array, third as Uint8Array]), ...rest.map((c) => c.slice())])).toEqual({ text, problem: null, bound: true });
    // Unknown bytes first: fflate decodes (the carriers are the real bytes).
    expect(await decode((carriers) => carriers.map((c) => c.slice()))).toEqual({ text, problem: null, bound: false });
    // A carrier left out.
    expect((await decode(([magic, first, , ...rest]) => [magic as Uint8Array, first as Uint8Array, ...rest])).problem).toBe(
      'corrupt gzip stream (the bytes read do not follow the stream decompressed ahead)',
    );
    // Another read of the same memory (a pump abandoned midway, then the file's own chunks): not
    // its carriers, so fflate decodes them.
    const abandoned = gunzipAhead(chunked(gz, [1]), () => chunked(gz, [1]), zlibNative, SMALL);
    for (let i = 0; i < 4; i++) await abandoned.next();
    let again = '';
    const stage = new GzipStage((data) => (again += new TextDecoder().decode(data)));
    for await (const chunk of chunked(gz, [1])) stage.push(chunk);
    stage.end();
    await abandoned.return(undefined);
    expect({ again, problem: stage.problem, bound: stage.preinflated }).toEqual({ again: text, problem: null, bound: false });
    // Stopped before the last carrier.
    expect(await decode((carriers) => carriers.slice(0, -1))).toMatchObject({ problem: 'truncated gzip stream', bound: true });
  });
});
