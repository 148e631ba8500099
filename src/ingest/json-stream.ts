import type { RecordSink } from './types';
import type { TextParser } from './text-parser';
import { OPEN_RECORD_CHAR_CAP } from './text-parser';
import { JsonRecordEmitter } from './json-records';

/**
 * Streams the elements of one array inside a JSON document without parsing the document as a whole:
 * a small state machine tracks strings, escapes, nesting and object keys across chunks, and each
 * element's text is handed to `JSON.parse` on its own. A broken element costs only itself.
 *
 * `targetPath` is the chain of object keys leading to the array: `[]` for a top-level array,
 * `['reply', 'results', 'data']` for an XQL API response.
 */

const OBJECT = 1;
const ARRAY = 2;

export const STREAM_ID_MESSAGE = 'this is a stream_id response; download the stream results (NDJSON) instead';

class JsonArrayStreamParser implements TextParser {
  private buffer = '';
  /** Scan position in `buffer`; everything before it has been consumed (except an open element). */
  private position = 0;
  private line = 1;
  private readonly containers: number[] = [];
  /** The key under which each open container sits in its parent (null in arrays and at the top). */
  private readonly containerKeys: (string | null)[] = [];
  private currentKey: string | null = null;
  private expectKey = false;
  /** Nesting depth (containers.length) directly inside the target array; -1 outside it. */
  private targetDepth = -1;
  private targetFound = false;
  private targetClosed = false;
  private sawStreamId = false;
  private elementStart = -1;
  private elementLine = 0;
  private readonly emitter: JsonRecordEmitter;
  private readonly targetPath: readonly string[];
  private readonly describeMissing: (sawStreamId: boolean) => string;

  constructor(sink: RecordSink, targetPath: readonly string[], describeMissing: (sawStreamId: boolean) => string) {
    this.emitter = new JsonRecordEmitter(sink);
    this.targetPath = targetPath;
    this.describeMissing = describeMissing;
  }

  push(text: string): void {
    if (text === '' || this.targetClosed) return;
    const keepFrom = this.elementStart >= 0 ? this.elementStart : this.position;
    this.buffer = keepFrom < this.buffer.length ? this.buffer.slice(keepFrom) + text : text;
    this.position -= keepFrom;
    if (this.elementStart >= 0) this.elementStart -= keepFrom;
    this.scan();
    while (this.elementStart >= 0 && this.buffer.length - this.elementStart > OPEN_RECORD_CHAR_CAP) {
      this.abandonElement();
      this.scan();
    }
  }

  end(): void {
    if (!this.targetClosed) {
      if (this.elementStart >= 0) this.emitter.malformed(this.elementLine, 'unterminated JSON element (is the file truncated?)');
      else if (!this.targetFound) this.emitter.malformed(1, this.describeMissing(this.sawStreamId));
      // Cut between two elements: every element is whole, but the array never closed.
      else this.emitter.malformed(this.line, 'JSON array not closed (is the file truncated?)');
    }
    this.buffer = '';
    this.emitter.flush();
  }

  /** An element larger than the cap is reported; scanning restarts at the next line, inside the array. */
  private abandonElement(): void {
    this.emitter.malformed(this.elementLine, 'JSON element larger than 8 MiB or unterminated');
    const nextLine = this.buffer.indexOf('\n', this.elementStart);
    this.position = nextLine === -1 ? this.buffer.length : nextLine + 1;
    this.line = this.elementLine + 1;
    this.elementStart = -1;
    this.containers.length = this.targetDepth;
    this.containerKeys.length = this.targetDepth;
  }

  private emitElement(end: number): void {
    if (this.elementStart < 0) return;
    this.emitter.acceptText(this.buffer.slice(this.elementStart, end).trimEnd(), this.elementLine);
    this.elementStart = -1;
  }

  private atTargetArray(): boolean {
    const path = this.targetPath;
    const containers = this.containers;
    if (path.length === 0) return containers.length === 0;
    if (containers.length !== path.length || this.currentKey !== path[path.length - 1]) return false;
    for (let i = 0; i < containers.length; i++) {
      if (containers[i] !== OBJECT) return false;
      if (i > 0 && this.containerKeys[i] !== path[i - 1]) return false;
    }
    return true;
  }

  private scan(): void {
    const buffer = this.buffer;
    const length = buffer.length;
    const containers = this.containers;
    let i = this.position;
    for (; i < length; i++) {
      const c = buffer.charCodeAt(i);
      if (c === 10) {
        this.line++;
        continue;
      }
      if (c === 32 || c === 9 || c === 13) continue;
      const inTarget = this.targetDepth >= 0 && containers.length === this.targetDepth;
      if (inTarget && this.elementStart < 0 && c !== 44 && c !== 93) {
        this.elementStart = i;
        this.elementLine = this.line;
      }
      if (c === 34) {
        const close = findStringEnd(buffer, i + 1);
        if (close === -1) break; // the string continues in the next chunk: rescan it from its start
        if (this.targetDepth < 0 && this.expectKey && containers[containers.length - 1] === OBJECT) {
          this.currentKey = JSON.parse(buffer.slice(i, close + 1)) as string;
          if (this.currentKey === 'stream_id') this.sawStreamId = true;
        }
        i = close;
        continue;
      }
      switch (c) {
        case 123: // {
        case 91: // [
          if (c === 91 && this.targetDepth < 0 && !this.targetFound && this.atTargetArray()) {
            this.targetFound = true;
            this.targetDepth = containers.length + 1;
          }
          containers.push(c === 123 ? OBJECT : ARRAY);
          this.containerKeys.push(this.currentKey);
          this.currentKey = null;
          this.expectKey = c === 123;
          break;
        case 125: // }
        case 93: // ]
          if (inTarget && c === 93) {
            this.emitElement(i);
            this.targetDepth = -1;
            this.targetClosed = true;
            this.position = length;
            return;
          }
          containers.pop();
          this.containerKeys.pop();
          this.currentKey = null;
          this.expectKey = false;
          break;
        case 58: // :
          this.expectKey = false;
          break;
        case 44: // ,
          if (inTarget) this.emitElement(i);
          this.expectKey = containers[containers.length - 1] === OBJECT;
          break;
        default:
          break;
      }
    }
    this.position = i;
  }
}

/** Index of the closing quote of a JSON string whose content starts at `from`, or -1 if not in `text`. */
function findStringEnd(text: string, from: number): number {
  let at = text.indexOf('"', from);
  while (at !== -1) {
    let backslashes = 0;
    for (let p = at - 1; p >= from && text.charCodeAt(p) === 92; p--) backslashes++;
    if (backslashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
  return -1;
}

/** `[ {...}, {...} ]` */
export function createJsonArrayParser(sink: RecordSink): TextParser {
  return new JsonArrayStreamParser(sink, [], () => 'no top-level JSON array');
}

/** `{"reply":{"status":..,"results":{"data":[ ... ]}}}` from the XQL API's get_query_results. */
export function createXqlApiParser(sink: RecordSink): TextParser {
  return new JsonArrayStreamParser(sink, ['reply', 'results', 'data'], (sawStreamId) =>
    sawStreamId ? STREAM_ID_MESSAGE : 'no reply.results.data array in this XQL API response',
  );
}
