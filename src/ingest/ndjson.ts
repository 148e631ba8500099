import type { RecordSink } from './types';
import type { TextParser } from './text-parser';
import { JsonRecordEmitter } from './json-records';

/** Newline-delimited JSON: one object per line, blank lines ignored, bad lines reported and skipped. */
class NdjsonParser implements TextParser {
  private buffer = '';
  private line = 1;
  /** `buffer` holds no `\n` before this index. */
  private searchFrom = 0;
  private readonly emitter: JsonRecordEmitter;

  constructor(sink: RecordSink) {
    this.emitter = new JsonRecordEmitter(sink);
  }

  push(text: string): void {
    if (text === '') return;
    this.buffer += text;
    const buffer = this.buffer;
    let start = 0;
    let newline = buffer.indexOf('\n', this.searchFrom);
    while (newline !== -1) {
      this.acceptLine(buffer.slice(start, newline > start && buffer.charCodeAt(newline - 1) === 13 ? newline - 1 : newline));
      start = newline + 1;
      newline = buffer.indexOf('\n', start);
    }
    this.buffer = start === 0 ? buffer : buffer.slice(start);
    this.searchFrom = this.buffer.length;
  }

  end(): void {
    const rest = this.buffer;
    this.buffer = '';
    if (rest !== '') this.acceptLine(rest.endsWith('\r') ? rest.slice(0, -1) : rest);
    this.emitter.flush();
  }

  private acceptLine(text: string): void {
    const line = this.line++;
    // Blank means JSON whitespace only: a line of U+2028 or NBSP is not JSON, whatever trim() says.
    if (text === '' || (text.charCodeAt(0) <= 32 && /^[ \t\r]*$/.test(text))) return;
    this.emitter.acceptText(text, line);
  }
}

export function createNdjsonParser(sink: RecordSink): TextParser {
  return new NdjsonParser(sink);
}
