/**
 * Run status, progress and the engine's notes. The progress strip always occupies its height so
 * the table does not jump when a run starts or ends.
 */
import type { EscapeReading, LiteralNote } from '../xql/plan';
import type { RunState } from './runner';
import { formatBytes, formatCount } from './format';
import { VisibleText } from './Text';

export function RunStatus({ state }: { state: RunState }) {
  const { status, progress, stats } = state;
  let text: string;
  switch (status) {
    case 'idle':
      text = 'No data loaded';
      break;
    case 'running':
      text = progress ? `Running — ${percent(progress.bytes, progress.totalBytes)}%` : 'Starting…';
      break;
    case 'done':
      text = stats ? `Done in ${(stats.elapsedMs / 1000).toFixed(1)} s` : 'Done';
      break;
    case 'error':
      text = 'Failed';
      break;
    case 'cancelled':
      text = 'Cancelled';
      break;
  }
  return (
    <span className={`run-status st-${status}`} data-testid="run-status" data-state={status} role="status" aria-live="polite">
      {text}
    </span>
  );
}

/**
 * The background coverage pass after `done`, always in the top bar so tests and analysts can tell
 * when the funnel, near misses and the fingerprints (hence triage) are ready.
 */
export function CoverageStatusBadge({ state, onCancel }: { state: RunState; onCancel(): void }) {
  if (state.status !== 'done' || state.coverage === 'idle') return null;
  const pct = Math.min(100, Math.floor(state.coverageProgress * 100));
  const text =
    state.coverage === 'running'
      ? `Computing coverage… ${pct}%`
      : state.coverage === 'done'
        ? 'Coverage ready'
        : state.coverage === 'cancelled'
          ? 'Coverage cancelled'
          : 'Coverage failed';
  return (
    <span className={`coverage-status cs-${state.coverage}`} data-testid="coverage-status" data-state={state.coverage} title={state.coverageError ?? undefined}>
      {text}
      {state.coverage === 'running' && (
        <>
          {' '}
          <button type="button" className="link-button" data-testid="coverage-cancel" onClick={onCancel}>
            cancel
          </button>
        </>
      )}
    </span>
  );
}

function percent(a: number, b: number): number {
  return b > 0 ? Math.min(100, Math.floor((a / b) * 100)) : 0;
}

export function ProgressStrip({ state, onCancel }: { state: RunState; onCancel(): void }) {
  const p = state.progress;
  const running = state.status === 'running';
  const pct = p ? percent(p.bytes, p.totalBytes) : 0;
  return (
    <div className={`progress-strip${running ? ' active' : ''}`}>
      {!running && <span className="progress-text">{summary(state)}</span>}
      {running && (
        <>
          <div
            className="progress"
            data-testid="progress"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct}
            aria-label="Reading files"
          >
            <div className="progress-fill" style={{ width: `${pct}%` }} />
          </div>
          {/* Before the text, whose width changes with every progress message: a button that moves is hard to hit. */}
          <button type="button" className="danger-button" data-testid="cancel-button" onClick={onCancel}>
            Cancel
          </button>
          <span className="progress-text" data-testid="progress-text">
            {pct}% · {p ? `${p.mbPerSec.toFixed(1)} MB/s · ${formatCount(p.rows)} rows · ${formatCount(p.hits)} hits · ` : ''}
            {p ? `${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)} · ${p.file}` : `${state.files.length} file(s)`}
          </span>
        </>
      )}
    </div>
  );
}

/** What the strip says between runs, so its reserved height carries information. */
function summary(state: RunState): string {
  const s = state.stats;
  switch (state.status) {
    case 'idle':
      return 'Files are read in this tab only. Drop exports anywhere on the page; several files make one run.';
    case 'done':
      return s
        ? `Read ${formatCount(s.rows)} rows (${formatBytes(s.bytes)}) from ${s.files.length} file${s.files.length === 1 ? '' : 's'} in ${(s.elapsedMs / 1000).toFixed(2)} s · ${formatCount(state.hits.length)} hits`
        : '';
    case 'cancelled':
      return `Cancelled${state.progress ? ` after ${formatCount(state.progress.rows)} rows (${formatBytes(state.progress.bytes)})` : ''}. Load the files again to re-run.`;
    case 'error':
      return 'The run stopped with an error.';
    case 'running':
      return '';
  }
}

