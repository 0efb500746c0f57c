import { describe, expect, it } from 'vitest';
import { dayBands } from '../../../src/analytics/alerts/anomalies.js';
import { expectation, hasWeeklyPattern } from '../../../src/analytics/alerts/expectation.js';

/** A weekly series: weekdays 100, weekends 60, with a little noise that repeats. */
const weekly = (n: number): number[] =>
  Array.from({ length: n }, (_, i) => (i % 7 >= 5 ? 60 : 100) + ((i * 37) % 5) - 2);

describe('expectation', () => {
  it('finds the weekly pattern and expects the same weekday, not the average day', () => {
    const y = weekly(56);
    expect(hasWeeklyPattern(y.slice(-28))).toBe(true);
    expect(hasWeeklyPattern(Array.from({ length: 28 }, (_, i) => 100 + ((i * 37) % 5)))).toBe(false);
    // Day 56 is a weekday (56 % 7 = 0): expected ~100, not the 88 of an average day.
    expect(expectation([...y, 100], 56).expected).toBeGreaterThan(97);
    // Day 61 is a weekend day (61 % 7 = 5): expected ~60.
    expect(expectation(weekly(62), 61).expected).toBeLessThan(63);
  });

  it('a single outlier hides neither the weekly pattern nor a tight spread', () => {
    const y = weekly(63);
    y[54] = 400; // a Saturday at 400
    expect(hasWeeklyPattern(y.slice(7, 63))).toBe(true);
    const e = expectation([...y, 100], 63);
    expect(e.expected).toBeGreaterThan(97);
    expect(e.spread).toBeLessThan(3);
  });

  it("a run's later days are held against their own weekday's level with the start's spread", () => {
    // Day 62 (a Sunday, ~60) starts a run at 300; day 63 is a Monday (~100).
    const y = [...weekly(62), 300, 250];
    const bands = dayBands({ key: 'total', start: '2026-09-01', values: y }, 'medium');
    const start = bands[62]!;
    const monday = bands[63]!;
    expect(start.expected).toBeLessThan(65);
    expect(monday.expected).toBeGreaterThan(97);
    expect(monday.upper - monday.expected).toBeCloseTo(start.upper - start.expected, 9);
  });
});
