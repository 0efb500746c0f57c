/** `spendbrief anomalies`, `forecast` and `budgets` on the demo: the contract's objects, the story's events. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cents } from '../helpers/numbers.js';

const BIN = join(import.meta.dirname, '../../dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'spendbrief-alerts-'));
const NO_DB = join(dir, 'none', 'none.duckdb');
const run = (args: string[]) =>
  promisify(execFile)('node', [BIN, ...args], { env: { ...process.env, SPENDBRIEF_DB: NO_DB } });
const json = async (args: string[]) => JSON.parse((await run([...args, '--format', 'json'])).stdout);
// The demo's last day is the day before --today.
const TODAY = '2026-11-25';

describe('spendbrief anomalies', () => {
  it('takes every scope the chat command takes, sku included', async () => {
    const j = await json(['anomalies', '--by', 'sku', '--today', TODAY]);
    expect(j.evaluated.scopes).toBeGreaterThan(20);
    expect(j.anomalies.every((a: { dimension: string }) => a.dimension === 'sku')).toBe(true);
  });

  it("finds the demo's spike, new service and removal by service, each explained by its drivers", async () => {
    const j = await json(['anomalies', '--by', 'service', '--today', TODAY]);
    expect(j.evaluated).toEqual({ from: '2026-11-18', to: '2026-11-24', scopes: expect.any(Number) });
    const by = (key: string) => j.anomalies.find((a: { key: string }) => a.key === key);
    const spike = by('Amazon Elastic Compute Cloud');
    // The spike day; EC2 then stays above the band it started from (the ml team's growth, the price rise).
    expect(spike).toMatchObject({
      day: '2026-11-22',
      dimension: 'service',
      direction: 'spike',
      severity: 'high',
    });
    for (const k of [
      'actual',
      'expected',
      'lower',
      'upper',
      'impact',
      'impactPercent',
      'score',
      'totalImpact',
    ])
      expect(typeof spike[k]).toBe('number');
    expect(spike.impact).toBeCloseTo(spike.actual - spike.expected, 9);
    expect(spike.topContributor).toMatchObject({ key: 'DataTransfer-Out-Bytes', by: 'sku' });
    // The explanation is the drivers method's waterfall, balanced.
    expect(spike.drivers.balanced).toBe(true);
    expect(spike.drivers.steps.map((s: { name: string }) => s.name)).toContain('usageGrowth');
    expect(by('Amazon Bedrock')).toMatchObject({ day: '2026-11-20', direction: 'new' });
    expect(by('Amazon ElastiCache')).toMatchObject({ day: '2026-11-18', direction: 'gone' });
    expect(j.insufficientHistory).toEqual([]);
  });

  it('--days all judges every day with 7 days of history, each on the days before it only', async () => {
    const all = await json(['anomalies', '--days', 'all', '--today', TODAY]);
    const week = await json(['anomalies', '--today', TODAY]);
    // 150 days of demo from 2026-06-28: the first judged day has 7 before it.
    expect(all.evaluated.from).toBe('2026-07-05');
    // What the last week found is in the full run, unchanged (no look-ahead either way).
    // (Equal to the cent: sums in another order may differ in the 13th digit.)
    for (const a of week.anomalies) expect(all.anomalies.map(cents)).toContainEqual(cents(a));
  });

  it('bad input is one line naming the option', async () => {
    const e = await run(['anomalies', '--days', 'soon']).catch((x) => x);
    expect(e.code).toBe(2);
    expect(e.stderr.trim().split('\n')).toHaveLength(1);
    expect(e.stderr).toContain('--days');
  });
});

describe('spendbrief forecast', () => {
  it('to month end: points from the day after the last actual, the period total, the backtest', async () => {
    const j = await json(['forecast', '--today', TODAY]);
    const s = j.scopes[0];
    expect(s).toMatchObject({ dimension: 'total', key: 'total', lastActualDay: '2026-11-24' });
    expect(s.points.map((p: { day: string }) => p.day)).toEqual([
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
      '2026-11-30',
    ]);
    for (const p of s.points) {
      expect(p.lower95).toBeLessThanOrEqual(p.lower80);
      expect(p.lower80).toBeLessThanOrEqual(p.value);
      expect(p.value).toBeLessThanOrEqual(p.upper80);
      expect(p.upper80).toBeLessThanOrEqual(p.upper95);
    }
    const sum = s.points.reduce((t: number, p: { value: number }) => t + p.value, 0);
    expect(s.periodEnd.day).toBe('2026-11-30');
    expect(s.periodEnd.total).toBeCloseTo(s.actualToDate + sum, 6);
    expect(s.backtest).toMatchObject({
      origins: 4,
      chosen: expect.stringMatching(/^(model|naive|seasonalNaive)$/),
    });
    expect(s.backtest.mase).toBeGreaterThan(0);
    expect(j.method).toMatch(/MSTL|drift|naive/);
  });

  it('--horizon N gives N points; --horizon with --to is refused', async () => {
    const j = await json(['forecast', '--horizon', '10', '--by', 'service', '--today', TODAY]);
    expect(j.scopes.length).toBeGreaterThan(10);
    for (const s of j.scopes) expect(s.points).toHaveLength(10);
    const e = await run(['forecast', '--horizon', '3', '--to', 'month-end']).catch((x) => x);
    expect(e.code).toBe(2);
  });
});

describe('spendbrief budgets', () => {
  it('evaluates a budgets file: spend to date, forecast, thresholds crossed', async () => {
    const file = join(dir, 'budgets.yaml');
    writeFileSync(
      file,
      [
        '- name: Everything',
        '  amount: 50000',
        '  period: month',
        '- name: Compute',
        '  scope: service=Amazon Elastic Compute Cloud',
        '  amount: 100000',
        '  period: quarter',
        '  thresholds: { actual: [50], forecast: [90] }',
      ].join('\n'),
    );
    const j = await json(['budgets', '--budgets', file, '--today', TODAY]);
    const [all, compute] = j.budgets;
    expect(all).toMatchObject({
      name: 'Everything',
      scope: { dimension: 'total', key: 'total' },
      amount: 50000,
      period: { kind: 'month', start: '2026-11-01', end: '2026-11-30' },
    });
    expect(all.forecast.total).toBeGreaterThan(all.actualToDate);
    expect(all.thresholds.find((t: { kind: string }) => t.kind === 'forecast')).toMatchObject({
      percent: 100,
      crossed: all.forecast.total >= 50000,
    });
    expect(compute).toMatchObject({
      period: { kind: 'quarter', start: '2026-10-01', end: '2026-12-31' },
      status: 'ok',
    });
    expect(compute.thresholds.map((t: { kind: string; percent: number }) => [t.kind, t.percent])).toEqual([
      ['actual', 50],
      ['forecast', 90],
    ]);
  });

  it.each([
    ['amount: 5', 'expected a list of budgets'],
    ['- name: A\n  amount: -1\n  period: month', 'budget 1 ("A"): amount must be above 0'],
    ['- name: A\n  amount: 10\n  period: weekly', 'period is not month or quarter'],
    [
      '- name: A\n  amount: 10\n  period: month\n  scope: planet=Mars',
      'scope "planet=Mars" is not total or <service|account|region|team|sku>=<value>',
    ],
    ['- name: A\n  amount: 10\n  period: month\n  colour: red', 'has unknown fields (colour)'],
    ['- {', 'not YAML'],
  ])('a bad budgets file: %s', async (text, message) => {
    const file = join(dir, `bad-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, text);
    const e = await run(['budgets', '--budgets', file]).catch((x) => x);
    expect(e.code).toBe(2);
    expect(e.stderr.trim().split('\n')).toHaveLength(1);
    expect(e.stderr).toContain(message);
  });
});
