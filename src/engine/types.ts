import type { RawRecord, Row, Value } from './value';
import type { ClauseInfo, EscapeReading, Explanation, LiteralNote, Plan } from '../xql/plan';
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
  /**
   * True when the fast path (coverage: false) skipped records without parsing them: then a skipped
   * record with the wrong number of CSV fields is counted as a row instead of reported as malformed,
   * so `malformed` counts malformed rows among the parsed (candidate) records only.
   */
  malformedCandidatesOnly?: boolean;
  elapsedMs: number;
}

export interface Progress {
  bytes: number;
  totalBytes: number;
  rows: number;
  hits: number;
  file: string;
}

/** One input file. `chunks()` may be called more than once (e.g. a re-run under the other reading). */
export interface RunInput {
  name: string;
  size: number;
  chunks(): AsyncIterable<Uint8Array>;
}

export interface RunOptions {
  escapes?: EscapeReading;
  /** A filter on a column the export lacks is an error instead of a skipped clause. */
  strict?: boolean;
  /**
   * Evaluate every row fully: funnel, near misses and the other reading's hit count. When false
   * the engine may use the literal prefilter and parse only candidate records. Default true.
   */
  coverage?: boolean;
  /** Cap on near misses kept (default 1000). */
  nearMissLimit?: number;
  /** Force a profile by id instead of detecting it. */
  profileId?: string;
  /** canonical field -> source column, applied on top of the detected profile. */
  profileOverrides?: Record<string, string>;
  /** Called at most every ~50 ms and once at the end of each file. */
  onProgress?(progress: Progress): void;
  /** New hits in arrival order, batched; the final order is RunResult.hits. */
  onHits?(hits: Hit[]): void;
  signal?: AbortSignal;
}

export interface RunResult {
  plan: Plan;
  /** In the query's final order (sort/dedup/limit applied). */
  hits: Hit[];
  /** Set instead of hits' fields when the query ends in `comp`: the aggregate rows. */
  aggregate: { fields: string[]; rows: Record<string, Value>[] } | null;
  nearMisses: NearMiss[];
  stats: RunStats;
}
