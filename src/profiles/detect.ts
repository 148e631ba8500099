import type { RawRecord } from '../engine/value';
import type { Detection } from '../ingest/profile';
import type { ColumnIndex } from './fields';
import { hasField } from './fields';

/**
 * Scoring shared by the source profiles. A profile names its signature fields (most telling
 * first) and the subset that must be present. The score lies in 0.5..0.95 so that any file with
 * a source's own required columns beats the xdr profile's count of generic names (`_time`,
 * `event_id`), and a file with XDR's own columns (which no other source has) still scores 1 there.
 */
export interface Signature {
  /** Shown first in the reason, e.g. "Defender DeviceProcessEvents". */
  label: string;
  /** Every one of these must be present (as a column, or a path in the sampled records). */
  required: readonly (string | readonly string[])[];
  /** More fields that raise the confidence; listed in the reason when found. */
  optional: readonly string[];
}

const REASON_FIELDS = 3;

function present(index: ColumnIndex, sample: readonly RawRecord[], field: string | readonly string[]): string | null {
  const alternatives = typeof field === 'string' ? [field] : field;
  for (const alternative of alternatives) if (hasField(index, sample, alternative)) return alternative;
  return null;
}

/** Null when a required field is missing; `bonus` (0..0.05) rewards a value check. */
export function scoreSignature(
  index: ColumnIndex,
  sample: readonly RawRecord[],
  signature: Signature,
  bonus = 0,
): Detection | null {
  const found: string[] = [];
  for (const field of signature.required) {
    const name = present(index, sample, field);
    if (name === null) return null;
    found.push(name);
  }
  const optional = signature.optional.filter((field) => !found.includes(field) && hasField(index, sample, field));
  const all = [...found, ...optional];
  const total = signature.required.length + signature.optional.length;
  const score = Math.min(0.95, 0.5 + 0.4 * (all.length / total) + Math.max(0, Math.min(0.05, bonus)));
  return { score, reason: `${signature.label}: ${all.slice(0, REASON_FIELDS).join(', ')}` };
}

/** Share of sampled values (case-insensitive) that are in `wanted`; 0 without values. */
export function valueShare(values: readonly string[], wanted: readonly string[]): number {
  if (values.length === 0) return 0;
  const set = new Set(wanted.map((w) => w.toLowerCase()));
  return values.filter((v) => set.has(v.toLowerCase())).length / values.length;
}
