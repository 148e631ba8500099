/**
 * The hunt document next to its data: what it is, how bad, how noisy, which techniques, the query
 * itself, and the queries of the document that cannot run here (with the compiler's reason).
 */
import type { Hunt } from '../hunt/types';
import type { XqlError } from '../xql/plan';

export interface QueryCheck {
  index: number;
  language: string;
  code: string;
  /** 1-based line in the markdown where the code starts. */
  docLine: number;
  runnable: boolean;
  /** Why it cannot run: a compile error (query-relative line/column) or an unsupported language. */
  error: XqlError | null;
  unsupported: string | null;
}

export interface LoadedHunt {
  hunt: Hunt;
  source: string;
  queries: QueryCheck[];
}

/** https://attack.mitre.org/techniques/T1021/002/ for "T1021.002". */
export function attackUrl(technique: string): string | null {
  const m = /^(T\d{4})(?:\.(\d{3}))?$/.exec(technique.trim());
  if (!m) return null;
  return `https://attack.mitre.org/techniques/${m[1]}/${m[2] ? `${m[2]}/` : ''}`;
}

function severityClass(s: string | null): string {
  const v = (s ?? '').toLowerCase();
  if (v.startsWith('crit')) return 'sev-critical';
  if (v.startsWith('high')) return 'sev-high';
  if (v.startsWith('med')) return 'sev-medium';
  if (v.startsWith('low')) return 'sev-low';
  return 'sev-unknown';
}

export interface HuntHeaderProps {
  loaded: LoadedHunt | null;
  loadError: string | null;
  queryIndex: number;
  onQueryIndex(i: number): void;
}

export function HuntHeader({ loaded, loadError, queryIndex, onQueryIndex }: HuntHeaderProps) {
  if (!loaded) {
    return (
      <section className="hunt-header" data-testid="hunt-header">
        {loadError ? <p className="error-text">Could not load the hunt: {loadError}. Load a hunt document (.md) with “Load hunt”.</p> : <p className="muted">Loading the bundled hunt…</p>}
      </section>
    );
  }
  const { hunt, queries } = loaded;
  const runnable = queries.filter((q) => q.runnable);
  const broken = queries.filter((q) => !q.runnable);
  const selected = queries.find((q) => q.index === queryIndex) ?? runnable[0] ?? null;
  return (
    <section className="hunt-header" data-testid="hunt-header">
      <div className="hunt-title-row">
        <h2 className="hunt-title" data-testid="hunt-title">
          {hunt.title}
        </h2>
        <div className="hunt-facts">
          <span className={`badge ${severityClass(hunt.severity)}`} title="Severity">
            {hunt.severity ?? 'severity ?'}
          </span>
          <span className="fact" title="Risk score from the hunt document">
            risk <strong>{hunt.riskScore ?? '—'}</strong>
          </span>
          <span className="fact" title="False-positive rate from the hunt document">
            FP rate <strong>{hunt.falsePositiveRate ?? '—'}</strong>
          </span>
          <span className="fact" title="Operating systems">
            {hunt.operatingSystems.join(', ') || 'any OS'}
          </span>
          {hunt.id && <span className="fact mono muted">{hunt.id}</span>}
          <span className="fact muted" title="Hunt document">
            {loaded.source}
          </span>
        </div>
      </div>
      {hunt.attack.length > 0 && (
        <ul className="attack-list" aria-label="ATT&CK mapping">
          {hunt.attack.map((row, i) => {
            const technique = row.subtechnique && !row.technique.includes('.') ? `${row.technique}.${row.subtechnique.replace(/^\./, '')}` : row.technique;
            const url = attackUrl(technique);
            return (
              <li key={i}>
                <span className="muted">{row.tactic}</span>{' '}
                {url ? (
                  <a href={url} target="_blank" rel="noreferrer noopener">
                    {technique}
                  </a>
                ) : (
                  <span>{technique}</span>
                )}{' '}
                {row.name}
              </li>
            );
          })}
        </ul>
      )}
      {runnable.length > 1 && (
        <label className="query-picker">
          Query:{' '}
          <select value={selected?.index ?? -1} onChange={(e) => onQueryIndex(Number(e.target.value))}>
            {runnable.map((q) => (
              <option key={q.index} value={q.index}>
                #{q.index + 1} (line {q.docLine})
              </option>
            ))}
          </select>
        </label>
      )}
      {selected && (
        <details className="query-details">
          <summary>
            Query ({selected.language || 'no language'}, document line {selected.docLine}) — click to {`show`}
          </summary>
          <pre className="query-text" data-testid="query-text">
            {selected.code}
          </pre>
        </details>
      )}
      {broken.length > 0 && (
        <ul className="query-errors" data-testid="query-errors">
          {broken.map((q) => (
            <li key={q.index}>
              Query #{q.index + 1} (document line {q.docLine}){' '}
              {q.error ? (
                <>
                  does not compile: <strong>{q.error.message}</strong> at line {q.error.line}, column {q.error.column} (document line{' '}
                  {q.docLine + q.error.line - 1})
                </>
              ) : (
                <>is not run: {q.unsupported}</>
              )}
            </li>
          ))}
        </ul>
      )}
      {runnable.length === 0 && <p className="error-text">This hunt has no XQL query that compiles, so there is nothing to run. Load another hunt document.</p>}
    </section>
  );
}