export interface EscapeNoteProps {
  notes: LiteralNote[];
  escapes: EscapeReading;
  otherReadingHits: number | null;
  hits: number | null;
  disabled: boolean;
  onToggle(): void;
}

/** The string-literal note: the hunt's `"\\\\"` means a UNC path, XQL reads four backslashes. */
export function EscapeNote({ notes, escapes, otherReadingHits, hits, disabled, onToggle }: EscapeNoteProps) {
  if (notes.length === 0) return null;
  const other: EscapeReading = escapes === 'xql' ? 'backslash' : 'xql';
  const diff = otherReadingHits !== null && hits !== null ? otherReadingHits - hits : null;
  return (
    <div className="note note-escape" data-testid="escape-note">
      <div className="note-title">String literals read two ways</div>
      <ul>
        {notes.map((n, i) => (
          <li key={i}>
            <code>
              <VisibleText text={n.source} />
            </code>{' '}
            (query line {n.pos.line}): under the documented XQL reading it looks for{' '}
            <code>
              <VisibleText text={n.xql} />
            </code>{' '}
            ({n.xql.length} characters); with backslash escapes it looks for{' '}
            <code>
              <VisibleText text={n.backslash} />
            </code>
            {n.backslash.startsWith('\\\\') ? ' — the start of a UNC path (\\\\server\\share), which is what the hunt document means.' : '.'}
          </li>
        ))}
      </ul>
      <div className="note-row">
        <span>
          Active: <strong data-testid="escape-reading">{escapes === 'xql' ? 'documented XQL reading' : 'backslash-escape reading'}</strong>.{' '}
          {otherReadingHits === null && <span className="muted">Counting the other reading's hits…</span>}
          {otherReadingHits !== null && (
            <span data-testid="other-reading-hits">
              The {other === 'xql' ? 'documented XQL' : 'backslash-escape'} reading finds {formatCount(otherReadingHits)} hits
              {diff !== null ? ` (${diff >= 0 ? `${diff} more` : `${-diff} fewer`})` : ''}.
            </span>
          )}
        </span>
        <label className="switch">
          <input
            type="checkbox"
            data-testid="escape-reading-toggle"
            checked={escapes === 'backslash'}
            disabled={disabled}
            onChange={onToggle}
            aria-describedby="escape-reading-help"
          />
          <span id="escape-reading-help">Read backslash escapes in "…" (UNC paths)</span>
        </label>
      </div>
    </div>
  );
}

export function RunWarnings({ state }: { state: RunState }) {
  const s = state.stats;
  if (!s) return null;
  const skippedRows = s.files.filter((f) => f.malformed > 0);
  if (s.warnings.length === 0 && s.malformed === 0) return null;
  return (
    <details className="note note-warn" data-testid="run-warnings" open={s.warnings.length + s.malformedSamples.length <= 6}>
      <summary>
        {s.warnings.length > 0 ? `${s.warnings.length} warning${s.warnings.length === 1 ? '' : 's'}` : ''}
        {s.warnings.length > 0 && s.malformed > 0 ? ' · ' : ''}
        {s.malformed > 0 ? `${formatCount(s.malformed)} malformed row${s.malformed === 1 ? '' : 's'} skipped` : ''}
      </summary>
      {s.warnings.length > 0 && (
        <ul>
          {s.warnings.slice(0, 50).map((w, i) => (
            <li key={i}>
              <VisibleText text={w} />
            </li>
          ))}
          {s.warnings.length > 50 && <li className="muted">… and {s.warnings.length - 50} more</li>}
        </ul>
      )}
      {s.malformed > 0 && (
        <>
          <p className="small">
            Skipped per file: {skippedRows.map((f) => `${f.name}: ${formatCount(f.malformed)}`).join(', ')}. These rows were not evaluated.
          </p>
          <ul className="mono small">
            {s.malformedSamples.slice(0, 20).map((m, i) => (
              <li key={i}>
                <VisibleText text={`${m.file}:${m.line}: ${m.reason}`} />
              </li>
            ))}
            {s.malformedSamples.length > 20 && <li className="muted">… first {s.malformedSamples.length} kept</li>}
          </ul>
        </>
      )}
    </details>
  );
}
