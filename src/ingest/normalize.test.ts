import { describe, expect, it } from 'vitest';
import { fieldKind, normalizeValue, parseTime } from './normalize';

const T = Date.UTC(2025, 5, 30, 14, 2, 11);

describe('parseTime', () => {
  it('reads epoch numbers by magnitude', () => {
    expect(parseTime(T)).toBe(T);
    expect(parseTime(T / 1000)).toBe(T);
    expect(parseTime(1718000000.5)).toBe(1718000000500);
    expect(parseTime(T * 1000 + 999)).toBe(T);
    expect(parseTime(T * 1e6 + 123456)).toBe(T);
  });

  it('reads numeric strings of every unit, fractions digit-exact', () => {
    expect(parseTime(String(T))).toBe(T);
    expect(parseTime(String(T / 1000))).toBe(T);
    expect(parseTime('1718000000.5')).toBe(1718000000500);
    expect(parseTime('1718000000.123')).toBe(1718000000123);
    expect(parseTime(`${T}123`)).toBe(T);
    expect(parseTime(`${T}123456`)).toBe(T);
  });

  it('reads ISO 8601 with Z, offsets, no zone and 1-9 fraction digits', () => {
    expect(parseTime('2025-06-30T14:02:11Z')).toBe(T);
    expect(parseTime('2025-06-30T16:02:11+02:00')).toBe(T);
    expect(parseTime('2025-06-30T12:02:11-0200')).toBe(T);
    expect(parseTime('2025-06-30T14:02:11')).toBe(T);
    expect(parseTime('2025-06-30T14:02:11.1234567Z')).toBe(T + 123);
    expect(parseTime('2025-06-30T14:02:11.5Z')).toBe(T + 500);
    expect(parseTime('2025-06-30T14:02:11.123456789Z')).toBe(T + 123);
  });

  it('reads the XQL stream text form with 1-6 fraction digits and optional UTC', () => {
    expect(parseTime('2021-10-14 03:59:09.793 UTC')).toBe(Date.UTC(2021, 9, 14, 3, 59, 9, 793));
    expect(parseTime('2021-10-14 04:02:12.883114 UTC')).toBe(Date.UTC(2021, 9, 14, 4, 2, 12, 883));
    expect(parseTime('2021-10-14 04:02:27.78 UTC')).toBe(Date.UTC(2021, 9, 14, 4, 2, 27, 780));
    expect(parseTime('2025-06-30 14:02:11')).toBe(T);
  });

  it('reads the UI display style with ordinal suffixes and month names', () => {
    expect(parseTime('Jun 30th 2025 14:02:11')).toBe(T);
    expect(parseTime('June 30 2025 14:02:11')).toBe(T);
    expect(parseTime('Jul 1st 2025 00:00:00')).toBe(Date.UTC(2025, 6, 1));
    expect(parseTime('Jul 2nd 2025 00:00:00')).toBe(Date.UTC(2025, 6, 2));
    expect(parseTime('Jul 3rd 2025 00:00:00')).toBe(Date.UTC(2025, 6, 3));
  });

  it('rejects NULL, empty, garbage and impossible dates that Date.parse would accept', () => {
    for (const bad of ['NULL', '', '   ', 'hello', '1 2', '2025-02-30T00:00:00Z', '2025-13-01', 'Foo 3 2025 00:00:00', '2025-06-30T25:00:00Z', null, undefined, true, {}, Number.NaN]) {
      expect(parseTime(bad), String(bad)).toBeNull();
    }
  });
});

describe('normalizeValue', () => {
  it('maps null, undefined and NULL in any case to null', () => {
    expect(normalizeValue('agent_hostname', undefined)).toBeNull();
    expect(normalizeValue('agent_hostname', null)).toBeNull();
    expect(normalizeValue('agent_hostname', 'NULL')).toBeNull();
    expect(normalizeValue('agent_hostname', 'null')).toBeNull();
  });

  it('maps TRUE/FALSE strings in any case to booleans', () => {
    expect(normalizeValue('agent_is_vdi', 'TRUE')).toBe(true);
    expect(normalizeValue('agent_is_vdi', 'false')).toBe(false);
    expect(normalizeValue('agent_is_vdi', true)).toBe(true);
  });

  it('canonicalises enum names and translates known codes only', () => {
    expect(normalizeValue('event_type', 'ENUM.PROCESS')).toBe('PROCESS');
    expect(normalizeValue('event_type', 'process')).toBe('PROCESS');
    expect(normalizeValue('event_type', 1)).toBe('PROCESS');
    expect(normalizeValue('event_type', '3')).toBe('FILE');
    expect(normalizeValue('event_type', 99)).toBe(99);
    expect(normalizeValue('event_sub_type', 1, 'PROCESS')).toBe('PROCESS_START');
    expect(normalizeValue('event_sub_type', '1', 'PROCESS')).toBe('PROCESS_START');
    expect(normalizeValue('event_sub_type', 1, 'FILE')).toBe(1);
    expect(normalizeValue('event_sub_type', 1)).toBe(1);
    expect(normalizeValue('agent_os_type', 'enum.agent_os_windows')).toBe('AGENT_OS_WINDOWS');
    expect(normalizeValue('action_file_type', 18)).toBe(18);
  });

  it('parses time fields and keeps unparsable time text', () => {
    expect(normalizeValue('_time', '2025-06-30T14:02:11Z')).toBe(T);
    expect(normalizeValue('insert_timestamp', String(T))).toBe(T);
    expect(normalizeValue('event_timestamp', T)).toBe(T);
    expect(normalizeValue('actor_process_execution_time', T / 1000)).toBe(T);
    expect(normalizeValue('_insert_time', '2021-10-14 03:59:09.793 UTC')).toBe(Date.UTC(2021, 9, 14, 3, 59, 9, 793));
    expect(normalizeValue('_time', 'yesterday')).toBe('yesterday');
    expect(fieldKind('agent_hostname')).toBe('plain');
  });

  it('keeps other strings exactly, numbers as numbers, and JSON structures recursively', () => {
    expect(normalizeValue('action_process_image_command_line', '  cmd.exe /c "x"  ')).toBe('  cmd.exe /c "x"  ');
    expect(normalizeValue('action_process_os_pid', 4)).toBe(4);
    expect(normalizeValue('action_process_os_pid', '4')).toBe('4');
    expect(normalizeValue('agent_ip_addresses', ['10.0.0.1', null, { a: 1 }])).toEqual(['10.0.0.1', null, { a: 1 }]);
    expect(normalizeValue('agent_hostname', '')).toBe('');
  });
});
