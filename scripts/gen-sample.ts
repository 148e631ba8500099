/**
 * Writes the bundled sample export and its ground truth:
 *   public/samples/xdr-sample.csv            RFC 4180 CSV, xdr_data column names, _time as "... UTC" text
 *   public/samples/xdr-sample.ndjson         the same events, one JSON object a line, _time epoch ms
 *   public/samples/xdr-sample.expected.json  hits under both string-literal readings, near misses
 *
 * Usage: npx tsx scripts/gen-sample.ts [--out <dir>]   (default: public/samples)
 *
 * Deterministic (seeded PRNG, fixed base time) and idempotent: files whose content would not change
 * are not rewritten, so the dev server does not reload on every `npm start`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Rng } from './lib/prng';
import type { Reading } from './lib/hunt-eval';
import { CLAUSES, compareHitOrder, isHit, nearMissClause } from './lib/hunt-eval';
import type { Category, Host, Label, Spec, XdrEvent } from './lib/xdr-events';
import { SAMPLE_COLUMNS, csvHeader, csvRecord, makeEventId, materialize, ndjsonRecord } from './lib/xdr-events';
import { backgroundPicker } from './lib/background';
import { SINGLES, chainRobocopy, chainVbs, chainWscript } from './lib/hunt-cases';
import { sampleHosts } from './lib/hosts';

export const SAMPLE_SEED = 'hunt-triage-sample-v1';
/** Tue 2025-06-24 00:00:00 UTC; the sample covers three days from here. */
export const SAMPLE_BASE_MS = Date.UTC(2025, 5, 24, 0, 0, 0);
export const SAMPLE_DAYS = 3;
export const SAMPLE_FILES = { csv: 'xdr-sample.csv', ndjson: 'xdr-sample.ndjson', expected: 'xdr-sample.expected.json' } as const;

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Background events per host over the three days, by role; about 3,900 in all. */
const BACKGROUND_BUDGET: Readonly<Record<Host['role'], number>> = { workstation: 370, server: 300, linux: 150, mac: 120 };

export interface SampleEvent {
  ev: XdrEvent;
  label: Label;
}

export interface NearMissEntry {
  event_id: string;
  failedClause: string;
  failedClauseIndex: number;
  template: string;
}

export interface SampleExpected {
  file: string;
  ndjson: string;
  rows: number;
  columns: string[];
  seed: string;
  timeRange: { from: string; to: string };
  clauses: readonly string[];
  /** event_ids of hits under the documented XQL reading ("\\\\" = four backslashes), sort desc _time. */
  hitsXql: string[];
  /** event_ids of hits when "\\\\" means two backslashes (a UNC path), sort desc _time. */
  hitsBackslash: string[];
  /** Events failing exactly one clause under the xql reading (the engine's default), sort desc _time. */
  nearMisses: NearMissEntry[];
  /** The same under the backslash reading. */
  nearMissesBackslash: NearMissEntry[];
  /** For every event listed above: what the generator made it as. */
  labels: Record<string, { category: Category; template: string; malicious: boolean }>;
  counts: Record<string, number>;
}

export interface Sample {
  events: SampleEvent[];
  csv: string;
  ndjson: string;
  expected: SampleExpected;
}

interface Placed {
  spec: Spec;
  host: Host;
  t: number;
}

function at(day: number, h: number, m: number, s: number, ms = 0): number {
  return SAMPLE_BASE_MS + day * DAY + h * HOUR + m * 60_000 + s * 1000 + ms;
}

/** Working-hours-heavy time of day for user machines (07:00-18:00 UTC), uniform for servers. */
function backgroundTime(rng: Rng, host: Host): number {
  const day = rng.int(SAMPLE_DAYS);
  const userMachine = host.role !== 'server';
  if (userMachine && rng.chance(0.9)) return SAMPLE_BASE_MS + day * DAY + 7 * HOUR + rng.int(11 * HOUR);
  return SAMPLE_BASE_MS + day * DAY + rng.int(DAY);
}

function hostByName(hosts: readonly Host[], prefix: string): Host {
  const h = hosts.find((x) => x.hostname.startsWith(prefix));
  if (!h) throw new Error(`no sample host ${prefix}`);
  return h;
}

/** Places every spec of a template at `t0` (+ each spec's dtMs) on `host`. */
function place(out: Placed[], host: Host, t0: number, specs: readonly Spec[]): void {
  for (const spec of specs) out.push({ spec, host, t: t0 + (spec.dtMs ?? 0) });
}

