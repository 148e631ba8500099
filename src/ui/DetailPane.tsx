/**
 * Everything about one hit: where it came from, why it matched, what the command line decodes to,
 * which indicators it carries (with defanged copies for tickets), and the whole original record.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { decodePowerShellEncoded, defang, extractIndicators, type Indicator } from '../analysis/indicators';
import type { NearMiss } from '../engine/types';
import type { Row } from '../engine/value';
import type { TableHit } from '../worker/columns';
import type { HitDetail } from '../worker/protocol';
import type { ClauseInfo, ExplainNode } from '../xql/plan';
import { cellText, formatTime, rawText } from './format';
import { COMMAND_LINE } from './HitsTable';
import { HighlightedText, VisibleText, spansFor } from './Text';
import { hasInvisible } from './visibleText';

const KIND_LABELS: Record<Indicator['kind'], string> = {
  'trycloudflare-host': 'Tunnel host',
  domain: 'Domain',
  'unc-path': 'UNC path',
  url: 'URL',
  ip: 'IP',
  file: 'File',
};

export interface DetailPaneProps {
  /** A hit of the table; its explanation and raw record arrive as `detail` (null while loading). */
  hit?: TableHit;
  detail?: HitDetail | null;
  /** Or a near miss from the coverage panel (it carries its own explanation, no raw record). */
  nearMiss?: NearMiss;
  clauses: ClauseInfo[];
  onClose(): void;
  /** INTEGRATION SLOT: triage controls (verdict, reason, checklist) for this hit. */
  triage?: ReactNode;
}

