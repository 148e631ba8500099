import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { HOST_STATUS_LABELS, VERDICTS, VERDICT_LABELS } from '../../triage/model';
import { reviewBundles } from '../../triage/review';
import type { Review } from '../../triage/review';
import { reviewToHtml, reviewToMarkdown } from '../../triage/report';
import type { TriageBundle } from '../../triage/export';
import { downloadText } from '../../triage/download';
import { VerdictBadge } from './VerdictBadge';
import { VisibleText } from '../Text';
import { visibleText } from '../visibleText';
import { formatTime } from './format';

export interface ReviewViewProps {
  /** Bundles of one hunt (one per analyst, or several exports); another hunt's is an error shown here. */
  bundles: readonly TriageBundle[];
  onClose?(): void;
}

function commandLine(fields: Readonly<Record<string, unknown>>): string {
  const v = fields['action_process_image_command_line'];
  return typeof v === 'string' ? v : '';
}

const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1'];

function Charts({ review }: { review: Review }) {
  const data = VERDICTS.map((v) => {
    const row: Record<string, string | number> = { verdict: VERDICT_LABELS[v], merged: review.verdicts[v] };
    review.analysts.forEach((a) => {
      row[`a${a.bundle}`] = 0;
    });
    for (const h of review.hits) {
      for (const d of h.decisions) if (d.verdict === v) row[`a${d.bundle}`] = Number(row[`a${d.bundle}`]) + 1;
    }
    return row;
  });
  return (
    <div className="triage-review-charts" aria-label="Verdict counts">
      <BarChart width={420} height={220} data={data} accessibilityLayer>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="verdict" fontSize={11} />
        <YAxis allowDecimals={false} fontSize={11} />
        <Tooltip />
        <Bar dataKey="merged" name="Merged" fill="#555" isAnimationActive={false} />
      </BarChart>
      {review.analysts.length > 1 && (
        <BarChart width={420} height={220} data={data} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="verdict" fontSize={11} />
          <YAxis allowDecimals={false} fontSize={11} />
          <Tooltip />
          <Legend />
          {review.analysts.map((a, i) => (
            <Bar key={a.bundle} dataKey={`a${a.bundle}`} name={a.analyst} fill={PALETTE[i % PALETTE.length]} isAnimationActive={false} />
          ))}
        </BarChart>
      )}
    </div>
  );
}

/** The team lead's view of several analysts' bundles of one hunt. */
export function ReviewView({ bundles, onClose }: ReviewViewProps) {
  const result = useMemo(() => reviewBundles(bundles), [bundles]);
  if (!result.ok) {
    return (
      <section className="triage-review" data-testid="review-view">
        <p role="alert" data-testid="review-error">
          {result.error}
        </p>
        {onClose && (
          <button type="button" onClick={onClose}>
            Close
          </button>
        )}
      </section>
    );
  }
  const { review } = result;
  const stamp = () => new Date().toISOString();
  return (
    <section className="triage-review" data-testid="review-view" aria-label="Review">
      <header>
        <h2>Review: {review.hunt.title}</h2>
        <p>
          {review.analysts.map((a) => `${a.analyst} (${a.reviewed} of ${a.hits} reviewed, exported ${formatTime(a.exportedAt)})`).join(' · ')}
        </p>
        <p>
          Reviewed (merged): <span data-testid="review-progress">{review.reviewed.done} of {review.reviewed.total}</span>
          {' · '}Conflicts: <span data-testid="conflict-count">{review.conflicts.length}</span>
          {' · '}Partial: {review.partial.length}
        </p>
        <button
          type="button"
          data-testid="review-export-markdown"
          onClick={() => downloadText('triage-review.md', reviewToMarkdown(review), 'text/markdown;charset=utf-8')}
        >
          Review summary (Markdown)
        </button>{' '}
        <button
          type="button"
          data-testid="review-export-html"
          onClick={() => downloadText('triage-review.html', reviewToHtml(review, { generatedAt: stamp() }), 'text/html;charset=utf-8')}
        >
          Review report (HTML)
        </button>{' '}
        {onClose && (
          <button type="button" onClick={onClose}>
            Close review
          </button>
        )}
      </header>

      {review.conflicts.length > 0 && (
        <>
          <h3>Conflicts</h3>
          <ul>
            {review.conflicts.map((c) => (
              <li key={c.hit.id} data-testid="conflict" data-hit={c.hit.id}>
                <code>
                  <VisibleText text={c.hit.eventId} />
                </code>{' '}
                on{' '}
                <code>
                  <VisibleText text={c.hit.host} />
                </code>
                :{' '}
                {c.decisions.map((d, i) => (
                  <span key={`${d.analyst}-${i}`}>
                    {i > 0 && ' vs '}
                    {d.analyst}: <VerdictBadge verdict={d.verdict} /> ({formatTime(d.at)}){d.reason && ` — ${d.reason}`}
                  </span>
                ))}
                {commandLine(c.hit.fields) !== '' && (
                  // What they disagree about, so the lead can judge without opening the export.
                  <code className="triage-conflict-cmd" title={visibleText(commandLine(c.hit.fields))}>
                    <VisibleText text={commandLine(c.hit.fields)} />
                  </code>
                )}
              </li>
            ))}
          </ul>
        </>
      )}

      <h3>Hosts by worst verdict</h3>
      <table className="triage-table" data-testid="review-hosts">
        <thead>
          <tr>
            <th>Host</th>
            <th>Worst</th>
            <th>Hits</th>
            <th>Status</th>
            <th>Response actions</th>
          </tr>
        </thead>
        <tbody>
          {review.hosts.map((h) => (
            <tr key={h.host} data-host={h.host} data-verdict={h.worst}>
              <td>
                <VisibleText text={h.host} />
              </td>
              <td>
                <VerdictBadge verdict={h.worst} />
              </td>
              <td>{h.hits}</td>
              <td>
                {HOST_STATUS_LABELS[h.status]}
                {h.statusBy && ` (${h.statusBy})`}
              </td>
              <td>
                <span data-testid="review-host-progress">
                  {h.progress.done} of {h.progress.total} done
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>Open items</h3>
      <ul data-testid="open-items">
        <li>Untriaged hits: {review.open.untriagedHits.length}</li>
        <li>Hosts still open: {review.open.openHosts.length === 0 ? 'none' : review.open.openHosts.map((h) => visibleText(h)).join(', ')}</li>
        {review.open.uncheckedActions.map((a, i) => (
          <li key={i}>
            ☐ <VisibleText text={a.host} />: {a.item}
          </li>
        ))}
      </ul>
      <h3>Verdicts</h3>
      <div className="triage-review-verdicts">
      <table className="triage-table" data-testid="review-verdicts">
        <tbody>
          {VERDICTS.map((v) => (
            <tr key={v} data-verdict={v}>
              <th scope="row">{VERDICT_LABELS[v]}</th>
              <td>{review.verdicts[v]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Charts review={review} />
      </div>
    </section>
  );
}
