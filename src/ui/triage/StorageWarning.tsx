import type { StorageStatus } from '../../triage/store';

export interface StorageWarningProps {
  status: StorageStatus | null;
  /** Downloads the bundle (e.g. `() => triage.download('bundle')`). */
  onExport(): void;
}

/** Shown while decisions cannot be saved, so work is never lost silently. */
export function StorageWarning({ status, onExport }: StorageWarningProps) {
  if (status === null) return null;
  return (
    <div className="triage-storage-warning" role="alert" data-testid="storage-warning" data-kind={status.kind}>
      <strong>{status.kind === 'quota' ? 'Storage full: not saved.' : 'Storage unavailable: not saved.'}</strong> {status.message}{' '}
      <button type="button" data-testid="storage-export" onClick={onExport}>
        Export bundle now
      </button>
    </div>
  );
}
