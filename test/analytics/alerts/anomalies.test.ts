import { describe, expect, it } from 'vitest';
import { dayBands, detectAnomalies } from '../../../src/analytics/alerts/anomalies.js';
import { addDays, type DailySeries } from '../../../src/analytics/alerts/series.js';

const START = '2026-09-01';
/** A weekly series: weekdays 100, weekends 60, with a little noise that repeats. */
const weekly = (n: number): number[] =>
  Array.from({ length: n }, (_, i) => (i % 7 >= 5 ? 60 : 100) + ((i * 37) % 5) - 2);
const series = (values: number[], key = 'total', start = START): DailySeries => ({ key, start, values });
const judge = (s: DailySeries[], o: Partial<Parameters<typeof detectAnomalies>[1]> = {}) => {
  const end = addDays(START, s[0]!.values.length - 1);
  return detectAnomalies(s, {
    sensitivity: 'medium',
    from: end,
    to: end,
    latestDataDay: end,
    total: s[0]!,
    ...o,
  });
};

describe('anomalies', () => {
  it('a sustained shift: days in a row whose mean score reaches 1.15 x 4 / sqrt(days), none alone beyond 4, are one anomaly', () => {
    // Noise of about +-10 around 100, no weekly pattern; then three days at 127.
    const noisy = Array.from({ length: 56 }, (_, i) => 100 + ((i * 37) % 21) - 10);
    const band = dayBands(series([...noisy, 127]), 'medium')[56]!;
    const spread = (band.upper - band.expected) / 4;
    expect((127 - band.expected) / spread).toBeGreaterThan((1.15 * 4) / Math.sqrt(3));
    expect((127 - band.expected) / spread).toBeLessThan((1.15 * 4) / Math.sqrt(2));
    const from = { from: addDays(START, 56), latestDataDay: addDays(START, 60) };
    const r = judge([series([...noisy, 127, 127, 127, 100])], from);
    expect(r.anomalies).toMatchObject([
      { direction: 'spike', day: addDays(START, 56), lastDay: addDays(START, 58), days: 3, sustained: true },
    ]);
    // Two such days are noise (their mean is short of 1.15 x 4 / sqrt(2)).
    expect(judge([series([...noisy, 127, 127, 100, 100])], from).anomalies).toEqual([]);
  });

  it('new means nothing material before; spend that comes and goes is judged by its spread', () => {
    const from = { from: addDays(START, 56), latestDataDay: addDays(START, 57) };
    expect(judge([series([...Array(56).fill(0), 50])], from).anomalies).toMatchObject([{ direction: 'new' }]);
    // $50 on every fourth day: the median day is 0, a $50 day is ordinary, a $500 day is not.
    const sometimes = Array.from({ length: 56 }, (_, i) => (i % 4 === 0 ? 50 : 0));
    expect(judge([series([...sometimes, 50])], from).anomalies).toEqual([]);
    expect(judge([series([...sometimes, 500])], from).anomalies).toMatchObject([
      { direction: 'spike', impactPercent: null },
    ]);
  });

  it("a run started on a weekend does not run on through Monday's ordinary level", () => {
    // Day 62 is a Sunday (expected ~60) at 300; day 63 an ordinary Monday (~100).
    const y = [...weekly(62), 300, 100];
    const r = judge([series(y)], { from: addDays(START, 62), latestDataDay: addDays(START, 64) });
    expect(r.anomalies).toMatchObject([{ direction: 'spike', day: addDays(START, 62), days: 1 }]);
    // A Monday still far above its own weekday goes on as the same run.
    const high = judge([series([...weekly(62), 300, 250])], {
      from: addDays(START, 62),
      latestDataDay: addDays(START, 64),
    });
    expect(high.anomalies).toMatchObject([{ day: addDays(START, 62), days: 2 }]);
    expect(high.anomalies[0]!.totalImpact).toBeCloseTo(300 - 60 + (250 - 100), -1);
  });

  it('one past spike does not blind the band for four weeks; outliers that recur widen it', () => {
    // Day 63 is a weekday (expected ~100), complete; a 40 % drop on it, 9 days after a weekend
    // at 400 (which must not hide the weekly pattern either).
    const complete = { latestDataDay: addDays(START, 64) };
    const once = weekly(63);
    once[54] = 400;
    expect(judge([series([...once, 60])], complete).anomalies).toMatchObject([{ direction: 'drop' }]);
    const recurring = weekly(63);
    for (const t of [36, 45, 54]) recurring[t] = 400;
    expect(judge([series([...recurring, 60])], complete).anomalies).toEqual([]);
  });

  it('a spike is found with its size, severity and band; an ordinary day is not', () => {
    const y = [...weekly(56), 300];
    const r = judge([series(y)]);
    expect(r.anomalies).toHaveLength(1);
    const a = r.anomalies[0]!;
    expect(a).toMatchObject({ direction: 'spike', day: addDays(START, 56), days: 1, severity: 'high' });
    expect(a.impact).toBeCloseTo(300 - a.expected, 9);
    expect(a.upper).toBeLessThan(300);
    expect(judge([series([...weekly(56), 101])]).anomalies).toEqual([]);
  });

  it('the latest day with data never raises a drop (it may be partial); a complete day does', () => {
    const y = [...weekly(56), 10];
    expect(judge([series(y)]).anomalies).toEqual([]);
    const end = addDays(START, 56);
    const r = judge([series([...y, 100])], { from: end, to: end, latestDataDay: addDays(START, 57) });
    expect(r.anomalies.map((a) => a.direction)).toEqual(['drop']);
  });

  it('consecutive anomalous days going the same way are one anomaly with its total impact', () => {
    const y = [...weekly(56), 300, 320, 100];
    const r = judge([series(y)], {
      from: addDays(START, 56),
      to: addDays(START, 58),
      latestDataDay: addDays(START, 58),
    });
    expect(r.anomalies).toHaveLength(1);
    expect(r.anomalies[0]).toMatchObject({ day: addDays(START, 56), lastDay: addDays(START, 57), days: 2 });
    expect(r.anomalies[0]!.totalImpact).toBeGreaterThan(350);
  });

  it('gone: material spend every day of the last week, then 0 on a complete day', () => {
    const total = series([...weekly(56), 100, 100].map((v) => v * 10));
    const scope = series([...weekly(56), 0, 0], 'svc');
    const day = addDays(START, 56);
    const r = detectAnomalies([scope], {
      sensitivity: 'medium',
      from: day,
      to: day,
      latestDataDay: addDays(START, 57),
      total,
    });
    expect(r.anomalies.map((a) => [a.key, a.direction, a.impactPercent])).toEqual([['svc', 'gone', -100]]);
  });

  it('new: a scope at 0 with history, then material spend; fewer than 7 days of history are listed, not judged', () => {
    const total = series(weekly(30).map((v) => v * 10));
    const zeros = series([...new Array(29).fill(0), 80], 'svc');
    const day = addDays(START, 29);
    const r = detectAnomalies([zeros, series([50, 50, 50], 'young', addDays(START, 27))], {
      sensitivity: 'medium',
      from: day,
      to: day,
      latestDataDay: day,
      total,
    });
    expect(r.anomalies.map((a) => [a.key, a.direction, a.impactPercent])).toEqual([['svc', 'new', null]]);
    expect(r.insufficientHistory).toEqual([{ key: 'young', days: 2 }]);
  });

  it('materiality: a large score on a small amount is not an anomaly', () => {
    const flat = series([...new Array(40).fill(5), 9]);
    expect(judge([flat]).anomalies).toEqual([]);
    expect(judge([flat], { minImpact: 1 }).anomalies).toHaveLength(1);
  });

  // Every day judged, from the 8th to the last (complete).
  const all = (values: number[]) => {
    const end = addDays(START, values.length - 1);
    return judge([series(values)], { from: addDays(START, 7), to: end, latestDataDay: addDays(end, 1) });
  };
  /** About 100 a day, +-10 that repeats, no weekly pattern. */
  const flat = (n: number) => Array.from({ length: n }, (_, i) => 100 + ((i * 37) % 21) - 10);

  it('a monthly fee on the 1st is not news, the first one included; a spike on another day is', () => {
    // START is 2026-09-01: the 1sts are days 0, 30, 61, 91, 122.
    const fee = flat(150).map((v, i) => (addDays(START, i).endsWith('-01') ? v + 2000 : v));
    expect(all(fee).anomalies).toEqual([]);
    fee[140] = 400;
    expect(all(fee).anomalies).toMatchObject([{ day: addDays(START, 140), direction: 'spike', days: 1 }]);
  });

  it('month-end batch spend (the last two days at 2.5x) is not news', () => {
    const batch = flat(150).map((v, i) => {
      const next = addDays(START, i + 1);
      const afterNext = addDays(START, i + 2);
      return next.endsWith('-01') || afterNext.endsWith('-01') ? v * 2.5 : v;
    });
    expect(all(batch).anomalies).toEqual([]);
  });

  it('a spike the scope has made a habit of is not news; a larger one is', () => {
    const y = flat(170);
    for (const t of [40, 75, 100, 130]) y[t] = 500;
    expect(all(y).anomalies.map((a) => a.day)).toEqual([40, 75, 100].map((t) => addDays(START, t)));
    y[160] = 1500;
    expect(all(y).anomalies.map((a) => a.day)).toEqual([40, 75, 100, 160].map((t) => addDays(START, t)));
  });

  it('a level shift is one anomaly: after a week the new level is the baseline', () => {
    const y = [...flat(60), ...flat(60).map((v) => v * 2)];
    expect(all(y).anomalies).toMatchObject([{ day: addDays(START, 60), direction: 'spike', days: 7 }]);
  });

  it("a young scope's weekend is not a drop when last week's was as low", () => {
    // Days 5-6 and 12-13 are weekends at 60: the second one repeats the first.
    expect(all(weekly(20)).anomalies).toEqual([]);
  });

  it('runs of one scope going the same way that touch are one anomaly', () => {
    // A spike (day 70), then a sustained shift from the next day (122 is short of the spike's
    // band, so the spike's run ends; 122, 126, 126 are a sustained shift): one anomaly.
    const y = [...flat(70), 400, 122, 126, 126, 100, ...flat(5)];
    expect(all(y).anomalies).toMatchObject([
      { day: addDays(START, 70), lastDay: addDays(START, 73), days: 4 },
    ]);
  });
});
