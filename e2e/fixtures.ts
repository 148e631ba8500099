/**
 * Shared e2e fixtures: every test fails on a page error, a console error or an alert dialog (an
 * alert would mean attacker-written HTML ran), and screenshots land in test-results/screenshots.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface Expected {
  file: string;
  rows: number;
  hitsXql: string[];
  hitsBackslash: string[];
  nearMisses: string[];
}

export function readExpected(): Expected {
  return JSON.parse(readFileSync(resolve('public/samples/xdr-sample.expected.json'), 'utf8')) as Expected;
}

export const test = base.extend<{ problems: string[] }>({
  problems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
      });
      page.on('dialog', (d) => {
        problems.push(`dialog: ${d.type()} ${d.message()}`);
        void d.dismiss();
      });
      await use(problems);
      expect(problems, 'page errors, console errors or dialogs').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: `test-results/screenshots/${name}.png` });
}

export async function waitDone(page: Page, state = 'done'): Promise<void> {
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', state, { timeout: 45_000 });
}

/**
 * After `done` the worker computes coverage (funnel, near misses) and the export's fingerprints in
 * the background; the triage session opens only once the fingerprints are in. Tests that read the
 * coverage panel or decide hits wait for that here.
 */
export async function waitCoverage(page: Page, state = 'done'): Promise<void> {
  await expect(page.getByTestId('coverage-status')).toHaveAttribute('data-state', state, { timeout: 45_000 });
}

/** Loads the sample and waits for the coverage pass too: most tests triage or read coverage next. */
export async function loadSample(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('hunt-title')).toBeVisible();
  await page.getByTestId('sample-button').click();
  await waitDone(page);
  await waitCoverage(page);
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'hunt-triage-e2e-'));
}

/** Columns of an xdr_data export, enough for the bundled hunt and its output fields. */
export const HEADER = [
  '_time',
  'agent_hostname',
  'actor_effective_username',
  'action_process_image_name',
  'action_process_image_path',
  'action_process_image_command_line',
  'event_id',
  'agent_id',
  '_product',
  'event_type',
  'event_sub_type',
  'agent_os_type',
];

export interface EventSpec {
  time: string;
  host: string;
  user: string;
  image: string;
  commandLine: string;
  eventId: string;
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvRow(e: EventSpec): string {
  return [
    e.time,
    e.host,
    e.user,
    e.image,
    `C:\\Windows\\System32\\${e.image}`,
    e.commandLine,
    e.eventId,
    `agent-${e.host.toLowerCase()}`,
    'XDR agent',
    'PROCESS',
    'PROCESS_START',
    'AGENT_OS_WINDOWS',
  ]
    .map(csvCell)
    .join(',');
}

export function writeCsv(dir: string, name: string, events: EventSpec[]): string {
  const path = join(dir, name);
  writeFileSync(path, [HEADER.join(','), ...events.map(csvRow)].join('\n') + '\n');
  return path;
}
