/**
 * The bundled hunt (public/hunts/cloudflare-tunnel-webdav.md) hand-translated into plain TypeScript.
 *
 * This is the generators' ground truth and is deliberately independent of the app's XQL engine
 * (src/xql, src/engine): if both were built on the same code, a shared bug would make the expected
 * hit lists agree with a wrong engine. Keep it boring and literal.
 *
 *   config case_sensitive = false
 *   | filter event_type = ENUM.PROCESS
 *       and event_sub_type = ENUM.PROCESS_START
 *       and agent_os_type = ENUM.AGENT_OS_WINDOWS
 *       and (cmd contains "cloudflare" or cmd contains "trycloudflare.com")
 *       and (cmd contains "webdav" or cmd contains "net use" or cmd contains "\\\\")
 *       and (action_process_image_name = "cmd.exe" or ... "powershell.exe" or ... "wscript.exe" or ... "cscript.exe")
 *   | sort desc _time
 */

/** Same names as EscapeReading in src/xql/plan.ts (not imported, to stay independent). */
export type Reading = 'xql' | 'backslash';

export const READINGS: readonly Reading[] = ['xql', 'backslash'];

/** The only fields the hunt's filter reads. Values as exported: enum names, `ENUM.` names or codes. */
export interface HuntFields {
  event_type: string | number | null;
  event_sub_type: string | number | null;
  agent_os_type: string | number | null;
  action_process_image_command_line: string | null;
  action_process_image_name: string | null;
}

/** The six top-level AND clauses, in query order (index = the engine's Plan.clauses index). */
export const CLAUSES: readonly string[] = [
  'event_type = ENUM.PROCESS',
  'event_sub_type = ENUM.PROCESS_START',
  'agent_os_type = ENUM.AGENT_OS_WINDOWS',
  'action_process_image_command_line contains "cloudflare" or contains "trycloudflare.com"',
  'action_process_image_command_line contains "webdav" or contains "net use" or contains "\\\\\\\\"',
  'action_process_image_name in ("cmd.exe", "powershell.exe", "wscript.exe", "cscript.exe")',
];

/**
 * What the query's `"\\\\"` literal looks for. Documented XQL: "..." strings are literal, so four
 * backslashes. With backslash escapes processed: two backslashes, i.e. a UNC path prefix.
 */
export function uncLiteral(reading: Reading): string {
  return reading === 'xql' ? '\\\\\\\\' : '\\\\';
}

const IMAGE_NAMES: ReadonlySet<string> = new Set(['cmd.exe', 'powershell.exe', 'wscript.exe', 'cscript.exe']);

/**
 * Enum cell -> canonical name. Exports carry `PROCESS`, sometimes `ENUM.PROCESS`, sometimes the
 * numeric code. Only the codes Palo Alto documents are mapped (event_type 1 = PROCESS and, within
 * PROCESS, event_sub_type 1 = PROCESS_START); any other number stays unmapped and so never equals
 * a name, which is what a careful engine must do rather than guess.
 */
export function enumName(field: 'event_type' | 'event_sub_type' | 'agent_os_type', value: string | number | null, eventType: string | null): string | null {
  if (value === null) return null;
  let code: number | null = null;
  if (typeof value === 'number') code = value;
  else if (/^\s*\d+\s*$/.test(value)) code = Number(value);
  if (code !== null) {
    if (field === 'event_type' && code === 1) return 'PROCESS';
    if (field === 'event_sub_type' && eventType === 'PROCESS' && code === 1) return 'PROCESS_START';
    return null;
  }
  const upper = (value as string).trim().toUpperCase();
  return upper.startsWith('ENUM.') ? upper.slice(5) : upper;
}

function containsCi(haystack: string | null, needle: string): boolean {
  return haystack !== null && haystack.toLowerCase().includes(needle.toLowerCase());
}

/** Outcome of each of the six clauses, evaluated without short-circuit (like the engine's funnel). */
export function clauseResults(ev: HuntFields, reading: Reading): boolean[] {
  const eventType = enumName('event_type', ev.event_type, null);
  const subType = enumName('event_sub_type', ev.event_sub_type, eventType);
  const osType = enumName('agent_os_type', ev.agent_os_type, null);
  const cmd = ev.action_process_image_command_line;
  const image = ev.action_process_image_name;
  return [
    eventType === 'PROCESS',
    subType === 'PROCESS_START',
    osType === 'AGENT_OS_WINDOWS',
    containsCi(cmd, 'cloudflare') || containsCi(cmd, 'trycloudflare.com'),
    containsCi(cmd, 'webdav') || containsCi(cmd, 'net use') || containsCi(cmd, uncLiteral(reading)),
    image !== null && IMAGE_NAMES.has(image.toLowerCase()),
  ];
}

/** Both readings at once, for the bench generator's hot loop; must agree with clauseResults (tested). */
export function clauseResultsBoth(ev: HuntFields): { xql: boolean[]; backslash: boolean[] } {
  const eventType = enumName('event_type', ev.event_type, null);
  const subType = enumName('event_sub_type', ev.event_sub_type, eventType);
  const osType = enumName('agent_os_type', ev.agent_os_type, null);
  const cmd = ev.action_process_image_command_line === null ? null : ev.action_process_image_command_line.toLowerCase();
  const image = ev.action_process_image_name;
  const has = (needle: string): boolean => cmd !== null && cmd.includes(needle);
  const c0 = eventType === 'PROCESS';
  const c1 = subType === 'PROCESS_START';
  const c2 = osType === 'AGENT_OS_WINDOWS';
  const c3 = has('cloudflare') || has('trycloudflare.com');
  const c4 = has('webdav') || has('net use');
  const c5 = image !== null && IMAGE_NAMES.has(image.toLowerCase());
  return {
    xql: [c0, c1, c2, c3, c4 || has(uncLiteral('xql')), c5],
    backslash: [c0, c1, c2, c3, c4 || has(uncLiteral('backslash')), c5],
  };
}

/** Index of the single false entry, -1 when all are true, null when two or more are false. */
export function singleFailure(results: readonly boolean[]): number | null {
  let failed = -1;
  for (let i = 0; i < results.length; i++) {
    if (results[i]) continue;
    if (failed !== -1) return null;
    failed = i;
  }
  return failed;
}

export function isHit(ev: HuntFields, reading: Reading): boolean {
  return clauseResults(ev, reading).every(Boolean);
}

/** Index of the single failed clause, or null when the event is a hit or fails two or more. */
export function nearMissClause(ev: HuntFields, reading: Reading): number | null {
  const failed = singleFailure(clauseResults(ev, reading));
  return failed === -1 ? null : failed;
}

/** The query's `sort desc _time`; equal times fall back to event_id so the order is total. */
export function compareHitOrder(a: { _time: number; event_id: string }, b: { _time: number; event_id: string }): number {
  if (a._time !== b._time) return b._time - a._time;
  return a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0;
}
