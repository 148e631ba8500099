import type { RawRecord } from '../engine/value';
import type { RecordSink } from './types';

/** JSON formats report as columns the union of the top-level keys of this many first records. */
export const COLUMN_SAMPLE_RECORDS = 256;

interface PendingRecord {
  record: RawRecord;
  line: number;
  rawText: string | undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The event inside one parsed JSON value, unwrapping exporter envelopes: Splunk's
 * `{"preview":false,"result":{...}}` and Elasticsearch hits `{"_index":..,"_source":{...}}`.
 * Returns a reason string when the value is not an event, or null for an envelope without an event
 * (Splunk's message-only lines), which is skipped silently.
 */
export function unwrapJsonRecord(value: unknown): RawRecord | string | null {
  if (!isPlainObject(value)) return `not a JSON object (found ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value})`;
  if ('preview' in value || 'lastrow' in value) {
    if (isPlainObject(value.result)) return value.result;
    if (!('result' in value)) return null;
  }
  if (isPlainObject(value._source) && ('_index' in value || '_id' in value)) {
    const source = value._source;
    if (value._id === undefined || '_id' in source) return source;
    return { ...source, _id: value._id };
  }
  return value;
}

/**
 * Delivers JSON records to a sink: buffers the first records to announce the union of their keys as
 * `columns`, then streams.
 */
export class JsonRecordEmitter {
  private pending: PendingRecord[] | null = [];
  private readonly sink: RecordSink;

  constructor(sink: RecordSink) {
    this.sink = sink;
  }

  /** Parses and delivers one JSON text (an NDJSON line or an array element). */
  acceptText(text: string, line: number): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.sink.malformed(line, `invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const record = unwrapJsonRecord(value);
    if (record === null) return;
    if (typeof record === 'string') {
      this.sink.malformed(line, record);
      return;
    }
    this.deliver(record, line, text);
  }

  malformed(line: number, reason: string): void {
    this.sink.malformed(line, reason);
  }

  private deliver(record: RawRecord, line: number, rawText: string | undefined): void {
    const pending = this.pending;
    if (pending === null) {
      this.sink.record(record, line, rawText);
      return;
    }
    pending.push({ record, line, rawText });
    if (pending.length >= COLUMN_SAMPLE_RECORDS) this.flush();
  }

  /** Announces the columns (once) and delivers the buffered records. */
  flush(): void {
    const pending = this.pending;
    if (pending === null) return;
    this.pending = null;
    const columns = new Set<string>();
    for (const { record } of pending) for (const key of Object.keys(record)) columns.add(key);
    this.sink.columns([...columns]);
    for (const { record, line, rawText } of pending) this.sink.record(record, line, rawText);
  }
}
