/**
 * Host, user, process and time charts over the (filtered) hit set. The worker aggregates; these
 * charts only ever draw a few dozen bars (recharts slows past ~1k SVG elements, research §2.9).
 *
 * E2E selector for a bar: `[data-testid="chart-host"] [data-bar-key="WS-01"]` (every chart's bars
 * carry `data-bar-key`, `data-count` and `data-active`; time bars use the bin start in epoch ms).
 * Clicks land on recharts' `.recharts-bar-rectangle` layer around it, which owns the onClick.
 *
 * No step of drawing them may be a long main-thread task (over 50 ms), even on a page's first run
 * when none of recharts' code is compiled yet: the four charts mount one per task, each in three
 * steps (axes, bars, tooltip; see useNextTask), and go away one per task (StaggeredCharts). Ticks,
 * bars and counts are plain SVG where recharts' components would measure text in the DOM.
 */
import { memo, startTransition, useCallback, useEffect, useLayoutEffect, useMemo, useState, type CSSProperties, type ReactNode, type SVGProps } from 'react';
import { Bar, BarChart, Tooltip, XAxis, YAxis } from 'recharts';
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
import { formatCount } from '../format';
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
const TOOLTIP_CURSOR = { fill: 'var(--bg-elev, var(--panel-2, rgba(127,127,127,0.12)))', opacity: 0.6 };
const TICK_STYLE = { fontSize: 11 };
const TIME_MARGIN = { top: 4, right: 8, bottom: 0, left: 0 };
const TIME_Y_WIDTH = 40;
const TIME_MIN_TICK_GAP = 24;

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

/**
 * The chart's width, measured once its box has the chart's height (so a scrollbar the chart causes
 * is already there), then kept up to date with a ResizeObserver. recharts' ResponsiveContainer
 * does the same, but it renders the chart from its layout effect, synchronously, in the same task;
 * here the width arrives in a transition, so the chart's first render is a task of its own and
 * can yield. (What recharts renders after its store update is synchronous; see useNextTask.)
 */
