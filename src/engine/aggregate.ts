import type { Hit } from './types';
import type { Value } from './value';

/**
 * Chart aggregates over a hit set. Runs in the worker: recharts struggles past ~1k SVG elements
 * (research style-anchors §2.9), so the UI only ever receives these few dozen buckets, never hits.
 */

export interface Bucket {
  key: string;
  count: number;
}

export interface TimeBin {
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive. */
  end: number;
  count: number;
}

export interface ChartAggregates {
  byHost: Bucket[];
  byUser: Bucket[];
  byProcess: Bucket[];
  /** Contiguous bins (empty ones included) covering the hits' time range; [] when no hit has a time. */
  byTime: TimeBin[];
  /** Hits aggregated (the indexed subset when indices were given). */
  total: number;
}

export interface AggregateOptions {
  /** Buckets kept per categorical chart before the rest is folded into "(other)". Default 15. */
  topN?: number;
  /** Upper bound on the number of time bins. Default 60. */
  timeBins?: number;
}

export type CategoryDimension = 'host' | 'user' | 'process';

export type ChartFilter =
  | { dimension: CategoryDimension; value: string }
  | { dimension: 'time'; start: number; end: number };

/** Key for a missing or empty value. A real value spelled "(none)" shares it, which is harmless for triage. */
export const NONE_KEY = '(none)';
/** Key of the bucket that carries everything past the top N; it is not a value, so it is not filterable. */
export const OTHER_KEY = '(other)';

export const DIMENSION_FIELDS: Readonly<Record<CategoryDimension, string>> = {
  host: 'agent_hostname',
  user: 'actor_effective_username',
  process: 'action_process_image_name',
};

const DEFAULT_TOP_N = 15;
const DEFAULT_TIME_BINS = 60;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Widths a human reads at a glance; bins start on multiples of the width (UTC-aligned). */
const NICE_WIDTHS: readonly number[] = [
  SECOND, 5 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
  DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 90 * DAY, 365 * DAY,
];

