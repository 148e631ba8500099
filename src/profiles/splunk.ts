import type { RawRecord, Value } from '../engine/value';
import type { Detection, Profile } from '../ingest/profile';
import { parseTime } from '../ingest/normalize';
import { RowPlan, addEventType, addHost } from './builder';
import type { Signature } from './detect';
import { scoreSignature } from './detect';
import type { Accessor, ColumnIndex, Getter } from './fields';
import { basenameOfPath, coalesceAccessor, columnIndex, isAbsent, joinDomainUser, osFromPath, text } from './fields';

/**
 * Splunk search exports (CSV, or JSON result lines) of Sysmon (`XmlWinEventLog` names: Image,
 * CommandLine, ParentImage, User), classic `WinEventLog:Security` 4688 (New_Process_Name,
 * Process_Command_Line, Account_Domain/Account_Name, Creator_Process_Name) and the CIM
 * Endpoint.Processes data model (process_name, process, process_path, dest, user). One export may
 * mix them, so every row is classified by its EventCode. Research: data-formats.md §3d, §3g.
 */

type Kind = 'sysmon' | 'security' | 'cim' | 'other';

const SIGNATURES: readonly Signature[] = [
  {
    label: 'Splunk Sysmon',
    required: [['EventCode', 'EventID'], 'Image', 'CommandLine'],
    optional: ['ParentImage', 'ParentCommandLine', 'User', 'Computer', '_time', 'sourcetype', 'source', 'ProcessGuid'],
  },
  {
    label: 'Splunk WinEventLog 4688',
    required: [['EventCode', 'EventID'], ['New_Process_Name', 'NewProcessName'], ['Process_Command_Line', 'CommandLine']],
    optional: ['Creator_Process_Name', 'Account_Name', 'Account_Domain', 'ComputerName', '_time', 'sourcetype', 'source', 'New_Process_ID'],
  },
  {
    label: 'Splunk CIM Endpoint.Processes',
    required: [['process_name', 'process_path'], ['dest', '_time', 'host']],
    optional: ['process', 'process_path', 'user', 'parent_process', 'parent_process_name', 'dest', '_time', 'process_id'],
  },
];

/** Splunk's own fields; any of them tells a Splunk export from a bare event-record file. */
const SPLUNK_MARKERS = ['EventCode', 'sourcetype', '_time', '_raw', 'splunk_server', 'linecount'];

export const splunkProfile: Profile = {
  id: 'splunk',
  label: 'Splunk (Sysmon, WinEventLog 4688, CIM Endpoint.Processes)',
  detect(columns, sample) {
    const index = columnIndex(columns);
    if (!SPLUNK_MARKERS.some((marker) => index.has(marker))) return null;
    let best: Detection | null = null;
    for (const signature of SIGNATURES) {
      const detection = scoreSignature(index, sample, signature);
      if (detection && (!best || detection.score > best.score)) best = detection;
    }
    return best;
  },
  bind(columns, overrides) {
    const index = columnIndex(columns);
    const acc = (...candidates: string[]): Accessor | null => coalesceAccessor(index, candidates);
    const code = acc('EventCode', 'EventID');
    const channel = acc('source', 'sourcetype', 'LogName', 'Channel');
    const hasCim = index.has('process_name') || index.has('process_path') || index.has('process');
    const classify = (raw: RawRecord): Kind => {
      const id = code ? text(code.get(raw))?.trim() ?? null : null;
      if (id === null) return hasCim ? 'cim' : 'other';
      const where = channel ? text(channel.get(raw)) : null;
      if (id === '1' && (where === null || /sysmon/i.test(where))) return 'sysmon';
      if (id === '4688' && (where === null || /security/i.test(where))) return 'security';
      return 'other';
    };
    const plan = new RowPlan<Kind>('splunk', index, classify);

    const time = acc('_time', 'UtcTime', 'TimeCreated', 'timestamp');
    if (time) {
      const get = time.get;
      plan.derived('_time', time.source, (raw) => parseTime(get(raw)));
    }
    addHost(plan, acc('Computer', 'ComputerName', 'dest', 'host'));
    plan.textColumn('event_id', acc('RecordNumber', 'EventRecordID', 'RecordID', 'record_id'));
    addEventType(
      plan,
      `PROCESS for ${code?.source ?? 'EventCode'} 1 (Sysmon) / 4688${hasCim ? ', and CIM rows without an EventCode' : ''}`,
      (_raw, kind) => kind !== 'other',
    );

    const startOnly = (accessor: Accessor | null): Getter | null => accessor?.get ?? null;
    const image = startOnly(acc('Image', 'New_Process_Name', 'NewProcessName', 'process_path'));
    if (image) plan.derived('action_process_image_path', 'Image | New_Process_Name | process_path', (raw, _row, kind) => (kind === 'other' ? null : text(image(raw))));
    const processName = acc('process_name');
    plan.derived('action_process_image_name', processName ? 'process_name, else basename(image path)' : 'basename(image path)', (raw, row, kind) => {
      if (kind === 'other') return null;
      return (processName ? text(processName.get(raw)) : null) ?? baseOf(row.action_process_image_path);
    });
    const command = startOnly(acc('CommandLine', 'Process_Command_Line', 'process'));
    if (command) plan.derived('action_process_image_command_line', 'CommandLine | Process_Command_Line | process', (raw, _row, kind) => (kind === 'other' ? null : text(command(raw))));

    addUser(plan, index);

    const parent = acc('ParentImage', 'Creator_Process_Name', 'ParentProcessName', 'parent_process_path');
    if (parent) plan.textColumn('actor_process_image_path', parent);
    const parentName = acc('parent_process_name');
    if (parent || parentName) {
      plan.derived('actor_process_image_name', parentName ? 'parent_process_name, else basename(parent path)' : `basename(${parent?.source ?? ''})`, (raw, row) =>
        (parentName ? text(parentName.get(raw)) : null) ?? baseOf(row.actor_process_image_path),
      );
    }
    plan.textColumn('actor_process_command_line', acc('ParentCommandLine', 'parent_process'));

    const pid = {
      sysmon: acc('ProcessId'),
      security: acc('New_Process_ID', 'NewProcessId'),
      cim: acc('process_id'),
    };
    const ppid = {
      sysmon: acc('ParentProcessId'),
      security: acc('Creator_Process_ID', 'ProcessId'),
      cim: acc('parent_process_id'),
    };
    if (pid.sysmon || pid.security || pid.cim) {
      plan.derived('action_process_os_pid', 'ProcessId (Sysmon) | New_Process_ID (4688, hex kept) | process_id (CIM)', (raw, _row, kind) =>
        kind === 'other' ? null : pidValue(pid[kind]?.get(raw)),
      );
    }
    if (ppid.sysmon || ppid.security || ppid.cim) {
      plan.derived('actor_process_os_pid', 'ParentProcessId (Sysmon) | Creator_Process_ID (4688) | parent_process_id (CIM)', (raw, _row, kind) =>
        kind === 'other' ? null : pidValue(ppid[kind]?.get(raw)),
      );
    }

    plan.derived('agent_os_type', 'from the image path; AGENT_OS_WINDOWS for Sysmon and 4688 rows', (_raw, row, kind) => {
      const path = typeof row.action_process_image_path === 'string' ? row.action_process_image_path : null;
      return osFromPath(path) ?? (kind === 'sysmon' || kind === 'security' ? 'AGENT_OS_WINDOWS' : null);
    });
    const vendorProduct = acc('vendor_product');
    plan.derived('_product', '"Sysmon" | "Windows Security Auditing" | vendor_product (CIM)', (raw, _row, kind) => {
      if (kind === 'sysmon') return 'Sysmon';
      if (kind === 'security') return 'Windows Security Auditing';
      return (vendorProduct ? text(vendorProduct.get(raw)) : null) ?? 'Splunk';
    });
    plan.derived('_vendor', '"Microsoft" (Sysmon, 4688) | "Splunk"', (_raw, _row, kind) => (kind === 'sysmon' || kind === 'security' ? 'Microsoft' : 'Splunk'));
    return plan.build(overrides);
  },
};

