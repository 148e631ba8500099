import type { RawRecord } from '../engine/value';
import type { FormatInfo, RecordSink } from './types';
import { createByteReader } from './reader';

/** Everything a reader told its sink, in order. */
export interface Collected {
  format: FormatInfo | null;
  columns: string[] | null;
  columnsCalls: number;
  records: { record: RawRecord; line: number; rawText: string | undefined }[];
  malformed: { line: number; reason: string }[];
  warnings: { line: number; message: string }[];
}

export function collectingSink(): { sink: RecordSink; collected: Collected } {
  const collected: Collected = { format: null, columns: null, columnsCalls: 0, records: [], malformed: [], warnings: [] };
  const sink: RecordSink = {
    format: (info) => {
      collected.format = info;
    },
    columns: (columns) => {
      collected.columns = columns;
      collected.columnsCalls++;
    },
    record: (record, line, rawText) => {
      if (collected.columns === null) throw new Error('record before columns');
      collected.records.push({ record, line, rawText });
    },
    malformed: (line, reason) => {
      collected.malformed.push({ line, reason });
    },
    warning: (line, message) => {
      collected.warnings.push({ line, message });
    },
  };
  return { sink, collected };
}

export function bytesOf(input: string | Uint8Array): Uint8Array {
  return typeof input === 'string' ? new TextEncoder().encode(input) : input;
}

/**
 * Reads `input` through `createByteReader`. `chunkSizes` are used in turn, looping, so a list like
 * [1..7] splits quotes, CRLF and multi-byte sequences at every possible offset.
 */
export function readBytes(input: string | Uint8Array, chunkSizes: readonly number[] = [Number.MAX_SAFE_INTEGER], fileName = 'export.csv'): Collected {
  const bytes = bytesOf(input);
  const { sink, collected } = collectingSink();
  const reader = createByteReader(fileName, sink);
  let offset = 0;
  for (let turn = 0; offset < bytes.length; turn++) {
    const size = chunkSizes[turn % chunkSizes.length];
    reader.push(bytes.subarray(offset, Math.min(bytes.length, offset + size)));
    offset += size;
  }
  reader.end();
  return collected;
}

export const TINY_CHUNKS: readonly number[] = [1, 2, 3, 4, 5, 6, 7];

/** The observable outcome without the format detail, for comparing whole-file and chunked reads. */
export function outcome(collected: Collected): unknown {
  return { columns: collected.columns, records: collected.records, malformed: collected.malformed, warnings: collected.warnings };
}

/**
 * Reads `input` whole, in tiny looping chunks (1..7 bytes) and in a few odd sizes, and fails unless
 * every chunking gives the same outcome. Returns the whole-file result.
 */
export function readEverywhere(input: string | Uint8Array, fileName = 'export.csv'): Collected {
  const whole = readBytes(input, undefined, fileName);
  const expected = JSON.stringify(outcome(whole));
  for (const chunking of [TINY_CHUNKS, [7, 6, 5, 4, 3, 2, 1], [13], [64, 1]]) {
    const chunked = JSON.stringify(outcome(readBytes(input, chunking, fileName)));
    if (chunked !== expected) throw new Error(`chunking ${chunking.join(',')} differs:\n${chunked}\nexpected:\n${expected}`);
  }
  return whole;
}
