import { createHash } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, loadSample, readExpected, shot, tempDir, test, waitCoverage, waitDone, writeCsv, type EventSpec } from './fixtures';

const tunnel = (id: string, host: string, extra = ''): EventSpec => ({
  time: '2025-06-30T14:02:11Z',
  host,
  user: 'CORP\\alice',
  image: 'cmd.exe',
  commandLine: `cmd.exe /c net use Z: \\\\${id}.trycloudflare.com@SSL\\DavWWWRoot ${extra}`.trim(),
  eventId: `${id}-evt`,
});

test('the sample export finds exactly the expected hits', async ({ page }) => {
  const expected = readExpected();
  await loadSample(page);
  await expect(page.getByTestId('hit-count')).toHaveText(String(expected.hitsXql.length));
  const ids = await page.getByTestId('hit-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-id')));
  expect(ids.length).toBeGreaterThan(0);
  for (const id of ids) expect(expected.hitsXql).toContain(id);
  // The hunt header links its techniques to ATT&CK, and those are the only external links.
  const link = page.locator('a[href="https://attack.mitre.org/techniques/T1021/002/"]');
  await expect(link).toHaveAttribute('rel', 'noreferrer noopener');
  const external = await page.locator('a[href^="http"]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  for (const href of external) expect(href.startsWith('https://attack.mitre.org/techniques/')).toBe(true);
  await expect(page.getByTestId('escape-note')).toBeVisible();
  await shot(page, 'sample-run');
});

test('switching the string reading re-runs and finds the backslash-reading hits', async ({ page }) => {
  const expected = readExpected();
  await loadSample(page);
  const toggle = page.getByTestId('escape-reading-toggle');
  await expect(toggle).not.toBeChecked();
  await expect(page.getByTestId('other-reading-hits')).toContainText(String(expected.hitsBackslash.length));
  await toggle.check();
  await waitDone(page);
  await expect(page.getByTestId('hit-count')).toHaveText(String(expected.hitsBackslash.length));
  await expect(toggle).toBeChecked();
  await expect(page.getByTestId('escape-reading')).toContainText('backslash');
  await shot(page, 'backslash-reading');
  await toggle.uncheck();
  await waitDone(page);
  await expect(page.getByTestId('hit-count')).toHaveText(String(expected.hitsXql.length));
});

test('opening a hit shows its explanation and the decoded -EncodedCommand', async ({ page }) => {
  await loadSample(page);
  // The sample's encoded PowerShell hit; should a regenerated sample find it only under the
  // backslash reading, switch to that reading first.
  const encoded = page.getByTestId('hit-row').filter({ hasText: /\s[-/](e|enc|encodedcommand)\s+[A-Za-z0-9+/=]{16,}/i }).first();
  if ((await encoded.count()) === 0) {
    await page.getByTestId('escape-reading-toggle').check();
    await waitDone(page);
  }
  const row = page.getByTestId('hit-row').filter({ hasText: /\s[-/](e|enc|encodedcommand)\s+[A-Za-z0-9+/=]{16,}/i }).first();
  await row.click();
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  const pane = page.getByTestId('detail-pane');
  await expect(pane).toBeVisible();
  await expect(pane.getByTestId('explanation')).toBeVisible();
  await expect(pane.getByTestId('explanation').locator('[data-state="pass"]').first()).toBeVisible();
  await expect(pane.locator('[data-testid="detail-command-line"] mark').first()).toBeVisible();
  const decoded = pane.getByTestId('decoded-command');
  await expect(decoded).toBeVisible();
  await expect(decoded.locator('.code-block')).not.toBeEmpty();
  await expect(pane.getByTestId('raw-record')).toContainText('action_process_image_command_line');
  await expect(pane.getByTestId('detail-origin')).toContainText('xdr-sample.csv');
  await shot(page, 'detail-pane');
});

