import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseHunt, UNTITLED_HUNT } from './index';
import type { Hunt } from './index';

const bundledPath = fileURLToPath(new URL('../../public/hunts/cloudflare-tunnel-webdav.md', import.meta.url));
const bundled = readFileSync(bundledPath, 'utf8');

/** Fixtures below are written for these tests; they only imitate the family's skeleton. */
const fence = '```';

describe('parseHunt on the bundled document', () => {
  const hunt = parseHunt(bundled);

  it('reads title and metadata', () => {
    expect(hunt.title).toBe('Detection of Cloudflare Tunnel WebDAV Activity Across Multiple Processes');
    expect(hunt.id).toBe('HuntQuery-Windows-Cloudflare-WebDAV-MultiProc');
    expect(hunt.riskScore).toBe(85);
    expect(hunt.severity).toBe('High');
    expect(hunt.operatingSystems).toEqual(['WindowsEndpoint', 'WindowsServer']);
    expect(hunt.falsePositiveRate).toBe('Medium');
  });

  it('reads the description as plain prose including its bullet list', () => {
    expect(hunt.description.startsWith('This comprehensive hunt detects attempts by various processes')).toBe(true);
    expect(hunt.description).toContain('(e.g., *.trycloudflare.com)');
    expect(hunt.description).toContain('\n- Use of commands such as net use or UNC paths');
    expect(hunt.description.endsWith('lateral movement, and command and control.')).toBe(true);
    expect(hunt.description).not.toContain('`');
  });

  it('reads the ATT&CK table with placeholders as null and sub-technique ids kept in technique', () => {
    expect(hunt.attack).toHaveLength(4);
    expect(hunt.attack[0]).toEqual({
      tactic: 'TA0008 - Lateral Movement',
      technique: 'T1021.002',
      subtechnique: null,
      name: 'Remote Services: SMB/Windows Admin Shares',
    });
    expect(hunt.attack.map((row) => row.technique)).toEqual(['T1021.002', 'T1105', 'T1059.003', 'T1059.001']);
    expect(hunt.attack.every((row) => row.subtechnique === null)).toBe(true);
  });

  it('reads the XQL block verbatim, leading space included, with the line of its first code line', () => {
    expect(hunt.queries).toHaveLength(1);
    const [query] = hunt.queries;
    expect(query?.language).toBe('xql');
    expect(query?.supported).toBe(true);
    expect(query?.code.startsWith(' // Title: Suspicious Scripting/Command Process')).toBe(true);
    expect(query?.code.endsWith('| sort desc _time ')).toBe(true);
    expect(query?.code).toContain('contains "\\\\\\\\"');
    const lines = bundled.split('\n');
    expect(lines[(query?.line ?? 0) - 2]).toBe('```xql');
    expect(lines[(query?.line ?? 0) - 1]).toBe(query?.code.split('\n')[0]);
    expect(hunt.queryLanguage).toBe('XQL (Cortex Query Language)');
    expect(hunt.platform).toBe('Polo Alto Cortex XSIAM');
  });

  it('reads the checklists', () => {
    expect(hunt.queryLogic).toEqual([
      'Command lines referencing Cloudflare Tunnel domains (cloudflare, *.trycloudflare.com)',
      'Command lines containing WebDAV operations, net use, or UNC paths (\\)',
      'Involvement of process types such as cmd.exe, powershell.exe, wscript.exe, or cscript.exe',
    ]);
    expect(hunt.executionRequirements).toEqual([
      'Required Permissions: User or attacker must be able to execute command shells or scripting engines.',
      'Required Artifacts: Process creation logs, command-line arguments, and network connection records.',
    ]);
    expect(hunt.considerations).toHaveLength(4);
    expect(hunt.falsePositives).toEqual([
      'Users or IT staff legitimately use WebDAV or Cloudflare Tunnel for remote access or file transfer.',
      'Automated tools or scripts generate and execute these commands for benign purposes.',
    ]);
    expect(hunt.tuningRecommendations).toEqual([]);
    expect(hunt.responseActions).toEqual([
      'Investigate the process and command line for intent and legitimacy.',
      'Analyze network connections to Cloudflare Tunnel domains and WebDAV shares.',
      'Review user activity and system logs for signs of compromise or lateral movement.',
      'Isolate affected endpoints if malicious activity is confirmed.',
      'Block or monitor access to suspicious Cloudflare Tunnel domains and WebDAV shares.',
    ]);
  });

  it('reads data sources, references and version history', () => {
    expect(hunt.dataSources).toEqual([
      { 'Log Provider': 'Cortex XSIAM', 'Event Name': 'xdr_data', 'ATT&CK Data Source': 'Process', 'ATT&CK Data Component': 'Process Creation' },
    ]);
    expect(hunt.references).toHaveLength(5);
    expect(hunt.references[1]).toEqual({ text: 'MITRE ATT&CK: T1105 – Ingress Tool Transfer', url: 'https://attack.mitre.org/techniques/T1105/' });
    expect(hunt.references.every((reference) => reference.url?.startsWith('https://'))).toBe(true);
    expect(hunt.versionHistory).toEqual([
      {
        Version: '1.0',
        Date: '2025-06-30',
        Impact: 'Initial Detection',
        Notes: 'Created comprehensive hunt query for Cloudflare Tunnel WebDAV activity across multiple processes',
      },
    ]);
    expect(hunt.version).toBe('1.0');
    expect(hunt.otherSections).toEqual([]);
  });

  it('gives the same result for CRLF line endings', () => {
    expect(parseHunt(bundled.replace(/\n/g, '\r\n'))).toEqual(hunt);
    expect(parseHunt(`\uFEFF${bundled}`)).toEqual(hunt);
  });
});

