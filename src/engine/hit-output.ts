import type { Hit } from './types';
import type { Value } from './value';
import type { ExplainNode, MatchSpan } from '../xql/plan';

/** Fields whose values are epoch milliseconds in the engine and ISO 8601 UTC when written out. */
export function isTimeField(name: string): boolean {
  return name === '_time' || name === '_insert_time' || name.endsWith('_timestamp') || name.endsWith('_time');
}

export function formatTime(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}

/** A value as written to JSON/CSV output: times as ISO 8601 UTC, everything else as read. */
export function outputValue(name: string, value: Value | undefined): Value {
  if (value === undefined) return null;
  if (typeof value === 'number' && isTimeField(name)) return formatTime(value);
  return value;
}

export interface ClauseMatch {
  clause: string;
  passed: boolean;
  skipped: boolean;
  matches: MatchSpan[];
}

/** The explanation, flattened to one entry per top-level clause with every span beneath it. */
export function matchSummary(hit: Pick<Hit, 'explanation'>): ClauseMatch[] {
  return hit.explanation.clauses.map((node) => ({
    clause: node.text,
    passed: node.passed,
    skipped: node.skipped,
    matches: collectSpans(node, []),
  }));
}

function collectSpans(node: ExplainNode, into: MatchSpan[]): MatchSpan[] {
  if (node.passed) into.push(...node.matches);
  for (const child of node.children) collectSpans(child, into);
  return into;
}

/** The flat NDJSON/JSON shape of one hit: fields in the query's order, then _source and _match. */
export function hitRecord(hit: Hit): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(hit.fields)) record[name] = outputValue(name, value);
  record['_source'] = { file: hit.source.file, row: hit.source.row, line: hit.source.line };
  record['_match'] = matchSummary(hit);
  return record;
}

/** Text for a table/CSV cell. */
export function cellText(name: string, value: Value | undefined): string {
  const out = outputValue(name, value);
  if (out === null) return '';
  return typeof out === 'string' ? out : typeof out === 'object' ? JSON.stringify(out) : String(out);
}