test('keyboard: j/k and arrows move the selection, Enter opens and Escape closes', async ({ page }) => {
  await loadSample(page);
  const rows = page.getByTestId('hit-row');
  await expect(rows.nth(2)).toBeVisible();
  const selectedId = () => page.locator('[data-testid="hit-row"][aria-selected="true"]').getAttribute('data-event-id');
  const id = (i: number) => rows.nth(i).getAttribute('data-event-id');
  await page.locator('body').press('j');
  expect(await selectedId()).toBe(await id(0));
  await page.keyboard.press('j');
  expect(await selectedId()).toBe(await id(1));
  await page.keyboard.press('ArrowDown');
  expect(await selectedId()).toBe(await id(2));
  await page.keyboard.press('k');
  expect(await selectedId()).toBe(await id(1));
  await page.keyboard.press('ArrowUp');
  expect(await selectedId()).toBe(await id(0));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('detail-pane')).toBeVisible();
  await page.keyboard.press('j');
  expect(await selectedId()).toBe(await id(1));
  await expect(page.getByTestId('detail-pane')).toContainText((await id(1)) ?? '');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('detail-pane')).toHaveCount(0);
});

test('sorting by a header and filtering by column and globally', async ({ page }) => {
  await loadSample(page);
  const total = Number(await page.getByTestId('hit-count').textContent());
  const hosts = () =>
    page.locator('[data-testid="hit-row"] [data-column="agent_hostname"]').evaluateAll((cells) => cells.map((c) => c.textContent ?? ''));
  await page.getByTestId('sort-agent_hostname').click();
  await expect(page.locator('[data-column="agent_hostname"][aria-sort="ascending"]')).toBeVisible();
  await expect
    .poll(async () => {
      const h = await hosts();
      return h.length > 1 && h.every((v, i) => i === 0 || h[i - 1].toLowerCase() <= v.toLowerCase());
    })
    .toBe(true);
  await page.getByTestId('sort-agent_hostname').click();
  await expect(page.locator('[data-column="agent_hostname"][aria-sort="descending"]')).toBeVisible();
  await expect
    .poll(async () => {
      const h = await hosts();
      return h.length > 1 && h.every((v, i) => i === 0 || h[i - 1].toLowerCase() >= v.toLowerCase());
    })
    .toBe(true);
  const firstHost = (await hosts())[0];
  await page.getByTestId('filter-agent_hostname').fill(firstHost);
  await expect.poll(async () => (await hosts()).every((h) => h.toLowerCase().includes(firstHost.toLowerCase()))).toBe(true);
  await expect(page.getByTestId('shown-count')).toBeVisible();
  // The total is the run's count, not the filtered one.
  await expect(page.getByTestId('hit-count')).toHaveText(String(total));
  await shot(page, 'sorted-filtered');
  await page.getByTestId('filter-agent_hostname').fill('');
  await page.getByTestId('global-search').fill('no-such-text-anywhere-9f3a');
  await expect(page.getByTestId('hit-row')).toHaveCount(0);
  await expect(page.getByTestId('hits-table')).toContainText('No hit matches');
  await page.getByTestId('global-search').fill(firstHost);
  await expect.poll(async () => (await hosts()).length).toBeGreaterThan(0);
  await expect(page.getByTestId('shown-count')).toBeVisible();
});

test('several files make one run, and each hit keeps its file and row', async ({ page }) => {
  const dir = tempDir();
  const a = writeCsv(dir, 'host-a.csv', [tunnel('aaa111', 'WS-A1'), tunnel('aaa222', 'WS-A2')]);
  const b = writeCsv(dir, 'host-b.csv', [tunnel('bbb111', 'SRV-B1')]);
  await page.goto('/');
  await expect(page.getByTestId('hunt-title')).toBeVisible();
  await page.getByTestId('file-input').setInputFiles([a, b]);
  await waitDone(page);
  await expect(page.getByTestId('hit-count')).toHaveText('3');
  const table = page.getByTestId('hits-table');
  await expect(table).toContainText('host-a.csv:1');
  await expect(table).toContainText('host-a.csv:2');
  await expect(table).toContainText('host-b.csv:1');
  await expect(page.locator('[data-testid="hit-row"][data-event-id="bbb111-evt"]')).toContainText('SRV-B1');
  // The fingerprints come with the background coverage pass.
  await waitCoverage(page);
  await expect(page.getByTestId('fingerprints')).toContainText('host-b.csv');
  // The worker's SHA-256 (hash-wasm, sliced) is the file's.
  const sha = createHash('sha256').update(readFileSync(b)).digest('hex');
  await expect(page.getByTestId('fingerprints').locator(`[title="SHA-256 ${sha}"]`)).toContainText('host-b.csv');
  await shot(page, 'multi-file');
});

