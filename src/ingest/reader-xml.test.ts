import { describe, expect, it } from 'vitest';
import { gzipSync } from 'fflate';
import { readEverywhere } from './test-helpers';

const EVENTS = `<?xml version="1.0" encoding="utf-8"?>
<Events>
<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Microsoft-Windows-Sysmon"/><EventID>1</EventID><Computer>ws1</Computer></System><EventData><Data Name="Image">C:\\Windows\\System32\\cmd.exe</Data><Data Name="CommandLine">cmd /c "a &amp; b" ü</Data></EventData></Event>
</Events>
`;

describe('byte reader with the real XML event parser', () => {
  it('reads a UTF-16 LE, gzip-compressed Event Viewer export end to end', () => {
    const units = '\uFEFF' + EVENTS;
    const utf16 = new Uint8Array(units.length * 2);
    for (let i = 0; i < units.length; i++) {
      utf16[2 * i] = units.charCodeAt(i) & 0xff;
      utf16[2 * i + 1] = units.charCodeAt(i) >> 8;
    }
    const result = readEverywhere(gzipSync(utf16), 'events.xml.gz');
    expect(result.format).toEqual({ format: 'xml-events', compression: 'gzip', encoding: 'utf-16le', bom: true });
    expect(result.malformed).toEqual([]);
    expect(result.records).toHaveLength(1);
    expect(result.records[0].record).toMatchObject({ EventID: '1', Computer: 'ws1', CommandLine: 'cmd /c "a & b" ü' });
    expect(result.records[0].line).toBe(3);
  });
});
