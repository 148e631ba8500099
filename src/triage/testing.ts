import type { Hit } from '../engine/types';
import type { Value } from '../engine/value';
import type { Hunt } from '../hunt/types';
import type { DatasetFingerprint } from './model';

/** Fixtures shared by the triage tests (not imported by the app). */

export const HUNT: Pick<Hunt, 'id' | 'title' | 'version' | 'responseActions' | 'considerations' | 'falsePositives'> = {
  id: 'HuntQuery-Windows-Cloudflare-WebDAV-MultiProc',
  title: 'Detection of Cloudflare Tunnel WebDAV Activity Across Multiple Processes',
  version: '1.0',
  responseActions: [
    'Investigate the process and command line for intent and legitimacy.',
    'Analyze network connections to Cloudflare Tunnel domains and WebDAV shares.',
    'Review user activity and system logs for signs of compromise or lateral movement.',
    'Isolate affected endpoints if malicious activity is confirmed.',
    'Block or monitor access to suspicious Cloudflare Tunnel domains and WebDAV shares.',
  ],
  considerations: ['Review the source and context of the process and command line for legitimacy.', 'Correlate with user activity.'],
  falsePositives: ['Users or IT staff legitimately use WebDAV or Cloudflare Tunnel.'],
};

export const DATASETS: DatasetFingerprint[] = [
  { name: 'xdr_export.csv', size: 1234, sha256: 'a'.repeat(64) },
  { name: 'xdr_export_2.ndjson', size: 99, sha256: 'b'.repeat(64) },
];

export function makeHit(n: number, opts: { host?: string; cmd?: string; eventId?: string | null; file?: string } = {}): Hit {
  const key = `0:${n}`;
  const host = opts.host ?? `WS-${n % 3}`;
  const cmd = opts.cmd ?? `cmd.exe /c net use \\\\word-${n}.trycloudflare.com@SSL\\DavWWWRoot`;
  const eventId = opts.eventId === null ? key : (opts.eventId ?? `evt-${n}`);
  const fields: Record<string, Value> = {
    _time: 1751292131000 + n,
    agent_hostname: host,
    actor_effective_username: `CORP\\user${n}`,
    action_process_image_name: 'cmd.exe',
    action_process_image_command_line: cmd,
    event_id: opts.eventId === null ? null : eventId,
  };
  return {
    key,
    eventId,
    fields,
    row: { ...fields },
    raw: {},
    source: { file: opts.file ?? 'xdr_export.csv', row: n, line: n + 1 },
    explanation: { clauses: [] },
  };
}
