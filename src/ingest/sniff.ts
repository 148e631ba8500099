import type { TextEncoding, TextFormat } from './types';
import { sniffDelimiter } from './delimited';

/**
 * Content sniffing. The file name is never trusted: a `.csv` that holds JSON is read as JSON.
 */

/** Bytes needed to tell gzip apart. */
export const GZIP_SNIFF_BYTES = 2;
/** Bytes looked at to choose the text encoding (BOM, or the NUL pattern of BOM-less UTF-16). */
export const ENCODING_SNIFF_BYTES = 64;
/** Decoded characters looked at to choose the format and to spot binary data. */
export const FORMAT_SNIFF_CHARS = 64 * 1024;

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

export interface EncodingGuess {
  encoding: TextEncoding;
  bom: boolean;
}

export function sniffEncoding(head: Uint8Array): EncodingGuess {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: true };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: true };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: true };
  // Without a BOM, ASCII-heavy UTF-16 shows a NUL in every other byte.
  const pairs = Math.floor(Math.min(head.length, ENCODING_SNIFF_BYTES) / 2);
  if (pairs >= 2) {
    let littleEndian = 0;
    let bigEndian = 0;
    for (let i = 0; i < pairs; i++) {
      const first = head[2 * i];
      const second = head[2 * i + 1];
      if (first !== 0 && second === 0) littleEndian++;
      else if (first === 0 && second !== 0) bigEndian++;
    }
    if (littleEndian >= pairs * 0.75) return { encoding: 'utf-16le', bom: false };
    if (bigEndian >= pairs * 0.75) return { encoding: 'utf-16be', bom: false };
  }
  return { encoding: 'utf-8', bom: false };
}

/** Characters of the first line looked at by `looksBinary`. */
const HEAD_LINE_CHARS = 4096;

function isControl(c: number): boolean {
  return c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12;
}

/**
 * The first line decides: it is the header (CSV), the first record (NDJSON, whose strings cannot
 * hold raw controls) or markup, written by the exporter; a NUL or more than 1% control characters
 * there mean this is not a text export. When the first line looks like a header or JSON/XML, the
 * rest is data: command lines are attacker-written and may hold NULs and escapes, which must not
 * get the whole export rejected (and the attacker's own events hidden). Otherwise (a first line
 * without any delimiter) NUL characters, or more than 1% other control characters, mean binary data.
 */
export function looksBinary(sample: string): boolean {
  const start = sample.search(/[^\s\uFEFF]/);
  if (start === -1) return false;
  const lineEnd = sample.indexOf('\n', start);
  const head = sample.slice(start, Math.min(lineEnd === -1 ? sample.length : lineEnd, start + HEAD_LINE_CHARS));
  let headControls = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0) return true;
    if (isControl(c)) headControls++;
  }
  if (headControls * 100 > head.length) return true;
  if (/^[[{<]/.test(head) || /[,;\t]/.test(head)) return false;
  let controls = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (!isControl(c)) continue;
    if (c === 0) return true;
    controls++;
  }
  return controls >= 4 && controls > sample.length / 100;
}

const XQL_API_START = /^\{\s*"reply"\s*:/;

/** The format of decoded text from its beginning (the first FORMAT_SNIFF_CHARS, or all of a short file). */
export function sniffFormat(sample: string): TextFormat {
  const start = sample.search(/[^\s\uFEFF]/);
  if (start === -1) return 'csv';
  const first = sample[start];
  if (first === '[') return 'json-array';
  if (first === '{') return XQL_API_START.test(sample.slice(start)) ? 'xql-api' : 'ndjson';
  if (first === '<') return 'xml-events';
  const lineEnd = sample.indexOf('\n', start);
  const delimiter = sniffDelimiter(firstHeaderLine(sample.slice(start, lineEnd === -1 ? sample.length : lineEnd), sample, lineEnd));
  return delimiter === '\t' ? 'tsv' : delimiter === ';' ? 'semicolon' : 'csv';
}

/** Excel's `sep=;` and PowerShell's `#TYPE ...` lines precede the header; sniff the header itself. */
function firstHeaderLine(line: string, sample: string, lineEnd: number): string {
  const preamble = /^sep=(.)\r?$/i.exec(line);
  if (preamble) return preamble[1];
  if (line.startsWith('#TYPE ') && lineEnd !== -1) {
    const nextEnd = sample.indexOf('\n', lineEnd + 1);
    return sample.slice(lineEnd + 1, nextEnd === -1 ? sample.length : nextEnd);
  }
  return line;
}
