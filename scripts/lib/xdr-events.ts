/**
 * Shared shape and serialisation of synthetic Cortex XDR `xdr_data` events, used by both the sample
 * generator (scripts/gen-sample.ts) and the benchmark generator (scripts/gen-bench-data.ts).
 *
 * Field names and value shapes follow /work/shared/research/xql-xdr.md §2: enums as names without the
 * `ENUM.` prefix (with some `ENUM.`-prefixed and numeric cells to exercise normalisation), `_time` as
 * epoch ms in JSON and as "YYYY-MM-DD HH:MM:SS.mmm UTC" text in CSV, `_vendor` "PANW", `_product`
 * "XDR agent", base64-like `event_id`s.
 */
import type { Rng } from './prng';
import type { HuntFields } from './hunt-eval';

export type EnumCell = string | number;

export interface XdrEvent extends HuntFields {
  _time: number;
  _insert_time: number;
  _vendor: string;
  _product: string;
  agent_hostname: string;
  agent_id: string;
  agent_os_type: EnumCell;
  agent_os_sub_type: string;
  event_id: string;
  event_type: EnumCell;
  event_sub_type: EnumCell | null;
  actor_effective_username: string | null;
  actor_process_image_name: string | null;
  actor_process_image_path: string | null;
  actor_process_command_line: string | null;
  actor_process_os_pid: number | null;
  causality_actor_process_image_name: string | null;
  action_process_image_name: string | null;
  action_process_image_path: string | null;
  action_process_image_command_line: string | null;
  action_process_os_pid: number | null;
  action_process_username: string | null;
  action_file_path: string | null;
  action_remote_ip: string | null;
  action_remote_port: number | null;
  action_external_hostname: string | null;
}

export type Column = keyof XdrEvent;

/** Column order of the sample export. System fields first, as the XQL results table shows them. */
export const SAMPLE_COLUMNS: readonly Column[] = [
  '_time',
  'agent_hostname',
  'agent_id',
  'agent_os_type',
  'agent_os_sub_type',
  'event_type',
  'event_sub_type',
  'event_id',
  'actor_effective_username',
  'actor_process_image_name',
  'actor_process_image_path',
  'actor_process_command_line',
  'actor_process_os_pid',
  'causality_actor_process_image_name',
  'action_process_image_name',
  'action_process_image_path',
  'action_process_image_command_line',
  'action_process_os_pid',
  'action_process_username',
  'action_file_path',
  'action_remote_ip',
  'action_remote_port',
  'action_external_hostname',
  '_product',
  '_vendor',
  '_insert_time',
];

/** Time-valued columns: text in CSV, epoch ms numbers in NDJSON. */
const TIME_COLUMNS: ReadonlySet<Column> = new Set<Column>(['_time', '_insert_time']);

let cachedSecond = NaN;
let cachedPrefix = '';

/** "2025-06-30 14:02:11.123 UTC", the text form seen in XQL stream results (xql-xdr.md §3.1). */
export function formatXdrTime(ms: number): string {
  // Consecutive bench rows share the second, so the Date formatting is cached per second.
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    const iso = new Date(second * 1000).toISOString(); // 2025-06-30T14:02:11.000Z
    cachedPrefix = `${iso.slice(0, 10)} ${iso.slice(11, 19)}.`;
    cachedSecond = second;
  }
  return `${cachedPrefix}${String(ms - second * 1000).padStart(3, '0')} UTC`;
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** RFC 4180 cell: quoted only when needed, quotes doubled. null -> empty cell. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One CSV record without its line terminator. Time columns are written as text unless listed in
 * `epochColumns` (then as epoch ms, the other form exports use).
 */
export function csvRecord(ev: XdrEvent, columns: readonly Column[], epochColumns?: ReadonlySet<Column>): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i] as Column;
    const value = ev[column];
    if (i > 0) line += ',';
    line += TIME_COLUMNS.has(column) && !epochColumns?.has(column) ? formatXdrTime(value as number) : csvCell(value);
  }
  return line;
}

export function csvHeader(columns: readonly Column[]): string {
  return columns.map((c) => csvCell(c)).join(',');
}

const keyPrefixes = new Map<Column, string>();

/**
 * One NDJSON line (no newline): every column present, missing values as null, times as epoch ms.
 * Same text as JSON.stringify of the object, built directly because this is the bench's hot loop.
 */
