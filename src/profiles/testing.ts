import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RawRecord } from '../engine/value';
import { createByteReader } from '../ingest/reader';

/** Test support (Node only): reads a committed fixture through the real ingest reader. */

export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export interface ReadFixture {
  columns: string[];
  records: RawRecord[];
  lines: number[];
  malformed: { line: number; reason: string }[];
}

export function fixtureBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURE_DIR, file)));
}

/** `name` is deliberately not the fixture's file name: detection must work on content alone. */
export function readRecords(bytes: Uint8Array, name = 'upload', chunkSize = 4096): ReadFixture {
  const out: ReadFixture = { columns: [], records: [], lines: [], malformed: [] };
  const reader = createByteReader(name, {
    columns: (columns) => {
      out.columns = columns;
    },
    record: (record, line) => {
      out.records.push(record);
      out.lines.push(line);
    },
    malformed: (line, reason) => out.malformed.push({ line, reason }),
  });
  for (let i = 0; i < bytes.length; i += chunkSize) reader.push(bytes.subarray(i, i + chunkSize));
  reader.end();
  return out;
}

export function readFixture(file: string, chunkSize?: number): ReadFixture {
  return readRecords(fixtureBytes(file), 'upload', chunkSize);
}
