import { describe, expect, it } from 'vitest';
import type { Row } from '../engine/value';
import type { PipelineItem } from './plan';
import { bindAll, compileOk, runQuery } from './testSupport';

describe('sort', () => {
  const rows: Row[] = [
    { id: 1, n: 10, s: 'b' },
    { id: 2, n: 9, s: 'a' },
    { id: 3, n: null, s: 'a' },
    { id: 4, n: '100', s: 'c' },
    { id: 5, n: 9, s: 'c' },
  ];
  const ids = (query: string): Value[] => runQuery(query, rows).map((row) => row.id);
  type Value = Row[string];

  it('sorts numbers numerically with nulls first ascending and last descending', () => {
    expect(ids('sort asc n')).toEqual([3, 2, 5, 1, 4]);
    expect(ids('sort n')).toEqual([3, 2, 5, 1, 4]);
    expect(ids('sort desc n')).toEqual([4, 1, 2, 5, 3]);
    expect(ids('sort n desc')).toEqual([4, 1, 2, 5, 3]);
  });

  it('sorts by several keys and is stable', () => {
    expect(ids('sort asc s, desc n')).toEqual([2, 3, 1, 4, 5]);
    expect(ids('sort asc s')).toEqual([2, 3, 1, 4, 5]);
  });

  it('carries tags through', () => {
    const bound = bindAll(compileOk('sort desc n'));
    const items: PipelineItem<string>[] = [
      { row: { n: 1 }, tag: 'one' },
      { row: { n: 2 }, tag: 'two' },
    ];
    expect(bound.finish(items).map((item) => item.tag)).toEqual(['two', 'one']);
  });
});

describe('dedup', () => {
  const rows: Row[] = [
    { id: 1, host: 'a', user: 'x', _time: 30 },
    { id: 2, host: 'a', user: 'x', _time: 10 },
    { id: 3, host: 'b', user: 'x', _time: 20 },
    { id: 4, host: 'a', user: 'y', _time: 5 },
    { id: 5, host: 'b', user: 'x', _time: 40 },
  ];
  const ids = (query: string): unknown[] => runQuery(query, rows).map((row) => row.id);

  it('keeps the first item per key', () => {
    expect(ids('dedup host')).toEqual([1, 3]);
    expect(ids('dedup host, user')).toEqual([1, 3, 4]);
  });

  it('keeps the first item per key after ordering by the by field', () => {
    expect(ids('dedup host by asc _time')).toEqual([3, 4]);
    expect(ids('dedup host by desc _time')).toEqual([1, 5]);
  });
});

describe('comp', () => {
  const rows: Row[] = [
    { host: 'a', user: 'x', bytes: 10 },
    { host: 'a', user: 'y', bytes: '20' },
    { host: 'b', user: null, bytes: 5 },
    { host: 'a', user: 'x', bytes: null },
  ];

  it('groups and aggregates with default names', () => {
    const out = runQuery(
      'comp count(), count(user), count_distinct(user), sum(bytes), min(bytes), max(bytes), avg(bytes), values(user) by host',
      rows,
    );
    expect(out).toEqual([
      { host: 'a', count: 4 - 1, count_user: 3, count_distinct_user: 2, sum_bytes: 30, min_bytes: 10, max_bytes: '20', avg_bytes: 15, values_user: ['x', 'y'] },
      { host: 'b', count: 1, count_user: 0, count_distinct_user: 0, sum_bytes: 5, min_bytes: 5, max_bytes: 5, avg_bytes: 5, values_user: [] },
    ]);
    expect(Object.keys(out[0])[0]).toBe('host');
  });

  it('uses aliases, runs later stages on the aggregate rows, and leaves tags undefined', () => {
    const plan = compileOk('comp count() as hits by host, user | filter hits > 1 | sort desc hits');
    const bound = bindAll(plan, ['bytes']);
    const items = rows.map((row, index) => ({ row, tag: index }));
    const out = bound.finish(items);
    expect(out).toEqual([{ row: { host: 'a', user: 'x', hits: 2 }, tag: undefined }]);
    expect(plan.outputFields).toEqual(['host', 'user', 'hits']);
    expect(bound.outputFields).toEqual(['host', 'user', 'hits']);
  });

  it('gives one row without by, even for no input', () => {
    expect(runQuery('comp count() as n, sum(bytes)', rows)).toEqual([{ n: 4, sum_bytes: 35 }]);
    expect(runQuery('filter host = "zzz" | comp count() as n', rows)).toEqual([{ n: 0 }]);
  });
});

