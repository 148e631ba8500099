import type { RawRecord, Row, Value } from '../engine/value';
import type { BoundProfile, Detection } from '../ingest/profile';
import { parseTime } from '../ingest/normalize';
import { RowPlan, addEventType, addHost } from './builder';
import type { Signature } from './detect';
import { scoreSignature } from './detect';
import type { Accessor, ColumnIndex, Getter } from './fields';
import {
  basenameOfPath,
  coalesceAccessor,
  columnIndex,
  firstAccessor,
  firstToken,
  getPath,
  isAbsent,
  joinDomainUser,
  osFromPath,
  text,
} from './fields';

/**
 * Windows event logs with Sysmon event 1 and Security 4688 rows, in three shapes:
 * - `evtxecmd`: EvtxECmd (KAPE) CSV; EventData is in the `Payload` JSON column, with the
 *   PayloadDataN/ExecutableInfo summary columns as a fallback (research §3h).
 * - `flat`: records whose EventData names are keys (the XML event parser, PowerShell/wevtutil
 *   conversions, Velociraptor `EventData.X`/`System.X`).
 * - `ecs`: Winlogbeat / Elastic Agent ECS documents or a Kibana CSV (research §3c).
 * The Sysmon and Security profiles share this binding, because one export often holds both
 * channels; each row is classified on its own and only its own fields are read.
 */

export type WindowsShape = 'evtxecmd' | 'flat' | 'ecs';
type Kind = 'sysmon' | 'security' | 'other';

interface Ctx {
  kind: Kind;
  /** EventData of an EvtxECmd row (parsed Payload), else null. */
  data: Record<string, string> | null;
}

const SYSMON_PRODUCT = 'Sysmon';
const SECURITY_PRODUCT = 'Windows Security Auditing';

