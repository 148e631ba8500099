/**
 * The hits table: TanStack Table v9 owns column state (sorting, filters, visibility, sizing) as
 * controlled state; the worker does the actual sorting and filtering (manualSorting/Filtering),
 * and the rows handed in are already in view order. Rows are virtualized with a fixed height.
 */
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode, type RefObject } from 'react';
import {
  columnFilteringFeature,
  columnResizingFeature,
  columnSizingFeature,
  columnVisibilityFeature,
  createColumnHelper,
  globalFilteringFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnFiltersState,
  type ColumnSizingState,
  type ColumnVisibilityState,
  type SortingState,
} from '@tanstack/react-table';
import type { HitRows, TableHit } from '../worker/columns';
import type { SortDirection } from '../xql/plan';
import { VERDICT_COLUMN } from '../worker/protocol';
import { VERDICTS, VERDICT_LABELS, isVerdict } from '../triage/model';
import { VerdictBadge } from './triage/VerdictBadge';
import { cellText, formatCount } from './format';
import { HighlightedText, VisibleText } from './Text';

export const ROW_HEIGHT = 28;
export const COMMAND_LINE = 'action_process_image_command_line';
/** Synthetic column: where the hit came from (file:row). */
export const SOURCE_COLUMN = '__file';

const features = tableFeatures({
  rowSortingFeature,
  columnFilteringFeature,
  globalFilteringFeature,
  columnVisibilityFeature,
  columnSizingFeature,
  columnResizingFeature,
});
const helper = createColumnHelper<typeof features, TableHit>();
/** The worker sorts and filters; TanStack only owns column state, so it never sees the rows. */
const NO_DATA: TableHit[] = [];

const WIDTHS: Record<string, number> = {
  _time: 162,
  agent_hostname: 175,
  actor_effective_username: 150,
  action_process_image_name: 120,
  action_process_image_path: 210,
  [COMMAND_LINE]: 460,
  event_id: 120,
  agent_id: 130,
  _product: 80,
  [SOURCE_COLUMN]: 170,
  [VERDICT_COLUMN]: 112,
};

const LABELS: Record<string, string> = {
  _time: 'Time (UTC)',
  agent_hostname: 'Host',
  actor_effective_username: 'User',
  action_process_image_name: 'Process',
  action_process_image_path: 'Image path',
  [COMMAND_LINE]: 'Command line',
  event_id: 'Event ID',
  agent_id: 'Agent ID',
  _product: 'Product',
  [SOURCE_COLUMN]: 'Source (file:row)',
  [VERDICT_COLUMN]: 'Verdict',
};

export function columnLabel(field: string): string {
  return LABELS[field] ?? field;
}

export interface HitsTableProps {
  /** Already in view order (the worker sorted and filtered them). */
  rows: HitRows;
  fields: string[];
  sorting: SortingState;
  onSortingChange(next: SortingState): void;
  columnFilters: ColumnFiltersState;
  onColumnFiltersChange(next: ColumnFiltersState): void;
  globalFilter: string;
  /** The query's own order, shown on the headers while no column sort is active. */
  planSort: { field: string; direction: SortDirection }[];
  selectedKey: string | null;
  /** `extend`: ctrl/cmd-click toggles the row into the bulk selection, shift-click selects a range. */
  onSelect(key: string, extend?: 'toggle' | 'range'): void;
  onOpen(key: string): void;
  /** Rows in the bulk selection (ctrl/shift-click), besides the cursor row. */
  markedKeys?: ReadonlySet<string>;
  /** Verdict per hit; when given, the table has a Verdict column (sorted/filtered like the others). */
  verdictOf?: (hit: TableHit) => string | undefined;
  /** Command-line match spans of a hit, once the worker sent them ([start, end) pairs). */
  spansOf?: (hit: TableHit) => Uint32Array | undefined;
  /** The rows now on screen, so their spans can be fetched. */
  onRowsShown?: (hits: TableHit[]) => void;
  /** 'pending' while a sort/filter is being computed (data-view-state on the grid, for tests and the cursor). */
  viewState?: 'pending' | 'ready';
  /** The worker's compute time of the last view (data-view-ms on the grid). */
  viewMs?: number | null;
  /** Filtering/sorting controls are live only once the run is done (the worker owns the list). */
  interactive: boolean;
  emptyMessage: string;
  /** Rendered on the table's tool line (counts, search), left of the column menu. */
  toolbar?: ReactNode;
}

