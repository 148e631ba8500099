import { failAt } from './errors';
import { readStringLiteral, valueForReading } from './literals';
import type { StringReadings } from './literals';
import type { EscapeReading, SourcePos } from './plan';

export type TokenKind = 'ident' | 'number' | 'string' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The token's source text (for strings including the quotes). */
  text: string;
  pos: SourcePos;
  /** Strings: the value under the chosen reading. */
  value: string;
  /** Strings: both readings of the same inner text. */
  readings: StringReadings | null;
  tripleQuoted: boolean;
  /** Strings read under one reading whose closing quote would differ under the other reading. */
  boundariesDiffer: boolean;
}

const OPERATORS = ['!=', '<=', '>=', '~=', '|', '(', ')', ',', '=', '<', '>', '*', '-'];
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;

/** Maps offsets to 1-based line and column. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  pos(start: number, end: number): SourcePos {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= start) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: start - this.lineStarts[low] + 1, start, end };
  }
}

/** Where a normal "..." string opened at `open` closes under a reading; -1 when it never does. */
function findClosingQuote(text: string, open: number, reading: EscapeReading): number {
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && reading === 'backslash') {
      i++;
      continue;
    }
    if (ch === '"') return i;
  }
  return -1;
}

/** Where a """...""" string opened at `open` closes (index of the closing triple); -1 when never. */
function findClosingTriple(text: string, open: number): number {
  for (let i = open + 3; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
      continue;
    }
    if (text.startsWith('"""', i)) return i;
  }
  return -1;
}

export function lex(text: string, reading: EscapeReading): Token[] {
  const lines = new LineIndex(text);
  const tokens: Token[] = [];
  const push = (kind: TokenKind, start: number, end: number, extra?: Partial<Token>): void => {
    const source = text.slice(start, end);
    tokens.push({
      kind,
      text: source,
      pos: lines.pos(start, end),
      value: source,
      readings: null,
      tripleQuoted: false,
      boundariesDiffer: false,
      ...extra,
    });
  };

  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v' || ch === '\u00a0' || ch === '\ufeff') {
      i++;
      continue;
    }
    if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (ch === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close === -1) failAt('Unterminated /* comment: it is never closed with */.', lines.pos(i, i + 2));
      i = close + 2;
      continue;
    }
    if (ch === '"') {
      if (text.startsWith('"""', i)) {
        const close = findClosingTriple(text, i);
        if (close === -1) failAt('Unterminated """ string: no closing """.', lines.pos(i, i + 3));
        const readings = readStringLiteral(text.slice(i + 3, close), true);
        push('string', i, close + 3, { readings, value: valueForReading(readings, reading), tripleQuoted: true });
        i = close + 3;
        continue;
      }
      const close = findClosingQuote(text, i, reading);
      if (close === -1) failAt('Unterminated string literal: no closing ".', lines.pos(i, i + 1));
      const readings = readStringLiteral(text.slice(i + 1, close), false);
      const other: EscapeReading = reading === 'xql' ? 'backslash' : 'xql';
      const boundariesDiffer = findClosingQuote(text, i, other) !== close;
      push('string', i, close + 1, { readings, value: valueForReading(readings, reading), boundariesDiffer });
      i = close + 1;
      continue;
    }
    if (DIGIT.test(ch)) {
      let end = i;
      while (end < text.length && DIGIT.test(text[end])) end++;
      if (text[end] === '.' && DIGIT.test(text[end + 1] ?? '')) {
        end++;
        while (end < text.length && DIGIT.test(text[end])) end++;
      }
      push('number', i, end);
      i = end;
      continue;
    }
    if (IDENT_START.test(ch)) {
      let end = i;
      for (;;) {
        while (end < text.length && IDENT_PART.test(text[end])) end++;
        // Dotted names: ENUM.PROCESS, xdm.source.host.hostname.
        if (text[end] === '.' && IDENT_START.test(text[end + 1] ?? '')) {
          end++;
          continue;
        }
        break;
      }
      push('ident', i, end);
      i = end;
      continue;
    }
    const operator = OPERATORS.find((candidate) => text.startsWith(candidate, i));
    if (operator) {
      push('op', i, i + operator.length);
      i += operator.length;
      continue;
    }
    const codePoint = String.fromCodePoint(text.codePointAt(i) ?? 0);
    failAt(`Unexpected character ${JSON.stringify(codePoint)}.`, lines.pos(i, i + 1));
  }
  push('eof', text.length, text.length);
  return tokens;
}

/** Whitespace-collapsed source text of tokens [from, to): comments dropped, gaps become one space. */
export function tokensText(text: string, tokens: readonly Token[], from: number, to: number): string {
  let out = '';
  for (let t = from; t < to; t++) {
    const token = tokens[t];
    if (token.kind === 'eof') break;
    if (t > from && token.pos.start > tokens[t - 1].pos.end) out += ' ';
    out += text.slice(token.pos.start, token.pos.end);
  }
  return out;
}
