import type { RawRecord } from '../engine/value';

/** What the content sniffer can tell apart. */
export type TextFormat = 'csv' | 'tsv' | 'semicolon' | 'ndjson' | 'json-array' | 'xql-api' | 'xml-events';
export type Compression = 'none' | 'gzip';
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface FormatInfo {
  format: TextFormat;
  compression: Compression;
  encoding: TextEncoding;
  bom: boolean;
}

/**
 * Receives the records of one file, in order. `columns` is called exactly once, before the first
 * `record` (for JSON formats: the union of the keys of the first records, which are buffered).
 * `line` is the 1-based physical line (of the decoded text) where the record starts; for a JSON
 * array it is the line where the element starts.
 */
export interface RecordSink {
  format?(info: FormatInfo): void;
  columns(columns: string[]): void;
  /** `rawText` is the record's source text, e.g. the CSV line(s) or the NDJSON line. */
  record(record: RawRecord, line: number, rawText?: string): void;
  malformed(line: number, reason: string): void;
  /** A problem that did not cost a record (e.g. invalid UTF-8 replaced by U+FFFD). */
  warning?(line: number, message: string): void;
  /**
   * The fast path's candidate reader skipped `count` records (spanning `lines` physical lines) that
   * cannot match, without parsing them; they still count as rows, so row numbers stay exact.
   * Line numbers passed to `record`/`malformed` afterwards already include the skipped lines.
   */
  rowsSkipped?(count: number, lines: number): void;
}

/** A push parser over byte chunks of one file. Never holds the whole file. */
export interface ByteReader {
  push(chunk: Uint8Array): void;
  /** Flushes; reports a truncated stream (e.g. gzip, unterminated quote) through `malformed`. */
  end(): void;
}
