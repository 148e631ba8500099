/**
 * The sample's fleet: 8 Windows workstations, 2 Windows servers, a Linux build box and a Mac, with
 * DOMAIN\user accounts (one non-ASCII, so the UI's text handling gets exercised on real hits).
 */
import type { Rng } from './prng';
import type { Host, HostRole, OsKind } from './xdr-events';
import { longLivedPids } from './background';

interface HostDef {
  hostname: string;
  os: OsKind;
  role: HostRole;
  osSubType: string;
  dept: string;
  user: string;
}

const WIN11 = 'Windows 11 [10.0 (Build 22631)]';
const WIN10 = 'Windows 10 [10.0 (Build 19045)]';

export const SAMPLE_HOSTS: readonly HostDef[] = [
  { hostname: 'WS-FIN-042.corp.example', os: 'windows', role: 'workstation', osSubType: WIN11, dept: 'fin', user: 'CORP\\jürgen.müller' },
  { hostname: 'WS-FIN-017.corp.example', os: 'windows', role: 'workstation', osSubType: WIN11, dept: 'fin', user: 'CORP\\a.nakamura' },
  { hostname: 'WS-HR-008.corp.example', os: 'windows', role: 'workstation', osSubType: WIN10, dept: 'hr', user: 'CORP\\priya.raman' },
  { hostname: 'WS-ENG-113.corp.example', os: 'windows', role: 'workstation', osSubType: WIN11, dept: 'eng', user: 'CORP\\t.nguyen' },
  { hostname: 'WS-ENG-127.corp.example', os: 'windows', role: 'workstation', osSubType: WIN11, dept: 'eng', user: 'CORP\\s.lindqvist' },
  { hostname: 'WS-IT-003.corp.example', os: 'windows', role: 'workstation', osSubType: WIN11, dept: 'it', user: 'CORP\\it-admin.bwalsh' },
  { hostname: 'WS-SALES-021.corp.example', os: 'windows', role: 'workstation', osSubType: WIN10, dept: 'sales', user: 'CORP\\m.rossi' },
  { hostname: 'WS-LEGAL-005.corp.example', os: 'windows', role: 'workstation', osSubType: WIN11, dept: 'legal', user: 'CORP\\d.okafor' },
  { hostname: 'SRV-FS01.corp.example', os: 'windows', role: 'server', osSubType: 'Windows Server 2019 [10.0 (Build 17763)]', dept: 'srv', user: 'CORP\\svc_backup' },
  { hostname: 'SRV-APP02.corp.example', os: 'windows', role: 'server', osSubType: 'Windows Server 2022 [10.0 (Build 20348)]', dept: 'srv', user: 'CORP\\svc_app' },
  { hostname: 'lnx-build-01.corp.example', os: 'linux', role: 'linux', osSubType: 'Ubuntu 22.04.4 LTS', dept: 'eng', user: 'l.fernandez' },
  { hostname: 'MBP-DES-014.corp.example', os: 'mac', role: 'mac', osSubType: 'macOS 14.5', dept: 'design', user: 'e.kowalski' },
];

export function makeHost(def: HostDef, rng: Rng): Host {
  return { ...def, agentId: rng.hex(32), pids: longLivedPids(rng) };
}

export function sampleHosts(rng: Rng): Host[] {
  return SAMPLE_HOSTS.map((d) => makeHost(d, rng));
}
