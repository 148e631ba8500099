import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WorkerRequest, WorkerResponse } from '../../worker/protocol';
import { superviseWorker } from './supervisor';
import { supervisorOptionsFromUrl } from './tuning';

/** Just enough of a Worker: records what it was sent, answers pings while `alive`. */
class FakeWorker {
  sent: WorkerRequest[] = [];
  terminated = false;
  alive = true;
  onmessage: ((ev: MessageEvent<WorkerResponse>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  postMessage(req: WorkerRequest): void {
    this.sent.push(req);
    if (req.type === 'ping' && this.alive) queueMicrotask(() => this.emit({ type: 'pong', requestId: req.requestId }));
  }
  terminate(): void {
    this.terminated = true;
  }
  emit(msg: WorkerResponse): void {
    this.onmessage?.({ data: msg } as MessageEvent<WorkerResponse>);
  }
  crash(message: string): boolean {
    let prevented = false;
    this.onerror?.({ message, preventDefault: () => (prevented = true) } as unknown as ErrorEvent);
    return prevented;
  }
}

const run = (requestId: number): WorkerRequest => ({ type: 'run', requestId, files: [], query: 'dataset = xdr_data', escapes: 'xql', strict: false });

function setup(options = { pingMs: 100, stallMs: 1000 }) {
  const workers: FakeWorker[] = [];
  const messages: WorkerResponse[] = [];
  const faults: string[] = [];
  const sup = superviseWorker(
    () => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    },
    { onMessage: (m) => messages.push(m), onFault: (f) => faults.push(f) },
    options,
  );
  return { sup, workers, messages, faults };
}

describe('superviseWorker', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance', 'queueMicrotask'] });
  });
  afterEach(() => vi.useRealTimers());

  it('passes responses through but keeps pongs to itself', async () => {
    const { sup, workers, messages } = setup();
    sup.post(run(1));
    sup.watch(true);
    await vi.advanceTimersByTimeAsync(350);
    workers[0].emit({ type: 'cancelled', requestId: 1 });
    expect(messages).toEqual([{ type: 'cancelled', requestId: 1 }]);
    expect(workers[0].sent.filter((r) => r.type === 'ping').length).toBeGreaterThanOrEqual(3);
  });

  it('a crash is reported once, handled, and the next run starts a fresh worker', () => {
    const { sup, workers, faults } = setup();
    sup.post(run(1));
    expect(workers[0].crash('boom')).toBe(true);
    expect(faults).toEqual(['The hunt worker crashed (boom).']);
    expect(workers[0].terminated).toBe(true);
    // Nobody can answer a view of the dead run: dropped, no new worker.
    sup.post({ type: 'cancel', requestId: 2, runId: 1 });
    expect(workers).toHaveLength(1);
    sup.post(run(3));
    expect(workers).toHaveLength(2);
    expect(workers[1].sent).toEqual([run(3)]);
    // A late event from the dead worker changes nothing.
    workers[0].crash('again');
    expect(faults).toHaveLength(1);
  });

  it('a silent worker is declared dead after the stall limit, a talking one never', async () => {
    const { sup, workers, faults } = setup();
    sup.post(run(1));
    sup.watch(true);
    await vi.advanceTimersByTimeAsync(5000);
    expect(faults).toEqual([]);
    workers[0].alive = false;
    await vi.advanceTimersByTimeAsync(1300);
    expect(faults).toEqual(['The hunt worker stopped responding for 1 s; it may have run out of memory.']);
    expect(workers[0].terminated).toBe(true);
  });

  it('only watches while asked to', async () => {
    const { sup, workers, faults } = setup();
    workers[0].alive = false;
    await vi.advanceTimersByTimeAsync(5000);
    sup.watch(true);
    sup.watch(false);
    await vi.advanceTimersByTimeAsync(5000);
    expect(faults).toEqual([]);
  });

  it('a message that cannot be read fails the run', () => {
    const { workers, faults } = setup();
    workers[0].onmessageerror?.();
    expect(faults[0]).toMatch(/could not be read/);
    expect(workers[0].terminated).toBe(true);
  });
});

describe('supervisorOptionsFromUrl', () => {
  it('reads stall-ms, clamped, and nothing else', () => {
    expect(supervisorOptionsFromUrl('')).toEqual({});
    expect(supervisorOptionsFromUrl('?stall-ms=abc')).toEqual({});
    expect(supervisorOptionsFromUrl('?stall-ms=5000')).toEqual({ stallMs: 5000, pingMs: 1000 });
    expect(supervisorOptionsFromUrl('?stall-ms=1')).toEqual({ stallMs: 500, pingMs: 100 });
  });
});
