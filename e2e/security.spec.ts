/**
 * "Nothing is uploaded", proven: every request the page, its worker and the browser context make
 * during a whole session (load, two runs, a decision, an export) goes to the app's own origin, the
 * served HTML carries a strict CSP, and no CSP violation happens on the way.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, readExpected, tempDir, test, waitCoverage, waitDone, writeCsv } from './fixtures';


/** What a request recorder saw; `where` says which listener, so a worker request is not missed. */
interface Seen {
  where: 'page' | 'context' | 'route' | 'worker';
  url: string;
}

function offOrigin(url: string, origin: string): boolean {
  // blob: URLs of this origin (the export's download link) stay in the browser.
  if (url.startsWith(`blob:${origin}/`) || url.startsWith('data:')) return false;
  return !url.startsWith(`${origin}/`);
}

function directives(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), sources);
  }
  return out;
}

async function violations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
}

test('a whole session makes no request outside the app origin and violates no CSP', async ({ page, context, request, baseURL }) => {
  test.setTimeout(90_000);
  // The app's own origin: playwright.config.ts serves the build on http://127.0.0.1:4173.
  const origin = new URL(baseURL ?? 'http://127.0.0.1:4173').origin;
  const seen: Seen[] = [];
  page.on('request', (r) => seen.push({ where: 'page', url: r.url() }));
  context.on('request', (r) => seen.push({ where: 'context', url: r.url() }));
  page.on('worker', (w) => seen.push({ where: 'worker', url: w.url() }));
  // The route sees every request the browser would send, workers' included, before it leaves.
  await context.route('**/*', (route) => {
    seen.push({ where: 'route', url: route.request().url() });
    return offOrigin(route.request().url(), origin) ? route.abort('blockedbyclient') : route.continue();
  });
  // Collected by the page itself from the first script on: a violation is otherwise silent.
  await context.addInitScript(() => {
    const list: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = list;
    document.addEventListener('securitypolicyviolation', (e) => list.push(`${e.violatedDirective} ${e.blockedURI}`));
  });

  // The served HTML: a CSP meta with connect-src 'self', script-src without 'unsafe-inline', and
  // no inline script at all.
  const html = await (await request.get('/')).text();
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html);
  expect(meta, 'CSP meta in the served index.html').not.toBeNull();
  const policy = directives((meta?.[1] ?? '').replace(/&#39;/g, "'"));
  expect(policy.get('connect-src')).toEqual(["'self'"]);
  expect(policy.get('script-src')).toBeDefined();
  expect(policy.get('script-src')).not.toContain("'unsafe-inline'");
  // toContain on the token list compares whole tokens: 'wasm-unsafe-eval' (WebAssembly compilation
  // only, needed by hash-wasm) is allowed, 'unsafe-eval' (eval, new Function) is not.
  expect(policy.get('script-src')).not.toContain("'unsafe-eval'");
  expect(policy.get('script-src')).toContain("'wasm-unsafe-eval'");
  expect(policy.get('default-src')).toEqual(["'self'"]);
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  expect(scripts.length).toBeGreaterThan(0);
  for (const [, attrs, body] of scripts) {
    expect(attrs).toMatch(/\ssrc="\/assets\//);
    expect(body.trim()).toBe('');
  }

  // Load and run the sample.
  const expected = readExpected();
  await page.goto('/');
  await expect(page.getByTestId('hunt-title')).toBeVisible();
  expect(await page.locator('script:not([src])').count(), 'inline <script> elements in the DOM').toBe(0);
  await page.getByTestId('sample-button').click();
  await waitDone(page);
  await expect(page.getByTestId('hit-count')).toHaveText(String(expected.hitsXql.length));

  // Run an uploaded file.
  const dir = tempDir();
  const path = writeCsv(dir, 'upload.csv', [
    {
      time: '2025-06-30T14:02:11Z',
      host: 'WS-SEC1',
      user: 'CORP\\alice',
      image: 'cmd.exe',
      commandLine: 'cmd.exe /c net use Z: \\\\sec01.trycloudflare.com@SSL\\DavWWWRoot',
      eventId: 'sec01-evt',
    },
    {
      time: '2025-06-30T14:03:11Z',
      host: 'WS-SEC2',
      user: 'CORP\\bob',
      image: 'cmd.exe',
      commandLine: 'cmd.exe /c net use Y: \\\\sec02.trycloudflare.com@SSL\\DavWWWRoot',
      eventId: 'sec02-evt',
    },
  ]);
  await page.getByTestId('file-input').setInputFiles(path);
  await waitDone(page);
  await expect(page.getByTestId('hit-count')).toHaveText('2');
  // Triage opens once the background pass has fingerprinted the export (hash-wasm under the CSP).
  await waitCoverage(page);

  // Triage: a verdict (the first one asks for the analyst's name).
  const row = page.locator('[data-testid="hit-row"][data-event-id="sec01-evt"]');
  await row.dblclick();
  await page.getByTestId('detail-pane').getByTestId('verdict-select').selectOption('malicious');
  const name = page.getByTestId('analyst-name');
  await expect(name).toBeVisible();
  await name.fill('alice');
  await name.press('Enter');
  await expect(row).toHaveAttribute('data-verdict', 'malicious');

  // Export: the bundle is a download made in the page, not a request.
  const exportButton = page.getByTestId('export-bundle');
  if (!(await exportButton.isVisible())) await page.locator('details:has([data-testid="export-bundle"]) > summary').click();
  const download = page.waitForEvent('download');
  await exportButton.click();
  const saved = `${dir}/bundle.json`;
  await (await download).saveAs(saved);
  expect(readFileSync(saved, 'utf8')).toContain('sec01-evt');

  expect(await violations(page), 'securitypolicyviolation events').toEqual([]);
  const urls = [...new Set(seen.map((s) => s.url))];
  console.log(`requests recorded (${seen.length} events, ${urls.length} distinct URLs):\n${urls.map((u) => `  ${u}`).join('\n')}`);
  expect(seen.filter((s) => s.where === 'route').length, 'the route recorder saw the session').toBeGreaterThan(3);
  expect(seen.filter((s) => offOrigin(s.url, origin)), 'requests that left the app origin').toEqual([]);
});

test('a script injected from outside the bundle is blocked by the CSP', async ({ page, context, problems }) => {
  // Proves the policy is enforced, not just present: an inline script added at runtime (what a
  // successful HTML injection would do) must not run, and the browser reports the violation.
  await context.addInitScript(() => {
    const list: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = list;
    document.addEventListener('securitypolicyviolation', (e) => list.push(e.violatedDirective));
  });
  await page.goto('/');
  await expect(page.getByTestId('hunt-title')).toBeVisible();
  const ran = await page.evaluate(async () => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = 1';
    document.body.append(s);
    await new Promise((r) => setTimeout(r, 100));
    return (window as unknown as { __injected?: number }).__injected;
  });
  expect(ran).toBeUndefined();
  await expect.poll(() => violations(page)).toContain('script-src-elem');
  // Chromium logs the refusal as a console error, which is the point here: take exactly that one
  // out of the fixture's list and let anything else fail the test.
  await expect.poll(() => problems.filter((p) => p.includes('Content Security Policy')).length).toBeGreaterThan(0);
  const others = problems.filter((p) => !p.includes('Content Security Policy'));
  problems.splice(0, problems.length, ...others);
});
