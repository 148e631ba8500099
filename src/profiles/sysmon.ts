import type { Profile } from '../ingest/profile';
import { bindWindows, detectWindows } from './windows';

/** Sysmon event 1 (ProcessCreate) as EvtxECmd CSV, XML event records or Winlogbeat/ECS. */
export const sysmonProfile: Profile = {
  id: 'sysmon',
  label: 'Sysmon (EvtxECmd CSV, XML, Winlogbeat/ECS)',
  detect: (columns, sample) => detectWindows(columns, sample, 'sysmon'),
  bind: (columns, overrides) => bindWindows('sysmon', columns, overrides),
};
