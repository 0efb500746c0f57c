/** Every worked example of the formula guide (002), plus the note's zero handling. */
import { describe, expect, it } from 'vitest';
import { classifyLine, emptyBuckets } from '../../../src/analytics/drivers/classify.js';
import { computeDrivers } from '../../../src/analytics/drivers/compute.js';
import { attributionConfidence } from '../../../src/analytics/drivers/confidence.js';
import { noiseThreshold, rowRisk } from '../../../src/analytics/drivers/decomposition.js';
import { explainedPercent, netChangePercent, top3Percent } from '../../../src/analytics/drivers/kpis.js';
import { roundingResidual } from '../../../src/analytics/drivers/waterfall.js';
import { roundHalfAwayFromZero } from '../../../src/analytics/money.js';
import { input, line, options } from './fixtures.js';

describe('guide 2: variance KPIs', () => {
  it('previous 100, current 130, classified 27.50: unexplained 2.50, explained 91.67 %', () => {
    const r = computeDrivers(
      input([
        line({ previousSpend: 100, currentSpend: 127.5, previousQuantity: 10, currentQuantity: 12.75 }),
        line({ sku: 'tax', kind: 'other', previousSpend: 0, currentSpend: 2.5 }),
      ]),
      options,
    );
    expect(r.kpis.previous).toBe(100);
    expect(r.kpis.current).toBe(130);
    expect(r.kpis.netChange).toBe(30);
    expect(r.kpis.netChangePercent).toBe(30);
    expect(r.kpis.explained).toBeCloseTo(27.5, 10);
    expect(r.kpis.unexplained).toBeCloseTo(2.5, 10);
    expect(r.kpis.explainedPercent).toBeCloseTo(91.6667, 3);
  });

  it('zero handling of NetChange% and Explained%', () => {
    expect(netChangePercent(0, 0)).toBe(0);
    expect(netChangePercent(0, 5)).toBeNull();
    expect(explainedPercent(0.001, 0.001)).toBe(100);
    expect(explainedPercent(0, 3)).toBe(0);
  });

  it('Top3% ranks services by |delta|, ties by name; 0 when nothing moved', () => {
    const deltas = new Map([
      ['a', 10],
      ['b', -30],
      ['c', 5],
      ['d', 5],
    ]);
    expect(top3Percent(deltas)).toBeCloseTo((45 / 50) * 100, 10);
    expect(top3Percent(new Map([['a', 0]]))).toBe(0);
  });
});

describe('guide 3: classification', () => {
  it('50 for 10 units -> 68 for 12 units: usage +10, rate +8, mix ~0', () => {
    const b: ReturnType<typeof emptyBuckets> & { unexplained?: number } = emptyBuckets();
    classifyLine(line({ previousSpend: 50, previousQuantity: 10, currentSpend: 68, currentQuantity: 12 }), b);
    expect(b.usageGrowth).toBeCloseTo(10, 10);
    // The guide rounds currRate to 5.67 and gets 8.04; unrounded it is exactly 8.
    expect(b.ratePriceChange).toBeCloseTo(8, 10);
    expect(b.mixShift).toBeCloseTo(0, 10);
  });

  it('new, removed, unusable quantities, credits and tax', () => {
    const b: ReturnType<typeof emptyBuckets> & { unexplained?: number } = emptyBuckets();
    classifyLine(line({ previousSpend: 0, currentSpend: 40 }), b);
    classifyLine(line({ previousSpend: 25, currentSpend: 0 }), b);
    classifyLine(line({ previousSpend: 10, currentSpend: 14, previousQuantity: 0, currentQuantity: 3 }), b);
    classifyLine(line({ kind: 'credit', previousSpend: -5, currentSpend: -8 }), b);
    classifyLine(line({ kind: 'other', previousSpend: 1, currentSpend: 2 }), b);
    expect(b).toEqual({
      newServicesResources: 40,
      savingsRemovals: -25,
      mixShift: 4,
      usageGrowth: 0,
      ratePriceChange: 0,
      creditsDiscountChange: -3,
      unexplained: 1,
    });
  });
});

