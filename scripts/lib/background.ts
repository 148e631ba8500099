/**
 * Benign background activity: what an endpoint export is mostly made of. None of these templates may
 * mention Cloudflare or build a hunt hit; the sample test asserts that for every generated event, so
 * the hunt-relevant rows are exactly the ones the special templates add on purpose.
 *
 * Shapes are modelled on ordinary Windows 11 / Server 2019-2022 process trees (svchost -k groups,
 * Chrome/Edge/Teams child processes, Office opening documents, Defender updates, admin PowerShell,
 * developer git/python/node work) plus a Linux build box and a designer's Mac.
 */
import type { Rng } from './prng';
import { Weighted } from './prng';
import type { Host, HostRole, Proc, Spec } from './xdr-events';
import { LOCAL_SERVICE, NETWORK_SERVICE, SYSTEM, proc, profileName } from './xdr-events';

export const WIN = {
  explorer: 'C:\\Windows\\explorer.exe',
  services: 'C:\\Windows\\System32\\services.exe',
  svchost: 'C:\\Windows\\System32\\svchost.exe',
  cmd: 'C:\\Windows\\System32\\cmd.exe',
  conhost: 'C:\\Windows\\System32\\conhost.exe',
  powershell: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
  pwsh: 'C:\\Program Files\\PowerShell\\7\\pwsh.exe',
  wscript: 'C:\\Windows\\System32\\wscript.exe',
  cscript: 'C:\\Windows\\System32\\cscript.exe',
  rundll32: 'C:\\Windows\\System32\\rundll32.exe',
  net: 'C:\\Windows\\System32\\net.exe',
  net1: 'C:\\Windows\\System32\\net1.exe',
  robocopy: 'C:\\Windows\\System32\\Robocopy.exe',
  msiexec: 'C:\\Windows\\System32\\msiexec.exe',
  notepad: 'C:\\Windows\\System32\\notepad.exe',
  tasklist: 'C:\\Windows\\System32\\tasklist.exe',
  findstr: 'C:\\Windows\\System32\\findstr.exe',
  chrome: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  msedge: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
  webview: 'C:\\Program Files (x86)\\Microsoft\\EdgeWebView\\Application\\137.0.3296.93\\msedgewebview2.exe',
  teams: 'C:\\Program Files\\WindowsApps\\MSTeams_25153.1010.3727.5483_x64__8wekyb3d8bbwe\\ms-teams.exe',
  winword: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
  excel: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE',
  outlook: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE',
  onedrive: 'C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe',
  taskhostw: 'C:\\Windows\\System32\\taskhostw.exe',
  runtimeBroker: 'C:\\Windows\\System32\\RuntimeBroker.exe',
  searchProtocolHost: 'C:\\Windows\\System32\\SearchProtocolHost.exe',
  backgroundTaskHost: 'C:\\Windows\\System32\\backgroundTaskHost.exe',
  wmiPrvSe: 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe',
  mpCmdRun: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25050.5-0\\MpCmdRun.exe',
  git: 'C:\\Program Files\\Git\\cmd\\git.exe',
  code: 'C:\\Program Files\\Microsoft VS Code\\Code.exe',
  node: 'C:\\Program Files\\nodejs\\node.exe',
  gpupdate: 'C:\\Windows\\System32\\gpupdate.exe',
  w3wp: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe',
  sqlservr: 'C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe',
  mstsc: 'C:\\Windows\\System32\\mstsc.exe',
  mmc: 'C:\\Windows\\System32\\mmc.exe',
  schtasks: 'C:\\Windows\\System32\\schtasks.exe',
  ipconfig: 'C:\\Windows\\System32\\ipconfig.exe',
  edgeUpdate: 'C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe',
} as const;

export function pythonPath(user: string): string {
  return `C:\\Users\\${profileName(user)}\\AppData\\Local\\Programs\\Python\\Python312\\python.exe`;
}

/** Fixed parents per host, so repeated children share a believable parent PID. */
export function longLivedPids(rng: Rng): Record<string, number> {
  const names = ['explorer', 'services', 'chrome', 'msedge', 'teams', 'outlook', 'code', 'svchostDcom', 'svchostSchedule', 'wmi', 'sshd', 'launchd', 'cron', 'w3svc', 'webclient'];
  const out: Record<string, number> = {};
  for (const n of names) out[n] = rng.pid();
  out.services = rng.range(160, 220) * 4;
  out.launchd = 1;
  return out;
}

