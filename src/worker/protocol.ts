/**
 * The typed message protocol between the UI thread and src/worker/hunt.worker.ts.
 *
 * Rules (see /work/shared/research/style-anchors.md §1.2, TanStack's tableWorkerProtocol):
 * - Requests and responses are discriminated unions on `type`.
 * - Every request carries a monotonically increasing `requestId`; every response echoes the id of
 *   the request it answers, so the UI drops anything older than the latest request of that kind.
 * - Errors travel as plain data `{ message }` (native Error objects do not clone everywhere).
 * - Index lists are `Uint32Array`s whose buffers are transferred, not cloned.
 * - The UI never parses data; everything below is computed in the worker.
 */
import type { FunnelStep, NearMiss, Progress, RunResult, RunStats } from '../engine/types';
import type { RawRecord, Row, Value } from '../engine/value';
import type { PreviewResult } from '../engine/preview';
import type { ChartAggregates, ChartFilter } from '../engine/aggregate';
import type { ClauseInfo, EscapeReading, Explanation, LiteralNote, SortDirection } from '../xql/plan';

// ---------------------------------------------------------------------------------------------
// View state (sorting / filtering), shaped like TanStack Table's state slices so the table can
// own them as controlled state and hand them to the worker unchanged.

export interface ViewSort {
  id: string;
  desc: boolean;
}

export interface ViewColumnFilter {
  id: string;
  /** Case-insensitive substring of the cell's display text. */
  value: string;
}

/** A filter set by clicking a chart (host/user/process bar or time bin); see src/engine/aggregate.ts. */
export type { ChartFilter };

export interface ViewSpec {
  sorting: ViewSort[];
  columnFilters: ViewColumnFilter[];
  globalFilter: string;
  chartFilters: ChartFilter[];
  /**
   * Verdicts live on the UI thread (triage), so a view that sorts or filters on `VERDICT_COLUMN`
   * carries them: one index into `VERDICTS` (src/triage/model.ts) per hit of the final list.
   * Omitted otherwise, so deciding a hit does not re-sort a view that ignores verdicts.
   */
  verdicts?: Uint8Array;
}

/** Synthetic column: the hit's triage verdict (values in `ViewSpec.verdicts`). */
export const VERDICT_COLUMN = '__verdict';

// ---------------------------------------------------------------------------------------------
// Data that crosses the boundary.

/** What the UI needs of a compiled Plan (the Plan itself holds functions and does not clone). */
export interface PlanSummary {
  text: string;
  escapes: EscapeReading;
  clauses: ClauseInfo[];
  literalNotes: LiteralNote[];
  outputFields: string[] | null;
  sort: { field: string; direction: SortDirection }[];
  timeframe: string | null;
}

export interface DatasetFingerprint {
  name: string;
  size: number;
  /** Lower-case hex SHA-256 of the file's bytes as stored (before gunzip). */
  sha256: string;
}

export interface WorkerError {
  message: string;
}

/**
 * One column of a hit batch. Hosts, users and images repeat across thousands of hits, so a column
 * whose values repeat is sent as a dictionary plus transferred codes: the UI then holds one string
 * per distinct value instead of one clone per hit.
 */
export type EncodedColumn = { kind: 'values'; values: Value[] } | { kind: 'dict'; dict: Value[]; codes: Uint32Array };

/**
 * Hits as columns, which is what the table needs and nothing more: no explanation tree and no raw
 * record (the detail pane asks for those, one hit at a time). Hit i of the batch is row i of every
 * array; typed arrays are transferred.
 */
export interface HitBatch {
  count: number;
  keys: string[];
  eventIds: string[];
  /** The run's source file names so far; `fileIds` index into it. */
  files: string[];
  fileIds: Uint32Array;
  /** HitSource.row and HitSource.line. */
  rows: Uint32Array;
  lines: Uint32Array;
  /** Hit.fields' names in order (null values where a hit lacks one). */
  fieldNames: string[];
  /** Canonical row fields the UI reads (host, user, image, time…) that are not already fields. */
  rowNames: string[];
  /** One per name of `[...fieldNames, ...rowNames]`. */
  columns: EncodedColumn[];
}

/** Everything the detail pane shows of one hit that the table does not carry. */
export interface HitDetail {
  index: number;
  key: string;
  explanation: Explanation;
  raw: RawRecord;
  /** The whole canonical row after the streaming stages. */
  row: Row;
}

/** Where the query's `contains` matched in one hit's command line: [start, end) pairs. */
export interface HitSpans {
  index: number;
  spans: Uint32Array;
}