/** Which shape a header describes; null when it is not a Windows event export. */
export function windowsShape(index: ColumnIndex): WindowsShape | null {
  // Splunk exports carry the same EventData names; the Splunk profile owns them.
  if (index.has('EventCode') || index.has('sourcetype')) return null;
  if (index.has('EventId') && (index.has('Payload') || index.has('ExecutableInfo') || index.has('PayloadData1'))) return 'evtxecmd';
  if (
    index.has('process.command_line') ||
    index.has('process.executable') ||
    index.has('process.name') ||
    (index.has('process') && (index.has('@timestamp') || index.has('event') || index.has('winlog')))
  ) {
    return 'ecs';
  }
  if (index.has('EventID') || index.has('System') || index.has('System.EventID') || index.has('Event')) return 'flat';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Detection

const WINDOWS_SIGNATURES: Record<WindowsShape, { sysmon: Signature; security: Signature }> = {
  evtxecmd: {
    sysmon: {
      label: 'Sysmon (EvtxECmd CSV)',
      required: ['EventId', ['Payload', 'ExecutableInfo'], 'Computer'],
      optional: ['Channel', 'Provider', 'PayloadData1', 'MapDescription', 'EventRecordId', 'TimeCreated'],
    },
    security: {
      label: 'Security 4688 (EvtxECmd CSV)',
      required: ['EventId', ['Payload', 'ExecutableInfo'], 'Computer'],
      optional: ['Channel', 'Provider', 'PayloadData1', 'MapDescription', 'EventRecordId', 'TimeCreated'],
    },
  },
  flat: {
    sysmon: {
      label: 'Sysmon (event records)',
      required: [['EventID', 'System.EventID'], ['Image', 'EventData.Image', 'CommandLine', 'EventData.CommandLine']],
      optional: ['CommandLine', 'ParentImage', 'ProcessGuid', 'UtcTime', 'Computer', 'Channel', 'User'],
    },
    security: {
      label: 'Security 4688 (event records)',
      required: [['EventID', 'System.EventID'], ['NewProcessName', 'EventData.NewProcessName']],
      optional: ['CommandLine', 'ParentProcessName', 'SubjectUserName', 'SubjectDomainName', 'NewProcessId', 'Computer', 'Channel'],
    },
  },
  ecs: {
    sysmon: {
      label: 'Sysmon via Winlogbeat/ECS',
      required: [['process.command_line', 'process.executable', 'process.name'], ['@timestamp', 'event.code', 'host.name']],
      optional: ['process.parent.executable', 'process.parent.command_line', 'host.name', 'user.name', 'event.code', 'winlog.channel'],
    },
    security: {
      label: 'Security 4688 via Winlogbeat/ECS',
      required: [['process.command_line', 'process.executable', 'process.name'], ['@timestamp', 'event.code', 'host.name']],
      optional: ['process.parent.executable', 'host.name', 'user.name', 'event.code', 'winlog.channel'],
    },
  },
};

interface WindowsSampleInfo {
  shape: WindowsShape;
  /** Process-start rows of each source among the sampled records. */
  sysmon: number;
  security: number;
}

function sampleInfo(columns: readonly string[], sample: readonly RawRecord[]): WindowsSampleInfo | null {
  const index = columnIndex(columns);
  const shape = windowsShape(index);
  if (!shape) return null;
  const classify = classifier(index, shape);
  let sysmon = 0;
  let security = 0;
  for (const record of sample) {
    const kind = classify(record);
    if (kind === 'sysmon') sysmon++;
    else if (kind === 'security') security++;
  }
  return { shape, sysmon, security };
}

/**
 * Detection for the two Windows profiles: the same columns, told apart by which event IDs the
 * sample holds (the bonus); with neither in the sample, Sysmon (listed first) wins the tie.
 */
export function detectWindows(columns: readonly string[], sample: readonly RawRecord[], which: 'sysmon' | 'security'): Detection | null {
  const info = sampleInfo(columns, sample);
  if (!info) return null;
  const index = columnIndex(columns);
  const signature = WINDOWS_SIGNATURES[info.shape][which];
  const total = info.sysmon + info.security;
  const share = total === 0 ? 0 : (which === 'sysmon' ? info.sysmon : info.security) / total;
  // A header that names only the other source's EventData (Security's NewProcessName) and no
  // sampled event of this source is the other profile's file.
  const detection = scoreSignature(index, sample, signature, 0.05 * share);
  if (!detection) return null;
  if (total > 0 && share === 0) return { ...detection, score: detection.score - 0.1 };
  const count = which === 'sysmon' ? info.sysmon : info.security;
  return count > 0 ? { ...detection, reason: `${detection.reason} (${count} ${which === 'sysmon' ? 'event 1' : '4688'} in sample)` } : detection;
}

// ---------------------------------------------------------------------------------------------
// Field access per shape

/** EventData/System value of a flat record: the key itself, or Velociraptor's nested form. */
function flatGetter(index: ColumnIndex, name: string, system = false): Getter {
  const candidates = system
    ? [name, `System.${name}`, `Event.System.${name}`]
    : [name, `EventData.${name}`, `Event.EventData.${name}`];
  const found = coalesceAccessor(index, candidates);
  // Keys vary by event ID and the header is only the union of the first records' keys, so a
  // name missing from it is still read from every record.
  if (!found) return (raw) => raw[name];
  const get = found.get;
  return index.has(name) ? get : (raw) => get(raw) ?? raw[name];
}

/** System.EventID may be `{"#text": "1", "Qualifiers": ..}` or `{"Value": 1}` in JSON conversions. */
function scalar(value: unknown): string | null {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    return text(object['#text'] ?? object.Value ?? object.value ?? object.SystemTime ?? object.Name);
  }
  return text(value);
}

interface SystemGetters {
  eventId: Getter;
  provider: Getter | null;
  channel: Getter | null;
}

