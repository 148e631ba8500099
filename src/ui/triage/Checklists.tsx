import { useMemo, useState } from 'react';
import type { TriageHit as Hit } from '../../triage/model';
import {
  HOST_STATUSES,
  HOST_STATUS_LABELS,
  hitsByHost,
  checklistProgress,
  hitChecklistOf,
  hitId,
  hostStateOf,
  isHostStatus,
  verdictOf,
  worstVerdict,
} from '../../triage/model';
import type { ChecklistItemState, HostState, Verdict } from '../../triage/model';
import type { TriageController } from './useTriageSession';
import { formatTime } from './format';
import { VerdictBadge } from './VerdictBadge';
import { VisibleText } from '../Text';
import { visibleText } from '../visibleText';

function ItemMeta({ item }: { item: ChecklistItemState }) {
  if (!item.done || item.by === null) return null;
  return (
    <span className="triage-meta" data-testid="checklist-meta">
      {item.by}, <time dateTime={item.at ?? undefined}>{formatTime(item.at)}</time>
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
  // One pass over the hits, once per hit list: per-host filtering was hosts × hits on every render
  // (seconds at 100k hits), and the App re-renders on every progress message.
  const groups = useMemo(() => [...hitsByHost(hits)], [hits]);
  const hosts = useMemo(
    () =>
      session === null
        ? []
        : groups.map(([host, hostHits]) => ({
            host,
            worst: worstVerdict(hostHits.map((h) => verdictOf(session, hitId(h)))),
            state: hostStateOf(session, host),
          })),
    [groups, session],
  );
  if (session === null) return null;
  const actions = session.checklists.host;
  return (
    <section className="triage-checklist triage-hosts" data-testid="checklist" aria-label="Response checklist per host">
      <h3 className="triage-card-title" title="The badge is the host's worst verdict; an untriaged hit counts as worse than benign.">
        Response actions per host
      </h3>
      {actions.length === 0 && <p className="triage-muted triage-small">This hunt lists no response actions.</p>}
      {hosts.length === 0 && <p className="triage-muted triage-small">No affected hosts.</p>}
      {hosts.map(({ host, worst, state }) => (
        <HostSection key={host} host={host} worst={worst} state={state} actions={actions} triage={triage} />
      ))}
    </section>
  );
}

interface HostSectionProps {
  host: string;
  worst: Verdict;
  state: HostState;
  actions: readonly string[];
  triage: TriageController;
}

function HostSection({ host, worst, state, actions, triage }: HostSectionProps) {
  const progress = checklistProgress(state.checklist);
  // Hosts that need action start expanded; cleared-looking ones stay one line each.
  const urgent = worst === 'malicious' || worst === 'suspicious' || progress.done > 0;
  // A collapsed host's body (a status <select> and the action checkboxes) is built when it is first
  // opened: Chromium lays out each new <select> in a task of its own, so a hundred collapsed hosts
  // arriving with the session were a 100-150 ms task of style and layout for rows nobody sees.
  const [opened, setOpened] = useState(false);
  const body = urgent || opened;
  return (
    <details
      className="triage-host"
      data-testid="host-checklist"
      data-host={host}
      data-status={state.status}
      open={urgent || undefined}
      // Opened some other way than by its summary (find in page, a script).
      onToggle={(e) => {
        if (e.currentTarget.open) setOpened(true);
      }}
    >
      <summary
        className="triage-host-head"
        // Before the browser's own toggle, so the body is there in the frame that shows it open.
        onClick={() => setOpened(true)}
      >
        <span className="triage-host-name" title={visibleText(host)}>
          <VisibleText text={host} />
        </span>
        <VerdictBadge verdict={worst} />
        <span
          className={`triage-count${progress.total > 0 && progress.done === progress.total ? ' triage-count-done' : ''}`}
          data-testid="checklist-progress"
          aria-label={`${progress.done} of ${progress.total} response actions done`}
        >
          {progress.done}/{progress.total}
        </span>
      </summary>
      {body && (
        <>
          <div className="triage-host-status">
            <label>
              Status{' '}
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
              <span className="triage-meta">
                {state.statusBy}, <time dateTime={state.statusAt ?? undefined}>{formatTime(state.statusAt)}</time>
              </span>
            )}
          </div>
          <ul className="triage-items">
            {actions.map((text, i) => (
              <li key={i}>
                <label data-testid="checklist-item" data-done={state.checklist[i]?.done ? 'true' : 'false'}>
                  <input type="checkbox" checked={state.checklist[i]?.done ?? false} onChange={() => triage.toggleHostItem(host, i)} />
                  <span>{text}</span>
                </label>
                {state.checklist[i] && <ItemMeta item={state.checklist[i]} />}
              </li>
            ))}
          </ul>
        </>
      )}
    </details>
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
      <h4 className="triage-subhead">
        Review checks{' '}
        <span className="triage-count" data-testid="hit-checklist-progress">
          {progress.done} of {progress.total} done
        </span>
      </h4>
      <ul className="triage-items">
        {session.checklists.hit.map((item, i) => (
          <li key={i}>
            <label data-testid="hit-checklist-item" data-kind={item.kind} data-done={items[i]?.done ? 'true' : 'false'}>
              <input type="checkbox" checked={items[i]?.done ?? false} onChange={() => triage.toggleHitItem(hit, i)} />
              <span>
                <span className="triage-kind">{item.kind === 'false_positive' ? 'Ruled out FP:' : 'Considered:'}</span> {item.text}
              </span>
            </label>
            {items[i] && <ItemMeta item={items[i]} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
