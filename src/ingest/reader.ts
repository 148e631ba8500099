import { concatBytes } from './bytes';
import { GzipStage } from './gzip';
import type { ByteReader, Compression, FormatInfo, RecordSink, TextEncoding, TextFormat } from './types';
import type { TextParser } from './text-parser';
import { countLineBreaks } from './text-parser';
import { createDelimitedParser } from './delimited';
import { createNdjsonParser } from './ndjson';
import { createJsonArrayParser, createXqlApiParser } from './json-stream';
import { createXmlEventParser } from './xml-events';
import { ENCODING_SNIFF_BYTES, FORMAT_SNIFF_CHARS, GZIP_SNIFF_BYTES, isGzip, looksBinary, sniffEncoding, sniffFormat } from './sniff';

/**
 * Entry point: bytes of one file in, records out. Stages: gzip (sniffed from magic bytes) ->
 * text decoding (BOM / UTF-16 sniffed) -> format (sniffed from the first 64 KiB of text) -> parser.
 * Each stage buffers only what it needs to decide, then streams.
 */
export function createByteReader(fileName: string, sink: RecordSink): ByteReader {
  return new FileByteReader(fileName, sink);
}

export function createTextParser(format: TextFormat, sink: RecordSink): TextParser {
  switch (format) {
    case 'csv':
      return createDelimitedParser(sink, ',');
    case 'tsv':
      return createDelimitedParser(sink, '\t');
    case 'semicolon':
      return createDelimitedParser(sink, ';');
    case 'ndjson':
      return createNdjsonParser(sink);
    case 'json-array':
      return createJsonArrayParser(sink);
    case 'xql-api':
      return createXqlApiParser(sink);
    case 'xml-events':
      return createXmlEventParser(sink);
  }
}


/** Chooses the format from the first decoded text, rejects binary data, then streams into the parser. */
class FormatStage {
  private sample: string[] = [];
  private sampleLength = 0;
  private parser: TextParser | null = null;
  /** Classic Mac text (CR-only line endings): every CR is read as a line break. */
  private crOnly = false;
  /** Set once the content turned out to be binary: everything after is ignored. */
  ignored = false;
  private readonly sink: RecordSink;
  private readonly fileName: string;
  private readonly describe: () => { compression: Compression; encoding: TextEncoding; bom: boolean };

  constructor(sink: RecordSink, fileName: string, describe: () => { compression: Compression; encoding: TextEncoding; bom: boolean }) {
    this.sink = sink;
    this.fileName = fileName;
    this.describe = describe;
  }

  pushText(text: string): void {
    if (this.ignored || text === '') return;
    if (this.parser) {
      this.parser.push(this.crOnly ? text.replace(/\r/g, '\n') : text);
      return;
    }
    this.sample.push(text);
    this.sampleLength += text.length;
    if (this.sampleLength >= FORMAT_SNIFF_CHARS) this.start();
  }

  end(): void {
    if (this.ignored) return;
    if (!this.parser) this.start();
    this.parser?.end();
  }

  private start(): void {
    const text = this.sample.join('');
    this.sample = [];
    if (looksBinary(text.slice(0, FORMAT_SNIFF_CHARS))) {
      this.ignored = true;
      this.sink.columns([]);
      const hint = /\.evtx$/i.test(this.fileName) ? ' (EVTX must be exported to XML, CSV or JSON first)' : '';
      this.sink.malformed(1, `binary data, not a text export${hint}`);
      return;
    }
    const format = sniffFormat(text.slice(0, FORMAT_SNIFF_CHARS));
    const info: FormatInfo = { format, ...this.describe() };
    this.sink.format?.(info);
    this.parser = createTextParser(format, this.sink);
    // No LF at all in the sample but CRs: line endings of classic Mac OS (and some exporters).
    const head = text.slice(0, FORMAT_SNIFF_CHARS);
    if (!head.includes('\n') && head.includes('\r')) {
      this.crOnly = true;
      this.sink.warning?.(1, 'CR-only line endings (classic Mac); each CR read as a line break');
    }
    this.parser.push(this.crOnly ? text.replace(/\r/g, '\n') : text);
  }
}

/** Decodes bytes to text; counts line breaks and replacement characters for the invalid-text warning. */
class DecodingStage {
  private head: Uint8Array[] = [];
  private headLength = 0;
  private decoder: TextDecoder | null = null;
  encoding: TextEncoding = 'utf-8';
  bom = false;
  /** `\n` decoded so far. */
  lineBreaks = 0;
  /** Bytes received (after gzip). */
  bytes = 0;
  private replacements = 0;
  private firstReplacementLine = 0;
  /** Last two bytes of the previous chunk, to spot a genuine U+FFFD (EF BF BD) split across chunks. */
  private carry: number[] = [];
  private readonly output: FormatStage;
  private readonly sink: RecordSink;

  constructor(output: FormatStage, sink: RecordSink) {
    this.output = output;
    this.sink = sink;
  }

  pushBytes(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.bytes += bytes.length;
    if (!this.decoder) {
      this.head.push(bytes.slice());
      this.headLength += bytes.length;
      if (this.headLength < ENCODING_SNIFF_BYTES) return;
      this.startDecoding();
      return;
    }
    // Decoded a piece at a time: strings up to ~128 KiB live in V8's young generation and die in
    // cheap scavenges; whole 16 MiB slices made large strings that piled up as garbage until a
    // full GC (the browser's coverage pass over the 316 MB CSV peaked at ~325 MB of worker heap).
    for (let at = 0; at < bytes.length; at += DECODE_PIECE) this.decode(bytes.subarray(at, at + DECODE_PIECE), true);
  }

