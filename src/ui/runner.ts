/**
 * The UI side of the worker protocol: one long-lived module worker, request ids, stale-response
 * dropping, and the run/view state as a reducer. Nothing here looks inside the data.
 */
import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { ChartAggregates } from '../engine/aggregate';
import type { Hit, NearMiss, RunStats } from '../engine/types';
import type { EscapeReading } from '../xql/plan';
import type {
  DatasetFingerprint,
  PlanSummary,
  ProgressResponse,
  ViewSpec,
  WorkerRequest,
  WorkerResponse,
} from '../worker/protocol';

export type RunStatus = 'idle' | 'running' | 'done' | 'error' | 'cancelled';

export interface RunState {
  runId: number;
  status: RunStatus;
  files: File[];
  escapes: EscapeReading;
  query: string;
  progress: ProgressResponse | null;
  /** Arrival order while running; the query's final order once done. */
  hits: Hit[];
  stats: RunStats | null;
  nearMisses: NearMiss[];
  plan: PlanSummary | null;
  fingerprints: DatasetFingerprint[];
  error: string | null;
  /** View over `hits` (indices), null until the worker answered the first view of this run. */
  view: Uint32Array | null;
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
  hits: [],
  stats: null,
  nearMisses: [],
  plan: null,
  fingerprints: [],
  error: null,
  view: null,
  aggregates: null,
  viewError: null,
};

type Action =
  | { type: 'start'; runId: number; files: File[]; query: string; escapes: EscapeReading }
  | { type: 'response'; msg: WorkerResponse; latestView: number }
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
      };
    case 'fail':
      return { ...state, status: 'error', error: action.message };
    case 'response': {
      const msg = action.msg;
      if (msg.type === 'view') {
        if (msg.runId !== state.runId || msg.requestId !== action.latestView) return state;
        return { ...state, view: msg.indices, aggregates: msg.aggregates, viewError: null };
      }
      if (msg.type === 'error' && msg.requestId === action.latestView && msg.requestId !== state.runId) {
        return { ...state, viewError: msg.error.message };
      }
      // Everything else answers a run: drop answers to runs that were superseded.
      if (msg.requestId !== state.runId) return state;
      switch (msg.type) {
        case 'progress':
          return state.status === 'running' ? { ...state, progress: msg } : state;
        case 'hits':
          return state.status === 'running' ? { ...state, hits: state.hits.concat(msg.hits) } : state;
        case 'done': {
          let hits: Hit[];
          if (msg.hits) hits = msg.hits;
          else {
            hits = new Array<Hit>(msg.order?.length ?? 0);
            const order = msg.order ?? new Uint32Array(0);
            for (let i = 0; i < order.length; i++) hits[i] = state.hits[order[i]];
          }
          return {
            ...state,
            status: 'done',
            hits,
            stats: msg.stats,
            nearMisses: msg.nearMisses,
            plan: msg.plan,
            fingerprints: msg.fingerprints,
          };
        }
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
  run(files: File[], query: string, escapes: EscapeReading): void;
  cancel(): void;
  requestView(spec: ViewSpec): void;
}

export function useHuntRunner(): HuntRunner {
  const [state, dispatch] = useReducer(reduce, initial);
  const workerRef = useRef<Worker | null>(null);
  const nextId = useRef(1);
  const latestView = useRef(0);
  const runIdRef = useRef(0);

  useEffect(() => {
    const worker = new Worker(new URL('../worker/hunt.worker.ts', import.meta.url), { type: 'module' });
    workerRef.current = worker;
    worker.onmessage = (ev: MessageEvent<WorkerResponse>) => {
      dispatch({ type: 'response', msg: ev.data, latestView: latestView.current });
    };
    worker.onerror = (ev: ErrorEvent) => {
      dispatch({ type: 'fail', message: `The hunt worker crashed: ${ev.message || 'unknown error'}. Reload the page and try again.` });
    };
    return () => {
      worker.terminate();
      workerRef.current = null;
    };
  }, []);

  const send = useCallback((req: WorkerRequest) => {
    workerRef.current?.postMessage(req);
  }, []);

  const run = useCallback(
    (files: File[], query: string, escapes: EscapeReading) => {
      const runId = nextId.current++;
      runIdRef.current = runId;
      dispatch({ type: 'start', runId, files, query, escapes });
      send({ type: 'run', requestId: runId, files, query, escapes, strict: false });
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
      send({ type: 'view', requestId, runId: runIdRef.current, spec });
    },
    [send],
  );

  return { state, run, cancel, requestView };
}
