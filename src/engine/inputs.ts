import { entryInputName, expandZip, isZip } from '../ingest/archive';
import { gunzipAhead, nativeGunzip } from '../ingest/native-gunzip';
import { GZIP_SNIFF_BYTES, isGzip } from '../ingest/sniff';
import type { RunInput } from './types';

/** One file as the engine reads it: a plain input, or an entry of a zip archive. */
export interface OpenedInput {
  name: string;
  chunks: AsyncIterable<Uint8Array>;
  /**
   * Whether its bytes are the bytes the caller counted in RunInput.size (progress percent).
   * Archive entries are not: their bytes are reported through `onSourceBytes` as the archive
   * is read.
   */
  countsTowardsTotal: boolean;
}

/**
 * Opens the inputs one after the other. A zip (told by its magic bytes, not its name) becomes one
 * input per entry, streamed: each entry must be read to its end before the next is opened.
 *
 * A gzip input (magic bytes again) is decompressed ahead with the platform's native zlib when there
 * is one (src/ingest/native-gunzip.ts): the chunks are still the file's own compressed bytes, and
 * the readers' gzip stage takes their output from there instead of inflating them itself.
 */
export async function* openInputs(
  inputs: readonly RunInput[],
  onSourceBytes?: (bytes: number) => void,
): AsyncIterable<OpenedInput> {
  for (const input of inputs) {
    const iterator = input.chunks()[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (!first.done && isZip(first.value)) {
      const chunks = withFirst([first.value], iterator);
      const archive = onSourceBytes ? counted(chunks, onSourceBytes) : chunks;
      for await (const entry of expandZip(archive)) {
        yield { name: entryInputName(input.name, entry.name), chunks: entry.chunks, countsTowardsTotal: false };
      }
      continue;
    }
    // Enough bytes to tell gzip (a first chunk may be a single byte).
    const head = first.done ? [] : [first.value];
    let headBytes = head.reduce((sum, chunk) => sum + chunk.byteLength, 0);
    while (head.length > 0 && headBytes < GZIP_SNIFF_BYTES) {
      const next = await iterator.next();
      if (next.done) break;
      head.push(next.value);
      headBytes += next.value.byteLength;
    }
    const chunks = withFirst(head, iterator);
    const native = isGzip(joinHead(head)) ? await nativeGunzip() : null;
    yield { name: input.name, chunks: native ? gunzipAhead(chunks, () => input.chunks(), native, { sizeHint: input.size }) : chunks, countsTowardsTotal: true };
  }
}

function joinHead(head: readonly Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(GZIP_SNIFF_BYTES);
  let at = 0;
  for (const chunk of head) {
    const part = chunk.subarray(0, bytes.length - at);
    bytes.set(part, at);
    at += part.length;
    if (at === bytes.length) return bytes;
  }
  return bytes.subarray(0, at);
}

async function* withFirst(head: readonly Uint8Array[], rest: AsyncIterator<Uint8Array>): AsyncIterable<Uint8Array> {
  for (const chunk of head) yield chunk;
  if (head.length === 0) return;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

async function* counted(chunks: AsyncIterable<Uint8Array>, onBytes: (bytes: number) => void): AsyncIterable<Uint8Array> {
  for await (const chunk of chunks) {
    onBytes(chunk.byteLength);
    yield chunk;
  }
}
