import type { Value } from '../engine/value';

/** Fields the engine stores as epoch milliseconds (ingest normalisation). */
const TIME_FIELDS = new Set(['_time', '_insert_time', 'event_timestamp', 'action_process_start_time']);

export function isTimeField(field: string): boolean {
  return TIME_FIELDS.has(field) || field.endsWith('_time') || field.endsWith('_timestamp');
}

/**
 * `2025-06-30 14:02:11Z`: ISO UTC, readable at a glance and sortable as text. Milliseconds only
 * when asked for (the detail pane); a table column of `.077Z` tails is noise.
 */
export function formatTime(ms: number, millis = false): string {
  if (!Number.isFinite(ms)) return String(ms);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return String(ms);
  const iso = d.toISOString();
  const frac = iso.slice(20, 23);
  // Keep milliseconds only when they carry information; most exports are second-granular.
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${millis && frac !== '000' ? `.${frac}` : ''}Z`;
}

/**
 * The text a cell shows for a value. Used by the table and, in the worker, by column filters and
 * the global search, so that what the analyst types matches what they see.
 */
export function cellText(field: string, value: Value | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return isTimeField(field) ? formatTime(value) : String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return JSON.stringify(value);
}

/** Any raw record value as text (raw records hold whatever the reader produced). */
export function rawText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

let grouping: Intl.NumberFormat | null = null;

/**
 * `1,234,567`, as `toLocaleString('en-US')` writes it. Integers are grouped here, without Intl:
 * the first Intl call of a page loads ICU's locale data (35 ms of the first run's main thread on
 * the reference machine), and every toLocaleString call builds a formatter.
 */
export function formatCount(n: number): string {
  if (Number.isSafeInteger(n)) {
    const digits = String(Math.abs(n));
    let out = digits.length > 3 ? digits.replace(/\B(?=(\d{3})+$)/g, ',') : digits;
    if (n < 0 || Object.is(n, -0)) out = `-${out}`;
    return out;
  }
  grouping ??= new Intl.NumberFormat('en-US');
  return grouping.format(n);
}
