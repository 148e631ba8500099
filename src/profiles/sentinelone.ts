import type { Profile } from '../ingest/profile';
import { parseTime } from '../ingest/normalize';
import { RowPlan, addEventType, addHost, addNameFromPath } from './builder';
import { scoreSignature, valueShare } from './detect';
import type { Accessor } from './fields';
import { coalesceAccessor, columnIndex, osFromPath, sampleValues, text } from './fields';

/**
 * SentinelOne Deep Visibility, legacy names (`TgtProcCmdLine`) or PowerQuery/SDL dotted names
 * (`tgt.process.cmdline`). In a "Process Creation" event the created process is Tgt and Src is
 * its parent, so Tgt maps to action_process_* and Src to actor_process_*. Research §3f.
 */

const PROCESS_CREATION = 'process creation';
const OS_BY_NAME: Readonly<Record<string, string>> = {
  windows: 'AGENT_OS_WINDOWS',
  linux: 'AGENT_OS_LINUX',
  osx: 'AGENT_OS_MAC',
  macos: 'AGENT_OS_MAC',
  mac: 'AGENT_OS_MAC',
};

const SIGNATURE = {
  label: 'SentinelOne Deep Visibility',
  required: [['TgtProcCmdLine', 'tgt.process.cmdline', 'TgtProcImagePath', 'tgt.process.image.path']],
  optional: ['TgtProcName', 'tgt.process.name', 'SrcProcName', 'src.process.name', 'EventType', 'event.type', 'EndpointName', 'endpoint.name'],
} as const;

export const sentineloneProfile: Profile = {
  id: 'sentinelone',
  label: 'SentinelOne Deep Visibility (Process Creation)',
  detect(columns, sample) {
    const index = columnIndex(columns);
    const types = sampleValues(index, sample, ['event.type', 'EventType']);
    const detection = scoreSignature(index, sample, SIGNATURE, 0.05 * valueShare(types, ['Process Creation']));
    // Only half of the optional names can be present (one naming scheme per file), so a
    // complete file of either scheme is lifted to the same confidence.
    return detection ? { ...detection, score: Math.min(0.95, detection.score + 0.15) } : null;
  },
  bind(columns, overrides) {
    const index = columnIndex(columns);
    const plan = new RowPlan<null>('sentinelone', index, () => null);
    const acc = (...candidates: string[]): Accessor | null => coalesceAccessor(index, candidates);

    const time = acc('EventTime', 'event.time', 'timestamp', 'CreatedAt');
    if (time) {
      const get = time.get;
      plan.derived('_time', time.source, (raw) => parseTime(get(raw)));
    }
    addHost(plan, acc('EndpointName', 'endpoint.name', 'AgentName', 'agent.name'));
    plan.textColumn('agent_id', acc('AgentUUID', 'agent.uuid', 'AgentId'));
    plan.textColumn('event_id', acc('event.id', 'EventId', 'tgt.process.uid', 'TgtProcUID'));

    const type = acc('EventType', 'event.type');
    if (type) {
      const get = type.get;
      addEventType(plan, `PROCESS when ${type.source} is "Process Creation"`, (raw) => String(get(raw) ?? '').trim().toLowerCase() === PROCESS_CREATION);
    } else {
      addEventType(plan, 'PROCESS (no event type column: a process export)', () => true);
    }

    const image = acc('TgtProcImagePath', 'tgt.process.image.path');
    if (image) plan.textColumn('action_process_image_path', image);
    const name = acc('TgtProcName', 'tgt.process.name');
    if (name) plan.textColumn('action_process_image_name', name);
    else if (image) addNameFromPath(plan, 'action_process_image_name', 'action_process_image_path', image.source);
    plan.textColumn('action_process_image_command_line', acc('TgtProcCmdLine', 'tgt.process.cmdline'));
    plan.column('action_process_os_pid', acc('TgtProcPID', 'tgt.process.pid'));
    // S1 writes DOMAIN\user already; the parent's user stands in when the target's is empty.
    plan.textColumn('actor_effective_username', acc('TgtProcUser', 'tgt.process.user', 'SrcProcUser', 'src.process.user'));

    const parentImage = acc('SrcProcImagePath', 'src.process.image.path');
    if (parentImage) plan.textColumn('actor_process_image_path', parentImage);
    const parentName = acc('SrcProcName', 'src.process.name');
    if (parentName) plan.textColumn('actor_process_image_name', parentName);
    else if (parentImage) addNameFromPath(plan, 'actor_process_image_name', 'actor_process_image_path', parentImage.source);
    plan.textColumn('actor_process_command_line', acc('SrcProcCmdLine', 'src.process.cmdline'));
    plan.column('actor_process_os_pid', acc('SrcProcPID', 'src.process.pid'));

    const os = acc('EndpointOS', 'endpoint.os');
    const getOs = os?.get;
    plan.derived('agent_os_type', os ? `${os.source} (windows/linux/osx), else from the image path` : 'from the image path', (raw, row) => {
      const named = getOs ? OS_BY_NAME[String(text(getOs(raw)) ?? '').toLowerCase()] : undefined;
      return named ?? osFromPath(typeof row.action_process_image_path === 'string' ? row.action_process_image_path : null);
    });
    plan.constant('_product', 'SentinelOne Deep Visibility');
    plan.constant('_vendor', 'SentinelOne');
    return plan.build(overrides);
  },
};
