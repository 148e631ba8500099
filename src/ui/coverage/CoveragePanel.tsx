/**
 * What the hunt sees and what it misses: the clause funnel and the near misses (events that fail
 * exactly one top-level clause), grouped by that clause with a one-line takeaway for the hunter.
 */
import { useMemo, useState } from 'react';
import type { FunnelStep, NearMiss } from '../../engine/types';
import type { Value } from '../../engine/value';
import type { ClauseInfo } from '../../xql/plan';
import { groupNearMisses, type NearMissGroup } from '../../analysis/coverage';
import { truncate } from '../../analysis/truncate';
import { VisibleText } from '../Text';
import { visibleText } from '../visibleText';
import { formatCount } from '../format';
import './coverage.css';

export interface CoveragePanelProps {
  funnel: FunnelStep[] | null;
  nearMisses: NearMiss[];
  clauses: ClauseInfo[];
  onSelectNearMiss?(nearMiss: NearMiss): void;
  /** Rows scanned (RunStats.rows): the funnel's 100%. Without it the largest step is the scale. */
  totalRows?: number;
  /**
   * The background coverage pass (src/ui/runner.ts CoverageStatus); omitted means its result is
   * already in `funnel` / `nearMisses`.
   */
  status?: 'idle' | 'running' | 'done' | 'cancelled' | 'error';
  /** Fraction read by the coverage pass while `status` is 'running', 0..1. */
  progress?: number;
  error?: string | null;
}

const CLAUSE_CHARS = 120;
const COMMAND_CHARS = 240;
/** Rows shown per group before "Show all"; the engine already caps near misses (default 1000). */
const GROUP_ROWS = 25;