describe('guide 4: waterfall', () => {
  it('rounded net 28.00, core 27.99, model 0.00 -> rounding residual 0.01', () => {
    expect(roundingResidual(28, 27.99, 0)).toBe(0.01);
  });

  it('rounds half away from zero', () => {
    expect(roundHalfAwayFromZero(1.005)).toBe(1.01);
    expect(roundHalfAwayFromZero(-2.675)).toBe(-2.68);
    expect(roundHalfAwayFromZero(0.125)).toBe(0.13);
    expect(roundHalfAwayFromZero(-0.004)).toBe(0);
  });

  it('steps in the note order, then model and rounding residuals; balanced', () => {
    const r = computeDrivers(
      input([
        line({ previousSpend: 10.004, currentSpend: 10.008, previousQuantity: 1, currentQuantity: 1 }),
        line({ sku: 'b', previousSpend: 0, currentSpend: 3.333 }),
        line({ sku: 'c', kind: 'other', previousSpend: 0, currentSpend: 0.666 }),
      ]),
      options,
    );
    expect(r.waterfall.steps.map((s) => s.name)).toEqual([
      'newServicesResources',
      'usageGrowth',
      'ratePriceChange',
      'mixShift',
      'creditsDiscountChange',
      'savingsRemovals',
      'modelResidual',
      'roundingResidual',
    ]);
    expect(r.waterfall.balanced).toBe(true);
    const total = r.waterfall.steps.reduce((s, st) => s + st.value, 0);
    expect(Math.abs(r.waterfall.start + total - r.waterfall.end)).toBeLessThanOrEqual(0.01);
  });
});

describe('guide 5-6: decomposition, risk and materiality', () => {
  it('net +40, service A +12: contribution 30 %, HIGH', () => {
    const r = computeDrivers(
      input([
        line({
          service: 'A',
          previousSpend: 100,
          currentSpend: 112,
          previousQuantity: 10,
          currentQuantity: 11.2,
        }),
        line({
          service: 'B',
          previousSpend: 100,
          currentSpend: 128,
          previousQuantity: 10,
          currentQuantity: 12.8,
        }),
      ]),
      options,
    );
    const a = r.rows.find((row) => row.key === 'A')!;
    expect(a.contributionPercent).toBeCloseTo(30, 10);
    expect(a.contributionScore).toBeCloseTo(30, 10);
    expect(a.risk).toBe('HIGH');
    expect(a.deltaPercent).toBeCloseTo(12, 10);
    expect(r.rows[0]!.key).toBe('B');
  });

  it('risk bands', () => {
    expect(rowRisk(25, 0)).toBe('HIGH');
    expect(rowRisk(0, 10)).toBe('HIGH');
    expect(rowRisk(10, 0)).toBe('MEDIUM');
    expect(rowRisk(0, 5)).toBe('MEDIUM');
    expect(rowRisk(9.99, 4.99)).toBe('LOW');
  });

  it('|net| 20 -> threshold 0.10; rows below it are omitted and counted', () => {
    expect(noiseThreshold(0, 20)).toBeCloseTo(0.1, 12);
    expect(noiseThreshold(0, 0)).toBe(0.01);
    expect(noiseThreshold(5, 20)).toBe(5);
    const r = computeDrivers(
      input([
        line({ service: 'big', previousSpend: 100, currentSpend: 120 }),
        line({ service: 'tiny', previousSpend: 100, currentSpend: 100.05 }),
      ]),
      { ...options, limit: 10 },
    );
    expect(r.noiseThreshold).toBeCloseTo(0.10025, 10);
    expect(r.omitted.byThreshold).toBe(1);
    expect(r.rows.map((x) => x.key)).toEqual(['big']);
  });

  it('row limit: sorted by |delta| then key, the rest counted', () => {
    const lines = ['c', 'a', 'b', 'd'].map((s, i) =>
      line({ service: s, previousSpend: 10, currentSpend: i % 2 ? 15 : 5 }),
    );
    const r = computeDrivers(input(lines), { ...options, limit: 2 });
    expect(r.rows.map((x) => x.key)).toEqual(['a', 'b']);
    expect(r.omitted.byRowLimit).toBe(2);
  });

  it('NEW and REMOVED labels with null delta %, forced driver types', () => {
    const r = computeDrivers(
      input([line({ service: 'new', currentSpend: 5 }), line({ service: 'gone', previousSpend: 7 })]),
      options,
    );
    const n = r.rows.find((x) => x.key === 'new')!;
    const g = r.rows.find((x) => x.key === 'gone')!;
    expect([n.label, n.deltaPercent, n.driverType]).toEqual(['NEW', null, 'newServicesResources']);
    expect([g.label, g.deltaPercent, g.driverType]).toEqual(['REMOVED', null, 'savingsRemovals']);
  });

  it('zero net change: contributions fall back to the sum of |row deltas|', () => {
    const r = computeDrivers(
      input([
        line({ service: 'up', previousSpend: 10, currentSpend: 20 }),
        line({ service: 'down', previousSpend: 20, currentSpend: 10 }),
      ]),
      options,
    );
    expect(r.kpis.netChange).toBe(0);
    expect(r.rows.map((x) => x.contributionPercent)).toEqual([-50, 50]);
  });
});