function systemGetters(index: ColumnIndex, shape: WindowsShape): SystemGetters {
  if (shape === 'evtxecmd') {
    return {
      eventId: firstAccessor(index, ['EventId'])?.get ?? (() => null),
      provider: firstAccessor(index, ['Provider'])?.get ?? null,
      channel: firstAccessor(index, ['Channel'])?.get ?? null,
    };
  }
  if (shape === 'ecs') {
    return {
      eventId: coalesceAccessor(index, ['event.code', 'winlog.event_id'])?.get ?? (() => null),
      provider: coalesceAccessor(index, ['event.provider', 'winlog.provider_name', 'event.module'])?.get ?? null,
      channel: coalesceAccessor(index, ['winlog.channel'])?.get ?? null,
    };
  }
  return {
    eventId: flatOr(index, ['EventID', 'System.EventID', 'Event.System.EventID', 'EventId', 'Id']),
    provider: flatOr(index, ['Provider', 'System.Provider', 'Event.System.Provider', 'ProviderName']),
    channel: flatOr(index, ['Channel', 'System.Channel', 'Event.System.Channel', 'LogName']),
  };
}

function flatOr(index: ColumnIndex, candidates: readonly string[]): Getter {
  const found = coalesceAccessor(index, candidates);
  const first = candidates[0];
  return found ? found.get : (raw) => raw[first];
}

function classifier(index: ColumnIndex, shape: WindowsShape): (raw: RawRecord) => Kind {
  const system = systemGetters(index, shape);
  const ecsFallback = shape === 'ecs' ? ecsStartTest(index) : null;
  return (raw) => {
    const id = scalar(system.eventId(raw))?.trim() ?? null;
    const provider = system.provider ? scalar(system.provider(raw)) : null;
    const channel = system.channel ? scalar(system.channel(raw)) : null;
    if (id === '1' && (provider === null || /sysmon/i.test(provider)) && (channel === null || /sysmon/i.test(channel))) return 'sysmon';
    if (
      id === '4688' &&
      (provider === null || /security-auditing|^security$/i.test(provider)) &&
      (channel === null || /^security$/i.test(channel))
    ) {
      return 'security';
    }
    if (id === null && ecsFallback && ecsFallback(raw)) return 'sysmon';
    return 'other';
  };
}

/** ECS rows without an event code: `event.category: process` + `event.type: start`, or a bare process export. */
function ecsStartTest(index: ColumnIndex): Getter {
  const category = coalesceAccessor(index, ['event.category'])?.get;
  const type = coalesceAccessor(index, ['event.type'])?.get;
  const action = coalesceAccessor(index, ['event.action'])?.get;
  const command = coalesceAccessor(index, ['process.command_line', 'process.executable'])?.get;
  const has = (value: unknown, wanted: string): boolean =>
    Array.isArray(value) ? value.some((v) => String(v).toLowerCase() === wanted) : String(value ?? '').toLowerCase().split(/[,\s]+/).includes(wanted);
  return (raw) => {
    const c = category?.(raw);
    const t = type?.(raw);
    const a = action?.(raw);
    if (c !== undefined || t !== undefined) return has(c, 'process') && has(t, 'start');
    if (a !== undefined && a !== null && a !== '') return /process creat|created-process|process_started|start/i.test(String(a));
    // A Kibana CSV of chosen columns has no event.* at all: a process row is all it can be.
    return command ? !isAbsent(command(raw)) : false;
  };
}

/** EvtxECmd `Payload`: {"EventData":{"Data":[{"@Name":"Image","#text":"C:\\..."}, ...]}}. */
export function parseEvtxEcmdPayload(payload: unknown): Record<string, string> | null {
  if (typeof payload !== 'string' || payload === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return null;
  }
  const container = getPath(parsed, 'EventData') ?? getPath(parsed, 'UserData');
  const data = getPath(container, 'Data') ?? container;
  const items = Array.isArray(data) ? data : [data];
  const out: Record<string, string> = {};
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    const entry = item as Record<string, unknown>;
    const name = entry['@Name'];
    if (typeof name !== 'string') continue;
    const value = entry['#text'];
    out[name] = value === undefined || value === null ? '' : String(value);
  }
  return out;
}

