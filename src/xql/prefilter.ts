import { ENUM_FIELDS } from '../engine/enums';
import type { Expr } from './ast';
import type { BoundNode } from './bound';

/**
 * Raw-text prefilter literals (BoundPlan.requiredLiterals). This must be SOUND: a row that can pass
 * must contain, for every group, one of the group's strings in its raw text. Every rule below
 * drops a literal whenever the row's value might not appear verbatim in the raw text:
 * - characters that CSV, JSON or XML may encode (and JSON structure characters, because object
 *   values are compared as JSON text, which need not match the file's own spelling);
 * - when matching is case-insensitive, the Kelvin sign (U+212A) lower-cases to 'k' and 'İ'
 *   (U+0130) to 'i' + U+0307, and an ASCII-escaped JSON file spells them \u212a and \u0130; so
 *   pieces are split at 'k' and lose a trailing 'i' (an inner 'i' is safe: after 'İ' comes U+0307,
 *   never the piece's next ASCII character);
 * - pieces that could be part of a number or a boolean, since ingest turns those (and times and
 *   enum codes) into values whose text differs from the file's.
 */
const UNSAFE = new Set('"\\/&<>\'%+*{}[]:,');
const MIN_PIECE = 3;
const NUMBER_LIKE = /^[0-9.eE+-]+$/;

function isSafeChar(char: string, caseInsensitive: boolean): boolean {
  const code = char.charCodeAt(0);
  if (code < 0x20 || code > 0x7e || UNSAFE.has(char)) return false;
  return !(caseInsensitive && char === 'k');
}

/** The longest wildcard-free safe piece of a literal (folded when insensitive), or null. */
export function longestSafePiece(literal: string, caseInsensitive: boolean): string | null {
  const text = caseInsensitive ? literal.toLowerCase() : literal;
  let best = '';
  let current = '';
  const consider = (): void => {
    if (caseInsensitive && current.endsWith('i')) current = current.slice(0, -1);
    const lower = current.toLowerCase();
    const boolLike = 'true'.includes(lower) || 'false'.includes(lower);
    if (current.length > best.length && !NUMBER_LIKE.test(current) && !boolLike) best = current;
    current = '';
  };
  for (const char of text) {
    if (isSafeChar(char, caseInsensitive)) current += char;
    else consider();
  }
  consider();
  return best.length >= MIN_PIECE ? best : null;
}

function sourceStringField(left: Expr, createdBefore: ReadonlySet<string>): boolean {
  if (left.kind !== 'field') return false;
  const field = left.name;
  return !createdBefore.has(field) && !ENUM_FIELDS.has(field) && !field.endsWith('_time') && !field.endsWith('_timestamp');
}

/** The alternatives one node guarantees, or null when it guarantees nothing usable. */
function alternatives(node: BoundNode, createdBefore: ReadonlySet<string>, caseInsensitive: boolean): string[] | null {
  const expr = node.expr;
  if (expr.kind === 'or') {
    const all: string[] = [];
    for (const child of node.children) {
      if (child.skipped) continue; // removed from the OR for this file
      const childAlternatives = alternatives(child, createdBefore, caseInsensitive);
      if (childAlternatives === null) return null;
      all.push(...childAlternatives);
    }
    return all.length > 0 ? all : null;
  }
  let literals: Expr[];
  if (expr.kind === 'compare' && expr.op === '=') literals = [expr.right];
  else if (expr.kind === 'contains' && !expr.negated) literals = [expr.right];
  else if (expr.kind === 'in' && !expr.negated) literals = expr.items;
  else return null;
  if (!sourceStringField(expr.left, createdBefore)) return null;
  const pieces: string[] = [];
  for (const literal of literals) {
    if (literal.kind !== 'string') return null;
    const piece = longestSafePiece(literal.value, caseInsensitive);
    if (piece === null) return null;
    pieces.push(piece);
  }
  return pieces;
}

/** Groups from the top-level clauses of the first (streaming) filter stage. */
export function requiredLiterals(
  clauses: readonly BoundNode[],
  createdBefore: ReadonlySet<string>,
  caseInsensitive: boolean,
): string[][] | null {
  const groups: string[][] = [];
  const collect = (node: BoundNode): void => {
    if (node.skipped) return;
    if (node.expr.kind === 'and') {
      node.children.forEach(collect);
      return;
    }
    const group = alternatives(node, createdBefore, caseInsensitive);
    if (group !== null) groups.push([...new Set(group)]);
  };
  clauses.forEach(collect);
  return groups.length > 0 ? groups : null;
}