describe('guide 7-8: trend and unexplained panel', () => {
  it('daily residuals add up to the rounded unexplained value', () => {
    const r = computeDrivers(
      input(
        [
          line({ previousSpend: 70, currentSpend: 80, previousQuantity: 7, currentQuantity: 8 }),
          line({ sku: 'tax', kind: 'other', previousSpend: 7, currentSpend: 8 }),
        ],
        {
          currentDaily: [
            { day: '2026-11-08', spend: 40 },
            { day: '2026-11-09', spend: 48 },
          ],
          previousDaily: [
            { day: '2026-11-01', spend: 38 },
            { day: '2026-11-02', spend: 39 },
          ],
        },
      ),
      options,
    );
    expect(r.unexplained.value).toBe(1);
    expect(r.unexplained.percentOfNet).toBeCloseTo(9.0909, 3);
    expect(r.unexplained.severity).toBe('HIGH');
    expect(r.trend).toHaveLength(7);
    const residualSum = r.trend.reduce((s, t) => s + t.dailyResidual, 0);
    expect(residualSum).toBeCloseTo(1, 10);
    expect(r.trend[0]).toMatchObject({ currentDay: '2026-11-08', previousDay: '2026-11-01', dailyDelta: 2 });
    expect(r.trend[3]!.residualAbsPctOfDelta).toBeNull();
  });

  it('zero rounded net: LOW/0 without unexplained, HIGH/null with it', () => {
    const still = computeDrivers(
      input([line({ previousSpend: 5, currentSpend: 5, previousQuantity: 1, currentQuantity: 1 })]),
      options,
    );
    expect(still.unexplained).toEqual({ value: 0, percentOfNet: 0, severity: 'LOW' });
    const offset = computeDrivers(
      input([
        line({ previousSpend: 5, currentSpend: 4 }),
        line({ sku: 'tax', kind: 'other', previousSpend: 0, currentSpend: 1 }),
      ]),
      options,
    );
    expect(offset.unexplained).toEqual({ value: 1, percentOfNet: null, severity: 'HIGH' });
  });
});

describe('guide 9-10: confidence and governance', () => {
  it('residual 4 %, coverage 55 %, missing ownership 12 % -> 72, Medium', () => {
    const c = attributionConfidence(
      {
        periodDataCompleteness: 100,
        missingTagSpend: 12,
        skuMappingCoverage: 100,
        quantityCoverage: 55,
        currencyConsistency: true,
      },
      4,
      null,
    );
    expect(c.score).toBe(72);
    expect(c.level).toBe('Medium');
    expect(c.rules).toEqual({
      currencyConsistency: 'pass',
      modelResidual: 'warn',
      usageRateCoverage: 'warn',
      ownershipMapping: 'warn',
    });
    expect(c.penalties.map((p) => p.points)).toEqual([10, 10, 8]);
  });

  it('every penalty at once clamps to 0..100 and names each rule', () => {
    const c = attributionConfidence(
      {
        periodDataCompleteness: 50,
        missingTagSpend: 50,
        skuMappingCoverage: 10,
        quantityCoverage: 10,
        currencyConsistency: false,
      },
      50,
      55,
    );
    // 105 points of penalties: clamped at 0.
    expect(c.score).toBe(0);
    expect(c.level).toBe('Low');
    expect(c.penalties).toHaveLength(7);
  });

  it('governance shares use usage-like rows only', () => {
    const r = computeDrivers(
      input(
        [
          line({
            team: '',
            sku: '',
            previousSpend: 10,
            currentSpend: 25,
            previousQuantity: 1,
            currentQuantity: 2,
          }),
          line({ team: 'a', sku: 'x', previousSpend: 50, currentSpend: 75 }),
          line({ kind: 'credit', team: '', previousSpend: -10, currentSpend: -20 }),
        ],
        { observedCurrentDays: 6, currenciesSeen: ['EUR', 'USD'] },
      ),
      options,
    );
    expect(r.governance.missingTagSpend).toBeCloseTo(25, 10);
    expect(r.governance.skuMappingCoverage).toBeCloseTo(75, 10);
    expect(r.governance.quantityCoverage).toBeCloseTo(37.5, 10);
    expect(r.governance.periodDataCompleteness).toBeCloseTo((6 / 7) * 100, 10);
    expect(r.governance.currencyConsistency).toBe(false);
    expect(r.confidence.rules.currencyConsistency).toBe('fail');
  });
});