export function HitsTable(props: HitsTableProps) {
  const { fields, sorting, columnFilters, globalFilter, onSortingChange, onColumnFiltersChange } = props;
  const [columnVisibility, setColumnVisibility] = useState<ColumnVisibilityState>({});
  const [columnSizing, setColumnSizing] = useState<ColumnSizingState>({});
  const scrollRef = useRef<HTMLDivElement>(null);

  const withVerdict = props.verdictOf !== undefined;
  const columns = useMemo(
    () =>
      helper.columns(
        [...(withVerdict ? [VERDICT_COLUMN] : []), ...fields, SOURCE_COLUMN].map((field) =>
          helper.accessor((hit: TableHit) => (field === SOURCE_COLUMN ? `${hit.source.file}:${hit.source.row}` : cellText(field, hit.fields[field] ?? hit.row[field])), {
            id: field,
            header: columnLabel(field),
            size: WIDTHS[field] ?? 150,
            minSize: 50,
            // Worst first on the first click: the analyst sorts verdicts to see what is bad.
            sortDescFirst: field === VERDICT_COLUMN,
          }),
        ),
      ),
    [fields, withVerdict],
  );

  const table = useTable({
    features,
    columns,
    data: NO_DATA,
    getRowId: (hit: TableHit) => hit.key,
    manualSorting: true,
    manualFiltering: true,
    enableMultiSort: true,
    // Shift-click adds a key, as in every spreadsheet the analyst knows.
    isMultiSortEvent: (e: unknown) => (e as { shiftKey?: boolean } | null)?.shiftKey === true,
    columnResizeMode: 'onChange',
    state: { sorting, columnFilters, globalFilter, columnVisibility, columnSizing },
    onSortingChange: (u) => onSortingChange(typeof u === 'function' ? u(sorting) : u),
    onColumnFiltersChange: (u) => onColumnFiltersChange(typeof u === 'function' ? u(columnFilters) : u),
    onColumnVisibilityChange: (u) => setColumnVisibility((prev) => (typeof u === 'function' ? u(prev) : u)),
    onColumnSizingChange: (u) => setColumnSizing((prev) => (typeof u === 'function' ? u(prev) : u)),
  });

  const visible = table.getVisibleLeafColumns();
  const widths = visible.map((c) => c.getSize());
  const totalWidth = widths.reduce((a, b) => a + b, 0);
  const template = widths.map((w) => `${w}px`).join(' ');
  const visibleIds = visible.map((c) => c.id);
  const planSortOf = (id: string) => (sorting.length === 0 ? props.planSort.find((s) => s.field === id) : undefined);

  return (
    <div className="hits-table-wrap">
      <div className="table-tools">
        {props.toolbar}
        <ColumnMenu
          columns={table.getAllLeafColumns().map((c) => ({ id: c.id, visible: c.getIsVisible(), toggle: (v: boolean) => c.toggleVisibility(v) }))}
        />
        {sorting.length > 0 && (
          <button type="button" className="link-button" onClick={() => onSortingChange([])}>
            Back to the query's order
          </button>
        )}
        {columnFilters.length > 0 && (
          <button type="button" className="link-button" onClick={() => onColumnFiltersChange([])}>
            Clear column filters
          </button>
        )}
      </div>
      <div className="table-scroll" ref={scrollRef} tabIndex={0} data-testid="hits-table" role="grid" aria-rowcount={props.rows.length} aria-label="Hits" aria-busy={props.viewState === 'pending'} data-view-state={props.viewState ?? 'ready'} data-view-ms={props.viewMs ?? undefined}>
        <div style={{ width: totalWidth, minWidth: '100%' }}>
          <div className="thead" role="rowgroup">
            <div className="tr head-row" role="row" style={{ gridTemplateColumns: template }}>
              {table.getHeaderGroups()[0]?.headers
                .filter((h) => h.column.getIsVisible())
                .map((header) => {
                  const col = header.column;
                  const dir = col.getIsSorted();
                  const idx = col.getSortIndex();
                  const planDir = planSortOf(col.id);
                  return (
                    <div
                      key={header.id}
                      className="th"
                      role="columnheader"
                      data-column={col.id}
                      aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'}
                    >
                      <button
                        type="button"
                        className="th-sort"
                        data-testid={`sort-${col.id}`}
                        disabled={!props.interactive}
                        title="Sort (shift-click to add a key)"
                        onClick={col.getToggleSortingHandler()}
                      >
                        <span className="th-label">{columnLabel(col.id)}</span>
                        <span className="sort-ind" aria-hidden="true">
                          {dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : planDir ? (planDir.direction === 'desc' ? '▽' : '△') : ''}
                          {dir && sorting.length > 1 ? idx + 1 : ''}
                        </span>
                      </button>
                      <div
                        className={`resizer${col.getIsResizing() ? ' resizing' : ''}`}
                        onMouseDown={header.getResizeHandler()}
                        onTouchStart={header.getResizeHandler()}
                        onDoubleClick={() => col.resetSize()}
                        role="separator"
                        aria-label={`Resize ${columnLabel(col.id)}`}
                      />
                    </div>
                  );
                })}
            </div>
            <div className="tr filter-row" role="row" style={{ gridTemplateColumns: template }}>
              {visible.map((col) => (
                <div key={col.id} className="th" role="columnheader">
                  {col.id === VERDICT_COLUMN ? (
                    // A fixed set of values: a select, so "false positive" is never mistyped.
                    <select
                      className="col-filter"
                      data-testid={`filter-${col.id}`}
                      aria-label="Filter Verdict"
                      disabled={!props.interactive}
                      value={String(col.getFilterValue() ?? '')}
                      onChange={(e) => col.setFilterValue(e.target.value === '' ? undefined : e.target.value)}
                    >
                      <option value="">all</option>
                      {VERDICTS.map((v) => (
                        <option key={v} value={VERDICT_LABELS[v].toLowerCase()}>
                          {VERDICT_LABELS[v]}
                        </option>
                      ))}
                    </select>
                  ) : (
                  <input
                    className="col-filter"
                    data-testid={`filter-${col.id}`}
                    aria-label={`Filter ${columnLabel(col.id)}`}
                    placeholder="filter…"
                    disabled={!props.interactive}
                    value={String(col.getFilterValue() ?? '')}
                    onChange={(e) => col.setFilterValue(e.target.value === '' ? undefined : e.target.value)}
                  />
                  )}
                </div>
              ))}
            </div>
          </div>
          {props.rows.length === 0 ? (
            <div className="table-empty">{props.emptyMessage}</div>
          ) : (
            <VirtualBody
              rows={props.rows}
              columnIds={visibleIds}
              template={template}
              scrollRef={scrollRef}
              selectedKey={props.selectedKey}
              onSelect={props.onSelect}
              onOpen={props.onOpen}
              verdictOf={props.verdictOf}
              markedKeys={props.markedKeys}
              spansOf={props.spansOf}
              onRowsShown={props.onRowsShown}
            />
          )}
        </div>
      </div>
    </div>
  );
}

