import './triage.css';
import { VERDICT_LABELS } from '../../triage/model';
import type { Verdict } from '../../triage/model';

/** Spread onto a hit's table row: `<tr {...verdictRowAttributes(v)}>` (styling and e2e hooks). */
export function verdictRowAttributes(verdict: Verdict): { 'data-verdict': Verdict } {
  return { 'data-verdict': verdict };
}

/** A verdict cell for the hits table. */
export function VerdictBadge({ verdict }: { verdict: Verdict }) {
  return (
    <span className={`triage-verdict triage-verdict-${verdict}`} data-verdict={verdict}>
      {VERDICT_LABELS[verdict]}
    </span>
  );
}
