/**
 * Writes src/profiles/fixtures/*: the same activity (src/profiles/fixtures/activity.ts) in every
 * source export shape the profiles read, plus expected.json with the events the bundled hunt
 * must hit in each file under both string-literal readings. Deterministic: running it twice
 * gives the same bytes. Run with `npx tsx scripts/gen-profile-fixtures.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AGENT_ID,
  FIXTURES,
  HOST_FQDN,
  TEMP,
  USER,
  basename,
  crowdstrikeId,
  defenderReportId,
  devicePath,
  expectedHits,
  otherEvents,
  processEvents,
  recordOf,
  sentineloneUid,
  timeOf,
  timeline,
} from '../src/profiles/fixtures/activity';
import type { Account, EscapeReading, OtherEvent, ProcessEvent } from '../src/profiles/fixtures/activity';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'profiles', 'fixtures');

// ---------------------------------------------------------------------------------------------
// Writers

type Cell = string | number | boolean | null | undefined;

/** RFC 4180: quote cells holding a quote, comma, CR or LF (and edge spaces, which some readers trim). */
function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(header: readonly string[], rows: readonly Record<string, Cell>[], eol = '\n'): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(header.map((column) => csvCell(row[column])).join(','));
  return lines.join(eol) + eol;
}

/** Drops null/undefined/"" members, as JSON exporters do. */
function compact(object: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === null || value === undefined || value === '') continue;
    out[key] = typeof value === 'object' && !Array.isArray(value) ? compact(value as Record<string, unknown>) : value;
  }
  return out;
}

function xmlText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;');
}

// ---------------------------------------------------------------------------------------------
// Shared value formats

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Sub-millisecond digits so 7-digit fractions are exercised; parsers truncate them to ms. */
function subMs(event: ProcessEvent | OtherEvent): string {
  return String((event.offsetMs * 7919) % 10_000).padStart(4, '0');
}

function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}

function iso7(event: ProcessEvent | OtherEvent): string {
  return isoMs(timeOf(event)).replace('Z', `${subMs(event)}Z`);
}

/** `2025-06-30 14:02:11.123` (Sysmon UtcTime). */
function utcTime(event: ProcessEvent | OtherEvent): string {
  return isoMs(timeOf(event)).replace('T', ' ').replace('Z', '');
}