export function ndjsonRecord(ev: XdrEvent, columns: readonly Column[]): string {
  let line = '{';
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i] as Column;
    let key = keyPrefixes.get(column);
    if (key === undefined) keyPrefixes.set(column, (key = `${JSON.stringify(column)}:`));
    const v = ev[column];
    line += (i > 0 ? ',' : '') + key + (v === null ? 'null' : typeof v === 'number' ? String(v) : JSON.stringify(v));
  }
  return line + '}';
}

/**
 * XDR event ids look like base64 of 16 bytes ("AAABfvQtkk8qn9UKACE2JA=="). Ours: 6 bytes of time,
 * 4 bytes of a global sequence number (this is what makes them unique) and 6 random bytes.
 */
export function makeEventId(timeMs: number, seq: number, rng: Rng): string {
  const bytes = new Uint8Array(16);
  let t = Math.floor(timeMs);
  for (let i = 5; i >= 0; i--) {
    bytes[i] = t % 256;
    t = Math.floor(t / 256);
  }
  bytes[6] = (seq >>> 24) & 0xff;
  bytes[7] = (seq >>> 16) & 0xff;
  bytes[8] = (seq >>> 8) & 0xff;
  bytes[9] = seq & 0xff;
  const r1 = rng.u32();
  const r2 = rng.u32();
  bytes[10] = r1 & 0xff;
  bytes[11] = (r1 >>> 8) & 0xff;
  bytes[12] = (r1 >>> 16) & 0xff;
  bytes[13] = (r1 >>> 24) & 0xff;
  bytes[14] = r2 & 0xff;
  bytes[15] = (r2 >>> 8) & 0xff;
  return Buffer.from(bytes).toString('base64');
}

// ----------------------------------------------------------------------------------------------
// Hosts, users and processes

export type OsKind = 'windows' | 'linux' | 'mac';
export type HostRole = 'workstation' | 'server' | 'linux' | 'mac';

export interface Host {
  hostname: string;
  agentId: string;
  os: OsKind;
  role: HostRole;
  osSubType: string;
  /** Department tag used to pick background activity (fin, eng, it, ...). */
  dept: string;
  /** The logged-on user (`DOMAIN\user` on Windows). */
  user: string;
  /** Long-lived parents (explorer.exe, services.exe, chrome.exe ...) keep one PID per host. */
  pids: Record<string, number>;
}

export const OS_ENUM: Readonly<Record<OsKind, string>> = {
  windows: 'AGENT_OS_WINDOWS',
  linux: 'AGENT_OS_LINUX',
  mac: 'AGENT_OS_MAC',
};

export const SYSTEM = 'NT AUTHORITY\\SYSTEM';
export const LOCAL_SERVICE = 'NT AUTHORITY\\LOCAL SERVICE';
export const NETWORK_SERVICE = 'NT AUTHORITY\\NETWORK SERVICE';

/** The part of `DOMAIN\user` that names the profile folder. */
export function profileName(user: string): string {
  const i = user.lastIndexOf('\\');
  return i >= 0 ? user.slice(i + 1) : user;
}

/** Last path component, for either separator. */
export function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return i >= 0 ? path.slice(i + 1) : path;
}

/** A process as the actor/action columns describe it. */
export interface Proc {
  path: string;
  cmd: string;
  pid: number;
  /** Defaults to the path's last component. */
  name?: string;
}

export function proc(path: string, cmd: string, pid: number, name?: string): Proc {
  return name === undefined ? { path, cmd, pid } : { path, cmd, pid, name };
}

export function procName(p: Proc): string {
  return p.name ?? baseName(p.path);
}

/** How an event's enum cells are spelled; most exports use bare names. */
export type EnumStyle = 'name' | 'prefixed' | 'numeric';

/** Enum cell in the requested style. Numeric is only used where the code is documented. */
export function enumCell(name: string, style: EnumStyle, code: number | null): EnumCell {
  if (style === 'prefixed') return `ENUM.${name}`;
  if (style === 'numeric' && code !== null) return code;
  return name;
}

