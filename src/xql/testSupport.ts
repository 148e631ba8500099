import type { Row } from '../engine/value';
import { compileXql } from './index';
import type { BoundPlan, CompileOptions, Plan, PipelineItem } from './plan';

/** Helpers shared by the xql tests. */

export function compileOk(text: string, options?: CompileOptions): Plan {
  const result = compileXql(text, options);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to compile: ${JSON.stringify(result.error)}`);
  return result.plan;
}

/** Binds with every source field present, plus `extra` columns. */
export function bindAll(plan: Plan, extra: readonly string[] = []): BoundPlan {
  return plan.bind(new Set([...plan.sourceFields, ...extra]));
}

/** Whether `row` passes the streaming stages of `filter <condition>`. */
export function passes(condition: string, row: Row, options?: CompileOptions & { caseSensitive?: boolean }): boolean {
  const config = options?.caseSensitive ? 'config case_sensitive = true | ' : '';
  const plan = compileOk(`${config}dataset = xdr_data | filter ${condition}`, options);
  return bindAll(plan, Object.keys(row)).evaluate(row) !== null;
}

/** Runs a whole query over rows: streaming stages then finish(); returns the rows. */
export function runQuery(text: string, rows: readonly Row[], options?: CompileOptions): Row[] {
  const plan = compileOk(text, options);
  const columns = new Set<string>(plan.sourceFields);
  for (const row of rows) for (const key of Object.keys(row)) columns.add(key);
  const bound = plan.bind(columns);
  const items: PipelineItem<number>[] = [];
  rows.forEach((row, index) => {
    const out = bound.evaluate(row);
    if (out !== null) items.push({ row: out, tag: index });
  });
  return bound.finish(items).map((item) => item.row);
}
