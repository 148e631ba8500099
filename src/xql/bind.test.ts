import type { Row } from '../engine/value';
import { describe, expect, it } from 'vitest';
import { CLAUSE_FAIL, CLAUSE_NOT_EVALUATED, CLAUSE_PASS, CLAUSE_SKIPPED } from './plan';
import { compileOk } from './testSupport';
import { longestSafePiece } from './prefilter';

describe('pruning comparisons on missing columns', () => {
  it('counts a pruned comparison as true inside an AND', () => {
    const plan = compileOk('filter (a = 1 and missing = 2) and b = 3');
    const bound = plan.bind(new Set(['a', 'b']));
    expect(bound.missingFields).toEqual(['missing']);
    expect(bound.skippedClauses).toEqual([]);
    expect(bound.evaluate({ a: 1, b: 3 })).not.toBe(null);
    expect(bound.evaluate({ a: 2, b: 3 })).toBe(null);
  });

  it('removes a pruned comparison from an OR', () => {
    const bound = compileOk('filter a = 1 or missing = 2').bind(new Set(['a']));
    expect(bound.skippedClauses).toEqual([]);
    expect(bound.evaluate({ a: 1 })).not.toBe(null);
    expect(bound.evaluate({ a: 2 })).toBe(null);
  });

  it('skips a clause whose every comparison is pruned; it always passes', () => {
    const plan = compileOk('filter a = 1 and (missing = 2 or gone contains "x") and not other = 3');
    const bound = plan.bind(new Set(['a']));
    expect(bound.skippedClauses).toEqual([1, 2]);
    expect(bound.missingFields).toEqual(['missing', 'gone', 'other']);
    expect(bound.evaluate({ a: 1 })).not.toBe(null);
    const out = new Uint8Array(3);
    expect(bound.evaluate({ a: 2 }, out)).toBe(null);
    expect([...out]).toEqual([CLAUSE_FAIL, CLAUSE_SKIPPED, CLAUSE_SKIPPED]);
  });

  it('does not prune fields created by an earlier alter or fields alias', () => {
    const bound = compileOk('alter x = lowercase(a) | fields a as y | filter x = "q" and y = "Q"').bind(new Set(['a']));
    expect(bound.skippedClauses).toEqual([]);
    expect(bound.missingFields).toEqual([]);
    expect(bound.evaluate({ a: 'Q' })).not.toBe(null);
  });

  it('lists every source field the export lacks, not only filter fields', () => {
    const bound = compileOk('filter a = 1 | fields a, b | sort desc c').bind(new Set(['a']));
    expect(bound.missingFields).toEqual(['b', 'c']);
  });
});

describe('clause outcomes', () => {
  const plan = compileOk('filter a = 1 and b = 2 | alter c = 1 | filter c = 1 and d = 4 | sort asc a | filter a = 1');

  it('evaluates every clause of every reached stage and marks the rest not evaluated', () => {
    const bound = plan.bind(new Set(['a', 'b', 'd']));
    const out = new Uint8Array(plan.clauses.length);
    expect(bound.evaluate({ a: 1, b: 3, d: 4 }, out)).toBe(null);
    expect([...out]).toEqual([CLAUSE_PASS, CLAUSE_FAIL, CLAUSE_NOT_EVALUATED, CLAUSE_NOT_EVALUATED, CLAUSE_NOT_EVALUATED]);
    expect(bound.evaluate({ a: 1, b: 2, d: 5 }, out)).toBe(null);
    expect([...out]).toEqual([CLAUSE_PASS, CLAUSE_PASS, CLAUSE_PASS, CLAUSE_FAIL, CLAUSE_NOT_EVALUATED]);
    expect(bound.evaluate({ a: 1, b: 2, d: 4 }, out)).toEqual({ a: 1, b: 2, d: 4, c: 1 });
    expect([...out]).toEqual([CLAUSE_PASS, CLAUSE_PASS, CLAUSE_PASS, CLAUSE_PASS, CLAUSE_NOT_EVALUATED]);
  });

  it('agrees with the fast path', () => {
    const bound = plan.bind(new Set(['a', 'b', 'd']));
    const out = new Uint8Array(plan.clauses.length);
    const rows: Row[] = [{ a: 1, b: 2, d: 4 }, { a: 2, b: 2, d: 4 }, { a: 1, b: 2 }];
    for (const row of rows) {
      expect(bound.evaluate(row, out)).toEqual(bound.evaluate(row));
    }
  });
});

describe('requiredLiterals', () => {
  const literals = (query: string, columns?: string[]): string[][] | null => {
    const plan = compileOk(query);
    return plan.bind(new Set(columns ?? plan.sourceFields)).requiredLiterals;
  };

  it('takes contains, = and in alternatives on string literals (lower-cased when insensitive)', () => {
    expect(literals('filter c contains "CloudFlare" or c = "Foo.EXE" | filter x = "later"')).toEqual([['cloudflare', 'foo.exe']]);
    expect(literals('filter c in ("abc*", "*def*ghij")')).toEqual([['abc', 'ghij']]);
    expect(literals('config case_sensitive = true | filter c contains "CloudFlare"')).toEqual([['CloudFlare']]);
  });

  it('drops groups it cannot guarantee', () => {
    expect(literals('filter c contains "ab"')).toBe(null); // too short
    expect(literals('filter c contains "abc" or c ~= "x"')).toBe(null);
    expect(literals('filter c != "abc"')).toBe(null);
    expect(literals('filter c not contains "abc"')).toBe(null);
    expect(literals('filter c contains "abc" or c contains "\\\\"')).toBe(null);
    expect(literals('filter event_type = "PROCESS"')).toBe(null); // enum field
    expect(literals('filter c = "12345"')).toBe(null); // numbers compare numerically
    expect(literals('filter c contains 12345')).toBe(null);
    expect(literals('filter lowercase(c) contains "abc"')).toBe(null);
    expect(literals('alter c = "abc" | filter c contains "abc"')).toBe(null);
    expect(literals('sort asc c | filter c contains "abc"')).toBe(null);
    expect(literals('filter _time = "2025-06-30*"')).toBe(null);
    expect(literals('filter c = "true"')).toBe(null);
  });

  it('ignores skipped clauses and pruned OR branches', () => {
    expect(literals('filter gone contains "abc" and c contains "defg"', ['c'])).toEqual([['defg']]);
    expect(literals('filter c contains "abc" or gone contains "xyz"', ['c'])).toEqual([['abc']]);
  });

  it('keeps only characters that survive CSV, JSON and XML encoding', () => {
    expect(longestSafePiece('http://evil.example/path', false)).toBe('evil.example');
    expect(longestSafePiece('a&b<c>d"e\'f%g+h', false)).toBe(null);
    expect(longestSafePiece('Ünïcode-long', false)).toBe('code-long');
    // Kelvin sign and dotted capital I lower-case into ASCII; ASCII-escaped JSON would hide them.
    expect(longestSafePiece('desktop', true)).toBe('des');
    expect(longestSafePiece('wscript.exe', true)).toBe('wscript.exe');
    expect(longestSafePiece('mimi', true)).toBe('mim');
    expect(longestSafePiece('desktop', false)).toBe('desktop');
  });
});
