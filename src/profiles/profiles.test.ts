import { describe, expect, it } from 'vitest';
import type { RawRecord, Row } from '../engine/value';
import { detectProfile, xdrProfile } from '../ingest/xdr-profile';
import { allProfiles, profileById } from './index';
import { FIXTURES, HOST_SHORT, basename, otherEvents, processEvents, timeOf } from './fixtures/activity';
import type { FixtureSpec } from './fixtures/activity';
import { readFixture } from './testing';

/** The engine detects on the header plus this many buffered records (src/engine/run.ts). */
const DETECTION_SAMPLE = 64;

const HUNT_FIELDS = [
  '_time', 'agent_hostname', 'actor_effective_username', 'action_process_image_name', 'action_process_image_path',
  'action_process_image_command_line', 'event_type', 'event_sub_type', 'agent_os_type', '_product',
];

function rowsOf(spec: FixtureSpec): { rows: Row[]; records: RawRecord[]; columns: string[] } {
  const read = readFixture(spec.file);
  const profile = profileById(spec.profileId);
  if (!profile) throw new Error(`no profile ${spec.profileId}`);
  const bound = profile.bind(read.columns);
  return { rows: read.records.map((r) => bound.toRow(r)), records: read.records, columns: read.columns };
}

describe.each(FIXTURES.map((spec) => [spec.file, spec] as const))('fixture %s', (_file, spec) => {
  const read = readFixture(spec.file);

  it('reads cleanly', () => {
    expect(read.malformed).toEqual([]);
    const others = spec.file === 'splunk-cim.csv' ? 0 : spec.file.includes('4688') ? 2 : otherEvents.length;
    expect(read.records).toHaveLength(processEvents.length + others);
  });

  it(`is detected as ${spec.profileId} by content alone, ahead of xdr`, () => {
    const sample = read.records.slice(0, DETECTION_SAMPLE);
    const chosen = detectProfile(read.columns, sample, allProfiles);
    expect(chosen?.profile.id).toBe(spec.profileId);
    expect(chosen?.detection.reason).toMatch(/:\s\S/);
    const xdr = xdrProfile.detect(read.columns, sample);
    expect(xdr === null || xdr.score < (chosen?.detection.score ?? 0)).toBe(true);
    // Every other source profile either passes or scores lower.
    for (const other of allProfiles) {
      if (other.id === spec.profileId) continue;
      const detection = other.detect(read.columns, sample);
      if (detection) expect(detection.score, other.id).toBeLessThan(chosen?.detection.score ?? 0);
    }
  });

  it('binds every field the hunt reads, and a mapping entry for each', () => {
    const bound = profileById(spec.profileId)?.bind(read.columns);
    expect(bound).toBeDefined();
    if (!bound) return;
    expect(bound.profileId).toBe(spec.profileId);
    for (const field of HUNT_FIELDS) expect(bound.canonicalColumns, field).toContain(field);
    expect(bound.canonicalColumns).toContain('agent_hostname_short');
    for (const field of bound.canonicalColumns) expect(bound.mapping[field], field).toBeTruthy();
    expect(new Set(bound.canonicalColumns).size).toBe(bound.canonicalColumns.length);
    if (spec.eventId(processEvents[0]) !== null) expect(bound.canonicalColumns).toContain('event_id');
  });

  it('maps every process event to the canonical values', () => {
    const { rows } = rowsOf(spec);
    const starts = rows.filter((row) => row.event_type === 'PROCESS');
    expect(starts).toHaveLength(processEvents.length);
    for (const event of processEvents) {
      const row = starts.find((r) => r.action_process_image_command_line === event.commandLine);
      expect(row, `seq ${event.seq}`).toBeDefined();
      if (!row) continue;
      const path = spec.path(event);
      expect(row, `seq ${event.seq}`).toMatchObject({
        _time: timeOf(event),
        agent_hostname: spec.host,
        agent_hostname_short: HOST_SHORT,
        actor_effective_username: spec.user(event),
        action_process_image_name: basename(path),
        action_process_image_path: path,
        event_type: 'PROCESS',
        event_sub_type: 'PROCESS_START',
        agent_os_type: 'AGENT_OS_WINDOWS',
        actor_process_image_name: basename(event.parentImage),
      });
      if (spec.eventId(event) !== null) expect(row.event_id, `seq ${event.seq}`).toBe(spec.eventId(event));
      if (spec.parentCommandLine) expect(row.actor_process_command_line, `seq ${event.seq}`).toBe(event.parentCommandLine);
      expect(typeof row._product).toBe('string');
      expect(typeof row._vendor).toBe('string');
    }
  });

  it('maps non-process events to something the hunt cannot match', () => {
    const { rows } = rowsOf(spec);
    const others = rows.filter((row) => row.event_type !== 'PROCESS');
    for (const row of others) {
      expect(row.event_type).toBe('EVENT_LOG');
      expect(row.event_sub_type).toBeNull();
      expect(row._time).toEqual(expect.any(Number));
    }
  });
});

