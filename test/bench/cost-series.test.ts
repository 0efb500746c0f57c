import { describe, expect, it } from 'vitest';
import {
  addDays,
  type CostEvent,
  type Detection,
  daysBetween,
  EVENT_KINDS,
  type GeneratedCompany,
  generateCompany,
  HISTORY_DAYS,
  MIN_EVENT_GAP_DAYS,
  scoreDetections,
} from '../../bench/cost-series.js';

const SEEDS = [1, 2, 3, 4, 5];
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const isFirst = (day: string) => day.endsWith('-01');
const isWeekend = (day: string) => [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());

describe('generateCompany', () => {
  it('is deterministic: the same seed gives the same company, another seed another', () => {
    expect(generateCompany(7)).toEqual(generateCompany(7));
    const a = generateCompany(7);
    const b = generateCompany(8);
    expect(b.total.values).not.toEqual(a.total.values);
    expect(b.events).not.toEqual(a.events);
  });

  it('has 420 days from Monday 2025-01-06, 30-60 services, a total that sums them', () => {
    for (const seed of SEEDS) {
      const c = generateCompany(seed);
      expect(c.start).toBe('2025-01-06');
      expect(new Date('2025-01-06T00:00:00Z').getUTCDay()).toBe(1);
      expect(c.days).toBe(420);
      expect(c.series.length).toBeGreaterThanOrEqual(30);
      expect(c.series.length).toBeLessThanOrEqual(60);
      expect(new Set(c.series.map((s) => s.key)).size).toBe(c.series.length);
      for (const s of c.series) {
        expect(s.values).toHaveLength(420);
        expect(s.values.every((v) => v >= 0 && Number.isFinite(v))).toBe(true);
      }
      for (let t = 0; t < c.days; t++) {
        const sum = c.series.reduce((x, s) => x + s.values[t]!, 0);
        expect(Math.abs(c.total.values[t]! - sum)).toBeLessThan(0.006);
      }
    }
  });

  it('takes services, days and start', () => {
    const c = generateCompany(3, { services: 5, days: 200, start: '2024-01-01' });
    expect(c.series).toHaveLength(5);
    expect(c.total).toMatchObject({ key: 'total', start: '2024-01-01' });
    expect(c.total.values).toHaveLength(200);
  });

  it('spans a few big services and many small ones, $2 to $20,000 a day', () => {
    const c = generateCompany(1, { events: false });
    const levels = c.series.map((s) => median(s.values.slice(0, 60)));
    expect(Math.max(...levels)).toBeGreaterThan(5_000);
    expect(Math.max(...levels)).toBeLessThan(30_000);
    expect(levels.filter((l) => l < 100).length).toBeGreaterThan(c.series.length / 2);
  });

  it('labels events after the history, 10 days apart within a service, of all kinds', () => {
    const kinds = new Set<string>();
    for (const seed of SEEDS) {
      const c = generateCompany(seed);
      expect(c.events.length).toBeGreaterThan(10);
      const byKey = new Map<string, CostEvent[]>();
      for (const e of c.events) {
        kinds.add(e.kind);
        expect(daysBetween(c.start, e.day)).toBeGreaterThanOrEqual(HISTORY_DAYS);
        expect(e.direction).toBe(
          e.kind === 'stop' || (e.kind === 'shift' && e.direction === 'down') ? 'down' : 'up',
        );
        const lasting = e.kind === 'shift' || e.kind === 'stop' || e.kind === 'new';
        if (lasting) expect(e.lastDay).toBe(addDays(c.start, c.days - 1));
        if (e.kind === 'spike') expect(e.lastDay).toBe(e.day);
        if (e.kind === 'episode') expect(daysBetween(e.day, e.lastDay) + 1).toBeGreaterThanOrEqual(2);
        if (e.kind === 'episode') expect(daysBetween(e.day, e.lastDay) + 1).toBeLessThanOrEqual(6);
        byKey.set(e.key, [...(byKey.get(e.key) ?? []), e]);
      }
      for (const list of byKey.values()) {
        for (let k = 1; k < list.length; k++) {
          const prev = list[k - 1]!;
          const prevEnd = prev.kind === 'spike' || prev.kind === 'episode' ? prev.lastDay : prev.day;
          expect(daysBetween(prevEnd, list[k]!.day)).toBeGreaterThanOrEqual(MIN_EVENT_GAP_DAYS);
        }
      }
    }
    expect([...kinds].sort()).toEqual([...EVENT_KINDS].sort());
  });

  it('shows each event in the values: against the same company without events', () => {
    for (const seed of SEEDS) {
      const c = generateCompany(seed);
      const plain = generateCompany(seed, { events: false });
      for (const e of c.events) {
        const i = c.series.findIndex((s) => s.key === e.key);
        const w = c.series[i]!.values;
        const p = plain.series[i]!.values;
        const fee = c.rhythms[e.key]!.includes('monthly-fee');
        const d = daysBetween(c.start, e.day);
        const last = daysBetween(c.start, e.lastDay);
        // with / without on a day: the event's multiplier there, on top of earlier shifts.
        const ratio = (t: number) => w[t]! / p[t]!;
        const before = (() => {
          let t = d - 1;
          while (p[t] === 0 || w[t] === 0) t--;
          return ratio(t);
        })();
        const comparable = (t: number) => p[t]! > 0 && w[t]! > 0 && !(fee && isFirst(addDays(c.start, t)));
        switch (e.kind) {
          case 'spike':
          case 'episode':
            for (let t = d; t <= last; t++) expect(ratio(t) / before).toBeGreaterThan(1.39);
            if (comparable(last + 1)) expect(ratio(last + 1) / before).toBeCloseTo(1, 1);
            break;
          case 'shift':
            for (let t = d; t < Math.min(d + 10, c.days); t++) {
              if (!comparable(t)) continue;
              if (e.direction === 'up') expect(ratio(t) / before).toBeGreaterThan(1.19);
              else expect(ratio(t) / before).toBeLessThan(0.81);
            }
            break;
          case 'stop':
            expect(w.slice(d).every((v) => v === 0)).toBe(true);
            expect(w[d - 1]).toBeGreaterThan(0);
            break;
          case 'new':
            expect(w.slice(0, d).every((v) => v === 0)).toBe(true);
            expect(w[d]).toBeGreaterThan(0);
            break;
        }
      }
    }
  });

  it('charges monthly fees on the 1st only, on the services that have them', () => {
    for (const seed of SEEDS) {
      const c = generateCompany(seed, { events: false });
      let feeServices = 0;
      for (const s of c.series) {
        const hasFee = c.rhythms[s.key]!.includes('monthly-fee');
        if (hasFee) feeServices++;
        for (let t = 0; t + 8 < c.days; t++) {
          const day = addDays(c.start, t);
          if (!isFirst(day)) continue;
          // The 1st against the median of the 2nd-8th (their usage days): a fee is at least 5x the level.
          const m = median(s.values.slice(t + 1, t + 8).filter((v) => v > 0));
          if (hasFee) expect(s.values[t]!).toBeGreaterThan(3 * m);
          else expect(s.values[t]!).toBeLessThan(3 * m + 0.01);
        }
      }
      expect(feeServices).toBeGreaterThan(0);
    }
  });

  it('has weekly patterns on some services only, month-end batches, zero days on tiny services', () => {
    const c = generateCompany(2, { events: false });
    let weekly = 0;
    for (const s of c.series) {
      const r = c.rhythms[s.key]!;
      const days = s.values.map((v, t) => ({ v, day: addDays(c.start, t) })).filter((x) => !isFirst(x.day));
      const ratio =
        median(days.filter((x) => isWeekend(x.day)).map((x) => x.v)) /
        median(days.filter((x) => !isWeekend(x.day)).map((x) => x.v));
      if (r.includes('zero-days')) {
        expect(s.values.some((v) => v === 0)).toBe(true);
        expect(median(s.values)).toBeLessThan(15);
        continue;
      }
      expect(s.values.every((v) => v > 0)).toBe(true);
      if (r.includes('weekly')) {
        weekly++;
        expect(ratio).toBeGreaterThan(0.45);
        expect(ratio).toBeLessThan(0.95);
      } else if (!r.includes('growth') && !r.includes('decline')) {
        expect(ratio).toBeGreaterThan(0.93);
        expect(ratio).toBeLessThan(1.07);
      }
      if (r.includes('month-end')) {
        // The last day of each month against the same weekday a week before (1.5-3x, less noise).
        const lastDays = s.values.map((_, t) => t).filter((t) => t >= 7 && isFirst(addDays(c.start, t + 1)));
        expect(median(lastDays.map((t) => s.values[t]! / s.values[t - 7]!))).toBeGreaterThan(1.3);
      }
    }
    expect(weekly).toBeGreaterThan(0);
    expect(weekly).toBeLessThan(c.series.length);
  });
});

