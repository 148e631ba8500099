import type { Row } from '../engine/value';
import type { Expr } from './ast';
import type { EvalContext } from './evaluate';
import { combineAnd, combineOr, compileLeaf, compilePredicate, directField, fieldsRead } from './evaluate';
import type { ExplainNode } from './plan';
import { leafSpans } from './spans';
import type { PredicateFn } from './values';

/**
 * A filter expression bound to one file's columns. Comparisons that read a missing source column
 * are pruned: inside an AND they count as true, inside an OR they are removed, and a node whose
 * operands are all pruned is pruned itself.
 */
export interface BoundNode {
  expr: Expr;
  text: string;
  skipped: boolean;
  /** For and/or/not. */
  children: BoundNode[];
  /** The node's outcome over its live parts (meaningless when skipped). */
  test: PredicateFn;
}

const PASS: PredicateFn = () => true;

export function bindExpr(
  expr: Expr,
  context: EvalContext,
  isMissing: (field: string) => boolean,
  textOf: (expr: Expr) => string,
): BoundNode {
  const bind = (node: Expr): BoundNode => {
    const text = textOf(node);
    if (node.kind === 'and' || node.kind === 'or') {
      const children = node.operands.map(bind);
      const live = children.filter((child) => !child.skipped).map((child) => child.test);
      if (live.length === 0) return { expr: node, text, skipped: true, children, test: PASS };
      return { expr: node, text, skipped: false, children, test: node.kind === 'and' ? combineAnd(live) : combineOr(live) };
    }
    if (node.kind === 'not') {
      const child = bind(node.operand);
      if (child.skipped) return { expr: node, text, skipped: true, children: [child], test: PASS };
      const inner = child.test;
      return { expr: node, text, skipped: false, children: [child], test: (row) => !inner(row) };
    }
    const skipped = fieldsRead(node).some(isMissing);
    if (skipped) return { expr: node, text, skipped: true, children: [], test: PASS };
    const test = isComparison(node) ? compileLeaf(node, context) : compilePredicate(node, context);
    return { expr: node, text, skipped: false, children: [], test };
  };
  return bind(expr);
}

function isComparison(expr: Expr): boolean {
  return expr.kind === 'compare' || expr.kind === 'contains' || expr.kind === 'in' || expr.kind === 'regex' || expr.kind === 'incidr';
}

/**
 * The explanation of a bound node on one row. `contribution` is what a pruned node stands for
 * where it sits: true inside an AND (and at the top of a clause), false inside an OR.
 */
export function explainBound(node: BoundNode, row: Row, caseSensitive: boolean, contribution = true): ExplainNode {
  const base = { text: node.text, pos: node.expr.pos };
  if (node.skipped) {
    return {
      ...base,
      passed: contribution,
      skipped: true,
      matches: [],
      children: node.children.map((child) => explainBound(child, row, caseSensitive, contribution)),
    };
  }
  const passed = node.test(row);
  const childContribution = node.expr.kind !== 'or';
  const children = node.children.map((child) => explainBound(child, row, caseSensitive, childContribution));
  let matches: ExplainNode['matches'] = [];
  if (passed && node.children.length === 0 && isComparison(node.expr)) {
    const left = leftOf(node.expr);
    const field = left ? directField(left) : null;
    const value = field === null ? undefined : row[field];
    if (field !== null && typeof value === 'string') matches = leafSpans(node.expr, value, field, caseSensitive);
  }
  return { ...base, passed, skipped: false, matches, children };
}

function leftOf(expr: Expr): Expr | null {
  switch (expr.kind) {
    case 'compare':
    case 'contains':
    case 'in':
    case 'regex':
    case 'incidr':
      return expr.left;
    default:
      return null;
  }
}