function scenes(rng: Rng, hosts: readonly Host[], out: Placed[]): void {
  const finA = hostByName(hosts, 'WS-FIN-042');
  const fin2 = hostByName(hosts, 'WS-FIN-017');
  const hr = hostByName(hosts, 'WS-HR-008');
  const eng1 = hostByName(hosts, 'WS-ENG-113');
  const eng2 = hostByName(hosts, 'WS-ENG-127');
  const it = hostByName(hosts, 'WS-IT-003');
  const sales = hostByName(hosts, 'WS-SALES-021');
  const legal = hostByName(hosts, 'WS-LEGAL-005');
  const app = hostByName(hosts, 'SRV-APP02');
  const lnx = hostByName(hosts, 'lnx-build-01');
  const mac = hostByName(hosts, 'MBP-DES-014');
  const S = SINGLES;

  // Three SERPENTINE#CLOUD victims, one per day.
  place(out, finA, at(0, 9, 41, 7, 312), chainRobocopy(rng, { host: finA, S: 'flour-riding-merit-refers.trycloudflare.com', L: 'RE_05FSKBSAXZ25A' }));
  place(out, hr, at(1, 13, 22, 40, 77), chainWscript(rng, { host: hr, S: 'depot-arrange-zero-kai.trycloudflare.com', L: 'Bell-Invoice' }));
  place(out, sales, at(2, 8, 57, 12, 905), chainVbs(rng, { host: sales, S: 'ranch-proposal-ethics-grew.trycloudflare.com', L: 'Invoice_0624' }));
  // Attacker follow-ups the hunt misses (HTTPS, file:// URL) and a failed lure on another host.
  place(out, finA, at(1, 9, 12, 33, 640), S.httpsDownload!(rng, finA, 'flour-riding-merit-refers.trycloudflare.com'));
  place(out, legal, at(2, 10, 3, 18, 222), S.fileUrlStart!(rng, legal, ''));

  // IT admin: a WebDAV test mount on a tunnel (a hit, benign), pwsh variant, script and MSI pushes.
  place(out, it, at(0, 15, 10, 2, 5), S.adminNetUseWebdav!(rng, it, ''));
  place(out, it, at(0, 15, 10, 4, 410), S.adminDavSetCookie!(rng, it, ''));
  place(out, it, at(0, 16, 2, 51, 90), S.installCloudflaredCmd!(rng, it, ''));
  place(out, it, at(1, 11, 5, 37, 301), S.adminNetUseWebdavDrive!(rng, it, ''));
  place(out, it, at(1, 11, 20, 9, 777), S.pwshNetUse!(rng, it, ''));
  place(out, it, at(2, 7, 45, 0, 130), S.netlogonDns!(rng, it, ''));
  for (const h of [fin2, legal]) {
    const t = at(1, 6, 15, rng.int(60), rng.int(1000));
    place(out, h, t, S.warpMsiFromShare!(rng, h, ''));
    place(out, h, t + 1900, S.warpMsiLocal!(rng, h, ''));
    place(out, h, t + 95_000, S.warpCli!(rng, h, ''));
    for (const day of [1, 2]) place(out, h, at(day, 6, 30, rng.int(60), rng.int(1000)), S.warpTrace!(rng, h, ''));
  }

  // Developers.
  place(out, eng1, at(0, 14, 0, 12, 450), S.wingetCloudflared!(rng, eng1, ''));
  place(out, eng1, at(0, 14, 3, 40, 18), S.cmdTunnelLogin!(rng, eng1, ''));
  place(out, eng1, at(0, 14, 5, 2, 600), S.devQuickTunnel!(rng, eng1, ''));
  place(out, eng1, at(1, 9, 30, 44, 1), S.gitCloneCloudflared!(rng, eng1, ''));
  place(out, eng1, at(1, 16, 30, 5, 250), S.devNetUseSources!(rng, eng1, 'seasonal-deck-organisms-sf.trycloudflare.com'));
  place(out, eng1, at(2, 10, 10, 10, 10), S.pipCloudflare!(rng, eng1, ''));
  place(out, eng2, at(0, 10, 20, 31, 900), S.psWingetCloudflared!(rng, eng2, ''));
  place(out, eng2, at(1, 17, 12, 8, 48), S.longPathCleanup!(rng, eng2, ''));
  place(out, eng2, at(2, 11, 48, 26, 333), S.jsonEscapedUnc!(rng, eng2, ''));

  // The app server's legitimate named tunnel: install, restarts after patching, edge connections.
  place(out, app, at(0, 8, 12, 3, 120), S.cloudflaredServiceInstallPs!(rng, { ...app, user: 'CORP\\it-admin.bwalsh' }, ''));
  place(out, app, at(0, 8, 12, 4, 980), S.cloudflaredServiceInstall!(rng, { ...app, user: 'CORP\\it-admin.bwalsh' }, ''));
  for (const t of [at(0, 8, 12, 6, 300), at(1, 3, 4, 51, 0), at(2, 3, 2, 17, 500)]) place(out, app, t, S.cloudflaredServiceRun!(rng, app, ''));
  for (let t = at(0, 8, 13, 0); t < SAMPLE_BASE_MS + SAMPLE_DAYS * DAY; t += 2 * HOUR) place(out, app, t + rng.int(600_000), S.cloudflaredEdge!(rng, app, ''));

  // Internal and SharePoint WebDAV mounts: all the "net use" without the Cloudflare half.
  for (const h of [finA, fin2, hr, sales, legal]) {
    for (let day = 0; day < SAMPLE_DAYS; day++) place(out, h, at(day, 7, 2 + rng.int(40), rng.int(60), rng.int(1000)), S.internalNetUse!(rng, h, ''));
  }
  place(out, finA, at(0, 8, 31, 12, 4), S.sharepointNetUse!(rng, finA, ''));
  place(out, fin2, at(2, 8, 5, 59, 700), S.sharepointNetUse!(rng, fin2, ''));

  // Linux and macOS: Cloudflare-ish lines that fail the OS clause.
  place(out, lnx, at(0, 13, 0, 40, 0), S.linuxQuickTunnel!(rng, lnx, ''));
  place(out, lnx, at(1, 15, 40, 2, 909), S.wineDetonation!(rng, lnx, 'flour-riding-merit-refers.trycloudflare.com'));
  place(out, mac, at(1, 10, 0, 0, 321), S.macTrace!(rng, mac, ''));
  place(out, mac, at(2, 14, 30, 27, 64), S.macPwshNetUse!(rng, mac, ''));
}

