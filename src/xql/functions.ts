import type { Value } from '../engine/value';
import { inAnyCidr, parseCidrList, parseIpv4 } from './cidr';
import { compileRegex } from './regex';
import type { ValueFn } from './values';
import { isTruthy, stringify, toNumber } from './values';

/** What a function builder gets: compiled arguments, the string-literal value of each literal argument. */
export interface FunctionArgs {
  fns: ValueFn[];
  literals: (string | null)[];
  /** Reports a problem with argument `index` at its position; never returns. */
  fail(index: number, message: string): never;
}

export interface FunctionSpec {
  minArgs: number;
  maxArgs: number;
  /** Argument indices that must be string literals (compiled once, e.g. patterns and paths). */
  literalArgs: number[];
  build(args: FunctionArgs): ValueFn;
}

function unary(convert: (value: Value) => Value): FunctionSpec {
  return {
    minArgs: 1,
    maxArgs: 1,
    literalArgs: [],
    build: ({ fns: [arg] }) => (row) => convert(arg(row)),
  };
}

function arithmetic(operate: (a: number, b: number) => number | null): FunctionSpec {
  return {
    minArgs: 2,
    maxArgs: 2,
    literalArgs: [],
    build: ({ fns: [left, right] }) => (row) => {
      const a = toNumber(left(row));
      const b = toNumber(right(row));
      if (a === null || b === null) return null;
      const result = operate(a, b);
      return result === null || !Number.isFinite(result) ? null : result;
    },
  };
}

function mapString(convert: (text: string) => Value): (value: Value) => Value {
  return (value) => {
    const text = stringify(value);
    return text === null ? null : convert(text);
  };
}

type PathStep = string | number;

/** `$.a.b`, `$.a[0]`, `$['a.b']`, `$["a"]`; the leading `$` is optional. */
export function parseJsonPath(path: string): PathStep[] | null {
  const steps: PathStep[] = [];
  let rest = path.trim();
  if (rest.startsWith('$')) rest = rest.slice(1);
  const step = /^(?:\.([^.[\]]+)|\[(\d+)\]|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\])/;
  if (rest !== '' && !rest.startsWith('.') && !rest.startsWith('[')) rest = '.' + rest;
  while (rest !== '') {
    const match = step.exec(rest);
    if (!match) return null;
    if (match[1] !== undefined) steps.push(match[1]);
    else if (match[2] !== undefined) steps.push(Number(match[2]));
    else steps.push(match[3] ?? match[4] ?? '');
    rest = rest.slice(match[0].length);
  }
  return steps;
}

function followJsonPath(value: Value, steps: readonly PathStep[]): Value | undefined {
  let current: Value | undefined = value;
  if (typeof current === 'string') {
    try {
      current = JSON.parse(current) as Value;
    } catch {
      return undefined;
    }
  }
  for (const step of steps) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) {
      if (typeof step !== 'number') return undefined;
      current = current[step];
    } else {
      if (typeof step !== 'string') return undefined;
      current = Object.prototype.hasOwnProperty.call(current, step) ? current[step] : undefined;
    }
  }
  return current;
}

function jsonExtractor(scalar: boolean): FunctionSpec {
  return {
    minArgs: 2,
    maxArgs: 2,
    literalArgs: [1],
    build: ({ fns: [source], literals, fail }) => {
      const steps = parseJsonPath(literals[1] ?? '');
      if (steps === null) return fail(1, `Invalid JSON path ${JSON.stringify(literals[1])}: use $.field.subfield or $.list[0].`);
      return (row) => {
        const found = followJsonPath(source(row), steps);
        if (found === undefined || found === null) return null;
        if (scalar) {
          // json_extract_scalar: scalars as plain strings, objects and arrays as null (documented).
          if (typeof found === 'object') return null;
          return typeof found === 'string' ? found : String(found);
        }
        // json_extract: always JSON text, so strings keep their quotes (documented XQL behaviour).
        return JSON.stringify(found);
      };
    },
  };
}

const EPOCH_UNIT_MS: Readonly<Record<string, number>> = { seconds: 1000, millis: 1, micros: 0.001 };

function epochUnit(literal: string | null, fallback: string, fail: (message: string) => never): number {
  const unit = (literal ?? fallback).toLowerCase();
  const factor = EPOCH_UNIT_MS[unit];
  if (factor === undefined) fail(`Unknown time unit ${JSON.stringify(literal)}: use "SECONDS", "MILLIS" or "MICROS".`);
  return factor;
}

