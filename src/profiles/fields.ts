import type { RawRecord } from '../engine/value';

/**
 * Small shared helpers for the source profiles: path and host-name handling, user joining,
 * nested/dotted JSON access and column lookup. Everything is pure and allocation-light because
 * profiles call it once per event.
 */

/** Case- and quote-insensitive basename of a Windows or POSIX path, device path or `\\?\` path. */
export function basenameOfPath(path: string): string {
  let text = path.trim();
  // A quoted image path ("C:\Program Files\x.exe") is a path, not a command line.
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1);
  const cut = Math.max(text.lastIndexOf('\\'), text.lastIndexOf('/'));
  return cut === -1 ? text : text.slice(cut + 1);
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * Short host name for grouping: `WS042.corp.local` -> `ws042`. IP addresses stay whole (their
 * first label means nothing) and a `DOMAIN\HOST` form keeps the host part.
 */
export function shortHostName(host: string): string {
  let text = host.trim();
  const slash = text.lastIndexOf('\\');
  if (slash !== -1) text = text.slice(slash + 1);
  if (IPV4.test(text) || text.includes(':')) return text.toLowerCase();
  const dot = text.indexOf('.');
  return (dot === -1 ? text : text.slice(0, dot)).toLowerCase();
}

/** Windows writes "-" (and sometimes "N/A") where a name is absent. */
export function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '' || value === '-' || value === 'N/A';
}

/**
 * `DOMAIN\user` when both parts are present; the user alone otherwise; null without a user. A
 * user that already carries a domain (`CORP\x`, `x@corp.local`) is kept as it is.
 */
