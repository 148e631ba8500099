import { test, expect } from '@playwright/test';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBenchData } from '../scripts/gen-bench-data';

/**
 * Drop-to-done (and drop-to-coverage, the background pass) on the 1M-row CSV against draining the same File with file.stream() in the same
 * page, the longest main-thread tasks (PerformanceObserver 'longtask'), and the
 * peak JS heaps of the page and of the hunt worker (CDP Runtime.getHeapUsage; the worker's through
 * Target.sendMessageToTarget on an auto-attached session, since Playwright's CDP sessions open only
 * pages), and the peak resident memory of Chromium's renderer processes (which hold the page and its
 * workers; Linux /proc), all sampled every 100 ms. The worker's heap is sampled until `done` (the
 * fast pass) and on until the coverage pass is done; garbage counts, as in any heap figure.
 *
 * Long tasks are split by when they start: `longestTaskMs` from the drop to `done` (the run),
 * `longestTaskCoverageMs` from `done` until the coverage pass has arrived and the triage session
 * it keys has opened (charts mounting, the coverage result, host checklist and verdicts), and
 * `longestTaskWithCoverageMs` over both. `done` and coverage-done are timed in the page (a
 * MutationObserver on the status badges), not by Playwright's polling. Run 0 is the page's first
 * run (`cold`: nothing of the UI has rendered or been compiled yet); later runs reuse the page.
 * `longTasks` lists every task of 50 ms or more as [start ms after the drop, duration ms, phase].
 *
 * Prints one JSON line per measurement; `BENCH_ROWS` picks the size (default 1,000,000), `BENCH_RUNS` the repeats.
 * `BENCH_PROFILE=1` also records a CPU profile (CDP Profiler) of each run, saved as
 * .bench/run-<rows>-<run>.cpuprofile (open it in DevTools' Performance panel), and prints the
 * functions with the most self time inside each long task; profiled timings are inflated, so the
 * figures of a profiled run are marked `profiled` and are not comparable.
 */
/** Resident bytes of every Chromium renderer process (page and workers live there); 0 off Linux. */
function rendererRssBytes(): number {
  let total = 0;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (!cmdline.includes('--type=renderer')) continue;
        const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (rss) total += Number(rss[1]) * 1024;
      } catch {
        // The process ended between listing and reading.
      }
    }
  } catch {
    return 0;
  }
  return total;
}

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const rows = Number(process.env['BENCH_ROWS'] ?? 1_000_000);
const runs = Number(process.env['BENCH_RUNS'] ?? 3);
const profiling = process.env['BENCH_PROFILE'] === '1';

interface LongTask {
  start: number;
  duration: number;
}
interface BenchWindow {
  __longtasks: LongTask[];
  /** performance.now() of each status badge change, e.g. `run-status:done`. */
  __marks: Record<string, number>;
  __profileMarker(): number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * Self time per function inside [fromMs, toMs] of page time. The profile's clock is not the page's:
 * `offsetUs` maps one onto the other (found from a marker function run at a known page time).
 */
function selfTimes(profile: CpuProfile, offsetUs: number, fromMs: number, toMs: number): [string, number][] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let t = profile.startTime;
  const times = profile.timeDeltas.map((d) => (t += d));
  const from = fromMs * 1000 + offsetUs;
  const to = toMs * 1000 + offsetUs;
  for (let i = 0; i < profile.samples.length; i++) {
    if (times[i] < from || times[i] > to) continue;
    const dt = (times[i + 1] ?? times[i]) - times[i];
    const cf = byId.get(profile.samples[i])?.callFrame;
    if (!cf) continue;
    const key = `${cf.functionName || '(anonymous)'}${cf.url ? ` ${cf.url.split('/').pop()}:${cf.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + dt / 1000);
  }
  return [...self].sort((a, b) => b[1] - a[1]);
}

/** Page time (ms) minus profile time (µs): the first sample inside the marker function. */
function profileOffsetUs(profile: CpuProfile, markerAtMs: number): number | null {
  const ids = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '__profileMarker').map((n) => n.id));
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    if (ids.has(profile.samples[i])) return t - markerAtMs * 1000;
  }
  return null;
}

