import { defineConfig } from '@playwright/test';
import base from './playwright.config';

/** The browser benchmark: `npm run bench:browser` (builds first); not part of `npm test`. */
export default defineConfig({
  ...base,
  testDir: 'e2e-bench',
  testMatch: /.*\.bench\.ts/,
  timeout: 15 * 60_000,
  retries: 0,
  // No Playwright trace or screenshots: the tracer snapshots the page's DOM in the page at every
  // action and assertion, which puts its own long tasks on the main thread being measured.
  use: { ...base.use, trace: 'off', screenshot: 'off', video: 'off' },
  webServer: base.webServer,
});
