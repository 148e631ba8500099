/// <reference lib="webworker" />
/**
 * The hunt worker: runs the engine over dropped files and answers view (sort/filter) requests over
 * the resulting hit list, so the UI thread never parses or scans data.
 */
import { runHunt } from '../engine/run';
import type { Hit, RunResult } from '../engine/types';
import type { Plan } from '../xql/plan';
import { fileInput, type HashedInput } from './fileInput';
import {
  toWorkerError,
  type DoneResponse,
  type PlanSummary,
  type RunRequest,
  type ViewRequest,
  type WorkerRequest,
  type WorkerResponse,
} from './protocol';
import { computeView } from './view';
import { aggregateHits } from '../engine/aggregate';

declare const self: DedicatedWorkerGlobalScope;

/** At most ~10 progress/hits messages per second: more only costs the UI thread clones. */
const FLUSH_MS = 100;

interface RunState {
  id: number;
  abort: AbortController;
  streamed: Hit[];
  /** The final hit list once done; views index into it. */
  final: Hit[] | null;
  searchFields: string[];
}

let current: RunState | null = null;

function post(msg: WorkerResponse, transfer: Transferable[] = []): void {
  self.postMessage(msg, { transfer });
}

function summarize(plan: Plan): PlanSummary {
  return {
    text: plan.text,
    escapes: plan.escapes,
    clauses: plan.clauses,
    literalNotes: plan.literalNotes,
    outputFields: plan.outputFields,
    sort: plan.sort,
    timeframe: plan.timeframe,
  };
}

function isAbort(e: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (e instanceof Error && e.name === 'AbortError');
}

async function run(req: RunRequest): Promise<void> {
  current?.abort.abort();
  const state: RunState = { id: req.requestId, abort: new AbortController(), streamed: [], final: null, searchFields: [] };
  current = state;
  const inputs: HashedInput[] = req.files.map((f) => fileInput(f));
  const started = performance.now();
  let pending: Hit[] = [];
  let lastProgress: WorkerResponse | null = null;
  const flush = (): void => {
    if (current !== state) return;
    if (pending.length > 0) {
      post({ type: 'hits', requestId: state.id, hits: pending });
      pending = [];
    }
    if (lastProgress) {
      post(lastProgress);
      lastProgress = null;
    }
  };
  const timer = setInterval(flush, FLUSH_MS);
  try {
    const result: RunResult = await runHunt(req.query, inputs, {
      escapes: req.escapes,
      strict: req.strict,
      signal: state.abort.signal,
      onHits(hits) {
        for (const h of hits) {
          state.streamed.push(h);
          pending.push(h);
        }
      },
      onProgress(p) {
        const secs = (performance.now() - started) / 1000;
        lastProgress = {
          type: 'progress',
          requestId: state.id,
          ...p,
          mbPerSec: secs > 0 ? p.bytes / 1e6 / secs : 0,
        };
      },
    });
    clearInterval(timer);
    if (current !== state) return;
    flush();
    finish(state, result, inputs);
  } catch (e) {
    clearInterval(timer);
    if (current !== state) return;
    if (isAbort(e, state.abort.signal)) post({ type: 'cancelled', requestId: state.id });
    else post({ type: 'error', requestId: state.id, error: toWorkerError(e) });
    current = null;
  }
}

function sameFields(a: Hit, b: Hit): boolean {
  const ka = Object.keys(a.fields);
  const kb = Object.keys(b.fields);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return false;
    const va = a.fields[ka[i]];
    const vb = b.fields[kb[i]];
    // Non-primitive values (arrays, objects) are rare in projections; compare them as JSON.
    if (va !== vb && JSON.stringify(va) !== JSON.stringify(vb)) return false;
  }
  return true;
}

function finish(state: RunState, result: RunResult, inputs: HashedInput[]): void {
  // Send the final order as indices into what was streamed when possible: re-cloning every hit
  // would double the cost of the largest message of the run. The engine rebuilds hit objects after
  // the blocking stages, so match by key and fall back to a full list if any projection changed.
  const arrival = new Map<string, number>();
  state.streamed.forEach((h, i) => arrival.set(h.key, i));
  let order: Uint32Array | null = new Uint32Array(result.hits.length);
  for (let i = 0; i < result.hits.length; i++) {
    const hit = result.hits[i];
    const at = arrival.get(hit.key);
    if (at === undefined || !sameFields(state.streamed[at], hit)) {
      order = null;
      break;
    }
    order[i] = at;
  }
  state.final = result.hits;
  state.searchFields = result.plan.outputFields ?? [...new Set(result.hits.slice(0, 200).flatMap((h) => Object.keys(h.fields)))];
  state.streamed = [];
  const done: DoneResponse = {
    type: 'done',
    requestId: state.id,
    order,
    hits: order ? null : result.hits,
    stats: result.stats,
    nearMisses: result.nearMisses,
    plan: summarize(result.plan),
    fingerprints: inputs.map((inp) => ({ name: inp.name, size: inp.size, sha256: inp.digest() ?? '' })),
    aggregate: result.aggregate,
  };
  post(done, order ? [order.buffer] : []);
}

function view(req: ViewRequest): void {
  const state = current;
  if (!state || state.id !== req.runId || !state.final) return;
  const t0 = performance.now();
  const indices = computeView(state.final, req.spec, state.searchFields);
  const aggregates = aggregateHits(state.final, indices);
  post(
    { type: 'view', requestId: req.requestId, runId: req.runId, indices, aggregates, computeMs: performance.now() - t0 },
    [indices.buffer],
  );
}

self.onmessage = (ev: MessageEvent<WorkerRequest>) => {
  const req = ev.data;
  switch (req.type) {
    case 'run':
      void run(req);
      break;
    case 'cancel':
      if (current && current.id === req.runId) current.abort.abort();
      break;
    case 'view':
      try {
        view(req);
      } catch (e) {
        post({ type: 'error', requestId: req.requestId, error: toWorkerError(e) });
      }
      break;
  }
};