const numberedDocument = [
  '# Numbered Hunt',
  '',
  '## 1. Severity or Impact of the Detected Behavior:',
  '- **Risk Score**: 42/100',
  '- **severity:** medium',
  '',
  '## 2) *Hunt Analytics Metadata*',
  '- **Hunt ID:** HuntQuery-Test-Numbered',
  '- **Operating System:** Linux; macOS ,',
  '- **False-Positive Rate:** Low',
  '',
  '## Section 3: Hunt Analytics',
  'A short description with `inline code` and [a link](https://example.org).',
  '',
  '## 4 - MITRE ATT&CK Mapping',
  '| Tactic | Technique | Sub-technique | Technique Name |',
  '|---|---|---|---|',
  '| Persistence | T1574 | T1574.002 | Hijack Execution Flow |',
  '| Execution | T1059.003 | – | Windows Command Shell |',
  '| Execution | T1105 | - | Ingress Tool Transfer |',
  '| Execution | T1204 |  | User Execution |',
  '',
  '## 5. Query',
  '**Query Language:** XQL  ',
  '**Platform:** Test Platform',
  '',
  `${fence}XQL`,
  '   // Title: indented comment',
  'dataset = xdr_data | limit 5',
  fence,
  '',
  '### Alternative query',
  `${fence}fql`,
  '#event_simpleName=ProcessRollup2',
  fence,
  '',
  `${fence}kql title="x"`,
  'DeviceProcessEvents | take 5',
  fence,
  '',
  fence,
  'no language here',
  fence,
  '',
  '## 6. Known False Positives:',
  'False positives may occur if:',
  '',
  '* Admins do admin things.',
  '* Backup software runs.',
  '',
  '## 7. Tuning',
  '- Exclude the backup service account.',
  '',
  '## 8. **Response**',
  '1. Contain:',
  '   - Isolate the host.',
  '   - Reset credentials.',
  '2. Investigate the parent process.',
  '   - Pull the process tree.',
  '',
  '## 9. References',
  '- Internal runbook 12 (no link)',
  '- See [first](https://a.example/1) and [second](https://b.example/2)',
  '- Vendor write-up https://c.example/post',
  '',
  '## 10. Version History',
  '| Version | Date | Notes |',
  '|---|---|---|',
  '| 1.2 | 2025-02-01 | tweak |',
  '| 1.10 | 2025-03-01 | later |',
  '| 1.9 | 2025-01-01 | older, listed last |',
  '',
  '## 11. Appendix',
  'Some **extra** notes.',
  '',
  '---',
  '',
].join('\n');

