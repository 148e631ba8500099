/**
 * Keeps the hunt worker honest: a worker can die without a word. An uncaught exception fires
 * `error` on the Worker object, a message that cannot be deserialised fires `messageerror`, but a
 * worker that Chromium stops near its heap limit (or that closes itself) simply goes quiet. So
 * while a run is in flight the supervisor pings it and treats a long silence as death.
 *
 * A dead worker is terminated at once (so a late answer cannot resurrect a failed run) and the
 * next run starts a fresh one; that is what makes Retry work without a reload.
 */
import type { WorkerRequest, WorkerResponse } from '../../worker/protocol';

export interface SupervisorHandlers {
  /** Every response but `pong`, which only proves life. */
  onMessage(msg: WorkerResponse): void;
  /** The worker died or broke the protocol; the message is for the analyst. */
  onFault(message: string): void;
}

export interface SupervisorOptions {
  /** How often a run in flight is probed. */
  pingMs?: number;
  /** Silence (no message of any kind) after which a worker in a run counts as dead. */
  stallMs?: number;
}

export interface WorkerSupervisor {
  /** Sends to the live worker; a run (or preview) after a death starts a new one first. */
  post(req: WorkerRequest): void;
  /** Turns the watchdog on while a run is in flight and off otherwise. */
  watch(on: boolean): void;
  dispose(): void;
}

const DEFAULT_PING_MS = 1000;
/**
 * The worker answers a ping only between chunks: it parses 16 MiB at a time without yielding
 * (~1 s here, a few seconds on a slow laptop) and the end-of-run sort of 100,000 hits blocks ~1.5 s.
 * Killing a healthy run is worse than waiting, so the limit is far above both.
 */
const DEFAULT_STALL_MS = 30_000;

export function superviseWorker(create: () => Worker, handlers: SupervisorHandlers, options: SupervisorOptions = {}): WorkerSupervisor {
  const pingMs = options.pingMs ?? DEFAULT_PING_MS;
  const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
  let worker: Worker | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let lastHeard = 0;
  let lastTick = 0;
  let pingId = 0;

  const stopWatch = () => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };

  const kill = (w: Worker, message: string) => {
    if (worker !== w) return;
    worker = null;
    stopWatch();
    w.terminate();
    handlers.onFault(message);
  };

  const spawn = (): Worker => {
    const w = create();
    w.onmessage = (ev: MessageEvent<WorkerResponse>) => {
      if (worker !== w) return;
      lastHeard = performance.now();
      if (ev.data.type !== 'pong') handlers.onMessage(ev.data);
    };
    w.onerror = (ev: ErrorEvent) => {
      // Handled here and shown in the page; without this the browser logs it as uncaught.
      ev.preventDefault();
      kill(w, `The hunt worker crashed (${ev.message || 'no details'}).`);
    };
    w.onmessageerror = () => {
      kill(w, 'A message from the hunt worker could not be read, so the results are incomplete.');
    };
    worker = w;
    return w;
  };

  const tick = () => {
    const w = worker;
    if (w === null) return;
    const now = performance.now();
    // Our own timer ran late: the page's thread was busy and queued messages may be unread, so
    // the silence says nothing about the worker. Start counting again.
    if (now - lastTick > pingMs * 3) lastHeard = now;
    lastTick = now;
    if (now - lastHeard > stallMs) {
      kill(w, `The hunt worker stopped responding for ${Math.round(stallMs / 1000)} s; it may have run out of memory.`);
      return;
    }
    w.postMessage({ type: 'ping', requestId: --pingId } satisfies WorkerRequest);
  };

  spawn();
  return {
    post(req) {
      // A new worker knows no run: only requests that carry their files may start one. The rest
      // (views, details of the failed run) have nobody to answer them and are dropped.
      if (worker === null && req.type !== 'run' && req.type !== 'preview') return;
      (worker ?? spawn()).postMessage(req);
    },
    watch(on) {
      if (!on) return stopWatch();
      if (timer !== null) return;
      lastHeard = lastTick = performance.now();
      timer = setInterval(tick, pingMs);
    },
    dispose() {
      stopWatch();
      worker?.terminate();
      worker = null;
    },
  };
}
