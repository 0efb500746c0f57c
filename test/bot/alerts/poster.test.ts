/**
 * The alert lifecycle on the real state store (DuckDB): posted once, followed up while it lasts,
 * closed once with the figures as they stand, drops alike (a drop is never judged on the latest
 * day with data), and a claim left by a crash released rather than lost.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { AlertPoster, type AlertSurface } from '../../../src/bot/alerts/poster.js';
import { AlertStore } from '../../../src/bot/alerts/store.js';
import { DuckDb } from '../../../src/integrations/warehouse/duckdb.js';
import type { ExplainedAnomaly } from '../../../src/reports/alerts/anomalies.js';
import type { AlertCheck } from '../../../src/reports/alerts/check.js';

let store: AlertStore;
let db: DuckDb;
let said: string[];
const surface: AlertSurface = {
  post: async (_c, r) => {
    said.push(`POST ${r.report.title}`);
    return `ts-${said.length}`;
  },
  reply: async (_c, thread, text) => {
    said.push(`REPLY ${thread} ${text}`);
  },
};
const poster = () =>
  new AlertPoster({
    store,
    surfaces: { slack: surface },
    render: async (report) => ({ report, images: new Map() }),
    log: () => {},
  });

const anomaly = (o: Partial<ExplainedAnomaly>): ExplainedAnomaly =>
  ({
    key: 'Compute',
    dimension: 'service',
    day: '2026-11-10',
    lastDay: '2026-11-10',
    days: 1,
    actual: 400,
    expected: 100,
    lower: 80,
    upper: 120,
    impact: 300,
    impactPercent: 300,
    direction: 'spike',
    score: 10,
    severity: 'high',
    totalImpact: 300,
    drivers: null,
    topContributor: null,
    ...o,
  }) as ExplainedAnomaly;

const check = (last: string, anomalies: ExplainedAnomaly[], latestData = last): AlertCheck => ({
  currency: 'USD',
  lastJudgedDay: last,
  lastJudgedDownDay:
    latestData >= last ? new Date(Date.parse(last) - 86_400_000).toISOString().slice(0, 10) : last,
  anomalies: anomalies.map((a) => ({
    anomaly: a,
    scope: `${a.dimension}:${a.key}`,
    report: {
      kind: 'alert',
      title: `${a.direction} ${a.day}`,
      period: '',
      kpis: [],
      sections: [],
      footnotes: [],
    },
  })),
});

beforeEach(async () => {
  db = await DuckDb.open();
  store = new AlertStore(db);
  await store.init();
  await store.setAlerts({ channel: 'C1', platform: 'slack', reference: null }, true);
  said = [];
});

describe('alert lifecycle', () => {
  it('a run that grew and ended within one sync gets one closing reply with its final figures', async () => {
    await poster().deliver(check('2026-11-10', [anomaly({})]), new Map());
    await poster().deliver(
      check('2026-11-12', [anomaly({ lastDay: '2026-11-11', days: 2, totalImpact: 700 })]),
      new Map(),
    );
    expect(said).toEqual([
      'POST spike 2026-11-10',
      'REPLY ts-1 Back to normal after 2026-11-11: +$700.00 in all from 2026-11-10 to 2026-11-11.',
    ]);
  });

  it('a drop is followed up and closed like a spike', async () => {
    const drop = (lastDay: string, days: number, total: number) =>
      anomaly({
        direction: 'drop',
        day: '2026-11-19',
        actual: 10,
        impact: -90,
        impactPercent: -90,
        lastDay,
        days,
        totalImpact: total,
      });
    // Day 11-19 is a drop; 11-20 is the latest day with data (never judged as a drop).
    await poster().deliver(check('2026-11-20', [drop('2026-11-19', 1, -90)]), new Map());
    await poster().deliver(check('2026-11-21', [drop('2026-11-20', 2, -180)]), new Map());
    await poster().deliver(check('2026-11-22', [drop('2026-11-20', 2, -180)]), new Map());
    await poster().deliver(check('2026-11-23', [drop('2026-11-20', 2, -180)]), new Map());
    expect(said).toEqual([
      'POST drop 2026-11-19',
      'REPLY ts-1 Still going on 2026-11-20: −$180.00 since 2026-11-19 over 2 days.',
      'REPLY ts-1 Back to normal after 2026-11-20: −$180.00 in all from 2026-11-19 to 2026-11-20.',
    ]);
  });

  it('a claim left at posting by a crash is released after an hour, not lost', async () => {
    expect(await store.claim('C1', 'anomaly:service:Compute:2026-11-10:up')).toBe(true);
    await db.run(`UPDATE alert_posts SET posted_at = now() - INTERVAL 2 HOUR`);
    await poster().deliver(check('2026-11-10', [anomaly({})]), new Map());
    expect(said).toEqual(['POST spike 2026-11-10']);
  });
});