export function joinDomainUser(domain: unknown, user: unknown): string | null {
  if (isAbsent(user)) return null;
  const name = String(user);
  if (isAbsent(domain) || name.includes('\\') || name.includes('@')) return name;
  return `${String(domain)}\\${name}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Value at a dotted path in a record that may be nested (`{"process":{"name":..}}`), flat with
 * dotted keys (`{"process.name":..}`) or a mix (`{"process":{"parent.name":..}}`). The longest
 * literal key wins at each level, as ECS exporters do not agree on where to stop nesting.
 */
export function getPath(record: unknown, path: string): unknown {
  if (!isObject(record)) return undefined;
  const direct = record[path];
  if (direct !== undefined) return direct;
  let dot = path.lastIndexOf('.');
  while (dot > 0) {
    const head = record[path.slice(0, dot)];
    if (isObject(head)) {
      const found = getPath(head, path.slice(dot + 1));
      if (found !== undefined) return found;
    }
    dot = path.lastIndexOf('.', dot - 1);
  }
  return undefined;
}

/** Header spellings differ only in case and spaces (Timeline Explorer shows `Payload Data1`). */
function looseKey(name: string): string {
  return name.toLowerCase().replace(/\s+/g, '');
}

/** Column lookup for one file: exact, then case-insensitive, then ignoring spaces. */
export interface ColumnIndex {
  readonly columns: readonly string[];
  /** The file's spelling of the first candidate present, or undefined. */
  find(...candidates: readonly string[]): string | undefined;
  has(candidate: string): boolean;
}

export function columnIndex(columns: readonly string[]): ColumnIndex {
  const exact = new Set(columns);
  const byLower = new Map<string, string>();
  const byLoose = new Map<string, string>();
  for (const column of columns) {
    const lower = column.trim().toLowerCase();
    if (!byLower.has(lower)) byLower.set(lower, column);
    const loose = looseKey(column);
    if (!byLoose.has(loose)) byLoose.set(loose, column);
  }
  const lookup = (candidate: string): string | undefined =>
    exact.has(candidate) ? candidate : (byLower.get(candidate.toLowerCase()) ?? byLoose.get(looseKey(candidate)));
  return {
    columns,
    find(...candidates) {
      for (const candidate of candidates) {
        const found = lookup(candidate);
        if (found !== undefined) return found;
      }
      return undefined;
    },
    has: (candidate) => lookup(candidate) !== undefined,
  };
}

/** Reads one source value from a raw record. */
export type Getter = (raw: RawRecord) => unknown;

/** A getter plus the text shown in the mapping view. */
export interface Accessor {
  source: string;
  get: Getter;
}

/**
 * Accessor for a source field that may be a column (`process.name` in a Kibana CSV, flat dotted
 * JSON) or a path into a nested column (`process` -> `name`). Returns null when the file has
 * neither. `columns` for nested JSON is only the top-level keys, so a present prefix is enough.
 */
export function accessorFor(index: ColumnIndex, path: string): Accessor | null {
  const column = index.find(path);
  let nested: Getter | null = null;
  let dot = path.lastIndexOf('.');
  while (dot > 0 && nested === null) {
    const head = index.find(path.slice(0, dot));
    if (head !== undefined) {
      const rest = path.slice(dot + 1);
      nested = (raw) => getPath(raw[head], rest);
    }
    dot = path.lastIndexOf('.', dot - 1);
  }
  if (column !== undefined && nested !== null) {
    // JSON lines that mix dotted keys and nested objects (hand-merged exports) read both ways.
    const get = nested;
    return { source: column, get: (raw) => raw[column] ?? get(raw) };
  }
  if (column !== undefined) return { source: column, get: (raw) => raw[column] };
  return nested === null ? null : { source: path, get: nested };
}

/** The first candidate present in the file; null when none is. */
export function firstAccessor(index: ColumnIndex, candidates: readonly string[]): Accessor | null {
  for (const candidate of candidates) {
    const accessor = accessorFor(index, candidate);
    if (accessor) return accessor;
  }
  return null;
}

/**
 * All candidates present, read in order until one has a value. Used where one file can mix
 * shapes (Splunk Sysmon and 4688 rows side by side) so each row finds its own column.
 */
export function coalesceAccessor(index: ColumnIndex, candidates: readonly string[]): Accessor | null {
  const found = candidates.map((candidate) => accessorFor(index, candidate)).filter((a): a is Accessor => a !== null);
  if (found.length === 0) return null;
  if (found.length === 1) return found[0];
  const getters = found.map((a) => a.get);
  return {
    source: found.map((a) => a.source).join(' | '),
    get(raw) {
      for (const get of getters) {
        const value = get(raw);
        if (!isAbsentValue(value)) return value;
      }
      return undefined;
    },
  };
}

function isAbsentValue(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** Whether a field is present in the header or in any sample record (nested JSON). */
export function hasField(index: ColumnIndex, sample: readonly RawRecord[], path: string): boolean {
  if (index.has(path)) return true;
  if (accessorFor(index, path) === null) return false;
  return sample.some((record) => !isAbsentValue(getPathCaseless(record, path)));
}

/** `getPath` that also accepts keys differing in case (detection only; never on the hot path). */
function getPathCaseless(record: unknown, path: string): unknown {
  const exact = getPath(record, path);
  if (exact !== undefined || !isObject(record)) return exact;
  const wanted = path.toLowerCase();
  for (const [key, value] of Object.entries(record)) {
    const lower = key.toLowerCase();
    if (lower === wanted) return value;
    if (wanted.startsWith(lower + '.') && isObject(value)) {
      const found = getPathCaseless(value, path.slice(key.length + 1));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Sample values of a field, as trimmed strings (detection only). */
export function sampleValues(index: ColumnIndex, sample: readonly RawRecord[], candidates: readonly string[]): string[] {
  const values: string[] = [];
  for (const record of sample) {
    for (const candidate of candidates) {
      const value = getPathCaseless(record, index.find(candidate) ?? candidate);
      if (!isAbsentValue(value) && (typeof value === 'string' || typeof value === 'number')) {
        values.push(String(value).trim());
        break;
      }
    }
  }
  return values;
}

/** Text of a raw value, or null for absent/empty. Numbers become their decimal text. */
export function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return null;
}

/** Windows paths look like `C:\`, `\Device\...`, `\\?\` or contain a backslash. */
export function looksLikeWindowsPath(path: string): boolean {
  return /^[a-z]:[\\/]/i.test(path) || path.includes('\\');
}

const MAC_PREFIXES = ['/Applications/', '/System/', '/Library/', '/Users/', '/usr/libexec/', '/opt/homebrew/'];

/** XDR OS enum name inferred from an image path; null when the path tells nothing. */
export function osFromPath(path: string | null): string | null {
  if (!path) return null;
  if (looksLikeWindowsPath(path)) return 'AGENT_OS_WINDOWS';
  if (path.startsWith('/')) return MAC_PREFIXES.some((p) => path.startsWith(p)) ? 'AGENT_OS_MAC' : 'AGENT_OS_LINUX';
  return null;
}

/**
 * First token of a command line: the quoted image (`"C:\a b\x.exe" -y`) or up to the first
 * space. Used where an export carries only the command line (EvtxECmd's ExecutableInfo).
 */
export function firstToken(commandLine: string): string {
  const textValue = commandLine.trimStart();
  if (textValue.startsWith('"')) {
    const end = textValue.indexOf('"', 1);
    return end === -1 ? textValue.slice(1) : textValue.slice(1, end);
  }
  const space = textValue.search(/\s/);
  return space === -1 ? textValue : textValue.slice(0, space);
}