function ColumnMenu({ columns }: { columns: { id: string; visible: boolean; toggle(v: boolean): void }[] }) {
  return (
    <details className="column-menu">
      <summary>Columns</summary>
      <div className="column-menu-list">
        {columns.map((c) => (
          <label key={c.id}>
            <input type="checkbox" checked={c.visible} onChange={(e) => c.toggle(e.target.checked)} /> {columnLabel(c.id)}
          </label>
        ))}
      </div>
    </details>
  );
}

interface VirtualBodyProps {
  rows: HitRows;
  columnIds: string[];
  template: string;
  scrollRef: RefObject<HTMLDivElement | null>;
  selectedKey: string | null;
  onSelect(key: string, extend?: 'toggle' | 'range'): void;
  onOpen(key: string): void;
  verdictOf?: (hit: TableHit) => string | undefined;
  markedKeys?: ReadonlySet<string>;
  spansOf?: (hit: TableHit) => Uint32Array | undefined;
  onRowsShown?: (hits: TableHit[]) => void;
}

/**
 * Browsers cap an element's height (about 33.5M px in Chrome; 1M rows of 28 px is 28M px), so
 * past this height the body is drawn this tall and scroll positions are scaled onto row offsets.
 */
export const MAX_BODY_PX = 15_000_000;
const OVERSCAN = 12;

