/**
 * The UI side of the worker protocol: one long-lived module worker, request ids, stale-response
 * dropping, and the run/view state as a reducer. Nothing here looks inside the data.
 */
import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { ChartAggregates } from '../engine/aggregate';
import type { NearMiss, RunStats } from '../engine/types';
import type { EscapeReading } from '../xql/plan';
import { HitStore, type TableHit } from '../worker/columns';
import type {
  DatasetFingerprint,
  HitDetail,
  MappingChoice,
  PlanSummary,
  PreviewResponse,
  ProgressResponse,
  ViewSpec,
  WorkerRequest,
  WorkerResponse,
} from '../worker/protocol';
import { superviseWorker, type WorkerSupervisor } from './faults/supervisor';
import { supervisorOptionsFromUrl } from './faults/tuning';
import { createHuntWorker } from './single/huntWorker';

export type RunStatus = 'idle' | 'running' | 'done' | 'error' | 'cancelled';

/**
 * The background coverage pass after `done` (funnel, near misses, fingerprints): 'idle' before
 * the run is done, 'running' while it reads, then 'done', 'cancelled' or 'error'.
 */
export type CoverageStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

export interface RunState {
  runId: number;
  status: RunStatus;
  files: File[];
  escapes: EscapeReading;
  query: string;
  progress: ProgressResponse | null;
  /** Every hit received, in arrival order (mutated in place as batches arrive; see `count`). */
  store: HitStore;
  /** Hits in the store; changes with every batch. */
  count: number;
  /** The final hit list in the query's order once done (empty while running). */
  hits: TableHit[];
  /** The final order as store indices once done. */
  order: Uint32Array | null;
  stats: RunStats | null;
  nearMisses: NearMiss[];
  plan: PlanSummary | null;
  /** Empty until the coverage pass has hashed every file. */
  fingerprints: DatasetFingerprint[];
  coverage: CoverageStatus;
  /** Fraction of the bytes the coverage pass has read, 0..1. */
  coverageProgress: number;
  coverageError: string | null;
  error: string | null;
  /** View as store indices, null until the worker answered the first view of this run. */
  view: Uint32Array | null;
  /** Hits the view was computed over, and whether over the final list (else the first `viewCovered` arrivals). */
  viewCovered: number;
  viewFinal: boolean;
  viewMs: number | null;
  /** Id of the view request in flight, 0 when none (the table shows it is busy). */
  viewPending: number;
  /** Bumped when command-line spans arrive, so visible rows re-render. */
  spansVersion: number;
  /** The selected hit's explanation and raw record, once the worker answered. */
  detail: HitDetail | null;
  /** Mapping preview of the chosen files (before and during a run). */
  preview: PreviewResponse | null;
  mapping: MappingChoice | undefined;
  aggregates: ChartAggregates | null;
  viewError: string | null;
}

const initial: RunState = {
  runId: 0,
  status: 'idle',
  files: [],
  escapes: 'xql',
  query: '',
  progress: null,
  store: new HitStore(),
  count: 0,
  hits: [],
  order: null,
  stats: null,
  nearMisses: [],
  plan: null,
  fingerprints: [],
  coverage: 'idle',
  coverageProgress: 0,
  coverageError: null,
  error: null,
  view: null,
  viewCovered: 0,
  viewFinal: false,
  viewMs: null,
  viewPending: 0,
  spansVersion: 0,
  detail: null,
  preview: null,
  mapping: undefined,
  aggregates: null,
  viewError: null,
};

type Action =
  | { type: 'start'; runId: number; files: File[]; query: string; escapes: EscapeReading; store: HitStore; mapping: MappingChoice | undefined }
  | { type: 'response'; msg: WorkerResponse; latestView: number; latestDetail: number; latestPreview: number; store: HitStore }
  | { type: 'view-sent'; requestId: number }
  | { type: 'preview-sent' }
  | { type: 'fail'; message: string };

