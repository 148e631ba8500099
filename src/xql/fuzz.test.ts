import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileXql } from './index';

const fragments = [
  'dataset = xdr_data', '|', 'filter', 'alter', 'fields', 'sort', 'limit', 'dedup', 'comp', 'bin', 'config', 'join',
  'case_sensitive', '=', '!=', '<', '>=', '~=', 'and', 'or', 'not', 'in', 'contains', 'incidr', '(', ')', ',', '"', '"""',
  '"a*b"', '"\\\\"', '"10.0.0.0/8"', '"(x"', '\\', '//', '/*', '*/', '\n', ' ', 'x', 'event_type', 'ENUM.PROCESS', 'PROCESS',
  '1', '-1', '1h', 'span', 'by', 'as', 'asc', 'desc', 'count()', 'lowercase(', 'if(', 'json_extract(', 'regextract(', 'null',
  '*', '-', '$.a', 'true', 'İ', '😀',
];
const queryLike = fc.array(fc.constantFrom(...fragments), { maxLength: 30 }).map((parts) => parts.join(' '));

function checkResult(text: string): void {
  const result = compileXql(text);
  if (result.ok) {
    // A plan must bind and run on an empty row without throwing either.
    const bound = result.plan.bind(new Set(result.plan.sourceFields));
    bound.evaluate({}, new Uint8Array(result.plan.clauses.length));
    bound.explain({});
    bound.finish([{ row: {}, tag: undefined }]);
    return;
  }
  expect(result.error.message.length).toBeGreaterThan(0);
  expect(result.error.message).not.toMatch(/^Internal compiler error/);
  expect(result.error.line).toBeGreaterThanOrEqual(1);
  expect(result.error.column).toBeGreaterThanOrEqual(1);
}

describe('compileXql never throws', () => {
  it('on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), checkResult), { numRuns: 1000 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), checkResult), { numRuns: 300 });
  });

  it('on query-shaped text', () => {
    fc.assert(fc.property(queryLike, checkResult), { numRuns: 3000 });
    fc.assert(fc.property(queryLike.map((text) => `dataset = xdr_data | filter ${text}`), checkResult), { numRuns: 3000 });
  });

  it('on deeply nested input', () => {
    checkResult('filter ' + '('.repeat(5000) + 'a = 1' + ')'.repeat(5000));
    checkResult('filter ' + 'not '.repeat(5000) + 'a = 1');
    checkResult('alter x = ' + 'lowercase('.repeat(3000) + 'a' + ')'.repeat(3000));
  });
});
