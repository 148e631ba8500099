import type { Row, Value } from '../engine/value';
import { ENUM_FIELDS, enumName } from '../engine/enums';
import type { CompareOp, Expr, Literal, StringLit } from './ast';
import { inAnyCidr, parseCidrList, parseIpv4 } from './cidr';
import { failAt } from './errors';
import { FUNCTIONS } from './functions';
import { compileRegex } from './regex';
import type { PredicateFn, ValueFn } from './values';
import {
  compileGlob,
  createFolder,
  globMatches,
  hasWildcard,
  identity,
  isTruthy,
  parseNumericText,
  readField,
  stringify,
  toNumber,
} from './values';

/**
 * Compiles expressions to closures once, at bind time. The closures avoid per-row allocation: the
 * literal side is prepared (case-folded, parsed as a number, split into wildcard pieces) here, and
 * the row side is folded at most once per value (see createFolder).
 */
export interface EvalContext {
  caseSensitive: boolean;
  /** A case folder for values of one field (shared so repeated tests on a field fold once). */
  folderFor(field: string | null): (text: string) => string;
}

export function createEvalContext(caseSensitive: boolean): EvalContext {
  const folders = new Map<string, (text: string) => string>();
  return {
    caseSensitive,
    folderFor(field) {
      if (caseSensitive) return identity;
      if (field === null) return createFolder();
      let folder = folders.get(field);
      if (!folder) {
        folder = createFolder();
        folders.set(field, folder);
      }
      return folder;
    },
  };
}

type ScalarTest = (value: Exclude<Value, null>, row: Row) => boolean;
type ValueTest = (value: Value, row: Row) => boolean;

/** Null never matches; an array matches when some element does. */
function lift(test: ScalarTest): ValueTest {
  const check: ValueTest = (value, row) => {
    if (value === null) return false;
    if (Array.isArray(value)) {
      for (const element of value) if (check(element, row)) return true;
      return false;
    }
    return test(value, row);
  };
  return check;
}

const FALSE_PREDICATE: PredicateFn = () => false;

export function isLiteral(expr: Expr): expr is Literal {
  return expr.kind === 'string' || expr.kind === 'number' || expr.kind === 'bool' || expr.kind === 'null' || expr.kind === 'enum';
}

/** The field a comparison's left side reads directly, or null when it is computed. */
export function directField(expr: Expr): string | null {
  return expr.kind === 'field' ? expr.name : null;
}

/** Every field an expression reads. */
export function fieldsRead(expr: Expr, into: string[] = []): string[] {
  const add = (name: string): void => {
    if (!into.includes(name)) into.push(name);
  };
  const visit = (node: Expr): void => {
    switch (node.kind) {
      case 'field':
        add(node.name);
        return;
      case 'call':
        node.args.forEach(visit);
        return;
      case 'and':
      case 'or':
        node.operands.forEach(visit);
        return;
      case 'not':
        visit(node.operand);
        return;
      case 'compare':
      case 'contains':
        visit(node.left);
        visit(node.right);
        return;
      case 'in':
        visit(node.left);
        node.items.forEach(visit);
        return;
      case 'regex':
      case 'incidr':
        visit(node.left);
        return;
      default:
        return;
    }
  };
  visit(expr);
  return into;
}

/** The event type of a row, for event_sub_type codes (which are numbered per event type). */
function eventTypeOf(row: Row): string | null {
  const value = row.event_type;
  return typeof value === 'string' ? value : null;
}

// ---- equality against a literal -------------------------------------------------------------------

