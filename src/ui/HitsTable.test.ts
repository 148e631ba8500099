import { describe, expect, it } from 'vitest';
import { MAX_BODY_PX, scrollGeometry, scrollTopFor } from './HitsTable';

describe('scrollGeometry', () => {
  const ROW = 28;
  const VIEW = 560;
  it('is the identity below the height cap', () => {
    const g = scrollGeometry(1000, ROW, VIEW, 2800);
    expect(g.scale).toBe(1);
    expect(g.height).toBe(28_000);
    expect(g.first).toBeLessThanOrEqual(100);
    expect(g.last).toBeGreaterThanOrEqual(120);
  });
  it('scales a million rows so the first and the last are both reachable', () => {
    const n = 1_000_000;
    const top = scrollGeometry(n, ROW, VIEW, 0);
    expect(top.height).toBe(MAX_BODY_PX);
    expect(top.first).toBe(0);
    const bottom = scrollGeometry(n, ROW, VIEW, MAX_BODY_PX - VIEW);
    expect(bottom.last).toBe(n - 1);
    // The last row ends exactly at the bottom of the viewport.
    expect((n - 1) * ROW - bottom.shift + ROW).toBeCloseTo(MAX_BODY_PX - VIEW + VIEW, 3);
    // Half way down shows the middle rows.
    const mid = scrollGeometry(n, ROW, VIEW, (MAX_BODY_PX - VIEW) / 2);
    expect(mid.first).toBeGreaterThan(n / 2 - 50);
    expect(mid.last).toBeLessThan(n / 2 + 50);
  });
  it('scrolls a row into view in scaled space', () => {
    const n = 1_000_000;
    const g = scrollGeometry(n, ROW, VIEW, 0);
    const t = scrollTopFor(600_000, g, ROW, VIEW, 0);
    const after = scrollGeometry(n, ROW, VIEW, t);
    const rowTop = 600_000 * ROW - after.shift;
    expect(rowTop).toBeGreaterThanOrEqual(t - 1);
    expect(rowTop + ROW).toBeLessThanOrEqual(t + VIEW + 1);
  });
});
