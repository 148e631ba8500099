import type { RawRecord } from './value';
import type { BoundPlan } from '../xql/plan';
import type { CandidateFilter } from '../ingest/candidates';

/**
 * A cheap test on a record's raw text that every hit passes (see BoundPlan.requiredLiterals).
 * When two readings are evaluated, a record is a candidate if it could pass either of them.
 */
export interface Prefilter {
  accepts(raw: RawRecord, rawText: string | undefined): boolean;
}

type Cnf = readonly (readonly string[])[];

export function createPrefilter(caseSensitive: boolean, bound: BoundPlan, other: BoundPlan | null): Prefilter | null {
  const groups = bound.requiredLiterals;
  if (groups === null || groups.length === 0) return null;
  const otherGroups = other ? other.requiredLiterals : groups;
  if (otherGroups === null || otherGroups.length === 0) return null;
  const fold = caseSensitive ? (text: string) => text : (text: string) => text.toLowerCase();
  return {
    accepts(raw, rawText) {
      const text = fold(rawText ?? recordText(raw));
      return satisfies(text, groups) || (otherGroups !== groups && satisfies(text, otherGroups));
    },
  };
}

/**
 * The raw-text filter for the candidate reader: the CNF of each reading (a record is a candidate
 * when either holds). null when a reading guarantees no literal, since then any record may pass it.
 */
export function candidateFilter(caseSensitive: boolean, bound: BoundPlan, other: BoundPlan | null): CandidateFilter | null {
  const groups = bound.requiredLiterals;
  if (groups === null || groups.length === 0) return null;
  if (!other) return { cnfs: [groups], caseSensitive };
  const otherGroups = other.requiredLiterals;
  if (otherGroups === null || otherGroups.length === 0) return null;
  return { cnfs: [groups, otherGroups], caseSensitive };
}

export function satisfies(text: string, groups: Cnf): boolean {
  for (const group of groups) {
    let found = false;
    for (const literal of group) {
      if (text.includes(literal)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

function recordText(raw: RawRecord): string {
  let text = '';
  for (const key in raw) {
    const value = raw[key];
    text += typeof value === 'string' ? value : JSON.stringify(value);
    text += '\u0000';
  }
  return text;
}