/** `2025-06-30 14:02:11.1234567` (EvtxECmd TimeCreated). */
function evtxTime(event: ProcessEvent | OtherEvent): string {
  return utcTime(event) + subMs(event);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Kibana's default `MMM D, YYYY @ HH:mm:ss.SSS`. */
function kibanaTime(event: ProcessEvent | OtherEvent): string {
  const d = new Date(timeOf(event));
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} @ ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/** Splunk `_time` as exported: ISO with the offset. */
function splunkTime(event: ProcessEvent | OtherEvent): string {
  return isoMs(timeOf(event)).replace('Z', '+00:00');
}

function guid(seed: number): string {
  const hex = (seed * 2654435761 >>> 0).toString(16).padStart(8, '0');
  return `{8a1f${hex.slice(0, 4)}-${hex.slice(4)}-685f-${pad(seed % 100)}0c-000000003${String(seed).padStart(3, '0')}}`.toLowerCase();
}

const hex = (n: number): string => `0x${n.toString(16)}`;
const sidOf = (account: Account | null): string => (account === null ? 'S-1-5-18' : account === USER ? 'S-1-5-21-3623811015-3361044348-30300820-1013' : 'S-1-5-21-3623811015-3361044348-30300820-1104');
const windowsUser = (account: Account | null): string => (account ? `${account.domain}\\${account.name}` : 'NT AUTHORITY\\SYSTEM');
const hashes = (event: ProcessEvent): string =>
  `SHA1=${'a'.repeat(36)}${pad(event.seq, 4)},MD5=${'b'.repeat(28)}${pad(event.seq, 4)},SHA256=${'c'.repeat(60)}${pad(event.seq, 4)},IMPHASH=${'d'.repeat(28)}${pad(event.seq, 4)}`;
const integrity = (event: ProcessEvent): string => (event.user ? 'Medium' : 'System');
const SOURCE_IP = '10.20.30.42';

// ---------------------------------------------------------------------------------------------
// Sysmon / Security EventData

type Data = [string, string][];

function sysmonProcessData(event: ProcessEvent): Data {
  return [
    ['RuleName', '-'],
    ['UtcTime', utcTime(event)],
    ['ProcessGuid', guid(event.pid)],
    ['ProcessId', String(event.pid)],
    ['Image', event.image],
    ['FileVersion', '10.0.19041.1 (WinBuild.160101.0800)'],
    ['Description', basename(event.image)],
    ['Product', 'Microsoft® Windows® Operating System'],
    ['Company', 'Microsoft Corporation'],
    ['OriginalFileName', basename(event.image).toUpperCase()],
    ['CommandLine', event.commandLine],
    ['CurrentDirectory', 'C:\\Users\\jürgen.müller\\'],
    ['User', windowsUser(event.user)],
    ['LogonGuid', guid(77)],
    ['LogonId', event.user ? '0x4f2a1' : '0x3e7'],
    ['TerminalSessionId', event.user ? '1' : '0'],
    ['IntegrityLevel', integrity(event)],
    ['Hashes', hashes(event)],
    ['ParentProcessGuid', guid(event.ppid)],
    ['ParentProcessId', String(event.ppid)],
    ['ParentImage', event.parentImage],
    ['ParentCommandLine', event.parentCommandLine],
    ['ParentUser', windowsUser(event.user)],
  ];
}

const SYSMON_OTHER_ID: Record<OtherEvent['kind'], number> = { dns: 22, network: 3, terminate: 5, inject: 8 };

function sysmonOtherData(event: OtherEvent): Data {
  const base: Data = [['RuleName', '-'], ['UtcTime', utcTime(event)]];
  switch (event.kind) {
    case 'dns':
      return [...base, ['ProcessGuid', guid(event.pid)], ['ProcessId', String(event.pid)], ['QueryName', event.remoteHost ?? ''], ['QueryStatus', '0'], ['QueryResults', `::ffff:${event.remoteIp};`], ['Image', event.image], ['User', windowsUser(event.user)]];
    case 'network':
      return [
        ...base, ['ProcessGuid', guid(event.pid)], ['ProcessId', String(event.pid)], ['Image', event.image], ['User', windowsUser(event.user)],
        ['Protocol', 'tcp'], ['Initiated', 'true'], ['SourceIsIpv6', 'false'], ['SourceIp', SOURCE_IP], ['SourceHostname', HOST_FQDN],
        ['SourcePort', '50213'], ['DestinationIsIpv6', 'false'], ['DestinationIp', event.remoteIp ?? ''], ['DestinationHostname', event.remoteHost ?? ''],
        ['DestinationPort', String(event.remotePort ?? 443)],
      ];
    case 'terminate':
      return [...base, ['ProcessGuid', guid(event.pid)], ['ProcessId', String(event.pid)], ['Image', event.image], ['User', windowsUser(event.user)]];
    case 'inject':
      return [
        ...base, ['SourceProcessGuid', guid(event.pid)], ['SourceProcessId', String(event.pid)], ['SourceImage', event.image],
        ['TargetProcessGuid', guid(5010)], ['TargetProcessId', '5010'], ['TargetImage', event.targetImage ?? ''], ['NewThreadId', '7712'],
        ['StartAddress', '0x00000223A1B20000'], ['StartModule', '-'], ['StartFunction', '-'], ['SourceUser', windowsUser(event.user)], ['TargetUser', windowsUser(event.user)],
      ];
  }
}

/** 4688 subject: the creator. ADMIN processes are started by the user with runas, so Target is the admin. */
function securityProcessData(event: ProcessEvent): Data {
  const creator = event.user ? USER : null;
  const target = event.user && event.user !== USER ? event.user : null;
  return [
    ['SubjectUserSid', sidOf(creator)],
    ['SubjectUserName', creator ? creator.name : 'WS042$'],
    ['SubjectDomainName', 'CORP'],
    ['SubjectLogonId', creator ? '0x4f2a1' : '0x3e7'],
    ['NewProcessId', hex(event.pid)],
    ['NewProcessName', event.image],
    ['TokenElevationType', target ? '%%1937' : '%%1938'],
    ['ProcessId', hex(event.ppid)],
    ['CommandLine', event.commandLine],
    ['TargetUserSid', target ? sidOf(target) : 'S-1-0-0'],
    ['TargetUserName', target ? target.name : '-'],
    ['TargetDomainName', target ? target.domain : '-'],
    ['TargetLogonId', target ? '0x6b1c2' : '0x0'],
    ['ParentProcessName', event.parentImage],
    ['MandatoryLabel', event.user ? 'S-1-16-8192' : 'S-1-16-16384'],
  ];
}

const SECURITY_OTHER_ID: Partial<Record<OtherEvent['kind'], number>> = { terminate: 4689, network: 5156 };

function securityOtherData(event: OtherEvent): Data {
  if (event.kind === 'terminate') {
    return [
      ['SubjectUserSid', sidOf(event.user)], ['SubjectUserName', event.user?.name ?? 'WS042$'], ['SubjectDomainName', 'CORP'],
      ['SubjectLogonId', '0x4f2a1'], ['Status', '0x0'], ['ProcessId', hex(event.pid)], ['ProcessName', event.image],
    ];
  }
  return [
    ['ProcessID', String(event.pid)], ['Application', devicePath(event.image).toLowerCase()], ['Direction', '%%14593'],
    ['SourceAddress', SOURCE_IP], ['SourcePort', '50213'], ['DestAddress', event.remoteIp ?? ''], ['DestPort', String(event.remotePort ?? 443)],
    ['Protocol', '6'], ['FilterRTID', '0'], ['LayerName', '%%14611'], ['LayerRTID', '48'],
  ];
}

const securityOthers = otherEvents.filter((event) => SECURITY_OTHER_ID[event.kind] !== undefined);

/** The timeline restricted to the events a log holds. */
function logItems(others: readonly OtherEvent[]): { event: ProcessEvent | OtherEvent; process: boolean; record: number }[] {
  return timeline
    .filter((item) => item.kind === 'process' || others.includes(item.event))
    .map((item) => ({ event: item.event, process: item.kind === 'process', record: item.record }));
}

// ---------------------------------------------------------------------------------------------
// Defender

function defender(): string {
  const header = [
    'Timestamp', 'DeviceId', 'DeviceName', 'ActionType', 'FileName', 'FolderPath', 'SHA256', 'ProcessId', 'ProcessCommandLine',
    'ProcessIntegrityLevel', 'AccountDomain', 'AccountName', 'AccountSid', 'InitiatingProcessAccountDomain', 'InitiatingProcessAccountName',
    'InitiatingProcessFileName', 'InitiatingProcessId', 'InitiatingProcessCommandLine', 'InitiatingProcessFolderPath',
    'InitiatingProcessParentFileName', 'ReportId', 'AdditionalFields',
  ];
  const account = (user: Account | null): Record<string, string> =>
    user ? { domain: user.domain.toLowerCase(), name: user.name } : { domain: 'nt authority', name: 'system' };
  const rows = logItems(otherEvents).map(({ event, process }, i): Record<string, Cell> => {
    const common = { Timestamp: iso7(event), DeviceId: AGENT_ID, DeviceName: HOST_FQDN.toLowerCase() };
    if (process) {
      const e = event as ProcessEvent;
      const a = account(e.user);
      return {
        ...common,
        ActionType: 'ProcessCreated',
        FileName: basename(e.image),
        // One row gives only the folder, as the schema documents FolderPath.
        FolderPath: e.seq === 6 ? e.image.slice(0, e.image.lastIndexOf('\\')) : e.image,
        SHA256: `${'c'.repeat(60)}${pad(e.seq, 4)}`,
        ProcessId: e.pid,
        ProcessCommandLine: e.commandLine,
        ProcessIntegrityLevel: integrity(e),
        AccountDomain: a.domain,
        AccountName: a.name,
        AccountSid: sidOf(e.user),
        InitiatingProcessAccountDomain: a.domain,
        InitiatingProcessAccountName: a.name,
        InitiatingProcessFileName: basename(e.parentImage),
        InitiatingProcessId: e.ppid,
        InitiatingProcessCommandLine: e.parentCommandLine,
        InitiatingProcessFolderPath: e.parentImage,
        ReportId: defenderReportId(e),
        AdditionalFields: e.seq === 1 ? '{"ProcessStartKey":1125899906842725,"Note":"a, \\"quoted\\" value"}' : '',
      };
    }
    const o = event as OtherEvent;
    const a = account(o.user);
    const action = { dns: 'DnsQueryResponse', network: 'ConnectionSuccess', terminate: 'OpenProcessApiCall', inject: 'CreateRemoteThreadApiCall' }[o.kind];
    // DeviceEvents rows name the target process in FileName/ProcessCommandLine: the terminated
    // cmd.exe's command line matches the hunt's text, and the row must still not be a hit.
    const target = o.kind === 'terminate' ? { name: basename(o.image), path: o.image, cmd: o.commandLine } : o.kind === 'inject' ? { name: 'notepad.exe', path: o.targetImage ?? '', cmd: 'notepad.exe' } : null;
    return {
      ...common,
      ActionType: action,
      FileName: target?.name,
      FolderPath: target?.path,
      ProcessCommandLine: target?.cmd,
      AccountDomain: target ? a.domain : '',
      AccountName: target ? a.name : '',
      InitiatingProcessAccountDomain: a.domain,
      InitiatingProcessAccountName: a.name,
      InitiatingProcessFileName: o.kind === 'terminate' ? 'explorer.exe' : basename(o.image),
      InitiatingProcessId: o.kind === 'terminate' ? 4120 : o.pid,
      InitiatingProcessCommandLine: o.kind === 'terminate' ? 'C:\\WINDOWS\\Explorer.EXE' : o.commandLine ?? '',
      InitiatingProcessFolderPath: o.kind === 'terminate' ? 'C:\\Windows\\explorer.exe' : o.image,
      ReportId: String(30_000 + i),
      AdditionalFields: o.kind === 'dns' ? JSON.stringify({ DnsQueryString: o.remoteHost, DnsQueryResult: [{ Address: o.remoteIp }] }) : '',
    };
  });
  return csv(header, rows, '\r\n');
}

// ---------------------------------------------------------------------------------------------
// EvtxECmd

const EVTXECMD_HEADER = [
  'RecordNumber', 'EventRecordId', 'TimeCreated', 'EventId', 'Level', 'Provider', 'Channel', 'ProcessId', 'ThreadId', 'Computer',
  'ChunkNumber', 'UserId', 'MapDescription', 'UserName', 'RemoteHost', 'PayloadData1', 'PayloadData2', 'PayloadData3', 'PayloadData4',
  'PayloadData5', 'PayloadData6', 'ExecutableInfo', 'HiddenRecord', 'SourceFile', 'Keywords', 'ExtraDataOffset', 'Payload',
];

function payload(data: Data): string {
  return JSON.stringify({ EventData: { Data: data.map(([name, value]) => (value === '' ? { '@Name': name } : { '@Name': name, '#text': value })) } });
}

const dataValue = (data: Data, name: string): string => data.find(([n]) => n === name)?.[1] ?? '';

function sysmonEvtxecmd(): string {
  const rows = logItems(otherEvents).map(({ event, process, record }): Record<string, Cell> => {
    const data = process ? sysmonProcessData(event as ProcessEvent) : sysmonOtherData(event as OtherEvent);
    const id = process ? 1 : SYSMON_OTHER_ID[(event as OtherEvent).kind];
    const common = {
      RecordNumber: record, EventRecordId: record, TimeCreated: evtxTime(event), EventId: id, Level: 'Info',
      Provider: 'Microsoft-Windows-Sysmon', Channel: 'Microsoft-Windows-Sysmon/Operational', ProcessId: 3012, ThreadId: 4420,
      Computer: HOST_FQDN, ChunkNumber: 0, UserId: 'S-1-5-18', HiddenRecord: 'False', ExtraDataOffset: 0, Keywords: 'Classic',
      SourceFile: 'C:\\Windows\\System32\\winevt\\Logs\\Microsoft-Windows-Sysmon%4Operational.evtx', Payload: payload(data),
    };
    if (process) {
      const e = event as ProcessEvent;
      return {
        ...common,
        MapDescription: 'Process creation',
        UserName: windowsUser(e.user),
        PayloadData1: `ProcessID: ${e.pid}, ProcessGUID: ${guid(e.pid)}`,
        PayloadData2: 'RuleName: -',
        PayloadData3: hashes(e),
        PayloadData4: `ParentProcess: ${e.parentImage}`,
        PayloadData5: `ParentProcessID: ${e.ppid}, ParentProcessGUID: ${guid(e.ppid)}`,
        PayloadData6: `ParentCommandLine: ${e.parentCommandLine}`,
        ExecutableInfo: e.commandLine,
      };
    }
    const o = event as OtherEvent;
    const descriptions = { dns: 'DNS query', network: 'Network connection', terminate: 'Process terminated', inject: 'CreateRemoteThread detected' };
    return {
      ...common,
      MapDescription: descriptions[o.kind],
      UserName: windowsUser(o.user),
      RemoteHost: o.remoteHost ? `${o.remoteHost} (${o.remoteIp})` : '',
      PayloadData1: `ProcessID: ${o.pid}`,
      ExecutableInfo: o.kind === 'inject' ? dataValue(data, 'SourceImage') : dataValue(data, 'Image'),
    };
  });
  return csv(EVTXECMD_HEADER, rows);
}

function securityEvtxecmd(): string {
  const rows = logItems(securityOthers).map(({ event, process, record }): Record<string, Cell> => {
    const data = process ? securityProcessData(event as ProcessEvent) : securityOtherData(event as OtherEvent);
    const id = process ? 4688 : (SECURITY_OTHER_ID[(event as OtherEvent).kind] as number);
    const common = {
      RecordNumber: record, EventRecordId: record, TimeCreated: evtxTime(event), EventId: id, Level: 'LogAlways',
      Provider: 'Microsoft-Windows-Security-Auditing', Channel: 'Security', ProcessId: 4, ThreadId: 7780, Computer: HOST_FQDN,
      ChunkNumber: 0, HiddenRecord: 'False', ExtraDataOffset: 0, Keywords: 'Audit success',
      SourceFile: 'C:\\Windows\\System32\\winevt\\Logs\\Security.evtx', Payload: payload(data),
    };
    if (process) {
      const e = event as ProcessEvent;
      const target = dataValue(data, 'TargetUserName');
      return {
        ...common,
        MapDescription: 'A new process has been created',
        UserName: `${dataValue(data, 'SubjectDomainName')}\\${dataValue(data, 'SubjectUserName')}`,
        PayloadData1: `Parent process: ${e.parentImage}`,
        PayloadData2: `PID: ${hex(e.pid)}`,
        PayloadData3: `Parent PID: ${hex(e.ppid)}`,
        PayloadData4: `Mandatory label: ${dataValue(data, 'MandatoryLabel')}`,
        PayloadData5: `Target User: ${dataValue(data, 'TargetDomainName')}\\${target}`,
        ExecutableInfo: `${e.image} ${e.commandLine}`,
      };
    }
    const o = event as OtherEvent;
    return {
      ...common,
      MapDescription: o.kind === 'terminate' ? 'A process has exited' : 'The Windows Filtering Platform has permitted a connection',
      UserName: o.kind === 'terminate' ? `CORP\\${o.user?.name ?? 'WS042$'}` : '',
      RemoteHost: o.remoteIp ? `${o.remoteIp}:${o.remotePort}` : '',
      PayloadData1: o.kind === 'terminate' ? `ProcessName: ${o.image}` : `Application: ${devicePath(o.image).toLowerCase()}`,
      ExecutableInfo: o.kind === 'terminate' ? o.image : devicePath(o.image).toLowerCase(),
    };
  });
  return csv(EVTXECMD_HEADER, rows);
}

// ---------------------------------------------------------------------------------------------
// Event XML (Event Viewer "Save as XML": one <Events> wrapper, one event per line)

function xmlEvent(system: { provider: string; guid: string; id: number; version: number; task: number; keywords: string; channel: string; pid: number; tid: number; userId: string | null }, event: ProcessEvent | OtherEvent, record: number, data: Data): string {
  const parts = [
    '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System>',
    `<Provider Name="${system.provider}" Guid="${system.guid}"/>`,
    `<EventID>${system.id}</EventID><Version>${system.version}</Version><Level>${system.id === 4688 || system.id > 4000 ? 0 : 4}</Level>`,
    `<Task>${system.task}</Task><Opcode>0</Opcode><Keywords>${system.keywords}</Keywords>`,
    `<TimeCreated SystemTime="${iso7(event)}"/><EventRecordID>${record}</EventRecordID><Correlation/>`,
    `<Execution ProcessID="${system.pid}" ThreadID="${system.tid}"/><Channel>${system.channel}</Channel><Computer>${HOST_FQDN}</Computer>`,
    system.userId ? `<Security UserID="${system.userId}"/>` : '<Security/>',
    '</System><EventData>',
    ...data.map(([name, value]) => (value === '' ? `<Data Name="${name}"/>` : `<Data Name="${name}">${xmlText(value)}</Data>`)),
    '</EventData></Event>',
  ];
  return parts.join('');
}

function sysmonXml(): string {
  const events = logItems(otherEvents).map(({ event, process, record }) => {
    const id = process ? 1 : SYSMON_OTHER_ID[(event as OtherEvent).kind];
    const data = process ? sysmonProcessData(event as ProcessEvent) : sysmonOtherData(event as OtherEvent);
    return xmlEvent(
      { provider: 'Microsoft-Windows-Sysmon', guid: '{5770385f-c22a-43e0-bf4c-06f5698ffbd9}', id, version: 5, task: id, keywords: '0x8000000000000000', channel: 'Microsoft-Windows-Sysmon/Operational', pid: 3012, tid: 4420, userId: 'S-1-5-18' },
      event, record, data,
    );
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\r\n<Events>\r\n${events.join('\r\n')}\r\n</Events>\r\n`;
}

function securityXml(): string {
  // wevtutil qe Security /f:xml style: bare events, no wrapper, no declaration.
  const events = logItems(securityOthers).map(({ event, process, record }) => {
    const id = process ? 4688 : (SECURITY_OTHER_ID[(event as OtherEvent).kind] as number);
    const data = process ? securityProcessData(event as ProcessEvent) : securityOtherData(event as OtherEvent);
    return xmlEvent(
      { provider: 'Microsoft-Windows-Security-Auditing', guid: '{54849625-5478-4994-a5ba-3e3b0328c30d}', id, version: id === 4688 ? 2 : 1, task: id === 4688 ? 13312 : id === 4689 ? 13313 : 12810, keywords: '0x8020000000000000', channel: 'Security', pid: 4, tid: 7780, userId: null },
      event, record, data,
    );
  });
  return events.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Winlogbeat / ECS and Kibana

function splitUser(account: Account | null): { domain: string; name: string } {
  return account ? { domain: account.domain, name: account.name } : { domain: 'NT AUTHORITY', name: 'SYSTEM' };
}

function ecsDocument(event: ProcessEvent | OtherEvent, process: boolean, record: number): Record<string, unknown> {
  const host = { name: HOST_FQDN.toLowerCase(), hostname: 'ws042', os: { family: 'windows', platform: 'windows', type: 'windows' } };
  const agent = { id: AGENT_ID, type: 'winlogbeat', version: '8.14.3' };
  const code = process ? 1 : SYSMON_OTHER_ID[(event as OtherEvent).kind];
  const winlog = { record_id: record, channel: 'Microsoft-Windows-Sysmon/Operational', computer_name: HOST_FQDN, event_id: String(code), provider_name: 'Microsoft-Windows-Sysmon' };
  if (process) {
    const e = event as ProcessEvent;
    return compact({
      '@timestamp': isoMs(timeOf(e)),
      event: { code: '1', kind: 'event', category: ['process'], type: ['start'], action: 'Process Create (rule: ProcessCreate)', module: 'sysmon', provider: 'Microsoft-Windows-Sysmon', created: isoMs(timeOf(e) + 412) },
      host, agent, winlog,
      process: {
        entity_id: guid(e.pid), pid: e.pid, executable: e.image, name: basename(e.image), command_line: e.commandLine,
        working_directory: 'C:\\Users\\jürgen.müller\\', pe: { original_file_name: basename(e.image).toUpperCase() },
        parent: { entity_id: guid(e.ppid), pid: e.ppid, executable: e.parentImage, name: basename(e.parentImage), command_line: e.parentCommandLine },
      },
      user: splitUser(e.user),
    });
  }
  const o = event as OtherEvent;
  const categories = { dns: ['network'], network: ['network'], terminate: ['process'], inject: ['process'] };
  const types = { dns: ['protocol', 'info'], network: ['connection', 'start'], terminate: ['end'], inject: ['change'] };
  return compact({
    '@timestamp': isoMs(timeOf(o)),
    event: { code: String(code), kind: 'event', category: categories[o.kind], type: types[o.kind], module: 'sysmon', provider: 'Microsoft-Windows-Sysmon' },
    host, agent, winlog,
    process: { pid: o.pid, executable: o.image, name: basename(o.image) },
    dns: o.kind === 'dns' ? { question: { name: o.remoteHost } } : undefined,
    destination: o.kind === 'network' ? { ip: o.remoteIp, port: o.remotePort, domain: o.remoteHost } : undefined,
    user: splitUser(o.user),
  });
}

/** `{"a":{"b":1}}` -> `{"a.b":1}` (some shippers and hand exports write dotted keys). */
function flatten(object: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [key, value] of Object.entries(object)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) flatten(value as Record<string, unknown>, path, out);
    else out[path] = value;
  }
  return out;
}

/** Lines with dotted keys among the nested ones, to keep both readings honest. */
const DOTTED_SEQS = new Set([5, 12]);

function sysmonEcs(): string {
  return (
    logItems(otherEvents)
      .map(({ event, process, record }) => {
        const doc = ecsDocument(event, process, record);
        return JSON.stringify(process && DOTTED_SEQS.has((event as ProcessEvent).seq) ? flatten(doc) : doc);
      })
      .join('\n') + '\n'
  );
}

function sysmonKibana(): string {
  const header = [
    '@timestamp', 'host.name', 'user.domain', 'user.name', 'event.code', 'event.action', 'process.pid', 'process.name', 'process.executable',
    'process.command_line', 'process.parent.name', 'process.parent.executable', 'process.parent.command_line', 'winlog.record_id',
  ];
  const rows = logItems(otherEvents).map(({ event, process, record }) => {
    const flat = flatten(ecsDocument(event, process, record));
    const row: Record<string, Cell> = {};
    for (const column of header) {
      const value = flat[column];
      row[column] = Array.isArray(value) ? value.join(', ') : (value as Cell);
    }
    row['@timestamp'] = kibanaTime(event);
    return row;
  });
  return csv(header, rows);
}

// ---------------------------------------------------------------------------------------------
// CrowdStrike

const CS_HEADER = [
  'timestamp', 'event_simpleName', 'name', 'aid', 'cid', 'aip', 'ComputerName', 'event_platform', 'UserName', 'UserSid', 'ImageFileName',
  'CommandLine', 'TargetProcessId', 'RawProcessId', 'ParentProcessId', 'ParentBaseFileName', 'SHA256HashData', 'ContextTimeStamp',
  'ContextProcessId', 'DomainName', 'RemoteAddressIP4', 'RemotePort', 'id',
];

const upid = (pid: number): string => String(100_000_000_000 + pid * 7);

function crowdstrikeRecords(): Record<string, string>[] {
  return logItems(otherEvents).map(({ event, process }, i) => {
    const seconds = `${Math.floor(timeOf(event) / 1000)}.${pad(timeOf(event) % 1000, 3)}`;
    const common = {
      timestamp: String(timeOf(event)), aid: AGENT_ID, cid: 'f0e1d2c3b4a5968778695a4b3c2d1e0f', aip: '198.51.100.17', ComputerName: 'WS042',
      event_platform: 'Win', ContextTimeStamp: seconds,
    };
    if (process) {
      const e = event as ProcessEvent;
      return {
        ...common, event_simpleName: 'ProcessRollup2', name: 'ProcessRollup2V19', UserName: e.user ? e.user.name : 'SYSTEM', UserSid: sidOf(e.user),
        ImageFileName: devicePath(e.image), CommandLine: e.commandLine, TargetProcessId: upid(e.pid), RawProcessId: String(e.pid),
        ParentProcessId: upid(e.ppid), ParentBaseFileName: basename(e.parentImage), SHA256HashData: `${'c'.repeat(60)}${pad(e.seq, 4)}`,
        id: crowdstrikeId(e),
      };
    }
    const o = event as OtherEvent;
    const names = { dns: 'DnsRequest', network: 'NetworkConnectIP4', terminate: 'EndOfProcess', inject: 'InjectedThread' };
    return {
      ...common, event_simpleName: names[o.kind], name: `${names[o.kind]}V5`, ContextProcessId: upid(o.pid),
      TargetProcessId: o.kind === 'terminate' ? upid(o.pid) : '', DomainName: o.kind === 'dns' ? o.remoteHost ?? '' : '',
      RemoteAddressIP4: o.kind === 'network' ? o.remoteIp ?? '' : '', RemotePort: o.kind === 'network' ? String(o.remotePort) : '',
      id: `5e7d${String(i).padStart(4, '0')}-0000-4000-8000-00000000${String(i).padStart(4, '0')}`,
    };
  });
}

function crowdstrikeCsv(): string {
  return csv(CS_HEADER, crowdstrikeRecords());
}

function crowdstrikeJson(): string {
  return '[\n' + crowdstrikeRecords().map((r) => '  ' + JSON.stringify(compact(r))).join(',\n') + '\n]\n';
}

/** Event Search "Export as JSON": one Splunk result wrapper per line, epoch-seconds times only. */
function crowdstrikeSplunk(): string {
  return (
    crowdstrikeRecords()
      .map((record, i) => {
        const { timestamp: _dropped, ...rest } = record;
        const result = compact(rest);
        return JSON.stringify(i % 3 === 2 ? { preview: false, result } : { preview: false, offset: i, result });
      })
      .join('\n') + '\n'
  );
}

// ---------------------------------------------------------------------------------------------
// SentinelOne

interface S1Row {
  time: number;
  type: string;
  src: { name: string; path: string; cmd: string; user: string; pid: number } | null;
  tgt: { name: string; path: string; cmd: string; user: string; pid: number; uid: string } | null;
  dstIp?: string;
  dstPort?: number;
  dns?: string;
}

function sentineloneRows(): S1Row[] {
  return logItems(otherEvents).map(({ event, process }, i) => {
    if (process) {
      const e = event as ProcessEvent;
      return {
        time: timeOf(e), type: 'Process Creation',
        src: { name: basename(e.parentImage), path: devicePath(e.parentImage), cmd: e.parentCommandLine, user: windowsUser(e.user), pid: e.ppid },
        tgt: { name: basename(e.image), path: devicePath(e.image), cmd: e.commandLine, user: windowsUser(e.user), pid: e.pid, uid: sentineloneUid(e) },
      };
    }
    const o = event as OtherEvent;
    const actor = { name: basename(o.image), path: devicePath(o.image), cmd: o.commandLine ?? (o.image.endsWith('svchost.exe') ? 'C:\\WINDOWS\\system32\\svchost.exe -k LocalService -p -s WebClient' : ''), user: windowsUser(o.user), pid: o.pid };
    const explorer = { name: 'explorer.exe', path: devicePath('C:\\Windows\\explorer.exe'), cmd: 'C:\\WINDOWS\\Explorer.EXE', user: windowsUser(USER), pid: 4120 };
    switch (o.kind) {
      case 'dns':
        return { time: timeOf(o), type: 'DNS Resolved', src: actor, tgt: null, dns: o.remoteHost };
      case 'network':
        return { time: timeOf(o), type: 'IP Connect', src: actor, tgt: null, dstIp: o.remoteIp, dstPort: o.remotePort };
      case 'terminate':
        // S1 reports the ended process as Tgt, command line included: it must not count as a start.
        return { time: timeOf(o), type: 'Process Termination', src: explorer, tgt: { ...actor, uid: `DEAD${String(i).padStart(12, '0')}` } };
      case 'inject':
        return {
          time: timeOf(o), type: 'Open Remote Process Handle', src: actor,
          tgt: { name: 'notepad.exe', path: devicePath(o.targetImage ?? ''), cmd: 'notepad.exe', user: windowsUser(o.user), pid: 5010, uid: `BEEF${String(i).padStart(12, '0')}` },
        };
    }
  });
}

function sentineloneCsv(): string {
  const header = [
    'EventTime', 'EventType', 'AgentUUID', 'EndpointName', 'EndpointOS', 'SrcProcName', 'SrcProcImagePath', 'SrcProcCmdLine', 'SrcProcUser',
    'SrcProcPID', 'TgtProcName', 'TgtProcImagePath', 'TgtProcCmdLine', 'TgtProcUser', 'TgtProcPID', 'DstIP', 'DstPort', 'DnsRequest',
  ];
  const rows = sentineloneRows().map((r): Record<string, Cell> => ({
    EventTime: isoMs(r.time), EventType: r.type, AgentUUID: AGENT_ID, EndpointName: 'WS042', EndpointOS: 'windows',
    SrcProcName: r.src?.name, SrcProcImagePath: r.src?.path, SrcProcCmdLine: r.src?.cmd, SrcProcUser: r.src?.user, SrcProcPID: r.src?.pid,
    TgtProcName: r.tgt?.name, TgtProcImagePath: r.tgt?.path, TgtProcCmdLine: r.tgt?.cmd, TgtProcUser: r.tgt?.user, TgtProcPID: r.tgt?.pid,
    DstIP: r.dstIp, DstPort: r.dstPort, DnsRequest: r.dns,
  }));
  return csv(header, rows);
}

function sentineloneNdjson(): string {
  return (
    sentineloneRows()
      .map((r) =>
        JSON.stringify(
          compact({
            'event.time': r.time, 'event.type': r.type, 'agent.uuid': AGENT_ID, 'endpoint.name': 'WS042', 'endpoint.os': 'windows',
            'src.process.name': r.src?.name, 'src.process.image.path': r.src?.path, 'src.process.cmdline': r.src?.cmd, 'src.process.user': r.src?.user, 'src.process.pid': r.src?.pid,
            'tgt.process.name': r.tgt?.name, 'tgt.process.image.path': r.tgt?.path, 'tgt.process.cmdline': r.tgt?.cmd, 'tgt.process.user': r.tgt?.user, 'tgt.process.pid': r.tgt?.pid, 'tgt.process.uid': r.tgt?.uid,
            'dst.ip.address': r.dstIp, 'dst.port.number': r.dstPort, 'event.dns.request': r.dns,
          }),
        ),
      )
      .join('\n') + '\n'
  );
}

// ---------------------------------------------------------------------------------------------
// Splunk

function splunkSysmon(): string {
  const header = [
    '_time', 'host', 'source', 'sourcetype', 'EventCode', 'RecordNumber', 'Computer', 'UtcTime', 'ProcessGuid', 'ProcessId', 'Image', 'CommandLine',
    'CurrentDirectory', 'User', 'ParentProcessId', 'ParentImage', 'ParentCommandLine', 'QueryName', 'DestinationIp', 'DestinationPort', 'SourceImage', 'TargetImage',
  ];
  const rows = logItems(otherEvents).map(({ event, process, record }): Record<string, Cell> => {
    const data = process ? sysmonProcessData(event as ProcessEvent) : sysmonOtherData(event as OtherEvent);
    const row: Record<string, Cell> = {
      _time: splunkTime(event), host: 'WS042', source: 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational', sourcetype: 'XmlWinEventLog',
      EventCode: process ? 1 : SYSMON_OTHER_ID[(event as OtherEvent).kind], RecordNumber: record, Computer: HOST_FQDN,
    };
    for (const [name, value] of data) if (header.includes(name)) row[name] = value;
    return row;
  });
  return csv(header, rows);
}

function splunk4688(): string {
  const header = [
    '_time', 'host', 'source', 'sourcetype', 'EventCode', 'RecordNumber', 'ComputerName', 'Account_Domain', 'Account_Name', 'New_Process_ID',
    'New_Process_Name', 'Process_Command_Line', 'Creator_Process_ID', 'Creator_Process_Name', 'Token_Elevation_Type', 'Process_Name', 'Exit_Status',
    'Application_Name', 'Destination_Address',
  ];
  const rows = logItems(securityOthers).map(({ event, process, record }): Record<string, Cell> => {
    const common = { _time: splunkTime(event), host: 'WS042', source: 'WinEventLog:Security', sourcetype: 'WinEventLog', RecordNumber: record, ComputerName: HOST_FQDN };
    if (process) {
      const e = event as ProcessEvent;
      const data = securityProcessData(e);
      const target = dataValue(data, 'TargetUserName');
      // Creator subject, then target subject: a multivalue field, one value per line.
      return {
        ...common, EventCode: 4688,
        Account_Domain: `${dataValue(data, 'SubjectDomainName')}\n${dataValue(data, 'TargetDomainName')}`,
        Account_Name: `${dataValue(data, 'SubjectUserName')}\n${target}`,
        New_Process_ID: hex(e.pid), New_Process_Name: e.image, Process_Command_Line: e.commandLine, Creator_Process_ID: hex(e.ppid),
        Creator_Process_Name: e.parentImage, Token_Elevation_Type: dataValue(data, 'TokenElevationType'),
      };
    }
    const o = event as OtherEvent;
    return o.kind === 'terminate'
      ? { ...common, EventCode: 4689, Account_Domain: 'CORP', Account_Name: o.user?.name ?? 'WS042$', Process_Name: o.image, Exit_Status: '0x0' }
      : { ...common, EventCode: 5156, Application_Name: devicePath(o.image).toLowerCase(), Destination_Address: o.remoteIp };
  });
  return csv(header, rows);
}

function splunkCim(): string {
  const header = [
    '_time', 'dest', 'user', 'process_name', 'process', 'process_path', 'process_id', 'parent_process_name', 'parent_process', 'parent_process_path',
    'parent_process_id', 'vendor_product', 'original_file_name',
  ];
  const rows = processEvents.map((e): Record<string, Cell> => ({
    _time: splunkTime(e), dest: HOST_FQDN, user: windowsUser(e.user), process_name: basename(e.image), process: e.commandLine, process_path: e.image,
    process_id: e.pid, parent_process_name: basename(e.parentImage), parent_process: e.parentCommandLine, parent_process_path: e.parentImage,
    parent_process_id: e.ppid, vendor_product: 'Microsoft Sysmon', original_file_name: basename(e.image).toUpperCase(),
  }));
  return csv(header, rows);
}

// ---------------------------------------------------------------------------------------------

const WRITERS: Record<string, () => string> = {
  'defender.csv': defender,
  'sysmon-evtxecmd.csv': sysmonEvtxecmd,
  'sysmon-ecs.ndjson': sysmonEcs,
  'sysmon-kibana.csv': sysmonKibana,
  'sysmon.xml': sysmonXml,
  'security-4688-evtxecmd.csv': securityEvtxecmd,
  'security-4688.xml': securityXml,
  'crowdstrike.csv': crowdstrikeCsv,
  'crowdstrike.json': crowdstrikeJson,
  'crowdstrike-splunk.ndjson': crowdstrikeSplunk,
  'sentinelone.csv': sentineloneCsv,
  'sentinelone.ndjson': sentineloneNdjson,
  'splunk-sysmon.csv': splunkSysmon,
  'splunk-4688.csv': splunk4688,
  'splunk-cim.csv': splunkCim,
};

function eventCount(file: string): number {
  if (file === 'splunk-cim.csv') return processEvents.length;
  if (file.startsWith('security-4688') || file === 'splunk-4688.csv') return processEvents.length + securityOthers.length;
  return processEvents.length + otherEvents.length;
}

function main(): void {
  mkdirSync(OUT, { recursive: true });
  const expected: Record<string, unknown> = {};
  for (const spec of FIXTURES) {
    const writer = WRITERS[spec.file];
    if (!writer) throw new Error(`no writer for ${spec.file}`);
    writeFileSync(join(OUT, spec.file), writer());
    const hits = (reading: EscapeReading) =>
      expectedHits(reading).map((event) => ({ seq: event.seq, eventId: spec.eventId(event), commandLine: event.commandLine }));
    expected[spec.file] = {
      profile: spec.profileId,
      format: spec.format,
      events: eventCount(spec.file),
      processEvents: processEvents.length,
      hits: { xql: hits('xql'), backslash: hits('backslash') },
    };
  }
  const document = {
    comment: 'Generated by scripts/gen-profile-fixtures.ts from src/profiles/fixtures/activity.ts. Hits of public/hunts/cloudflare-tunnel-webdav.md per reading.',
    hunt: 'public/hunts/cloudflare-tunnel-webdav.md',
    fixtures: expected,
  };
  writeFileSync(join(OUT, 'expected.json'), JSON.stringify(document, null, 2) + '\n');
  const summary = FIXTURES.map((spec) => `${spec.file} (${eventCount(spec.file)} events)`).join(', ');
  console.log(`wrote ${FIXTURES.length} fixtures + expected.json to src/profiles/fixtures: ${summary}`);
  console.log(`hits: xql ${expectedHits('xql').length}, backslash ${expectedHits('backslash').length} of ${processEvents.length} process events; record of first: ${recordOf(processEvents[0])}; temp ${TEMP}`);
}

main();
