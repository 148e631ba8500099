import { describe, expect, it } from 'vitest';
import type { RawRecord } from '../engine/value';
import type { RecordSink } from './types';
import { createXmlEventParser, decodeEntities, parseEvent } from './xml-events';

interface Collected {
  columns: string[][];
  records: { record: RawRecord; line: number; rawText?: string }[];
  malformed: { line: number; reason: string }[];
}

function collector(): { sink: RecordSink; out: Collected } {
  const out: Collected = { columns: [], records: [], malformed: [] };
  const sink: RecordSink = {
    columns: (columns) => {
      expect(out.records).toHaveLength(0);
      out.columns.push(columns);
    },
    record: (record, line, rawText) => out.records.push({ record, line, rawText }),
    malformed: (line, reason) => out.malformed.push({ line, reason }),
  };
  return { sink, out };
}

function parseInChunks(text: string, size: number): Collected {
  const { sink, out } = collector();
  const parser = createXmlEventParser(sink);
  for (let i = 0; i < text.length; i += size) parser.push(text.slice(i, i + size));
  parser.end();
  return out;
}

const SYSMON_EVENT = `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
  <System>
    <Provider Name="Microsoft-Windows-Sysmon" Guid="{5770385f-c22a-43e0-bf4c-06f5698ffbd9}"/>
    <EventID>1</EventID>
    <Version>5</Version>
    <Level>4</Level>
    <TimeCreated SystemTime="2025-06-30T14:02:11.1234567Z"/>
    <EventRecordID>4711</EventRecordID>
    <Execution ProcessID="3012" ThreadID="4420"/>
    <Channel>Microsoft-Windows-Sysmon/Operational</Channel>
    <Computer>WS042.corp.example.com</Computer>
    <Security UserID="S-1-5-18"/>
  </System>
  <EventData>
    <Data Name="UtcTime">2025-06-30 14:02:11.123</Data>
    <Data Name="ProcessId">5584</Data>
    <Data Name="Image">C:\\Windows\\System32\\cmd.exe</Data>
    <Data Name="CommandLine">cmd.exe /c net use \\\\flour.trycloudflare.com@SSL\\DavWWWRoot &amp; start /b &quot;x&quot; &lt;&gt; &apos;q&apos; &#65;&#x42;&#x1F600;</Data>
    <Data Name="User">CORP\\jürgen.müller</Data>
    <Data Name="Description"/>
    <Data Name="ParentCommandLine">line one
line two</Data>
  </EventData>
</Event>`;

const SECURITY_EVENT = `<Event><System><Provider Name="Microsoft-Windows-Security-Auditing"/><EventID>4688</EventID><TimeCreated SystemTime="2025-06-30T14:03:00.0000000Z"/><EventRecordID>99</EventRecordID><Channel>Security</Channel><Computer>WS042</Computer></System><EventData><Data Name="NewProcessId">0x1a2b</Data><Data Name="NewProcessName">C:\\Windows\\System32\\cscript.exe</Data><Data Name="ProcessId">0x2c</Data></EventData></Event>`;

describe('parseEvent', () => {
  it('flattens System fields and named EventData, decoding entities', () => {
    const record = parseEvent(SYSMON_EVENT);
    expect(typeof record).toBe('object');
    expect(record).toMatchObject({
      EventID: '1',
      Version: '5',
      Provider: 'Microsoft-Windows-Sysmon',
      TimeCreated: '2025-06-30T14:02:11.1234567Z',
      EventRecordID: '4711',
      ExecutionProcessID: '3012',
      ExecutionThreadID: '4420',
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      Computer: 'WS042.corp.example.com',
      SecurityUserID: 'S-1-5-18',
      UtcTime: '2025-06-30 14:02:11.123',
      ProcessId: '5584',
      Image: 'C:\\Windows\\System32\\cmd.exe',
      CommandLine: 'cmd.exe /c net use \\\\flour.trycloudflare.com@SSL\\DavWWWRoot & start /b "x" <> \'q\' AB😀',
      User: 'CORP\\jürgen.müller',
      Description: '',
      ParentCommandLine: 'line one\nline two',
    });
  });

  it('reads UserData leaves, unnamed Data and RenderingInfo', () => {
    const xml =
      '<Event><System><EventID Qualifiers="16384">7036</EventID><Channel>System</Channel></System>' +
      '<EventData><Data>first</Data><Data>second</Data><Binary>00FF</Binary></EventData>' +
      '<UserData><LogFileCleared xmlns="x"><SubjectUserName>bob</SubjectUserName><Data Name="Extra">e</Data></LogFileCleared></UserData>' +
      '<RenderingInfo Culture="en-US"><Message>The service entered the &quot;running&quot; state.</Message></RenderingInfo></Event>';
    expect(parseEvent(xml)).toEqual({
      EventID: '7036',
      Channel: 'System',
      Data1: 'first',
      Data2: 'second',
      Binary: '00FF',
      SubjectUserName: 'bob',
      Extra: 'e',
      Message: 'The service entered the "running" state.',
    });
  });

  it('keeps a Data name that collides with a System key, and a __proto__ name as a key', () => {
    const xml =
      '<Event><System><EventID>4</EventID><Version>3</Version></System><EventData><Data Name="Version">15.0</Data><Data Name="__proto__">p</Data><Data Name="constructor">c</Data></EventData></Event>';
    const record = parseEvent(xml) as RawRecord;
    expect(record.Version).toBe('3');
    expect(record['EventData.Version']).toBe('15.0');
    expect(Object.keys(record)).toContain('__proto__');
    expect(record.constructor).toBe('c');
  });

  it('reports broken structure', () => {
    expect(parseEvent('<Event><System><EventID>1</EventID></Event>')).toMatch(/unexpected <\/Event>/);
    expect(parseEvent('<Event><EventData/></Event>')).toMatch(/no <System>/);
    expect(parseEvent('<Event><System a=b></System></Event>')).toMatch(/not quoted/);
  });
});

