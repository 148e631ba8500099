import { concatBytes } from './bytes';
import { GzipStage } from './gzip';
import type { ByteReader, FormatInfo, RecordSink, TextFormat } from './types';
import { createByteReader, EMPTY_FILE_WARNING, EMPTY_GZIP_WARNING } from './reader';
import { ENCODING_SNIFF_BYTES, FORMAT_SNIFF_CHARS, GZIP_SNIFF_BYTES, isGzip, looksBinary, sniffEncoding, sniffFormat } from './sniff';
import { OPEN_RECORD_CHAR_CAP, OPEN_RECORD_LINE_CAP } from './text-parser';

/**
 * The fast path's reader: a literal prefilter over the raw text BEFORE records are built.
 *
 * It wraps the normal reader (the "inner" reader, which stays the only parser) and decides which
 * bytes the inner reader gets to see. Until the sink calls `setFilter` (the engine does so once the
 * profile is bound), everything is fed, in pieces that end on record boundaries. Afterwards the
 * decompressed bytes are viewed 64 KiB at a time as one-byte-per-char strings (latin1), searched with one regular
 * expression for the literals of one CNF group, and only the records that contain a match and
 * satisfy a whole CNF are fed; the records in between are counted (`RecordSink.rowsSkipped`) and
 * their physical lines added to the line numbers the inner reader reports.
 *
 * Why latin1 and not UTF-8: decoding UTF-8 cost ~580 ms for the 316 MB bench CSV on the reference
 * machine, latin1 (Node's Buffer) ~110-220 ms. Every literal is printable ASCII, and in UTF-8 an
 * ASCII byte only ever stands for itself, so positions are byte offsets and an ASCII match in the
 * latin1 view is a match in the text. No latin1 character lower-cases to ASCII, so folding the view
 * is folding the text (BoundPlan.requiredLiterals already excludes the Kelvin sign and dotted I).
 *
 * Soundness: a record is skipped only if it provably lacks the literals, and (NDJSON) its line looks
 * like one object. CSV field counts are not checked for skipped records: a skipped record with the
 * wrong number of fields counts as a row (the full path reports it as malformed), so malformed rows
 * are reported among candidates only (RunStats.malformedCandidatesOnly). Anything unusual (a quoted
 * field that does not close within the open-record caps, a UTF-16 file, other formats) makes the
 * reader feed everything from that point on.
 */

type Cnf = readonly (readonly string[])[];

export interface CandidateFilter {
  /** A record is a candidate when any of these CNFs holds (two readings: one CNF each). */
  cnfs: readonly Cnf[];
  /** When false, every literal is lower-case and the text is lower-cased before comparing. */
  caseSensitive: boolean;
}

export interface CandidateReader extends ByteReader {
  /**
   * Called once, as soon as the literals are known (they need the profile, which is bound from the
   * first records). null: no prefilter, parse every record. May be called from inside `sink.record`.
   */
  setFilter(filter: CandidateFilter | null): void;
  /** Whether some records of this file were skipped without being parsed. */
  readonly skipped: boolean;
}

/** One string char per byte; offsets in it are byte offsets. */
export type Latin1Decoder = (bytes: Uint8Array) => string;

interface NodeBufferLike {
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): { toString(encoding: 'latin1'): string };
}

/**
 * Node's Buffer when present (measured ~5x faster than TextDecoder there), else TextDecoder's
 * windows-1252, which is also one code unit per byte and maps bytes >= 0x80 to non-ASCII only.
 */
export function defaultLatin1Decoder(): Latin1Decoder {
  const nodeBuffer = (globalThis as { Buffer?: NodeBufferLike }).Buffer;
  if (nodeBuffer) return (bytes) => nodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const decoder = new TextDecoder('windows-1252');
  return (bytes) => decoder.decode(bytes);
}

export interface CandidateReaderOptions {
  latin1?: Latin1Decoder;
  /** Bytes fed per piece before the filter is known (small, so the switch comes early). */
  warmupPiece?: number;
  /** Decompressed bytes gathered before a scan (amortises the per-scan costs for small outputs; scans go by windows anyway). */
  scanBatch?: number;
  /** Bytes of new data joined to the last piece's tail to finish its record (longer records join everything). */
  bridgeBytes?: number;
  /** Pieces at least this long are bridged; shorter ones are joined to the tail whole (one view, not two). */
  bridgeFrom?: number;
  /** Bytes viewed and searched at a time once scanning. */
  scanWindow?: number;
}