export function DetailPane({ hit, detail = null, nearMiss, clauses, onClose, triage }: DetailPaneProps) {
  // The detail's row is the whole canonical row; the table's carries only what the table needs.
  const row: Row = nearMiss?.row ?? detail?.row ?? hit?.row ?? {};
  const fields = hit?.fields ?? {};
  const explanation = nearMiss?.explanation ?? detail?.explanation ?? null;
  const raw = detail?.raw ?? null;
  const eventId = nearMiss?.eventId ?? hit?.eventId ?? '';
  const source = nearMiss?.source ?? hit?.source ?? { file: '', row: 0, line: 0 };
  const failed = nearMiss ? clauses[nearMiss.failedClause] : undefined;
  const commandLine = cellText(COMMAND_LINE, row[COMMAND_LINE] ?? fields[COMMAND_LINE]);
  const decoded = useMemo(() => decodePowerShellEncoded(commandLine), [commandLine]);
  const indicators = useMemo(() => {
    const texts = [commandLine, ...decoded.map((d) => d.decoded ?? '')];
    const seen = new Set<string>();
    const out: Indicator[] = [];
    for (const t of texts) {
      for (const ind of extractIndicators(t)) {
        const k = `${ind.kind}:${ind.value.toLowerCase()}`;
        if (!seen.has(k)) {
          seen.add(k);
          out.push(ind);
        }
      }
    }
    return out;
  }, [commandLine, decoded]);
  const time = row._time;
  const host = cellText('agent_hostname', row.agent_hostname);
  const user = cellText('actor_effective_username', row.actor_effective_username);
  const spans = explanation ? spansFor(explanation, COMMAND_LINE) : [];

  return (
    <aside
      className={`detail-pane${nearMiss ? ' near-miss' : ''}`}
      data-testid="detail-pane"
      data-kind={nearMiss ? 'near-miss' : 'hit'}
      aria-label={nearMiss ? `Near miss ${eventId}` : `Hit ${eventId}`}
      aria-busy={!nearMiss && detail === null}
    >
      <div className="detail-head">
        <div>
          <div className="detail-title">
            {nearMiss && <span className="near-miss-badge" data-testid="near-miss-badge">Near miss · </span>}
            <VisibleText text={cellText('action_process_image_name', row.action_process_image_name) || (nearMiss ? 'Event' : 'Hit')} /> on{' '}
            <strong>
              <VisibleText text={host || '(no host)'} />
            </strong>
          </div>
          <div className="detail-sub">
            {typeof time === 'number' ? formatTime(time, true) : 'no time'} · user <VisibleText text={user || '(none)'} /> · event{' '}
            <span className="mono">
              <VisibleText text={eventId} />
            </span>
          </div>
          <div className="detail-sub" data-testid="detail-origin">
            From <VisibleText text={source.file} />, row {source.row} (line {source.line})
          </div>
          {failed && (
            <div className="detail-sub warn-text" data-testid="near-miss-failed">
              Failed only: <code>
                <VisibleText text={failed.text} />
              </code>
            </div>
          )}
        </div>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close detail (Escape)" title="Close (Escape)">
          ✕
        </button>
      </div>
      <section>
        <h3>Command line</h3>
        {/* Focusable: a long command line scrolls inside the block, also from the keyboard. */}
        <div className="code-block" data-testid="detail-command-line" tabIndex={0} aria-label="Command line">
          <HighlightedText text={commandLine} spans={spans} />
        </div>
        {hasInvisible(commandLine) && (
          <p className="warn-text">Contains invisible or direction-changing characters (shown as ⟦U+…⟧): the text may read differently elsewhere.</p>
        )}
      </section>
      {decoded.length > 0 && (
        <section data-testid="decoded-command">
          <h3>Decoded PowerShell {decoded.length > 1 ? `(${decoded.length})` : ''}</h3>
          {decoded.map((d, i) => (
            <div key={i} className="decoded">
              <div className="muted small">
                <span className="mono">{d.flag}</span> argument, base64 → UTF-16LE{d.error ? ` — ${d.error}` : ''}
              </div>
              {d.decoded !== null && (
                <div className="code-block">
                  <VisibleText text={d.decoded} />
                </div>
              )}
            </div>
          ))}
        </section>
      )}
      <section>
        <h3>{nearMiss ? 'Clause by clause (one failed)' : 'Why it matched'}</h3>
        {explanation ? (
          <ol className="explain" data-testid="explanation">
            {explanation.clauses.map((node, i) => (
              <ExplainItem key={i} node={node} row={row} fields={clauses[i]?.fields ?? []} top />
            ))}
          </ol>
        ) : (
          <p className="muted small" data-testid="explanation-loading">
            Working out why it matched…
          </p>
        )}
      </section>
      <section>
        <h3>Indicators</h3>
        {indicators.length === 0 ? (
          <p className="muted small">No hosts, UNC paths, URLs or file names found in the command line.</p>
        ) : (
          <ul className="indicators" data-testid="indicators">
            {indicators.map((ind) => (
              <IndicatorRow key={`${ind.kind}:${ind.value}`} ind={ind} />
            ))}
          </ul>
        )}
      </section>
      {triage && (
        <section>
          <h3>Triage</h3>
          {triage}
        </section>
      )}
      {nearMiss ? (
        <section>
          <h3>Event fields ({Object.keys(row).length})</h3>
          <p className="muted small">Near misses keep the event as the hunt read it (canonical fields), not the original record.</p>
          <dl className="kv" data-testid="raw-record">
            {Object.entries(row).map(([k, v]) => (
              <div key={k} className="kv-row">
                <dt>
                  <VisibleText text={k} />
                </dt>
                <dd>
                  <VisibleText text={cellText(k, v)} />
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ) : raw === null ? (
        <section>
          <h3>Original record</h3>
          <p className="muted small">Loading…</p>
        </section>
      ) : (
      <section>
        <h3>Original record ({Object.keys(raw).length} fields)</h3>
        <dl className="kv" data-testid="raw-record">
          {Object.entries(raw).map(([k, v]) => (
            <div key={k} className="kv-row">
              <dt>
                <VisibleText text={k} />
              </dt>
              <dd tabIndex={rawText(v).length > LONG_VALUE ? 0 : undefined}>
                <VisibleText text={rawText(v)} />
              </dd>
            </div>
          ))}
        </dl>
      </section>
      )}
    </aside>
  );
}

function IndicatorRow({ ind }: { ind: Indicator }) {
  const [copied, setCopied] = useState(false);
  const safe = defang(ind.value, ind.kind);
  return (
    <li>
      <span className={`ind-kind ind-${ind.kind}`}>{KIND_LABELS[ind.kind]}</span>
      <span className="mono ind-value" title={ind.value}>
        <VisibleText text={safe} />
      </span>
      <button
        type="button"
        className="small-button"
        title="Copy the defanged value (safe to paste in tickets)"
        onClick={() => {
          void navigator.clipboard?.writeText(safe).then(
            () => {
              setCopied(true);
              setTimeout(() => setCopied(false), 1200);
            },
            () => setCopied(false),
          );
        }}
      >
        {copied ? 'Copied' : 'Copy defanged'}
      </button>
    </li>
  );
}

const CONTEXT = 48;
/** Values longer than this may scroll inside their cell (styles.css caps its height), so they take focus. */
const LONG_VALUE = 600;

function ExplainItem({ node, row, fields, top }: { node: ExplainNode; row: Row; fields: string[]; top?: boolean }) {
  const state = node.skipped ? 'skipped' : node.passed ? 'pass' : 'fail';
  const icon = node.skipped ? '–' : node.passed ? '✓' : '✗';
  return (
    <li className={`explain-node ${state}`} data-state={state}>
      <div className="explain-line">
        <span className="explain-icon" aria-label={state}>
          {icon}
        </span>
        <code>
          <VisibleText text={node.text} />
        </code>
        {node.skipped && <span className="muted small"> not evaluated: the export lacks a column it reads</span>}
      </div>
      {node.matches.length > 0 && (
        <ul className="explain-matches">
          {node.matches.map((m, i) => {
            const value = cellText(m.field, row[m.field]);
            if (m.start === 0 && m.end === value.length) {
              // A whole-value match (enum or equality) needs no context or offset.
              return (
                <li key={i}>
                  <span className="muted small">{m.field} =</span>{' '}
                  <mark className="mono">
                    <VisibleText text={value} />
                  </mark>
                </li>
              );
            }
            const from = Math.max(0, m.start - CONTEXT);
            const to = Math.min(value.length, m.end + CONTEXT);
            return (
              <li key={i}>
                <span className="muted small">{m.field}</span>{' '}
                <span className="mono">
                  {from > 0 ? '…' : ''}
                  <HighlightedText text={value.slice(from, to)} spans={[{ start: m.start - from, end: m.end - from }]} />
                  {to < value.length ? '…' : ''}
                </span>
                <span className="muted small"> matched “<VisibleText text={m.literal} />” at {m.start}</span>
              </li>
            );
          })}
        </ul>
      )}
      {top && node.matches.length === 0 && node.children.length === 0 && fields.length > 0 && (
        <div className="explain-values muted small">
          {fields.map((f) => (
            <span key={f}>
              {f} = <span className="mono">{cellText(f, row[f]) || '(empty)'}</span>{' '}
            </span>
          ))}
        </div>
      )}
      {node.children.length > 0 && (
        <ol className="explain-children">
          {node.children.map((c, i) => (
            <ExplainItem key={i} node={c} row={row} fields={[]} />
          ))}
        </ol>
      )}
    </li>
  );
}
