import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExplainNode, MatchSpan } from './plan';
import { findGlobPieces, findOccurrences } from './spans';
import { compileOk } from './testSupport';

function allMatches(node: ExplainNode): MatchSpan[] {
  return [...node.matches, ...node.children.flatMap(allMatches)];
}

function explainOne(condition: string, row: Record<string, string | number | null>, columns?: string[]): ExplainNode[] {
  const plan = compileOk(`filter ${condition}`);
  return plan.bind(new Set(columns ?? [...plan.sourceFields, ...Object.keys(row)])).explain(row).clauses;
}

describe('explain', () => {
  it('reports pass/fail per node with source text', () => {
    const [clause] = explainOne('(a contains "x" or b = "y")', { a: 'xyz', b: 'q' });
    expect(clause).toMatchObject({ text: 'a contains "x" or b = "y"', passed: true, skipped: false });
    expect(clause.children.map((child) => [child.text, child.passed])).toEqual([
      ['a contains "x"', true],
      ['b = "y"', false],
    ]);
  });

  it('reports every occurrence of a contains literal, in the original value', () => {
    const [clause] = explainOne('a contains "ab"', { a: 'xABxxabAb' });
    expect(clause.matches.map((span) => [span.start, span.end])).toEqual([
      [1, 3],
      [5, 7],
      [7, 9],
    ]);
    expect(clause.matches[0]).toMatchObject({ field: 'a', literal: 'ab' });
  });

  it('caps spans at 20', () => {
    const [clause] = explainOne('a contains "x"', { a: 'x'.repeat(50) });
    expect(clause.matches).toHaveLength(20);
  });

  it('reports wildcard pieces, whole values for =, the matching in item and regex matches', () => {
    expect(explainOne('a = "c:*\\cmd.exe"', { a: 'C:\\Windows\\CMD.exe' })[0].matches.map((s) => [s.start, s.end, s.literal])).toEqual([
      [0, 2, 'c:'],
      [10, 18, '\\cmd.exe'],
    ]);
    expect(explainOne('a = "abc"', { a: 'ABC' })[0].matches).toEqual([{ field: 'a', start: 0, end: 3, literal: 'abc' }]);
    expect(explainOne('a in ("q", "*b*")', { a: 'abc' })[0].matches.map((s) => [s.start, s.end])).toEqual([[1, 2]]);
    expect(explainOne('a ~= "\\d+"', { a: 'x12y345' })[0].matches.map((s) => [s.start, s.end])).toEqual([
      [1, 3],
      [4, 7],
    ]);
  });

  it('reports no spans for failed or negated comparisons', () => {
    expect(explainOne('a contains "zz"', { a: 'abc' })[0]).toMatchObject({ passed: false, matches: [] });
    expect(explainOne('a not contains "zz"', { a: 'abc' })[0]).toMatchObject({ passed: true, matches: [] });
  });

  it('maps offsets back through characters that change length when folded', () => {
    const value = 'İxİab';
    const spans = findOccurrences(value, 'AB', false);
    expect(spans).toEqual([{ field: '', start: 3, end: 5, literal: 'AB' }]);
    expect(findOccurrences('straße STRASSE', 'strasse', false).map((s) => [s.start, s.end])).toEqual([[7, 14]]);
  });

  it('marks skipped nodes and what they stand for', () => {
    const clauses = explainOne('a = "x" and (gone = "y" or a = "x") and missing = 1', { a: 'x' }, ['a']);
    expect(clauses[2]).toMatchObject({ skipped: true, passed: true });
    expect(clauses[1].children[0]).toMatchObject({ skipped: true, passed: false });
    expect(clauses[1]).toMatchObject({ skipped: false, passed: true });
  });

  it('explains later filter stages after alter, on the altered row', () => {
    const plan = compileOk('filter a = "x" | alter b = concat(a, "!") | filter b contains "!"');
    const explanation = plan.bind(new Set(['a'])).explain({ a: 'x' });
    expect(explanation.clauses.map((clause) => clause.passed)).toEqual([true, true]);
    expect(explanation.clauses[1].matches).toEqual([{ field: 'b', start: 1, end: 2, literal: '!' }]);
  });
});

/** Strings mixing ASCII, case pairs, and characters whose case mapping changes length. */
const trickyChar = fc.constantFrom('a', 'A', 'b', 'B', 'i', 'I', 'İ', 'ı', 'ß', 'ẞ', 'Σ', 'σ', 'ς', 'K', 'k', '\u212a', 'ﬁ', '😀', '\\', ' ', 'é', 'É');
const trickyString = fc.array(trickyChar, { maxLength: 24 }).map((chars) => chars.join(''));

describe('span properties', () => {
  it('spans are always in range and match the literal case-insensitively', () => {
    fc.assert(
      fc.property(trickyString, fc.string({ unit: 'grapheme', maxLength: 20 }), trickyString, (value, unicode, literal) => {
        for (const haystack of [value, unicode + value, value + unicode]) {
          for (const needle of [literal, literal.slice(0, 2), haystack.slice(1, 4).toUpperCase()]) {
            for (const caseSensitive of [false, true]) {
              for (const span of findOccurrences(haystack, needle, caseSensitive)) {
                expect(span.start).toBeGreaterThanOrEqual(0);
                expect(span.end).toBeGreaterThan(span.start);
                expect(span.end).toBeLessThanOrEqual(haystack.length);
                const slice = haystack.slice(span.start, span.end);
                if (caseSensitive) expect(slice).toBe(needle);
                else expect(slice.toLowerCase()).toBe(needle.toLowerCase());
              }
            }
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('wildcard pieces are in range and match their piece', () => {
    fc.assert(
      fc.property(trickyString, fc.array(trickyString, { minLength: 1, maxLength: 3 }), fc.boolean(), (value, pieces, anchored) => {
        const pattern = pieces.join('*');
        for (const span of findGlobPieces(value, pattern, false, anchored)) {
          expect(span.start).toBeGreaterThanOrEqual(0);
          expect(span.end).toBeGreaterThan(span.start);
          expect(span.end).toBeLessThanOrEqual(value.length);
          expect(value.slice(span.start, span.end).toLowerCase()).toBe(span.literal.toLowerCase());
        }
      }),
      { numRuns: 400 },
    );
  });

  it('explain spans from a compiled contains agree with the evaluation', () => {
    fc.assert(
      fc.property(trickyString, trickyString.filter((text) => text.length > 0 && !text.includes('\\')), (value, literal) => {
        const plan = compileOk(`filter v contains "${literal}"`);
        const bound = plan.bind(new Set(['v']));
        const [clause] = bound.explain({ v: value }).clauses;
        expect(clause.passed).toBe(bound.evaluate({ v: value }) !== null);
        for (const span of allMatches(clause)) {
          expect(span.end).toBeLessThanOrEqual(value.length);
          expect(span.start).toBeLessThan(span.end);
          expect(value.slice(span.start, span.end).toLowerCase()).toBe(literal.toLowerCase());
        }
        // For plain ASCII, a passing contains always shows where it matched.
        if (clause.passed && /^[\x20-\x7e]*$/.test(value + literal)) expect(clause.matches.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
