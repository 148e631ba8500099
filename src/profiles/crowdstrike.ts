import type { RawRecord } from '../engine/value';
import type { Profile } from '../ingest/profile';
import { parseTime } from '../ingest/normalize';
import { RowPlan, addEventType, addHost, addNameFromPath } from './builder';
import { scoreSignature, valueShare } from './detect';
import { coalesceAccessor, columnIndex, firstAccessor, joinDomainUser, osFromPath, sampleValues, text } from './fields';

/**
 * CrowdStrike Falcon ProcessRollup2 from Event Search (CSV, JSON, Splunk-style result lines; the
 * reader unwraps `result`), FDR NDJSON or LogScale exports. Research: data-formats.md §3e.
 */

const PROCESS_EVENTS = ['ProcessRollup2', 'SyntheticProcessRollup2'];
const PROCESS_EVENT_SET = new Set(PROCESS_EVENTS.map((e) => e.toLowerCase()));
const PLATFORM_OS: Readonly<Record<string, string>> = {
  win: 'AGENT_OS_WINDOWS',
  windows: 'AGENT_OS_WINDOWS',
  mac: 'AGENT_OS_MAC',
  lin: 'AGENT_OS_LINUX',
  linux: 'AGENT_OS_LINUX',
};

const SIGNATURE = {
  label: 'CrowdStrike Falcon ProcessRollup2',
  required: [['event_simpleName', '#event_simpleName'], ['ImageFileName', 'CommandLine']],
  optional: ['ImageFileName', 'CommandLine', 'aid', 'ComputerName', 'TargetProcessId', 'ParentBaseFileName', 'UserName', 'event_platform'],
} as const;

export const crowdstrikeProfile: Profile = {
  id: 'crowdstrike',
  label: 'CrowdStrike Falcon (ProcessRollup2)',
  detect(columns, sample) {
    const index = columnIndex(columns);
    const names = sampleValues(index, sample, ['event_simpleName', '#event_simpleName']);
    return scoreSignature(index, sample, SIGNATURE, 0.05 * valueShare(names, PROCESS_EVENTS));
  },
  bind(columns, overrides) {
    const index = columnIndex(columns);
    const plan = new RowPlan<null>('crowdstrike', index, () => null);
    // `timestamp` is 13-digit epoch ms; ContextTimeStamp/ProcessStartTime are epoch seconds.
    const time = coalesceAccessor(index, ['timestamp', '@timestamp', 'ContextTimeStamp', 'ProcessStartTime', '_time']);
    if (time) {
      const get = time.get;
      plan.derived('_time', time.source, (raw) => parseTime(get(raw)));
    }
    addHost(plan, coalesceAccessor(index, ['ComputerName', 'aid']));
    plan.textColumn('agent_id', firstAccessor(index, ['aid']));
    plan.textColumn('event_id', coalesceAccessor(index, ['id', 'TargetProcessId']));

    const simpleName = firstAccessor(index, ['event_simpleName', '#event_simpleName']);
    if (simpleName) {
      const get = simpleName.get;
      addEventType(plan, `PROCESS when ${simpleName.source} is ${PROCESS_EVENTS.join('/')}`, (raw) =>
        PROCESS_EVENT_SET.has(String(get(raw) ?? '').trim().toLowerCase()),
      );
    } else {
      addEventType(plan, 'PROCESS (no event_simpleName column: a process export)', () => true);
    }

    const image = firstAccessor(index, ['ImageFileName']);
    if (image) plan.textColumn('action_process_image_path', image);
    const fileName = firstAccessor(index, ['FileName']);
    if (fileName) plan.textColumn('action_process_image_name', fileName);
    else if (image) addNameFromPath(plan, 'action_process_image_name', 'action_process_image_path', image.source);
    plan.textColumn('action_process_image_command_line', firstAccessor(index, ['CommandLine']));
    plan.column('action_process_os_pid', firstAccessor(index, ['RawProcessId']));

    const user = coalesceAccessor(index, ['UserName', 'UserPrincipal', 'UserSid']);
    const domain = firstAccessor(index, ['LogonDomain', 'UserDomain']);
    if (user) {
      const getUser = user.get;
      const getDomain = domain?.get;
      plan.derived('actor_effective_username', domain ? `${domain.source}\\${user.source}` : user.source, (raw: RawRecord) =>
        joinDomainUser(getDomain ? getDomain(raw) : null, getUser(raw)),
      );
    }

    const parentPath = firstAccessor(index, ['ParentImageFileName']);
    if (parentPath) plan.textColumn('actor_process_image_path', parentPath);
    const parentName = firstAccessor(index, ['ParentBaseFileName']);
    if (parentName) plan.textColumn('actor_process_image_name', parentName);
    else if (parentPath) addNameFromPath(plan, 'actor_process_image_name', 'actor_process_image_path', parentPath.source);
    plan.textColumn('actor_process_command_line', firstAccessor(index, ['ParentCommandLine']));

    const platform = firstAccessor(index, ['event_platform', '#event_platform']);
    const getPlatform = platform?.get;
    plan.derived('agent_os_type', platform ? `${platform.source} (Win/Mac/Lin), else from the image path` : 'from the image path', (raw, row) => {
      const named = getPlatform ? PLATFORM_OS[String(text(getPlatform(raw)) ?? '').toLowerCase()] : undefined;
      return named ?? osFromPath(typeof row.action_process_image_path === 'string' ? row.action_process_image_path : null);
    });
    plan.constant('_product', 'Falcon');
    plan.constant('_vendor', 'CrowdStrike');
    return plan.build(overrides);
  },
};