export function explorer(host: Host): Proc {
  return proc(WIN.explorer, 'C:\\Windows\\Explorer.EXE', host.pids.explorer ?? 4000);
}
export function services(host: Host): Proc {
  return proc(WIN.services, 'C:\\Windows\\system32\\services.exe', host.pids.services ?? 700);
}
function chromeParent(host: Host): Proc {
  return proc(WIN.chrome, `"${WIN.chrome}"`, host.pids.chrome ?? 9000);
}
function edgeParent(host: Host): Proc {
  return proc(WIN.msedge, `"${WIN.msedge}" --single-argument`, host.pids.msedge ?? 9100);
}

const SVCHOST_GROUPS: readonly (readonly [string, string, string])[] = [
  ['netsvcs -p', 'Schedule', SYSTEM],
  ['netsvcs -p', 'gpsvc', SYSTEM],
  ['netsvcs -p', 'Winmgmt', SYSTEM],
  ['LocalServiceNetworkRestricted -p', 'lmhosts', LOCAL_SERVICE],
  ['LocalServiceNetworkRestricted -p', 'Dhcp', LOCAL_SERVICE],
  ['NetworkService -p', 'Dnscache', NETWORK_SERVICE],
  ['NetworkService -p', 'CryptSvc', NETWORK_SERVICE],
  ['LocalSystemNetworkRestricted -p', 'SysMain', SYSTEM],
  ['UnistackSvcGroup', 'CDPUserSvc_3a7f1', ''],
  ['UnistackSvcGroup', 'WpnUserService_3a7f1', ''],
  ['wusvcs -p', 'WaaSMedicSvc', SYSTEM],
  ['LocalService -p', 'BthAvctpSvc', LOCAL_SERVICE],
  ['appmodel -p', 'StateRepository', SYSTEM],
  ['DcomLaunch -p', 'PowerManagement', SYSTEM],
];

const CHROME_TYPES = ['renderer', 'renderer', 'renderer', 'gpu-process', 'utility'];
const WEB_HOSTS = [
  'www.google.com',
  'outlook.office365.com',
  'teams.microsoft.com',
  'login.microsoftonline.com',
  'corpexample.sharepoint.com',
  'github.com',
  'www.linkedin.com',
  'update.googleapis.com',
  'edge.microsoft.com',
  'fonts.gstatic.com',
  'cdnjs.cloudflare.com', // network events only: the hunt reads process command lines, not hostnames
];
const WEB_IPS = ['142.250.185.68', '52.97.201.226', '52.113.194.132', '20.190.160.20', '13.107.136.10', '140.82.121.4', '13.107.42.14', '104.17.25.14', '151.101.1.69'];

const DOCS = [
  'Q2 forecast, draft v3.docx',
  'Vendor contract - ACME (signed).docx',
  'Meeting notes 2025-06-26.docx',
  'Travel expenses June.xlsx',
  'headcount_plan_FY26.xlsx',
  'Budget "final" v7.xlsx',
  'Onboarding checklist.docx',
];

const PS_ADMIN = [
  'powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\ProgramData\\corp\\scripts\\Get-DiskHealth.ps1',
  'powershell.exe -NoProfile -NonInteractive -Command "Get-Service | Where-Object {$_.Status -eq \'Stopped\' -and $_.StartType -eq \'Automatic\'} | Select-Object Name,DisplayName | Export-Csv C:\\Temp\\svc.csv -NoTypeInformation"',
  'powershell.exe -NoProfile -Command "Get-ADUser -Filter {Enabled -eq $true} -Properties LastLogonDate | Select Name,SamAccountName,LastLogonDate | Export-Csv C:\\Temp\\users.csv -NoTypeInformation -Encoding UTF8"',
  'powershell.exe -ExecutionPolicy Bypass -Command "Get-ChildItem \\\\fileserver01\\it$\\logs -Filter *.log | Where-Object LastWriteTime -lt (Get-Date).AddDays(-30) | Remove-Item -WhatIf"',
  '"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -NoLogo -NonInteractive -WindowStyle Hidden -File "C:\\Program Files\\Corp\\Inventory\\Send-Inventory.ps1" -Server inv01.corp.example',
  'powershell.exe -Command "Test-NetConnection -ComputerName SRV-APP02.corp.example -Port 443"',
  'powershell.exe -NoProfile -Command "Get-WinEvent -LogName Security -MaxEvents 200 | Where-Object {$_.Id -in 4624,4625} | Format-Table -AutoSize"',
];

