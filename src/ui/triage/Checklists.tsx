import type { Hit } from '../../engine/types';
import {
  HOST_STATUSES,
  HOST_STATUS_LABELS,
  affectedHosts,
  checklistProgress,
  hitChecklistOf,
  hitId,
  hostOf,
  hostStateOf,
  isHostStatus,
  worstVerdict,
} from '../../triage/model';
import type { ChecklistItemState } from '../../triage/model';
import type { TriageController } from './useTriageSession';
import { formatTime } from './format';
import { VerdictBadge } from './VerdictBadge';

function ItemMeta({ item }: { item: ChecklistItemState }) {
  if (!item.done || item.by === null) return null;
  return (
    <span className="triage-muted">
      {' '}
      — {item.by}, <time dateTime={item.at ?? undefined}>{formatTime(item.at)}</time>
    </span>
  );
}

export interface HostChecklistProps {
  triage: TriageController;
  /** The run's hits; one section per affected host, worst verdict first. */
  hits: readonly Hit[];
}

/** The hunt's Recommended Response Actions per affected host, with host status and who ticked what. */
export function HostChecklist({ triage, hits }: HostChecklistProps) {
  const { session } = triage;
  if (session === null) return null;
  const hosts = affectedHosts(hits).map((host) => {
    const worst = worstVerdict(hits.filter((h) => hostOf(h) === host).map((h) => triage.verdictOf(h)));
    return { host, worst, state: hostStateOf(session, host) };
  });
  return (
    <section className="triage-checklist" data-testid="checklist" aria-label="Response checklist per host">
      <h3>Response actions per host</h3>
      {session.checklists.host.length === 0 && <p className="triage-muted">This hunt lists no response actions.</p>}
      {hosts.map(({ host, worst, state }) => {
        const progress = checklistProgress(state.checklist);
        return (
          <div key={host} className="triage-host" data-testid="host-checklist" data-host={host}>
            <h4>
              {host} <VerdictBadge verdict={worst} />{' '}
              <span data-testid="checklist-progress">
                {progress.done} of {progress.total} done
              </span>
            </h4>
            <label>
              Host status{' '}
              <select
                data-testid="host-status"
                value={state.status}
                onChange={(e) => {
                  if (isHostStatus(e.target.value)) triage.setHostStatus(host, e.target.value);
                }}
              >
                {HOST_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {HOST_STATUS_LABELS[s]}
                  </option>
                ))}
              </select>
            </label>
            {state.statusBy !== null && (
              <span className="triage-muted">
                {' '}
                set by {state.statusBy}, {formatTime(state.statusAt)}
              </span>
            )}
            <ul>
              {session.checklists.host.map((text, i) => (
                <li key={i}>
                  <label data-testid="checklist-item" data-done={state.checklist[i]?.done ? 'true' : 'false'}>
                    <input
                      type="checkbox"
                      checked={state.checklist[i]?.done ?? false}
                      onChange={() => triage.toggleHostItem(host, i)}
                    />{' '}
                    {text}
                  </label>
                  {state.checklist[i] && <ItemMeta item={state.checklist[i]} />}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
      {hosts.length === 0 && <p className="triage-muted">No affected hosts.</p>}
      <p className="triage-muted">The badge is the host's worst verdict; an untriaged hit counts as worse than benign.</p>
    </section>
  );
}

export interface HitChecklistProps {
  triage: TriageController;
  hit: Hit;
}

/** The hunt's Considerations and False Positives as review checks for the selected hit. */
export function HitChecklist({ triage, hit }: HitChecklistProps) {
  const { session } = triage;
  if (session === null || session.checklists.hit.length === 0) return null;
  const items = hitChecklistOf(session, hitId(hit));
  const progress = checklistProgress(items);
  return (
    <section className="triage-checklist" data-testid="hit-checklist" aria-label="Review checks for this hit">
      <h4>
        Review checks{' '}
        <span data-testid="hit-checklist-progress">
          {progress.done} of {progress.total} done
        </span>
      </h4>
      <ul>
        {session.checklists.hit.map((item, i) => (
          <li key={i}>
            <label data-testid="hit-checklist-item" data-kind={item.kind} data-done={items[i]?.done ? 'true' : 'false'}>
              <input type="checkbox" checked={items[i]?.done ?? false} onChange={() => triage.toggleHitItem(hit, i)} />{' '}
              <span className="triage-muted">{item.kind === 'false_positive' ? 'Ruled out false positive: ' : 'Considered: '}</span>
              {item.text}
            </label>
            {items[i] && <ItemMeta item={items[i]} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
