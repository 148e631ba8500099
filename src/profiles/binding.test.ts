import { describe, expect, it } from 'vitest';
import { xdrProfile } from '../ingest/xdr-profile';
import { allProfiles, crowdstrikeProfile, defenderProfile, profileById, security4688Profile, splunkProfile, sysmonProfile } from './index';
import { parseEvtxEcmdPayload } from './windows';

describe('profile list', () => {
  it('puts xdr first and finds profiles by id', () => {
    expect(allProfiles[0]).toBe(xdrProfile);
    expect(allProfiles.map((p) => p.id)).toEqual(['xdr', 'defender', 'sysmon', 'security-4688', 'crowdstrike', 'sentinelone', 'splunk']);
    expect(profileById('splunk')).toBe(splunkProfile);
    expect(profileById('nope')).toBeUndefined();
  });

  it('leaves an xdr_data export to the xdr profile', () => {
    const columns = ['_time', 'agent_hostname', 'actor_effective_username', 'action_process_image_name', 'action_process_image_path', 'action_process_image_command_line', 'event_type', 'event_sub_type', 'agent_os_type', 'event_id', 'agent_id', '_product'];
    const sample = [{ _time: '2025-06-30T14:02:11Z', action_process_image_command_line: 'cmd.exe', event_type: 'PROCESS' }];
    const xdr = xdrProfile.detect(columns, sample);
    for (const profile of allProfiles.slice(1)) {
      const detection = profile.detect(columns, sample);
      if (detection) expect(detection.score, profile.id).toBeLessThan(xdr?.score ?? 0);
    }
  });

  it('recognises nothing in unrelated files', () => {
    for (const profile of allProfiles.slice(1)) {
      expect(profile.detect(['name', 'email', 'phone'], [{ name: 'a', email: 'b', phone: 'c' }]), profile.id).toBeNull();
      expect(profile.detect(['CommandLine'], [{ CommandLine: 'cmd.exe' }]), profile.id).toBeNull();
    }
  });
});

describe('overrides', () => {
  const columns = ['Timestamp', 'DeviceName', 'DeviceId', 'ActionType', 'FileName', 'FolderPath', 'ProcessCommandLine', 'AccountDomain', 'AccountName', 'InitiatingProcessFileName', 'ReportId', 'OtherCmd', 'OtherPath'];
  const raw = {
    Timestamp: '2025-06-30T14:02:11.1234567Z', DeviceName: 'ws042.corp.example.com', DeviceId: 'd1', ActionType: 'ProcessCreated', FileName: 'cmd.exe',
    FolderPath: 'C:\\Windows\\System32\\cmd.exe', ProcessCommandLine: 'cmd.exe /c x', AccountDomain: 'corp', AccountName: 'bob',
    InitiatingProcessFileName: 'explorer.exe', ReportId: '7', OtherCmd: 'other command', OtherPath: 'D:\\Tools\\wscript.exe',
  };

  it('replaces a field with the chosen column and reports it in the mapping', () => {
    const bound = defenderProfile.bind(columns, { action_process_image_command_line: 'othercmd' });
    expect(bound.mapping.action_process_image_command_line).toBe('OtherCmd');
    expect(bound.toRow(raw).action_process_image_command_line).toBe('other command');
  });

  it('lets a derived field follow an overridden source', () => {
    const noName = columns.filter((c) => c !== 'FileName');
    const bound = defenderProfile.bind(noName, { action_process_image_path: 'OtherPath' });
    const row = bound.toRow(raw);
    expect(row.action_process_image_path).toBe('D:\\Tools\\wscript.exe');
    expect(row.action_process_image_name).toBe('wscript.exe');
    expect(bound.mapping.action_process_image_name).toBe('basename(FolderPath)');
  });

  it('adds a field the profile does not fill, normalised by its kind, and "" removes one', () => {
    const bound = defenderProfile.bind([...columns, 'Os'], { agent_os_sub_type: 'Os', event_id: '' });
    expect(bound.canonicalColumns).toContain('agent_os_sub_type');
    expect(bound.canonicalColumns).not.toContain('event_id');
    const row = bound.toRow({ ...raw, Os: 'enum.agent_os_windows_10' });
    expect(row.agent_os_sub_type).toBe('AGENT_OS_WINDOWS_10');
    expect(row.event_id).toBeUndefined();
  });

  it('maps exact canonical values for a Defender row', () => {
    const row = defenderProfile.bind(columns).toRow(raw);
    expect(row).toMatchObject({
      _time: Date.UTC(2025, 5, 30, 14, 2, 11, 123),
      agent_hostname: 'ws042.corp.example.com',
      agent_hostname_short: 'ws042',
      actor_effective_username: 'corp\\bob',
      action_process_image_name: 'cmd.exe',
      event_type: 'PROCESS',
      event_sub_type: 'PROCESS_START',
      agent_os_type: 'AGENT_OS_WINDOWS',
      _product: 'Microsoft Defender for Endpoint',
      _vendor: 'Microsoft',
    });
    expect(defenderProfile.bind(columns).toRow({ ...raw, ActionType: 'ConnectionSuccess' }).event_type).toBe('EVENT_LOG');
  });
});

