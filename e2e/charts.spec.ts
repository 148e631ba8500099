import { expect, loadSample, shot, test } from './fixtures';

/**
 * Clicking a host bar filters the table to that host and shows a removable chip; removing the chip
 * restores the full hit list. Bars are addressed by `data-bar-key` (see src/ui/charts/HitCharts.tsx).
 */
test('a host bar filters the hits and its chip undoes it', async ({ page }) => {
  await loadSample(page);
  const total = await page.getByTestId('hit-count').innerText();
  const hostChart = page.getByTestId('chart-host');
  await expect(hostChart).toBeVisible();

  // The top bar is a real host ("(other)" is always last and is not clickable).
  const bar = hostChart.locator('[data-bar-key]').first();
  await expect(bar).toBeVisible();
  const host = (await bar.getAttribute('data-bar-key')) ?? '';
  const count = Number(await bar.getAttribute('data-count'));
  expect(host).not.toBe('');
  expect(count).toBeGreaterThan(0);

  await bar.click();
  const chip = page.getByTestId('filter-chip');
  await expect(chip).toHaveCount(1);
  await expect(chip).toContainText(`host = ${host}`);
  await expect(hostChart.locator(`[data-bar-key="${host}"]`)).toHaveAttribute('data-active', 'true');

  // The total stays; the table shows only that host's hits.
  await expect(page.getByTestId('hit-count')).toHaveText(total);
  if (count < Number(total)) await expect(page.getByTestId('shown-count')).toContainText(String(count));
  const rows = page.getByTestId('hit-row');
  await expect(rows.first()).toBeVisible();
  const texts = await rows.allInnerTexts();
  expect(texts.length).toBeGreaterThan(0);
  expect(texts.length).toBeLessThanOrEqual(count);
  for (const t of texts) expect(t).toContain(host);
  await shot(page, 'chart-host-filter');

  await chip.getByRole('button', { name: `Remove filter host = ${host}` }).click();
  await expect(page.getByTestId('filter-chip')).toHaveCount(0);
  await expect(page.getByTestId('shown-count')).toHaveCount(0);
  await expect(page.getByTestId('hit-count')).toHaveText(total);
});
