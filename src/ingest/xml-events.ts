import { countLineBreaks } from './text-parser';
import type { RawRecord } from '../engine/value';
import type { RecordSink } from './types';

/**
 * Streaming reader for Windows event XML: Event Viewer "Save as XML" (`<Events>` wrapper),
 * `wevtutil qe /f:xml` and PowerShell `ToXml()` output (bare `<Event>` elements), with or
 * without the event namespace. Each `<Event>` becomes one flat record:
 *
 * - System: `EventID`, `Version`, `Level`, `Task`, `Opcode`, `Keywords`, `TimeCreated` (the
 *   SystemTime attribute), `EventRecordID`, `ActivityID`, `ExecutionProcessID`,
 *   `ExecutionThreadID`, `Channel`, `Computer`, `Provider` (the Name attribute),
 *   `SecurityUserID`. Execution's ProcessID is prefixed because Sysmon and 4688 EventData have
 *   their own `ProcessId`, and column lookup is case-insensitive.
 * - EventData / UserData: each `<Data Name="X">` as key `X` (value exactly as written, entities
 *   decoded); unnamed `<Data>` as `Data1`, `Data2`...; other UserData leaves by element name.
 *   A name that collides with a System key is stored as `EventData.X`.
 * - RenderingInfo (`wevtutil /rd:true`): `Message`.
 *
 * Text arrives in decoded chunks split anywhere (inside a tag, an entity or a surrogate pair);
 * only the current event is buffered. Events never nest, so the end of an event is simply the
 * next `</Event>`.
 */

export interface XmlEventParser {
  push(text: string): void;
  end(): void;
}

/** Records buffered to collect the column union before `sink.columns` (the JSON readers do the same). */
const COLUMN_SAMPLE = 256;
const START = /<Event[\s>/]/g;
const END = /<\/Event\s*>/g;
/** Longest text that can be the beginning of a start tag split across chunks (`<Event` + 1). */
const START_TAIL = 6;

export function createXmlEventParser(sink: RecordSink): XmlEventParser {
  let buffer = '';
  /** 1-based line of buffer[0]. */
  let bufferLine = 1;
  /** Where to resume looking for `</Event>` in the buffer (the event start is at 0 then). */
  let endSearchFrom = -1;
  let columnsSent = false;
  const pending: { record: RawRecord; line: number; rawText: string }[] = [];
  const keys = new Set<string>();

  const emit = (record: RawRecord, line: number, rawText: string): void => {
    if (columnsSent) {
      sink.record(record, line, rawText);
      return;
    }
    for (const key of Object.keys(record)) keys.add(key);
    pending.push({ record, line, rawText });
    if (pending.length >= COLUMN_SAMPLE) flushColumns();
  };
  const flushColumns = (): void => {
    if (columnsSent) return;
    columnsSent = true;
    sink.columns([...keys]);
    for (const item of pending) sink.record(item.record, item.line, item.rawText);
    pending.length = 0;
  };

  /** Drops buffer[0..to) and keeps the line count. */
  const consume = (to: number): void => {
    bufferLine += countLineBreaks(buffer, 0, to);
    buffer = buffer.slice(to);
  };

  const scan = (final: boolean): void => {
    // Work on offsets and cut the buffer once at the end, so a chunk of many events is not copied per event.
    let pos = 0;
    let line = bufferLine;
    const advance = (to: number): void => {
      line += countLineBreaks(buffer, pos, to);
      pos = to;
    };
    for (;;) {
      let start: number;
      if (endSearchFrom >= 0) {
        start = pos;
      } else {
        START.lastIndex = pos;
        const found = START.exec(buffer);
        if (!found) {
          // Keep a tail that may be the first part of a start tag.
          advance(final ? buffer.length : Math.max(pos, buffer.length - START_TAIL));
          break;
        }
        start = found.index;
        advance(start);
      }
      END.lastIndex = Math.max(endSearchFrom, start + 1);
      const end = END.exec(buffer);
      // A second start before this event's end means this one was cut off.
      START.lastIndex = start + 1;
      const next = START.exec(buffer);
      if (next && (!end || next.index < end.index)) {
        sink.malformed(line, 'event not closed before the next <Event>');
        endSearchFrom = -1;
        advance(next.index);
        continue;
      }
      if (!end) {
        if (final) {
          sink.malformed(line, 'truncated event: no </Event> before the end of the file');
          advance(buffer.length);
          endSearchFrom = -1;
        } else {
          // Resume just before the tail next time; `</Event >` is at most a few characters longer.
          endSearchFrom = Math.max(start + 1, buffer.length - 16) - start;
        }
        break;
      }
      endSearchFrom = -1;
      const stop = end.index + end[0].length;
      const xml = buffer.slice(start, stop);
      const parsed = parseEvent(xml);
      if (typeof parsed === 'string') sink.malformed(line, parsed);
      else emit(parsed, line, xml);
      advance(stop);
    }
    // The pending event (if any) starts at pos; endSearchFrom is relative to it.
    bufferLine = line;
    buffer = buffer.slice(pos);
    if (endSearchFrom >= 0) endSearchFrom = Math.max(1, endSearchFrom);
  };

  return {
    push(text: string) {
      if (text === '') return;
      buffer += text;
      scan(false);
    },
    end() {
      scan(true);
      consume(buffer.length);
      flushColumns();
    },
  };
}


