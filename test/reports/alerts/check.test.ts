import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Budget } from '../../../src/analytics/alerts/budgets.js';
import type { DailySeries } from '../../../src/analytics/alerts/series.js';
import { loadConfig } from '../../../src/config.js';
import type { ExplainedAnomaly } from '../../../src/reports/alerts/anomalies.js';
import { anomalyReport, checkAlerts } from '../../../src/reports/alerts/check.js';
import { keyHash } from '../../../src/reports/drivers/sections.js';
import { createReportDeps } from '../../../src/reports/wire.js';

const series: DailySeries = {
  key: 'x',
  start: '2026-09-01',
  values: Array.from({ length: 70 }, (_, i) => (i === 66 ? 900 : 500)),
};
const anomaly = (key: string) =>
  ({
    key,
    dimension: 'service',
    day: '2026-11-06',
    lastDay: '2026-11-06',
    days: 1,
    actual: 900,
    expected: 500,
    lower: 480,
    upper: 520,
    impact: 400,
    impactPercent: 80,
    totalImpact: 400,
    direction: 'spike',
    score: 20,
    severity: 'high',
    drivers: null,
    topContributor: null,
  }) as unknown as ExplainedAnomaly;

const drillPayload = (key: string) => {
  const report = anomalyReport(anomaly(key), series, 'USD', 'demo data');
  const more = report.sections.find((s) => s.id === 'more')!.blocks[0] as {
    actions: { id: string; payload: Record<string, unknown> }[];
  };
  return more.actions[0]!;
};

describe('an anomaly alert', () => {
  it('drills its scope down by the next dimension, over its day against a week before', () => {
    expect(drillPayload('Amazon EC2')).toMatchObject({
      id: 'drill',
      payload: {
        dim: 'service',
        key: 'Amazon EC2',
        window: '2026-11-06..2026-11-06',
        compare: '2026-10-30..2026-10-30',
      },
    });
  });

  it('a 5,000-character key travels as its hash, as in every other report', () => {
    const long = 's'.repeat(5000);
    const a = drillPayload(long);
    expect(a.payload).not.toHaveProperty('key');
    expect(a.payload.keyHash).toBe(keyHash(long));
    expect(JSON.stringify(a.payload).length).toBeLessThan(300);
  });
});

const budget = (name: string, amount: number): Budget => ({
  name,
  scope: { dimension: 'total', key: 'total' },
  amount,
  period: 'month',
  thresholds: { actual: [80, 100], forecast: [100] },
});

describe('checkAlerts: budgets across channels', () => {
  it('a budget shared by channels is judged once and reaches each; a channel keeps its own', async () => {
    const logs: string[] = [];
    const deps = createReportDeps(loadConfig({}), {
      log: (l) => logs.push(l),
      now: () => new Date('2026-11-25T12:00:00Z'),
    });
    const shared = budget('Total monthly', 1000);
    const own = budget('Team cap', 5000);
    const calm = budget('Roomy', 10_000_000);
    const { budgetsByChannel } = await checkAlerts(deps, {
      source: { kind: 'demo' },
      now: '2026-11-25',
      basis: 'actual',
      teamTag: 'team',
      channels: ['A', 'B', 'C', 'D'],
      budgetsOf: async (c) => ({ A: [shared], B: [{ ...shared }, own], C: [calm], D: [] })[c] ?? [],
    });
    const names = (c: string) => budgetsByChannel.get(c)?.map((b) => b.status.budget.name);
    expect(names('A')).toEqual(['Total monthly']);
    expect(names('B')).toEqual(['Total monthly', 'Team cap']);
    // Judged, nothing crossed: the channel is there with no alert; a channel without budgets is not.
    expect(names('C')).toEqual([]);
    expect(budgetsByChannel.has('D')).toBe(false);
    // One report object for the shared budget: built once, posted to both.
    expect(budgetsByChannel.get('A')![0]!.report).toBe(budgetsByChannel.get('B')![0]!.report);
  });
});

describe('checkAlerts: what drove a budget', () => {
  it('is the period to date in calendar days, even for a scope with quiet days', async () => {
    // Quiet spends $10 a day 10-31 October and $30 a day 20-24 November; Busy every day.
    const dir = mkdtempSync(join(tmpdir(), 'spendbrief-budget-'));
    const lines = [
      'BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,ProviderName,ChargeCategory',
    ];
    for (let d = Date.UTC(2026, 8, 1); d <= Date.UTC(2026, 10, 24); d += 864e5) {
      const day = new Date(d).toISOString().slice(0, 10);
      const row = (service: string, cost: number) =>
        lines.push(`${cost},${cost},USD,${day}T00:00:00Z,${day}T23:00:00Z,${service},AWS,Usage`);
      row('Busy', 100);
      if (day >= '2026-10-10' && day <= '2026-10-31') row('Quiet', 10);
      if (day >= '2026-11-20') row('Quiet', 30);
    }
    writeFileSync(join(dir, 'x.csv'), lines.join('\n'));
    const deps = createReportDeps(loadConfig({ SPENDBRIEF_DB: join(dir, 'none.duckdb') }), {
      log: () => {},
      now: () => new Date('2026-11-25T12:00:00Z'),
    });
    const quiet = { ...budget('Quiet monthly', 50), scope: { dimension: 'service' as const, key: 'Quiet' } };
    const { budgetsByChannel } = await checkAlerts(deps, {
      source: { kind: 'focus', path: join(dir, 'x.csv') },
      now: '2026-11-25',
      basis: 'actual',
      teamTag: 'team',
      channels: ['A'],
      budgetsOf: async () => [quiet],
    });
    const [alert] = budgetsByChannel.get('A')!;
    const drivers = alert!.report.sections.find((s) => s.id === 'drivers')!.blocks[0] as { text: string };
    // 1-24 November ($150) against the 24 days before, 8-31 October (22 days at $10: $220).
    expect(drivers.text).toBe('Quiet −$70.00');
  });
});

describe('checkAlerts: SPENDBRIEF_ALERT_SEVERITY', () => {
  const posted = async (severity?: string) => {
    const deps = createReportDeps(loadConfig(severity ? { SPENDBRIEF_ALERT_SEVERITY: severity } : {}), {
      log: () => {},
      now: () => new Date('2026-11-25T12:00:00Z'),
    });
    const { check } = await checkAlerts(deps, {
      source: { kind: 'demo' },
      now: '2026-11-25',
      basis: 'actual',
      teamTag: 'team',
      channels: [],
      budgetsOf: async () => [],
    });
    return check.anomalies.map((a) => `${a.anomaly.key} ${a.anomaly.severity}`);
  };

  it('posts anomalies from the least severity up (medium by default); high leaves the medium ones out', async () => {
    const low = await posted('low');
    expect(await posted()).toEqual(low.filter((a) => !a.endsWith(' low')));
    const high = await posted('high');
    expect(high).toEqual(['total high', 'Amazon Elastic Compute Cloud high']);
    expect(low.filter((a) => a.endsWith(' medium')).length).toBeGreaterThan(0);
  });

  it('a value other than low, medium or high is refused with what is accepted', () => {
    expect(() => loadConfig({ SPENDBRIEF_ALERT_SEVERITY: 'urgent' })).toThrow(/low, medium or high/);
  });
});