/** `ParentProcess: C:\x.exe` -> `C:\x.exe` (EvtxECmd PayloadDataN summaries). */
function afterLabel(value: unknown, label: string): string | null {
  const textValue = text(value);
  if (textValue === null) return null;
  return textValue.toLowerCase().startsWith(label.toLowerCase()) ? textValue.slice(label.length).trim() || null : null;
}

// ---------------------------------------------------------------------------------------------
// Binding

/** Per-shape reader of the EventData values the rows need. */
type DataReader = (raw: RawRecord, ctx: Ctx, name: string) => string | null;

export function bindWindows(profileId: string, columns: readonly string[], overrides?: Readonly<Record<string, string>>): BoundProfile {
  const index = columnIndex(columns);
  const shape = windowsShape(index) ?? 'flat';
  if (shape === 'ecs') return bindEcs(profileId, index, overrides);
  const classify = classifier(index, shape);
  const payload = shape === 'evtxecmd' ? firstAccessor(index, ['Payload']) : null;
  const prepare = (raw: RawRecord): Ctx => {
    const kind = classify(raw);
    // Only process starts need EventData; parsing other rows' JSON would be wasted.
    const data = payload && kind !== 'other' ? parseEvtxEcmdPayload(payload.get(raw)) : null;
    return { kind, data };
  };
  const plan = new RowPlan<Ctx>(profileId, index, prepare);

  const flatCache = new Map<string, Getter>();
  const read: DataReader =
    shape === 'evtxecmd'
      ? (_raw, ctx, name) => (ctx.data ? text(ctx.data[name]) : null)
      : (raw, _ctx, name) => {
          let get = flatCache.get(name);
          if (!get) {
            get = flatGetter(index, name);
            flatCache.set(name, get);
          }
          return text(scalar(get(raw)));
        };
  // Resolve the flat getters now so toRow does no map misses.
  if (shape === 'flat') {
    for (const name of DATA_NAMES) flatCache.set(name, flatGetter(index, name));
  }
  const col = (candidates: readonly string[]): Getter | null => firstAccessor(index, candidates)?.get ?? null;
  const summary = {
    executableInfo: col(['ExecutableInfo']),
    userName: col(['UserName']),
    payload1: col(['PayloadData1']),
    payload2: col(['PayloadData2']),
    payload4: col(['PayloadData4']),
    payload6: col(['PayloadData6']),
  };

  const timeCreated = shape === 'evtxecmd' ? col(['TimeCreated']) : flatSystem(index, 'TimeCreated');
  plan.derived('_time', shape === 'evtxecmd' ? 'UtcTime (Payload) for Sysmon, else TimeCreated' : 'UtcTime for Sysmon, else TimeCreated', (raw, _row, ctx) => {
    const utc = ctx.kind === 'sysmon' ? read(raw, ctx, 'UtcTime') : null;
    return parseTime(utc ?? scalar(timeCreated?.(raw)));
  });
  const computer = shape === 'evtxecmd' ? firstAccessor(index, ['Computer']) : { source: 'Computer', get: flatSystem(index, 'Computer') };
  addHost(plan, computer);
  const recordId = shape === 'evtxecmd' ? col(['EventRecordId', 'RecordNumber']) : flatSystem(index, 'EventRecordID');
  if (recordId) plan.derived('event_id', 'EventRecordID', (raw) => scalar(recordId(raw)));

  addEventType(plan, 'PROCESS for Sysmon event 1 and Security 4688, else EVENT_LOG', (_raw, ctx) => ctx.kind !== 'other');

  plan.derived('action_process_image_path', 'Image (Sysmon 1) | NewProcessName (4688)', (raw, _row, ctx) => {
    if (ctx.kind === 'sysmon') return read(raw, ctx, 'Image') ?? imageFromExecutableInfo(summary.executableInfo?.(raw), false);
    if (ctx.kind === 'security') return read(raw, ctx, 'NewProcessName') ?? imageFromExecutableInfo(summary.executableInfo?.(raw), true);
    return null;
  });
  plan.derived('action_process_image_name', 'basename(action_process_image_path)', (_raw, row) => baseOf(row.action_process_image_path));
  plan.derived('action_process_image_command_line', 'CommandLine', (raw, _row, ctx) => {
    if (ctx.kind === 'other') return null;
    const command = read(raw, ctx, 'CommandLine');
    if (command !== null || shape !== 'evtxecmd') return command;
    const info = text(summary.executableInfo?.(raw));
    if (info === null || ctx.kind === 'sysmon') return info;
    // 4688's ExecutableInfo is "NewProcessName CommandLine".
    const image = imageFromExecutableInfo(info, true);
    return image && info.startsWith(image) ? info.slice(image.length).trim() || null : info;
  });
  plan.derived('actor_effective_username', 'User (Sysmon 1) | TargetDomainName\\TargetUserName or SubjectDomainName\\SubjectUserName (4688)', (raw, _row, ctx) => {
    if (ctx.kind === 'sysmon') return read(raw, ctx, 'User') ?? text(summary.userName?.(raw));
    if (ctx.kind === 'security') {
      const target = read(raw, ctx, 'TargetUserName');
      if (!isAbsent(target)) return joinDomainUser(read(raw, ctx, 'TargetDomainName'), target);
      const subject = read(raw, ctx, 'SubjectUserName');
      if (!isAbsent(subject)) return joinDomainUser(read(raw, ctx, 'SubjectDomainName'), subject);
      return text(summary.userName?.(raw));
    }
    return read(raw, ctx, 'User');
  });
  plan.derived('action_process_os_pid', 'ProcessId (Sysmon 1) | NewProcessId (4688, hex kept)', (raw, _row, ctx) => {
    if (ctx.kind === 'sysmon') return read(raw, ctx, 'ProcessId') ?? pidFromSummary(summary.payload1?.(raw), 'ProcessID:');
    if (ctx.kind === 'security') return read(raw, ctx, 'NewProcessId') ?? afterLabel(summary.payload2?.(raw), 'PID:');
    return null;
  });
  plan.derived('actor_process_image_path', 'ParentImage (Sysmon 1) | ParentProcessName (4688) | Image (other events)', (raw, _row, ctx) => {
    if (ctx.kind === 'sysmon') return read(raw, ctx, 'ParentImage') ?? afterLabel(summary.payload4?.(raw), 'ParentProcess:');
    if (ctx.kind === 'security') return read(raw, ctx, 'ParentProcessName') ?? afterLabel(summary.payload1?.(raw), 'Parent process:');
    // In a non-process event (network, file, registry) Image is the acting process.
    return read(raw, ctx, 'Image');
  });
  plan.derived('actor_process_image_name', 'basename(actor_process_image_path)', (_raw, row) => baseOf(row.actor_process_image_path));
  plan.derived('actor_process_command_line', 'ParentCommandLine (Sysmon 1)', (raw, _row, ctx) =>
    ctx.kind === 'sysmon' ? (read(raw, ctx, 'ParentCommandLine') ?? afterLabel(summary.payload6?.(raw), 'ParentCommandLine:')) : null,
  );
  plan.derived('actor_process_os_pid', 'ParentProcessId (Sysmon 1) | ProcessId (4688) | ProcessId (other events)', (raw, _row, ctx) => {
    if (ctx.kind === 'sysmon') return read(raw, ctx, 'ParentProcessId');
    return read(raw, ctx, 'ProcessId');
  });
  addWindowsTail(plan, (_raw, ctx) => {
    if (ctx.kind === 'sysmon') return SYSMON_PRODUCT;
    if (ctx.kind === 'security') return SECURITY_PRODUCT;
    return null;
  });
  return plan.build(overrides);
}