// ---------------------------------------------------------------------------------------------
// One event

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME_CHAR = /[A-Za-z0-9_.:-]/;

/** Tiny non-validating XML parser for one event; returns the root element or an error text. */
export function parseXmlElement(xml: string): XmlElement | string {
  const root: XmlElement = { name: '#root', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let i = 0;
  const n = xml.length;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > i) stack[stack.length - 1].text += decodeEntities(xml.slice(i, textEnd));
    if (lt === -1) break;
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const close = xml.indexOf('-->', i + 4);
      if (close === -1) return 'unterminated comment';
      i = close + 3;
      continue;
    }
    if (xml.startsWith('<![CDATA[', i)) {
      const close = xml.indexOf(']]>', i + 9);
      if (close === -1) return 'unterminated CDATA section';
      stack[stack.length - 1].text += xml.slice(i + 9, close);
      i = close + 3;
      continue;
    }
    if (xml.startsWith('<?', i)) {
      const close = xml.indexOf('?>', i + 2);
      if (close === -1) return 'unterminated processing instruction';
      i = close + 2;
      continue;
    }
    if (xml.startsWith('</', i)) {
      const close = xml.indexOf('>', i + 2);
      if (close === -1) return 'unterminated end tag';
      const name = xml.slice(i + 2, close).trim();
      const top = stack.pop();
      if (!top || top === root || top.name !== name) return `unexpected </${name}>`;
      i = close + 1;
      continue;
    }
    // Start tag.
    let j = i + 1;
    while (j < n && NAME_CHAR.test(xml[j])) j++;
    const name = xml.slice(i + 1, j);
    if (name === '') return `stray "<" at offset ${i}`;
    const element: XmlElement = { name, attrs: {}, children: [], text: '' };
    for (;;) {
      while (j < n && /\s/.test(xml[j])) j++;
      if (j >= n) return `unterminated <${name}> tag`;
      if (xml[j] === '>') {
        j++;
        stack[stack.length - 1].children.push(element);
        stack.push(element);
        break;
      }
      if (xml.startsWith('/>', j)) {
        j += 2;
        stack[stack.length - 1].children.push(element);
        break;
      }
      const attrStart = j;
      while (j < n && NAME_CHAR.test(xml[j])) j++;
      const attr = xml.slice(attrStart, j);
      if (attr === '') return `bad attribute in <${name}>`;
      while (j < n && /\s/.test(xml[j])) j++;
      if (xml[j] !== '=') return `attribute ${attr} in <${name}> has no value`;
      j++;
      while (j < n && /\s/.test(xml[j])) j++;
      const quote = xml[j];
      if (quote !== '"' && quote !== "'") return `attribute ${attr} in <${name}> is not quoted`;
      const close = xml.indexOf(quote, j + 1);
      if (close === -1) return `unterminated attribute ${attr} in <${name}>`;
      element.attrs[attr] = decodeEntities(xml.slice(j + 1, close));
      j = close + 1;
    }
    i = j;
  }
  if (stack.length > 1) return `unclosed <${stack[stack.length - 1].name}>`;
  const elements = root.children;
  if (elements.length !== 1) return 'expected exactly one element';
  return elements[0];
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML's five named entities and numeric references; anything else is left as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isInteger(code) && code >= 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body] ?? whole;
  });
}

