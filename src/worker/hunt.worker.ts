/// <reference lib="webworker" />
/**
 * The hunt worker: runs the engine over dropped files, keeps the run's hits, and answers what the
 * UI asks of them: views (sort/filter, also while the run streams), one hit's explanation and raw
 * record, command-line spans for the rows on screen, and a mapping preview before a run.
 */
import { runHunt } from '../engine/run';
import { headerSignature, previewInput } from '../engine/preview';
import type { Hit, RunResult } from '../engine/types';
import type { Plan } from '../xql/plan';
import { FileTable, encodeHits } from './columns';
import { fileInput, type HashedInput } from './fileInput';
import {
  toWorkerError,
  type DetailRequest,
  type DoneResponse,
  type HitBatch,
  type MappingChoice,
  type PlanSummary,
  type PreviewFile,
  type PreviewRequest,
  type RunRequest,
  type SpansRequest,
  type ViewRequest,
  type WorkerRequest,
  type WorkerResponse,
} from './protocol';
import { commandLineSpans, computeView } from './view';
import { aggregateHits } from '../engine/aggregate';

declare const self: DedicatedWorkerGlobalScope;

/** At most ~10 progress/hits messages per second: more only costs the UI thread clones. */
const FLUSH_MS = 100;
const HITS_PER_MESSAGE = 4000;