describe('scoreDetections', () => {
  // Two services over 100 days from 2025-01-06; day n below is addDays(START, n).
  const START = '2025-01-06';
  const day = (n: number) => addDays(START, n);
  const company: GeneratedCompany = {
    start: START,
    days: 100,
    series: [
      { key: 'A', start: START, values: new Array(100).fill(10) },
      { key: 'B', start: START, values: new Array(100).fill(10) },
    ],
    total: { key: 'total', start: START, values: new Array(100).fill(20) },
    events: [
      { key: 'A', day: day(70), lastDay: day(70), kind: 'spike', direction: 'up' },
      { key: 'A', day: day(85), lastDay: day(99), kind: 'shift', direction: 'down' },
      { key: 'B', day: day(60), lastDay: day(65), kind: 'episode', direction: 'up' },
      { key: 'B', day: day(80), lastDay: day(99), kind: 'stop', direction: 'down' },
    ],
    rhythms: { A: [], B: [] },
  };
  const detections: Detection[] = [
    { key: 'A', day: day(72), direction: 'up' }, // spike 70 + 2 (within tolerance 3): found, delay 2
    { key: 'A', day: day(73), direction: 'up' }, // repeat on the found spike: false
    { key: 'A', day: day(86), direction: 'down' }, // shift 85 + 1: found, delay 1
    { key: 'B', day: day(65), direction: 'up' }, // episode 60-65, on its last day: found, delay 5
    { key: 'B', day: day(66), direction: 'up' }, // past the episode and 60 + 3: false
    { key: 'B', day: day(84), direction: 'down' }, // stop 80 + 4, beyond tolerance 3: false (stop missed)
    { key: 'B', day: day(10), direction: 'up' }, // before day 14: not judged
    { key: 'A', day: day(40), direction: 'down' }, // no event: false
    { key: 'A', day: day(70), direction: 'down' }, // on the spike's day, wrong direction: false
  ];

  it('counts found events, false alerts and delays as computed by hand', () => {
    // Found: spike (2), shift (1), episode (5); missed: stop. Recall 3 / 4 = 0.75.
    // False: 73, 66, 84, 40, 70-down = 5; service-days 2 x (100 - 14) = 172;
    // per 1,000: 5 / 172 x 1000 = 29.069767441860; mean delay (2 + 1 + 5) / 3 = 2.666666666667.
    const r = scoreDetections(company, detections);
    expect(r).toMatchObject({
      events: 4,
      found: 3,
      recall: 0.75,
      falseAlerts: 5,
      serviceDays: 172,
      maxDelayDays: 5,
    });
    expect(r.falsePer1000ServiceDays).toBeCloseTo(29.06976744186, 9);
    expect(r.meanDelayDays).toBeCloseTo(8 / 3, 12);
  });

  it('credits the earliest matching detection, whatever the input order', () => {
    const r = scoreDetections(company, [
      { key: 'B', day: day(63), direction: 'up' },
      { key: 'B', day: day(61), direction: 'up' },
    ]);
    // 61 finds the episode (delay 1); 63 is a repeat: false.
    expect(r).toMatchObject({ found: 1, falseAlerts: 1, meanDelayDays: 1, maxDelayDays: 1 });
  });

  it('takes the tolerance', () => {
    // Tolerance 0: 72 misses the spike (false, and 73 too), 86 misses the shift (false); the episode
    // is still found at 65 (within its span, delay 5). Found 1 of 4; false 72, 73, 86, 66, 84, 40, 70-down = 7.
    const r = scoreDetections(company, detections, { tolerance: 0 });
    expect(r).toMatchObject({ found: 1, recall: 0.25, falseAlerts: 7, meanDelayDays: 5, maxDelayDays: 5 });
  });

  it('without detections: nothing found, no false alerts, delays undefined', () => {
    const r = scoreDetections(company, []);
    expect(r).toMatchObject({ events: 4, found: 0, recall: 0, falseAlerts: 0, falsePer1000ServiceDays: 0 });
    expect(r.meanDelayDays).toBeNaN();
  });

  it('rejects detections on unknown series or outside them', () => {
    expect(() => scoreDetections(company, [{ key: 'total', day: day(50), direction: 'up' }])).toThrow();
    expect(() => scoreDetections(company, [{ key: 'A', day: day(100), direction: 'up' }])).toThrow();
  });

  it('scores a generated company: its own events as detections find everything, on the day', () => {
    const c = generateCompany(11);
    const r = scoreDetections(
      c,
      c.events.map((e) => ({ key: e.key, day: e.day, direction: e.direction })),
    );
    expect(r).toMatchObject({ events: c.events.length, found: c.events.length, recall: 1, falseAlerts: 0 });
    expect(r.maxDelayDays).toBe(0);
    expect(r.serviceDays).toBe(c.series.length * (420 - 14));
  });
});
