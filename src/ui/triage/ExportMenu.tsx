import type { MouseEvent } from 'react';
import type { ExportKind } from '../../triage/export';
import type { TriageController } from './useTriageSession';

/** Downloads of the current state; all four are made from one bundle, so they agree. */
export function ExportMenu({ triage }: { triage: TriageController }) {
  const disabled = triage.session === null;
  // The menu is a <details>: close it once a download has started, as any menu does.
  const take = (kind: ExportKind) => (e: MouseEvent<HTMLButtonElement>) => {
    triage.download(kind);
    e.currentTarget.closest('details')?.removeAttribute('open');
  };
  return (
    <div className="triage-export" role="group" aria-label="Export triage">
      <button type="button" data-testid="export-bundle" disabled={disabled} onClick={take('bundle')}>
        Export bundle (JSON)
      </button>{' '}
      <button type="button" data-testid="export-csv" disabled={disabled} onClick={take('csv')}>
        Hits as CSV
      </button>{' '}
      <button type="button" data-testid="export-markdown" disabled={disabled} onClick={take('markdown')}>
        Ticket summary (Markdown)
      </button>{' '}
      <button type="button" data-testid="export-html" disabled={disabled} onClick={take('html')}>
        Report (HTML)
      </button>
    </div>
  );
}
