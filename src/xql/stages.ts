import type { Row, Value } from '../engine/value';
import type { Aggregate, SortKey } from './ast';
import type { PipelineItem } from './plan';
import { compareForSort, readField, toNumber } from './values';

/** The blocking stages. Each takes and returns a new array; rows are never mutated in place. */

export function sortItems<T>(items: readonly PipelineItem<T>[], keys: readonly SortKey[]): PipelineItem<T>[] {
  const sign = keys.map((key) => (key.direction === 'desc' ? -1 : 1));
  // Array.prototype.sort is stable, so equal keys keep their order.
  return [...items].sort((a, b) => {
    for (let k = 0; k < keys.length; k++) {
      const order = compareForSort(readField(a.row, keys[k].field), readField(b.row, keys[k].field));
      if (order !== 0) return order * sign[k];
    }
    return 0;
  });
}

function groupKey(row: Row, fields: readonly string[]): string {
  return JSON.stringify(fields.map((field) => readField(row, field)));
}

/** Keeps the first item per key after ordering by `by`; survivors keep their input order. */
export function dedupItems<T>(items: readonly PipelineItem<T>[], fields: readonly string[], by: SortKey | null): PipelineItem<T>[] {
  const order = items.map((_, index) => index);
  if (by) {
    const sign = by.direction === 'desc' ? -1 : 1;
    order.sort((a, b) => compareForSort(readField(items[a].row, by.field), readField(items[b].row, by.field)) * sign);
  }
  const seen = new Set<string>();
  const keep = new Uint8Array(items.length);
  for (const index of order) {
    const key = groupKey(items[index].row, fields);
    if (seen.has(key)) continue;
    seen.add(key);
    keep[index] = 1;
  }
  return items.filter((_, index) => keep[index] === 1);
}

function distinctKey(value: Value): string {
  return typeof value === 'object' ? JSON.stringify(value) : `${typeof value}:${String(value)}`;
}

interface Accumulator {
  add(row: Row): void;
  result(): Value;
}

function accumulator(aggregate: Aggregate): Accumulator {
  const field = aggregate.field;
  const read = (row: Row): Value => (field === null ? null : readField(row, field));
  switch (aggregate.fn) {
    case 'count': {
      let count = 0;
      return {
        add: (row) => {
          if (field === null || read(row) !== null) count++;
        },
        result: () => count,
      };
    }
    case 'count_distinct': {
      const seen = new Set<string>();
      return {
        add: (row) => {
          const value = read(row);
          if (value !== null) seen.add(distinctKey(value));
        },
        result: () => seen.size,
      };
    }
    case 'sum':
    case 'avg': {
      let total = 0;
      let count = 0;
      const average = aggregate.fn === 'avg';
      return {
        add: (row) => {
          const value = toNumber(read(row));
          if (value !== null) {
            total += value;
            count++;
          }
        },
        result: () => (count === 0 ? null : average ? total / count : total),
      };
    }
    case 'min':
    case 'max': {
      let best: Value = null;
      const sign = aggregate.fn === 'min' ? 1 : -1;
      return {
        add: (row) => {
          const value = read(row);
          if (value !== null && (best === null || compareForSort(value, best) * sign < 0)) best = value;
        },
        result: () => best,
      };
    }
    case 'values': {
      const seen = new Set<string>();
      const values: Value[] = [];
      return {
        add: (row) => {
          const value = read(row);
          if (value === null) return;
          const key = distinctKey(value);
          if (!seen.has(key)) {
            seen.add(key);
            values.push(value);
          }
        },
        result: () => values,
      };
    }
  }
}

/** Groups by `by` (first-seen order); output rows hold the group fields then the aggregates. */
export function compItems<T>(items: readonly PipelineItem<T>[], aggregates: readonly Aggregate[], by: readonly string[]): PipelineItem<T>[] {
  const groups = new Map<string, { values: Value[]; accumulators: Accumulator[] }>();
  const groupFor = (row: Row) => {
    const key = groupKey(row, by);
    let group = groups.get(key);
    if (!group) {
      group = { values: by.map((field) => readField(row, field)), accumulators: aggregates.map(accumulator) };
      groups.set(key, group);
    }
    return group;
  };
  // Without `by`, an aggregate over no rows is still one row (count 0), as in SQL.
  if (by.length === 0) groupFor({});
  for (const item of items) for (const acc of groupFor(item.row).accumulators) acc.add(item.row);
  const out: PipelineItem<T>[] = [];
  for (const group of groups.values()) {
    const row: Row = {};
    by.forEach((field, index) => (row[field] = group.values[index]));
    aggregates.forEach((aggregate, index) => (row[aggregate.name] = group.accumulators[index].result()));
    out.push({ row, tag: undefined });
  }
  return out;
}

/** Floors a time (epoch ms) or number to the start of its bucket; other values are left alone. */
export function binValue(value: Value, span: number, offsetMs: number): Value {
  const number = toNumber(value);
  if (number === null) return value;
  return Math.floor((number + offsetMs) / span) * span - offsetMs;
}