function text(value: Value | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function percent(n: number, of: number): string {
  if (of <= 0) return '–';
  const p = (100 * n) / of;
  return p === 0 || p >= 10 ? `${p.toFixed(0)}%` : `${p.toFixed(1)}%`;
}

function Meter({ value, of, label }: { value: number; of: number; label: string }) {
  const width = of > 0 ? Math.min(100, (100 * value) / of) : 0;
  return (
    <div className="coverage-meter" title={label}>
      <div className="coverage-meter-track" aria-hidden="true">
        {/* At least a sliver, so 3 rows out of a million are still visibly non-zero. */}
        <div className="coverage-meter-fill" style={{ width: value > 0 ? `max(2px, ${width}%)` : 0 }} />
      </div>
      <span className="coverage-meter-num">
        {formatCount(value)} <span className="coverage-muted">({percent(value, of)})</span>
      </span>
    </div>
  );
}

function Funnel({ funnel, totalRows }: { funnel: FunnelStep[]; totalRows?: number }) {
  const scale = totalRows ?? funnel.reduce((m, s) => Math.max(m, s.passed), 0);
  if (funnel.length === 0) return <p className="coverage-muted">The query has no filter clauses.</p>;
  return (
    <table className="coverage-funnel" data-testid="coverage-funnel">
      <caption className="coverage-caption">
        Rows passing each filter clause{totalRows !== undefined ? ` (of ${formatCount(totalRows)} rows)` : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col">Clause</th>
          <th scope="col">Alone</th>
          <th scope="col">With all before it</th>
        </tr>
      </thead>
      <tbody>
        {funnel.map((step) => (
          <tr
            key={step.clause.index}
            className={step.skipped ? 'coverage-step coverage-step-skipped' : 'coverage-step'}
            data-testid="funnel-step"
            data-skipped={step.skipped ? 'true' : 'false'}
          >
            <th scope="row" className="coverage-clause" title={step.clause.text}>
              <code>{truncate(step.clause.text, CLAUSE_CHARS)}</code>
            </th>
            {step.skipped ? (
              <td colSpan={2} className="coverage-skipped-note">
                skipped: column missing ({step.clause.fields.join(', ')})
              </td>
            ) : (
              <>
                <td>
                  <Meter value={step.passed} of={scale} label={`${step.passed} rows pass this clause on its own`} />
                </td>
                <td>
                  <Meter
                    value={step.cumulative}
                    of={scale}
                    label={`${step.cumulative} rows pass this clause and every clause before it`}
                  />
                </td>
              </>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NearMissRow({ nm, clause, onSelect }: { nm: NearMiss; clause: ClauseInfo | null; onSelect?(nm: NearMiss): void }) {
  const host = text(nm.row.agent_hostname);
  const image = text(nm.row.action_process_image_name);
  const command = text(nm.row.action_process_image_command_line);
  const interactive = onSelect !== undefined;
  return (
    <tr
      data-testid="near-miss"
      className={interactive ? 'near-miss near-miss-interactive' : 'near-miss'}
      tabIndex={interactive ? 0 : undefined}
      onClick={interactive ? () => onSelect(nm) : undefined}
      onKeyDown={
        interactive
          ? (e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onSelect(nm);
              }
            }
          : undefined
      }
    >
      <td className="near-miss-host">
        <VisibleText text={host} />
      </td>
      <td className="near-miss-image">
        <VisibleText text={image} />
      </td>
      {/* title gets the visible form so a zero-width character cannot hide inside the tooltip. */}
      <td className="near-miss-command" title={visibleText(command)}>
        <code>
          <VisibleText text={truncate(command, COMMAND_CHARS)} />
        </code>
      </td>
      <td className="near-miss-clause" title={clause?.text}>
        {clause ? truncate(clause.text, 60) : `clause #${nm.failedClause}`}
      </td>
    </tr>
  );
}

function NearMissGroupView({ group, onSelect }: { group: NearMissGroup; onSelect?(nm: NearMiss): void }) {
  const [expanded, setExpanded] = useState(false);
  const shown = expanded ? group.nearMisses : group.nearMisses.slice(0, GROUP_ROWS);
  return (
    <div className="near-miss-group" data-testid="near-miss-group" data-clause={group.clauseIndex}>
      <p className="near-miss-takeaway" data-testid="near-miss-takeaway">
        {group.takeaway}
      </p>
      <table className="near-miss-table">
        <thead>
          <tr>
            <th scope="col">Host</th>
            <th scope="col">Image</th>
            <th scope="col">Command line</th>
            <th scope="col">Fails only</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((nm) => (
            <NearMissRow key={nm.key} nm={nm} clause={group.clause} onSelect={onSelect} />
          ))}
        </tbody>
      </table>
      {group.nearMisses.length > GROUP_ROWS && (
        <button type="button" className="near-miss-more" onClick={() => setExpanded((x) => !x)}>
          {expanded ? `Show the first ${GROUP_ROWS}` : `Show all ${formatCount(group.nearMisses.length)}`}
        </button>
      )}
    </div>
  );
}

function CoverageProgress({ progress }: { progress: number }) {
  const pct = Math.min(100, Math.floor(progress * 100));
  return (
    <div className="coverage-computing" data-testid="coverage-computing">
      <p className="coverage-muted">Computing coverage… {pct}%</p>
      <div className="coverage-meter-track" role="progressbar" aria-label="Computing coverage" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div className="coverage-meter-fill" style={{ width: `${pct}%` }} />
      </div>
      <p className="coverage-muted">The hits are final; the funnel and near misses need every row evaluated, which runs in the background.</p>
    </div>
  );
}

export function CoveragePanel({ funnel, nearMisses, clauses, onSelectNearMiss, totalRows, status, progress = 0, error = null }: CoveragePanelProps) {
  const groups = useMemo(() => groupNearMisses(nearMisses, clauses), [nearMisses, clauses]);
  if (status === 'running' || status === 'cancelled' || status === 'error') {
    return (
      <section className="coverage-panel" data-testid="coverage-panel" aria-label="Coverage">
        <h2 className="coverage-heading">Coverage</h2>
        {status === 'running' ? (
          <CoverageProgress progress={progress} />
        ) : (
          <p className="coverage-muted" data-testid="coverage-fast-path">
            {status === 'cancelled'
              ? 'Coverage was cancelled; the hits are final. Run the hunt again to compute it.'
              : `Coverage could not be computed (${error ?? 'unknown error'}); the hits are final.`}
          </p>
        )}
      </section>
    );
  }
  return (
    <section className="coverage-panel" data-testid="coverage-panel" aria-label="Coverage">
      <h2 className="coverage-heading">Coverage</h2>
      {funnel === null ? (
        <p className="coverage-muted" data-testid="coverage-fast-path">
          Coverage not computed for this run (fast path)
        </p>
      ) : (
        <Funnel funnel={funnel} totalRows={totalRows} />
      )}
      <h3 className="coverage-subheading">Near misses</h3>
      {groups.length === 0 ? (
        <p className="coverage-muted" data-testid="near-miss-empty">
          {funnel === null
            ? 'Near misses are found only when coverage is computed.'
            : 'No event fails exactly one clause: nothing is one change away from being a hit.'}
        </p>
      ) : (
        <>
          <p className="coverage-muted">
            Events that fail exactly one top-level clause: what a small change to the hunt would also catch.
          </p>
          {groups.map((g) => (
            <NearMissGroupView key={g.clauseIndex} group={g} onSelect={onSelectNearMiss} />
          ))}
        </>
      )}
    </section>
  );
}