function reduce(state: RunState, action: Action): RunState {
  switch (action.type) {
    case 'start':
      return {
        ...initial,
        runId: action.runId,
        status: 'running',
        files: action.files,
        query: action.query,
        escapes: action.escapes,
        store: action.store,
        mapping: action.mapping,
        // The preview of these files stays up while they run.
        preview: state.preview,
      };
    case 'view-sent':
      return { ...state, viewPending: action.requestId };
    case 'preview-sent':
      return state;
    case 'fail':
      // A worker lost during the coverage pass leaves the hits final: only the coverage failed.
      if (state.status === 'done') return state.coverage === 'running' ? { ...state, coverage: 'error', coverageError: action.message } : state;
      return { ...state, status: 'error', error: action.message };
    case 'response': {
      const msg = action.msg;
      if (msg.type === 'view') {
        if (msg.runId !== state.runId || msg.requestId !== action.latestView) return state;
        return {
          ...state,
          view: msg.indices,
          viewCovered: msg.covered,
          viewFinal: msg.final,
          viewMs: msg.computeMs,
          viewPending: 0,
          aggregates: msg.aggregates,
          viewError: null,
        };
      }
      if (msg.type === 'spans') return msg.runId === state.runId ? { ...state, spansVersion: state.spansVersion + 1 } : state;
      if (msg.type === 'detail') {
        return msg.runId === state.runId && msg.requestId === action.latestDetail ? { ...state, detail: msg.detail } : state;
      }
      if (msg.type === 'preview') return msg.requestId === action.latestPreview ? { ...state, preview: msg } : state;
      if (msg.type === 'error' && msg.requestId === action.latestView && msg.requestId !== state.runId) {
        return { ...state, viewError: msg.error.message, viewPending: 0 };
      }
      // Everything else answers a run: drop answers to runs that were superseded.
      if (msg.requestId !== state.runId) return state;
      switch (msg.type) {
        case 'progress':
          return state.status === 'running' ? { ...state, progress: msg } : state;
        case 'hits':
          // The batch is already in the store (appended outside the reducer, which must stay pure).
          return { ...state, count: action.store.count };
        case 'done': {
          const store = action.store;
          const hits = Array.from(msg.order, (i) => store.at(i));
          return {
            ...state,
            status: 'done',
            store,
            count: store.count,
            hits,
            order: msg.order,
            // A view computed while streaming is over arrival order; App asks again over the final list.
            view: null,
            viewFinal: false,
            stats: msg.stats,
            plan: msg.plan,
            // The worker starts the coverage pass right after `done`.
            coverage: 'running',
            coverageProgress: 0,
          };
        }
        case 'coverage-progress':
          return state.coverage === 'running' ? { ...state, coverageProgress: msg.totalBytes > 0 ? msg.bytes / msg.totalBytes : 0 } : state;
        case 'coverage':
          return {
            ...state,
            coverage: 'done',
            coverageProgress: 1,
            nearMisses: msg.nearMisses,
            fingerprints: msg.fingerprints,
            stats: state.stats ? { ...state.stats, funnel: msg.funnel, otherReadingHits: msg.otherReadingHits } : state.stats,
          };
        case 'coverage-stopped':
          return { ...state, coverage: msg.cancelled ? 'cancelled' : 'error', coverageError: msg.error?.message ?? null };
        case 'error':
          return { ...state, status: 'error', error: msg.error.message };
        case 'cancelled':
          return { ...state, status: 'cancelled' };
      }
    }
  }
  return state;
}

export interface HuntRunner {
  state: RunState;
  /** `mapping` null/undefined: the worker uses a remembered mapping for the files' header, else detection. */
  run(files: File[], query: string, escapes: EscapeReading, mapping?: MappingChoice | null, remembered?: Record<string, MappingChoice>): void;
  cancel(): void;
  /** Profile and mapping of files before (or without) running them. */
  requestPreview(files: File[], query: string, escapes: EscapeReading, mapping?: MappingChoice, remembered?: Record<string, MappingChoice>): void;
  /** Explanation and raw record of one hit; the answer lands in `state.detail`. */
  requestDetail(hit: TableHit): void;
  /** Command-line spans of hits about to be shown; cached in the store. */
  requestSpans(hits: readonly TableHit[]): void;
  spansOf(hit: TableHit): Uint32Array | undefined;
  /** Runs the last run's files, query and reading again (after a failure), on a fresh worker if needed. */
  retry(): void;
  requestView(spec: ViewSpec): void;
}