const NEWLINE = 10;
const CR = 13;
const QUOTE = 34;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
/** Returned by the record walkers when the record is not complete in the buffer. */
const INCOMPLETE = -1;

type Mode = 'head' | 'delegate' | 'warmup' | 'scan' | 'full';

export function createCandidateReader(fileName: string, sink: RecordSink, options: CandidateReaderOptions = {}): CandidateReader {
  return new CandidateByteReader(fileName, sink, options);
}

class CandidateByteReader implements CandidateReader {
  private mode: Mode = 'head';
  private rawHead: Uint8Array[] = [];
  private rawHeadLength = 0;
  private gunzip: GzipStage | null = null;
  /** Position in `text` of the next record boundary not yet fed or skipped. */
  private started = false;
  /** The incomplete record left by the last drain (a copy). */
  private tail: Uint8Array = new Uint8Array(0);
  /** The bytes being drained (the previous tail, then the new bytes); `text` is their latin1 view. */
  private buffer: Uint8Array = new Uint8Array(0);
  /** Reused to join the tail and the new bytes, so each drain copies but does not allocate. */
  private scratch: Uint8Array = new Uint8Array(0);
  private incoming: Uint8Array[] = [];
  private incomingLength = 0;
  private pos = 0;
  private text = '';
  /** Bumped whenever `text` is replaced (cheaper than comparing strings). */
  private textGeneration = 0;
  private inner: ByteReader | null = null;
  private format: TextFormat = 'csv';
  private delimiterCode = 44;
  private filter: CandidateFilter | null | undefined = undefined;
  private search: RegExp | null = null;
  /** Lines skipped so far: added to the inner reader's line numbers. */
  private lineOffset = 0;
  /** `\n` in everything seen (fed or skipped), for the gzip-problem line. */
  private newlinesSeen = 0;
  private compressed = false;
  skipped = false;
  private readonly latin1: Latin1Decoder;
  private readonly warmupPiece: number;
  private readonly scanBatch: number;
  private readonly bridgeBytes: number;
  private readonly bridgeFrom: number;
  private readonly scanWindow: number;
  private readonly fileName: string;
  private readonly sink: RecordSink;

  constructor(fileName: string, sink: RecordSink, options: CandidateReaderOptions) {
    this.fileName = fileName;
    this.sink = sink;
    this.latin1 = options.latin1 ?? defaultLatin1Decoder();
    this.warmupPiece = options.warmupPiece ?? 64 * 1024;
    this.scanBatch = options.scanBatch ?? 64 * 1024;
    this.bridgeBytes = options.bridgeBytes ?? 4 * 1024;
    this.bridgeFrom = options.bridgeFrom ?? 1024 * 1024;
    this.scanWindow = options.scanWindow ?? 64 * 1024;
  }

