/**
 * Hunt Triage: drop an export, see what the hunt caught, why, and what to do next. All parsing and
 * scanning happens in the hunt worker; this component only holds UI state.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import type { ColumnFiltersState, SortingState } from '@tanstack/react-table';
import { toggleChartFilter, type ChartFilter } from '../engine/aggregate';
import type { Hit } from '../engine/types';
import { parseHunt } from '../hunt';
import { compileXql } from '../xql';
import type { EscapeReading } from '../xql/plan';
import type { ViewSpec } from '../worker/protocol';
import { FilterChips, HitCharts } from './charts/HitCharts';
import { CoveragePanel } from './coverage/CoveragePanel';
import { DetailPane } from './DetailPane';
import { formatBytes, formatCount } from './format';
import { HitsTable } from './HitsTable';
import { HuntHeader, type LoadedHunt, type QueryCheck } from './HuntHeader';
import { EscapeNote, ProgressStrip, RunStatus, RunWarnings } from './RunPanels';
import { useHuntRunner } from './runner';
import { AnalystName } from './triage/AnalystName';
import { HitChecklist, HostChecklist } from './triage/Checklists';
import { ExportMenu } from './triage/ExportMenu';
import { ReviewedProgress } from './triage/ReviewedProgress';
import { StorageWarning } from './triage/StorageWarning';
import { useTriageSession } from './triage/useTriageSession';
import { useVerdictShortcuts } from './triage/useVerdictShortcuts';
import { VerdictControls } from './triage/VerdictControls';

const BASE = import.meta.env.BASE_URL;
const BUNDLED_HUNT = `${BASE}hunts/cloudflare-tunnel-webdav.md`;
const SAMPLE = `${BASE}samples/xdr-sample.csv`;

function checkQueries(markdown: string, source: string): LoadedHunt {
  const hunt = parseHunt(markdown);
  const queries: QueryCheck[] = hunt.queries.map((q, index) => {
    const base = { index, language: q.language, code: q.code, docLine: q.line };
    if (!q.supported || q.language !== 'xql') {
      return { ...base, runnable: false, error: null, unsupported: `${q.language || 'unlabelled'} queries cannot run here; only xql is supported` };
    }
    const compiled = compileXql(q.code, { escapes: 'xql' });
    return compiled.ok ? { ...base, runnable: true, error: null, unsupported: null } : { ...base, runnable: false, error: compiled.error, unsupported: null };
  });
  return { hunt, source, queries };
}

const EMPTY_HITS: Hit[] = [];

function isHuntDocument(f: File): boolean {
  return /\.(md|markdown)$/i.test(f.name);
}

export function App() {
  const runner = useHuntRunner();
  const { state } = runner;
  const [loaded, setLoaded] = useState<LoadedHunt | null>(null);
  const [huntError, setHuntError] = useState<string | null>(null);
  const [queryIndex, setQueryIndex] = useState(-1);
  const [notice, setNotice] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  const [sorting, setSorting] = useState<SortingState>([]);
  const [columnFilters, setColumnFilters] = useState<ColumnFiltersState>([]);
  const [globalFilter, setGlobalFilter] = useState('');
  const [chartFilters, setChartFilters] = useState<ChartFilter[]>([]);
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [detailOpen, setDetailOpen] = useState(false);
  const [overview, setOverview] = useState<'charts' | 'coverage' | 'none'>('charts');

  // The bundled hunt is the default; fetched once at start.
  useEffect(() => {
    let live = true;
    fetch(BUNDLED_HUNT)
      .then((r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status} for ${BUNDLED_HUNT}`);
        return r.text();
      })
      .then((md) => {
        if (!live) return;
        const h = checkQueries(md, 'cloudflare-tunnel-webdav.md (bundled)');
        setLoaded(h);
        setQueryIndex(h.queries.find((q) => q.runnable)?.index ?? -1);
      })
      .catch((e: unknown) => live && setHuntError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, []);

  const query = loaded?.queries.find((q) => q.index === queryIndex && q.runnable)?.code ?? null;

  const resetView = useCallback(() => {
    setSorting([]);
    setColumnFilters([]);
    setGlobalFilter('');
    setChartFilters([]);
    setSelectedKey(null);
    setDetailOpen(false);
  }, []);

  const startRun = useCallback(
    (files: File[], escapes: EscapeReading, q: string | null = query) => {
      if (files.length === 0) return;
      if (q === null) {
        setNotice('There is no runnable XQL query: load a hunt document whose query compiles.');
        return;
      }
      setNotice(null);
      resetView();
      // Keyboard triage starts right away: Enter must open a hit, not press the loader button again.
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
      runner.run(files, q, escapes);
    },
    [query, resetView, runner],
  );

  const loadHuntFile = useCallback(
    async (file: File) => {
      try {
        const h = checkQueries(await file.text(), file.name);
        setLoaded(h);
        setHuntError(null);
        const first = h.queries.find((q) => q.runnable);
        setQueryIndex(first?.index ?? -1);
        if (first && state.files.length > 0) startRun(state.files, state.escapes, first.code);
      } catch (e) {
        setHuntError(`${file.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    [startRun, state.files, state.escapes],
  );

  const takeFiles = useCallback(
    (list: FileList | File[] | null) => {
      const all = list ? Array.from(list) : [];
      const hunts = all.filter(isHuntDocument);
      const data = all.filter((f) => !isHuntDocument(f));
      if (hunts.length > 0) void loadHuntFile(hunts[0]);
      if (data.length > 0) startRun(data, state.escapes);
    },
    [loadHuntFile, startRun, state.escapes],
  );

  const trySample = useCallback(async () => {
    try {
      const r = await fetch(SAMPLE);
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      const blob = await r.blob();
      startRun([new File([blob], 'xdr-sample.csv', { type: 'text/csv' })], state.escapes);
    } catch (e) {
      setNotice(`Could not fetch the sample (${e instanceof Error ? e.message : String(e)}). Run \`npm run sample\` to generate it, or drop your own export.`);
    }
  }, [startRun, state.escapes]);

  const toggleEscapes = useCallback(() => {
    const next: EscapeReading = state.escapes === 'xql' ? 'backslash' : 'xql';
    if (state.files.length > 0) startRun(state.files, next, state.query || query);
  }, [query, startRun, state.escapes, state.files, state.query]);

  // Views are computed in the worker once the hit list is final; text filters are debounced so
  // typing does not queue a sort per keystroke.
  const spec: ViewSpec = useMemo(
    () => ({
      sorting: sorting.map((s) => ({ id: s.id, desc: s.desc })),
      columnFilters: columnFilters.map((f) => ({ id: f.id, value: String(f.value ?? '') })),
      globalFilter,
      chartFilters,
    }),
    [sorting, columnFilters, globalFilter, chartFilters],
  );
  const { requestView } = runner;
  const done = state.status === 'done';
  const viewedRun = useRef(0);
  useEffect(() => {
    if (!done) return;
    // The first view of a run goes out at once (charts need it); later ones wait for typing to pause.
    const first = viewedRun.current !== state.runId;
    viewedRun.current = state.runId;
    const t = setTimeout(() => requestView(spec), first ? 0 : 120);
    return () => clearTimeout(t);
  }, [done, spec, requestView, state.runId]);

  const rows: Hit[] = useMemo(() => {
    if (!done || !state.view) return state.hits;
    const out = new Array<Hit>(state.view.length);
    for (let i = 0; i < state.view.length; i++) out[i] = state.hits[state.view[i]];
    return out;
  }, [done, state.hits, state.view]);

  // Compiling is cheap and data-free, so the UI compiles the running query itself: the columns and
  // the string-literal note are known from the first byte, and nothing moves when the run ends.
  const localPlan = useMemo(() => {
    if (!state.query) return null;
    const c = compileXql(state.query, { escapes: state.escapes });
    return c.ok ? c.plan : null;
  }, [state.query, state.escapes]);
  const plan = state.plan ?? localPlan;

  const fields = useMemo(() => {
    const out = plan?.outputFields;
    if (out && out.length > 0) return out;
    const first = state.hits[0];
    return first ? Object.keys(first.fields) : [];
  }, [plan, state.hits]);

  const selectedHit = useMemo(() => (selectedKey === null ? null : (rows.find((h) => h.key === selectedKey) ?? null)), [rows, selectedKey]);

  const triage = useTriageSession({
    hunt: loaded?.hunt ?? null,
    fingerprints: done ? state.fingerprints : null,
    hits: done ? state.hits : EMPTY_HITS,
  });
  const { verdictOf: triageVerdictOf, setVerdict } = triage;
  const verdictOf = useCallback((hit: Hit) => (done ? triageVerdictOf(hit) : undefined), [done, triageVerdictOf]);
  // 1-5 / u b f s m set the selected hit's verdict (the triage hook ignores keys typed in fields).
  useVerdictShortcuts((v) => {
    if (selectedHit) setVerdict([selectedHit], v);
  }, { enabled: done && selectedHit !== null });

  // Keyboard triage: j/k or arrows move, Enter opens, Escape closes. Ignored while typing.
  const rowsRef = useRef(rows);
  useEffect(() => {
    rowsRef.current = rows;
  }, [rows]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
      if (e.key === 'Escape') {
        if (typing) (t as HTMLElement).blur();
        else setDetailOpen(false);
        return;
      }
      if (typing || e.altKey || e.ctrlKey || e.metaKey) return;
      const list = rowsRef.current;
      if (list.length === 0) return;
      const move = (delta: number) => {
        e.preventDefault();
        setSelectedKey((cur) => {
          const at = cur === null ? -1 : list.findIndex((h) => h.key === cur);
          const next = at < 0 ? 0 : Math.max(0, Math.min(list.length - 1, at + delta));
          return list[next].key;
        });
      };
      if (e.key === 'ArrowDown' || e.key === 'j') move(1);
      else if (e.key === 'ArrowUp' || e.key === 'k') move(-1);
      else if (e.key === 'Enter' && (t?.tagName !== 'BUTTON' && t?.tagName !== 'A')) {
        e.preventDefault();
        setSelectedKey((cur) => cur ?? list[0].key);
        setDetailOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    takeFiles(e.dataTransfer.files);
  };

  const total = done ? state.hits.length : (state.progress?.hits ?? state.hits.length);
  const filtered = done && state.view ? state.view.length : rows.length;
  const hasRun = state.status !== 'idle';
  const emptyMessage =
    state.status === 'idle'
      ? 'Drop an XDR export here (CSV, NDJSON or JSON, optionally .gz) or click “Try the sample”.'
      : state.status === 'running'
        ? 'Reading… hits appear here as they are found.'
        : state.status === 'done' && state.hits.length === 0
          ? 'The hunt matched nothing in these files. Check the warnings above for clauses that were not evaluated.'
          : state.status === 'done'
            ? 'No hit matches the current filters. Clear the column filters or the search.'
            : state.status === 'cancelled'
              ? 'Run cancelled. Load the files again to re-run.'
              : 'The run failed; see the error above.';

  return (
    <div
      className={`app${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        if (!dragging) setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={onDrop}
      data-testid="drop-zone"
    >
      <header className="topbar">
        <h1 className="app-name">Hunt Triage</h1>
        <span className="local-badge" title="Files are read by this tab only; nothing is uploaded.">
          local only · nothing is uploaded
        </span>
        <div className="topbar-actions">
          <label className="button primary">
            Open exports…
            <input
              type="file"
              multiple
              data-testid="file-input"
              className="visually-hidden"
              accept=".csv,.tsv,.txt,.json,.ndjson,.jsonl,.gz,.xml"
              onChange={(e) => {
                takeFiles(e.target.files);
                e.target.value = '';
              }}
            />
          </label>
          <button type="button" className="button" data-testid="sample-button" onClick={() => void trySample()}>
            Try the sample
          </button>
          <label className="button">
            Load hunt (.md)…
            <input
              type="file"
              accept=".md,.markdown,text/markdown"
              data-testid="hunt-input"
              className="visually-hidden"
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) void loadHuntFile(f);
                e.target.value = '';
              }}
            />
          </label>
          {done && triage.session && (
            <details className="export-menu">
              <summary className="button">Export ▾</summary>
              <div className="export-menu-list">
                <ExportMenu triage={triage} />
              </div>
            </details>
          )}
          <RunStatus state={state} />
        </div>
      </header>
      <StorageWarning status={triage.storage} onExport={() => triage.download('bundle')} />
      {triage.analystPrompt && <AnalystName initial={triage.analyst} onConfirm={triage.confirmAnalyst} onCancel={triage.cancelAnalyst} />}

      <HuntHeader loaded={loaded} loadError={huntError} queryIndex={queryIndex} onQueryIndex={(i) => {
        setQueryIndex(i);
        const q = loaded?.queries.find((x) => x.index === i);
        if (q && state.files.length > 0) startRun(state.files, state.escapes, q.code);
      }} />

      <ProgressStrip state={state} onCancel={runner.cancel} />

      {notice && (
        <div className="note note-error" role="alert">
          {notice}
        </div>
      )}
      {state.status === 'error' && state.error && (
        <div className="note note-error" role="alert" data-testid="run-error">
          <strong>The run failed:</strong> {state.error}
          <div className="small">Check that the file is an XDR export (CSV, NDJSON or JSON) and that the hunt's query compiles, then load it again.</div>
        </div>
      )}
      {plan && (
        <EscapeNote
          notes={plan.literalNotes}
          escapes={state.escapes}
          otherReadingHits={state.stats?.otherReadingHits ?? null}
          hits={state.stats ? state.hits.length : null}
          disabled={state.status === 'running'}
          onToggle={toggleEscapes}
        />
      )}
      <RunWarnings state={state} />


      <main className={`workspace${detailOpen && selectedHit ? ' with-detail' : ''}`}>
        <aside className={`overview${overview === 'none' || (detailOpen && selectedHit) ? ' collapsed' : ''}`} aria-label="Overview">
          <div className="overview-tabs" role="tablist">
            {(['charts', 'coverage', 'none'] as const).map((tab) => (
              <button
                key={tab}
                type="button"
                role="tab"
                aria-selected={overview === tab}
                className={`tab${overview === tab ? ' active' : ''}`}
                data-testid={`overview-tab-${tab}`}
                onClick={() => setOverview(tab)}
              >
                {tab === 'charts' ? 'Charts' : tab === 'coverage' ? 'Coverage' : '«'}
              </button>
            ))}
            <FilterChips
              filters={chartFilters}
              onRemove={(f) => setChartFilters((cur) => toggleChartFilter(cur, f))}
              onClear={() => setChartFilters([])}
            />
          </div>
          {overview === 'charts' && !(detailOpen && selectedHit) && (
            <div className="overview-body">
              <HitCharts aggregates={done ? state.aggregates : null} filters={chartFilters} onToggleFilter={(f) => setChartFilters((cur) => toggleChartFilter(cur, f))} />
              {done && triage.session && state.hits.length > 0 && <HostChecklist triage={triage} hits={state.hits} />}
            </div>
          )}
          {overview === 'coverage' && !(detailOpen && selectedHit) && (
            <div className="overview-body">
              {state.stats ? (
                <CoveragePanel funnel={state.stats.funnel} nearMisses={state.nearMisses} clauses={plan?.clauses ?? []} totalRows={state.stats.rows} />
              ) : (
                <p className="muted small">Coverage appears when a run finishes.</p>
              )}
            </div>
          )}
        </aside>
        <section className="hits-panel" aria-label="Hits">
          <HitsTable
            rows={rows}
            fields={fields}
            sorting={sorting}
            onSortingChange={setSorting}
            columnFilters={columnFilters}
            onColumnFiltersChange={setColumnFilters}
            globalFilter={globalFilter}
            planSort={plan?.sort ?? []}
            selectedKey={selectedKey}
            onSelect={setSelectedKey}
            onOpen={(k) => {
              setSelectedKey(k);
              setDetailOpen(true);
            }}
            interactive={done}
            emptyMessage={emptyMessage}
            verdictOf={verdictOf}
            toolbar={
              <>
            <span className="hits-total">
              <span className="hit-count" data-testid="hit-count">
                {hasRun ? String(total) : '0'}
              </span>{' '}
              hits
              {done && filtered !== total && (
                <span className="muted" data-testid="shown-count">
                  {' '}
                  · {formatCount(filtered)} shown
                </span>
              )}
              {done && triage.session && (
                <span className="reviewed">
                  {' · '}
                  <ReviewedProgress progress={triage.progress} />
                </span>
              )}
              {done && state.stats && (
                <span className="muted small">
                  {' '}
                  · {formatCount(state.stats.rows)} rows in {state.fingerprints.length} file{state.fingerprints.length === 1 ? '' : 's'} ({formatBytes(state.stats.bytes)})
                </span>
              )}
            </span>
            <input
              type="search"
              className="global-search"
              data-testid="global-search"
              placeholder="Search all columns…"
              aria-label="Search all columns"
              value={globalFilter}
              disabled={!done}
              onChange={(e) => setGlobalFilter(e.target.value)}
            />
            <span className="muted small kbd-help">
              <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open · <kbd>Esc</kbd> close
            </span>
              </>
            }
          />
          {done && state.fingerprints.length > 0 && (
            <div className="fingerprints muted small" data-testid="fingerprints">
              {state.fingerprints.map((f) => (
                <span key={f.name} title={`SHA-256 ${f.sha256}`}>
                  {f.name} · {formatBytes(f.size)} · sha256 <span className="mono">{f.sha256.slice(0, 16)}…</span>
                </span>
              ))}
            </div>
          )}
        </section>
        {detailOpen && selectedHit && (
          <DetailPane
            hit={selectedHit}
            clauses={plan?.clauses ?? []}
            onClose={() => setDetailOpen(false)}
            triage={
              done && triage.session ? (
                <div className="detail-triage">
                  <VerdictControls triage={triage} hit={selectedHit} hits={state.hits} />
                  <HitChecklist triage={triage} hit={selectedHit} />
                </div>
              ) : null
            }
          />
        )}
      </main>
      {dragging && <div className="drop-overlay">Drop to run the hunt over these files (a .md file replaces the hunt)</div>}
    </div>
  );
}
