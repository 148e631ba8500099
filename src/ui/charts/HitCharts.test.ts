import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { FilterChips, HitCharts, pickTimeTicks } from './HitCharts';

const noop = () => undefined;

describe('HitCharts', () => {
  it('renders empty states', () => {
    expect(renderToStaticMarkup(createElement(HitCharts, { aggregates: null, filters: [], onToggleFilter: noop }))).toContain(
      'Charts appear when the run finishes.',
    );
    const empty = { byHost: [], byUser: [], byProcess: [], byTime: [], total: 0 };
    expect(renderToStaticMarkup(createElement(HitCharts, { aggregates: empty, filters: [], onToggleFilter: noop }))).toContain(
      'No hits to chart.',
    );
  });

  it('renders the four chart containers', () => {
    const aggregates = {
      byHost: [{ key: 'WS-01', count: 3 }],
      byUser: [{ key: 'CORP\\alice', count: 3 }],
      byProcess: [{ key: 'cmd.exe', count: 3 }],
      byTime: [{ start: 0, end: 60_000, count: 3 }],
      total: 3,
    };
    const html = renderToStaticMarkup(createElement(HitCharts, { aggregates, filters: [], onToggleFilter: noop, staggered: false }));
    for (const id of ['chart-host', 'chart-user', 'chart-process', 'chart-time']) expect(html).toContain(`data-testid="${id}"`);
  });
});

describe('FilterChips', () => {
  it('renders one chip per filter with an accessible remove button, as text', () => {
    const html = renderToStaticMarkup(
      createElement(FilterChips, {
        filters: [
          { dimension: 'host', value: '<b>WS-01</b>' },
          { dimension: 'time', start: Date.UTC(2025, 5, 30, 14), end: Date.UTC(2025, 5, 30, 14, 5) },
        ],
        onRemove: noop,
        onClear: noop,
      }),
    );
    expect(html.match(/data-testid="filter-chip"/gu)).toHaveLength(2);
    expect(html).toContain('aria-label="Remove filter host = &lt;b&gt;WS-01&lt;/b&gt;"');
    expect(html).toContain('time 2025-06-30 14:00–14:05 UTC');
    expect(html).toContain('Clear all');
    expect(html).not.toContain('<b>');
  });

  it('renders nothing without filters', () => {
    expect(renderToStaticMarkup(createElement(FilterChips, { filters: [], onRemove: noop, onClear: noop }))).toBe('');
  });
});

describe('pickTimeTicks', () => {
  it("picks the ticks recharts' preserveEnd picked for the bench's time chart", () => {
    // 47 half-hour bins, a 249 px chart with a 40 px Y axis and an 8 px right margin, 32 px labels:
    // recharts (measuring in the DOM) showed bins 3, 17, 31 and 46, the last pulled left to fit.
    const starts = Array.from({ length: 47 }, (_, i) => i);
    const { ticks, last } = pickTimeTicks(starts, [40, 241], [0, 249], () => 31.7, 24);
    expect(ticks).toEqual([3, 17, 31, 46]);
    expect(last?.value).toBe(46);
    expect(last?.x).toBeCloseTo(249 - 31.7 / 2);
  });

  it('keeps labels inside the chart and apart by the gap', () => {
    const starts = Array.from({ length: 60 }, (_, i) => 1000 * i);
    const widthOf = (v: number) => 20 + (v % 7000) / 1000;
    const { ticks, last } = pickTimeTicks(starts, [40, 300], [0, 308], widthOf, 24);
    expect(ticks.length).toBeGreaterThan(2);
    const band = 260 / 60;
    const xOf = (v: number) => (last && last.value === v ? last.x : 40 + (v / 1000 + 0.5) * band);
    for (let i = 0; i < ticks.length; i++) {
      const x = xOf(ticks[i]);
      expect(x - widthOf(ticks[i]) / 2).toBeGreaterThanOrEqual(0);
      expect(x + widthOf(ticks[i]) / 2).toBeLessThanOrEqual(308);
      if (i > 0) expect(x - widthOf(ticks[i]) / 2 - (xOf(ticks[i - 1]) + widthOf(ticks[i - 1]) / 2)).toBeGreaterThanOrEqual(24);
    }
    expect(ticks[ticks.length - 1]).toBe(59_000);
  });

  it('shows nothing without bins or room', () => {
    expect(pickTimeTicks([], [40, 241], [0, 249], () => 30, 24).ticks).toEqual([]);
    expect(pickTimeTicks([0, 1], [40, 50], [0, 20], () => 30, 24).ticks).toEqual([]);
  });
});
