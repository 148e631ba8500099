/**
 * Faults mid-run: the worker crashing (an uncaught exception) or dying silently (what Chromium
 * does to a worker at its heap limit) keeps the hits found so far, says so, and offers a Retry that
 * re-runs the same files on a fresh worker; a tab reloaded mid-run keeps its decisions.
 *
 * The faults are injected from the test through Playwright's handle on the worker: the app ships
 * no crash switch at all, so no file and no URL can make it crash.
 */
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Page, Worker } from '@playwright/test';
import { HEADER, expect, loadSample, shot, tempDir, test, waitCoverage, waitDone } from './fixtures';

const ROWS = 270_000;
const EVERY = 5000;
const BIG_HITS = ROWS / EVERY;
let bigFile = '';

test.beforeAll(async () => {
  // ~80 MB with a hit in every 5,000 rows. Every row mentions cloudflare, so the fast pass's
  // literal prefilter cannot skip any: the first pass takes long enough to fault in the middle of.
  bigFile = join(tempDir(), 'big.csv');
  await new Promise<void>((done, fail) => {
    const out = createWriteStream(bigFile);
    out.on('error', fail);
    out.on('finish', () => done());
    out.write(`${HEADER.join(',')}\n`);
    const pad = 'x'.repeat(120);
    let chunk: string[] = [];
    for (let i = 0; i < ROWS; i++) {
      const cmd = i % EVERY === 0 ? `cmd.exe /c net use \\\\big${i}.trycloudflare.com@SSL\\DavWWWRoot` : `C:\\Windows\\System32\\svchost.exe -k cloudflare-netsvcs -p ${pad}`;
      chunk.push(`2025-06-30T14:02:11Z,WS-${i % 97},CORP\\user${i % 13},cmd.exe,C:\\Windows\\System32\\cmd.exe,${cmd},ev-${i},ag-${i % 97},XDR agent,PROCESS,PROCESS_START,AGENT_OS_WINDOWS\n`);
      if (chunk.length === 5000) {
        out.write(chunk.join(''));
        chunk = [];
      }
    }
    out.end(chunk.join(''));
  });
});

/** The live hunt worker (StrictMode's first one is already gone). */
async function huntWorker(page: Page): Promise<Worker> {
  await expect.poll(() => page.workers().length).toBeGreaterThan(0);
  const workers = page.workers();
  return workers[workers.length - 1];
}

/** Starts the big run and waits until its first hits are on screen, mid-run. */
async function startBigRun(page: Page): Promise<void> {
  await page.getByTestId('file-input').setInputFiles(bigFile);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'running');
  await expect.poll(async () => Number(await page.getByTestId('hit-count').textContent()), { intervals: [20] }).toBeGreaterThan(0);
}

async function expectPartialThenRetry(page: Page, message: RegExp): Promise<void> {
  await waitDone(page, 'error');
  await expect(page.getByTestId('run-error')).toContainText(message);
  // The hits found before the fault are still listed.
  const kept = Number(await page.getByTestId('hit-count').textContent());
  expect(kept).toBeGreaterThan(0);
  expect(kept).toBeLessThan(BIG_HITS);
  await expect(page.getByTestId('hit-row').first()).toBeVisible();
  await expect(page.getByTestId('partial-hits')).toBeVisible();
  await shot(page, `fault-${message.source.slice(0, 12).replace(/\W+/g, '-')}`);
  // Retry runs the same file again, on a fresh worker, to the end.
  await page.getByTestId('retry-button').click();
  await waitDone(page);
  await expect(page.getByTestId('hit-count')).toHaveText(String(BIG_HITS));
  await expect(page.getByTestId('run-error')).toHaveCount(0);
}

test('a worker that crashes mid-run keeps the hits so far, shows the error and retries', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('hunt-title')).toBeVisible();
  const worker = await huntWorker(page);
  await startBigRun(page);
  // An uncaught exception in the worker, as a bug in a parser would throw it.
  await worker.evaluate(() => {
    setTimeout(() => {
      throw new Error('simulated worker crash');
    }, 0);
  });
  await expectPartialThenRetry(page, /crashed.*simulated worker crash/);
});

test('a worker that dies silently (as at its heap limit) is caught by the watchdog and retried', async ({ page }) => {
  // stall-ms shortens the watchdog's silence limit (30 s) for the test; it must stay well above
  // the worker's silence while it parses one chunk (~1 s here).
  await page.goto('/?stall-ms=5000');
  await expect(page.getByTestId('hunt-title')).toBeVisible();
  const worker = await huntWorker(page);
  await startBigRun(page);
  // Gone without an event: the page hears nothing more from it.
  void worker.evaluate(() => self.close()).catch(() => undefined);
  await expectPartialThenRetry(page, /stopped responding/);
});

test('a tab reloaded mid-run keeps its decisions and can run again', async ({ page }) => {
  await loadSample(page);
  const first = page.getByTestId('hit-row').first();
  const id = (await first.getAttribute('data-event-id')) ?? '';
  await first.dblclick();
  await page.getByTestId('detail-pane').getByTestId('verdict-select').selectOption('malicious');
  const name = page.getByTestId('analyst-name');
  await expect(name).toBeVisible();
  await name.fill('alice');
  await name.press('Enter');
  const decided = page.locator(`[data-testid="hit-row"][data-event-id="${id}"]`);
  await expect(decided).toHaveAttribute('data-verdict', 'malicious');

  await startBigRun(page);
  await page.reload();
  await expect(page.getByTestId('hunt-title')).toBeVisible();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'idle');
  // The sample button works after the reload, and the decision came back from IndexedDB.
  await page.getByTestId('sample-button').click();
  await waitDone(page);
  // The session (and so the restored verdict) opens once the coverage pass has the fingerprints.
  await waitCoverage(page);
  await expect(decided).toHaveAttribute('data-verdict', 'malicious');
  // And the file picker: the interrupted run can be started again and finishes.
  await page.getByTestId('file-input').setInputFiles(bigFile);
  await waitDone(page);
  await expect(page.getByTestId('hit-count')).toHaveText(String(BIG_HITS));
});
