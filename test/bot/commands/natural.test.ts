import { describe, expect, it } from 'vitest';
import type { Vocabulary } from '../../../src/bot/assistant.js';
import { readQuestion } from '../../../src/bot/commands/natural.js';

const TODAY = '2026-11-24'; // a Tuesday
const vocab: Vocabulary = {
  service: ['Amazon Elastic Compute Cloud', 'Amazon Simple Storage Service', 'AWS Lambda', 'Tax'],
  team: ['payments', 'search', 'web'],
  account: ['111111111111'],
  region: ['us-east-1', 'eu-central-1'],
};
const read = (q: string) => readQuestion(q, TODAY, vocab);

describe('questions in plain words', () => {
  it('"why did EC2 go up last week?": drivers of Mon-Sun last week vs the week before, EC2 by its data name', () => {
    expect(read('why did EC2 go up last week?')).toEqual({
      kind: 'request',
      request: {
        kind: 'drivers',
        window: { kind: 'custom', range: { start: '2026-11-16', end: '2026-11-22' } },
        compare: { kind: 'previous_period' },
        by: 'sku',
        basis: 'actual',
        where: [{ dimension: 'service', values: ['Amazon Elastic Compute Cloud'] }],
      },
      command:
        'drivers 2026-11-16..2026-11-22 vs previous by sku where service="Amazon Elastic Compute Cloud"',
    });
  });

  it('"what will November cost?": the forecast of this month; a later month forecasts to its end', () => {
    expect(read('what will November cost?')).toMatchObject({
      request: { kind: 'forecast', by: 'total', where: [] },
    });
    expect(
      (read('what will November cost?') as { request: { horizon?: number } }).request.horizon,
    ).toBeUndefined();
    expect(read('what will december cost')).toMatchObject({ request: { kind: 'forecast', horizon: 38 } });
    // A month already over is what it cost.
    expect(read('what did October cost?')).toMatchObject({
      request: {
        kind: 'drivers',
        window: { kind: 'custom', range: { start: '2026-10-01', end: '2026-10-31' } },
      },
    });
  });

  it('"anomalies in payments", "carbon this month", "yesterday", "by team", budgets, showback, digest', () => {
    expect(read('anomalies in payments')).toMatchObject({
      request: {
        kind: 'anomalies',
        by: 'total',
        days: 7,
        where: [{ dimension: 'team', values: ['payments'] }],
      },
      command: 'anomalies 7d where team=payments',
    });
    expect(read('carbon this month')).toMatchObject({ request: { kind: 'carbon', where: [] } });
    expect(read('why did spend jump yesterday')).toMatchObject({
      request: {
        kind: 'drivers',
        window: { kind: 'custom', range: { start: '2026-11-23', end: '2026-11-23' } },
        compare: { kind: 'custom', range: { start: '2026-11-16', end: '2026-11-16' } },
      },
    });
    expect(read('spend by team this month in eu-central-1')).toMatchObject({
      request: {
        kind: 'drivers',
        window: { kind: 'mtd' },
        by: 'team',
        where: [{ dimension: 'region', values: ['eu-central-1'] }],
      },
    });
    expect(read('how are our budgets?')).toMatchObject({ request: { kind: 'budgets' } });
    expect(read('show me the chargeback for search last month')).toMatchObject({
      request: {
        kind: 'showback',
        window: { kind: 'custom', range: { start: '2026-10-01', end: '2026-10-31' } },
        where: [{ dimension: 'team', values: ['search'] }],
      },
    });
    expect(read('weekly summary please')).toMatchObject({ request: { kind: 'digest' } });
    expect(read('storage costs over the past 14 days')).toMatchObject({
      request: {
        kind: 'drivers',
        window: { kind: 'days', days: 14 },
        where: [{ dimension: 'service', values: ['Amazon Simple Storage Service'] }],
      },
    });
  });

  it('what it cannot read is not guessed: the closest command instead', () => {
    expect(read('tell me a joke')).toEqual({ kind: 'unknown', closest: 'drivers 7d by service' });
    expect(read('hello')).toEqual({ kind: 'unknown', closest: 'drivers 7d by service' });
    // "may" the verb is no month.
    expect(read('may I see something')).toEqual({ kind: 'unknown', closest: 'drivers 7d by service' });
  });
});
