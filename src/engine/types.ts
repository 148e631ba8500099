import type { RawRecord, Row, Value } from './value';
import type { ClauseInfo, EscapeReading, Explanation, LiteralNote } from '../xql/plan';
import type { FormatInfo } from '../ingest/types';

/** Where a hit came from. */
export interface HitSource {
  file: string;
  /** 1-based data record number within the file (header not counted). */
  row: number;
  /** 1-based physical line where the record starts. */
  line: number;
}

export interface Hit {
  /** Unique within a run: `${fileIndex}:${row}`. */
  key: string;
  /** The event's `event_id` when it has one, else the key. */
  eventId: string;
  /** Projected fields in the query's `fields` order (values as read; `_time` epoch ms). */
  fields: Record<string, Value>;
  /** The canonical row after the streaming stages (for charts and triage: host, user, image, time). */
  row: Row;
  /** The whole original record. */
  raw: RawRecord;
  source: HitSource;
  explanation: Explanation;
}

/** An event that failed exactly one top-level clause. */
export interface NearMiss {
  key: string;
  eventId: string;
  row: Row;
  source: HitSource;
  failedClause: number;
  explanation: Explanation;
}

export interface MalformedRow {
  file: string;
  line: number;
  reason: string;
}

export interface FileStats {
  name: string;
  bytes: number;
  rows: number;
  malformed: number;
  format: FormatInfo | null;
  profileId: string | null;
  profileReason: string | null;
  /** canonical field -> source column, as bound. */
  mapping: Record<string, string>;
  missingFields: string[];
}

export interface FunnelStep {
  clause: ClauseInfo;
  /** Rows for which this clause held (evaluated on its own). */
  passed: number;
  /** Rows for which this clause and every clause before it held. */
  cumulative: number;
  skipped: boolean;
}

export interface RunStats {
  files: FileStats[];
  bytes: number;
  rows: number;
  hits: number;
  malformed: number;
  /** First malformed rows (capped), each naming file, line and reason. */
  malformedSamples: MalformedRow[];
  /** null when the run used the literal prefilter and did not evaluate every row. */
  funnel: FunnelStep[] | null;
  warnings: string[];
  escapes: EscapeReading;
  literalNotes: LiteralNote[];
  /** Hits the other string-literal reading finds on the same rows (only when literalNotes is non-empty). */
  otherReadingHits: number | null;
  elapsedMs: number;
}

export interface Progress {
  bytes: number;
  totalBytes: number;
  rows: number;
  hits: number;
  file: string;
}