export interface ScrollGeometry {
  /** Height the body element gets. */
  height: number;
  /** Virtual pixels per real scroll pixel (1 when unscaled). */
  scale: number;
  first: number;
  last: number;
  /** Row i is drawn at i * rowHeight - shift. */
  shift: number;
}

/**
 * The rows to draw for a scroll position. The scroll range [0, height - viewport] maps linearly
 * onto the virtual range [0, count * rowHeight - viewport], so the top and the bottom are both
 * reachable exactly and everything between moves proportionally.
 */
export function scrollGeometry(count: number, rowHeight: number, viewport: number, scrollTop: number, maxPx = MAX_BODY_PX): ScrollGeometry {
  const total = count * rowHeight;
  const height = Math.min(total, maxPx);
  const scale = total > height && height > viewport ? (total - viewport) / (height - viewport) : 1;
  const top = Math.max(0, Math.min(scrollTop, Math.max(0, height - viewport)));
  const virtualTop = top * scale;
  const first = Math.max(0, Math.floor(virtualTop / rowHeight) - OVERSCAN);
  const last = Math.min(count - 1, Math.ceil((virtualTop + viewport) / rowHeight) + OVERSCAN);
  return { height, scale, first, last, shift: virtualTop - top };
}

/** The scrollTop that brings row `index` into view with the least movement (or keeps it). */
export function scrollTopFor(index: number, g: ScrollGeometry, rowHeight: number, viewport: number, scrollTop: number): number {
  const rowTop = index * rowHeight - g.shift;
  if (rowTop >= scrollTop && rowTop + rowHeight <= scrollTop + viewport) return scrollTop;
  const virtualTarget = rowTop < scrollTop ? index * rowHeight : index * rowHeight + rowHeight - viewport;
  return Math.max(0, virtualTarget / g.scale);
}

/** Our own windowing (not a library's) because the scaled scroll above needs the row math. */
function VirtualBody({ rows, columnIds, template, scrollRef, selectedKey, onSelect, onOpen, verdictOf, markedKeys, spansOf, onRowsShown }: VirtualBodyProps) {
  const bodyRef = useRef<HTMLDivElement>(null);
  const [scroll, setScroll] = useState({ top: 0, viewport: 600 });
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const body = bodyRef.current;
    if (!el || !body) return;
    const measure = () => {
      // The sticky header covers the top of the scroller; rows are visible below it.
      const viewport = Math.max(ROW_HEIGHT, el.clientHeight - body.offsetTop);
      setScroll((cur) => (cur.top === el.scrollTop && cur.viewport === viewport ? cur : { top: el.scrollTop, viewport }));
    };
    measure();
    el.addEventListener('scroll', measure, { passive: true });
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', measure);
      ro.disconnect();
    };
  }, [scrollRef]);
  const g = scrollGeometry(rows.length, ROW_HEIGHT, scroll.viewport, scroll.top);

  const selectedIndex = useMemo(() => (selectedKey === null ? -1 : rows.positionOfKey(selectedKey)), [rows, selectedKey]);
  const geometry = useRef(g);
  useEffect(() => {
    geometry.current = g;
  });
  useEffect(() => {
    const el = scrollRef.current;
    if (selectedIndex < 0 || !el) return;
    const next = scrollTopFor(selectedIndex, geometry.current, ROW_HEIGHT, scroll.viewport, el.scrollTop);
    if (Math.abs(next - el.scrollTop) >= 1) el.scrollTop = next;
  }, [selectedIndex, scrollRef, scroll.viewport]);

  const shown: TableHit[] = [];
  for (let i = g.first; i <= g.last; i++) shown.push(rows.at(i));
  const shownKey = `${rows.length}:${g.first}:${g.last}`;
  const shownRef = useRef(shown);
  useEffect(() => {
    shownRef.current = shown;
  });
  useEffect(() => {
    if (!onRowsShown) return;
    // Ask once the scroll settles a little: flinging through a million rows needs no spans.
    const t = setTimeout(() => onRowsShown(shownRef.current), 40);
    return () => clearTimeout(t);
  }, [shownKey, onRowsShown, rows]);

  return (
    <div className="tbody" role="rowgroup" ref={bodyRef} style={{ height: g.height }}>
      {shown.map((hit, k) => {
        const index = g.first + k;
        return (
          <HitRow
            key={hit.key}
            hit={hit}
            index={index}
            top={index * ROW_HEIGHT - g.shift}
            template={template}
            columnIds={columnIds}
            selected={hit.key === selectedKey}
            marked={markedKeys?.has(hit.key) ?? false}
            verdict={verdictOf?.(hit)}
            spans={spansOf?.(hit)}
            onSelect={onSelect}
            onOpen={onOpen}
          />
        );
      })}
    </div>
  );
}

