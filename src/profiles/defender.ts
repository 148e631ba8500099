import type { RawRecord } from '../engine/value';
import type { Profile } from '../ingest/profile';
import { RowPlan, addEventType, addHost, addNameFromPath } from './builder';
import { scoreSignature, valueShare } from './detect';
import { coalesceAccessor, columnIndex, firstAccessor, joinDomainUser, osFromPath, sampleValues, text } from './fields';

/**
 * Microsoft Defender for Endpoint / Defender XDR advanced hunting `DeviceProcessEvents`, as the
 * portal's CSV export or the API's JSON (same column names; Sentinel adds TimeGenerated).
 * Research: shared/research/data-formats.md §3a.
 */

const PROCESS_ACTIONS = ['ProcessCreated', 'ProcessCreatedUsingWmiQuery'];
const PROCESS_ACTION_SET = new Set(PROCESS_ACTIONS.map((a) => a.toLowerCase()));

const SIGNATURE = {
  label: 'Defender DeviceProcessEvents',
  required: ['ProcessCommandLine', ['InitiatingProcessFileName', 'InitiatingProcessCommandLine', 'InitiatingProcessFolderPath'], ['DeviceName', 'DeviceId']],
  optional: ['DeviceName', 'DeviceId', 'ActionType', 'FolderPath', 'FileName', 'ReportId', 'InitiatingProcessAccountName', 'AccountName'],
} as const;

export const defenderProfile: Profile = {
  id: 'defender',
  label: 'Microsoft Defender for Endpoint (DeviceProcessEvents)',
  detect(columns, sample) {
    const index = columnIndex(columns);
    const actions = sampleValues(index, sample, ['ActionType']);
    return scoreSignature(index, sample, SIGNATURE, 0.05 * valueShare(actions, PROCESS_ACTIONS));
  },
  bind(columns, overrides) {
    const index = columnIndex(columns);
    const plan = new RowPlan<null>('defender', index, () => null);
    const time = firstAccessor(index, ['Timestamp', 'TimeGenerated', 'ProcessCreationTime']);
    if (time) plan.column('_time', time);
    addHost(plan, firstAccessor(index, ['DeviceName']));
    plan.textColumn('agent_id', firstAccessor(index, ['DeviceId']));
    plan.textColumn('event_id', firstAccessor(index, ['ReportId']));

    const action = firstAccessor(index, ['ActionType']);
    if (action) {
      const get = action.get;
      addEventType(plan, `PROCESS when ${action.source} is ${PROCESS_ACTIONS.join('/')}`, (raw) =>
        PROCESS_ACTION_SET.has(String(get(raw) ?? '').trim().toLowerCase()),
      );
    } else {
      // DeviceProcessEvents holds only process events; a projection may drop ActionType.
      addEventType(plan, 'PROCESS (no ActionType column: every DeviceProcessEvents row)', () => true);
    }

    const fileName = firstAccessor(index, ['FileName']);
    const folder = firstAccessor(index, ['FolderPath']);
    if (folder) {
      const getFolder = folder.get;
      const getName = fileName?.get;
      // The schema calls FolderPath "the folder", but exports usually hold the full path.
      plan.derived('action_process_image_path', fileName ? `${folder.source} (+ \\${fileName.source} when it is the folder)` : folder.source, (raw) =>
        fullPath(text(getFolder(raw)), getName ? text(getName(raw)) : null),
      );
    }
    if (fileName) plan.textColumn('action_process_image_name', fileName);
    else if (folder) addNameFromPath(plan, 'action_process_image_name', 'action_process_image_path', folder.source);
    plan.textColumn('action_process_image_command_line', firstAccessor(index, ['ProcessCommandLine']));
    plan.column('action_process_os_pid', firstAccessor(index, ['ProcessId']));

    addUser(plan, index);

    const parentName = firstAccessor(index, ['InitiatingProcessFileName']);
    const parentFolder = firstAccessor(index, ['InitiatingProcessFolderPath']);
    if (parentFolder) {
      const getFolder = parentFolder.get;
      const getName = parentName?.get;
      plan.derived('actor_process_image_path', parentFolder.source, (raw) =>
        fullPath(text(getFolder(raw)), getName ? text(getName(raw)) : null),
      );
    }
    if (parentName) plan.textColumn('actor_process_image_name', parentName);
    else if (parentFolder) addNameFromPath(plan, 'actor_process_image_name', 'actor_process_image_path', parentFolder.source);
    plan.textColumn('actor_process_command_line', firstAccessor(index, ['InitiatingProcessCommandLine']));
    plan.column('actor_process_os_pid', firstAccessor(index, ['InitiatingProcessId']));

    // Defender also covers macOS and Linux devices; their paths say which.
    plan.derived('agent_os_type', 'from the image path (Windows unless it is a POSIX path)', (_raw, row) =>
      osFromPath(typeof row.action_process_image_path === 'string' ? row.action_process_image_path : null) ?? 'AGENT_OS_WINDOWS',
    );
    plan.constant('_product', 'Microsoft Defender for Endpoint');
    plan.constant('_vendor', 'Microsoft');
    return plan.build(overrides);
  },
};

/** FolderPath as a full path: append FileName when FolderPath is only the folder. */
function fullPath(folder: string | null, name: string | null): string | null {
  if (folder === null) return null;
  if (name === null) return folder;
  const lower = folder.toLowerCase();
  const lowerName = name.toLowerCase();
  if (lower === lowerName || lower.endsWith('\\' + lowerName) || lower.endsWith('/' + lowerName)) return folder;
  const separator = folder.includes('\\') || !folder.startsWith('/') ? '\\' : '/';
  return folder.endsWith(separator) ? folder + name : folder + separator + name;
}

function addUser(plan: RowPlan<null>, index: ReturnType<typeof columnIndex>): void {
  // The new process's account first; the initiating process's account is normally the same.
  const user = coalesceAccessor(index, ['AccountName', 'InitiatingProcessAccountName']);
  if (!user) return;
  const name = firstAccessor(index, ['AccountName']);
  const domain = firstAccessor(index, ['AccountDomain']);
  const parentName = firstAccessor(index, ['InitiatingProcessAccountName']);
  const parentDomain = firstAccessor(index, ['InitiatingProcessAccountDomain']);
  const pick = (raw: RawRecord): string | null => {
    const own = name ? text(name.get(raw)) : null;
    if (own !== null) return joinDomainUser(domain ? domain.get(raw) : null, own);
    const parent = parentName ? text(parentName.get(raw)) : null;
    return parent === null ? null : joinDomainUser(parentDomain ? parentDomain.get(raw) : null, parent);
  };
  const rule = name
    ? `${domain ? domain.source + '\\' : ''}${name.source}` + (parentName ? ` (else InitiatingProcessAccount*)` : '')
    : `${parentDomain ? parentDomain.source + '\\' : ''}${parentName?.source ?? ''}`;
  plan.derived('actor_effective_username', rule, (raw) => pick(raw));
}
