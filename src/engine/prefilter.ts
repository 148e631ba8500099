import type { BoundPlan } from '../xql/plan';
import type { CandidateFilter } from '../ingest/candidates';

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
