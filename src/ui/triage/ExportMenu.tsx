import type { TriageController } from './useTriageSession';

/** Downloads of the current state; all four are made from one bundle, so they agree. */
export function ExportMenu({ triage }: { triage: TriageController }) {
  const disabled = triage.session === null;
  return (
    <div className="triage-export" role="group" aria-label="Export triage">
      <button type="button" data-testid="export-bundle" disabled={disabled} onClick={() => triage.download('bundle')}>
        Export bundle (JSON)
      </button>{' '}
      <button type="button" data-testid="export-csv" disabled={disabled} onClick={() => triage.download('csv')}>
        Hits as CSV
      </button>{' '}
      <button type="button" data-testid="export-markdown" disabled={disabled} onClick={() => triage.download('markdown')}>
        Ticket summary (Markdown)
      </button>{' '}
      <button type="button" data-testid="export-html" disabled={disabled} onClick={() => triage.download('html')}>
        Report (HTML)
      </button>
    </div>
  );
}
