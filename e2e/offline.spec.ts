/**
 * Air-gapped use: the served build needs nothing but its own origin, keeps working once the
 * network is gone, and the single-file build (`npm run build:single`) runs opened from disk.
 */
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, readExpected, shot, tempDir, test, waitCoverage, waitDone, writeCsv } from './fixtures';

const SINGLE = resolve('dist-single/index.html');

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newestMtime(join(path, name))), st.mtimeMs);
}

test('the served build loads and runs the sample with everything off-origin blocked, and runs a file offline', async ({ page, context, baseURL }) => {
  const ORIGIN = new URL(baseURL ?? 'http://127.0.0.1:4173').origin;
  const expected = readExpected();
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${ORIGIN}/`) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    blocked.push(url);
    return route.abort('internetdisconnected');
  });
  await page.goto('/');
  await expect(page.getByTestId('hunt-title')).toBeVisible();
  await page.getByTestId('sample-button').click();
  await waitDone(page);
  await expect(page.getByTestId('hit-count')).toHaveText(String(expected.hitsXql.length));

  // Now no network at all, not even the app's own origin: the loaded page and its worker suffice.
  await context.setOffline(true);
  const path = writeCsv(tempDir(), 'offline.csv', [
    {
      time: '2025-06-30T14:02:11Z',
      host: 'WS-OFFLINE',
      user: 'CORP\\alice',
      image: 'cmd.exe',
      commandLine: 'cmd.exe /c net use Z: \\\\off01.trycloudflare.com@SSL\\DavWWWRoot',
      eventId: 'off01-evt',
    },
  ]);
  await page.getByTestId('file-input').setInputFiles(path);
  await waitDone(page);
  await expect(page.getByTestId('hit-count')).toHaveText('1');
  await context.setOffline(false);
  expect(blocked, 'requests that left the app origin').toEqual([]);
});

test.describe('single-file build', () => {
  test.beforeAll(() => {
    // Built here when missing or older than the sources, so the test never judges a stale file.
    const stale = !existsSync(SINGLE) || ['src', 'public', 'vite.config.ts', 'index.html'].some((p) => newestMtime(resolve(p)) > statSync(SINGLE).mtimeMs);
    if (stale) execSync('npx vite build --mode single', { stdio: 'pipe', timeout: 120_000 });
  });

  test('opened from disk, it runs the embedded sample with no request outside the file', async ({ page }) => {
    const expected = readExpected();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(SINGLE).href;
    await page.goto(url);
    await expect(page.getByTestId('hunt-title')).toContainText('Cloudflare Tunnel WebDAV');
    await page.getByTestId('sample-button').click();
    await waitDone(page);
    await expect(page.getByTestId('hit-count')).toHaveText(String(expected.hitsXql.length));
    // The background pass hashes with WebAssembly (hash-wasm) inside the Blob-URL worker, which
    // inherits the file's CSP: a fingerprint shows that 'wasm-unsafe-eval' reaches it.
    await waitCoverage(page);
    await expect(page.getByTestId('fingerprints')).toContainText(/sha256 [0-9a-f]{16}…/);
    const ids = await page.getByTestId('hit-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-id')));
    for (const id of ids) expect(expected.hitsXql).toContain(id);
    await shot(page, 'single-file');
    // The page itself and the worker's Blob URL; nothing else, and nothing over http(s).
    const other = requests.filter((r) => r !== url && !r.startsWith('blob:') && !r.startsWith('data:'));
    expect(other).toEqual([]);
  });
});
