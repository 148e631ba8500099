import type { Expr, Literal } from './ast';
import type { MatchSpan } from './plan';
import { compileRegex } from './regex';
import { compileGlob, globPiecePositions, hasWildcard } from './values';

/** Most spans reported per comparison. */
export const MAX_SPANS = 20;

/**
 * A value lower-cased code point by code point, remembering where each folded code unit came
 * from. toLowerCase can change the length ('İ' becomes two code units), so offsets in the folded
 * text are mapped back and only spans that start and end on original character boundaries count.
 */
interface FoldedText {
  folded: string;
  /** For each folded offset (and the end): the original offset, or -1 inside a character's folding. */
  originalAt: Int32Array;
}

function foldWithMap(value: string): FoldedText {
  let folded = '';
  const originalAt: number[] = [];
  for (let i = 0; i < value.length; ) {
    const codePoint = value.codePointAt(i) ?? 0;
    const width = codePoint > 0xffff ? 2 : 1;
    const lower = value.slice(i, i + width).toLowerCase();
    originalAt.push(i);
    for (let extra = 1; extra < lower.length; extra++) originalAt.push(-1);
    folded += lower;
    i += width;
  }
  originalAt.push(value.length);
  return { folded, originalAt: Int32Array.from(originalAt) };
}

interface SpanSearch {
  value: string;
  caseSensitive: boolean;
  folded: FoldedText | null;
}

// eslint-disable-next-line no-control-regex -- the whole ASCII range, control characters included
const ASCII_ONLY = /^[\x00-\x7f]*$/;
/** Explaining one row searches the same command line for several literals: fold it once. */
let lastFolded: { value: string; folded: FoldedText } | null = null;

function foldOnce(value: string): FoldedText {
  if (lastFolded?.value === value) return lastFolded.folded;
  // ASCII lower-cases one code unit to one code unit, so the offsets map to themselves.
  const folded = ASCII_ONLY.test(value) ? { folded: value.toLowerCase(), originalAt: identityMap(value.length) } : foldWithMap(value);
  lastFolded = { value, folded };
  return folded;
}

let identity = new Int32Array(0);
function identityMap(length: number): Int32Array {
  if (identity.length <= length) {
    identity = new Int32Array(Math.max(length + 1, identity.length * 2));
    for (let i = 0; i < identity.length; i++) identity[i] = i;
  }
  return identity;
}

function createSearch(value: string, caseSensitive: boolean): SpanSearch {
  return { value, caseSensitive, folded: caseSensitive ? null : foldOnce(value) };
}

/** Maps [start, end) in the searched text to the original value, verifying the match; null if it does not hold. */
function toOriginal(search: SpanSearch, start: number, end: number, literal: string): [number, number] | null {
  if (end <= start) return null;
  if (search.folded === null) return search.value.slice(start, end) === literal ? [start, end] : null;
  const from = search.folded.originalAt[start];
  const to = search.folded.originalAt[end];
  if (from === undefined || to === undefined || from < 0 || to < 0 || to <= from) return null;
  return search.value.slice(from, to).toLowerCase() === literal.toLowerCase() ? [from, to] : null;
}

function searchedText(search: SpanSearch): string {
  return search.folded === null ? search.value : search.folded.folded;
}

function foldLiteral(search: SpanSearch, literal: string): string {
  return search.caseSensitive ? literal : literal.toLowerCase();
}

/** Non-overlapping occurrences of `literal` in `value`, as original [start, end) offsets. */
export function findOccurrences(value: string, literal: string, caseSensitive: boolean, field = ''): MatchSpan[] {
  const spans: MatchSpan[] = [];
  if (literal === '') return spans;
  const search = createSearch(value, caseSensitive);
  const haystack = searchedText(search);
  const needle = foldLiteral(search, literal);
  let from = 0;
  while (spans.length < MAX_SPANS) {
    const found = haystack.indexOf(needle, from);
    if (found === -1) break;
    const span = toOriginal(search, found, found + needle.length, literal);
    if (span) {
      spans.push({ field, start: span[0], end: span[1], literal });
      from = found + needle.length;
    } else {
      from = found + 1;
    }
  }
  return spans;
}

/** Spans of a wildcard pattern's pieces for the leftmost match (`anchored`: = rather than contains). */
export function findGlobPieces(value: string, pattern: string, caseSensitive: boolean, anchored: boolean, field = ''): MatchSpan[] {
  const search = createSearch(value, caseSensitive);
  const full = anchored ? pattern : `*${pattern}*`;
  const pieces = full.split('*');
  const positions = globPiecePositions(compileGlob(foldLiteral(search, full)), searchedText(search));
  const spans: MatchSpan[] = [];
  if (positions === null) return spans;
  const foldedPieces = foldLiteral(search, full).split('*');
  for (let p = 0; p < pieces.length && spans.length < MAX_SPANS; p++) {
    if (pieces[p] === '') continue;
    const start = positions[p];
    const span = toOriginal(search, start, start + foldedPieces[p].length, pieces[p]);
    if (span) spans.push({ field, start: span[0], end: span[1], literal: pieces[p] });
  }
  return spans;
}

function literalString(literal: Literal): string | null {
  if (literal.kind === 'string') return literal.value;
  if (literal.kind === 'enum') return literal.name;
  return null;
}

function equalitySpans(value: string, text: string, caseSensitive: boolean, field: string): MatchSpan[] {
  if (hasWildcard(text)) return findGlobPieces(value, text, caseSensitive, true, field);
  const equal = caseSensitive ? value === text : value.toLowerCase() === text.toLowerCase();
  return equal && value.length > 0 ? [{ field, start: 0, end: value.length, literal: text }] : [];
}

function asLiteral(expr: Expr): Literal | null {
  return expr.kind === 'string' || expr.kind === 'enum' || expr.kind === 'number' ? expr : null;
}

/**
 * Where a comparison that held matched inside a string value of `field`. Negated forms report
 * nothing: they hold because something was absent.
 */
export function leafSpans(expr: Expr, value: string, field: string, caseSensitive: boolean): MatchSpan[] {
  switch (expr.kind) {
    case 'compare': {
      const literal = expr.op === '=' ? asLiteral(expr.right) : null;
      const text = literal ? literalString(literal) : null;
      return text === null ? [] : equalitySpans(value, text, caseSensitive, field);
    }
    case 'contains': {
      if (expr.negated) return [];
      const literal = asLiteral(expr.right);
      if (!literal) return [];
      const text = literal.kind === 'number' ? String(literal.value) : literalString(literal);
      if (text === null) return [];
      return hasWildcard(text) ? findGlobPieces(value, text, caseSensitive, false, field) : findOccurrences(value, text, caseSensitive, field);
    }
    case 'in': {
      if (expr.negated) return [];
      for (const item of expr.items) {
        const literal = asLiteral(item);
        const text = literal ? literalString(literal) : null;
        if (text === null) continue;
        const spans = equalitySpans(value, text, caseSensitive, field);
        if (spans.length > 0) return spans;
      }
      return [];
    }
    case 'regex': {
      const regex = compileRegex(expr.pattern.value, !caseSensitive, true);
      if (typeof regex === 'string') return [];
      const spans: MatchSpan[] = [];
      for (const match of value.matchAll(regex)) {
        if (spans.length >= MAX_SPANS) break;
        const start = match.index;
        if (match[0].length > 0) spans.push({ field, start, end: start + match[0].length, literal: expr.pattern.value });
      }
      return spans;
    }
    default:
      return [];
  }
}
