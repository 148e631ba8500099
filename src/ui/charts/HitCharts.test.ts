import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { FilterChips, HitCharts } from './HitCharts';

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