describe('decodeEntities', () => {
  it('decodes the five named entities and numeric references only', () => {
    expect(decodeEntities('&amp;amp; &lt;&gt;&quot;&apos; &#38; &#x26; &nbsp; &#xD800; & x')).toBe('&amp; <>"\' & & &nbsp; &#xD800; & x');
  });
});

describe('createXmlEventParser', () => {
  const wrapped = `\uFEFF<?xml version="1.0" encoding="utf-8" standalone="yes"?>\r\n<Events>\r\n${SYSMON_EVENT}\r\n<!-- a comment -->\r\n${SECURITY_EVENT}\r\n</Events>\r\n`;
  const expectedLines = [3, 3 + SYSMON_EVENT.split('\n').length + 1];

  it('reads an <Events> file identically for every chunk size 1..7 and whole', () => {
    const whole = parseInChunks(wrapped, wrapped.length);
    expect(whole.malformed).toEqual([]);
    expect(whole.records.map((r) => r.line)).toEqual(expectedLines);
    expect(whole.records.map((r) => r.record.EventID)).toEqual(['1', '4688']);
    expect(whole.columns).toHaveLength(1);
    expect(whole.columns[0]).toEqual(expect.arrayContaining(['EventID', 'Image', 'CommandLine', 'NewProcessName', 'NewProcessId']));
    expect(whole.records[0].rawText).toBe(SYSMON_EVENT);
    for (let size = 1; size <= 7; size++) {
      const chunked = parseInChunks(wrapped, size);
      expect(chunked.malformed).toEqual([]);
      expect(chunked.records).toEqual(whole.records);
      expect(chunked.columns).toEqual(whole.columns);
    }
  });

  it('reads bare events without a wrapper or namespace', () => {
    const out = parseInChunks(`${SECURITY_EVENT}\n${SECURITY_EVENT}\n`, 5);
    expect(out.records.map((r) => r.line)).toEqual([1, 2]);
    expect(out.records[0].record).toMatchObject({ NewProcessId: '0x1a2b', ProcessId: '0x2c', Computer: 'WS042' });
  });

  it('reports a malformed event and goes on', () => {
    const broken = '<Event><System><EventID>1</EventID></System><EventData><Data Name="A">x</Dat></EventData></Event>';
    const text = `${broken}\n${SECURITY_EVENT}\n<Event><System>\n${SECURITY_EVENT}\n<Event><System><EventID>9</EventID>`;
    for (const size of [1, 3, text.length]) {
      const out = parseInChunks(text, size);
      expect(out.records.map((r) => r.line)).toEqual([2, 4]);
      expect(out.malformed.map((m) => m.line)).toEqual([1, 3, 5]);
      expect(out.malformed[1].reason).toMatch(/not closed/);
      expect(out.malformed[2].reason).toMatch(/truncated/);
    }
  });

  it('calls columns once, with the union of the first 256 records, also for an empty input', () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      `<Event><System><EventID>1</EventID></System><EventData><Data Name="${i === 10 ? 'Rare' : i === 280 ? 'Late' : 'Image'}">x</Data></EventData></Event>`,
    ).join('\n');
    const out = parseInChunks(many, 4096);
    expect(out.columns).toHaveLength(1);
    expect(out.columns[0]).toEqual(['EventID', 'Image', 'Rare']);
    expect(out.records).toHaveLength(300);
    const empty = parseInChunks('<?xml version="1.0"?><Events></Events>', 3);
    expect(empty.columns).toEqual([[]]);
    expect(empty.records).toEqual([]);
  });
});
