import type { Profile } from '../ingest/profile';
import { bindWindows, detectWindows } from './windows';

/**
 * Windows Security 4688 (process creation) as EvtxECmd CSV or XML event records. It binds like
 * the Sysmon profile, so a file holding both channels maps every row either way.
 */
export const security4688Profile: Profile = {
  id: 'security-4688',
  label: 'Windows Security 4688 (EvtxECmd CSV, XML)',
  detect: (columns, sample) => detectWindows(columns, sample, 'security'),
  bind: (columns, overrides) => bindWindows('security-4688', columns, overrides),
};
