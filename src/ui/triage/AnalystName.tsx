import { useState } from 'react';

export interface AnalystNameProps {
  initial: string;
  onConfirm(name: string): void;
  onCancel(): void;
}

/**
 * Asks for the analyst's name once, at the first decision (the hook opens it via
 * `analystPrompt`); every decision and tick is attributed to it. Enter confirms, Escape cancels.
 */
export function AnalystName({ initial, onConfirm, onCancel }: AnalystNameProps) {
  const [name, setName] = useState(initial);
  const valid = name.trim() !== '';
  return (
    <div className="triage-analyst" role="dialog" aria-labelledby="triage-analyst-title">
      <p id="triage-analyst-title">Your name is recorded with each decision, so the team lead can see who decided what.</p>
      <label>
        Analyst name{' '}
        <input
          data-testid="analyst-name"
          autoFocus
          value={name}
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && valid) onConfirm(name);
            if (e.key === 'Escape') onCancel();
          }}
        />
      </label>{' '}
      <button type="button" data-testid="analyst-confirm" disabled={!valid} onClick={() => onConfirm(name)}>
        OK
      </button>{' '}
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
