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
import { VERDICT_COLUMN } from '../worker/protocol';
import type { MappingChoice, ViewSpec } from '../worker/protocol';
import { arrayRows, type TableHit } from '../worker/columns';
import type { NearMiss } from '../engine/types';
import { MappingPanel } from './mapping/MappingPanel';
import { rememberedMappings } from './mapping/remember';
import { VERDICTS, hitId, verdictOf as sessionVerdictOf } from '../triage/model';
import { FilterChips, HitCharts } from './charts/HitCharts';
import { CoveragePanel } from './coverage/CoveragePanel';
import { DetailPane } from './DetailPane';
import { formatBytes, formatCount } from './format';
import { HitsTable } from './HitsTable';
import { HuntHeader, type LoadedHunt, type QueryCheck } from './HuntHeader';
import { CoverageStatusBadge, EscapeNote, ProgressStrip, RunStatus, RunWarnings } from './RunPanels';
import { useHuntRunner } from './runner';
import { BUNDLED_HUNT_NAME, loadBundledHunt, loadSample } from './single/embedded';
import { AnalystName } from './triage/AnalystName';
import { HostChecklist } from './triage/Checklists';
import { ExportMenu } from './triage/ExportMenu';
import { ReviewedProgress } from './triage/ReviewedProgress';
import { StorageWarning } from './triage/StorageWarning';
import { useTriageSession } from './triage/useTriageSession';
import { useVerdictShortcuts } from './triage/useVerdictShortcuts';
import { BulkBar, VerdictControls } from './triage/VerdictControls';
import { TriageMenu } from './triage/TriageMenu';
import { ReviewView } from './triage/ReviewView';
import { formatTime } from './triage/format';
import type { TriageBundle } from '../triage/export';

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
  // The table's hits carry no raw record or explanation (the detail pane fetches those); triage
  // reads only key, eventId, fields, row and source, so they stand in for Hits there.
  const finalHits = state.hits as Hit[];
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
  const [marked, setMarked] = useState<ReadonlySet<string>>(() => new Set());
  const anchorRef = useRef<string | null>(null);
  const [detailOpen, setDetailOpen] = useState(false);
  const [nearMiss, setNearMiss] = useState<NearMiss | null>(null);
  const [overview, setOverview] = useState<'charts' | 'coverage' | 'none'>('charts');
  const [reviewing, setReviewing] = useState<TriageBundle[] | null>(null);
  const [triageNotice, setTriageNotice] = useState<string | null>(null);
  const fileInputRef = useRef<HTMLInputElement>(null);

  // The bundled hunt is the default; loaded once at start (fetched, or embedded in the single file).
  useEffect(() => {
    let live = true;
    loadBundledHunt()
      .then((md) => {
        if (!live) return;
        const h = checkQueries(md, `${BUNDLED_HUNT_NAME} (bundled)`);
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
    setMarked(new Set());
    anchorRef.current = null;
    setDetailOpen(false);
    // New data: the team lead's review gives way to the run they asked for.
    setReviewing(null);
  }, []);

  const startRun = useCallback(
    (files: File[], escapes: EscapeReading, q: string | null = query, mapping?: MappingChoice | null) => {
      if (files.length === 0) return;
      if (q === null) {
        setNotice('There is no runnable XQL query: load a hunt document whose query compiles.');
        return;
      }
      setNotice(null);
      resetView();
      // Keyboard triage starts right away: Enter must open a hit, not press the loader button again.
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
      setNearMiss(null);
      // The mapping panel names what the hunt will miss before the first byte streams.
      runner.requestPreview(files, q, escapes, mapping ?? undefined, rememberedMappings());
      runner.run(files, q, escapes, mapping ?? null, rememberedMappings());
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
      startRun([await loadSample()], state.escapes);
    } catch (e) {
      setNotice(`Could not fetch the sample (${e instanceof Error ? e.message : String(e)}). Run \`npm run sample\` to generate it, or drop your own export.`);
    }
  }, [startRun, state.escapes]);

  const toggleEscapes = useCallback(() => {
    const next: EscapeReading = state.escapes === 'xql' ? 'backslash' : 'xql';
    if (state.files.length > 0) startRun(state.files, next, state.query || query);
  }, [query, startRun, state.escapes, state.files, state.query]);

  const done = state.status === 'done';
  // The fingerprints come with the background coverage pass, after `done`: until then the list is
  // empty and the session (hence every verdict control) waits for them.
  const triage = useTriageSession({
    hunt: loaded?.hunt ?? null,
    fingerprints: done && state.fingerprints.length > 0 ? state.fingerprints : null,
    hits: done ? finalHits : EMPTY_HITS,
  });

  // Verdicts live here, not in the worker: a view that sorts or filters on them carries one code
  // per hit, so deciding a hit re-sorts only views that depend on verdicts.
  const usesVerdicts =
    sorting.some((s) => s.id === VERDICT_COLUMN) || columnFilters.some((f) => f.id === VERDICT_COLUMN && String(f.value ?? '') !== '');
  const verdictCodes = useMemo(() => {
    const session = triage.session;
    if (!usesVerdicts || !done || session === null) return undefined;
    const out = new Uint8Array(finalHits.length);
    for (let i = 0; i < finalHits.length; i++) out[i] = VERDICTS.indexOf(sessionVerdictOf(session, hitId(finalHits[i])));
    return out;
  }, [usesVerdicts, done, triage.session, finalHits]);

  // Views are computed in the worker once the hit list is final; text filters are debounced so
  // typing does not queue a sort per keystroke.
  const spec: ViewSpec = useMemo(
    () => ({
      sorting: sorting.map((s) => ({ id: s.id, desc: s.desc })),
      columnFilters: columnFilters.map((f) => ({ id: f.id, value: String(f.value ?? '') })),
      globalFilter,
      chartFilters,
      ...(verdictCodes ? { verdicts: verdictCodes } : {}),
    }),
    [sorting, columnFilters, globalFilter, chartFilters, verdictCodes],
  );
  // Stable, so the memoised charts skip the App's progress and coverage re-renders.
  const toggleChart = useCallback((f: ChartFilter) => setChartFilters((cur) => toggleChartFilter(cur, f)), []);
  const { requestView } = runner;
  const viewedRun = useRef(0);
  const running = state.status === 'running';
  const specActive = spec.sorting.length > 0 || spec.columnFilters.length > 0 || spec.globalFilter.trim() !== '' || spec.chartFilters.length > 0;
  useEffect(() => {
    // While streaming, a sort or filter is computed over the hits so far (and refreshed below).
    if (!done && !(running && specActive)) return;
    // The first view of a run goes out at once (charts need it); later ones wait for typing to pause.
    const first = done && viewedRun.current !== state.runId;
    if (done) viewedRun.current = state.runId;
    const t = setTimeout(() => requestView(spec), first ? 0 : 120);
    return () => clearTimeout(t);
  }, [done, running, specActive, spec, requestView, state.runId]);
  useEffect(() => {
    if (!running || !specActive) return;
    const t = setInterval(() => requestView(spec), 1000);
    return () => clearInterval(t);
  }, [running, specActive, spec, requestView]);

  const rows: Hit[] = useMemo(() => {
    const store = state.store;
    // TableHit as Hit: see finalHits.
    const all = (done ? finalHits : store.hits.slice(0, state.count)) as Hit[];
    const view = state.view;
    if (!view || (done && !state.viewFinal) || (!done && !specActive)) return all;
    // While streaming, hits that arrived after the view was computed follow it until the next one.
    const extra = done ? 0 : Math.max(0, state.count - state.viewCovered);
    const out = new Array<Hit>(view.length + extra);
    for (let i = 0; i < view.length; i++) out[i] = store.at(view[i]) as Hit;
    for (let i = 0; i < extra; i++) out[view.length + i] = store.at(state.viewCovered + i) as Hit;
    return out;
  }, [done, finalHits, specActive, state.store, state.count, state.view, state.viewFinal, state.viewCovered]);
  const tableRows = useMemo(() => arrayRows(rows), [rows]);

  // Compiling is cheap and data-free, so the UI compiles the running query itself: the columns and
  // the string-literal note are known from the first byte, and nothing moves when the run ends.
  const localPlan = useMemo(() => {
    if (!state.query) return null;
    const c = compileXql(state.query, { escapes: state.escapes });
    return c.ok ? c.plan : null;
  }, [state.query, state.escapes]);
  const plan = state.plan ?? localPlan;

  // Without a `fields` stage the columns are whatever the hits carry, growing as batches arrive.
  const storeFieldCount = state.store.fieldNames.length;
  const fields = useMemo(() => {
    const out = plan?.outputFields;
    if (out && out.length > 0) return out;
    return state.store.fieldNames.slice(0, storeFieldCount);
  }, [plan, state.store, storeFieldCount]);

  // A hit that a verdict filter has just dropped stays open: the analyst keeps reading what they
  // decided, and j/k continues with the first hit still in the view.
  const selectedHit = useMemo(
    () => (selectedKey === null ? null : (rows.find((h) => h.key === selectedKey) ?? finalHits.find((h) => h.key === selectedKey) ?? null)),
    [rows, selectedKey, finalHits],
  );
  const { requestDetail } = runner;
  useEffect(() => {
    // The explanation and raw record come from the worker, only for the hit being read.
    if (detailOpen && selectedHit) requestDetail(selectedHit);
  }, [detailOpen, selectedHit, requestDetail]);
  const rowsRef = useRef(rows);
  useEffect(() => {
    rowsRef.current = rows;
  }, [rows]);
  // The bulk selection, limited to rows in the current view: a hidden row is never decided by accident.
  const markedHits = useMemo(() => (marked.size === 0 ? EMPTY_HITS : rows.filter((h) => marked.has(h.key))), [rows, marked]);
  const selectRow = useCallback((key: string, extend?: 'toggle' | 'range') => {
    const list = rowsRef.current;
    if (extend === 'range' && anchorRef.current !== null) {
      const a = list.findIndex((h) => h.key === anchorRef.current);
      const b = list.findIndex((h) => h.key === key);
      if (a >= 0 && b >= 0) setMarked(new Set(list.slice(Math.min(a, b), Math.max(a, b) + 1).map((h) => h.key)));
    } else if (extend === 'toggle') {
      setMarked((cur) => {
        // The row the cursor was on joins too, as in every file manager.
        const next = new Set(cur.size === 0 && anchorRef.current !== null ? [anchorRef.current] : cur);
        if (next.has(key)) next.delete(key);
        else next.add(key);
        return next;
      });
      anchorRef.current = key;
    } else {
      setMarked((cur) => (cur.size === 0 ? cur : new Set()));
      anchorRef.current = key;
    }
    setSelectedKey(key);
  }, []);

  const { verdictOf: triageVerdictOf, setVerdict } = triage;
  // TableHit as Hit: see finalHits.
  const verdictOf = useCallback((hit: TableHit) => (done ? triageVerdictOf(hit as Hit) : undefined), [done, triageVerdictOf]);
  // 1-5 / u b f s m decide the bulk selection, else the selected hit (ignored while typing in a field).
  useVerdictShortcuts((v) => {
    if (markedHits.length > 0) setVerdict(markedHits, v);
    else if (selectedHit) setVerdict([selectedHit], v);
  }, { enabled: done && triage.session !== null && (selectedHit !== null || markedHits.length > 0) });

  // Keyboard triage: j/k or arrows move, Enter opens, Escape closes. Ignored while typing.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
      if (e.key === 'Escape') {
        if (typing) (t as HTMLElement).blur();
        else {
          setDetailOpen(false);
          setMarked((cur) => (cur.size === 0 ? cur : new Set()));
        }
        return;
      }
      // defaultPrevented: a focused control (e.g. a near-miss row) already handled the key.
      if (typing || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      const list = rowsRef.current;
      if (list.length === 0) return;
      const move = (delta: number) => {
        e.preventDefault();
        setSelectedKey((cur) => {
          const at = cur === null ? -1 : list.findIndex((h) => h.key === cur);
          const next = at < 0 ? 0 : Math.max(0, Math.min(list.length - 1, at + delta));
          // Shift-click selects a range from the row the keyboard is on.
          anchorRef.current = list[next].key;
          return list[next].key;
        });
      };
      if (e.key === 'ArrowDown' || e.key === 'j') move(1);
      else if (e.key === 'ArrowUp' || e.key === 'k') move(-1);
      // Enter on a control is the control's own (a host checklist's summary toggles it, a button
      // presses); only elsewhere does it open the selected hit.
      else if (e.key === 'Enter' && !t?.closest('button, a, summary, select, [role="button"], [role="tab"], [role="menuitem"]')) {
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

  const total = done ? finalHits.length : (state.progress?.hits ?? state.count);
  const filtered = done && state.view ? state.view.length : rows.length;
  const hasRun = state.status !== 'idle';
  const emptyMessage =
    state.status === 'idle'
      ? 'Drop an XDR export here (CSV, NDJSON or JSON, optionally .gz) or click “Try the sample”.'
      : state.status === 'running'
        ? 'Reading… hits appear here as they are found.'
        : state.status === 'done' && finalHits.length === 0
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
              ref={fileInputRef}
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
          <TriageMenu
            currentKey={triage.session?.key ?? null}
            analyst={triage.analyst}
            onChangeAnalyst={triage.changeAnalyst}
            onRestore={(b) => {
              if (triage.restore(b)) setTriageNotice(`Restored ${Object.keys(b.decisions).length} decisions by ${b.exportedBy || b.session.analyst || 'an unnamed analyst'} from the bundle exported ${formatTime(b.exportedAt)}.`);
            }}
            onReview={setReviewing}
            onResume={(s) => {
              const names = s.datasets.map((d) => d.name);
              setTriageNotice(`To resume “${s.hunt.title}”, open the same export again (${names.join(', ')}) with this hunt loaded: its decisions come back by themselves.`);
              // The sample can be fetched; any other export has to be picked again.
              if (names.length === 1 && names[0] === 'xdr-sample.csv') void trySample();
              else fileInputRef.current?.click();
            }}
          />
          {done && triage.session && (
            <details className="export-menu">
              <summary className="button">Export ▾</summary>
              <div className="export-menu-list">
                <ExportMenu triage={triage} />
              </div>
            </details>
          )}
          <RunStatus state={state} />
          <CoverageStatusBadge state={state} onCancel={runner.cancel} />
        </div>
      </header>
      <StorageWarning status={triage.storage} onExport={() => triage.download('bundle')} />
      {triageNotice && (
        <div className="note note-escape triage-notice" role="status" data-testid="triage-notice">
          {triageNotice}{' '}
          <button type="button" className="link-button" onClick={() => setTriageNotice(null)}>
            dismiss
          </button>
        </div>
      )}
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
          {state.count > 0 && (
            <div className="small" data-testid="partial-hits">
              The {formatCount(state.count)} hits found before it stopped are kept below; the files were not read to the end.
            </div>
          )}
          <div className="small">Check that the file is an XDR export (CSV, NDJSON or JSON) and that the hunt's query compiles, then load it again.</div>
          {state.files.length > 0 && (
            <button type="button" className="button" data-testid="retry-button" onClick={runner.retry}>
              Retry
            </button>
          )}
        </div>
      )}
      {plan && (
        <EscapeNote
          notes={plan.literalNotes}
          escapes={state.escapes}
          otherReadingHits={state.stats?.otherReadingHits ?? null}
          hits={state.stats ? finalHits.length : null}
          disabled={state.status === 'running'}
          onToggle={toggleEscapes}
        />
      )}
      <RunWarnings state={state} />
      <MappingPanel
        preview={state.preview}
        files={state.stats?.files ?? null}
        huntFields={localPlan?.sourceFields ?? []}
        running={running}
        onApply={(choice) => startRun(state.files, state.escapes, state.query || query, choice)}
      />


      {reviewing !== null && (
        <div className="review-wrap">
          <ReviewView bundles={reviewing} onClose={() => setReviewing(null)} />
        </div>
      )}
      <main className={`workspace${detailOpen && (selectedHit || nearMiss) ? ' with-detail' : ''}`} hidden={reviewing !== null}>
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
              <HitCharts aggregates={done ? state.aggregates : null} filters={chartFilters} onToggleFilter={toggleChart} />
              {done && triage.session && finalHits.length > 0 && <HostChecklist triage={triage} hits={finalHits} />}
            </div>
          )}
          {overview === 'coverage' && !(detailOpen && selectedHit) && (
            // Focusable: the funnel scrolls, and a keyboard user must be able to scroll it (axe).
            <div className="overview-body" tabIndex={0} role="region" aria-label="Coverage">
              {state.stats ? (
                <CoveragePanel
                  funnel={state.stats.funnel}
                  nearMisses={state.nearMisses}
                  clauses={plan?.clauses ?? []}
                  totalRows={state.stats.rows}
                  status={state.coverage}
                  progress={state.coverageProgress}
                  error={state.coverageError}
                  onSelectNearMiss={(nm) => {
                    setSelectedKey(null);
                    setNearMiss(nm);
                    setDetailOpen(true);
                  }}
                />
              ) : (
                <p className="muted small">Coverage appears when a run finishes.</p>
              )}
            </div>
          )}
        </aside>
        <section className="hits-panel" aria-label="Hits">
          <HitsTable
            rows={tableRows}
            spansOf={runner.spansOf}
            onRowsShown={runner.requestSpans}
            viewState={state.viewPending ? 'pending' : 'ready'}
            viewMs={state.viewMs === null ? null : Math.round(state.viewMs)}
            fields={fields}
            sorting={sorting}
            onSortingChange={setSorting}
            columnFilters={columnFilters}
            onColumnFiltersChange={setColumnFilters}
            globalFilter={globalFilter}
            planSort={plan?.sort ?? []}
            selectedKey={selectedKey}
            onSelect={selectRow}
            markedKeys={marked}
            onOpen={(k) => {
              setSelectedKey(k);
              setDetailOpen(true);
            }}
            interactive={done || running}
            emptyMessage={emptyMessage}
            verdictOf={verdictOf}
            toolbar={
              <>
            <span className="hits-total">
              <span className="hit-count" data-testid="hit-count">
                {hasRun ? String(total) : '0'}
              </span>{' '}
              hits
              {running && specActive && (
                <span className="muted small" data-testid="view-streaming" title="The worker re-sorts and re-filters every second while the run streams, and once more over the final list.">
                  {' '}
                  · sorted/filtered over the hits so far
                </span>
              )}
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
                  · {formatCount(state.stats.rows)} rows in {state.stats.files.length} file{state.stats.files.length === 1 ? '' : 's'} ({formatBytes(state.stats.bytes)})
                </span>
              )}
            </span>
            {markedHits.length > 0 && (
              <BulkBar count={markedHits.length} onVerdict={(v) => setVerdict(markedHits, v)} onClear={() => setMarked(new Set())} />
            )}
            <input
              type="search"
              className="global-search"
              data-testid="global-search"
              placeholder="Search all columns…"
              aria-label="Search all columns"
              value={globalFilter}
              disabled={!(done || running)}
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
        {detailOpen && !selectedHit && nearMiss && (
          <DetailPane nearMiss={nearMiss} clauses={plan?.clauses ?? []} onClose={() => setDetailOpen(false)} />
        )}
        {detailOpen && selectedHit && (
          <DetailPane
            hit={selectedHit}
            detail={state.detail?.key === selectedHit.key ? state.detail : null}
            clauses={plan?.clauses ?? []}
            onClose={() => setDetailOpen(false)}
            triage={
              done ? (
                <div className="detail-triage">
                  {triage.session === null && (
                    // The session is keyed by the export's SHA-256, hashed by the coverage pass.
                    <p className="muted small" data-testid="triage-waiting">
                      {state.coverage === 'running'
                        ? 'Computing the export’s fingerprint…'
                        : state.coverage === 'done'
                          ? 'Opening the triage session…'
                          : 'Triage needs the export’s fingerprint; run the hunt again to compute it.'}
                    </p>
                  )}
                  <VerdictControls triage={triage} hit={selectedHit} hits={finalHits} selected={markedHits} />
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
