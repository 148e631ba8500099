/**
 * The hits table: TanStack Table v9 owns column state (sorting, filters, visibility, sizing) as
 * controlled state; the worker does the actual sorting and filtering (manualSorting/Filtering),
 * and the rows handed in are already in view order. Rows are virtualized with a fixed height.
 */
import { memo, useEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode, type RefObject } from 'react';
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
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Hit } from '../engine/types';
import type { SortDirection } from '../xql/plan';
import { cellText } from './format';
import { HighlightedText, VisibleText, spansFor } from './Text';

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
const helper = createColumnHelper<typeof features, Hit>();

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
};

export function columnLabel(field: string): string {
  return LABELS[field] ?? field;
}

export interface HitsTableProps {
  rows: Hit[];
  fields: string[];
  sorting: SortingState;
  onSortingChange(next: SortingState): void;
  columnFilters: ColumnFiltersState;
  onColumnFiltersChange(next: ColumnFiltersState): void;
  globalFilter: string;
  /** The query's own order, shown on the headers while no column sort is active. */
  planSort: { field: string; direction: SortDirection }[];
  selectedKey: string | null;
  onSelect(key: string): void;
  onOpen(key: string): void;
  /** Verdict per hit key, once triage exists. */
  verdictOf?: (hit: Hit) => string | undefined;
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

  const columns = useMemo(
    () =>
      helper.columns(
        [...fields, SOURCE_COLUMN].map((field) =>
          helper.accessor((hit: Hit) => (field === SOURCE_COLUMN ? `${hit.source.file}:${hit.source.row}` : cellText(field, hit.fields[field] ?? hit.row[field])), {
            id: field,
            header: columnLabel(field),
            size: WIDTHS[field] ?? 150,
            minSize: 50,
          }),
        ),
      ),
    [fields],
  );

  const table = useTable({
    features,
    columns,
    data: props.rows,
    getRowId: (hit: Hit) => hit.key,
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
      <div className="table-scroll" ref={scrollRef} tabIndex={0} data-testid="hits-table" role="grid" aria-rowcount={props.rows.length} aria-label="Hits">
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
                  <input
                    className="col-filter"
                    data-testid={`filter-${col.id}`}
                    aria-label={`Filter ${columnLabel(col.id)}`}
                    placeholder="filter…"
                    disabled={!props.interactive}
                    value={String(col.getFilterValue() ?? '')}
                    onChange={(e) => col.setFilterValue(e.target.value === '' ? undefined : e.target.value)}
                  />
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
  rows: Hit[];
  columnIds: string[];
  template: string;
  scrollRef: RefObject<HTMLDivElement | null>;
  selectedKey: string | null;
  onSelect(key: string): void;
  onOpen(key: string): void;
  verdictOf?: (hit: Hit) => string | undefined;
}

/** The virtualizer lives here, the lowest component, so scrolling re-renders only the body. */
function VirtualBody({ rows, columnIds, template, scrollRef, selectedKey, onSelect, onOpen, verdictOf }: VirtualBodyProps) {
  // The compiler cannot memoize around the virtualizer's mutable instance; it skips this component.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (i) => rows[i]?.key ?? i,
    overscan: 12,
  });
  const selectedIndex = useMemo(() => (selectedKey === null ? -1 : rows.findIndex((r) => r.key === selectedKey)), [rows, selectedKey]);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  return (
    <div className="tbody" role="rowgroup" style={{ height: virtualizer.getTotalSize() }}>
      {virtualizer.getVirtualItems().map((item) => {
        const hit = rows[item.index];
        return (
          <HitRow
            key={hit.key}
            hit={hit}
            index={item.index}
            top={item.start}
            template={template}
            columnIds={columnIds}
            selected={hit.key === selectedKey}
            verdict={verdictOf?.(hit)}
            onSelect={onSelect}
            onOpen={onOpen}
          />
        );
      })}
    </div>
  );
}

interface HitRowProps {
  hit: Hit;
  index: number;
  top: number;
  template: string;
  columnIds: string[];
  selected: boolean;
  verdict: string | undefined;
  onSelect(key: string): void;
  onOpen(key: string): void;
}

const HitRow = memo(function HitRow({ hit, index, top, template, columnIds, selected, verdict, onSelect, onOpen }: HitRowProps) {
  const style: CSSProperties = { transform: `translateY(${top}px)`, gridTemplateColumns: template, height: ROW_HEIGHT };
  return (
    <div
      className={`tr hit-row${selected ? ' selected' : ''}${index % 2 ? ' odd' : ''}`}
      role="row"
      aria-rowindex={index + 1}
      aria-selected={selected}
      data-testid="hit-row"
      data-event-id={hit.eventId}
      data-verdict={verdict}
      style={style}
      // A double click opens the hit; stop it from also selecting a word of the row's text.
      onMouseDown={(e) => {
        if (e.detail > 1) e.preventDefault();
      }}
      onClick={() => onSelect(hit.key)}
      onDoubleClick={() => onOpen(hit.key)}
    >
      {columnIds.map((id) => (
        <div key={id} className={`td${id === COMMAND_LINE ? ' mono' : ''}`} role="gridcell" data-column={id}>
          <CellContent hit={hit} field={id} />
        </div>
      ))}
    </div>
  );
});

function CellContent({ hit, field }: { hit: Hit; field: string }) {
  if (field === SOURCE_COLUMN) {
    return (
      <span title={`${hit.source.file}, row ${hit.source.row} (line ${hit.source.line})`}>
        <VisibleText text={`${hit.source.file}:${hit.source.row}`} />
      </span>
    );
  }
  const text = cellText(field, hit.fields[field] ?? hit.row[field]);
  if (field === COMMAND_LINE) {
    return <HighlightedText text={text} spans={spansFor(hit.explanation, field)} />;
  }
  return <VisibleText text={text} />;
}
