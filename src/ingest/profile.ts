import type { RawRecord, Row } from '../engine/value';

/** Why a profile was chosen for a file, shown to the analyst. */
export interface Detection {
  /** 0..1; the highest-scoring profile wins, ties go to the earlier profile in the list. */
  score: number;
  reason: string;
}

/**
 * A field-mapping profile: how one source's export maps onto the canonical `xdr_data` fields.
 * Profiles are pure and thread-portable (no DOM, no closures over app state).
 */
export interface Profile {
  id: string;
  label: string;
  /** `columns` is the header (delimited) or the union of keys of the first records (JSON). */
  detect(columns: readonly string[], sample: readonly RawRecord[]): Detection | null;
  /** Precompute the column lookup for one file. `overrides` maps canonical field to source column. */
  bind(columns: readonly string[], overrides?: Readonly<Record<string, string>>): BoundProfile;
}

export interface BoundProfile {
  profileId: string;
  /** canonical field -> the source column(s) or rule it comes from, for the mapping view. */
  mapping: Record<string, string>;
  /** Canonical fields this file can provide (the XQL plan is bound against this set). */
  canonicalColumns: readonly string[];
  toRow(raw: RawRecord): Row;
}