function baseOf(value: Value): string | null {
  return typeof value === 'string' && value !== '' ? basenameOfPath(value) : null;
}

function pidValue(value: unknown): Value {
  return typeof value === 'number' ? value : text(value);
}

/**
 * Classic 4688 has two subjects, so Splunk's Account_Name / Account_Domain are multivalue (one
 * value per line in a CSV cell): the creator first, then the target. The target wins when set.
 */
function pickSubject(domains: string | null, names: string | null): string | null {
  if (names === null) return null;
  const nameParts = names.split(/\r?\n/);
  const domainParts = domains === null ? [] : domains.split(/\r?\n/);
  const at = nameParts.length > 1 && !isAbsent(nameParts[1].trim()) ? 1 : 0;
  const domain = domainParts[Math.min(at, domainParts.length - 1)] ?? null;
  return joinDomainUser(domain?.trim() ?? null, nameParts[at].trim());
}

function addUser(plan: RowPlan<Kind>, index: ColumnIndex): void {
  const acc = (...candidates: string[]): Accessor | null => coalesceAccessor(index, candidates);
  const sysmonUser = acc('User');
  const accountName = acc('Account_Name');
  const accountDomain = acc('Account_Domain');
  const targetName = acc('TargetUserName');
  const targetDomain = acc('TargetDomainName');
  const subjectName = acc('SubjectUserName');
  const subjectDomain = acc('SubjectDomainName');
  const cimUser = acc('user');
  const cimDomain = acc('user_domain');
  if (!sysmonUser && !accountName && !subjectName && !cimUser) return;
  const read = (accessor: Accessor | null, raw: RawRecord): string | null => (accessor ? text(accessor.get(raw)) : null);
  plan.derived('actor_effective_username', 'User (Sysmon) | Account_Domain\\Account_Name (4688) | user (CIM)', (raw, _row, kind) => {
    if (kind === 'sysmon') return read(sysmonUser, raw) ?? read(cimUser, raw);
    if (kind === 'security') {
      const classic = pickSubject(read(accountDomain, raw), read(accountName, raw));
      if (classic !== null) return classic;
      const target = read(targetName, raw);
      if (!isAbsent(target)) return joinDomainUser(read(targetDomain, raw), target);
      return joinDomainUser(read(subjectDomain, raw), read(subjectName, raw)) ?? read(cimUser, raw);
    }
    return joinDomainUser(read(cimDomain, raw), read(cimUser, raw) ?? read(sysmonUser, raw));
  });
}
