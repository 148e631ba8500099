import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Download, Page } from '@playwright/test';
import { expect, loadSample, shot, tempDir, test } from './fixtures';

/**
 * Triage as an analyst does it, in real Chromium: decisions survive a reload (IndexedDB), travel
 * in a bundle to another browser, two analysts' bundles open as the lead's review, and a broken
 * or full storage says so and offers the bundle. Each browser context starts with empty storage.
 */

const rows = (page: Page) => page.getByTestId('hit-row');
const row = (page: Page, eventId: string) => page.locator(`[data-testid="hit-row"][data-event-id="${eventId}"]`);

async function eventIds(page: Page): Promise<string[]> {
  await expect(rows(page).first()).toBeVisible();
  return rows(page).evaluateAll((rs) => rs.map((r) => r.getAttribute('data-event-id') ?? ''));
}

/** Opens the hit in the detail pane and picks a verdict; answers the name prompt if it comes. */
async function decide(page: Page, eventId: string, verdict: string, analyst?: string): Promise<void> {
  await row(page, eventId).dblclick();
  const select = page.getByTestId('detail-pane').getByTestId('verdict-select');
  await select.selectOption(verdict);
  if (analyst !== undefined) {
    const name = page.getByTestId('analyst-name');
    await expect(name).toBeVisible();
    await name.fill(analyst);
    await name.press('Enter');
    await expect(name).toHaveCount(0);
  }
  await expect(row(page, eventId)).toHaveAttribute('data-verdict', verdict);
}

async function exportBundle(page: Page, dir: string, name: string): Promise<string> {
  await page.locator('.export-menu summary', { hasText: 'Export' }).click();
  const download = page.waitForEvent('download');
  await page.getByTestId('export-bundle').click();
  return save(await download, dir, name);
}

async function save(download: Download, dir: string, name: string): Promise<string> {
  const path = join(dir, name);
  await download.saveAs(path);
  return path;
}