describe('limit and bin', () => {
  it('limits after the preceding stages', () => {
    const rows = [1, 2, 3, 4, 5].map((n) => ({ n }));
    expect(runQuery('limit 2', rows)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(runQuery('sort desc n | limit 2', rows)).toEqual([{ n: 5 }, { n: 4 }]);
    expect(runQuery('limit 0', rows)).toEqual([]);
  });

  it('floors epoch-millisecond times and numbers to the span', () => {
    const time = Date.UTC(2025, 5, 30, 14, 37, 29, 123);
    const bin = (span: string, value: Row[string] = time): Row[string] => runQuery(`bin t span = ${span}`, [{ t: value }])[0].t;
    expect(bin('1h')).toBe(Date.UTC(2025, 5, 30, 14));
    expect(bin('10m')).toBe(Date.UTC(2025, 5, 30, 14, 30));
    expect(bin('1d')).toBe(Date.UTC(2025, 5, 30));
    expect(bin('30s')).toBe(Date.UTC(2025, 5, 30, 14, 37));
    expect(bin('10', 47)).toBe(40);
    expect(bin('1h', null)).toBe(null);
    expect(runQuery('bin t span = 1d timezone = "+02:00"', [{ t: time }])[0].t).toBe(Date.UTC(2025, 5, 30) - 2 * 3_600_000);
    expect(runQuery('bin t span=1h | comp count() as n by t', [{ t: time }, { t: time + 1000 }])).toEqual([
      { t: Date.UTC(2025, 5, 30, 14), n: 2 },
    ]);
  });
});

describe('streaming and blocking stages', () => {
  it('runs filters after a blocking stage in finish()', () => {
    const plan = compileOk('filter a = 1 | sort asc b | filter b > 1 | alter c = add(b, 1)');
    const bound = bindAll(plan);
    expect(bound.evaluate({ a: 1, b: 1 })).toEqual({ a: 1, b: 1 });
    expect(bound.evaluate({ a: 2, b: 5 })).toBe(null);
    const out = bound.finish([
      { row: { a: 1, b: 3 }, tag: 'x' },
      { row: { a: 1, b: 1 }, tag: 'y' },
    ]);
    expect(out).toEqual([{ row: { a: 1, b: 3, c: 4 }, tag: 'x' }]);
    expect(plan.clauses.map((clause) => clause.stage)).toEqual([0, 2]);
  });

  it('returns the same row object when nothing altered it', () => {
    const bound = bindAll(compileOk('filter a = 1 | fields a'));
    const row = { a: 1 };
    expect(bound.evaluate(row)).toBe(row);
  });
});

describe('fields', () => {
  const columns = new Set(['_time', '_product', '_vendor', 'agent_hostname', 'action_process_image_name', 'action_process_image_path', 'event_id']);

  it('lists fields with aliases applied, then the system fields the file has', () => {
    const plan = compileOk('fields agent_hostname as host, event_id');
    expect(plan.outputFields).toEqual(['host', 'event_id']);
    const bound = plan.bind(columns);
    expect(bound.outputFields).toEqual(['host', 'event_id', '_time', '_product', '_vendor']);
    expect(bound.evaluate({ agent_hostname: 'h1', event_id: 'e' })).toEqual({ agent_hostname: 'h1', event_id: 'e', host: 'h1' });
  });

  it('lets later stages use the alias', () => {
    const plan = compileOk('fields agent_hostname as host | filter host = "h1"');
    expect(plan.sourceFields).toEqual(['agent_hostname']);
    const bound = plan.bind(new Set(['agent_hostname']));
    expect(bound.skippedClauses).toEqual([]);
    expect(bound.evaluate({ agent_hostname: 'H1' })).not.toBe(null);
    expect(bound.evaluate({ agent_hostname: 'h2' })).toBe(null);
  });

  it('expands * wildcards against the file columns', () => {
    const bound = compileOk('fields action_process_*, _time').bind(columns);
    expect(bound.outputFields).toEqual(['action_process_image_name', 'action_process_image_path', '_time', '_product', '_vendor']);
    expect(compileOk('fields *_name').bind(columns).outputFields).toEqual(['action_process_image_name', '_time', '_product', '_vendor']);
  });

  it('excludes fields with -, but never system fields', () => {
    const plan = compileOk('fields - action_process_*, _time, event_id');
    expect(plan.outputFields).toBe(null);
    expect(plan.bind(columns).outputFields).toEqual(['agent_hostname', '_time', '_product', '_vendor']);
  });

  it('appends alter columns after the fields stage and reports null without fields/comp', () => {
    expect(compileOk('fields event_id | alter x = 1').bind(columns).outputFields).toEqual([
      'event_id', '_time', '_product', '_vendor', 'x',
    ]);
    expect(compileOk('filter event_id != null | alter x = 1').bind(columns).outputFields).toBe(null);
    expect(compileOk('filter event_id != null').outputFields).toBe(null);
  });
});