test('drop to done against the raw file.stream() drain', async ({ page }) => {
  const outDir = join(root, '.bench');
  const data = await ensureBenchData({ rows, outDir });
  const csv = join(outDir, data.expected.files.csv.name);
  const mb = statSync(csv).size / 1e6;

  await page.addInitScript(() => {
    const w = window as unknown as BenchWindow;
    w.__longtasks = [];
    w.__marks = {};
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longtasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
    // The moment a status badge changes, in page time (a MutationObserver callback runs right
    // after the commit that changed it, before the next task).
    const watch = () => {
      const last: Record<string, string> = {};
      new MutationObserver(() => {
        for (const id of ['run-status', 'coverage-status']) {
          const state = document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-state') ?? 'none';
          if (last[id] === state) continue;
          last[id] = state;
          w.__marks[`${id}:${state}`] = performance.now();
        }
      }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch);
    else watch();
    // Busy for 20 ms at a known page time, so a CPU profile's clock can be matched to the page's.
    w.__profileMarker = function __profileMarker() {
      const t = performance.now();
      while (performance.now() - t < 20) {
        // spin
      }
      return t;
    };
  });
  await page.goto('/');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'idle');

  const cdp = await page.context().newCDPSession(page);
  // The hunt worker's own session (non-flattened: messages go through the page's session).
  let workerSession: string | null = null;
  let nextMessageId = 1;
  const replies = new Map<number, (result: { usedSize?: number } | undefined) => void>();
  cdp.on('Target.attachedToTarget', (event) => {
    if (event.targetInfo.type === 'worker') workerSession = event.sessionId;
  });
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    const message = JSON.parse(event.message) as { id?: number; result?: { usedSize?: number } };
    if (message.id === undefined) return;
    replies.get(message.id)?.(message.result);
    replies.delete(message.id);
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const workerHeapBytes = async (): Promise<number> => {
    const sessionId = workerSession;
    if (sessionId === null) return 0;
    const id = nextMessageId++;
    const reply = new Promise<{ usedSize?: number } | undefined>((resolve) => replies.set(id, resolve));
    await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) });
    const result = await Promise.race([reply, new Promise<undefined>((resolve) => setTimeout(resolve, 2000))]);
    return result?.usedSize ?? 0;
  };
  if (profiling) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  }
  const results: Record<string, unknown>[] = [];
  for (let run = 0; run < runs; run++) {
    // Raw floor: the same file, drained in the same page.
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.type = 'file';
      input.id = 'bench-drain';
      input.style.display = 'none';
      document.body.append(input);
    });
    await page.setInputFiles('#bench-drain', csv);
    const drainMs = await page.evaluate(async () => {
      const input = document.getElementById('bench-drain') as HTMLInputElement;
      const file = input.files?.[0];
      if (!file) throw new Error('no file');
      const start = performance.now();
      const reader = file.stream().getReader();
      for (;;) {
        const { done } = await reader.read();
        if (done) break;
      }
      input.remove();
      return performance.now() - start;
    });

    if (profiling) await cdp.send('Profiler.start');
    const markerAt = profiling ? await page.evaluate(() => (window as unknown as BenchWindow).__profileMarker()) : 0;
    const dropAt = await page.evaluate(() => {
      const w = window as unknown as BenchWindow;
      w.__longtasks = [];
      w.__marks = {};
      return performance.now();
    });
    let peakHeap = 0;
    let peakRss = 0;
    let peakWorkerHeap = 0;
    let sampling = true;
    let samplingWorker = true;
    const sampler = (async () => {
      while (sampling) {
        const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
        peakHeap = Math.max(peakHeap, usage.usedSize);
        peakRss = Math.max(peakRss, rendererRssBytes());
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const workerSampler = (async () => {
      while (samplingWorker) {
        peakWorkerHeap = Math.max(peakWorkerHeap, await workerHeapBytes());
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    // Waits inside the measured window poll a mark in the page every 20 ms: Playwright's
    // assertions poll at growing intervals (up to 1 s late) and run their injected script's
    // visibility and accessibility checks on the page's main thread, which the longtask observer
    // then counts.
    const waitForMark = (name: string) =>
      page.waitForFunction((n) => (window as unknown as BenchWindow).__marks[n] !== undefined, name, { polling: 20, timeout: 10 * 60_000 });
    const started = Date.now();
    await page.getByTestId('file-input').setInputFiles(csv);
    await waitForMark('run-status:done');
    const dropToDoneMs = Date.now() - started;
    sampling = false;
    await sampler;
    const peakWorkerHeapFastPass = peakWorkerHeap;
    const hits = Number(await page.evaluate(() => document.querySelector('[data-testid="hit-count"]')?.textContent));
    expect(hits).toBe(data.expected.hitCountXql);
    // The background coverage pass (funnel, near misses, SHA-256): waited for so the next run's
    // drain does not share the CPU with it, and timed from the drop.
    await waitForMark('coverage-status:done');
    const dropToCoverageMs = Date.now() - started;
    samplingWorker = false;
    await workerSampler;
    // Its arrival opens the triage session (keyed by the fingerprints): wait for that, then a
    // quiet second, so the work the arrival causes is inside the window.
    await page.waitForFunction(() => document.querySelector('[data-testid="reviewed-progress"]') !== null, undefined, { polling: 50, timeout: 60_000 });
    await page.waitForTimeout(1000);
    const { tasks, marks } = await page.evaluate(() => {
      const w = window as unknown as BenchWindow;
      return { tasks: w.__longtasks, marks: w.__marks };
    });
    const doneAt = marks['run-status:done'] ?? Infinity;
    const phaseOf = (t: LongTask) => (t.start < doneAt ? 'run' : 'coverage');
    const longestOf = (list: LongTask[]) => Math.round(Math.max(0, ...list.map((t) => t.duration)));
    const longest = longestOf(tasks.filter((t) => phaseOf(t) === 'run'));
    const longestCoverage = longestOf(tasks.filter((t) => phaseOf(t) === 'coverage'));
    const longestWithCoverage = longestOf(tasks);
    if (profiling) {
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
      writeFileSync(join(outDir, `run-${rows}-${run}.cpuprofile`), JSON.stringify(profile));
      const offset = profileOffsetUs(profile, markerAt);
      for (const t of tasks) {
        if (offset === null || t.duration < 50) continue;
        const top = selfTimes(profile, offset, t.start, t.start + t.duration).slice(0, 12);
        console.log(
          `run ${run}: ${Math.round(t.duration)} ms task at +${Math.round(t.start - dropAt)} ms (${phaseOf(t)}); self ms: ` +
            top.map(([k, v]) => `${k} ${v.toFixed(1)}`).join(' · '),
        );
      }
    }
    const result = {
      run,
      cold: run === 0,
      ...(profiling ? { profiled: true } : {}),
      rows,
      mb: Number(mb.toFixed(1)),
      drainMs: Math.round(drainMs),
      dropToDoneMs,
      ratio: Number((dropToDoneMs / drainMs).toFixed(2)),
      mbPerSec: Number((mb / (dropToDoneMs / 1000)).toFixed(1)),
      longestTaskMs: longest,
      dropToCoverageMs,
      longestTaskCoverageMs: longestCoverage,
      longestTaskWithCoverageMs: longestWithCoverage,
      doneAtMs: Math.round(doneAt - dropAt),
      coverageAtMs: Math.round((marks['coverage-status:done'] ?? NaN) - dropAt),
      longTasks: tasks.filter((t) => t.duration >= 50).map((t) => [Math.round(t.start - dropAt), Math.round(t.duration), phaseOf(t)]),
      peakHeapMB: Number((peakHeap / 1e6).toFixed(1)),
      peakWorkerHeapMB: Number((peakWorkerHeapFastPass / 1e6).toFixed(1)),
      peakWorkerHeapCoverageMB: Number((peakWorkerHeap / 1e6).toFixed(1)),
      peakRendererRssMB: Number((peakRss / 1e6).toFixed(1)),
    };
    results.push(result);
    console.log(JSON.stringify(result));
  }
  const median = (key: string, of = results): number => {
    const values = of.map((r) => Number(r[key] ?? 0)).sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)] ?? 0;
  };
  console.log(
    JSON.stringify({
      median: true,
      rows,
      drainMs: median('drainMs'),
      dropToDoneMs: median('dropToDoneMs'),
      ratio: median('ratio'),
      longestTaskMs: median('longestTaskMs'),
      dropToCoverageMs: median('dropToCoverageMs'),
      longestTaskCoverageMs: median('longestTaskCoverageMs'),
      longestTaskWithCoverageMs: median('longestTaskWithCoverageMs'),
      // The first run of the page (cold) against the median of the others (warm).
      coldLongestTaskMs: Number(results[0]?.['longestTaskMs'] ?? 0),
      coldLongestTaskCoverageMs: Number(results[0]?.['longestTaskCoverageMs'] ?? 0),
      warmLongestTaskMs: median('longestTaskMs', results.slice(1)),
      warmLongestTaskCoverageMs: median('longestTaskCoverageMs', results.slice(1)),
      peakHeapMB: median('peakHeapMB'),
      peakWorkerHeapMB: median('peakWorkerHeapMB'),
      peakWorkerHeapCoverageMB: median('peakWorkerHeapCoverageMB'),
      peakRendererRssMB: median('peakRendererRssMB'),
    }),
  );
});