/** Every EventData name the flat shape reads. */
const DATA_NAMES = [
  'UtcTime', 'Image', 'NewProcessName', 'CommandLine', 'User', 'TargetUserName', 'TargetDomainName', 'SubjectUserName',
  'SubjectDomainName', 'ProcessId', 'NewProcessId', 'ParentImage', 'ParentProcessName', 'ParentCommandLine', 'ParentProcessId',
];

function flatSystem(index: ColumnIndex, name: string): Getter {
  return flatGetter(index, name, true);
}

function baseOf(value: Value): string | null {
  return typeof value === 'string' && value !== '' ? basenameOfPath(value) : null;
}

/**
 * The image from EvtxECmd's ExecutableInfo when the Payload is missing: Sysmon's is the command
 * line (first token); 4688's is "NewProcessName CommandLine", where the unquoted path may hold
 * spaces, so it is cut after the first `.exe`.
 */
function imageFromExecutableInfo(value: unknown, security: boolean): string | null {
  const info = text(value);
  if (info === null) return null;
  if (security) {
    const at = info.toLowerCase().indexOf('.exe');
    if (at !== -1) return info.slice(0, at + 4);
  }
  const token = firstToken(info);
  return token === '' ? null : token;
}

/** `ProcessID: 1234, ProcessGUID: {...}` -> `1234`. */
function pidFromSummary(value: unknown, label: string): string | null {
  const after = afterLabel(value, label);
  if (after === null) return null;
  const comma = after.indexOf(',');
  return (comma === -1 ? after : after.slice(0, comma)).trim() || null;
}