describe('Windows event shapes', () => {
  const evtxColumns = ['RecordNumber', 'EventRecordId', 'TimeCreated', 'EventId', 'Provider', 'Channel', 'Computer', 'UserName', 'PayloadData1', 'PayloadData4', 'PayloadData6', 'ExecutableInfo', 'Payload'];

  it('falls back to the EvtxECmd summary columns when Payload is empty', () => {
    const bound = sysmonProfile.bind(evtxColumns);
    const row = bound.toRow({
      RecordNumber: '5', EventRecordId: '5', TimeCreated: '2025-06-30 14:02:11.1234567', EventId: '1', Provider: 'Microsoft-Windows-Sysmon',
      Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'WS042.corp.example.com', UserName: 'CORP\\bob',
      PayloadData1: 'ProcessID: 77, ProcessGUID: {x}', PayloadData4: 'ParentProcess: C:\\Windows\\explorer.exe',
      PayloadData6: 'ParentCommandLine: C:\\WINDOWS\\Explorer.EXE', ExecutableInfo: '"C:\\Windows\\System32\\cmd.exe" /c net use', Payload: '',
    });
    expect(row).toMatchObject({
      _time: Date.UTC(2025, 5, 30, 14, 2, 11, 123),
      action_process_image_path: 'C:\\Windows\\System32\\cmd.exe',
      action_process_image_name: 'cmd.exe',
      action_process_image_command_line: '"C:\\Windows\\System32\\cmd.exe" /c net use',
      actor_effective_username: 'CORP\\bob',
      actor_process_image_name: 'explorer.exe',
      actor_process_command_line: 'C:\\WINDOWS\\Explorer.EXE',
      action_process_os_pid: '77',
      event_id: '5',
      event_type: 'PROCESS',
    });
  });

  it('splits a 4688 ExecutableInfo into image and command line without a Payload', () => {
    const row = security4688Profile.bind(evtxColumns).toRow({
      EventId: '4688', Provider: 'Microsoft-Windows-Security-Auditing', Channel: 'Security', Computer: 'WS042', UserName: 'CORP\\bob',
      ExecutableInfo: 'C:\\Program Files\\My Tools\\tool.exe "C:\\Program Files\\My Tools\\tool.exe" -x', Payload: '',
    });
    expect(row.action_process_image_path).toBe('C:\\Program Files\\My Tools\\tool.exe');
    expect(row.action_process_image_command_line).toBe('"C:\\Program Files\\My Tools\\tool.exe" -x');
    expect(row.actor_effective_username).toBe('CORP\\bob');
  });

  it('does not take event 1 of another channel for a Sysmon process start', () => {
    const bound = sysmonProfile.bind(['EventID', 'Channel', 'Provider', 'Computer', 'Image', 'CommandLine']);
    expect(bound.toRow({ EventID: '1', Channel: 'System', Provider: 'Microsoft-Windows-Kernel-General' }).event_type).toBe('EVENT_LOG');
    expect(bound.toRow({ EventID: '1', Channel: 'Microsoft-Windows-Sysmon/Operational', Provider: 'Microsoft-Windows-Sysmon', Image: 'C:\\a\\cmd.exe' }).event_type).toBe('PROCESS');
  });

  it('reads Velociraptor-style nested System/EventData records', () => {
    const bound = sysmonProfile.bind(['System', 'EventData']);
    const row = bound.toRow({
      System: { EventID: { Value: 1 }, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'WS042', TimeCreated: { SystemTime: '2025-06-30T14:02:11.123Z' }, EventRecordID: 9 },
      EventData: { Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd /c x', User: 'CORP\\bob' },
    });
    expect(row).toMatchObject({ event_type: 'PROCESS', action_process_image_name: 'cmd.exe', agent_hostname: 'WS042', event_id: '9', _time: Date.UTC(2025, 5, 30, 14, 2, 11, 123) });
  });

  it('uses TargetUserName over SubjectUserName when it is set', () => {
    const bound = security4688Profile.bind(['EventID', 'Channel', 'NewProcessName', 'SubjectUserName', 'SubjectDomainName', 'TargetUserName', 'TargetDomainName']);
    const base = { EventID: '4688', Channel: 'Security', NewProcessName: 'C:\\x\\cmd.exe', SubjectUserName: 'WS042$', SubjectDomainName: 'CORP' };
    expect(bound.toRow({ ...base, TargetUserName: '-', TargetDomainName: '-' }).actor_effective_username).toBe('CORP\\WS042$');
    expect(bound.toRow({ ...base, TargetUserName: 'bob', TargetDomainName: 'CORP' }).actor_effective_username).toBe('CORP\\bob');
  });

  it('parses EvtxECmd Payload JSON, single Data objects and missing #text included', () => {
    expect(parseEvtxEcmdPayload('{"EventData":{"Data":[{"@Name":"A","#text":"1"},{"@Name":"B"}]}}')).toEqual({ A: '1', B: '' });
    expect(parseEvtxEcmdPayload('{"EventData":{"Data":{"@Name":"A","#text":2}}}')).toEqual({ A: '2' });
    expect(parseEvtxEcmdPayload('not json')).toBeNull();
  });
});

describe('CrowdStrike and Splunk details', () => {
  it('reads 10-digit ContextTimeStamp and other platforms', () => {
    const bound = crowdstrikeProfile.bind(['ContextTimeStamp', 'event_simpleName', 'event_platform', 'ImageFileName', 'CommandLine']);
    const row = bound.toRow({ ContextTimeStamp: '1751292131.123', event_simpleName: 'ProcessRollup2', event_platform: 'Lin', ImageFileName: '/usr/bin/curl', CommandLine: 'curl x' });
    expect(row).toMatchObject({ _time: 1751292131123, agent_os_type: 'AGENT_OS_LINUX', action_process_image_name: 'curl', event_type: 'PROCESS' });
    expect(bound.toRow({ event_simpleName: 'DnsRequest' }).event_type).toBe('EVENT_LOG');
  });

  it('picks the target subject of a multivalue Account_Name', () => {
    const bound = splunkProfile.bind(['_time', 'EventCode', 'Account_Domain', 'Account_Name', 'New_Process_Name', 'Process_Command_Line']);
    const base = { _time: '2025-06-30T14:02:11.123+00:00', EventCode: '4688', New_Process_Name: 'C:\\x\\cmd.exe', Process_Command_Line: 'cmd' };
    expect(bound.toRow({ ...base, Account_Domain: 'CORP\n-', Account_Name: 'bob\n-' }).actor_effective_username).toBe('CORP\\bob');
    expect(bound.toRow({ ...base, Account_Domain: 'CORP\nCORP', Account_Name: 'bob\nadmin' }).actor_effective_username).toBe('CORP\\admin');
    expect(bound.toRow({ ...base, EventCode: '4689' }).event_type).toBe('EVENT_LOG');
  });
});

describe('toRow speed', () => {
  it('maps 20k Defender rows quickly (lookups are resolved at bind)', () => {
    const columns = ['Timestamp', 'DeviceName', 'ActionType', 'FileName', 'FolderPath', 'ProcessCommandLine', 'AccountDomain', 'AccountName'];
    const bound = defenderProfile.bind(columns);
    const raw = { Timestamp: '2025-06-30T14:02:11.1234567Z', DeviceName: 'ws042.corp', ActionType: 'ProcessCreated', FileName: 'cmd.exe', FolderPath: 'C:\\Windows\\System32\\cmd.exe', ProcessCommandLine: 'cmd.exe /c x', AccountDomain: 'corp', AccountName: 'bob' };
    const started = performance.now();
    for (let i = 0; i < 20_000; i++) bound.toRow(raw);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
