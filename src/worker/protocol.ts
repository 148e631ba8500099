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
import type { Hit, NearMiss, RunResult, RunStats } from '../engine/types';
import type { ChartAggregates, ChartFilter } from '../engine/aggregate';
import type { ClauseInfo, EscapeReading, LiteralNote, SortDirection } from '../xql/plan';

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
}

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

export type WorkerRequest = RunRequest | CancelRequest | ViewRequest;

// ---------------------------------------------------------------------------------------------
// Responses (worker -> UI). `requestId` is the id of the run or view request answered.

export interface ProgressResponse {
  type: 'progress';
  requestId: number;
  bytes: number;
  totalBytes: number;
  rows: number;
  hits: number;
  file: string;
  mbPerSec: number;
}

/** New hits in arrival order, appended to the ones already sent for this run. */
export interface HitsResponse {
  type: 'hits';
  requestId: number;
  hits: Hit[];
}

/**
 * The final hit list. When every final hit is one already streamed, `order` lists their arrival
 * indices in the query's final order and `hits` is null; otherwise `hits` replaces the streamed
 * list (e.g. when a blocking stage rebuilt the rows) and `order` is null.
 */
export interface DoneResponse {
  type: 'done';
  requestId: number;
  order: Uint32Array | null;
  hits: Hit[] | null;
  stats: RunStats;
  nearMisses: NearMiss[];
  plan: PlanSummary;
  fingerprints: DatasetFingerprint[];
  /** Set when the query ends in `comp`: aggregate rows instead of hits. */
  aggregate: RunResult['aggregate'];
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

/** Hit indices (into the final hit list) in view order, plus the chart aggregates of the filtered view. */
export interface ViewResponse {
  type: 'view';
  requestId: number;
  runId: number;
  indices: Uint32Array;
  aggregates: ChartAggregates;
  computeMs: number;
}

export type WorkerResponse =
  | ProgressResponse
  | HitsResponse
  | DoneResponse
  | ErrorResponse
  | CancelledResponse
  | ViewResponse;

/** Plain-data error from anything thrown. */
export function toWorkerError(e: unknown): WorkerError {
  if (e instanceof Error) return { message: e.message };
  return { message: String(e) };
}