function background(rng: Rng, hosts: readonly Host[], out: Placed[]): void {
  const bg: Label = { category: 'background', template: 'background', malicious: false, expect: 'none' };
  for (const host of hosts) {
    const picker = backgroundPicker(host.role, host.dept);
    const budget = BACKGROUND_BUDGET[host.role];
    let n = 0;
    while (n < budget) {
      const t0 = backgroundTime(rng, host);
      const specs = picker.pick(rng)(rng, host);
      // A few exports spell enums as ENUM.X or as codes; spread that over the noise too.
      const roll = rng.float();
      const style = roll < 0.03 ? 'prefixed' : roll < 0.06 ? 'numeric' : 'name';
      for (const spec of specs) out.push({ spec: { ...spec, style, label: bg }, host, t: t0 + (spec.dtMs ?? 0) });
      n += specs.length;
    }
  }
}

function counted(list: readonly SampleEvent[], pred: (e: SampleEvent) => boolean): number {
  let n = 0;
  for (const e of list) if (pred(e)) n++;
  return n;
}

/** Builds the whole sample in memory. Pure: same output on every call. */
export function buildSample(): Sample {
  const rng = new Rng(SAMPLE_SEED);
  const hosts = sampleHosts(rng);
  const placed: Placed[] = [];
  scenes(rng, hosts, placed);
  background(rng, hosts, placed);

  // Unique times make "sort desc _time" a total order the engine and this file must agree on.
  placed.sort((a, b) => a.t - b.t);
  for (let i = 1; i < placed.length; i++) {
    const prev = placed[i - 1] as Placed;
    const cur = placed[i] as Placed;
    if (cur.t <= prev.t) cur.t = prev.t + 1;
  }

  const idRng = new Rng(`${SAMPLE_SEED}/ids`);
  const lagRng = new Rng(`${SAMPLE_SEED}/lag`);
  const events: SampleEvent[] = placed.map((p, seq) => {
    // Ingestion lag: seconds normally, half an hour for a laptop that was offline.
    const lag = lagRng.chance(0.01) ? lagRng.range(600_000, 2_400_000) : lagRng.range(300, 45_000);
    const ev = materialize(p.spec, p.host, p.t, lag, makeEventId(p.t, seq, idRng));
    return { ev, label: p.spec.label ?? { category: 'background', template: 'background', malicious: false } };
  });
  // Export order is ingestion order, so _time is not monotonic in the file and the query's sort matters.
  const fileOrder = [...events].sort((a, b) => a.ev._insert_time - b.ev._insert_time || a.ev._time - b.ev._time);

  const csvLines = [csvHeader(SAMPLE_COLUMNS)];
  const ndLines: string[] = [];
  for (const e of fileOrder) {
    csvLines.push(csvRecord(e.ev, SAMPLE_COLUMNS));
    ndLines.push(ndjsonRecord(e.ev, SAMPLE_COLUMNS));
  }
  const csv = csvLines.join('\r\n') + '\r\n';
  const ndjson = ndLines.join('\n') + '\n';

  return { events: fileOrder, csv, ndjson, expected: expectedFor(fileOrder) };
}

