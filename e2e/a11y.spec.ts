/**
 * Accessibility: axe finds no serious or critical violation in the main views, in the light and
 * the dark theme, and the main controls are reachable with the Tab key in a sensible order.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, loadSample, shot, test } from './fixtures';

/** The full rule set, or (for the second theme, where only colours differ) contrast alone. */
async function audit(page: Page, view: string, contrastOnly = false): Promise<void> {
  const builder = new AxeBuilder({ page });
  const results = await (contrastOnly ? builder.withRules(['color-contrast']) : builder.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.split('\n').join(' ')}`).join('\n')}`);
  const minor = results.violations.filter((v) => !bad.includes(v)).map((v) => `${v.impact} ${v.id} (${v.nodes.length})`);
  if (minor.length > 0) console.log(`[axe ${view}] minor/moderate: ${minor.join(', ')}`);
  expect(report, `serious or critical axe violations in ${view}`).toEqual([]);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`axe: main views in the ${scheme} theme`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/');
    await expect(page.getByTestId('hunt-title')).toBeVisible();
    const contrastOnly = scheme === 'dark';
    await audit(page, `empty (${scheme})`, contrastOnly);

    await page.getByTestId('sample-button').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'done', { timeout: 45_000 });
    await expect(page.getByTestId('chart-host')).toBeVisible();
    await audit(page, `results with charts (${scheme})`, contrastOnly);
    await shot(page, `a11y-results-${scheme}`);

    await page.getByTestId('hit-row').first().dblclick();
    await expect(page.getByTestId('detail-pane')).toBeVisible();
    await audit(page, `detail pane (${scheme})`, contrastOnly);
    await shot(page, `a11y-detail-${scheme}`);
    await page.keyboard.press('Escape');

    // Audit the funnel and near misses, not the "Computing coverage…" placeholder.
    await expect(page.getByTestId('coverage-status')).toHaveAttribute('data-state', 'done', { timeout: 45_000 });
    await page.getByTestId('overview-tab-coverage').click();
    await expect(page.getByTestId('overview-tab-coverage')).toHaveAttribute('aria-selected', 'true');
    await audit(page, `coverage (${scheme})`, contrastOnly);
    await shot(page, `a11y-coverage-${scheme}`);
  });
}

test('keyboard: the main controls are reachable with Tab, in order, and work with Enter/Space', async ({ page }) => {
  await loadSample(page);
  // Start the walk at the top: a click on the app name moves the sequential focus starting point.
  await page.getByRole('heading', { name: 'Hunt Triage' }).click();
  const reached: string[] = [];
  // Walk the tab order until it comes back to an element already reached (or a generous limit).
  for (let i = 0; i < 250; i++) {
    await page.keyboard.press('Tab');
    const d = await page.evaluate(() => {
      const w = window as unknown as { __tabSeen?: WeakSet<Element> };
      const seen = (w.__tabSeen ??= new WeakSet());
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const again = seen.has(el);
      seen.add(el);
      const testid = el.getAttribute('data-testid') ?? el.closest('[data-testid]')?.getAttribute('data-testid') ?? '';
      const name = el.getAttribute('aria-label') ?? (el.textContent ?? '').trim().slice(0, 30);
      return { key: `${el.tagName.toLowerCase()}|${testid}|${name}`, again };
    });
    if (d === null) continue;
    if (d.again) break;
    reached.push(d.key);
  }
  const has = (part: string) => reached.some((k) => k.includes(part));
  for (const control of ['file-input', 'sample-button', 'hunt-input', 'overview-tab-charts', 'global-search', 'sort-agent_hostname', 'filter-agent_hostname', 'hits-table']) {
    expect(has(control), `${control} is reachable by Tab (reached: ${reached.join(', ')})`).toBe(true);
  }
  // Top bar, then the overview, then the table's tools, its grid, and its column headers.
  const at = (part: string) => reached.findIndex((k) => k.includes(part));
  expect(at('file-input')).toBeLessThan(at('sample-button'));
  expect(at('sample-button')).toBeLessThan(at('overview-tab-charts'));
  expect(at('overview-tab-charts')).toBeLessThan(at('global-search'));
  expect(at('global-search')).toBeLessThan(at('sort-agent_hostname'));
  expect(at('sort-agent_hostname')).toBeLessThan(at('filter-agent_hostname'));
  console.log(`tab order (${reached.length} stops): ${reached.map((k) => k.split('|').slice(0, 2).join('|')).join(' → ')}`);

  // The file pickers are real inputs: focusable, labelled, and show focus on their button.
  const fileInput = page.getByTestId('file-input');
  await fileInput.focus();
  await expect(fileInput).toBeFocused();
  const ring = await page.evaluate(() => {
    const label = document.activeElement?.closest('label');
    return label ? getComputedStyle(label).outlineStyle : 'none';
  });
  expect(ring).not.toBe('none');

  // From the keyboard alone: open the first hit and close it again.
  await page.getByTestId('hits-table').focus();
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('detail-pane')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('detail-pane')).toHaveCount(0);
  // The Coverage tab by keyboard.
  await page.getByTestId('overview-tab-coverage').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('overview-tab-coverage')).toHaveAttribute('aria-selected', 'true');
  await shot(page, 'a11y-keyboard');
});