  end(): void {
    if (!this.decoder) this.startDecoding();
    this.decode(new Uint8Array(0), false);
    this.output.end();
    if (this.replacements > 0 && !this.output.ignored) {
      const what = this.encoding === 'utf-8' ? 'UTF-8' : 'UTF-16';
      const times = this.replacements === 1 ? '1 sequence' : `${this.replacements} sequences`;
      this.sink.warning?.(this.firstReplacementLine, `invalid ${what} replaced by U+FFFD (${times})`);
    }
  }

  private startDecoding(): void {
    const head = concatBytes(this.head, this.headLength);
    this.head = [];
    const guess = sniffEncoding(head);
    this.encoding = guess.encoding;
    this.bom = guess.bom;
    // The decoder strips the BOM itself (ignoreBOM: false).
    this.decoder = new TextDecoder(guess.encoding, { fatal: false, ignoreBOM: false });
    this.decode(head, true);
  }

  private decode(bytes: Uint8Array, stream: boolean): void {
    if (!this.decoder || this.output.ignored) return;
    const text = this.decoder.decode(bytes, { stream });
    const replacement = text.indexOf('\uFFFD');
    if (replacement !== -1) this.countReplacements(text, replacement, bytes);
    if (bytes.length >= 2) this.carry = [bytes[bytes.length - 2], bytes[bytes.length - 1]];
    else if (bytes.length === 1) this.carry = [...this.carry.slice(-1), bytes[0]];
    this.lineBreaks += countLineBreaks(text);
    this.output.pushText(text);
  }

  private countReplacements(text: string, first: number, bytes: Uint8Array): void {
    let decoded = 0;
    for (let at = first; at !== -1; at = text.indexOf('\uFFFD', at + 1)) decoded++;
    const invalid = this.encoding === 'utf-8' ? decoded - this.countEncodedReplacementChars(bytes) : decoded;
    if (invalid <= 0) return;
    if (this.replacements === 0) this.firstReplacementLine = this.lineBreaks + countLineBreaks(text, 0, first) + 1;
    this.replacements += invalid;
  }

  /** Genuine U+FFFD characters in the source (EF BF BD), which are not decoding errors. */
  private countEncodedReplacementChars(bytes: Uint8Array): number {
    let count = 0;
    const edge = [...this.carry, ...bytes.subarray(0, 2)];
    for (let i = 0; i < this.carry.length; i++) {
      if (edge[i] === 0xef && edge[i + 1] === 0xbf && edge[i + 2] === 0xbd) count++;
    }
    for (let at = bytes.indexOf(0xef); at !== -1 && at + 2 < bytes.length; at = bytes.indexOf(0xef, at + 1)) {
      if (bytes[at + 1] === 0xbf && bytes[at + 2] === 0xbd) count++;
    }
    return count;
  }
}

/** Bytes decoded per call (see DecodingStage.pushBytes). */
const DECODE_PIECE = 64 * 1024;

export const EMPTY_FILE_WARNING = 'empty file (0 bytes)';
export const EMPTY_GZIP_WARNING = 'the gzip stream holds no data';

class FileByteReader implements ByteReader {
  private head: Uint8Array[] = [];
  private headLength = 0;
  private started = false;
  private compression: Compression = 'none';
  private gunzip: GzipStage | null = null;
  private readonly formatStage: FormatStage;
  private readonly decodingStage: DecodingStage;
  private readonly sink: RecordSink;

  constructor(fileName: string, sink: RecordSink) {
    this.sink = sink;
    this.formatStage = new FormatStage(sink, fileName, () => ({
      compression: this.compression,
      encoding: this.decodingStage.encoding,
      bom: this.decodingStage.bom,
    }));
    this.decodingStage = new DecodingStage(this.formatStage, sink);
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0 || this.formatStage.ignored) return;
    if (!this.started) {
      this.head.push(chunk.slice()); // the caller may reuse its buffer
      this.headLength += chunk.length;
      if (this.headLength < GZIP_SNIFF_BYTES) return;
      this.start();
      return;
    }
    this.forward(chunk);
  }

  end(): void {
    if (!this.started) this.start();
    if (this.gunzip && !this.formatStage.ignored) this.gunzip.end();
    this.decodingStage.end();
    const problem = this.gunzip?.problem ?? null;
    if (problem !== null) this.sink.malformed(this.decodingStage.lineBreaks + 1, problem);
    else if (this.decodingStage.bytes === 0) this.sink.warning?.(1, this.gunzip ? EMPTY_GZIP_WARNING : EMPTY_FILE_WARNING);
  }

  private start(): void {
    this.started = true;
    const head = concatBytes(this.head, this.headLength);
    this.head = [];
    if (isGzip(head)) {
      this.compression = 'gzip';
      this.gunzip = new GzipStage((data) => this.decodingStage.pushBytes(data));
    }
    this.forward(head);
  }

  private forward(chunk: Uint8Array): void {
    if (!this.gunzip) {
      this.decodingStage.pushBytes(chunk);
      return;
    }
    this.gunzip.push(chunk);
  }
}