export function expectedFor(events: readonly SampleEvent[]): SampleExpected {
  const byTimeDesc = [...events].sort((a, b) => compareHitOrder(a.ev, b.ev));
  const hits = (reading: Reading): string[] => byTimeDesc.filter((e) => isHit(e.ev, reading)).map((e) => e.ev.event_id);
  const near = (reading: Reading): NearMissEntry[] => {
    const out: NearMissEntry[] = [];
    for (const e of byTimeDesc) {
      const i = nearMissClause(e.ev, reading);
      if (i !== null) out.push({ event_id: e.ev.event_id, failedClause: CLAUSES[i] as string, failedClauseIndex: i, template: e.label.template });
    }
    return out;
  };
  const hitsXql = hits('xql');
  const hitsBackslash = hits('backslash');
  const nearMisses = near('xql');
  const nearMissesBackslash = near('backslash');
  const listed = new Set([...hitsXql, ...hitsBackslash, ...nearMisses.map((n) => n.event_id), ...nearMissesBackslash.map((n) => n.event_id)]);
  const labels: SampleExpected['labels'] = {};
  for (const e of byTimeDesc) {
    if (listed.has(e.ev.event_id)) labels[e.ev.event_id] = { category: e.label.category, template: e.label.template, malicious: e.label.malicious };
  }
  const counts: Record<string, number> = {
    rows: events.length,
    hosts: new Set(events.map((e) => e.ev.agent_id)).size,
    users: new Set(events.map((e) => e.ev.actor_effective_username)).size,
    background: counted(events, (e) => e.label.category === 'background'),
    attack: counted(events, (e) => e.label.category === 'attack'),
    lookalike: counted(events, (e) => e.label.category === 'lookalike'),
    nearmiss: counted(events, (e) => e.label.category === 'nearmiss'),
    mentionsCloudflare: counted(events, (e) => (e.ev.action_process_image_command_line ?? '').toLowerCase().includes('cloudflare')),
    hitsXql: hitsXql.length,
    hitsBackslash: hitsBackslash.length,
    hitsXqlMalicious: counted(events, (e) => e.label.malicious && isHit(e.ev, 'xql')),
    hitsBackslashMalicious: counted(events, (e) => e.label.malicious && isHit(e.ev, 'backslash')),
    nearMissesXql: nearMisses.length,
    nearMissesBackslash: nearMissesBackslash.length,
    enumPrefixed: counted(events, (e) => String(e.ev.event_type).startsWith('ENUM.')),
    enumNumeric: counted(events, (e) => typeof e.ev.event_type === 'number'),
  };
  const times = events.map((e) => e.ev._time);
  return {
    file: SAMPLE_FILES.csv,
    ndjson: SAMPLE_FILES.ndjson,
    rows: events.length,
    columns: [...SAMPLE_COLUMNS],
    seed: SAMPLE_SEED,
    timeRange: { from: new Date(Math.min(...times)).toISOString(), to: new Date(Math.max(...times)).toISOString() },
    clauses: CLAUSES,
    hitsXql,
    hitsBackslash,
    nearMisses,
    nearMissesBackslash,
    labels,
    counts,
  };
}

function writeIfChanged(path: string, content: string): boolean {
  if (existsSync(path) && readFileSync(path, 'utf8') === content) return false;
  writeFileSync(path, content, 'utf8');
  return true;
}

export interface WriteResult {
  dir: string;
  files: { name: string; bytes: number; written: boolean }[];
  expected: SampleExpected;
}

/** Generates the sample into `dir` (created if needed). */
export function writeSample(dir: string): WriteResult {
  const sample = buildSample();
  mkdirSync(dir, { recursive: true });
  const outputs: [string, string][] = [
    [SAMPLE_FILES.csv, sample.csv],
    [SAMPLE_FILES.ndjson, sample.ndjson],
    [SAMPLE_FILES.expected, JSON.stringify(sample.expected, null, 2) + '\n'],
  ];
  const files = outputs.map(([name, content]) => ({ name, bytes: Buffer.byteLength(content, 'utf8'), written: writeIfChanged(join(dir, name), content) }));
  return { dir, files, expected: sample.expected };
}

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_SAMPLE_DIR = join(REPO_ROOT, 'public', 'samples');

function main(argv: readonly string[]): void {
  const i = argv.indexOf('--out');
  const dir = i >= 0 && argv[i + 1] ? resolve(REPO_ROOT, argv[i + 1] as string) : DEFAULT_SAMPLE_DIR;
  const started = performance.now();
  const res = writeSample(dir);
  const ms = Math.round(performance.now() - started);
  for (const f of res.files) console.log(`${f.written ? 'wrote' : 'unchanged'} ${join(dir, f.name)} (${(f.bytes / 1024).toFixed(0)} KiB)`);
  const c = res.expected.counts;
  console.log(`${c.rows} events; hits: ${c.hitsXql} (xql reading), ${c.hitsBackslash} (backslash reading); near misses: ${c.nearMissesXql} / ${c.nearMissesBackslash}; ${ms} ms`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));

