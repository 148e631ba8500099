import { describe, expect, it } from 'vitest';
import type { Profile } from './profile';
import { detectProfile, xdrProfile } from './xdr-profile';

const HEADER = ['_time', 'Agent_Hostname', 'ACTION_PROCESS_IMAGE_COMMAND_LINE', 'event_type', 'event_sub_type', 'agent_os_type', 'actor_effective_username', 'insert_timestamp', 'agent_is_vdi', 'cmd_alias'];

describe('xdrProfile.detect', () => {
  it('scores by known xdr_data columns, case-insensitively, and explains the score', () => {
    const detection = xdrProfile.detect(HEADER, []);
    expect(detection?.score).toBe(1);
    expect(detection?.reason).toBe('9 xdr_data columns (action_process_image_command_line, agent_hostname, agent_os_type, ...)');
    expect(xdrProfile.detect(['_time', 'agent_hostname'], [])).toEqual({ score: 0.25, reason: '2 xdr_data columns (agent_hostname, _time)' });
    expect(xdrProfile.detect(['Timestamp', 'DeviceName', 'ProcessCommandLine'], [])).toBeNull();
  });
});

describe('xdrProfile.bind / toRow', () => {
  it('maps headers case-insensitively to lower-case canonical names, keeps aliases, and normalises values', () => {
    const bound = xdrProfile.bind(HEADER);
    expect(bound.profileId).toBe('xdr');
    expect(bound.canonicalColumns).toEqual(expect.arrayContaining(['agent_hostname', 'action_process_image_command_line', 'cmd_alias']));
    expect(bound.canonicalColumns.slice(0, 2)).toEqual(['event_type', 'event_sub_type']);
    expect(bound.mapping.agent_hostname).toBe('Agent_Hostname');
    const row = bound.toRow({
      _time: '2025-06-30T14:02:11Z',
      Agent_Hostname: 'WS-01',
      ACTION_PROCESS_IMAGE_COMMAND_LINE: ' cmd.exe /c "x" ',
      event_sub_type: '1',
      event_type: '1',
      agent_os_type: 'ENUM.AGENT_OS_WINDOWS',
      actor_effective_username: '',
      insert_timestamp: '1751292131000',
      agent_is_vdi: 'FALSE',
      cmd_alias: 'NULL',
    });
    expect(row).toEqual({
      event_type: 'PROCESS',
      event_sub_type: 'PROCESS_START',
      _time: Date.UTC(2025, 5, 30, 14, 2, 11),
      agent_hostname: 'WS-01',
      action_process_image_command_line: ' cmd.exe /c "x" ',
      agent_os_type: 'AGENT_OS_WINDOWS',
      actor_effective_username: null,
      insert_timestamp: 1751292131000,
      agent_is_vdi: false,
      cmd_alias: null,
    });
  });

  it('gives missing keys of JSON records as null and keeps JSON numbers and structures', () => {
    const row = xdrProfile.bind(['event_type', 'action_file_type', 'agent_ip_addresses', 'agent_hostname']).toRow({ event_type: 3, action_file_type: 18, agent_ip_addresses: ['10.0.0.1'] });
    expect(row).toEqual({ event_type: 'FILE', action_file_type: 18, agent_ip_addresses: ['10.0.0.1'], agent_hostname: null });
  });

  it('applies overrides (canonical -> source column), matching the source column case-insensitively', () => {
    const bound = xdrProfile.bind(['Host', 'CmdLine', 'agent_hostname'], { action_process_image_command_line: 'cmdline', agent_hostname: 'Host' });
    expect(bound.mapping).toMatchObject({ action_process_image_command_line: 'CmdLine', agent_hostname: 'Host' });
    expect(bound.toRow({ Host: 'h', CmdLine: 'c', agent_hostname: 'ignored' })).toMatchObject({ action_process_image_command_line: 'c', agent_hostname: 'h' });
  });

  it('lets the first of two headers that differ only in case win', () => {
    expect(xdrProfile.bind(['Agent_Hostname', 'agent_hostname']).toRow({ Agent_Hostname: 'a', agent_hostname: 'b' })).toEqual({ agent_hostname: 'a' });
  });
});

describe('detectProfile', () => {
  const fixed = (id: string, score: number): Profile => ({ id, label: id, detect: () => ({ score, reason: id }), bind: xdrProfile.bind });

  it('picks the highest score, ties to the earlier profile, null when nothing matches', () => {
    expect(detectProfile(['x'], [], [fixed('a', 0.5), fixed('b', 0.9), fixed('c', 0.9)])?.profile.id).toBe('b');
    expect(detectProfile(HEADER, [], [xdrProfile, fixed('other', 1)])?.profile.id).toBe('xdr');
    expect(detectProfile(['Timestamp'], [], [xdrProfile])).toBeNull();
  });
});