  setFilter(filter: CandidateFilter | null): void {
    if (this.filter !== undefined) return;
    this.filter = filter;
    if (filter !== null) this.search = searchExpression(filter, this.format);
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.mode === 'delegate') {
      this.inner?.push(chunk);
      return;
    }
    if (!this.started) {
      this.rawHead.push(chunk.slice()); // the caller may reuse its buffer
      this.rawHeadLength += chunk.length;
      if (this.rawHeadLength >= GZIP_SNIFF_BYTES) this.start();
      return;
    }
    if (this.gunzip) {
      if (this.mode === 'head') this.rawHead.push(chunk.slice());
      this.pushGzip(chunk);
    } else {
      this.onBytes(chunk, false);
    }
  }

  private start(): void {
    this.started = true;
    const head = concatBytes(this.rawHead, this.rawHeadLength);
    if (isGzip(head)) {
      this.compressed = true;
      this.rawHead = [head];
      this.gunzip = new GzipStage((data) => this.onBytes(data, false));
      this.pushGzip(head);
    } else {
      this.rawHead = [];
      this.onBytes(head, true);
    }
  }

  end(): void {
    if (!this.started) this.start();
    if (this.mode === 'delegate') {
      this.inner?.end();
      return;
    }
    this.gunzip?.end();
    if (this.mode === 'head') this.decide(true);
    // decide() may have delegated (TypeScript keeps the narrowing of `this.mode` across the call).
    if ((this.mode as Mode) === 'delegate') {
      this.inner?.end();
      return;
    }
    this.drain(true);
    this.inner?.end();
    const problem = this.gunzip?.problem ?? null;
    if (problem !== null) this.sink.malformed(this.newlinesSeen + 1, problem);
  }

  private pushGzip(bytes: Uint8Array): void {
    this.gunzip?.push(bytes);
  }

  /** Decompressed (or plain) bytes in. `owned`: the array is ours to keep. */
  private onBytes(bytes: Uint8Array, owned: boolean): void {
    if (bytes.length === 0) return;
    if (this.mode === 'delegate') return; // after delegation the inner reader decompresses itself
    if (this.mode === 'full') {
      if (this.compressed) this.newlinesSeen += countByte(bytes, NEWLINE);
      this.inner?.push(bytes);
      return;
    }
    const batch = this.mode === 'scan' ? this.scanBatch : this.mode === 'head' ? Infinity : 0;
    if (this.incomingLength + bytes.length < batch) {
      // Kept past this call: copy unless it is ours (the caller or fflate may reuse the memory).
      this.incoming.push(owned ? bytes : bytes.slice());
      this.incomingLength += bytes.length;
      if (this.mode === 'head') this.decide(false);
      if (this.mode === 'warmup') this.drain(false);
      return;
    }
    this.incoming.push(bytes);
    this.incomingLength += bytes.length;
    this.drain(false);
  }

  /** Chooses the mode from the first decompressed bytes, as the normal reader would sniff them. */
  private decide(atEnd: boolean): void {
    const head = concatBytes(this.incoming, this.incomingLength);
    this.incoming = [head];
    if (!atEnd && head.length < ENCODING_SNIFF_BYTES) return;
    const guess = sniffEncoding(head);
    if (guess.encoding !== 'utf-8') return this.delegate();
    const sample = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(head.subarray(0, FORMAT_SNIFF_CHARS * 4 + 4));
    if (!atEnd && sample.length < FORMAT_SNIFF_CHARS) return;
    const text = sample.slice(0, FORMAT_SNIFF_CHARS);
    if (looksBinary(text)) return this.delegate();
    const format = sniffFormat(text);
    if (format !== 'csv' && format !== 'tsv' && format !== 'semicolon' && format !== 'ndjson') return this.delegate();
    this.format = format;
    this.delimiterCode = format === 'tsv' ? 9 : format === 'semicolon' ? 59 : 44;
    this.rawHead = [];
    this.inner = createByteReader(this.fileName, this.innerSink());
    this.mode = 'warmup';
    if (guess.bom) {
      // The BOM is fed on its own (the inner reader strips it); then position 0 is the first record.
      this.inner.push(head.subarray(0, 3));
      this.incoming = [head.subarray(3)];
      this.incomingLength = head.length - 3;
    }
  }

  /** Hands the file to the normal reader unchanged (raw bytes, its own gunzip). */
  private delegate(): void {
    this.mode = 'delegate';
    this.inner = createByteReader(this.fileName, this.sink);
    // Gzip: the raw (compressed) chunks so far; plain: the bytes gathered for sniffing.
    const raw = this.gunzip ? this.rawHead : this.incoming;
    this.gunzip = null;
    for (const chunk of raw) this.inner.push(chunk);
    this.rawHead = [];
    this.incoming = [];
  }

  private innerSink(): RecordSink {
    const sink = this.sink;
    return {
      format: (info: FormatInfo) => sink.format?.(this.compressed ? { ...info, compression: 'gzip' } : info),
      columns: (columns) => sink.columns(columns),
      record: (record, line, rawText) => sink.record(record, line + this.lineOffset, rawText),
      malformed: (line, reason) => sink.malformed(line + this.lineOffset, reason),
      warning: (line, message) => {
        // The inner reader sees decompressed bytes: nothing decompressed means an empty gzip
        // stream, or a corrupt one, which end() reports itself.
        if (this.compressed && message === EMPTY_FILE_WARNING) {
          if (this.gunzip?.problem) return;
          message = EMPTY_GZIP_WARNING;
        }
        sink.warning?.(line + this.lineOffset, message);
      },
    };
  }

  /**
   * Works through the tail of the last call plus the new bytes: feeds, skips, and keeps (as a copy)
   * the incomplete last record, so no caller chunk is held after the call.
   */
  private drain(atEnd: boolean): void {
    const incoming = this.incoming.length === 1 ? (this.incoming[0] ?? new Uint8Array(0)) : concatBytes(this.incoming, this.incomingLength);
    this.incoming = [];
    this.incomingLength = 0;
    // Scanned a window at a time: a latin1 string of up to ~128 KiB is allocated in V8's young
    // generation (memory already mapped, freed by a cheap scavenge), a larger one in large-object
    // space (fresh pages, a major GC). Measured on the 316 MB bench CSV, latin1 view + search:
    // 16 MiB pieces 214 ms, 64 KiB windows 140 ms (median of 7).
    const window = this.scanWindow;
    let at = 0;
    while (this.mode === 'scan' && incoming.length - at > 2 * window && this.tail.length <= window) {
      this.drainPiece(incoming.subarray(at, at + window), false);
      at += window;
    }
    this.drainPiece(at === 0 ? incoming : incoming.subarray(at), atEnd);
  }

  /** Works through the tail of the last piece plus these new bytes. */
  private drainPiece(incoming: Uint8Array, atEnd: boolean): void {
    const tail = this.tail;
    this.tail = new Uint8Array(0);
    if (tail.length > 0 && incoming.length > this.bridgeBytes && incoming.length >= this.bridgeFrom) {
      // The tail's record is finished in a small joined piece; once past it, the new bytes are
      // worked through as they are. Joining them whole cost a copy per drain (a fresh array:
      // ~180 ms per 316 MB with allocation and GC; a reused one ~60 ms), and joining two latin1
      // strings made a cons string that every search flattened, doubling the regex time.
      this.setText(this.joinInScratch(tail, incoming.subarray(0, this.bridgeBytes)), 0);
      this.work();
      if (this.pos >= tail.length) {
        this.setText(incoming, this.pos - tail.length);
        this.work();
        return this.finish(atEnd);
      }
      // A record longer than the bridge: nothing of it was consumed, so join everything.
    }
    this.setText(tail.length === 0 ? incoming : this.joinInScratch(tail, incoming), 0);
    this.work();
    this.finish(atEnd);
  }

  private setText(buffer: Uint8Array, pos: number): void {
    this.buffer = buffer;
    this.text = this.latin1(buffer);
    this.textGeneration++;
    this.pos = pos;
  }

  /** One flat array of `first` then `second`, in a reused scratch array (valid until the next join). */
  private joinInScratch(first: Uint8Array, second: Uint8Array): Uint8Array {
    const total = first.length + second.length;
    if (this.scratch.length < total) this.scratch = new Uint8Array(Math.max(total, Math.ceil(this.scratch.length * 1.5)));
    const joined = this.scratch.subarray(0, total);
    joined.set(first, 0);
    joined.set(second, first.length);
    return joined;
  }

  private work(): void {
    if (this.mode === 'warmup') this.warmup();
    if (this.mode === 'scan') this.scan();
  }

  /** Keeps (as a copy) the incomplete last record, or hands the rest to the parser. */
  private finish(atEnd: boolean): void {
    const tailTooLarge = this.text.length - this.pos > OPEN_RECORD_CHAR_CAP || countChar(this.text, this.pos, this.text.length, OPEN_RECORD_LINE_CAP + 1) > OPEN_RECORD_LINE_CAP;
    if (tailTooLarge) this.mode = 'full';
    if (this.mode === 'full' || atEnd) {
      // The rest goes to the real parser, which also handles a last record without a newline.
      const rest = this.bytes(this.pos, this.text.length);
      if (this.compressed) this.newlinesSeen += countChar(this.text, this.pos, this.text.length);
      if (rest.length > 0) this.inner?.push(rest);
    } else {
      this.tail = this.bytes(this.pos, this.text.length).slice();
    }
    this.buffer = new Uint8Array(0);
    this.text = '';
    this.pos = 0;
  }

  /** Before the filter is known: feed whole records, a small piece at a time, and switch when told. */
  private warmup(): void {
    while (this.filter === undefined) {
      const from = this.pos;
      let to = from;
      while (to - from < this.warmupPiece) {
        const end = this.recordEnd(to);
        if (end === INCOMPLETE) break;
        to = end;
      }
      if (to === from) return;
      this.feed(from, to);
      this.pos = to;
    }
    this.mode = this.filter === null ? 'full' : 'scan';
  }

  private feed(from: number, to: number): void {
    if (this.compressed) this.newlinesSeen += countChar(this.text, from, to);
    this.inner?.push(this.bytes(from, to));
  }

  /** Bytes [from, to) of the text being drained. */
  private bytes(from: number, to: number): Uint8Array {
    return this.buffer.subarray(from, to);
  }

  /** The candidate scan over complete records in the buffer. */
  private scan(): void {
    const text = this.text;
    const search = this.search;
    const filter = this.filter;
    if (!search || !filter) {
      this.mode = 'full';
      return;
    }
    const ndjson = this.format === 'ndjson';
    let pos = this.pos;
    let rows = 0;
    let lines = 0;
    let match = -2;
    for (;;) {
      if (match !== -1 && match < pos) {
        search.lastIndex = pos;
        const found = search.exec(text);
        match = found ? found.index : -1;
      }
      // Up to the record holding the match (or the buffer's end), count records without building them.
      const limit = match === -1 ? text.length : match;
      if (ndjson) {
        for (;;) {
          const newline = text.indexOf('\n', pos);
          if (newline === -1 || newline >= limit) break;
          const contentEnd = newline > pos && text.charCodeAt(newline - 1) === CR ? newline - 1 : newline;
          if (contentEnd > pos) {
            if (text.charCodeAt(pos) !== OPEN_BRACE || text.charCodeAt(contentEnd - 1) !== CLOSE_BRACE) {
              // Not obviously one object: the parser decides (and reports it if it is malformed).
              this.flushSkipped(rows, lines);
              rows = 0;
              lines = 0;
              this.feed(pos, newline + 1);
              pos = newline + 1;
              continue;
            }
            rows++;
          }
          lines++;
          pos = newline + 1;
        }
      } else {
        for (;;) {
          const end = this.recordEnd(pos, limit);
          if (end === INCOMPLETE) break;
          if (!this.blankAt(pos, end)) rows++;
          lines += this.lastRecordLines;
          pos = end;
        }
      }
      if (match === -1) break;
      // `pos` is now the start of the record holding the match.
      const end = this.recordEnd(pos);
      if (end === INCOMPLETE) break;
      const record = text.slice(pos, end);
      if (accepts(filter, filter.caseSensitive ? record : record.toLowerCase()) || (ndjson && !plainNdjsonLine(record))) {
        this.flushSkipped(rows, lines);
        rows = 0;
        lines = 0;
        this.feed(pos, end);
      } else {
        rows++; // a record holding a match is never blank
        lines += this.lastRecordLines;
      }
      pos = end;
    }
    this.flushSkipped(rows, lines);
    this.pos = pos;
  }

  private flushSkipped(rows: number, lines: number): void {
    if (rows === 0 && lines === 0) return;
    this.skipped = true;
    this.lineOffset += lines;
    this.newlinesSeen += lines;
    this.sink.rowsSkipped?.(rows, lines);
  }

  private blankAt(start: number, end: number): boolean {
    const length = end - start;
    return length === 1 || (length === 2 && this.text.charCodeAt(start) === CR);
  }

  /** `\n` inside the last record that `recordEnd` completed, its terminator included. */
  private lastRecordLines = 0;

  /**
   * End (just after its `\n`) of the record that starts at `start`, or INCOMPLETE when the buffer
   * does not hold all of it or it does not end before `limit`. CSV follows DelimitedScanner exactly:
   * a quote opens a quoted field only at the start of a cell; inside, `""` is a quote; any other
   * quote is literal.
   */
  private recordEnd(start: number, limit = Infinity): number {
    const text = this.text;
    if (this.format === 'ndjson') {
      const newline = text.indexOf('\n', start);
      this.lastRecordLines = 1;
      return newline === -1 || newline >= limit ? INCOMPLETE : newline + 1;
    }
    let lines = 0;
    let at = start;
    // The record's first newline: searched once, and again only past a quoted field that spans it.
    let newline = text.indexOf('\n', start);
    if (newline === -1 || newline >= limit) return INCOMPLETE;
    for (;;) {
      const quote = this.quoteFrom(at);
      if (quote === -1 || quote > newline) {
        this.lastRecordLines = lines + 1;
        return newline + 1;
      }
      if (quote !== start && text.charCodeAt(quote - 1) !== this.delimiterCode) {
        at = quote + 1; // a quote inside an unquoted cell is literal
        continue;
      }
      let close = quote + 1;
      for (;;) {
        close = text.indexOf('"', close);
        // A quote in the last char may be the first of a "" pair: wait for more text.
        if (close === -1 || close + 1 >= text.length || close >= limit) return INCOMPLETE;
        if (text.charCodeAt(close + 1) !== QUOTE) break;
        close += 2;
      }
      if (newline < close) {
        lines += countChar(text, newline, close);
        newline = text.indexOf('\n', close + 1);
        if (newline === -1 || newline >= limit) return INCOMPLETE;
      }
      at = close + 1; // after the closing quote the cell runs on unquoted to the delimiter
    }
  }

  private nextQuote = -2;
  private quoteGeneration = -1;

  private quoteFrom(from: number): number {
    if (this.quoteGeneration !== this.textGeneration) {
      this.quoteGeneration = this.textGeneration;
      this.nextQuote = -2;
    }
    if (this.nextQuote === -2 || (this.nextQuote !== -1 && this.nextQuote < from)) this.nextQuote = this.text.indexOf('"', from);
    return this.nextQuote;
  }
}

