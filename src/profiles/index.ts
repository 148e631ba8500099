import type { Profile } from '../ingest/profile';
import { xdrProfile } from '../ingest/xdr-profile';
import { crowdstrikeProfile } from './crowdstrike';
import { defenderProfile } from './defender';
import { security4688Profile } from './security-4688';
import { sentineloneProfile } from './sentinelone';
import { splunkProfile } from './splunk';
import { sysmonProfile } from './sysmon';

/**
 * Every field-mapping profile, in tie-break order: XDR first (its own export needs no mapping),
 * then the sources. Sysmon precedes Security 4688 so a Windows export with neither event in its
 * sample goes to Sysmon; both bind the same way.
 */
export const allProfiles: readonly Profile[] = [
  xdrProfile,
  defenderProfile,
  sysmonProfile,
  security4688Profile,
  crowdstrikeProfile,
  sentineloneProfile,
  splunkProfile,
];

export function profileById(id: string): Profile | undefined {
  return allProfiles.find((profile) => profile.id === id);
}

export { crowdstrikeProfile, defenderProfile, security4688Profile, sentineloneProfile, splunkProfile, sysmonProfile };
