import { useCallback, useEffect, useState } from 'react';
import { deleteSession, listSessions, toStorageStatus } from '../../triage/store';
import type { SessionSummary, StorageStatus } from '../../triage/store';
import { VERDICTS, VERDICT_LABELS, VERDICT_SEVERITY } from '../../triage/model';
import { formatBytes } from '../format';
import { formatTime } from './format';

export interface SessionListProps {
  /** Highlighted as the open session. */
  currentKey: string | null;
  /**
   * A stored session was picked. Decisions come back by themselves when its export is opened
   * again (same files, any order), so the shell typically asks for those files; the summary
   * names them.
   */
  onResume?(session: SessionSummary): void;
  /** Bump to reload the list (e.g. after a run). */
  refresh?: number;
}

/** Sessions stored on this machine: resume or delete. */
export function SessionList({ currentKey, onResume, refresh = 0 }: SessionListProps) {
  const [sessions, setSessions] = useState<SessionSummary[] | null>(null);
  const [problem, setProblem] = useState<StorageStatus | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  const reload = useCallback(() => {
    listSessions().then(
      (list) => {
        setSessions(list);
        setProblem(null);
      },
      (error: unknown) => setProblem(toStorageStatus(error)),
    );
  }, []);

  useEffect(reload, [reload, refresh]);

  return (
    <section className="triage-sessions" data-testid="session-list" aria-label="Saved triage sessions">
      <h3>Saved sessions</h3>
      {problem && <p className="triage-muted">{problem.message}</p>}
      {sessions !== null && sessions.length === 0 && <p className="triage-muted">None yet.</p>}
      <ul>
        {(sessions ?? []).map((s) => {
          // Worst first, the order the lead reads a host list in.
          const decided = [...VERDICTS]
            .sort((a, b) => VERDICT_SEVERITY[b] - VERDICT_SEVERITY[a])
            .filter((v) => v !== 'untriaged' && s.verdicts[v] > 0)
            .map((v) => `${s.verdicts[v]} ${VERDICT_LABELS[v].toLowerCase()}`)
            .join(', ');
          return (
            <li key={s.key} data-testid="session-item" data-current={s.key === currentKey ? 'true' : 'false'}>
              <strong>{s.hunt.title}</strong> v{s.hunt.version ?? '?'} — {s.datasets.map((d) => `${d.name} (${formatBytes(d.size)})`).join(', ')}
              <br />
              <span className="triage-muted">
                {s.analyst || 'unnamed analyst'}, updated {formatTime(s.updatedAt)}; {decided || 'no decisions'}
              </span>{' '}
              {onResume && (
                <button type="button" data-testid="session-resume" onClick={() => onResume(s)}>
                  Resume
                </button>
              )}{' '}
              {confirming === s.key ? (
                <>
                  <button
                    type="button"
                    data-testid="session-delete-confirm"
                    onClick={() => {
                      setConfirming(null);
                      deleteSession(s.key).then(reload, (error: unknown) => setProblem(toStorageStatus(error)));
                    }}
                  >
                    Delete for good
                  </button>{' '}
                  <button type="button" onClick={() => setConfirming(null)}>
                    Keep
                  </button>
                </>
              ) : (
                <button type="button" data-testid="session-delete" onClick={() => setConfirming(s.key)}>
                  Delete
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