/** A blank event for a host; callers fill in the action/actor parts. */
export function baseEvent(host: Host, timeMs: number, insertLagMs: number, eventId: string): XdrEvent {
  return {
    _time: timeMs,
    _insert_time: timeMs + insertLagMs,
    _vendor: 'PANW',
    _product: 'XDR agent',
    agent_hostname: host.hostname,
    agent_id: host.agentId,
    agent_os_type: OS_ENUM[host.os],
    agent_os_sub_type: host.osSubType,
    event_id: eventId,
    event_type: 'PROCESS',
    event_sub_type: 'PROCESS_START',
    actor_effective_username: null,
    actor_process_image_name: null,
    actor_process_image_path: null,
    actor_process_command_line: null,
    actor_process_os_pid: null,
    causality_actor_process_image_name: null,
    action_process_image_name: null,
    action_process_image_path: null,
    action_process_image_command_line: null,
    action_process_os_pid: null,
    action_process_username: null,
    action_file_path: null,
    action_remote_ip: null,
    action_remote_port: null,
    action_external_hostname: null,
  };
}

// ----------------------------------------------------------------------------------------------
// Event specs: what a template says happened, before ids and times are attached

export type Category = 'background' | 'attack' | 'lookalike' | 'nearmiss';

/** What the template's author intends the hunt to do with the event; the test checks the evaluator agrees. */
export type Expect = 'both' | 'backslash-only' | 'none';

export interface Label {
  category: Category;
  template: string;
  /** True for attacker activity, whether the hunt sees it or not. */
  malicious: boolean;
  expect?: Expect;
  /** For designed near misses: the one clause (index into CLAUSES) it fails under the backslash reading. */
  nearMiss?: number;
}

interface SpecBase {
  /** Offset from the template's start time. */
  dtMs?: number;
  actor: Proc;
  user: string;
  causality?: string;
  label?: Label;
  style?: EnumStyle;
}

export interface ProcessSpec extends SpecBase {
  kind: 'process';
  sub?: 'PROCESS_START' | 'PROCESS_STOP';
  action: Proc;
  actionUser?: string;
}

export interface FileSpec extends SpecBase {
  kind: 'file';
  sub: 'FILE_CREATE_NEW' | 'FILE_WRITE' | 'FILE_RENAME' | 'FILE_REMOVE';
  file: string;
}

export interface NetworkSpec extends SpecBase {
  kind: 'network';
  ip: string;
  port: number;
  hostname: string | null;
}

export type Spec = ProcessSpec | FileSpec | NetworkSpec;

/** Turns a spec into a full event for one host at one time. */
export function materialize(spec: Spec, host: Host, timeMs: number, insertLagMs: number, eventId: string): XdrEvent {
  const ev = baseEvent(host, timeMs, insertLagMs, eventId);
  const style = spec.style ?? 'name';
  ev.actor_effective_username = spec.user;
  ev.actor_process_image_name = procName(spec.actor);
  ev.actor_process_image_path = spec.actor.path;
  ev.actor_process_command_line = spec.actor.cmd;
  ev.actor_process_os_pid = spec.actor.pid;
  ev.causality_actor_process_image_name = spec.causality ?? procName(spec.actor);
  if (style === 'prefixed') ev.agent_os_type = `ENUM.${OS_ENUM[host.os]}`;
  if (spec.kind === 'process') {
    const sub = spec.sub ?? 'PROCESS_START';
    ev.event_type = enumCell('PROCESS', style, 1);
    ev.event_sub_type = enumCell(sub, style, sub === 'PROCESS_START' ? 1 : null);
    ev.action_process_image_name = procName(spec.action);
    ev.action_process_image_path = spec.action.path;
    ev.action_process_image_command_line = spec.action.cmd;
    ev.action_process_os_pid = spec.action.pid;
    ev.action_process_username = spec.actionUser ?? spec.user;
  } else if (spec.kind === 'file') {
    ev.event_type = enumCell('FILE', style, 3);
    ev.event_sub_type = enumCell(spec.sub, style === 'numeric' ? 'name' : style, null);
    ev.action_file_path = spec.file;
  } else {
    ev.event_type = enumCell('NETWORK', style, 2);
    ev.event_sub_type = enumCell('NETWORK_STREAM', style === 'numeric' ? 'name' : style, null);
    ev.action_remote_ip = spec.ip;
    ev.action_remote_port = spec.port;
    ev.action_external_hostname = spec.hostname;
  }
  return ev;
}