function useWidth(): [(el: HTMLDivElement | null) => void, number, HTMLDivElement | null] {
  const [el, setEl] = useState<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    if (!el) return;
    const update = (w: number) => {
      const next = Math.floor(w);
      startTransition(() => setWidth((cur) => (cur === next ? cur : next)));
    };
    update(el.getBoundingClientRect().width);
    const ro = new ResizeObserver((entries) => {
      for (const e of entries) update(e.contentRect.width);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [el]);
  return [setEl, width, el];
}

/**
 * True from the macrotask after `ready` first became true. A chart mounts its axes first, its bars
 * one task later and its tooltip one after that: recharts renders a chart's content synchronously
 * after each registration in its store, and on a page's first run (its code not yet compiled)
 * axes, ticks, bars and tooltip in one go were a 60-90 ms task; split, each part stays well under
 * 50 ms.
 */
function useNextTask(ready: boolean): boolean {
  const [next, setNext] = useState(false);
  useEffect(() => {
    if (!ready || next) return;
    const t = setTimeout(() => startTransition(() => setNext(true)), 0);
    return () => clearTimeout(t);
  }, [ready, next]);
  return next;
}

interface TickProps {
  x?: number | string;
  y?: number | string;
  textAnchor?: SVGProps<SVGTextElement>['textAnchor'];
  verticalAnchor?: 'start' | 'middle' | 'end';
  fill?: string;
  className?: string;
  index?: number;
  payload?: { value?: unknown };
  tickFormatter?: (value: never, index: number) => string;
}

/** recharts' Text default fill, which LabelList's counts had. */
const TEXT_FILL = '#808080';
const COUNT_STYLE: CSSProperties = { fill: TEXT_FILL, pointerEvents: 'none' };

/** recharts' Text offsets for one line: capHeight 0.71em from the top, half of it from the middle. */
const ANCHOR_DY = { start: '0.71em', middle: '0.355em', end: '0em' } as const;

/**
 * An axis tick as plain SVG text, drawn where recharts' own would be. recharts' default tick is its
 * Text component, which measures every label in the DOM (a forced layout each) in case it has to
 * wrap; these labels are one short line. `x` overrides recharts' position (the last time tick).
 */
function PlainTick(props: TickProps & { shiftX?: (x: number, value: unknown) => number }) {
  const value = props.payload?.value;
  const text = props.tickFormatter ? props.tickFormatter(value as never, props.index ?? 0) : String(value ?? '');
  const x = props.shiftX && typeof props.x === 'number' ? props.shiftX(props.x, value) : props.x;
  return (
    // Filled inline like recharts' Text (its theme colour wins over the stylesheet the same way).
    <text x={x} y={props.y} dy={ANCHOR_DY[props.verticalAnchor ?? 'middle']} textAnchor={props.textAnchor} className={props.className} style={{ fill: props.fill ?? TEXT_FILL }}>
      {text}
    </text>
  );
}

let measureContext: CanvasRenderingContext2D | null | undefined;

/** Width of a label in px, from a canvas (no layout); a rough guess where there is no canvas. */
function labelWidth(text: string, font: string): number {
  if (measureContext === undefined) measureContext = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  if (!measureContext) return text.length * 7;
  measureContext.font = font;
  return measureContext.measureText(text).width;
}

/**
 * Which time ticks fit, the way recharts' default (`interval="preserveEnd"`) picks them: from the
 * last bin backwards, the last label pulled left to stay inside the chart, each label at least
 * `gap` px before the one after it. recharts measures each label in the DOM to do this (a forced
 * layout each); here a canvas measures them without layout, and the axis draws exactly these
 * (`interval={0}`). Bins are the bands of `plot` ([left, right] of the plot area); labels must fit
 * in `bounds` (recharts' axis view box: the whole chart).
 */
export function pickTimeTicks(
  starts: readonly number[],
  plot: readonly [number, number],
  bounds: readonly [number, number],
  widthOf: (value: number) => number,
  gap: number,
): { ticks: number[]; last: { value: number; x: number } | null } {
  const n = starts.length;
  const band = n > 0 ? (plot[1] - plot[0]) / n : 0;
  const ticks: number[] = [];
  let last: { value: number; x: number } | null = null;
  let end = bounds[1];
  for (let i = n - 1; i >= 0; i--) {
    const value = starts[i];
    let x = plot[0] + (i + 0.5) * band;
    const size = widthOf(value);
    if (i === n - 1 && x + size / 2 > end) x = end - size / 2;
    if (x < bounds[0] || x > end) continue;
    if (x - size / 2 < bounds[0] || x + size / 2 > end) continue;
    if (i === n - 1) last = { value, x };
    ticks.push(value);
    end = x - (size / 2 + gap);
  }
  return { ticks: ticks.reverse(), last };
}

/**
 * A bar as one SVG rect: what recharts' Rectangle draws for a bar without animation (it clamps the
 * corner radius to half the width and height, as SVG does with rx/ry), without its hooks, for each
 * of a chart's bars.
 */
function BarRect({ x, y, width, height, radius = 0, style }: { x?: number | string; y?: number | string; width?: number | string; height?: number | string; radius?: number; style: CSSProperties }) {
  const [x0, y0, w, h] = [Number(x), Number(y), Number(width), Number(height)];
  if (![x0, y0, w, h].every(Number.isFinite) || w === 0 || h === 0) return null;
  return (
    <rect
      className="recharts-rectangle"
      x={Math.min(x0, x0 + w)}
      y={Math.min(y0, y0 + h)}
      width={Math.abs(w)}
      height={Math.abs(h)}
      rx={radius || undefined}
      ry={radius || undefined}
      style={style}
    />
  );
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

const CategoryChart = memo(function CategoryChart(props: {
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
  const [sizer, width] = useWidth();
  const bars = useNextTask(width > 0);
  // The Tooltip (its portal, cursor and their selectors) one task later again.
  const tooltip = useNextTask(bars);

  return (
    <figure className="hit-chart" data-testid={testId} aria-label={`${title}: hits per value; click a bar to filter`}>
      <figcaption className="hit-chart-title">{title}</figcaption>
      {data.length === 0 ? (
        <p className="hit-chart-empty">No values.</p>
      ) : (
        <div className="hit-chart-body">
          <div className="hit-chart-size" ref={sizer} style={{ height }}>
            {width > 0 && (
            <BarChart width={width} height={height} data={data} layout="vertical" margin={{ top: 2, right: 40, bottom: 2, left: 4 }} barCategoryGap={2}>
              <XAxis type="number" hide allowDecimals={false} />
              <YAxis
                type="category"
                dataKey="key"
                width={118}
                interval={0}
                tick={PlainTick}
                tickLine={false}
                axisLine={false}
                // SVG ticks take strings: invisible and bidi characters become ⟦U+…⟧ tokens first.
                tickFormatter={(k: string) => truncate(visibleText(k), TICK_CHARS)}
              />
              {tooltip && (
                <Tooltip
                  cursor={TOOLTIP_CURSOR}
                  isAnimationActive={false}
                  content={(p: TooltipContentProps) => <CategoryTooltip active={p.active} label={p.label} data={data} />}
                />
              )}
              {bars && <Bar
                dataKey="count"
                isAnimationActive={false}
                minPointSize={3}
                maxBarSize={16}
                onClick={(_item, index) => toggle(index)}
                shape={(s: BarShapeProps) => {
                  const d = data[s.index];
                  return (
                    <>
                      <g data-bar-key={d?.key} data-count={d?.count} data-active={d?.active ? 'true' : 'false'}>
                        <BarRect x={s.x} y={s.y} width={s.width} height={s.height} radius={2} style={barStyle(d?.active ?? false, anyActive, d?.clickable ?? false)} />
                      </g>
                      {/* The count right of the bar, as LabelList position="right" drew it (without its per-label machinery); not a click target. */}
                      <text x={Number(s.x) + Number(s.width) + 5} y={Number(s.y) + Number(s.height) / 2} dy="0.355em" className="recharts-text recharts-label hit-chart-count" style={COUNT_STYLE}>
                        {d?.count}
                      </text>
                    </>
                  );
                }}
              />}
            </BarChart>
            )}
          </div>
        </div>
      )}
    </figure>
  );
});

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
        {formatCount(d.count)} hit{d.count === 1 ? '' : 's'}
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

const TimeChart = memo(function TimeChart(props: { bins: TimeBin[]; filters: ChartFilter[]; onToggleFilter(filter: ChartFilter): void }) {
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
  const [sizer, width, sized] = useWidth();
  const bars = useNextTask(width > 0);
  // The Tooltip (its portal, cursor and their selectors) one task later again.
  const tooltip = useNextTask(bars);
  const xTicks = useMemo(() => {
    if (width <= 0 || !sized) return null;
    const font = `${TICK_STYLE.fontSize}px ${getComputedStyle(sized).fontFamily}`;
    return pickTimeTicks(
      data.map((d) => d.start),
      [TIME_MARGIN.left + TIME_Y_WIDTH, width - TIME_MARGIN.right],
      [0, width],
      (value) => labelWidth(format(value), font),
      TIME_MIN_TICK_GAP,
    );
  }, [data, format, width, sized]);
  const shiftX = useCallback((x: number, value: unknown) => (xTicks?.last && xTicks.last.value === value ? Math.min(x, xTicks.last.x) : x), [xTicks]);

  return (
    <figure className="hit-chart hit-chart-time" data-testid="chart-time" aria-label="Hits over time (UTC); click a bar to filter">
      <figcaption className="hit-chart-title">Time (UTC)</figcaption>
      {data.length === 0 ? (
        <p className="hit-chart-empty">No hit has a time.</p>
      ) : (
        <div className="hit-chart-size" ref={sizer} style={{ height: TIME_CHART_PX }}>
          {width > 0 && xTicks && (
          <BarChart width={width} height={TIME_CHART_PX} data={data} margin={TIME_MARGIN} barCategoryGap={1}>
            <XAxis
              dataKey="start"
              ticks={xTicks.ticks}
              interval={0}
              tick={(p: TickProps) => <PlainTick {...p} shiftX={shiftX} />}
              tickFormatter={format}
              tickLine={false}
            />
            <YAxis width={TIME_Y_WIDTH} tick={PlainTick} allowDecimals={false} tickLine={false} axisLine={false} />
            {tooltip && (
              <Tooltip
                cursor={TOOLTIP_CURSOR}
                isAnimationActive={false}
                content={(p: TooltipContentProps) => <TimeTooltip active={p.active} label={p.label} data={data} />}
              />
            )}
            {bars && <Bar
              dataKey="count"
              isAnimationActive={false}
              onClick={(_item, index) => toggle(index)}
              shape={(s: BarShapeProps) => {
                const d = data[s.index];
                return (
                  <g data-bar-key={d ? String(d.start) : undefined} data-count={d?.count} data-active={d?.active ? 'true' : 'false'}>
                    <BarRect x={s.x} y={s.y} width={s.width} height={s.height} style={barStyle(d?.active ?? false, anyActive, d?.clickable ?? false)} />
                  </g>
                );
              }}
            />}
          </BarChart>
          )}
        </div>
      )}
    </figure>
  );
});

function TimeTooltip(props: { active: boolean; label: string | number | undefined; data: TimeDatum[] }) {
  if (!props.active || props.label === undefined) return null;
  const start = Number(props.label);
  const d = props.data.find((x) => x.start === start);
  if (!d) return null;
  return (
    <div className="hit-chart-tooltip">
      <div className="hit-chart-tooltip-key">{formatUtcRange(d.start, d.end)}</div>
      <div>
        {formatCount(d.count)} hit{d.count === 1 ? '' : 's'}
        {d.clickable ? (d.active ? ' · click: unfilter' : ' · click: filter') : ''}
      </div>
    </div>
  );
}

/**
 * Mounting a recharts chart (layout, text measurement, its store) costs ~20-70 ms on the reference
 * machine; mounting all four in one render was a 90-280 ms main-thread task at `done`. They mount
 * one per macrotask instead, so the page stays responsive (each task < 50 ms).
 *
 * Taking them down is staggered the same way (`retiring`): a new run's drop would otherwise remove
 * all four charts (hundreds of SVG nodes, each chart's store and effect cleanups) in the drop's
 * own task, about 20 ms of it. They go one per macrotask, last first, then `onRetired`.
 */
function StaggeredCharts({ children, staggered, retiring, onRetired }: { children: ReactNode[]; staggered: boolean; retiring: boolean; onRetired(): void }) {
  const [shown, setShown] = useState(staggered ? 1 : children.length);
  useEffect(() => {
    if (retiring) {
      const t = setTimeout(() => (shown > 0 ? setShown(shown - 1) : onRetired()), 0);
      return () => clearTimeout(t);
    }
    if (shown >= children.length) return;
    const t = setTimeout(() => setShown((n) => n + 1), 0);
    return () => clearTimeout(t);
  }, [shown, children.length, retiring, onRetired]);
  return <>{children.map((c, i) => (i < shown ? c : <div key={`pending-${i}`} className="hit-chart hit-chart-pending" aria-hidden="true" />))}</>;
}

interface Drawn {
  aggregates: ChartAggregates;
  filters: ChartFilter[];
  onToggleFilter(filter: ChartFilter): void;
}

/** Memoised: the App re-renders on every progress message, and the charts' props rarely change. */
export const HitCharts = memo(function HitCharts({ aggregates, filters, onToggleFilter, staggered = true }: HitChartsProps) {
  // What the charts draw, kept while a new run (aggregates back to null) takes them down: the
  // retiring charts get the very props they had, so they do not render again on the way out.
  const [drawn, setDrawn] = useState<Drawn | null>(null);
  const live = aggregates !== null && aggregates.total > 0;
  if (live ? drawn?.aggregates !== aggregates || drawn.filters !== filters || drawn.onToggleFilter !== onToggleFilter : aggregates !== null && drawn !== null) {
    setDrawn(live ? { aggregates, filters, onToggleFilter } : null);
  }
  const retire = useCallback(() => setDrawn(null), []);
  const source: Drawn | null = live ? { aggregates, filters, onToggleFilter } : aggregates === null ? drawn : null;
  if (source === null) {
    return (
      <section className="hit-charts hit-charts-empty" data-testid="hit-charts" aria-label="Hit charts">
        <p className="hit-chart-empty">
          {aggregates === null ? 'Charts appear when the run finishes.' : filters.length > 0 ? 'No hit matches the chart filters.' : 'No hits to chart.'}
        </p>
      </section>
    );
  }
  const { aggregates: a, filters: f, onToggleFilter: toggle } = source;
  const charts = [
    <CategoryChart key="host" testId="chart-host" title="Host" dimension="host" buckets={a.byHost} filters={f} onToggleFilter={toggle} />,
    <CategoryChart key="user" testId="chart-user" title="User" dimension="user" buckets={a.byUser} filters={f} onToggleFilter={toggle} />,
    <CategoryChart key="process" testId="chart-process" title="Process" dimension="process" buckets={a.byProcess} filters={f} onToggleFilter={toggle} />,
    <TimeChart key="time" bins={a.byTime} filters={f} onToggleFilter={toggle} />,
  ];
  return (
    // Retiring charts are the last run's: not for clicking, nor for assistive technology.
    <section className="hit-charts" data-testid="hit-charts" aria-label="Hit charts" inert={!live || undefined}>
      <StaggeredCharts staggered={staggered} retiring={!live} onRetired={retire}>
        {charts}
      </StaggeredCharts>
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
