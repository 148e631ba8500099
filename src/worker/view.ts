/**
 * Sorting and filtering of a run's hit list, in the worker. Pure and thread-portable so it is
 * unit-tested in Node and never runs on the UI thread.
 */
import type { Hit } from '../engine/types';
import type { Value } from '../engine/value';
import { cellText } from '../ui/format';
import { matchesChartFilters } from '../engine/aggregate';
import { VERDICT_COLUMN } from './protocol';
import type { ViewSpec } from './protocol';
import type { Explanation, ExplainNode } from '../xql/plan';
import { VERDICTS, VERDICT_LABELS, VERDICT_SEVERITY } from '../triage/model';

/** A column's value for a hit: the projected field, else the canonical row (chart fields). */
export function hitValue(hit: Hit, field: string): Value | undefined {
  if (field === '__file') return hit.source.file;
  if (Object.prototype.hasOwnProperty.call(hit.fields, field)) return hit.fields[field];
  return hit.row[field];
}

type SortKey = number | string | null;

function sortKey(v: Value | undefined): SortKey {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return v.toLowerCase();
  return JSON.stringify(v).toLowerCase();
}

function compareKeys(a: SortKey, b: SortKey): number {
  // Empty values sort last in either direction: the analyst sorts to see values, not gaps.
  if (a === null) return b === null ? 0 : 2;
  if (b === null) return -2;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * Indices into `hits` (which is in the query's final order) of the hits the spec keeps, in view
 * order. Sorting is stable, so ties keep the query's order.
 */
export function computeView(hits: readonly Hit[], spec: ViewSpec, searchFields: readonly string[]): Uint32Array {
  const colFilters = spec.columnFilters
    .map((f) => ({ id: f.id, needle: f.value.trim().toLowerCase() }))
    .filter((f) => f.needle !== '');
  const global = spec.globalFilter.trim().toLowerCase();
  const verdicts = spec.verdicts;
  // The verdict column filters on its label and sorts worst-last (desc puts malicious first).
  const verdictAt = (i: number) => VERDICTS[verdicts?.[i] ?? 0] ?? 'untriaged';
  const filterText = (i: number, id: string) =>
    id === VERDICT_COLUMN ? VERDICT_LABELS[verdictAt(i)].toLowerCase() : cellText(id, hitValue(hits[i], id)).toLowerCase();
  const keep: number[] = [];
  for (let i = 0; i < hits.length; i++) {
    const hit = hits[i];
    let ok = true;
    for (const f of colFilters) {
      if (!filterText(i, f.id).includes(f.needle)) {
        ok = false;
        break;
      }
    }
    if (ok && spec.chartFilters.length > 0) ok = matchesChartFilters(hit, spec.chartFilters);
    if (ok && global !== '') {
      ok = hit.source.file.toLowerCase().includes(global) || hit.eventId.toLowerCase().includes(global);
      for (let j = 0; !ok && j < searchFields.length; j++) {
        ok = cellText(searchFields[j], hitValue(hit, searchFields[j])).toLowerCase().includes(global);
      }
    }
    if (ok) keep.push(i);
  }
  if (spec.sorting.length > 0) {
    // Decorate once: computing keys inside the comparator would redo work n·log n times.
    const keys = spec.sorting.map((s) => {
      const col: SortKey[] = new Array(hits.length);
      for (const i of keep) col[i] = s.id === VERDICT_COLUMN ? VERDICT_SEVERITY[verdictAt(i)] : sortKey(hitValue(hits[i], s.id));
      return { col, desc: s.desc };
    });
    keep.sort((a, b) => {
      for (const k of keys) {
        const c = compareKeys(k.col[a], k.col[b]);
        if (c !== 0) {
          // ±2 marks "one side is empty": keep empties last regardless of direction.
          if (c === 2 || c === -2) return c;
          return k.desc ? -c : c;
        }
      }
      return a - b;
    });
  }
  return Uint32Array.from(keep);
}

const COMMAND_LINE_FIELD = 'action_process_image_command_line';

function collectSpans(node: ExplainNode, out: number[]): void {
  // Only comparisons that held explain the hit; a failed OR branch's spans would mislead.
  if (!node.passed || node.skipped) return;
  for (const m of node.matches) if (m.field === COMMAND_LINE_FIELD) out.push(m.start, m.end);
  for (const c of node.children) collectSpans(c, out);
}

/** The command line's match spans of the clauses that held, as [start, end) pairs. */
export function commandLineSpans(explanation: Explanation): Uint32Array<ArrayBuffer> {
  const out: number[] = [];
  for (const c of explanation.clauses) collectSpans(c, out);
  return Uint32Array.from(out);
}
