/**
 * Test-only tuning of the worker watchdog from the page URL (`?stall-ms=1500`), so the fault tests
 * need not sit through the production silence limit. Nothing in a dropped file can reach it, and
 * it can only make the watchdog stricter or looser, never skip a check.
 */
import type { SupervisorOptions } from './supervisor';

export function supervisorOptionsFromUrl(search: string = globalThis.location?.search ?? ''): SupervisorOptions {
  const raw = new URLSearchParams(search).get('stall-ms');
  const ms = raw === null ? NaN : Number(raw);
  if (!Number.isFinite(ms)) return {};
  const stallMs = Math.max(500, Math.min(600_000, ms));
  return { stallMs, pingMs: Math.min(1000, Math.max(100, stallMs / 5)) };
}