interface HitRowProps {
  hit: TableHit;
  index: number;
  top: number;
  template: string;
  columnIds: string[];
  selected: boolean;
  marked: boolean;
  verdict: string | undefined;
  spans: Uint32Array | undefined;
  onSelect(key: string, extend?: 'toggle' | 'range'): void;
  onOpen(key: string): void;
}

const HitRow = memo(function HitRow({ hit, index, top, template, columnIds, selected, marked, verdict, spans, onSelect, onOpen }: HitRowProps) {
  const style: CSSProperties = { transform: `translateY(${top}px)`, gridTemplateColumns: template, height: ROW_HEIGHT };
  return (
    <div
      className={`tr hit-row${selected ? ' selected' : ''}${marked ? ' marked' : ''}${index % 2 ? ' odd' : ''}`}
      role="row"
      aria-rowindex={index + 1}
      aria-selected={selected}
      data-marked={marked ? 'true' : undefined}
      data-testid="hit-row"
      data-event-id={hit.eventId}
      data-verdict={verdict}
      style={style}
      // A double click opens the hit; stop it from also selecting a word of the row's text.
      onMouseDown={(e) => {
        // Shift-click extends the selection; it must not also select the text in between.
        if (e.detail > 1 || e.shiftKey) e.preventDefault();
      }}
      onClick={(e) => onSelect(hit.key, e.shiftKey ? 'range' : e.ctrlKey || e.metaKey ? 'toggle' : undefined)}
      onDoubleClick={() => onOpen(hit.key)}
    >
      {columnIds.map((id) => (
        <div key={id} className={`td${id === COMMAND_LINE ? ' mono' : ''}`} role="gridcell" data-column={id}>
          <CellContent hit={hit} field={id} verdict={verdict} spans={spans} />
        </div>
      ))}
    </div>
  );
});

function pairs(spans: Uint32Array | undefined): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  if (spans) for (let i = 0; i + 1 < spans.length; i += 2) out.push({ start: spans[i], end: spans[i + 1] });
  return out;
}

function CellContent({ hit, field, verdict, spans }: { hit: TableHit; field: string; verdict: string | undefined; spans: Uint32Array | undefined }) {
  if (field === VERDICT_COLUMN) return isVerdict(verdict) ? <VerdictBadge verdict={verdict} /> : null;
  if (field === SOURCE_COLUMN) {
    return (
      <span title={`${hit.source.file}, row ${hit.source.row} (line ${hit.source.line})`}>
        <VisibleText text={`${hit.source.file}:${hit.source.row}`} />
      </span>
    );
  }
  const full = cellText(field, hit.fields[field] ?? hit.row[field]);
  // A cell shows one line: laying out a megabyte of it per scroll would freeze the page. The
  // detail pane shows the whole value.
  const text = full.length > CELL_MAX_CHARS ? full.slice(0, CELL_MAX_CHARS) : full;
  const more = full.length - text.length;
  const body = field === COMMAND_LINE ? <HighlightedText text={text} spans={pairs(spans)} /> : <VisibleText text={text} />;
  if (more === 0) return body;
  return (
    <>
      {body}
      <span className="cell-clipped" data-testid="cell-clipped">
        {' '}
        … +{formatCount(more)} characters
      </span>
    </>
  );
}

/** Characters of a value a table cell renders (several screen widths of a long command line). */
const CELL_MAX_CHARS = 2000;