/** An NDJSON line the parser turns into exactly one row: `{...}`, no envelope key (see unwrapJsonRecord). */
function plainNdjsonLine(line: string): boolean {
  const contentEnd = line.length - (line.endsWith('\r\n') ? 2 : line.endsWith('\n') ? 1 : 0);
  return (
    line.charCodeAt(0) === OPEN_BRACE &&
    line.charCodeAt(contentEnd - 1) === CLOSE_BRACE &&
    !line.includes('"preview"') &&
    !line.includes('"lastrow"')
  );
}

function accepts(filter: CandidateFilter, text: string): boolean {
  for (const cnf of filter.cnfs) if (satisfiesCnf(text, cnf)) return true;
  return false;
}

function satisfiesCnf(text: string, cnf: Cnf): boolean {
  for (const group of cnf) {
    let found = false;
    for (const literal of group) {
      if (text.includes(literal)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

/** Literals of one group (no literal that contains another, since the shorter one finds both). */
export function reduceGroup(group: readonly string[]): string[] {
  const unique = [...new Set(group)];
  return unique.filter((literal) => !unique.some((other) => other !== literal && literal.includes(other)));
}

/**
 * The group to search: few alternatives, long literals (a static guess at selectivity; a group like
 * ["cmd.exe", ...] matches a large share of process events, ["cloudflare"] almost none).
 */
export function bestGroup(cnf: Cnf): string[] {
  let best: string[] = [];
  let bestScore = -Infinity;
  for (const group of cnf) {
    const reduced = reduceGroup(group);
    if (reduced.length === 0) continue;
    const shortest = Math.min(...reduced.map((literal) => literal.length));
    const score = shortest - 4 * (reduced.length - 1);
    if (score > bestScore) {
      bestScore = score;
      best = reduced;
    }
  }
  return best;
}

/**
 * One expression for the union of the best group of each CNF: a record that satisfies any CNF
 * contains one of them. For NDJSON it also finds Splunk envelope keys, whose lines may be skipped
 * by the parser instead of counted (see unwrapJsonRecord), so such lines are always parsed. Joined
 * here rather than searched apart: on NDJSON text the joined expression took 37 ms per 68 MB, the
 * literal alone 20 ms and the keys alone 43 ms (a regex) or 66 ms (indexOf; `"` is everywhere in JSON).
 */
export function searchExpression(filter: CandidateFilter, format: TextFormat): RegExp | null {
  const literals = reduceGroup(filter.cnfs.flatMap((cnf) => bestGroup(cnf)));
  if (literals.length === 0 || filter.cnfs.some((cnf) => cnf.length === 0)) return null;
  const parts = literals.map(escapeRegExp);
  if (format === 'ndjson') parts.push('"preview"', '"lastrow"');
  // The i flag without u: ASCII letters fold, and no char >= U+0080 folds to ASCII (ES Canonicalize).
  return new RegExp(parts.join('|'), filter.caseSensitive ? 'g' : 'gi');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function countChar(text: string, from: number, to: number, cap = Infinity): number {
  let count = 0;
  for (let at = text.indexOf('\n', from); at !== -1 && at < to && count < cap; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

function countByte(bytes: Uint8Array, byte: number): number {
  let count = 0;
  for (let at = bytes.indexOf(byte); at !== -1; at = bytes.indexOf(byte, at + 1)) count++;
  return count;
}