interface RunState {
  id: number;
  abort: AbortController;
  files: FileTable;
  /** Every hit in arrival order: index i is index i of the UI's HitStore. */
  store: Hit[];
  /** The final order as store indices, once done. */
  order: Uint32Array | null;
  /** store in the final order (what done views are computed over). */
  ordered: Hit[] | null;
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

function fieldsOf(hits: readonly Hit[]): string[] {
  return [...new Set(hits.slice(0, 200).flatMap((h) => Object.keys(h.fields)))];
}

/** The explicit choice, else the one remembered for the first file's header signature. */
async function resolveMapping(files: File[], query: string, req: Pick<RunRequest, 'escapes' | 'mapping' | 'remembered'>): Promise<MappingChoice | undefined> {
  if (req.mapping) return req.mapping;
  const remembered = req.remembered ?? {};
  if (files.length === 0 || Object.keys(remembered).length === 0) return undefined;
  try {
    const p = await previewInput(query, fileInput(files[0]), { escapes: req.escapes });
    return remembered[headerSignature(p.columns)];
  } catch {
    // The run reports what is wrong with the file; a failed peek only means no remembered mapping.
    return undefined;
  }
}

async function run(req: RunRequest): Promise<void> {
  current?.abort.abort();
  const state: RunState = {
    id: req.requestId,
    abort: new AbortController(),
    files: new FileTable(),
    store: [],
    order: null,
    ordered: null,
    searchFields: [],
  };
  current = state;
  const started = performance.now();
  let pending: Hit[] = [];
  let lastProgress: WorkerResponse | null = null;
  const flush = (): void => {
    if (current !== state) return;
    // A few thousand hits a message: the UI thread decodes and appends each message in a task of
    // its own, and one message of tens of thousands of hits took 80-90 ms there.
    for (let at = 0; at < pending.length; at += HITS_PER_MESSAGE) {
      const { batch, transfer } = encodeHits(pending.slice(at, at + HITS_PER_MESSAGE), state.files, null);
      post({ type: 'hits', requestId: state.id, batch }, transfer);
    }
    pending = [];
    if (lastProgress) {
      post(lastProgress);
      lastProgress = null;
    }
  };
  const timer = setInterval(flush, FLUSH_MS);
  let mapping: MappingChoice | undefined;
  try {
    mapping = await resolveMapping(req.files, req.query, req);
    if (current !== state) return;
    // Pass 1, the fast path: the literal prefilter parses only candidate records and nothing is
    // hashed, so the hits (which is what the analyst waits for) are final as early as possible.
    const result: RunResult = await runHunt(
      req.query,
      req.files.map((f) => fileInput(f)),
      {
        escapes: req.escapes,
        strict: req.strict,
        coverage: false,
        signal: state.abort.signal,
        profileId: mapping?.profileId,
        profileOverrides: mapping?.profileOverrides,
        onHits(hits) {
          for (const h of hits) {
            state.store.push(h);
            pending.push(h);
          }
          if (state.searchFields.length === 0) state.searchFields = fieldsOf(state.store);
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
      },
    );
    clearInterval(timer);
    if (current !== state) return;
    flush();
    finish(state, result);
  } catch (e) {
    clearInterval(timer);
    if (current !== state) return;
    if (isAbort(e, state.abort.signal)) post({ type: 'cancelled', requestId: state.id });
    else post({ type: 'error', requestId: state.id, error: toWorkerError(e) });
    // The streamed hits stay: the analyst may still sort and open what was found before the stop.
    return;
  }
  await coveragePass(state, req, mapping);
}

/**
 * Pass 2, in the background after `done`: every row evaluated (funnel, near misses) and every file
 * hashed. Its hits equal pass 1's, so they are dropped; only what pass 1 could not know is sent.
 * A cancel or a newer run aborts it through the run's AbortController.
 */
async function coveragePass(state: RunState, req: RunRequest, mapping: MappingChoice | undefined): Promise<void> {
  const inputs: HashedInput[] = req.files.map((f) => fileInput(f, { hash: true }));
  let lastPost = 0;
  try {
    const result = await runHunt(req.query, inputs, {
      escapes: req.escapes,
      strict: req.strict,
      coverage: true,
      signal: state.abort.signal,
      profileId: mapping?.profileId,
      profileOverrides: mapping?.profileOverrides,
      onProgress(p) {
        const now = performance.now();
        if (current !== state || now - lastPost < FLUSH_MS) return;
        lastPost = now;
        post({ type: 'coverage-progress', requestId: state.id, bytes: p.bytes, totalBytes: p.totalBytes });
      },
    });
    if (current !== state) return;
    post({
      type: 'coverage',
      requestId: state.id,
      funnel: result.stats.funnel,
      nearMisses: result.nearMisses,
      otherReadingHits: result.stats.otherReadingHits,
      fingerprints: inputs.map((inp) => ({ name: inp.name, size: inp.size, sha256: inp.digest() ?? '' })),
    });
  } catch (e) {
    if (current !== state) return;
    const cancelled = isAbort(e, state.abort.signal);
    post({ type: 'coverage-stopped', requestId: state.id, cancelled, error: cancelled ? null : toWorkerError(e) });
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

function finish(state: RunState, result: RunResult): void {
  // Send the final order as indices into what was streamed when possible: re-sending every hit
  // would double the cost of the run's largest message. The engine rebuilds hit objects after
  // the blocking stages, so match by key and fall back to the full list if any projection changed.
  const arrival = new Map<string, number>();
  state.store.forEach((h, i) => arrival.set(h.key, i));
  let order: Uint32Array | null = new Uint32Array(result.hits.length);
  for (let i = 0; i < result.hits.length; i++) {
    const hit = result.hits[i];
    const at = arrival.get(hit.key);
    if (at === undefined || !sameFields(state.store[at], hit)) {
      order = null;
      break;
    }
    order[i] = at;
  }
  let replace: HitBatch | null = null;
  const transfer: ArrayBuffer[] = [];
  if (order) {
    state.ordered = Array.from(order, (i) => state.store[i]);
  } else {
    state.store = result.hits;
    state.ordered = result.hits;
    order = Uint32Array.from({ length: result.hits.length }, (_, i) => i);
    const encoded = encodeHits(result.hits, state.files, null);
    replace = encoded.batch;
    transfer.push(...encoded.transfer);
  }
  state.order = order;
  state.searchFields = result.plan.outputFields ?? fieldsOf(result.hits);
  // The UI keeps its own copy of the order, so send a copy and keep ours.
  const sent = order.slice();
  transfer.push(sent.buffer);
  const done: DoneResponse = {
    type: 'done',
    requestId: state.id,
    order: sent,
    replace,
    stats: result.stats,
    plan: summarize(result.plan),
    aggregate: result.aggregate,
  };
  post(done, transfer);
}

function runFor(runId: number): RunState | null {
  const state = current;
  return state && state.id === runId ? state : null;
}

function view(req: ViewRequest): void {
  const state = runFor(req.runId);
  if (!state) return;
  const t0 = performance.now();
  const final = state.ordered !== null && state.order !== null;
  // While streaming the base order is arrival order, and store index = list index.
  const list = state.ordered ?? state.store;
  const local = computeView(list, req.spec, state.searchFields);
  const aggregates = aggregateHits(list, local);
  const order = state.order;
  let indices = local;
  if (final && order) {
    indices = new Uint32Array(local.length);
    for (let i = 0; i < local.length; i++) indices[i] = order[local[i]];
  }
  post(
    {
      type: 'view',
      requestId: req.requestId,
      runId: req.runId,
      indices,
      aggregates,
      computeMs: performance.now() - t0,
      covered: list.length,
      final,
    },
    [indices.buffer],
  );
}

function detail(req: DetailRequest): void {
  const state = runFor(req.runId);
  const hit = state?.store[req.index];
  if (!state || !hit) {
    post({ type: 'error', requestId: req.requestId, error: { message: 'That hit is no longer in memory; run the hunt again.' } });
    return;
  }
  post({
    type: 'detail',
    requestId: req.requestId,
    runId: req.runId,
    detail: { index: req.index, key: hit.key, explanation: hit.explanation, raw: hit.raw, row: hit.row },
  });
}

function spans(req: SpansRequest): void {
  const state = runFor(req.runId);
  if (!state) return;
  const out = [];
  const transfer: ArrayBuffer[] = [];
  for (const index of req.indices) {
    const hit = state.store[index];
    if (!hit) continue;
    const s = commandLineSpans(hit.explanation);
    out.push({ index, spans: s });
    transfer.push(s.buffer);
  }
  post({ type: 'spans', requestId: req.requestId, runId: req.runId, spans: out }, transfer);
}

async function preview(req: PreviewRequest): Promise<void> {
  const files: PreviewFile[] = [];
  const errors: { name: string; message: string }[] = [];
  for (const f of req.files) {
    try {
      let p = await previewInput(req.query, fileInput(f), { escapes: req.escapes, ...req.mapping });
      const signature = headerSignature(p.columns);
      let source: PreviewFile['source'] = req.mapping ? 'chosen' : 'detected';
      let choice: MappingChoice = req.mapping ?? {};
      const remembered = req.mapping ? undefined : req.remembered?.[signature];
      if (remembered) {
        p = await previewInput(req.query, fileInput(f), { escapes: req.escapes, ...remembered });
        source = 'remembered';
        choice = remembered;
      }
      files.push({ ...p, name: f.name, signature, source, choice });
    } catch (e) {
      errors.push({ name: f.name, message: toWorkerError(e).message });
    }
  }
  post({ type: 'preview', requestId: req.requestId, files, errors });
}

self.onmessage = (ev: MessageEvent<WorkerRequest>) => {
  const req = ev.data;
  try {
    switch (req.type) {
      case 'run':
        void run(req);
        break;
      case 'cancel':
        if (current && current.id === req.runId) current.abort.abort();
        break;
      case 'ping':
        // Liveness probe from the UI's supervisor (src/ui/faults/supervisor.ts).
        post({ type: 'pong', requestId: req.requestId });
        break;
      case 'view':
        view(req);
        break;
      case 'detail':
        detail(req);
        break;
      case 'spans':
        spans(req);
        break;
      case 'preview':
        void preview(req);
        break;
    }
  } catch (e) {
    post({ type: 'error', requestId: req.requestId, error: toWorkerError(e) });
  }
};