/** Data names are attacker-written text: `__proto__` must become a key, not a prototype. */
function setKey(record: RawRecord, key: string, value: string): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => localName(c.name) === name);
}

/** Text of an element as a whole: its own text plus its descendants' (for mixed content). */
function fullText(element: XmlElement): string {
  // Without recursion: an attacker-written event can nest elements thousands deep.
  let text = '';
  const stack: XmlElement[] = [element];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    text += next.text;
    for (let i = next.children.length - 1; i >= 0; i--) stack.push(next.children[i]);
  }
  return text;
}

const SYSTEM_TEXT = ['EventID', 'Version', 'Level', 'Task', 'Opcode', 'Keywords', 'EventRecordID', 'Channel', 'Computer'];

/** One `<Event>` element's text to a flat record, or an error text. */
export function parseEvent(xml: string): RawRecord | string {
  const parsed = parseXmlElement(xml);
  if (typeof parsed === 'string') return parsed;
  if (localName(parsed.name) !== 'Event') return `expected <Event>, found <${parsed.name}>`;
  const system = child(parsed, 'System');
  if (!system) return 'event has no <System> element';
  const record: RawRecord = {};
  for (const name of SYSTEM_TEXT) {
    const element = child(system, name);
    if (element) record[name] = fullText(element).trim();
  }
  const provider = child(system, 'Provider');
  if (provider) {
    const name = provider.attrs.Name ?? provider.attrs.EventSourceName;
    if (name !== undefined) record.Provider = name;
  }
  const time = child(system, 'TimeCreated');
  if (time?.attrs.SystemTime !== undefined) record.TimeCreated = time.attrs.SystemTime;
  const correlation = child(system, 'Correlation');
  if (correlation?.attrs.ActivityID !== undefined) record.ActivityID = correlation.attrs.ActivityID;
  const execution = child(system, 'Execution');
  if (execution?.attrs.ProcessID !== undefined) record.ExecutionProcessID = execution.attrs.ProcessID;
  if (execution?.attrs.ThreadID !== undefined) record.ExecutionThreadID = execution.attrs.ThreadID;
  const security = child(system, 'Security');
  if (security?.attrs.UserID !== undefined) record.SecurityUserID = security.attrs.UserID;

  const put = (name: string, value: string): void => {
    setKey(record, Object.hasOwn(record, name) ? `EventData.${name}` : name, value);
  };
  let unnamed = 0;
  const eventData = child(parsed, 'EventData');
  if (eventData) {
    for (const item of eventData.children) {
      const name = localName(item.name);
      if (name === 'Data') {
        const dataName = item.attrs.Name;
        if (dataName !== undefined && dataName !== '') put(dataName, fullText(item));
        else put(`Data${++unnamed}`, fullText(item));
      } else {
        put(name, fullText(item));
      }
    }
  }
  const userData = child(parsed, 'UserData');
  if (userData) {
    // Depth-first in document order, without recursion (see fullText).
    const stack = [...userData.children].reverse();
    for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
      const name = localName(item.name);
      if (name === 'Data' && item.attrs.Name) put(item.attrs.Name, fullText(item));
      else if (item.children.length === 0) put(name, item.text);
      else for (let i = item.children.length - 1; i >= 0; i--) stack.push(item.children[i]);
    }
  }
  const rendering = child(parsed, 'RenderingInfo');
  const message = rendering ? child(rendering, 'Message') : undefined;
  if (message) put('Message', fullText(message));
  return record;
}
