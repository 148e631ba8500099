import { useEffect, useRef, useState } from 'react';
import type { TriageHit as Hit } from '../../triage/model';
import {
  REASON_SUGGESTIONS,
  VERDICTS,
  VERDICT_LABELS,
  auditOfHit,
  commandLineOf,
  commandLinePattern,
  decisionOf,
  hitId,
  hitsOfHost,
  hitsSharingPattern,
  hostOf,
  isVerdict,
} from '../../triage/model';
import type { AuditEntry, Verdict } from '../../triage/model';
import type { TriageController } from './useTriageSession';
import { HitChecklist } from './Checklists';
import { formatTime } from './format';
import { VisibleText } from '../Text';

export interface VerdictControlsProps {
  triage: TriageController;
  /** The hit shown in the detail pane. */
  hit: Hit;
  /** All hits of the run, for the bulk actions (same host, same command-line pattern). */
  hits: readonly Hit[];
  /** The table's bulk selection (ctrl/shift-click), when there is one. */
  selected?: readonly Hit[];
}

/** Text fields commit after a pause in typing (the audit coalesces the edits) and on blur. */
const TEXT_COMMIT_MS = 400;

function useDraftText(value: string, onCommit: (value: string) => void) {
  const [draft, setDraft] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef({ draft, value, onCommit });
  useEffect(() => {
    latest.current = { draft, value, onCommit };
  });
  // A pending edit is committed when the pane switches to another hit (the parent re-keys us).
  useEffect(
    () => () => {
      if (timer.current === null) return;
      clearTimeout(timer.current);
      const { draft: d, value: v, onCommit: c } = latest.current;
      if (d !== v) c(d);
    },
    [],
  );
  function commit() {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    const { draft: d, value: v, onCommit: c } = latest.current;
    if (d !== v) c(d);
  }
  function change(v: string) {
    setDraft(v);
    latest.current = { ...latest.current, draft: v };
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = setTimeout(commit, TEXT_COMMIT_MS);
  }
  return { draft, change, commit };
}

interface TextFieldProps {
  value: string;
  disabled: boolean;
  onCommit(value: string): void;
}

