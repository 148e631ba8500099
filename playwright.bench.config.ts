import { defineConfig } from '@playwright/test';
import base from './playwright.config';

/** The browser benchmark: `npm run bench:browser` (builds first); not part of `npm test`. */
export default defineConfig({
  ...base,
  testDir: 'e2e-bench',
  testMatch: /.*\.bench\.ts/,
  timeout: 15 * 60_000,
  retries: 0,
  webServer: base.webServer,
});
