/**
 * Field mapping: a Defender export under a name that says nothing is recognised by its content,
 * the panel names the profile before and after the run, and a remapped column changes the result
 * (and is remembered for the next export with the same header).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, loadSample, shot, test, waitDone } from './fixtures';

interface ProfileExpected {
  fixtures: Record<string, { profile: string; hits: { xql: unknown[]; backslash: unknown[] } }>;
}

const defender = readFileSync(resolve('src/profiles/fixtures/defender.csv'));
const expected = JSON.parse(readFileSync(resolve('src/profiles/fixtures/expected.json'), 'utf8')) as ProfileExpected;
const defenderHits = expected.fixtures['defender.csv'].hits.xql.length;

test('an unnamed Defender export is detected, mapped, and can be remapped', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('hunt-title')).toBeVisible();
  await page.getByTestId('file-input').setInputFiles({ name: 'unknown', mimeType: 'application/octet-stream', buffer: defender });
  const panel = page.getByTestId('mapping-panel');
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId('mapping-profile-name')).toContainText('Defender');
  await waitDone(page);
  await expect(page.getByTestId('hit-count')).toHaveText(String(defenderHits));
  await expect(panel.getByTestId('mapping-reason')).not.toBeEmpty();

  await panel.getByTestId('mapping-edit').click();
  const cmd = panel.getByTestId('mapping-select-action_process_image_command_line');
  await expect(cmd).toHaveValue('ProcessCommandLine');
  await shot(page, 'mapping-panel');
  // The parent's command line: the hunt now looks at what launched each process instead.
  await cmd.selectOption('InitiatingProcessCommandLine');
  await panel.getByTestId('mapping-apply').click();
  await waitDone(page);
  const remapped = await page.getByTestId('hit-count').textContent();
  expect(Number(remapped)).not.toBe(defenderHits);
  await expect(panel).toContainText('your mapping');

  // Same header again (another name): the choice is remembered.
  await page.reload();
  await expect(page.getByTestId('hunt-title')).toBeVisible();
  await page.getByTestId('file-input').setInputFiles({ name: 'week2', mimeType: 'application/octet-stream', buffer: defender });
  await waitDone(page);
  await expect(page.getByTestId('mapping-panel')).toContainText('remembered mapping');
  await expect(page.getByTestId('hit-count')).toHaveText(String(remapped));
  await page.getByTestId('mapping-edit').click();
  await page.getByTestId('mapping-reset').click();
  await waitDone(page);
  await expect(page.getByTestId('hit-count')).toHaveText(String(defenderHits));
});

test('a file without the columns the hunt reads is named before the run', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('hunt-title')).toBeVisible();
  const csv = '_time,agent_hostname,action_process_image_name\n2025-06-30T14:02:11Z,WS-1,cmd.exe\n';
  await page.getByTestId('file-input').setInputFiles({ name: 'thin.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.getByTestId('mapping-missing')).toContainText('event_type');
  await expect(page.getByTestId('mapping-missing')).toContainText('action_process_image_command_line');
  await waitDone(page);
});

test('a near miss opens in the detail pane; a hit loads its explanation on demand', async ({ page }) => {
  await loadSample(page);
  await page.getByTestId('hit-row').first().dblclick();
  const pane = page.getByTestId('detail-pane');
  await expect(pane).toHaveAttribute('data-kind', 'hit');
  await expect(pane.getByTestId('explanation')).toBeVisible();
  await expect(pane.getByTestId('raw-record')).toContainText('event_type');
  await page.keyboard.press('Escape');
  await page.getByTestId('overview-tab-coverage').click();
  const nm = page.getByTestId('near-miss').first();
  await nm.click();
  await expect(pane).toHaveAttribute('data-kind', 'near-miss');
  await expect(pane.getByTestId('near-miss-failed')).toBeVisible();
  await expect(pane.getByTestId('explanation').locator('[data-state="fail"]').first()).toBeVisible();
  await shot(page, 'near-miss-detail');
});