describe('fixture details', () => {
  it('Security 4688 keeps hex process ids', () => {
    for (const file of ['security-4688.xml', 'security-4688-evtxecmd.csv', 'splunk-4688.csv']) {
      const spec = FIXTURES.find((f) => f.file === file) as FixtureSpec;
      const row = rowsOf(spec).rows.find((r) => r.action_process_image_command_line === processEvents[0].commandLine);
      expect(row?.action_process_os_pid, file).toBe(`0x${processEvents[0].pid.toString(16)}`);
      if (file !== 'splunk-4688.csv') expect(row?.actor_process_os_pid, file).toBe(`0x${processEvents[0].ppid.toString(16)}`);
    }
  });

  it('CrowdStrike names come from NT device paths', () => {
    const spec = FIXTURES.find((f) => f.file === 'crowdstrike.csv') as FixtureSpec;
    const row = rowsOf(spec).rows.find((r) => r.action_process_image_command_line === processEvents[0].commandLine);
    expect(row?.action_process_image_path).toBe('\\Device\\HarddiskVolume3\\Windows\\System32\\cmd.exe');
    expect(row?.action_process_image_name).toBe('cmd.exe');
    expect(row?.agent_id).toBe('a3f1c2d4e5b64789a0b1c2d3e4f5a6b7');
  });

  it('a Defender row whose FolderPath is only the folder gets the full path', () => {
    const spec = FIXTURES.find((f) => f.file === 'defender.csv') as FixtureSpec;
    const { rows, records } = rowsOf(spec);
    const at = records.findIndex((r) => r.FolderPath === 'C:\\Windows\\System32' && r.FileName === 'cscript.exe');
    expect(at).toBeGreaterThan(-1);
    expect(rows[at].action_process_image_path).toBe('C:\\Windows\\System32\\cscript.exe');
    expect(rows[at].agent_hostname).toBe('ws042.corp.example.com');
  });

  it('the Defender "OpenProcessApiCall" row carries a matching command line but is not a process start', () => {
    const spec = FIXTURES.find((f) => f.file === 'defender.csv') as FixtureSpec;
    const { rows } = rowsOf(spec);
    const lookalikes = rows.filter((r) => r.action_process_image_command_line === processEvents[0].commandLine);
    expect(lookalikes.map((r) => r.event_type).sort()).toEqual(['EVENT_LOG', 'PROCESS']);
  });

  it('SentinelOne "Process Termination" rows are not process starts', () => {
    for (const file of ['sentinelone.csv', 'sentinelone.ndjson']) {
      const spec = FIXTURES.find((f) => f.file === file) as FixtureSpec;
      const { rows } = rowsOf(spec);
      const lookalikes = rows.filter((r) => r.action_process_image_command_line === processEvents[0].commandLine);
      expect(lookalikes.map((r) => r.event_sub_type), file).toEqual(['PROCESS_START', null]);
    }
  });

  it('multi-line command lines survive every format', () => {
    const multi = processEvents.find((e) => e.commandLine.includes('\r\n'));
    expect(multi).toBeDefined();
    for (const spec of FIXTURES) {
      const found = rowsOf(spec).rows.some((r) => r.action_process_image_command_line === multi?.commandLine);
      expect(found, spec.file).toBe(true);
    }
  });
});
