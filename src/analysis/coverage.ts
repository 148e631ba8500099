import type { NearMiss } from '../engine/types';
import type { ClauseInfo } from '../xql/plan';
import { categoryKey } from '../engine/aggregate';
import { truncate } from './truncate';

/**
 * What the hunt misses: near misses (events failing exactly one top-level clause) grouped by that
 * clause, with the values of the clause's fields they carry, so the hunter can see at a glance
 * that e.g. pwsh.exe and rundll32.exe were one image-name away from being hits.
 */

export interface FieldValueCount {
  field: string;
  value: string;
  count: number;
}

export interface NearMissGroup {
  /** Index into Plan.clauses. */
  clauseIndex: number;
  /** null when the clause list does not have that index (stale props). */
  clause: ClauseInfo | null;
  count: number;
  /** In input order. */
  nearMisses: NearMiss[];
  /** Distinct values of the clause's fields among the group, most frequent first. */
  values: FieldValueCount[];
  /** One line for the hunter, e.g. `12 events fail only: action_process_image_name = ... — consider adding pwsh.exe, rundll32.exe`. */
  takeaway: string;
}

const CLAUSE_TEXT_MAX = 90;
/** Values longer than this (command lines) are not something to paste into an `=` list. */
const SUGGESTIBLE_VALUE_MAX = 48;
const SUGGESTIONS_MAX = 5;

function valueCounts(nearMisses: readonly NearMiss[], fields: readonly string[]): FieldValueCount[] {
  const counts = new Map<string, FieldValueCount>();
  for (const nm of nearMisses) {
    for (const field of fields) {
      const value = categoryKey(nm.row[field]);
      const key = `${field}\u0000${value}`;
      const c = counts.get(key);
      if (c) c.count++;
      else counts.set(key, { field, value, count: 1 });
    }
  }
  return [...counts.values()].sort(
    (a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
  );
}

/** `a = "x" or a = "y"`, `a in ("x", "y")`: a clause that lists alternatives. */
function isAlternatives(clauseText: string): boolean {
  return /\sor\s|\sin\s*\(/iu.test(clauseText);
}

export function nearMissTakeaway(count: number, clause: ClauseInfo | null, values: readonly FieldValueCount[]): string {
  const events = `${count} event${count === 1 ? '' : 's'}`;
  const what = clause ? truncate(clause.text, CLAUSE_TEXT_MAX) : 'an unknown clause';
  const head = `${events} ${count === 1 ? 'fails' : 'fail'} only: ${what}`;
  if (!clause || values.length === 0) return head;
  const fields = new Set(values.map((v) => v.field));
  const suggestible = fields.size === 1 && values.every((v) => v.value.length <= SUGGESTIBLE_VALUE_MAX);
  if (suggestible) {
    const shown = values.slice(0, SUGGESTIONS_MAX).map((v) => v.value);
    const more = values.length > shown.length ? ` (+${values.length - shown.length} more)` : '';
    // Only a list of alternatives invites "add another"; a single comparison (event_sub_type =
    // PROCESS_START) is usually deliberate scoping, so just say what the events had instead.
    return isAlternatives(clause.text)
      ? `${head} — consider adding ${shown.join(', ')}${more}`
      : `${head} — they have ${shown.join(', ')}${more} instead`;
  }
  const distinct = values.length;
  const fieldList = [...fields].join(', ');
  return `${head} — ${distinct} distinct value${distinct === 1 ? '' : 's'} of ${fieldList}; review them below`;
}

/** Groups by failed clause, largest group first (ties by clause order). */
export function groupNearMisses(nearMisses: readonly NearMiss[], clauses: readonly ClauseInfo[]): NearMissGroup[] {
  const byIndex = new Map<number, ClauseInfo>();
  for (const c of clauses) byIndex.set(c.index, c);
  const groups = new Map<number, NearMiss[]>();
  for (const nm of nearMisses) {
    const list = groups.get(nm.failedClause);
    if (list) list.push(nm);
    else groups.set(nm.failedClause, [nm]);
  }
  const out: NearMissGroup[] = [];
  for (const [clauseIndex, list] of groups) {
    const clause = byIndex.get(clauseIndex) ?? null;
    const values = clause ? valueCounts(list, clause.fields) : [];
    out.push({
      clauseIndex,
      clause,
      count: list.length,
      nearMisses: list,
      values,
      takeaway: nearMissTakeaway(list.length, clause, values),
    });
  }
  return out.sort((a, b) => b.count - a.count || a.clauseIndex - b.clauseIndex);
}