describe('parseHunt on document variations', () => {
  const hunt = parseHunt(numberedDocument);

  it('finds numbered, emphasised and colon-terminated headings', () => {
    expect(hunt.title).toBe('Numbered Hunt');
    expect(hunt.riskScore).toBe(42);
    expect(hunt.severity).toBe('medium');
    expect(hunt.id).toBe('HuntQuery-Test-Numbered');
    expect(hunt.operatingSystems).toEqual(['Linux', 'macOS']);
    expect(hunt.falsePositiveRate).toBe('Low');
    expect(hunt.description).toBe('A short description with inline code and a link.');
  });

  it('reads all placeholder spellings as null and keeps real sub-techniques', () => {
    expect(hunt.attack.map((row) => row.subtechnique)).toEqual(['T1574.002', null, null, null]);
    expect(hunt.attack[1]?.technique).toBe('T1059.003');
  });

  it('lists every fenced block with its language, support and line', () => {
    expect(hunt.queries.map((query) => [query.language, query.supported])).toEqual([
      ['xql', true],
      ['fql', false],
      ['kql', false],
      ['', false],
    ]);
    expect(hunt.queries[0]?.code).toBe('   // Title: indented comment\ndataset = xdr_data | limit 5');
    const lines = numberedDocument.split('\n');
    for (const query of hunt.queries) expect(lines[query.line - 1]).toBe(query.code.split('\n')[0]);
    expect(hunt.queryLanguage).toBe('XQL');
    expect(hunt.platform).toBe('Test Platform');
  });

  it('drops lead-ins and prefixes nested items with their lead-in parent', () => {
    expect(hunt.falsePositives).toEqual(['Admins do admin things.', 'Backup software runs.']);
    expect(hunt.tuningRecommendations).toEqual(['Exclude the backup service account.']);
    expect(hunt.responseActions).toEqual([
      'Contain: Isolate the host.',
      'Contain: Reset credentials.',
      'Investigate the parent process.',
      'Pull the process tree.',
    ]);
  });

  it('reads references with and without links', () => {
    expect(hunt.references).toEqual([
      { text: 'Internal runbook 12 (no link)', url: null },
      { text: 'first', url: 'https://a.example/1' },
      { text: 'second', url: 'https://b.example/2' },
      { text: 'Vendor write-up', url: 'https://c.example/post' },
    ]);
  });

  it('takes the highest version, not the last row', () => {
    expect(hunt.versionHistory).toHaveLength(3);
    expect(hunt.version).toBe('1.10');
  });

  it('keeps unknown sections verbatim without the trailing separator', () => {
    expect(hunt.otherSections).toEqual([{ heading: '11. Appendix', markdown: 'Some **extra** notes.' }]);
  });
});

describe('parseHunt on metadata written as tables', () => {
  it('reads a key/value table', () => {
    const hunt = parseHunt(
      ['# Table Metadata', '', '## Hunt Analytics Metadata', '', '| Field | Value |', '|---|---|', '| ID | HQ-1 |', '| Risk Score | 70 |', '| Severity | High |', '| Operating Systems | Windows, Linux |', '| False Positive Rate | Low |'].join('\n'),
    );
    expect([hunt.id, hunt.riskScore, hunt.severity, hunt.operatingSystems, hunt.falsePositiveRate]).toEqual(['HQ-1', 70, 'High', ['Windows', 'Linux'], 'Low']);
  });

  it('reads a header-keyed table', () => {
    const hunt = parseHunt(['# T', '## Severity', '| Risk Score | Severity |', '|---|---|', '| 12 | Low |'].join('\n'));
    expect([hunt.riskScore, hunt.severity]).toEqual([12, 'Low']);
  });
});