/** A second analyst's browser: its own storage, and the same strictness as the fixture's page. */
async function freshPage(browser: Browser, problems: string[]): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror (2nd context): ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error (2nd context): ${m.text()}`);
  });
  return page;
}

test('decisions, bulk verdicts and checklist ticks survive a reload', async ({ page }) => {
  await loadSample(page);
  const ids = await eventIds(page);
  const total = ids.length;
  await expect(page.getByTestId('reviewed-progress')).toHaveText(`0 of ${total}`);

  // The first decision asks for the analyst's name, once.
  await decide(page, ids[0], 'malicious', 'alice');
  await page.getByTestId('reason-input').fill('Known-bad infrastructure');
  await page.getByTestId('reason-input').press('Enter');
  // The next hit by keyboard: click its row, then "b" for benign (no prompt this time).
  await row(page, ids[1]).click();
  await page.locator('body').press('b');
  await expect(row(page, ids[1])).toHaveAttribute('data-verdict', 'benign');
  await expect(page.getByTestId('analyst-name')).toHaveCount(0);

  // Bulk: shift-click selects a range, one verdict for all of it.
  await page.keyboard.press('Escape');
  await row(page, ids[2]).click();
  await row(page, ids[3]).click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('bulk-bar')).toContainText('2 selected');
  await page.getByTestId('bulk-verdict').selectOption('suspicious');
  await expect(row(page, ids[2])).toHaveAttribute('data-verdict', 'suspicious');
  await expect(row(page, ids[3])).toHaveAttribute('data-verdict', 'suspicious');
  await expect(page.getByTestId('reviewed-progress')).toHaveText(`4 of ${total}`);

  // The Verdict column filters and sorts like any other (worst first on the first click).
  await page.getByTestId('filter-__verdict').selectOption('suspicious');
  await expect(rows(page)).toHaveCount(2);
  await page.getByTestId('filter-__verdict').selectOption('');
  await expect(rows(page)).toHaveCount(total);
  await page.getByTestId('sort-__verdict').click();
  await expect(rows(page).first()).toHaveAttribute('data-verdict', 'malicious');
  await page.getByRole('button', { name: "Back to the query's order" }).click();

  // The malicious hit's host checklist: tick one action and contain the host.
  const host = page.locator('[data-testid="host-checklist"][open]').first();
  await expect(host).toBeVisible();
  const hostName = (await host.getAttribute('data-host')) ?? '';
  await host.getByTestId('checklist-item').first().locator('input').check();
  await expect(host.getByTestId('checklist-item').first()).toHaveAttribute('data-done', 'true');
  await expect(host.getByTestId('checklist-meta').first()).toContainText('alice');
  await host.getByTestId('host-status').selectOption('contained');
  await expect(host.getByTestId('checklist-progress')).toHaveText(/^1\/\d+$/);
  await shot(page, 'triage-decided');

  // Enter on a collapsed host's summary opens that host's checklist, not the hit detail pane.
  const collapsedHost = (await page.locator('[data-testid="host-checklist"]:not([open])').first().getAttribute('data-host')) ?? '';
  const collapsed = page.locator(`[data-testid="host-checklist"][data-host="${collapsedHost}"]`);
  await expect(collapsed).not.toHaveAttribute('open', '');
  await collapsed.locator('summary').focus();
  await page.keyboard.press('Enter');
  await expect(collapsed).toHaveAttribute('open', '');
  await expect(collapsed.getByTestId('host-status')).toBeVisible();
  await expect(page.getByTestId('detail-pane')).toHaveCount(0);

  // Saving is debounced; a reload inside the delay is covered by the pagehide flush.
  await page.reload();
  await loadSample(page);
  await expect(row(page, ids[0])).toHaveAttribute('data-verdict', 'malicious');
  await expect(row(page, ids[1])).toHaveAttribute('data-verdict', 'benign');
  await expect(row(page, ids[3])).toHaveAttribute('data-verdict', 'suspicious');
  await expect(rows(page).nth(4)).toHaveAttribute('data-verdict', 'untriaged');
  await expect(page.getByTestId('reviewed-progress')).toHaveText(`4 of ${total}`);
  const restored = page.locator(`[data-testid="host-checklist"][data-host="${hostName}"]`);
  await expect(restored.getByTestId('checklist-item').first()).toHaveAttribute('data-done', 'true');
  await expect(restored.getByTestId('host-status')).toHaveValue('contained');
  await row(page, ids[0]).dblclick();
  await expect(page.getByTestId('reason-input')).toHaveValue('Known-bad infrastructure');

  // The session list knows this session; deleting it forgets the decisions on the next load.
  await page.getByTestId('sessions-menu').click();
  const item = page.getByTestId('session-list').getByTestId('session-item');
  await expect(item).toHaveCount(1);
  await expect(item).toHaveAttribute('data-current', 'true');
  await expect(item).toContainText('1 malicious, 2 suspicious, 1 benign');
  await shot(page, 'triage-sessions');
  await item.getByTestId('session-delete').click();
  await item.getByTestId('session-delete-confirm').click();
  await expect(page.getByTestId('session-list')).toContainText('None yet.');
});

test('a bundle restores the decisions in a fresh browser; the other exports download', async ({ page, browser, problems }) => {
  const dir = tempDir();
  await loadSample(page);
  const ids = await eventIds(page);
  await decide(page, ids[0], 'malicious', 'alice');
  await decide(page, ids[4], 'false_positive');
  const bundlePath = await exportBundle(page, dir, 'alice.json');
  const bundle = JSON.parse(readFileSync(bundlePath, 'utf8')) as { schema: string; decisions: Record<string, { verdict: string }> };
  expect(bundle.schema).toBe('hunt-triage.bundle');
  expect(Object.values(bundle.decisions).map((d) => d.verdict).sort()).toEqual(['false_positive', 'malicious']);

  // CSV, Markdown and HTML come from the same menu.
  for (const [id, ext] of [['export-csv', '.csv'], ['export-markdown', '.md'], ['export-html', '.html']] as const) {
    await page.locator('.export-menu summary', { hasText: 'Export' }).click();
    const download = page.waitForEvent('download');
    await page.getByTestId(id).click();
    expect((await download).suggestedFilename().endsWith(ext)).toBe(true);
  }

  const other = await freshPage(browser, problems);
  await loadSample(other);
  await expect(other.getByTestId('reviewed-progress')).toHaveText(`0 of ${ids.length}`);
  await other.getByTestId('bundle-input').setInputFiles(bundlePath);
  await expect(other.getByTestId('triage-notice')).toContainText('Restored 2 decisions by alice');
  await expect(row(other, ids[0])).toHaveAttribute('data-verdict', 'malicious');
  await expect(row(other, ids[4])).toHaveAttribute('data-verdict', 'false_positive');
  await expect(other.getByTestId('reviewed-progress')).toHaveText(`2 of ${ids.length}`);
  await expect(other.getByTestId('review-view')).toHaveCount(0);
  await other.context().close();
});

test("two analysts' bundles with one conflicting verdict open as a review with one conflict", async ({ page, browser, problems }) => {
  const dir = tempDir();
  await loadSample(page);
  const ids = await eventIds(page);
  await decide(page, ids[0], 'malicious', 'alice');
  await decide(page, ids[1], 'benign');
  const a = await exportBundle(page, dir, 'alice.json');

  const bob = await freshPage(browser, problems);
  await loadSample(bob);
  await decide(bob, ids[0], 'benign', 'bob');
  await decide(bob, ids[1], 'benign');
  const b = await exportBundle(bob, dir, 'bob.json');
  await bob.context().close();

  // The lead opens both, without loading any data.
  await page.goto('/');
  await page.getByTestId('bundle-input').setInputFiles([a, b]);
  const review = page.getByTestId('review-view');
  await expect(review).toBeVisible();
  await expect(review.getByTestId('conflict')).toHaveCount(1);
  await expect(review.getByTestId('conflict')).toContainText('alice');
  await expect(review.getByTestId('conflict')).toContainText('bob');
  await expect(review.getByTestId('conflict-count')).toHaveText('1');
  await shot(page, 'triage-review');
  await review.getByRole('button', { name: 'Close review' }).click();
  await expect(page.getByTestId('review-view')).toHaveCount(0);
});

async function exportFromWarning(page: Page): Promise<{ decisions: Record<string, { verdict: string }> }> {
  const download = page.waitForEvent('download');
  await page.getByTestId('storage-warning').getByRole('button', { name: 'Export bundle now' }).click();
  const path = await save(await download, tempDir(), 'rescue.json');
  return JSON.parse(readFileSync(path, 'utf8')) as { decisions: Record<string, { verdict: string }> };
}

test('without IndexedDB the storage warning shows and its Export rescues the decisions', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'indexedDB', { configurable: true, get: () => undefined });
  });
  await loadSample(page);
  const warning = page.getByTestId('storage-warning');
  await expect(warning).toBeVisible();
  await expect(warning).toHaveAttribute('data-kind', 'unavailable');
  const ids = await eventIds(page);
  // Deciding still works, in this tab.
  await decide(page, ids[0], 'suspicious', 'carol');
  await shot(page, 'triage-storage-unavailable');
  const bundle = await exportFromWarning(page);
  expect(Object.values(bundle.decisions).map((d) => d.verdict)).toEqual(['suspicious']);
});

test('a full storage (QuotaExceededError) shows the warning and its Export downloads the bundle', async ({ page }) => {
  await page.addInitScript(() => {
    IDBObjectStore.prototype.put = function put(): IDBRequest {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await loadSample(page);
  const ids = await eventIds(page);
  await expect(page.getByTestId('storage-warning')).toHaveCount(0);
  await decide(page, ids[0], 'malicious', 'dave');
  const warning = page.getByTestId('storage-warning');
  await expect(warning).toBeVisible();
  await expect(warning).toHaveAttribute('data-kind', 'quota');
  const bundle = await exportFromWarning(page);
  expect(Object.values(bundle.decisions).map((d) => d.verdict)).toEqual(['malicious']);
});
