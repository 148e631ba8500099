import { describe, expect, it } from 'vitest';
import { formatCount } from './format';

describe('formatCount', () => {
  it("writes what toLocaleString('en-US') writes", () => {
    const values = [0, -0, 7, 42, 999, 1000, -1000, 12_345, 999_999, 1_000_000, 1_234_567_890, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
    // Not integers, or past the safe range: Intl does those.
    values.push(1.5, -1234.5678, 0.0001, 2 ** 60, 1e21, NaN, Infinity, -Infinity);
    for (let d = 1; d <= 16; d++) values.push(10 ** d - 1, 10 ** d, -(10 ** d) + 3);
    for (const n of values) expect(formatCount(n), String(n)).toBe(n.toLocaleString('en-US'));
  });
});