const CMD_MISC = [
  'C:\\Windows\\system32\\cmd.exe /c ipconfig /all',
  'C:\\Windows\\system32\\cmd.exe /c "C:\\Program Files\\Dell\\CommandUpdate\\dcu-cli.exe" /scan -silent',
  'cmd.exe /c whoami /groups',
  'C:\\Windows\\system32\\cmd.exe /d /c "C:\\Program Files\\nodejs\\npm.cmd" run build',
  'cmd.exe /c echo %DATE% %TIME% >> C:\\Temp\\heartbeat.log',
  'C:\\Windows\\system32\\cmd.exe /c gpresult /r /scope:user',
];

const GIT_CMDS = [
  'git.exe fetch --prune origin',
  'git.exe status --porcelain=v2 --branch',
  'git.exe -c core.quotepath=false log --format="%H,%an,%ad,%s" --date=iso -n 50',
  'git.exe pull --rebase origin main',
  'git.exe -c credential.helper=manager push origin feature/ledger-export',
  'git.exe diff --stat HEAD~1',
];

const PY_CMDS = ['-m pytest tests\\ -q -x', '-m pip install -r requirements.txt', 'manage.py runserver 127.0.0.1:8000', '-m black --check src', 'scripts\\etl_ledger.py --month 2025-06 --out "C:\\Temp\\ledger, june.csv"', '-m jupyter notebook --no-browser'];

const LINUX_CMDS: readonly (readonly [string, string])[] = [
  ['/usr/bin/bash', 'bash -c "make -j8 all"'],
  ['/usr/bin/make', 'make -j8 all'],
  ['/usr/bin/gcc', 'gcc -O2 -Wall -c src/parser.c -o build/parser.o'],
  ['/usr/bin/git', 'git fetch --all --prune'],
  ['/usr/bin/python3.12', 'python3 -m pytest -q tests/'],
  ['/usr/bin/docker', 'docker build -t registry.corp.example/ledger:ci .'],
  ['/usr/sbin/cron', '/usr/sbin/CRON -f'],
  ['/usr/bin/rsync', 'rsync -az --delete build/ deploy@SRV-APP02.corp.example:/srv/ledger/'],
  ['/usr/bin/ssh', 'ssh -o BatchMode=yes git@github.com git-upload-pack \'corp/ledger.git\''],
];

const MAC_CMDS: readonly (readonly [string, string])[] = [
  ['/bin/zsh', '-zsh'],
  ['/usr/libexec/xpcproxy', 'xpcproxy com.apple.Safari.SafeBrowsing.Service'],
  ['/Applications/Figma.app/Contents/MacOS/Figma', '/Applications/Figma.app/Contents/MacOS/Figma'],
  ['/System/Library/Frameworks/CoreServices.framework/Frameworks/Metadata.framework/Versions/A/Support/mdworker_shared', '/System/Library/Frameworks/CoreServices.framework/Frameworks/Metadata.framework/Versions/A/Support/mdworker_shared -s mdworker -c MDSImporterWorker -m com.apple.mdworker.shared'],
  ['/usr/bin/open', 'open -a "Adobe Photoshop 2025" "/Users/e.kowalski/Design/Campaign Q3, hero.psd"'],
  ['/Applications/Slack.app/Contents/MacOS/Slack', '/Applications/Slack.app/Contents/MacOS/Slack --type=renderer'],
];

export type Template = (rng: Rng, host: Host) => Spec[];

function userProc(rng: Rng, host: Host, path: string, cmd: string): Spec[] {
  return [{ kind: 'process', actor: explorer(host), user: host.user, action: proc(path, cmd, rng.pid()), causality: 'explorer.exe' }];
}