/** Tests `value = literal` for one non-null scalar (arrays and null are handled by lift). */
function equalityTest(literal: Literal, field: string | null, context: EvalContext): ScalarTest {
  const fold = context.folderFor(field);
  const enumField = field !== null && ENUM_FIELDS.has(field) ? field : null;
  switch (literal.kind) {
    case 'null':
      return () => false;
    case 'bool': {
      const wanted = literal.value;
      const wantedText = wanted ? 'true' : 'false';
      return (value) =>
        typeof value === 'boolean' ? value === wanted : typeof value === 'string' && value.toLowerCase() === wantedText;
    }
    case 'number': {
      const wanted = literal.value;
      if (enumField !== null) {
        // `event_type = 1` means PROCESS: rows hold names for known codes and numbers otherwise.
        const fixedName = enumField === 'event_sub_type' ? null : enumName(enumField, wanted);
        return (value, row) => {
          if (typeof value === 'number') return value === wanted;
          if (typeof value !== 'string') return false;
          const name = enumField === 'event_sub_type' ? enumName(enumField, wanted, eventTypeOf(row)) : fixedName;
          return (name !== null && value.toUpperCase() === name) || parseNumericText(value) === wanted;
        };
      }
      return (value) => {
        if (typeof value === 'number') return value === wanted;
        if (typeof value === 'string') return parseNumericText(value) === wanted;
        return false;
      };
    }
    case 'enum': {
      const name = literal.name;
      if (enumField !== null) {
        return (value, row) => {
          if (typeof value === 'string') return value === name || value.toUpperCase() === name;
          if (typeof value === 'number') return enumName(enumField, value, eventTypeOf(row)) === name;
          return false;
        };
      }
      return stringEqualityTest(name, fold, context.caseSensitive);
    }
    case 'string':
      return stringEqualityTest(literal.value, fold, context.caseSensitive);
  }
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * For an ASCII literal, a case-insensitive regex finds it without lower-casing (and allocating a
 * copy of) every value: about twice as fast on long command lines. Non-unicode `i` regexes never
 * fold a non-ASCII character onto an ASCII one, so this matches exactly the ASCII case variants.
 */
function asciiCaseInsensitive(literal: string, anchored: boolean): RegExp | null {
  if (!isAscii(literal)) return null;
  const escaped = literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(anchored ? `^${escaped}$` : escaped, 'i');
}

function stringEqualityTest(text: string, fold: (text: string) => string, caseSensitive: boolean): ScalarTest {
  const folded = caseSensitive ? text : text.toLowerCase();
  if (hasWildcard(text)) {
    const glob = compileGlob(folded);
    return (value) => {
      const valueText = typeof value === 'string' ? value : (stringify(value) ?? '');
      return globMatches(glob, fold(valueText));
    };
  }
  const asNumber = parseNumericText(text);
  const ascii = caseSensitive ? null : asciiCaseInsensitive(text, true);
  if (ascii) {
    const length = text.length;
    return (value) => {
      if (typeof value === 'string') return value.length === length && ascii.test(value);
      if (typeof value === 'number') return asNumber !== null ? value === asNumber : ascii.test(String(value));
      return ascii.test(stringify(value) ?? '');
    };
  }
  return (value) => {
    if (typeof value === 'string') return fold(value) === folded;
    if (typeof value === 'number') return asNumber !== null ? value === asNumber : fold(String(value)) === folded;
    return fold(stringify(value) ?? '') === folded;
  };
}

// ---- ordering ---------------------------------------------------------------------------------------

function orderHolds(op: CompareOp, difference: number): boolean {
  switch (op) {
    case '<':
      return difference < 0;
    case '<=':
      return difference <= 0;
    case '>':
      return difference > 0;
    case '>=':
      return difference >= 0;
    case '=':
      return difference === 0;
    case '!=':
      return difference !== 0;
  }
}

/** Numeric when both sides are numbers or one is a number and the other numeric text; else code units. */
function orderDifference(left: Value, right: Value): number | null {
  if (left === null || right === null) return null;
  if (typeof left === 'number' || typeof right === 'number') {
    const a = toNumber(left);
    const b = toNumber(right);
    if (a !== null && b !== null) return a - b;
  }
  if (typeof left === 'boolean' || typeof right === 'boolean') {
    return typeof left === 'boolean' && typeof right === 'boolean' ? Number(left) - Number(right) : null;
  }
  const a = stringify(left) ?? '';
  const b = stringify(right) ?? '';
  return a < b ? -1 : a > b ? 1 : 0;
}

function literalValue(literal: Literal): Value {
  switch (literal.kind) {
    case 'null':
      return null;
    case 'enum':
      return literal.name;
    default:
      return literal.value;
  }
}

const MIRRORED: Readonly<Record<CompareOp, CompareOp>> = { '=': '=', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

// ---- expressions --------------------------------------------------------------------------------------

export function compileValue(expr: Expr, context: EvalContext): ValueFn {
  switch (expr.kind) {
    case 'field': {
      const name = expr.name;
      return (row) => readField(row, name);
    }
    case 'string':
    case 'number':
    case 'bool':
    case 'null':
    case 'enum': {
      const constant = literalValue(expr);
      return () => constant;
    }
    case 'call': {
      const spec = FUNCTIONS[expr.name];
      const fns = expr.args.map((arg) => compileValue(arg, context));
      const literals = expr.args.map((arg) => (arg.kind === 'string' ? arg.value : null));
      return spec.build({
        fns,
        literals,
        fail: (index, message) => failAt(message, expr.args[index]?.pos ?? expr.pos),
      });
    }
    default: {
      const predicate = compilePredicate(expr, context);
      return (row) => predicate(row);
    }
  }
}

/** A predicate over the whole expression (no pruning; used in alter and for bound leaves). */
export function compilePredicate(expr: Expr, context: EvalContext): PredicateFn {
  switch (expr.kind) {
    case 'and': {
      const parts = expr.operands.map((operand) => compilePredicate(operand, context));
      return combineAnd(parts);
    }
    case 'or': {
      const parts = expr.operands.map((operand) => compilePredicate(operand, context));
      return combineOr(parts);
    }
    case 'not': {
      const inner = compilePredicate(expr.operand, context);
      return (row) => !inner(row);
    }
    case 'compare':
    case 'contains':
    case 'in':
    case 'regex':
    case 'incidr':
      return compileLeaf(expr, context);
    default: {
      const value = compileValue(expr, context);
      return (row) => isTruthy(value(row));
    }
  }
}

export function combineAnd(parts: readonly PredicateFn[]): PredicateFn {
  if (parts.length === 0) return () => true;
  if (parts.length === 1) return parts[0];
  if (parts.length === 2) {
    const [a, b] = parts;
    return (row) => a(row) && b(row);
  }
  return (row) => {
    for (let i = 0; i < parts.length; i++) if (!parts[i](row)) return false;
    return true;
  };
}

export function combineOr(parts: readonly PredicateFn[]): PredicateFn {
  if (parts.length === 0) return FALSE_PREDICATE;
  if (parts.length === 1) return parts[0];
  if (parts.length === 2) {
    const [a, b] = parts;
    return (row) => a(row) || b(row);
  }
  return (row) => {
    for (let i = 0; i < parts.length; i++) if (parts[i](row)) return true;
    return false;
  };
}

/** A comparison leaf: compare, contains, in, ~=, incidr (with their negations). */
export function compileLeaf(expr: Expr, context: EvalContext): PredicateFn {
  switch (expr.kind) {
    case 'compare':
      return compileCompare(expr.op, expr.left, expr.right, context);
    case 'contains': {
      const positive = compileContains(expr.left, expr.right, context);
      return expr.negated ? (row) => !positive(row) : positive;
    }
    case 'in': {
      const positive = compileIn(expr.left, expr.items, context);
      return expr.negated ? (row) => !positive(row) : positive;
    }
    case 'regex':
      return compileRegexMatch(expr.left, expr.pattern, context);
    case 'incidr': {
      const positive = compileInCidr(expr.left, expr.cidrs, context);
      return expr.negated ? (row) => !positive(row) : positive;
    }
    default:
      return compilePredicate(expr, context);
  }
}

function compileCompare(op: CompareOp, left: Expr, right: Expr, context: EvalContext): PredicateFn {
  if (isLiteral(left) && !isLiteral(right)) return compileCompare(MIRRORED[op], right, left, context);
  const read = compileValue(left, context);
  if (isLiteral(right)) {
    if (op === '=' || op === '!=') {
      const equals: ValueTest =
        right.kind === 'null' ? (value) => value === null : lift(equalityTest(right, directField(left), context));
      return op === '=' ? (row) => equals(read(row), row) : (row) => !equals(read(row), row);
    }
    const bound = literalValue(right);
    const holds = lift((value) => {
      const difference = orderDifference(value, bound);
      return difference !== null && orderHolds(op, difference);
    });
    return (row) => holds(read(row), row);
  }
  const readRight = compileValue(right, context);
  const fold = context.caseSensitive ? identity : (text: string): string => text.toLowerCase();
  const equalsDynamic = (a: Value, b: Value): boolean => {
    if (a === null || b === null) return false;
    if (Array.isArray(a)) return a.some((element) => equalsDynamic(element, b));
    const difference = orderDifference(a, b);
    if (difference === null) return false;
    if (difference === 0) return true;
    if (typeof a === 'string' && typeof b === 'string') return fold(a) === fold(b);
    return false;
  };
  if (op === '=') return (row) => equalsDynamic(read(row), readRight(row));
  if (op === '!=') return (row) => !equalsDynamic(read(row), readRight(row));
  return (row) => {
    const difference = orderDifference(read(row), readRight(row));
    return difference !== null && orderHolds(op, difference);
  };
}

/** The text a `contains`/`in` literal stands for, or null for a null literal. */
function literalText(literal: Literal): string | null {
  switch (literal.kind) {
    case 'null':
      return null;
    case 'enum':
      return literal.name;
    case 'bool':
      return literal.value ? 'TRUE' : 'FALSE';
    case 'number':
      return String(literal.value);
    case 'string':
      return literal.value;
  }
}

function compileContains(left: Expr, right: Expr, context: EvalContext): PredicateFn {
  const read = compileValue(left, context);
  const fold = context.folderFor(directField(left));
  if (isLiteral(right)) {
    const text = literalText(right);
    if (text === null) return FALSE_PREDICATE;
    const folded = context.caseSensitive ? text : text.toLowerCase();
    if (hasWildcard(text)) {
      // `*` is a wildcard in contains too: contains "a*b" holds when some substring matches a*b.
      const glob = compileGlob(`*${folded}*`);
      const test = lift((value) => globMatches(glob, fold(typeof value === 'string' ? value : (stringify(value) ?? ''))));
      return (row) => test(read(row), row);
    }
    const ascii = context.caseSensitive ? null : asciiCaseInsensitive(text, false);
    const test = ascii
      ? lift((value) => ascii.test(typeof value === 'string' ? value : (stringify(value) ?? '')))
      : lift((value) => fold(typeof value === 'string' ? value : (stringify(value) ?? '')).includes(folded));
    return (row) => test(read(row), row);
  }
  const readRight = compileValue(right, context);
  const lower = context.caseSensitive ? identity : (text: string): string => text.toLowerCase();
  return (row) => {
    const needle = stringify(readRight(row));
    if (needle === null) return false;
    const foldedNeedle = lower(needle);
    return lift((value) => lower(stringify(value) ?? '').includes(foldedNeedle))(read(row), row);
  };
}

function compileIn(left: Expr, items: readonly Expr[], context: EvalContext): PredicateFn {
  const read = compileValue(left, context);
  const field = directField(left);
  const literalTests: ScalarTest[] = [];
  const dynamicItems: ValueFn[] = [];
  let acceptsNull = false;
  for (const item of items) {
    if (item.kind === 'null') acceptsNull = true;
    else if (isLiteral(item)) literalTests.push(equalityTest(item, field, context));
    else dynamicItems.push(compileValue(item, context));
  }
  const fold = context.caseSensitive ? identity : (text: string): string => text.toLowerCase();
  const scalarIn: ScalarTest = (value, row) => {
    for (let i = 0; i < literalTests.length; i++) if (literalTests[i](value, row)) return true;
    if (dynamicItems.length === 0) return false;
    const text = fold(stringify(value) ?? '');
    return dynamicItems.some((item) => {
      const itemText = stringify(item(row));
      return itemText !== null && fold(itemText) === text;
    });
  };
  const test = lift(scalarIn);
  return (row) => {
    const value = read(row);
    return value === null ? acceptsNull : test(value, row);
  };
}

function compileRegexMatch(left: Expr, pattern: StringLit, context: EvalContext): PredicateFn {
  const read = compileValue(left, context);
  const regex = compileRegex(pattern.value, !context.caseSensitive);
  if (typeof regex === 'string') failAt(`Invalid regular expression: ${regex}.`, pattern.pos);
  const test = lift((value) => regex.test(typeof value === 'string' ? value : (stringify(value) ?? '')));
  return (row) => test(read(row), row);
}

function compileInCidr(left: Expr, cidrs: StringLit, context: EvalContext): PredicateFn {
  const read = compileValue(left, context);
  const ranges = parseCidrList(cidrs.value);
  if (typeof ranges === 'string') failAt(`Invalid CIDR list: ${ranges}.`, cidrs.pos);
  const test = lift((value) => {
    const address = typeof value === 'string' ? parseIpv4(value) : null;
    return address !== null && inAnyCidr(address, ranges);
  });
  return (row) => test(read(row), row);
}