export const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  if: {
    minArgs: 2,
    maxArgs: Number.POSITIVE_INFINITY,
    literalArgs: [],
    // if(c1, v1[, c2, v2 ...][, else]): the first condition that holds picks its value.
    build: ({ fns }) => (row) => {
      let index = 0;
      for (; index + 1 < fns.length; index += 2) if (isTruthy(fns[index](row))) return fns[index + 1](row);
      return index < fns.length ? fns[index](row) : null;
    },
  },
  lowercase: unary(mapString((text) => text.toLowerCase())),
  uppercase: unary(mapString((text) => text.toUpperCase())),
  coalesce: {
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    literalArgs: [],
    build: ({ fns }) => (row) => {
      for (const fn of fns) {
        const value = fn(row);
        if (value !== null) return value;
      }
      return null;
    },
  },
  concat: {
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    literalArgs: [],
    // Null arguments contribute nothing (they do not null the whole result).
    build: ({ fns }) => (row) => {
      let out = '';
      for (const fn of fns) out += stringify(fn(row)) ?? '';
      return out;
    },
  },
  trim: {
    minArgs: 1,
    maxArgs: 2,
    literalArgs: [],
    build: ({ fns: [source, charsFn] }) => (row) => {
      const text = stringify(source(row));
      if (text === null) return null;
      if (!charsFn) return text.trim();
      const chars = stringify(charsFn(row)) ?? '';
      let start = 0;
      let end = text.length;
      while (start < end && chars.includes(text[start])) start++;
      while (end > start && chars.includes(text[end - 1])) end--;
      return text.slice(start, end);
    },
  },
  len: unary(mapString((text) => text.length)),
  to_string: unary((value) => stringify(value)),
  to_integer: unary((value) => {
    if (typeof value === 'boolean') return value ? 1 : 0;
    const number = toNumber(value);
    return number === null ? null : Math.trunc(number);
  }),
  to_float: unary((value) => toNumber(value)),
  regextract: {
    minArgs: 2,
    maxArgs: 2,
    literalArgs: [1],
    build: ({ fns: [source], literals, fail }) => {
      const regex = compileRegex(literals[1] ?? '', false, true);
      if (typeof regex === 'string') return fail(1, `Invalid regular expression: ${regex}.`);
      return (row) => {
        const text = stringify(source(row));
        if (text === null) return null;
        const matches: Value[] = [];
        for (const match of text.matchAll(regex)) matches.push(match.length > 1 ? (match[1] ?? null) : match[0]);
        return matches;
      };
    },
  },
  json_extract: jsonExtractor(false),
  json_extract_scalar: jsonExtractor(true),
  arrayindex: {
    minArgs: 2,
    maxArgs: 2,
    literalArgs: [],
    build: ({ fns: [arrayFn, indexFn] }) => (row) => {
      const array = arrayFn(row);
      const index = toNumber(indexFn(row));
      if (!Array.isArray(array) || index === null || !Number.isInteger(index)) return null;
      const position = index < 0 ? array.length + index : index;
      return position >= 0 && position < array.length ? array[position] : null;
    },
  },
  array_length: unary((value) => (Array.isArray(value) ? value.length : null)),
  add: arithmetic((a, b) => a + b),
  subtract: arithmetic((a, b) => a - b),
  multiply: arithmetic((a, b) => a * b),
  divide: arithmetic((a, b) => (b === 0 ? null : a / b)),
  floor: unary((value) => {
    const number = toNumber(value);
    return number === null ? null : Math.floor(number);
  }),
  to_epoch: {
    minArgs: 1,
    maxArgs: 2,
    literalArgs: [1],
    // Timestamps are epoch milliseconds; the result defaults to seconds as in XQL.
    build: ({ fns: [source], literals, fail }) => {
      const msPerUnit = epochUnit(literals[1], 'seconds', (message) => fail(1, message));
      return (row) => {
        const ms = toNumber(source(row));
        return ms === null ? null : Math.floor(ms / msPerUnit);
      };
    },
  },
  to_timestamp: {
    minArgs: 1,
    maxArgs: 2,
    literalArgs: [1],
    // Returns epoch milliseconds; the input unit defaults to seconds as in XQL.
    build: ({ fns: [source], literals, fail }) => {
      const msPerUnit = epochUnit(literals[1], 'seconds', (message) => fail(1, message));
      return (row) => {
        const amount = toNumber(source(row));
        return amount === null ? null : Math.floor(amount * msPerUnit);
      };
    },
  },
  incidr: {
    minArgs: 2,
    maxArgs: 2,
    literalArgs: [1],
    build: ({ fns: [source], literals, fail }) => {
      const ranges = parseCidrList(literals[1] ?? '');
      if (typeof ranges === 'string') return fail(1, `Invalid CIDR list: ${ranges}.`);
      return (row) => {
        const text = stringify(source(row));
        const address = text === null ? null : parseIpv4(text);
        return address !== null && inAnyCidr(address, ranges);
      };
    },
  },
};

/** Functions XQL has that this engine deliberately does not implement (named in the error). */
export function isKnownFunction(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(FUNCTIONS, name);
}
