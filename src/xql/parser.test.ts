import { describe, expect, it } from 'vitest';
import type { Expr } from './ast';
import { compileXql } from './index';
import { lex } from './lexer';
import { Parser } from './parser';
import { compileOk } from './testSupport';

function errorOf(text: string): { message: string; line: number; column: number } {
  const result = compileXql(text);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to fail`);
  return result.error;
}

function filterExpr(condition: string): Expr {
  const query = new Parser(lex(`filter ${condition}`, 'xql'), `filter ${condition}`).parseQuery();
  const stage = query.stages[0];
  if (stage.kind !== 'filter') throw new Error('not a filter');
  return stage.expr;
}

/** A compact rendering of an expression tree, for precedence tests. */
function shape(expr: Expr): string {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return `${expr.kind}(${expr.operands.map(shape).join(', ')})`;
    case 'not':
      return `not(${shape(expr.operand)})`;
    case 'compare':
      return `${shape(expr.left)}${expr.op}${shape(expr.right)}`;
    case 'field':
      return expr.name;
    case 'number':
      return String(expr.value);
    case 'enum':
      return `enum:${expr.name}`;
    case 'string':
      return JSON.stringify(expr.value);
    default:
      return expr.kind;
  }
}

describe('parser errors carry line and column', () => {
  it('rejects an unsupported stage at its keyword', () => {
    const error = errorOf('dataset = xdr_data\n| filter x = 1\n| join type = inner (dataset = y) as j j.a = a');
    expect(error).toMatchObject({ line: 3, column: 3 });
    expect(error.message).toMatch(/join/);
  });

  it('rejects unknown stages', () => {
    expect(errorOf('dataset = xdr_data | frobnicate x')).toMatchObject({ line: 1, column: 22, message: "Unknown stage 'frobnicate'." });
  });

  it.each(['union', 'call', 'windowcomp', 'target', 'datamodel', 'preset', 'transaction', 'iploc'])('rejects the %s stage', (stage) => {
    const error = errorOf(`dataset = xdr_data\n  | ${stage} x`);
    expect(error).toMatchObject({ line: 2, column: 5 });
    expect(error.message).toContain(stage);
  });

  it('rejects an unterminated string at the opening quote', () => {
    expect(errorOf('filter a = "x" and\n   b contains "open')).toMatchObject({ line: 2, column: 15 });
  });

  it('rejects an unknown function at its name', () => {
    const error = errorOf('dataset = xdr_data\n| alter x = lowercase(a), y = frob(b)');
    expect(error).toMatchObject({ line: 2, column: 31 });
    expect(error.message).toMatch(/frob/);
  });

  it('rejects a wrong number of function arguments', () => {
    expect(errorOf('alter x = lowercase(a, b)')).toMatchObject({ line: 1, column: 11 });
  });

  it('rejects an unclosed parenthesis at the parenthesis', () => {
    expect(errorOf('filter (a = 1 or (b = 2)\n| limit 3')).toMatchObject({ line: 1, column: 8 });
  });

  it('rejects a stray closing parenthesis', () => {
    expect(errorOf('filter a = 1)')).toMatchObject({ line: 1, column: 13 });
  });

  it('rejects garbage after a complete condition', () => {
    expect(errorOf('filter a = 1 b = 2')).toMatchObject({ line: 1, column: 14 });
  });

  it('rejects a trailing pipe and an empty query', () => {
    expect(errorOf('filter a = 1 |')).toMatchObject({ line: 1, column: 15 });
    expect(errorOf('  // only a comment\n')).toMatchObject({ line: 2, column: 1 });
  });

  it('rejects bad regexes, CIDRs and JSON paths at the literal', () => {
    expect(errorOf('filter a ~= "(unclosed"')).toMatchObject({ line: 1, column: 13 });
    expect(errorOf('filter ip incidr "10.0.0.0/8, 300.1.1.1/8"')).toMatchObject({ line: 1, column: 18 });
    expect(errorOf('alter x = json_extract(a, "$..")')).toMatchObject({ line: 1, column: 27 });
  });

  it('rejects unsupported options and settings', () => {
    expect(errorOf('comp count() by a addrawdata = true').message).toMatch(/addrawdata/);
    expect(errorOf('config most_common = 3').message).toMatch(/config/);
    expect(errorOf('bin _time bins = 10').message).toMatch(/bins/);
    expect(errorOf('filter a incidr6 "::1/128"').message).toMatch(/incidr6/);
    expect(errorOf('comp median(a)').message).toMatch(/median/);
    expect(errorOf('dataset in (a, b)').message).toMatch(/dataset in/);
  });
});

describe('parser', () => {
  it('gives NOT > AND > OR precedence', () => {
    expect(shape(filterExpr('a = 1 or b = 2 and not c = 3'))).toBe('or(a=1, and(b=2, not(c=3)))');
    expect(shape(filterExpr('(a = 1 or b = 2) and c = 3'))).toBe('and(or(a=1, b=2), c=3)');
  });

  it('treats keywords case-insensitively and field names as lower-case', () => {
    expect(shape(filterExpr('A = 1 OR B = 2 AnD Not C = 3'))).toBe('or(a=1, and(b=2, not(c=3)))');
  });

  it('reads ENUM.X, bare all-caps names and numbers on the value side', () => {
    expect(shape(filterExpr('event_type = ENUM.PROCESS'))).toBe('event_type=enum:PROCESS');
    expect(shape(filterExpr('event_type = enum.process'))).toBe('event_type=enum:PROCESS');
    expect(shape(filterExpr('event_type = PROCESS'))).toBe('event_type=enum:PROCESS');
    expect(shape(filterExpr('event_type = process'))).toBe('event_type=process');
    expect(shape(filterExpr('event_type = 1'))).toBe('event_type=1');
  });

  it('parses every supported stage', () => {
    const plan = compileOk(`
      config case_sensitive = TRUE
      | config timeframe = 90d
      | cold_dataset = xdr_data

      | filter a = 1
      | alter b = lowercase(a), c = add(1, 2)
      | fields a as x, b, action_*
      | sort desc a, b asc, c
      | dedup a, b by desc _time
      | comp count() as n, count_distinct(a), values(b) by c
      | bin _time span = 1h timezone = "+02:00"
      | limit 10`);
    expect(plan.stages.map((stage) => stage.kind)).toEqual([
      'config', 'config', 'dataset', 'filter', 'alter', 'fields', 'sort', 'dedup', 'comp', 'bin', 'limit',
    ]);
    expect(plan.caseSensitive).toBe(true);
    expect(plan.timeframe).toBe('90d');
    expect(plan.dataset).toBe('xdr_data');
    expect(plan.sort).toEqual([
      { field: 'a', direction: 'desc' },
      { field: 'b', direction: 'asc' },
      { field: 'c', direction: 'asc' },
    ]);
    expect(plan.stages[4].text).toBe('alter b = lowercase(a), c = add(1, 2)');
  });

  it('keeps a between-timeframe as text and defaults the dataset', () => {
    const plan = compileOk('config timeframe between "2025-01-01 00:00:00 +0000" and "now" | filter a = 1');
    expect(plan.timeframe).toBe('between "2025-01-01 00:00:00 +0000" and "now"');
    expect(plan.dataset).toBe('xdr_data');
    expect(plan.caseSensitive).toBe(false);
  });

  it('accepts comments and blank lines anywhere', () => {
    const plan = compileOk('dataset = xdr_data\n\n| filter event_type=1\n//ENUM.process\nand event_sub_type = 1\n/*multi-line\n<comments> */\n| limit 5');
    expect(plan.clauses.map((clause) => clause.text)).toEqual(['event_type=1', 'event_sub_type = 1']);
  });

  it('positions clauses', () => {
    const plan = compileOk('dataset = xdr_data\n| filter a = 1\n    and b contains "x"');
    expect(plan.clauses[1]).toMatchObject({ index: 1, stage: 1, text: 'b contains "x"', fields: ['b'], pos: { line: 3, column: 9 } });
  });
});