/** OS, product and vendor for every Windows shape. */
function addWindowsTail<C>(plan: RowPlan<C>, product: (raw: RawRecord, ctx: C) => string | null): void {
  plan.derived('agent_os_type', 'AGENT_OS_WINDOWS (Sysmon for Linux by its paths)', (_raw, row) => {
    const path = typeof row.action_process_image_path === 'string' ? row.action_process_image_path : typeof row.actor_process_image_path === 'string' ? row.actor_process_image_path : null;
    return osFromPath(path) ?? 'AGENT_OS_WINDOWS';
  });
  plan.derived('_product', `"${SYSMON_PRODUCT}" | "${SECURITY_PRODUCT}" | "Windows Event Log"`, (raw, _row, ctx) => product(raw, ctx) ?? 'Windows Event Log');
  plan.constant('_vendor', 'Microsoft');
}

// ---------------------------------------------------------------------------------------------
// ECS

/** Kibana's default date format `Jun 30, 2025 @ 14:03:12.345` (browser time zone; read as UTC). */
function ecsTime(value: unknown): number | null {
  if (typeof value === 'string' && value.includes(' @ ')) return parseTime(value.replace(' @ ', ' '));
  return parseTime(value);
}

function bindEcs(profileId: string, index: ColumnIndex, overrides?: Readonly<Record<string, string>>): BoundProfile {
  const classify = classifier(index, 'ecs');
  const plan = new RowPlan<Ctx>(profileId, index, (raw) => ({ kind: classify(raw), data: null }));
  const acc = (candidates: readonly string[]): Accessor | null => coalesceAccessor(index, candidates);

  const time = acc(['@timestamp', 'event.created', 'winlog.time_created']);
  if (time) {
    const get = time.get;
    plan.derived('_time', time.source, (raw) => ecsTime(get(raw)));
  }
  addHost(plan, acc(['host.name', 'winlog.computer_name', 'host.hostname']));
  plan.textColumn('agent_id', acc(['agent.id']));
  plan.textColumn('event_id', acc(['winlog.record_id', 'event.id']));
  addEventType(plan, 'PROCESS for event.code 1 (Sysmon) / 4688, or event.category process + event.type start', (_raw, ctx) => ctx.kind !== 'other');

  const executable = acc(['process.executable']);
  const name = acc(['process.name']);
  const command = acc(['process.command_line']);
  const startOnly = <T>(get: Getter | undefined, map: (v: unknown) => T | null) => (raw: RawRecord, _row: Row, ctx: Ctx): T | null =>
    get && ctx.kind !== 'other' ? map(get(raw)) : null;
  const actorOnly = <T>(get: Getter | undefined, map: (v: unknown) => T | null) => (raw: RawRecord, _row: Row, ctx: Ctx): T | null =>
    get && ctx.kind === 'other' ? map(get(raw)) : null;

  if (executable) plan.derived('action_process_image_path', executable.source, startOnly(executable.get, text));
  if (name) plan.derived('action_process_image_name', name.source, startOnly(name.get, text));
  else if (executable) plan.derived('action_process_image_name', `basename(${executable.source})`, (_raw, row) => baseOf(row.action_process_image_path));
  if (command) plan.derived('action_process_image_command_line', command.source, startOnly(command.get, text));
  const pid = acc(['process.pid']);
  if (pid) plan.derived('action_process_os_pid', pid.source, startOnly(pid.get, (v) => (typeof v === 'number' ? v : text(v))));

  const userName = acc(['user.name']);
  const userDomain = acc(['user.domain']);
  if (userName) {
    const getName = userName.get;
    const getDomain = userDomain?.get;
    plan.derived('actor_effective_username', userDomain ? `${userDomain.source}\\${userName.source}` : userName.source, (raw) =>
      joinDomainUser(getDomain ? getDomain(raw) : null, getName(raw)),
    );
  }

  // A process start's parent is process.parent.*; in other events process.* is the actor.
  const parentExe = acc(['process.parent.executable']);
  const parentName = acc(['process.parent.name']);
  const parentCommand = acc(['process.parent.command_line']);
  const parentPid = acc(['process.parent.pid']);
  if (parentExe || executable) {
    plan.derived('actor_process_image_path', `${parentExe?.source ?? '-'} (process starts) | ${executable?.source ?? '-'} (other events)`, (raw, row, ctx) =>
      startOnly(parentExe?.get, text)(raw, row, ctx) ?? actorOnly(executable?.get, text)(raw, row, ctx),
    );
  }
  if (parentName || name || parentExe || executable) {
    plan.derived('actor_process_image_name', `${parentName?.source ?? 'basename(process.parent.executable)'} | process.name (other events)`, (raw, row, ctx) => {
      const own = ctx.kind === 'other' ? name?.get(raw) : parentName?.get(raw);
      return text(own) ?? baseOf(row.actor_process_image_path ?? null);
    });
  }
  if (parentCommand || command) {
    plan.derived('actor_process_command_line', `${parentCommand?.source ?? '-'} | process.command_line (other events)`, (raw, row, ctx) =>
      startOnly(parentCommand?.get, text)(raw, row, ctx) ?? actorOnly(command?.get, text)(raw, row, ctx),
    );
  }
  if (parentPid || pid) {
    const toPid = (v: unknown): Value => (typeof v === 'number' ? v : text(v));
    plan.derived('actor_process_os_pid', `${parentPid?.source ?? '-'} | process.pid (other events)`, (raw, row, ctx) =>
      startOnly(parentPid?.get, toPid)(raw, row, ctx) ?? actorOnly(pid?.get, toPid)(raw, row, ctx),
    );
  }
  const codes = systemGetters(index, 'ecs');
  addWindowsTail(plan, (raw, ctx) => {
    if (ctx.kind === 'security' || scalar(codes.eventId(raw)) === '4688') return SECURITY_PRODUCT;
    return SYSMON_PRODUCT;
  });
  return plan.build(overrides);
}

/** Used by tests and detection: the kind of each sampled record. */
export function sampleKinds(columns: readonly string[], sample: readonly RawRecord[]): Kind[] {
  const index = columnIndex(columns);
  const shape = windowsShape(index);
  if (!shape) return [];
  const classify = classifier(index, shape);
  return sample.map(classify);
}