function ReasonField({ value, disabled, onCommit, suggestions }: TextFieldProps & { suggestions: readonly string[] }) {
  const { draft, change, commit } = useDraftText(value, onCommit);
  return (
    <label className="triage-field">
      Reason{' '}
      <input
        data-testid="reason-input"
        list="triage-reason-suggestions"
        value={draft}
        disabled={disabled}
        onChange={(e) => change(e.target.value)}
        onBlur={() => commit()}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
      <datalist id="triage-reason-suggestions">
        {suggestions.map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>
    </label>
  );
}

function NotesField({ value, disabled, onCommit }: TextFieldProps) {
  const { draft, change, commit } = useDraftText(value, onCommit);
  return (
    <label className="triage-field">
      Notes
      <textarea
        data-testid="notes-input"
        rows={3}
        value={draft}
        disabled={disabled}
        onChange={(e) => change(e.target.value)}
        onBlur={() => commit()}
      />
    </label>
  );
}

function auditText(e: AuditEntry): string {
  const what = e.field === 'checklist' ? `ticked "${e.item ?? ''}"` : e.field;
  if (e.field === 'checklist') return `${e.to === 'done' ? what : `unticked "${e.item ?? ''}"`}`;
  return `${what}: ${e.from === '' ? '(empty)' : e.from} → ${e.to === '' ? '(empty)' : e.to}`;
}

/** The detail pane's decision: verdict, reason, notes, bulk actions and the hit's audit trail. */
export function VerdictControls({ triage, hit, hits, selected = [] }: VerdictControlsProps) {
  const { session } = triage;
  const id = hitId(hit);
  const decision = session === null ? null : decisionOf(session, id);
  const verdict = decision?.verdict ?? 'untriaged';
  const host = hostOf(hit);
  const pattern = commandLinePattern(commandLineOf(hit));
  const sameHost = hitsOfHost(hits, host);
  const samePattern = pattern === '' ? [] : hitsSharingPattern(hits, pattern);
  const audit = session === null ? [] : auditOfHit(session, id).slice().reverse();
  const disabled = session === null;

  return (
    <section className="triage-verdict-controls" aria-label="Decision">
      <label>
        Verdict{' '}
        <select
          data-testid="verdict-select"
          value={verdict}
          disabled={disabled}
          onChange={(e) => {
            if (isVerdict(e.target.value)) triage.setVerdict([hit], e.target.value);
          }}
        >
          {VERDICTS.map((v) => (
            <option key={v} value={v}>
              {VERDICT_LABELS[v]}
            </option>
          ))}
        </select>
      </label>
      <span className="triage-hint"> Keys: 1–5 or u / b / f / s / m</span>

      <ReasonField
        key={`reason:${id}`}
        value={decision?.reason ?? ''}
        disabled={disabled}
        suggestions={REASON_SUGGESTIONS[verdict]}
        onCommit={(v) => triage.setReason([hit], v)}
      />
      <NotesField key={`notes:${id}`} value={decision?.notes ?? ''} disabled={disabled} onCommit={(v) => triage.setNotes([hit], v)} />

      <div className="triage-bulk" role="group" aria-label="Apply this verdict to more hits">
        <span className="triage-bulk-label">
          Apply “{VERDICT_LABELS[verdict]}” to{verdict === 'untriaged' ? ' (pick a verdict first)' : ''}:
        </span>
        {selected.length > 1 && (
          <button
            type="button"
            className="small-button"
            data-testid="bulk-selected"
            disabled={disabled || verdict === 'untriaged'}
            onClick={() => triage.setVerdict(selected, verdict)}
          >
            {selected.length} selected rows
          </button>
        )}
        <button
          type="button"
          className="small-button"
          data-testid="bulk-host"
          disabled={disabled || verdict === 'untriaged' || sameHost.length < 2}
          onClick={() => triage.setVerdict(sameHost, verdict)}
        >
          all {sameHost.length} on this host
        </button>
        <button
          type="button"
          className="small-button"
          data-testid="bulk-pattern"
          disabled={disabled || verdict === 'untriaged' || samePattern.length < 2}
          title={`Command-line pattern: ${pattern}`}
          onClick={() => triage.setVerdict(samePattern, verdict)}
        >
          all {samePattern.length} with this command-line pattern
        </button>
        {pattern !== '' && (
          // The pattern is shown so a bulk decision is never a black box (GUIDs, numbers and the
          // quick-tunnel label are wildcards).
          <code className="triage-pattern" data-testid="bulk-pattern-text" title="Command-line pattern">
            <VisibleText text={pattern} />
          </code>
        )}
      </div>

      {/* Review checks sit above the history: an entry appended there must not move a checkbox
          away from under the pointer (clicking one right after typing notes commits the notes). */}
      <HitChecklist triage={triage} hit={hit} />

      <h4 className="triage-subhead">History</h4>
      {audit.length === 0 ? (
        <p className="triage-muted">No changes yet.</p>
      ) : (
        <ol className="triage-audit" data-testid="audit-trail">
          {audit.map((e, i) => (
            <li key={`${e.at}-${i}`} data-testid="audit-entry">
              <time dateTime={e.at}>{formatTime(e.at)}</time> {e.analyst}: {auditText(e)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export interface BulkBarProps {
  /** Rows in the bulk selection (in the current view). */
  count: number;
  onVerdict(verdict: Verdict): void;
  onClear(): void;
}

/** The table toolbar's action for a ctrl/shift-click selection: one verdict for all of it. */
export function BulkBar({ count, onVerdict, onClear }: BulkBarProps) {
  return (
    <span className="triage-bulkbar" data-testid="bulk-bar" role="group" aria-label="Bulk selection">
      <strong>{count} selected</strong>
      <select
        data-testid="bulk-verdict"
        aria-label={`Set the verdict of ${count} selected hits`}
        value=""
        onChange={(e) => {
          if (isVerdict(e.target.value)) onVerdict(e.target.value);
        }}
      >
        <option value="">Set verdict…</option>
        {VERDICTS.map((v) => (
          <option key={v} value={v}>
            {VERDICT_LABELS[v]}
          </option>
        ))}
      </select>
      <button type="button" className="link-button" data-testid="bulk-clear" onClick={onClear}>
        clear
      </button>
    </span>
  );
}
