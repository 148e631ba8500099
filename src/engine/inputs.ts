import type { RunInput } from './types';

/** One file as the engine reads it: a plain input, or later an entry of an archive. */
export interface OpenedInput {
  name: string;
  chunks: AsyncIterable<Uint8Array>;
  /** Whether its bytes are the bytes the caller counted in RunInput.size (progress percent). */
  countsTowardsTotal: boolean;
}

export async function* openInputs(inputs: readonly RunInput[]): AsyncIterable<OpenedInput> {
  for (const input of inputs) {
    yield { name: input.name, chunks: input.chunks(), countsTowardsTotal: true };
  }
}
