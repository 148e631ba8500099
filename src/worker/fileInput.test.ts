import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fileInput } from './fileInput';

async function drain(chunks: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const c of chunks) n += c.length;
  return n;
}

describe('fileInput', () => {
  const bytes = new Uint8Array(10_000).map((_, i) => (i * 31 + 7) & 0xff);
  const file = Object.assign(new Blob([bytes]), { name: 'x.bin' });
  const expected = createHash('sha256').update(bytes).digest('hex');

  it('hashes across slices with hash-wasm when asked', async () => {
    const input = fileInput(file, { sliceBytes: 999, hash: true });
    expect(input.digest()).toBeNull();
    expect(await drain(input.chunks())).toBe(bytes.length);
    expect(input.digest()).toBe(expected);
    // A second read (the other string reading) keeps the first digest.
    await drain(input.chunks());
    expect(input.digest()).toBe(expected);
  });

  it('does not hash by default (the fast pass)', async () => {
    const input = fileInput(file, { sliceBytes: 999 });
    expect(await drain(input.chunks())).toBe(bytes.length);
    expect(input.digest()).toBeNull();
  });

  it('restarts the hash when a pass was abandoned midway', async () => {
    const input = fileInput(file, { sliceBytes: 999, hash: true });
    for await (const chunk of input.chunks()) {
      expect(chunk.length).toBe(999);
      break;
    }
    expect(input.digest()).toBeNull();
    await drain(input.chunks());
    expect(input.digest()).toBe(expected);
  });

  it('reads exactly one slice ahead of the consumer, in order', async () => {
    const requested: number[] = [];
    const counting = Object.assign(
      {
        size: file.size,
        slice(start: number, end: number) {
          requested.push(start);
          return file.slice(start, end);
        },
      },
      { name: 'x.bin' },
    ) as unknown as Blob & { name: string };
    const input = fileInput(counting, { sliceBytes: 999 });
    const seen: number[] = [];
    let index = 0;
    for await (const chunk of input.chunks()) {
      // While slice `index` is being worked on, slice `index + 1` (if any) is already being read.
      const ahead = Math.min(index + 2, Math.ceil(bytes.length / 999));
      expect(requested).toEqual(Array.from({ length: ahead }, (_, i) => i * 999));
      seen.push(...chunk);
      index++;
    }
    expect(new Uint8Array(seen)).toEqual(bytes);
  });
});

