import type { RawRecord } from '../engine/value';
import type { RecordSink } from './types';

/** JSON formats report as columns the union of the top-level keys of this many first records. */
export const COLUMN_SAMPLE_RECORDS = 256;

/**
 * Values nested deeper than this are kept as their JSON text. JSON.parse takes any depth, but
 * everything after it that walks a value recursively (structuredClone, normalisation, rendering)
 * would overflow the stack on an attacker-written `[[[[...]]]]`.
 */
export const MAX_JSON_DEPTH = 64;

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
    if (openersExceed(text, MAX_JSON_DEPTH) && capDepth(value, 0)) {
      this.sink.warning?.(line, `JSON nested deeper than ${MAX_JSON_DEPTH} levels; the deeper values are kept as JSON text`);
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

/** Whether `text` holds more than `limit` `{` and `[` together (a cheap bound on nesting depth). */
function openersExceed(text: string, limit: number): boolean {
  let count = 0;
  for (let at = text.indexOf('{'); at !== -1; at = text.indexOf('{', at + 1)) if (++count > limit) return true;
  for (let at = text.indexOf('['); at !== -1; at = text.indexOf('[', at + 1)) if (++count > limit) return true;
  return false;
}

/** Replaces, in place, every container nested MAX_JSON_DEPTH deep by its JSON text; true if any was. */
function capDepth(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const container = value as Record<string, unknown>;
  let replaced = false;
  for (const key of Object.keys(container)) {
    const child = container[key];
    if (typeof child !== 'object' || child === null) continue;
    if (depth + 1 >= MAX_JSON_DEPTH) {
      // An own `__proto__` key (from JSON.parse) is a data property: assignment keeps it one.
      container[key] = stringifyIteratively(child);
      replaced = true;
    } else if (capDepth(child, depth + 1)) {
      replaced = true;
    }
  }
  return replaced;
}

class Token {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/** JSON.stringify without recursion (it overflows the stack on deep values). */
export function stringifyIteratively(root: unknown): string {
  let out = '';
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item instanceof Token) {
      out += item.text;
    } else if (Array.isArray(item)) {
      out += '[';
      stack.push(new Token(']'));
      for (let i = item.length - 1; i >= 0; i--) {
        stack.push(item[i]);
        if (i > 0) stack.push(new Token(','));
      }
    } else if (typeof item === 'object' && item !== null) {
      out += '{';
      const object = item as Record<string, unknown>;
      const keys = Object.keys(object);
      stack.push(new Token('}'));
      for (let i = keys.length - 1; i >= 0; i--) {
        stack.push(object[keys[i]]);
        stack.push(new Token(`${i > 0 ? ',' : ''}${JSON.stringify(keys[i])}:`));
      }
    } else {
      out += JSON.stringify(item) ?? 'null';
    }
  }
  return out;
}