describe('parseHunt on missing sections and non-hunts', () => {
  const isEmptyHunt = (hunt: Hunt): void => {
    expect(hunt.id).toBe('');
    expect([hunt.riskScore, hunt.severity, hunt.falsePositiveRate, hunt.queryLanguage, hunt.platform, hunt.version]).toEqual([null, null, null, null, null, null]);
    for (const list of [hunt.attack, hunt.queryLogic, hunt.dataSources, hunt.executionRequirements, hunt.considerations, hunt.falsePositives, hunt.tuningRecommendations, hunt.responseActions, hunt.references, hunt.versionHistory, hunt.operatingSystems]) {
      expect(list).toEqual([]);
    }
  };

  it('returns an untitled empty hunt for the empty string', () => {
    const hunt = parseHunt('');
    expect(hunt.title).toBe(UNTITLED_HUNT);
    isEmptyHunt(hunt);
    expect(hunt.queries).toEqual([]);
    expect(hunt.description).toBe('');
    expect(hunt.otherSections).toEqual([]);
  });

  it('keeps random prose as the description of an untitled hunt', () => {
    const hunt = parseHunt('just some words: nothing here\nmore words');
    expect(hunt.title).toBe(UNTITLED_HUNT);
    isEmptyHunt(hunt);
    expect(hunt.description).toBe('just some words: nothing here more words');
  });

  it('reads a document that is only a code block', () => {
    const hunt = parseHunt(`${fence}xql\ndataset = xdr_data\n${fence}`);
    expect(hunt.title).toBe(UNTITLED_HUNT);
    isEmptyHunt(hunt);
    expect(hunt.queries).toEqual([{ language: 'xql', code: 'dataset = xdr_data', supported: true, line: 2 }]);
  });

  it('falls back to the first heading when there is no H1, and leaves absent sections empty', () => {
    const hunt = parseHunt('Intro text.\n\n### Only an H3\n\n## Recommended Response Actions\n\n1. Do one thing.\n');
    expect(hunt.title).toBe('Only an H3');
    expect(hunt.responseActions).toEqual(['Do one thing.']);
    expect(hunt.description).toBe('Intro text.');
    expect(hunt.attack).toEqual([]);
  });

  it('does not take an indented code block for a query', () => {
    expect(parseHunt('# T\n\n    indented code\n').queries).toEqual([]);
  });

  it('keeps prose-only checklists as items', () => {
    const hunt = parseHunt('# T\n\n## Hunt Query Logic\n\nThis query correlates two events on one host.\n');
    expect(hunt.queryLogic).toEqual(['This query correlates two events on one host.']);
  });

  it('treats awkward table headers as plain keys', () => {
    const hunt = parseHunt('# T\n\n## Data Sources\n\n| `__proto__` | constructor | |\n|---|---|---|\n| a | b | c |\n');
    expect(hunt.dataSources).toHaveLength(1);
    const [row] = hunt.dataSources;
    expect(Object.keys(row ?? {})).toEqual(['__proto__', 'constructor', 'column 3']);
    expect(row?.['constructor']).toBe('b');
  });
});

describe('parseHunt on separators without blank lines', () => {
  it('keeps a sentence underlined by "---" inside its section', () => {
    const hunt = parseHunt('# T\n\n## Considerations\n\n- Check the parent.\n\nA closing sentence.\n---\n## False Positives\n\n- Admin scripts.\n');
    expect(hunt.considerations).toEqual(['Check the parent.']);
    expect(hunt.falsePositives).toEqual(['Admin scripts.']);
    expect(hunt.otherSections).toEqual([]);
  });

  it('still accepts a setext title', () => {
    expect(parseHunt('Setext Title\n===\n\n## Severity\n- **Severity:** Low\n').title).toBe('Setext Title');
  });
});