const T: Record<string, Template> = {
  chromeChild(rng, host) {
    const type = rng.pick(CHROME_TYPES);
    const cmd = `"${WIN.chrome}" --type=${type} --lang=en-US --renderer-client-id=${rng.range(5, 400)} --field-trial-handle=${rng.range(1000, 9999)},i,${rng.u32()},${rng.u32()},262144 --variations-seed-version --mojo-platform-channel-handle=${rng.range(1000, 9999)} /prefetch:${rng.range(1, 8)}`;
    return [{ kind: 'process', actor: chromeParent(host), user: host.user, action: proc(WIN.chrome, cmd, rng.pid()), causality: 'chrome.exe' }];
  },
  edgeChild(rng, host) {
    const cmd = `"${WIN.msedge}" --type=renderer --instant-process --lang=en-US --js-flags=--ms-user-locale= --field-trial-handle=${rng.range(1000, 9999)},i,${rng.u32()},${rng.u32()},262144 /prefetch:1`;
    return [{ kind: 'process', actor: edgeParent(host), user: host.user, action: proc(WIN.msedge, cmd, rng.pid()), causality: 'msedge.exe' }];
  },
  svchost(rng, host) {
    const [group, svc, account] = rng.pick(SVCHOST_GROUPS);
    const user = account === '' ? host.user : account;
    return [{ kind: 'process', actor: services(host), user: SYSTEM, actionUser: user, action: proc(WIN.svchost, `C:\\Windows\\system32\\svchost.exe -k ${group} -s ${svc}`, rng.pid()), causality: 'services.exe' }];
  },
  teams(rng, host) {
    const teams = proc(WIN.teams, `"${WIN.teams}" msteams:system-initiated`, host.pids.teams ?? 7000);
    const cmd = `"${WIN.webview}" --embedded-browser-webview=1 --webview-exe-name=ms-teams.exe --user-data-dir="C:\\Users\\${profileName(host.user)}\\AppData\\Local\\Packages\\MSTeams_8wekyb3d8bbwe\\LocalCache\\Microsoft\\MSTeams\\EBWebView" --type=renderer --mojo-platform-channel-handle=${rng.range(1000, 9999)}`;
    return [{ kind: 'process', actor: teams, user: host.user, action: proc(WIN.webview, cmd, rng.pid()), causality: 'ms-teams.exe' }];
  },
  office(rng, host) {
    const doc = rng.pick(DOCS);
    const exe = doc.endsWith('.xlsx') ? WIN.excel : WIN.winword;
    const full = `C:\\Users\\${profileName(host.user)}\\OneDrive - Corp Example\\Documents\\${doc}`;
    const cmd = `"${exe}" /n "${full}" /o ""`;
    return [
      ...userProc(rng, host, exe, cmd),
      { dtMs: rng.range(800, 5000), kind: 'file', sub: 'FILE_WRITE', actor: proc(exe, cmd, rng.pid()), user: host.user, file: full.replace(/[^\\]+$/, () => `~$${doc.slice(2)}`), causality: 'explorer.exe' },
    ];
  },
  onedrive(rng, host) {
    return userProc(rng, host, WIN.onedrive, `"${WIN.onedrive}" /background`);
  },
  conhost(rng, host) {
    return [{ kind: 'process', actor: proc(WIN.cmd, 'C:\\Windows\\system32\\cmd.exe /c ipconfig /all', rng.pid()), user: host.user, action: proc(WIN.conhost, '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1', rng.pid()) }];
  },
  brokers(rng, host) {
    const which = rng.int(4);
    const path = [WIN.runtimeBroker, WIN.taskhostw, WIN.searchProtocolHost, WIN.backgroundTaskHost][which] as string;
    const cmd = [
      'C:\\Windows\\System32\\RuntimeBroker.exe -Embedding',
      'taskhostw.exe {222A245B-E637-4AE9-A93F-A59CA119A75E}',
      `"C:\\Windows\\system32\\SearchProtocolHost.exe" Global\\UsGthrFltPipeMssGthrPipe${rng.range(1, 40)}_ Global\\UsGthrCtrlFltPipeMssGthrPipe${rng.range(1, 40)} 1 -2147483646 "Software\\Microsoft\\Windows Search" "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)" "C:\\ProgramData\\Microsoft\\Search\\Data\\Temp\\usgthrsvc" "DownLevelDaemon"`,
      '"C:\\Windows\\system32\\backgroundTaskHost.exe" -ServerName:App.AppXmtcan0h2tfbfy7k9kn8hbxb6dmzz1zh0.mca',
    ][which] as string;
    const actor = proc(WIN.svchost, 'C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p', host.pids.svchostDcom ?? 900);
    return [{ kind: 'process', actor, user: SYSTEM, actionUser: which === 2 ? SYSTEM : host.user, action: proc(path, cmd, rng.pid()), causality: 'svchost.exe' }];
  },
  defender(rng, host) {
    return [{ kind: 'process', actor: proc(WIN.svchost, 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule', host.pids.svchostSchedule ?? 1500), user: SYSTEM, action: proc(WIN.mpCmdRun, `"${WIN.mpCmdRun}" SignatureUpdate -ScheduleJob -RestrictPrivileges -Reinvoke`, rng.pid()), causality: 'svchost.exe' }];
  },
  edgeUpdate(rng, host) {
    return [{ kind: 'process', actor: proc(WIN.svchost, 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule', host.pids.svchostSchedule ?? 1500), user: SYSTEM, action: proc(WIN.edgeUpdate, `"${WIN.edgeUpdate}" /ua /installsource scheduler`, rng.pid()), causality: 'svchost.exe' }];
  },
  cmdMisc(rng, host) {
    return userProc(rng, host, WIN.cmd, rng.pick(CMD_MISC));
  },
  psAdmin(rng, host) {
    return userProc(rng, host, WIN.powershell, rng.pick(PS_ADMIN));
  },
  git(rng, host) {
    const code = proc(WIN.code, `"${WIN.code}"`, host.pids.code ?? 8000);
    return [{ kind: 'process', actor: code, user: host.user, action: proc(WIN.git, rng.pick(GIT_CMDS), rng.pid()), causality: 'Code.exe' }];
  },
  python(rng, host) {
    const py = pythonPath(host.user);
    return [{ kind: 'process', actor: proc(WIN.powershell, 'powershell.exe -NoExit', rng.pid()), user: host.user, action: proc(py, `"${py}" ${rng.pick(PY_CMDS)}`, rng.pid()), causality: 'Code.exe' }];
  },
  node(rng, host) {
    const cmd = rng.pick(['node.exe node_modules\\vite\\bin\\vite.js --port 5173', '"C:\\Program Files\\nodejs\\node.exe" "C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npm-cli.js" ci --no-audit', 'node.exe node_modules\\typescript\\bin\\tsc --noEmit -p tsconfig.json']);
    return [{ kind: 'process', actor: proc(WIN.cmd, 'C:\\Windows\\system32\\cmd.exe /d /s /c "npm run dev"', rng.pid()), user: host.user, action: proc(WIN.node, cmd, rng.pid()), causality: 'Code.exe' }];
  },
  wmi(rng, host) {
    return [{ kind: 'process', actor: proc(WIN.svchost, 'C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p', host.pids.svchostDcom ?? 900), user: SYSTEM, actionUser: NETWORK_SERVICE, action: proc(WIN.wmiPrvSe, 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding', rng.pid()), causality: 'svchost.exe' }];
  },
  stop(rng, host) {
    const [path, cmd] = rng.pick([
      [WIN.conhost, '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1'],
      [WIN.chrome, `"${WIN.chrome}" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US`],
      [WIN.backgroundTaskHost, '"C:\\Windows\\system32\\backgroundTaskHost.exe" -ServerName:CortanaUI.AppX8z9r6jm96hw4bsbneegw0kyxx296wr9t.mca'],
      [WIN.cmd, 'C:\\Windows\\system32\\cmd.exe /c ipconfig /all'],
    ] as const);
    return [{ kind: 'process', sub: 'PROCESS_STOP', actor: explorer(host), user: host.user, action: proc(path, cmd, rng.pid()), causality: 'explorer.exe' }];
  },
  fileWrite(rng, host) {
    const user = profileName(host.user);
    const [actor, file] = rng.pick([
      [chromeParent(host), `C:\\Users\\${user}\\Downloads\\${rng.pick(['statement_2025-06.pdf', 'invoice-88412.pdf', 'Zoom_cm_fo42.exe', 'screenshot (3).png', 'report_final (1).xlsx'])}`],
      [chromeParent(host), `C:\\Users\\${user}\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\Cache\\Cache_Data\\f_${rng.hex(6)}`],
      [explorer(host), `C:\\Users\\${user}\\AppData\\Roaming\\Microsoft\\Windows\\Recent\\${rng.pick(DOCS)}.lnk`],
      [proc(WIN.onedrive, `"${WIN.onedrive}" /background`, rng.pid()), `C:\\Users\\${user}\\AppData\\Local\\Microsoft\\OneDrive\\logs\\Business1\\SyncDiagnostics.log`],
      [proc(WIN.svchost, 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule', host.pids.svchostSchedule ?? 1500), `C:\\Windows\\Temp\\${rng.hex(8)}.tmp`],
    ] as const);
    return [{ kind: 'file', sub: rng.pick(['FILE_CREATE_NEW', 'FILE_WRITE', 'FILE_WRITE', 'FILE_RENAME', 'FILE_REMOVE'] as const), actor, user: actor.path === WIN.svchost ? SYSTEM : host.user, file }];
  },
  network(rng, host) {
    const i = rng.int(WEB_HOSTS.length);
    const actor = rng.pick([chromeParent(host), chromeParent(host), edgeParent(host), proc(WIN.teams, `"${WIN.teams}" msteams:system-initiated`, host.pids.teams ?? 7000), proc(WIN.onedrive, `"${WIN.onedrive}" /background`, rng.pid())]);
    return [{ kind: 'network', actor, user: host.user, ip: WEB_IPS[i % WEB_IPS.length] as string, port: 443, hostname: WEB_HOSTS[i] as string }];
  },
  // Servers
  serverFile(rng, host) {
    const task = proc(WIN.svchost, 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule', host.pids.svchostSchedule ?? 1500);
    const [actor, user, file] = rng.pick([
      [task, SYSTEM, `C:\\Windows\\Temp\\${rng.hex(8)}.tmp`],
      [proc(WIN.robocopy, 'robocopy \\\\fileserver01\\finance D:\\Backup\\finance /MIR /R:1 /W:1 /NP', rng.pid(), 'robocopy.exe'), 'CORP\\svc_backup', `D:\\Backup\\finance\\2025\\Q2\\ledger_${rng.range(1000, 9999)}.xlsx`],
      [proc(WIN.w3wp, 'c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "LedgerApp"', host.pids.w3svc ?? 2100), 'IIS APPPOOL\\LedgerApp', `C:\\inetpub\\logs\\LogFiles\\W3SVC1\\u_ex2506${rng.range(24, 26)}.log`],
      [proc(WIN.sqlservr, `"${WIN.sqlservr}" -sMSSQLSERVER`, host.pids.w3svc ?? 2100), NETWORK_SERVICE, 'D:\\SQLData\\Ledger_log.ldf'],
    ] as const);
    return [{ kind: 'file', sub: rng.pick(['FILE_WRITE', 'FILE_WRITE', 'FILE_CREATE_NEW', 'FILE_REMOVE'] as const), actor, user, file }];
  },
  serverNetwork(rng, host) {
    const [actor, user, ip, port, name] = rng.pick([
      [proc(WIN.svchost, 'C:\\Windows\\system32\\svchost.exe -k NetworkService -p -s Dnscache', host.pids.svchostDcom ?? 900), NETWORK_SERVICE, '10.20.0.10', 53, 'dc01.corp.example'],
      [proc(WIN.w3wp, 'c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "LedgerApp"', host.pids.w3svc ?? 2100), 'IIS APPPOOL\\LedgerApp', '10.20.4.31', 1433, 'sql01.corp.example'],
      [proc(WIN.svchost, 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s wuauserv', host.pids.svchostSchedule ?? 1500), SYSTEM, '13.107.4.50', 443, 'download.windowsupdate.com'],
      [proc('C:\\Windows\\System32\\lsass.exe', 'C:\\Windows\\system32\\lsass.exe', 640), SYSTEM, '10.20.0.10', 88, 'dc01.corp.example'],
    ] as const);
    return [{ kind: 'network', actor, user, ip, port, hostname: name }];
  },
  serverPs(rng, host) {
    const task = proc(WIN.svchost, 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule', host.pids.svchostSchedule ?? 1500);
    return [{ kind: 'process', actor: task, user: SYSTEM, action: proc(WIN.powershell, rng.pick(PS_ADMIN), rng.pid()), causality: 'svchost.exe' }];
  },
  backupRobocopy(rng) {
    const share = rng.pick(['finance', 'hr', 'legal', 'sales']);
    return [{ kind: 'process', actor: proc(WIN.cmd, 'C:\\Windows\\system32\\cmd.exe /c D:\\Backup\\nightly.cmd', rng.pid()), user: 'CORP\\svc_backup', action: proc(WIN.robocopy, `robocopy \\\\fileserver01\\${share} D:\\Backup\\${share} /MIR /R:1 /W:1 /NP /LOG+:D:\\Backup\\logs\\${share}.log`, rng.pid()), causality: 'svchost.exe' }];
  },
  w3wp(rng, host) {
    return [{ kind: 'process', actor: proc(WIN.svchost, 'C:\\Windows\\system32\\svchost.exe -k iissvcs', host.pids.w3svc ?? 2100), user: SYSTEM, actionUser: 'IIS APPPOOL\\LedgerApp', action: proc(WIN.w3wp, `c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "LedgerApp" -v "v4.0" -l "webengine4.dll" -a \\\\.\\pipe\\iisipm${rng.hex(8)}-${rng.hex(4)} -h "C:\\inetpub\\temp\\apppools\\LedgerApp\\LedgerApp.config" -w "" -m 0`, rng.pid()), causality: 'svchost.exe' }];
  },
  // Linux / macOS
  linux(rng, host) {
    const [path, cmd] = rng.pick(LINUX_CMDS);
    return [{ kind: 'process', actor: proc('/usr/bin/bash', '-bash', host.pids.sshd ?? 3000), user: host.user, action: proc(path, cmd, rng.range(2000, 400000)), causality: 'sshd' }];
  },
  mac(rng, host) {
    const [path, cmd] = rng.pick(MAC_CMDS);
    return [{ kind: 'process', actor: proc('/sbin/launchd', '/sbin/launchd', 1), user: host.user, action: proc(path, cmd, rng.range(300, 90000)), causality: 'launchd' }];
  },
  unixNetwork(rng, host) {
    const actor = host.os === 'mac' ? proc('/Applications/Slack.app/Contents/MacOS/Slack', '/Applications/Slack.app/Contents/MacOS/Slack', host.pids.launchd ?? 1) : proc('/usr/bin/git', 'git fetch --all --prune', rng.range(2000, 400000));
    return [{ kind: 'network', actor, user: host.user, ip: rng.pick(['140.82.121.4', '3.120.88.12', '52.85.132.98']), port: 443, hostname: rng.pick(['github.com', 'slack.com', 'registry.npmjs.org']) }];
  },
};

export const BACKGROUND_TEMPLATES: Readonly<Record<string, Template>> = T;


const WEIGHTS: Record<HostRole, WeightRow> = {
  workstation: { chromeChild: 16, edgeChild: 4, svchost: 9, teams: 6, office: 4, onedrive: 2, conhost: 3, brokers: 7, defender: 1, edgeUpdate: 1, cmdMisc: 2, psAdmin: 1, wmi: 2, stop: 6, fileWrite: 14, network: 16 },
  server: { svchost: 12, conhost: 3, brokers: 4, defender: 1, serverPs: 6, wmi: 5, stop: 4, serverFile: 8, serverNetwork: 6, backupRobocopy: 3, w3wp: 4 },
  linux: { linux: 8, unixNetwork: 2 },
  mac: { mac: 8, unixNetwork: 2 },
};

const DEPT_EXTRA: Record<string, WeightRow> = {
  eng: { git: 10, python: 6, node: 5, cmdMisc: 2 },
  it: { psAdmin: 8, cmdMisc: 4 },
  fin: { office: 4 },
};

export type WeightRow = Partial<Record<string, number>>;

/** Background template picker for a host's role and department; `extra` adds to the base weights. */
export function backgroundPicker(role: HostRole, dept: string, extra?: WeightRow): Weighted<Template> {
  const row: Record<string, number> = {};
  const add = (w: WeightRow): void => {
    for (const [k, v] of Object.entries(w)) row[k] = (row[k] ?? 0) + (v ?? 0);
  };
  add(WEIGHTS[role]);
  if (role === 'workstation') add(DEPT_EXTRA[dept] ?? {});
  if (extra) add(extra);
  return new Weighted(Object.entries(row).map(([name, w]) => [T[name] as Template, w] as const));
}
