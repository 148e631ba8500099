import { describe, expect, it } from 'vitest';
import { Zip, ZipDeflate, strFromU8, strToU8, zipSync } from 'fflate';
import { entryInputName, expandZip, isSkippedEntry, isZip, zipEntryInputs } from './archive';
import type { RunInput } from '../engine/types';

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

async function readAll(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return strFromU8(out);
}

const big = Array.from({ length: 5000 }, (_, i) => `row ${i},"cmd.exe /c net use \\\\x.trycloudflare.com@SSL\\DavWWWRoot",jürgen\r\n`).join('');

function sampleArchive(): Uint8Array {
  return zipSync({
    'defender.csv': strToU8('Timestamp,DeviceName\r\n2025-06-30T14:02:11.1234567Z,ws042\r\n'),
    'exports/': new Uint8Array(0),
    'exports/big.csv': [strToU8(big), { level: 6 }],
    'exports/stored.ndjson': [strToU8('{"a":1}\n'), { level: 0 }],
    '__MACOSX/._defender.csv': strToU8('resource fork'),
    'empty.csv': new Uint8Array(0),
  });
}

describe('isZip', () => {
  it('recognises local file headers and empty archives only', () => {
    expect(isZip(sampleArchive().subarray(0, 4))).toBe(true);
    expect(isZip(zipSync({}))).toBe(true);
    expect(isZip(strToU8('PK'))).toBe(false);
    expect(isZip(strToU8('Timestamp,DeviceName'))).toBe(false);
    expect(isZip(new Uint8Array([0x1f, 0x8b, 8, 0]))).toBe(false);
  });
});

describe('isSkippedEntry / entryInputName', () => {
  it('skips directories and macOS metadata', () => {
    expect(isSkippedEntry('exports/')).toBe(true);
    expect(isSkippedEntry('__MACOSX/._x.csv')).toBe(true);
    expect(isSkippedEntry('a/.DS_Store')).toBe(true);
    expect(isSkippedEntry('exports/x.csv')).toBe(false);
    expect(entryInputName('case.zip', 'exports\\x.csv')).toBe('case.zip/exports/x.csv');
  });
});

describe('expandZip', () => {
  it('streams every file entry in order, for any chunk size', async () => {
    const archive = sampleArchive();
    for (const size of [1, 7, 100, 65536, archive.length]) {
      const seen: { name: string; text: string }[] = [];
      for await (const entry of expandZip(chunked(archive, size))) seen.push({ name: entry.name, text: await readAll(entry.chunks) });
      expect(seen.map((e) => e.name)).toEqual(['defender.csv', 'exports/big.csv', 'exports/stored.ndjson', 'empty.csv']);
      expect(seen[0].text).toBe('Timestamp,DeviceName\r\n2025-06-30T14:02:11.1234567Z,ws042\r\n');
      expect(seen[1].text).toBe(big);
      expect(seen[2].text).toBe('{"a":1}\n');
      expect(seen[3].text).toBe('');
    }
  });

  it('discards an entry the consumer skipped and refuses to read it later', async () => {
    const names: string[] = [];
    let skipped: AsyncIterable<Uint8Array> | null = null;
    for await (const entry of expandZip(chunked(sampleArchive(), 512))) {
      names.push(entry.name);
      if (entry.name === 'exports/big.csv') skipped = entry.chunks;
      else await readAll(entry.chunks);
    }
    expect(names).toHaveLength(4);
    await expect(readAll(skipped as unknown as AsyncIterable<Uint8Array>)).rejects.toThrow(/after the next entry/);
  });

  it('reads archives written with data descriptors (streaming zip writers)', async () => {
    const parts: Uint8Array[] = [];
    await new Promise<void>((resolve, reject) => {
      const zip = new Zip((error, data, final) => {
        if (error) reject(error);
        else {
          parts.push(data);
          if (final) resolve();
        }
      });
      for (const [name, text] of [['a.csv', 'x,y\n1,2\n'], ['b.csv', big]] as const) {
        const file = new ZipDeflate(name, { level: 9 });
        zip.add(file);
        file.push(strToU8(text), true);
      }
      zip.end();
    });
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      bytes.set(part, at);
      at += part.length;
    }
    const seen: string[] = [];
    for await (const entry of expandZip(chunked(bytes, 333))) seen.push(`${entry.name}:${(await readAll(entry.chunks)).length}`);
    expect(seen).toEqual(['a.csv:8', `b.csv:${big.length}`]);
  });

  it('fails on a truncated archive', async () => {
    const archive = sampleArchive();
    const cut = archive.subarray(0, Math.floor(archive.length / 2));
    await expect(
      (async () => {
        for await (const entry of expandZip(chunked(cut, 1000))) await readAll(entry.chunks);
      })(),
    ).rejects.toThrow(/truncated|corrupt/);
  });
});

describe('zipEntryInputs', () => {
  it('turns each entry into a re-readable input named archive.zip/entry', async () => {
    const archive = sampleArchive();
    let reads = 0;
    const input: RunInput = {
      name: 'case.zip',
      size: archive.length,
      chunks: () => {
        reads++;
        return chunked(archive, 4096);
      },
    };
    const inputs = await zipEntryInputs(input);
    expect(inputs.map((i) => [i.name, i.size])).toEqual([
      ['case.zip/defender.csv', 58],
      ['case.zip/exports/big.csv', strToU8(big).length],
      ['case.zip/exports/stored.ndjson', 8],
      ['case.zip/empty.csv', 0],
    ]);
    const big1 = await readAll(inputs[1].chunks());
    const big2 = await readAll(inputs[1].chunks());
    expect(big1).toBe(big);
    expect(big2).toBe(big);
    expect(await readAll(inputs[2].chunks())).toBe('{"a":1}\n');
    expect(reads).toBe(4);
  });
});