/** What the UI may change about the field mapping of a run (runHunt's profileId / profileOverrides). */
export interface MappingChoice {
  profileId?: string;
  profileOverrides?: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Requests (UI -> worker).

export interface RunRequest {
  type: 'run';
  requestId: number;
  /** Structured-cloning a File clones a handle, not its content; the worker reads it in slices. */
  files: File[];
  query: string;
  escapes: EscapeReading;
  strict: boolean;
  /** Applied to every file of the run (runHunt takes one profile choice per run). */
  mapping?: MappingChoice;
  /**
   * Mappings the analyst saved, by header signature (headerSignature of the sorted column names).
   * Without `mapping`, the first file's signature picks one of these, else the profile is detected.
   */
  remembered?: Record<string, MappingChoice>;
}

export interface CancelRequest {
  type: 'cancel';
  requestId: number;
  /** The run to cancel; it answers with `cancelled` under its own id. */
  runId: number;
}

export interface ViewRequest {
  type: 'view';
  requestId: number;
  /** The run whose hit list the view is computed over; a view for another run is ignored. */
  runId: number;
  spec: ViewSpec;
}

/** Liveness probe while a run is in flight (src/ui/faults/supervisor.ts); answered at once with `pong`. */
export interface PingRequest {
  type: 'ping';
  requestId: number;
}

/** The explanation and raw record of one hit of a run, by its index in the run's hit store. */
export interface DetailRequest {
  type: 'detail';
  requestId: number;
  runId: number;
  index: number;
}

/** Command-line highlight spans for hits the table is about to show (cheap for a screenful, not for a run). */
export interface SpansRequest {
  type: 'spans';
  requestId: number;
  runId: number;
  indices: number[];
}

/** Profile and mapping of each file from its first chunk, and what the query would miss, before any run. */
export interface PreviewRequest {
  type: 'preview';
  requestId: number;
  files: File[];
  query: string;
  escapes: EscapeReading;
  mapping?: MappingChoice;
  remembered?: Record<string, MappingChoice>;
}

export type WorkerRequest = RunRequest | CancelRequest | ViewRequest | PingRequest | DetailRequest | SpansRequest | PreviewRequest;

// ---------------------------------------------------------------------------------------------
// Responses (worker -> UI). `requestId` is the id of the run or view request answered.

export interface ProgressResponse extends Progress {
  type: 'progress';
  requestId: number;
  mbPerSec: number;
}

/** New hits in arrival order, appended to the run's hit store (index = arrival order). */
export interface HitsResponse {
  type: 'hits';
  requestId: number;
  batch: HitBatch;
}

/**
 * The final hit list, as indices into the hit store in the query's final order. When a blocking
 * stage rebuilt the rows (so the streamed hits are not the final ones), `replace` holds the final
 * hits, which replace the store, and `order` is the identity over them.
 *
 * `done` ends the fast pass (engine `coverage: false`): `stats.funnel` is null and there are no
 * near misses or fingerprints yet. The coverage pass then runs in the background and answers with
 * `coverage-progress`, then `coverage` (or `coverage-stopped`) under the same requestId.
 */
export interface DoneResponse {
  type: 'done';
  requestId: number;
  order: Uint32Array;
  replace: HitBatch | null;
  stats: RunStats;
  plan: PlanSummary;
  /** Set when the query ends in `comp`: aggregate rows instead of hits. */
  aggregate: RunResult['aggregate'];
}

/** Bytes the background coverage pass has read so far (throttled like `progress`). */
export interface CoverageProgressResponse {
  type: 'coverage-progress';
  requestId: number;
  bytes: number;
  totalBytes: number;
}

/**
 * What only a full pass over every row yields: the clause funnel, the near misses, and the files'
 * SHA-256 fingerprints (hashed during this pass so the fast pass does no hashing). Sent once, after
 * `done`, for the run `requestId`; the UI drops it when another run has started since.
 */
export interface CoverageResponse {
  type: 'coverage';
  requestId: number;
  funnel: FunnelStep[] | null;
  nearMisses: NearMiss[];
  otherReadingHits: number | null;
  fingerprints: DatasetFingerprint[];
}

/** The coverage pass of run `requestId` stopped early: cancelled, or failed (`error`). The hits stay final. */
export interface CoverageStoppedResponse {
  type: 'coverage-stopped';
  requestId: number;
  cancelled: boolean;
  error: WorkerError | null;
}

export interface ErrorResponse {
  type: 'error';
  requestId: number;
  error: WorkerError;
}

export interface CancelledResponse {
  type: 'cancelled';
  requestId: number;
}

/**
 * Hit-store indices in view order, plus the chart aggregates of the filtered view. While the run
 * streams, a view covers the first `covered` hits (arrival order is the base order); once done it
 * covers them all in the query's final order (`final`).
 */
export interface ViewResponse {
  type: 'view';
  requestId: number;
  runId: number;
  indices: Uint32Array;
  aggregates: ChartAggregates;
  computeMs: number;
  covered: number;
  final: boolean;
}

export interface DetailResponse {
  type: 'detail';
  requestId: number;
  runId: number;
  detail: HitDetail;
}

export interface SpansResponse {
  type: 'spans';
  requestId: number;
  runId: number;
  spans: HitSpans[];
}

export interface PreviewFile extends PreviewResult {
  name: string;
  /** Hash of the sorted column names: the key under which a mapping override is remembered. */
  signature: string;
  /** Where the mapping came from: detection, the request's explicit choice, or a remembered one. */
  source: 'detected' | 'chosen' | 'remembered';
  /** The choice applied (empty when detected). */
  choice: MappingChoice;
}

export interface PreviewResponse {
  type: 'preview';
  requestId: number;
  files: PreviewFile[];
  /** Per file that could not be previewed (unreadable, no profile…): its name and why. */
  errors: { name: string; message: string }[];
}

export interface PongResponse {
  type: 'pong';
  requestId: number;
}

export type WorkerResponse =
  | ProgressResponse
  | HitsResponse
  | DoneResponse
  | CoverageProgressResponse
  | CoverageResponse
  | CoverageStoppedResponse
  | ErrorResponse
  | CancelledResponse
  | ViewResponse
  | PongResponse
  | DetailResponse
  | SpansResponse
  | PreviewResponse;

/** Plain-data error from anything thrown. */
export function toWorkerError(e: unknown): WorkerError {
  if (e instanceof Error) return { message: e.message };
  return { message: String(e) };
}
