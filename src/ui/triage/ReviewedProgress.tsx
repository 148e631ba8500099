import type { Progress } from '../../triage/model';

/** "N of M" reviewed; the test id's text is exactly that, the label sits outside it. */
export function ReviewedProgress({ progress }: { progress: Progress }) {
  return (
    <span className="triage-progress">
      Reviewed{' '}
      <span data-testid="reviewed-progress">
        {progress.done} of {progress.total}
      </span>
      <progress value={progress.done} max={Math.max(progress.total, 1)} aria-label="Reviewed hits" />
    </span>
  );
}