/** The bucket key a value is counted (and filtered) under. */
export function categoryKey(value: Value | undefined): string {
  if (value === null || value === undefined || value === '') return NONE_KEY;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Epoch ms of a hit, or null when `_time` is not a finite number. */
export function hitTime(hit: Hit): number | null {
  const t = hit.row._time;
  return typeof t === 'number' && Number.isFinite(t) ? t : null;
}

/**
 * Smallest nice width that covers [min, max] with at most `maxBins` UTC-aligned bins. Past the
 * largest nice width, a whole multiple of a year is used so the bound still holds.
 */
export function chooseBinWidth(min: number, max: number, maxBins: number): number {
  const bins = Math.max(1, Math.floor(maxBins));
  for (const width of NICE_WIDTHS) {
    if (binCount(min, max, width) <= bins) return width;
  }
  const year = NICE_WIDTHS[NICE_WIDTHS.length - 1];
  let width = year * Math.ceil((max - min) / (bins * year));
  while (binCount(min, max, width) > bins) width += year;
  return width;
}

function binCount(min: number, max: number, width: number): number {
  const start = Math.floor(min / width) * width;
  return Math.floor((max - start) / width) + 1;
}

/** A mutable counter: one Map lookup per hit instead of a get and a set. */
interface Counter {
  n: number;
}

/** Top N buckets by count (ties by key, for a stable chart), then "(other)" with the remainder. */
function topBuckets(counts: Map<string, Counter>, topN: number): Bucket[] {
  const all: Bucket[] = [];
  for (const [key, c] of counts) all.push({ key, count: c.n });
  all.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (all.length <= topN) return all;
  const top = all.slice(0, topN);
  let rest = 0;
  for (let i = topN; i < all.length; i++) rest += all[i].count;
  top.push({ key: OTHER_KEY, count: rest });
  return top;
}

/** Strings (the common case) go straight to the Map; only other values pay for categoryKey. */
function bump(map: Map<string, Counter>, value: Value | undefined): void {
  const key = typeof value === 'string' && value !== '' ? value : categoryKey(value);
  const c = map.get(key);
  if (c === undefined) map.set(key, { n: 1 });
  else c.n++;
}

/**
 * One pass over the hits (or the `indices` subset of them) with Map counts; the time histogram
 * needs the range first, so times are kept in a typed array and binned in a second, cheap pass.
 */
export function aggregateHits(
  hits: readonly Hit[],
  indices?: Uint32Array | null,
  options?: AggregateOptions,
): ChartAggregates {
  const topN = Math.max(1, Math.floor(options?.topN ?? DEFAULT_TOP_N));
  const maxBins = Math.max(1, Math.floor(options?.timeBins ?? DEFAULT_TIME_BINS));
  const n = indices ? indices.length : hits.length;
  const hosts = new Map<string, Counter>();
  const users = new Map<string, Counter>();
  const processes = new Map<string, Counter>();
  const times = new Float64Array(n);
  let timed = 0;
  let min = Infinity;
  let max = -Infinity;
  let total = 0;

  for (let i = 0; i < n; i++) {
    const hit = indices ? hits[indices[i]] : hits[i];
    if (hit === undefined) continue; // an index past the end: ignore rather than throw in the worker
    total++;
    const row = hit.row;
    bump(hosts, row.agent_hostname);
    bump(users, row.actor_effective_username);
    bump(processes, row.action_process_image_name);
    const t = row._time;
    if (typeof t === 'number' && Number.isFinite(t)) {
      times[timed++] = t;
      if (t < min) min = t;
      if (t > max) max = t;
    }
  }

  return {
    byHost: topBuckets(hosts, topN),
    byUser: topBuckets(users, topN),
    byProcess: topBuckets(processes, topN),
    byTime: timed === 0 ? [] : binTimes(times, timed, min, max, maxBins),
    total,
  };
}

function binTimes(times: Float64Array, count: number, min: number, max: number, maxBins: number): TimeBin[] {
  const width = chooseBinWidth(min, max, maxBins);
  const first = Math.floor(min / width) * width;
  const nBins = binCount(min, max, width);
  const counts = new Uint32Array(nBins);
  for (let i = 0; i < count; i++) counts[Math.floor((times[i] - first) / width)]++;
  const bins: TimeBin[] = new Array<TimeBin>(nBins);
  for (let b = 0; b < nBins; b++) {
    const start = first + b * width;
    bins[b] = { start, end: start + width, count: counts[b] };
  }
  return bins;
}

/**
 * Filters from different dimensions are ANDed. Filters on the same dimension are ORed: they come
 * from clicking two bars of one chart (host A, host B), and ANDing those would always be empty.
 */
export function matchesChartFilters(hit: Hit, filters: readonly ChartFilter[]): boolean {
  if (filters.length === 0) return true;
  let host: boolean | null = null;
  let user: boolean | null = null;
  let process: boolean | null = null;
  let time: boolean | null = null;
  for (const f of filters) {
    if (f.dimension === 'time') {
      if (time === true) continue;
      const t = hitTime(hit);
      time = t !== null && t >= f.start && t < f.end;
    } else if (f.dimension === 'host') {
      if (host === true) continue;
      host = categoryKey(hit.row[DIMENSION_FIELDS.host]) === f.value;
    } else if (f.dimension === 'user') {
      if (user === true) continue;
      user = categoryKey(hit.row[DIMENSION_FIELDS.user]) === f.value;
    } else {
      if (process === true) continue;
      process = categoryKey(hit.row[DIMENSION_FIELDS.process]) === f.value;
    }
  }
  return host !== false && user !== false && process !== false && time !== false;
}

export function sameChartFilter(a: ChartFilter, b: ChartFilter): boolean {
  if (a.dimension === 'time' || b.dimension === 'time') {
    return a.dimension === 'time' && b.dimension === 'time' && a.start === b.start && a.end === b.end;
  }
  return a.dimension === b.dimension && a.value === b.value;
}

/** Adds the filter, or removes it when an equal one is active (a second click on a bar undoes the first). */
export function toggleChartFilter(filters: readonly ChartFilter[], filter: ChartFilter): ChartFilter[] {
  const without = filters.filter((f) => !sameChartFilter(f, filter));
  return without.length === filters.length ? [...filters, filter] : without;
}

const DIMENSION_LABELS: Readonly<Record<ChartFilter['dimension'], string>> = {
  host: 'host',
  user: 'user',
  process: 'process',
  time: 'time',
};

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `2025-06-30 14:05` (seconds only when not zero), always UTC: exports and analysts' notes are UTC. */
export function formatUtc(ms: number): string {
  const d = new Date(ms);
  const base = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  return d.getUTCSeconds() !== 0 || d.getUTCMilliseconds() !== 0 ? `${base}:${pad2(d.getUTCSeconds())}` : base;
}

/** `2025-06-30 14:00–14:05 UTC`; the end date is repeated only when it differs. */
export function formatUtcRange(start: number, end: number): string {
  const a = formatUtc(start);
  const b = formatUtc(end);
  const sameDay = a.slice(0, 10) === b.slice(0, 10);
  return `${a}–${sameDay ? b.slice(11) : b} UTC`;
}

/** Chip text, e.g. `host = WS-01` or `time 2025-06-30 14:00–14:05 UTC`. */
export function chartFilterLabel(f: ChartFilter): string {
  if (f.dimension === 'time') return `${DIMENSION_LABELS.time} ${formatUtcRange(f.start, f.end)}`;
  return `${DIMENSION_LABELS[f.dimension]} = ${f.value}`;
}
