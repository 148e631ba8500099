/**
 * Host, user, process and time charts over the (filtered) hit set. The worker aggregates; these
 * charts only ever draw a few dozen bars (recharts slows past ~1k SVG elements, research §2.9).
 *
 * E2E selector for a bar: `[data-testid="chart-host"] [data-bar-key="WS-01"]` (every chart's bars
 * carry `data-bar-key`, `data-count` and `data-active`; time bars use the bin start in epoch ms).
 * Clicks land on recharts' `.recharts-bar-rectangle` layer around it, which owns the onClick.
 */
import { memo, useEffect, useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import { Bar, BarChart, LabelList, Rectangle, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { BarShapeProps, TooltipContentProps } from 'recharts';
import {
  OTHER_KEY,
  chartFilterLabel,
  formatUtc,
  formatUtcRange,
  type Bucket,
  type CategoryDimension,
  type ChartAggregates,
  type ChartFilter,
  type TimeBin,
} from '../../engine/aggregate';
import { truncate } from '../../analysis/truncate';
import { VisibleText } from '../Text';
import { visibleText } from '../visibleText';
import './charts.css';

export interface HitChartsProps {
  aggregates: ChartAggregates | null;
  filters: ChartFilter[];
  onToggleFilter(filter: ChartFilter): void;
  /** Mount the charts one per macrotask (default true); false renders all four at once (static rendering). */
  staggered?: boolean;
}

export interface FilterChipsProps {
  filters: ChartFilter[];
  onRemove(filter: ChartFilter): void;
  onClear(): void;
}

const TICK_CHARS = 16;
const ROW_PX = 16;
const TIME_CHART_PX = 132;
const TICK_STYLE = { fontSize: 11 };

interface CategoryDatum {
  key: string;
  count: number;
  active: boolean;
  /** "(other)" is a remainder, not a value: there is nothing to filter on. */
  clickable: boolean;
}

interface TimeDatum {
  start: number;
  end: number;
  count: number;
  active: boolean;
  clickable: boolean;
}

/** Bar fill: with no active filter on the chart every bar is the accent; with one, only active bars are. */
function barStyle(active: boolean, anyActive: boolean, clickable: boolean): CSSProperties {
  const accent = !clickable ? false : anyActive ? active : true;
  return {
    fill: accent ? 'var(--accent, #3b82f6)' : 'var(--muted, #8b949e)',
    opacity: accent ? 1 : 0.55,
    cursor: clickable ? 'pointer' : 'default',
  };
}

function CategoryChart(props: {
  testId: string;
  title: string;
  dimension: CategoryDimension;
  buckets: Bucket[];
  filters: ChartFilter[];
  onToggleFilter(filter: ChartFilter): void;
}) {
  const { testId, title, dimension, buckets, filters, onToggleFilter } = props;
  const data: CategoryDatum[] = useMemo(() => {
    const active = new Set<string>();
    for (const f of filters) if (f.dimension === dimension) active.add(f.value);
    return buckets.map((b) => ({
      key: b.key,
      count: b.count,
      active: active.has(b.key),
      clickable: b.key !== OTHER_KEY,
    }));
  }, [buckets, filters, dimension]);
  const anyActive = data.some((d) => d.active);
  const height = Math.max(60, data.length * ROW_PX + 12);

  const toggle = (index: number) => {
    const d = data[index];
    if (d?.clickable) onToggleFilter({ dimension, value: d.key });
  };

  return (
    <figure className="hit-chart" data-testid={testId} aria-label={`${title}: hits per value; click a bar to filter`}>
      <figcaption className="hit-chart-title">{title}</figcaption>
      {data.length === 0 ? (
        <p className="hit-chart-empty">No values.</p>
      ) : (
        <div className="hit-chart-body">
          <ResponsiveContainer width="100%" height={height}>
            <BarChart data={data} layout="vertical" margin={{ top: 2, right: 40, bottom: 2, left: 4 }} barCategoryGap={2}>
              <XAxis type="number" hide allowDecimals={false} />
              <YAxis
                type="category"
                dataKey="key"
                width={118}
                interval={0}
                tick={TICK_STYLE}
                tickLine={false}
                axisLine={false}
                // SVG ticks take strings: invisible and bidi characters become ⟦U+…⟧ tokens first.
                tickFormatter={(k: string) => truncate(visibleText(k), TICK_CHARS)}
              />
              <Tooltip
                cursor={{ fill: 'var(--bg-elev, var(--panel-2, rgba(127,127,127,0.12)))', opacity: 0.6 }}
                isAnimationActive={false}
                content={(p: TooltipContentProps) => (
                  <CategoryTooltip active={p.active} label={p.label} data={data} />
                )}
              />
              <Bar
                dataKey="count"
                isAnimationActive={false}
                minPointSize={3}
                maxBarSize={16}
                onClick={(_item, index) => toggle(index)}
                shape={(s: BarShapeProps) => {
                  const d = data[s.index];
                  return (
                    <g data-bar-key={d?.key} data-count={d?.count} data-active={d?.active ? 'true' : 'false'}>
                      <Rectangle
                        x={s.x}
                        y={s.y}
                        width={s.width}
                        height={s.height}
                        radius={2}
                        style={barStyle(d?.active ?? false, anyActive, d?.clickable ?? false)}
                      />
                    </g>
                  );
                }}
              >
                <LabelList dataKey="count" position="right" className="hit-chart-count" />
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}

function CategoryTooltip(props: { active: boolean; label: string | number | undefined; data: CategoryDatum[] }) {
  if (!props.active || props.label === undefined) return null;
  const d = props.data.find((x) => x.key === String(props.label));
  if (!d) return null;
  return (
    <div className="hit-chart-tooltip">
      {/* The full value, as text: host and user names come from the export and may be hostile. */}
      <div className="hit-chart-tooltip-key">
        <VisibleText text={d.key} />
      </div>
      <div>
        {d.count.toLocaleString('en-US')} hit{d.count === 1 ? '' : 's'}
        {d.clickable ? (d.active ? ' · click: unfilter' : ' · click: filter') : ' · values past the top ones'}
      </div>
    </div>
  );
}

/** Tick text for a bin start: the date only for day-wide bins, the time only when all bins share a day. */
function timeTickFormatter(bins: readonly TimeBin[]): (ms: number) => string {
  const first = bins[0];
  const last = bins[bins.length - 1];
  const width = first.end - first.start;
  const oneDay = formatUtc(first.start).slice(0, 10) === formatUtc(last.end - 1).slice(0, 10);
  return (ms: number) => {
    const text = formatUtc(ms);
    if (width >= 86_400_000) return text.slice(0, 10);
    return oneDay ? text.slice(11) : text.slice(5);
  };
}

function TimeChart(props: { bins: TimeBin[]; filters: ChartFilter[]; onToggleFilter(filter: ChartFilter): void }) {
  const { bins, filters, onToggleFilter } = props;
  const data: TimeDatum[] = useMemo(() => {
    const active = new Set<string>();
    for (const f of filters) if (f.dimension === 'time') active.add(`${f.start}-${f.end}`);
    return bins.map((b) => ({ ...b, active: active.has(`${b.start}-${b.end}`), clickable: b.count > 0 }));
  }, [bins, filters]);
  const anyActive = data.some((d) => d.active);
  const format = useMemo(() => (bins.length > 0 ? timeTickFormatter(bins) : (ms: number) => String(ms)), [bins]);

  const toggle = (index: number) => {
    const d = data[index];
    if (d?.clickable) onToggleFilter({ dimension: 'time', start: d.start, end: d.end });
  };

  return (
    <figure className="hit-chart hit-chart-time" data-testid="chart-time" aria-label="Hits over time (UTC); click a bar to filter">
      <figcaption className="hit-chart-title">Time (UTC)</figcaption>
      {data.length === 0 ? (
        <p className="hit-chart-empty">No hit has a time.</p>
      ) : (
        <ResponsiveContainer width="100%" height={TIME_CHART_PX}>
          <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }} barCategoryGap={1}>
            <XAxis dataKey="start" tick={TICK_STYLE} tickFormatter={format} minTickGap={24} tickLine={false} />
            <YAxis width={40} tick={TICK_STYLE} allowDecimals={false} tickLine={false} axisLine={false} />
            <Tooltip
              cursor={{ fill: 'var(--bg-elev, var(--panel-2, rgba(127,127,127,0.12)))', opacity: 0.6 }}
              isAnimationActive={false}
              content={(p: TooltipContentProps) => <TimeTooltip active={p.active} label={p.label} data={data} />}
            />
            <Bar
              dataKey="count"
              isAnimationActive={false}
              onClick={(_item, index) => toggle(index)}
              shape={(s: BarShapeProps) => {
                const d = data[s.index];
                return (
                  <g data-bar-key={d ? String(d.start) : undefined} data-count={d?.count} data-active={d?.active ? 'true' : 'false'}>
                    <Rectangle
                      x={s.x}
                      y={s.y}
                      width={s.width}
                      height={s.height}
                      style={barStyle(d?.active ?? false, anyActive, d?.clickable ?? false)}
                    />
                  </g>
                );
              }}
            />
          </BarChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}

function TimeTooltip(props: { active: boolean; label: string | number | undefined; data: TimeDatum[] }) {
  if (!props.active || props.label === undefined) return null;
  const start = Number(props.label);
  const d = props.data.find((x) => x.start === start);
  if (!d) return null;
  return (
    <div className="hit-chart-tooltip">
      <div className="hit-chart-tooltip-key">{formatUtcRange(d.start, d.end)}</div>
      <div>
        {d.count.toLocaleString('en-US')} hit{d.count === 1 ? '' : 's'}
        {d.clickable ? (d.active ? ' · click: unfilter' : ' · click: filter') : ''}
      </div>
    </div>
  );
}

/**
 * Mounting a recharts chart (layout, text measurement, its store) costs ~20-70 ms on the reference
 * machine; mounting all four in one render was a 90-280 ms main-thread task at `done`. They mount
 * one per macrotask instead, so the page stays responsive (each task < 50 ms).
 */
function StaggeredCharts({ children, staggered }: { children: ReactNode[]; staggered: boolean }) {
  const [shown, setShown] = useState(staggered ? 1 : children.length);
  useEffect(() => {
    if (shown >= children.length) return;
    const t = setTimeout(() => setShown((n) => n + 1), 0);
    return () => clearTimeout(t);
  }, [shown, children.length]);
  return <>{children.map((c, i) => (i < shown ? c : <div key={`pending-${i}`} className="hit-chart hit-chart-pending" aria-hidden="true" />))}</>;
}

/** Memoised: the App re-renders on every progress message, and the charts' props rarely change. */
export const HitCharts = memo(function HitCharts({ aggregates, filters, onToggleFilter, staggered = true }: HitChartsProps) {
  if (aggregates === null) {
    return (
      <section className="hit-charts hit-charts-empty" data-testid="hit-charts" aria-label="Hit charts">
        <p className="hit-chart-empty">Charts appear when the run finishes.</p>
      </section>
    );
  }
  if (aggregates.total === 0) {
    return (
      <section className="hit-charts hit-charts-empty" data-testid="hit-charts" aria-label="Hit charts">
        <p className="hit-chart-empty">
          {filters.length > 0 ? 'No hit matches the chart filters.' : 'No hits to chart.'}
        </p>
      </section>
    );
  }
  const charts = [
    <CategoryChart key="host" testId="chart-host" title="Host" dimension="host" buckets={aggregates.byHost} filters={filters} onToggleFilter={onToggleFilter} />,
    <CategoryChart key="user" testId="chart-user" title="User" dimension="user" buckets={aggregates.byUser} filters={filters} onToggleFilter={onToggleFilter} />,
    <CategoryChart key="process" testId="chart-process" title="Process" dimension="process" buckets={aggregates.byProcess} filters={filters} onToggleFilter={onToggleFilter} />,
    <TimeChart key="time" bins={aggregates.byTime} filters={filters} onToggleFilter={onToggleFilter} />,
  ];
  return (
    <section className="hit-charts" data-testid="hit-charts" aria-label="Hit charts">
      <StaggeredCharts staggered={staggered}>{charts}</StaggeredCharts>
    </section>
  );
});

const CHIP_CHARS = 48;

export function FilterChips({ filters, onRemove, onClear }: FilterChipsProps) {
  if (filters.length === 0) return null;
  return (
    <div className="filter-chips" data-testid="filter-chips">
      <span className="filter-chips-label">Chart filters:</span>
      <ul className="filter-chips-list" aria-label="Active chart filters">
        {filters.map((f) => {
          const label = chartFilterLabel(f);
          return (
            <li key={label} className="filter-chip" data-testid="filter-chip">
              <span className="filter-chip-text" title={visibleText(label)}>
                {truncate(visibleText(label), CHIP_CHARS)}
              </span>
              <button
                type="button"
                className="filter-chip-remove"
                aria-label={`Remove filter ${label}`}
                title="Remove filter"
                onClick={() => onRemove(f)}
              >
                ×
              </button>
            </li>
          );
        })}
      </ul>
      {filters.length > 1 && (
        <button type="button" className="filter-chips-clear" onClick={onClear}>
          Clear all
        </button>
      )}
    </div>
  );
}
