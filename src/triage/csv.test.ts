import { describe, expect, it } from 'vitest';
import { bundleToCsv, csvCell, neutraliseCell, quoteCell } from './csv';
import { buildBundle } from './bundle';
import { createSession, hitRef, setVerdict } from './model';
import { DATASETS, HUNT, makeHit } from './testing';

describe('CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['+cmd', "'+cmd"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['line\nbreak', '"line\nbreak"'],
    ['', ''],
  ])('%j -> %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('neutralises only a formula start and quotes per RFC 4180', () => {
    expect(neutraliseCell('a=1')).toBe('a=1');
    expect(quoteCell('say "hi"')).toBe('"say ""hi"""');
  });
});

describe('bundleToCsv', () => {
  it('writes fields, then the decision columns, with CRLF and a BOM', () => {
    const hits = [makeHit(1, { cmd: '=cmd|" /c calc"!A0' }), makeHit(2)];
    let s = createSession({ hunt: HUNT, datasets: DATASETS, analyst: 'alice', now: '2025-07-01T10:00:00.000Z' });
    s = setVerdict(s, [hitRef(hits[0])], 'malicious', 'alice', '2025-07-01T10:01:00.000Z');
    const csv = bundleToCsv(buildBundle({ session: s, hits, query: null, now: '2025-07-01T10:02:00.000Z' }));
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      '_time,agent_hostname,actor_effective_username,action_process_image_name,action_process_image_command_line,event_id,verdict,reason,notes,analyst,decided_at,file,row',
    );
    expect(lines[1]).toBe(
      `2025-06-30T14:02:11.001Z,WS-1,CORP\\user1,cmd.exe,"'=cmd|"" /c calc""!A0",evt-1,malicious,,,alice,2025-07-01T10:01:00.000Z,xdr_export.csv,1`,
    );
    expect(lines[2]).toMatch(/,untriaged,,,,,xdr_export\.csv,2$/);
    expect(lines[3]).toBe('');
  });
});