export function useHuntRunner(): HuntRunner {
  const [state, dispatch] = useReducer(reduce, initial);
  const workerRef = useRef<WorkerSupervisor | null>(null);
  const nextId = useRef(1);
  const latestView = useRef(0);
  const latestDetail = useRef(0);
  const latestPreview = useRef(0);
  const runIdRef = useRef(0);
  const storeRef = useRef<HitStore>(initial.store);
  /** Store indices whose spans were asked for (so scrolling back does not ask again). */
  const spansAsked = useRef(new Set<number>());

  /**
   * Hit batches go into the run's store here, outside the reducer: React may call a reducer twice,
   * and appending twice would duplicate hits.
   */
  const receive = useCallback((msg: WorkerResponse) => {
    const current = msg.requestId === runIdRef.current;
    if (msg.type === 'hits' && current) storeRef.current.append(msg.batch);
    if (msg.type === 'done' && current && msg.replace) {
      const store = new HitStore();
      store.append(msg.replace);
      storeRef.current = store;
      spansAsked.current = new Set();
    }
    if (msg.type === 'spans' && msg.runId === runIdRef.current) {
      for (const s of msg.spans) storeRef.current.spans.set(s.index, s.spans);
    }
    dispatch({
      type: 'response',
      msg,
      latestView: latestView.current,
      latestDetail: latestDetail.current,
      latestPreview: latestPreview.current,
      store: storeRef.current,
    });
  }, []);

  useEffect(() => {
    // The supervisor reports crashes and silent deaths (see src/ui/faults/supervisor.ts); the
    // hits received so far stay in the state and the next request starts a fresh worker.
    const worker = superviseWorker(
      createHuntWorker,
      {
        onMessage: receive,
        onFault: (message) => dispatch({ type: 'fail', message }),
      },
      supervisorOptionsFromUrl(),
    );
    workerRef.current = worker;
    return () => {
      worker.dispose();
      workerRef.current = null;
    };
  }, [receive]);
  // The coverage pass is watched too: a worker that dies while computing it must be reported.
  const running = state.status === 'running' || state.coverage === 'running';
  useEffect(() => workerRef.current?.watch(running), [running]);

  const send = useCallback((req: WorkerRequest) => {
    workerRef.current?.post(req);
  }, []);

  const run = useCallback(
    (files: File[], query: string, escapes: EscapeReading, mapping?: MappingChoice | null, remembered?: Record<string, MappingChoice>) => {
      const runId = nextId.current++;
      runIdRef.current = runId;
      const store = new HitStore();
      storeRef.current = store;
      spansAsked.current = new Set();
      dispatch({ type: 'start', runId, files, query, escapes, store, mapping: mapping ?? undefined });
      send({ type: 'run', requestId: runId, files, query, escapes, strict: false, mapping: mapping ?? undefined, remembered });
    },
    [send],
  );

  const cancel = useCallback(() => {
    send({ type: 'cancel', requestId: nextId.current++, runId: runIdRef.current });
  }, [send]);

  const requestView = useCallback(
    (spec: ViewSpec) => {
      const requestId = nextId.current++;
      latestView.current = requestId;
      dispatch({ type: 'view-sent', requestId });
      send({ type: 'view', requestId, runId: runIdRef.current, spec });
    },
    [send],
  );

  const requestPreview = useCallback(
    (files: File[], query: string, escapes: EscapeReading, mapping?: MappingChoice, remembered?: Record<string, MappingChoice>) => {
      const requestId = nextId.current++;
      latestPreview.current = requestId;
      send({ type: 'preview', requestId, files, query, escapes, mapping, remembered });
    },
    [send],
  );

  const requestDetail = useCallback(
    (hit: TableHit) => {
      const index = storeRef.current.indexOf(hit);
      if (index < 0) return;
      const requestId = nextId.current++;
      latestDetail.current = requestId;
      send({ type: 'detail', requestId, runId: runIdRef.current, index });
    },
    [send],
  );

  const requestSpans = useCallback(
    (hits: readonly TableHit[]) => {
      const store = storeRef.current;
      const indices: number[] = [];
      for (const h of hits) {
        const i = store.indexOf(h);
        if (i >= 0 && !spansAsked.current.has(i)) {
          spansAsked.current.add(i);
          indices.push(i);
        }
      }
      if (indices.length > 0) send({ type: 'spans', requestId: nextId.current++, runId: runIdRef.current, indices });
    },
    [send],
  );

  const spansOf = useCallback((hit: TableHit) => {
    const store = storeRef.current;
    return store.spans.get(store.indexOf(hit));
  }, []);

  const { files, query, escapes, mapping } = state;
  const retry = useCallback(() => {
    if (files.length > 0 && query !== '') run(files, query, escapes, mapping);
  }, [files, query, escapes, mapping, run]);

  return { state, run, cancel, retry, requestView, requestPreview, requestDetail, requestSpans, spansOf };
}