test('attacker HTML in a command line stays text', async ({ page }) => {
  const dir = tempDir();
  const evil = tunnel('evil01', 'WS-EVIL', '<img src=x onerror=alert(1)> <script>alert(2)</script> webdav');
  const bidi = tunnel('bidi01', 'WS-BIDI', 'invoice\u202Etxt.exe');
  const path = writeCsv(dir, 'evil.csv', [evil, bidi]);
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(path);
  await waitDone(page);
  await expect(page.getByTestId('hit-count')).toHaveText('2');
  await expect(page.getByTestId('hits-table')).toContainText('<img src=x onerror=alert(1)>');
  await expect(page.getByTestId('hits-table')).toContainText('<script>alert(2)</script>');
  await expect(page.locator('img[src=x]')).toHaveCount(0);
  await expect(page.locator('#root script')).toHaveCount(0);
  await expect(page.getByTestId('hits-table')).toContainText('⟦U+202E⟧');
  await page.locator('[data-testid="hit-row"][data-event-id="evil01-evt"]').dblclick();
  await expect(page.getByTestId('detail-pane')).toContainText('<img src=x onerror=alert(1)>');
  await expect(page.locator('img[src=x]')).toHaveCount(0);
  await shot(page, 'html-as-text');
});

test('a long run can be cancelled', async ({ page }) => {
  test.setTimeout(120_000);
  const dir = tempDir();
  const path = join(dir, 'big.csv');
  await new Promise<void>((done, fail) => {
    const out = createWriteStream(path);
    out.on('error', fail);
    out.on('finish', () => done());
    out.write(
      '_time,agent_hostname,actor_effective_username,action_process_image_name,action_process_image_path,action_process_image_command_line,event_id,agent_id,_product,event_type,event_sub_type,agent_os_type\n',
    );
    const pad = 'x'.repeat(120);
    let chunk: string[] = [];
    // Every row mentions cloudflare, so the fast path's literal prefilter cannot skip any of them:
    // the run lasts long enough to be cancelled.
    for (let i = 0; i < 400_000; i++) {
      const cmd = i % 5000 === 0 ? `cmd.exe /c net use \\\\big${i}.trycloudflare.com@SSL\\DavWWWRoot` : `C:\\Windows\\System32\\svchost.exe -k netsvcs -p cloudflare-warp ${pad}`;
      chunk.push(`2025-06-30T14:02:11Z,WS-${i % 97},CORP\\user${i % 13},cmd.exe,C:\\Windows\\System32\\cmd.exe,${cmd},ev-${i},ag-${i % 97},XDR agent,PROCESS,PROCESS_START,AGENT_OS_WINDOWS\n`);
      if (chunk.length === 5000) {
        out.write(chunk.join(''));
        chunk = [];
      }
    }
    out.end(chunk.join(''));
  });
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(path);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('progress')).toBeVisible();
  await shot(page, 'running');
  await page.getByTestId('cancel-button').click();
  await waitDone(page, 'cancelled');
  await expect(page.getByTestId('progress')).toHaveCount(0);
});

test('the empty state says what to do', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'idle');
  await expect(page.getByTestId('hits-table')).toContainText('Drop an XDR export here');
  await expect(page.getByTestId('hunt-title')).toContainText('Cloudflare Tunnel WebDAV');
  await shot(page, 'empty');
});
