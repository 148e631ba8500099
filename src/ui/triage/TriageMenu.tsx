import { useState } from 'react';
import type { TriageBundle } from '../../triage/export';
import type { SessionSummary } from '../../triage/store';
import { BundleInput } from './BundleInput';
import { SessionList } from './SessionList';

export interface TriageMenuProps {
  /** The open session's key (`triage.session?.key ?? null`). */
  currentKey: string | null;
  analyst: string;
  onChangeAnalyst(): void;
  onRestore(bundle: TriageBundle): void;
  onReview(bundles: TriageBundle[]): void;
  onResume(session: SessionSummary): void;
}

/**
 * The topbar's "Sessions" menu: who is deciding, opening bundles, and the sessions stored on this
 * machine. It is a <details> so it costs no space while closed; the list reloads on every open,
 * because decisions made since the last open changed it.
 */
export function TriageMenu({ currentKey, analyst, onChangeAnalyst, onRestore, onReview, onResume }: TriageMenuProps) {
  const [opened, setOpened] = useState(0);
  const [open, setOpen] = useState(false);
  return (
    <details
      className="export-menu triage-menu"
      open={open}
      onToggle={(e) => {
        const isOpen = e.currentTarget.open;
        setOpen(isOpen);
        if (isOpen) setOpened((n) => n + 1);
      }}
    >
      <summary className="button" data-testid="sessions-menu">
        Sessions ▾
      </summary>
      <div className="export-menu-list triage-menu-list">
        <p className="triage-menu-analyst">
          Analyst: <strong data-testid="analyst-current">{analyst || 'not set'}</strong>{' '}
          <button type="button" className="link-button" onClick={onChangeAnalyst}>
            {analyst ? 'change' : 'set'}
          </button>
        </p>
        <BundleInput
          currentKey={currentKey}
          onRestore={(b) => {
            setOpen(false);
            onRestore(b);
          }}
          onReview={(bs) => {
            setOpen(false);
            onReview(bs);
          }}
        />
        {open && (
          <SessionList
            currentKey={currentKey}
            refresh={opened}
            onResume={(s) => {
              setOpen(false);
              onResume(s);
            }}
          />
        )}
      </div>
    </details>
  );
}
