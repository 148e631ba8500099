import { entryInputName, expandZip, isZip } from '../ingest/archive';
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
 */
export async function* openInputs(
  inputs: readonly RunInput[],
  onSourceBytes?: (bytes: number) => void,
): AsyncIterable<OpenedInput> {
  for (const input of inputs) {
    const iterator = input.chunks()[Symbol.asyncIterator]();
    const first = await iterator.next();
    const chunks = withFirst(first, iterator);
    if (!first.done && isZip(first.value)) {
      const archive = onSourceBytes ? counted(chunks, onSourceBytes) : chunks;
      for await (const entry of expandZip(archive)) {
        yield { name: entryInputName(input.name, entry.name), chunks: entry.chunks, countsTowardsTotal: false };
      }
    } else {
      yield { name: input.name, chunks, countsTowardsTotal: true };
    }
  }
}

async function* withFirst(
  first: IteratorResult<Uint8Array>,
  rest: AsyncIterator<Uint8Array>,
): AsyncIterable<Uint8Array> {
  if (first.done) return;
  yield first.value;
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
