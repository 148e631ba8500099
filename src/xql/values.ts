import type { Row, Value } from '../engine/value';

/** A compiled expression: computes a value from a row. */
export type ValueFn = (row: Row) => Value;
/** A compiled predicate. */
export type PredicateFn = (row: Row) => boolean;

export function readField(row: Row, field: string): Value {
  const value = row[field];
  return value === undefined ? null : value;
}

/** Decimal numbers only: Number() would also accept "0x10", "", " " and "Infinity". */
const NUMERIC_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

export function parseNumericText(text: string): number | null {
  if (!NUMERIC_TEXT.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** A number, or a string that parses as a finite number; else null. */
export function toNumber(value: Value): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return parseNumericText(value);
  return null;
}

/** Text form of a value for string operations; booleans read as the export spells them. */
export function stringify(value: Value): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return JSON.stringify(value);
}

export function isTruthy(value: Value): boolean {
  if (value === true) return true;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.toLowerCase() === 'true';
  return false;
}

/**
 * Lower-cases strings, remembering the last input: consecutive comparisons on the same field of
 * the same row (the common shape of hunt queries) fold the value only once.
 */
export function createFolder(): (text: string) => string {
  let lastSource = '';
  let lastFolded = '';
  return (text: string): string => {
    if (text !== lastSource) {
      lastSource = text;
      lastFolded = text.toLowerCase();
    }
    return lastFolded;
  };
}

export const identity = (text: string): string => text;

/** An XQL wildcard pattern split at `*`; pieces are already case-folded when matching is insensitive. */
export interface Glob {
  pieces: string[];
}

export function hasWildcard(text: string): boolean {
  return text.includes('*');
}

export function compileGlob(pattern: string): Glob {
  return { pieces: pattern.split('*') };
}

/**
 * Positions of the glob's pieces in `text` for the leftmost match, or null when it does not match.
 * Leftmost-first placement of the middle pieces is exact for patterns whose only wildcard is `*`.
 */
export function globPiecePositions(glob: Glob, text: string): number[] | null {
  const { pieces } = glob;
  const first = pieces[0];
  if (pieces.length === 1) return text === first ? [0] : null;
  const last = pieces[pieces.length - 1];
  if (text.length < first.length + last.length) return null;
  if (!text.startsWith(first) || !text.endsWith(last)) return null;
  const positions = [0];
  let cursor = first.length;
  const end = text.length - last.length;
  for (let p = 1; p < pieces.length - 1; p++) {
    const piece = pieces[p];
    const found = text.indexOf(piece, cursor);
    if (found === -1 || found + piece.length > end) return null;
    positions.push(found);
    cursor = found + piece.length;
  }
  positions.push(end);
  return positions;
}

export function globMatches(glob: Glob, text: string): boolean {
  const { pieces } = glob;
  const first = pieces[0];
  if (pieces.length === 1) return text === first;
  const last = pieces[pieces.length - 1];
  if (text.length < first.length + last.length) return false;
  if (!text.startsWith(first) || !text.endsWith(last)) return false;
  let cursor = first.length;
  const end = text.length - last.length;
  for (let p = 1; p < pieces.length - 1; p++) {
    const piece = pieces[p];
    const found = text.indexOf(piece, cursor);
    if (found === -1 || found + piece.length > end) return false;
    cursor = found + piece.length;
  }
  return true;
}

/** Ordering used by sort and by min/max on mixed values: nulls, booleans, numbers, strings, others. */
function rank(value: Value): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return 1;
  if (typeof value === 'number') return 2;
  if (typeof value === 'string') return parseNumericText(value) === null ? 3 : 2;
  return 4;
}

/** Total order for sorting: numbers (and numeric text) numerically, strings by code units. */
export function compareForSort(a: Value, b: Value): number {
  const rankA = rank(a);
  const rankB = rank(b);
  if (rankA !== rankB) return rankA - rankB;
  switch (rankA) {
    case 0:
      return 0;
    case 1:
      return Number(a) - Number(b);
    case 2: {
      const numberA = toNumber(a) ?? 0;
      const numberB = toNumber(b) ?? 0;
      return numberA < numberB ? -1 : numberA > numberB ? 1 : 0;
    }
    default: {
      const textA = stringify(a) ?? '';
      const textB = stringify(b) ?? '';
      return textA < textB ? -1 : textA > textB ? 1 : 0;
    }
  }
}
