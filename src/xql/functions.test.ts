import { describe, expect, it } from 'vitest';
import type { Row, Value } from '../engine/value';
import { parseJsonPath } from './functions';
import { runQuery } from './testSupport';

/** The value of `expression` computed by alter on `row`. */
function alterValue(expression: string, row: Row = {}): Value {
  const [out] = runQuery(`alter result = ${expression}`, [row]);
  return out.result;
}

describe('functions', () => {
  it('if picks the branch and chains conditions', () => {
    expect(alterValue('if(a = 1, "one", "other")', { a: 1 })).toBe('one');
    expect(alterValue('if(a = 1, "one", "other")', { a: 2 })).toBe('other');
    expect(alterValue('if(a = 1, "one")', { a: 2 })).toBe(null);
    expect(alterValue('if(a = 1, "one", a = 2, "two", "many")', { a: 2 })).toBe('two');
  });

  it('lowercase, uppercase, trim, len, concat, coalesce', () => {
    expect(alterValue('lowercase(a)', { a: 'CMD.Exe' })).toBe('cmd.exe');
    expect(alterValue('uppercase(a)', { a: 'cmd' })).toBe('CMD');
    expect(alterValue('lowercase(a)', { a: null })).toBe(null);
    expect(alterValue('trim(a)', { a: '  x y \t' })).toBe('x y');
    expect(alterValue('trim(a, "-")', { a: '--x--' })).toBe('x');
    expect(alterValue('len(a)', { a: 'abcd' })).toBe(4);
    expect(alterValue('len(a)', { a: null })).toBe(null);
    expect(alterValue('concat(a, "-", b, c)', { a: 'x', b: 2, c: null })).toBe('x-2');
    expect(alterValue('coalesce(a, b, "z")', { a: null, b: 'y' })).toBe('y');
    expect(alterValue('coalesce(a, b)', { a: null, b: null })).toBe(null);
  });

  it('to_string, to_integer, to_float', () => {
    expect(alterValue('to_string(a)', { a: 42 })).toBe('42');
    expect(alterValue('to_string(a)', { a: true })).toBe('TRUE');
    expect(alterValue('to_integer(a)', { a: '42.9' })).toBe(42);
    expect(alterValue('to_integer(a)', { a: 'x' })).toBe(null);
    expect(alterValue('to_float(a)', { a: '1.5' })).toBe(1.5);
  });

  it('regextract returns every match, or group 1 when the pattern has a group', () => {
    expect(alterValue('regextract(a, "\\d+")', { a: 'a1 b22 c333' })).toEqual(['1', '22', '333']);
    expect(alterValue('regextract(a, "([a-z]+)=")', { a: 'x=1 yy=2' })).toEqual(['x', 'yy']);
    expect(alterValue('regextract(a, "q")', { a: 'abc' })).toEqual([]);
    expect(alterValue('regextract(a, "q")', { a: null })).toBe(null);
  });

  it('json_extract returns JSON text; json_extract_scalar plain scalars', () => {
    const row = { j: '{"a":{"b":"x","n":3,"list":[1,{"c":true}]},"d.e":"dot"}' };
    expect(alterValue('json_extract(j, "$.a.b")', row)).toBe('"x"');
    expect(alterValue('json_extract(j, "$.a.n")', row)).toBe('3');
    expect(alterValue('json_extract(j, "$.a.list[1]")', row)).toBe('{"c":true}');
    expect(alterValue('json_extract(j, "$.missing")', row)).toBe(null);
    expect(alterValue('json_extract_scalar(j, "$.a.b")', row)).toBe('x');
    expect(alterValue('json_extract_scalar(j, "$.a")', row)).toBe(null);
    expect(alterValue('json_extract_scalar(j, "$[\'d.e\']")', row)).toBe('dot');
    expect(alterValue('json_extract(j, "$.a")', { j: 'not json' })).toBe(null);
    expect(alterValue('json_extract_scalar(j, "$.a.b")', { j: { a: { b: 'obj' } } })).toBe('obj');
    expect(parseJsonPath('$.a[2].b')).toEqual(['a', 2, 'b']);
    expect(parseJsonPath('$..')).toBe(null);
  });

  it('arrayindex (negative from the end) and array_length', () => {
    const row = { arr: ['a', 'b', 'c'] };
    expect(alterValue('arrayindex(arr, 0)', row)).toBe('a');
    expect(alterValue('arrayindex(arr, -1)', row)).toBe('c');
    expect(alterValue('arrayindex(arr, 5)', row)).toBe(null);
    expect(alterValue('arrayindex(arr, 0)', { arr: 'x' })).toBe(null);
    expect(alterValue('array_length(arr)', row)).toBe(3);
    expect(alterValue('arrayindex(regextract(s, "\\w+"), -1)', { s: 'one two' })).toBe('two');
  });

  it('add, subtract, multiply, divide, floor', () => {
    expect(alterValue('add(a, 2)', { a: 3 })).toBe(5);
    expect(alterValue('add(a, "2")', { a: '3' })).toBe(5);
    expect(alterValue('subtract(a, 2)', { a: 3 })).toBe(1);
    expect(alterValue('multiply(a, 2)', { a: 3 })).toBe(6);
    expect(alterValue('divide(a, 2)', { a: 3 })).toBe(1.5);
    expect(alterValue('divide(a, 0)', { a: 3 })).toBe(null);
    expect(alterValue('add(a, 1)', { a: null })).toBe(null);
    expect(alterValue('floor(a)', { a: 2.7 })).toBe(2);
    expect(alterValue('floor(divide(a, 2))', { a: 7 })).toBe(3);
  });

  it('to_epoch and to_timestamp convert between epoch units and epoch milliseconds', () => {
    const ms = 1751292131789;
    expect(alterValue('to_epoch(_time)', { _time: ms })).toBe(1751292131);
    expect(alterValue('to_epoch(_time, "millis")', { _time: ms })).toBe(ms);
    expect(alterValue('to_epoch(_time, "SECONDS")', { _time: ms })).toBe(1751292131);
    expect(alterValue('to_timestamp(s)', { s: 1751292131 })).toBe(1751292131000);
    expect(alterValue('to_timestamp(s, "SECONDS")', { s: 1751292131 })).toBe(1751292131000);
    expect(alterValue('to_timestamp(s, "MILLIS")', { s: ms })).toBe(ms);
    expect(runQuery('filter _time > to_timestamp(1751292000, "SECONDS")', [{ _time: ms }, { _time: 1 }])).toHaveLength(1);
  });

  it('incidr function form', () => {
    expect(alterValue('incidr(ip, "10.0.0.0/8, 172.16.0.0/12")', { ip: '172.20.1.1' })).toBe(true);
    expect(alterValue('incidr(ip, "10.0.0.0/8")', { ip: '11.0.0.1' })).toBe(false);
  });

  it('uses earlier assignments of the same alter stage', () => {
    expect(runQuery('alter a = lowercase(x), b = concat(a, "!")', [{ x: 'HI' }])[0]).toMatchObject({ a: 'hi', b: 'hi!' });
  });

  it('can filter on a computed field', () => {
    const rows = [{ x: 'CMD.EXE' }, { x: 'bash' }];
    expect(runQuery('alter l = lowercase(x) | filter l = "cmd.exe"', rows, {})).toEqual([{ x: 'CMD.EXE', l: 'cmd.exe' }]);
    expect(runQuery('filter lowercase(x) contains "cmd"', rows)).toHaveLength(1);
  });
});
