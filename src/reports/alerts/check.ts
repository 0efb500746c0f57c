/**
 * What the alert poster posts after a sync: the last week's anomalies (total and by service), each
 * as an alert message with its chart and drivers, and the budget thresholds crossed. The same use
 * cases as `spendbrief anomalies` and `budgets`; only the messages are built here.
 */
import type { Budget, BudgetStatus, ThresholdState } from '../../analytics/alerts/budgets.js';
import { addDays, type DailySeries } from '../../analytics/alerts/series.js';
import { stepName } from '../../analytics/drivers/names.js';
import { andWhere, formatWhere, type Where } from '../../analytics/scope.js';
import type { Basis } from '../../analytics/types.js';
import { type ReportDeps, withSession } from '../deps.js';
import { loadDrivers } from '../drivers/data.js';
import { drillAction, NEXT_DIMENSION } from '../drivers/sections.js';
import { displayKey, formatMoney, formatSignedMoney } from '../format.js';
import type { Report, ReportAction } from '../report.js';
import { scopeLine } from '../scope.js';
import type { SourceSpec } from '../source.js';
import {
  ALERTS_SENSITIVITY,
  type AnomaliesData,
  anomalyChart,
  anomalySentence,
  type ExplainedAnomaly,
  loadAnomalies,
} from './anomalies.js';
import { budgetSentence, loadBudgets } from './budgets.js';

export interface AlertCheck {
  currency: string;
  /** The last day judged: an anomaly that does not reach it has ended. */
  lastJudgedDay: string;
  /** The last day a drop could be judged on (the latest day with data never raises one). */
  lastJudgedDownDay: string;
  anomalies: { anomaly: ExplainedAnomaly; scope: string; report: Report }[];
}

/** A budget past one of its thresholds, with the message that says so. */
export interface BudgetAlert {
  status: BudgetStatus;
  crossed: ThresholdState[];
  report: Report;
}

const SEVERITY_RANK = { low: 1, medium: 2, high: 3 } as const;

/** A budget's identity across channels: all of it, so two channels' same-named budgets differ. */
const budgetKey = (b: Budget): string =>
  JSON.stringify([
    b.name,
    b.scope.dimension,
    b.scope.key,
    b.amount,
    b.period,
    b.thresholds.actual,
    b.thresholds.forecast,
  ]);

/**
 * `service:Amazon EC2`, `total:total` (and `team=payments|total:total` in a scoped channel): an
 * anomaly's scope as the store keeps it, so a channel whose scope changed never mistakes the new
 * scope's total for the old one's.
 */
export const scopeKey = (a: { dimension: string; key: string }, where?: Where) =>
  `${where?.length ? `${formatWhere(where)}|` : ''}${a.dimension}:${a.key}`;

/** An alert says its scope in its first context line, as every report does. */
const scoped = (r: Report, where?: Where): Report => ({ ...r, scope: scopeLine(where) });

export function anomalyReport(
  a: ExplainedAnomaly,
  series: DailySeries,
  currency: string,
  source: string,
): Report {
  const scope = a.dimension === 'total' ? 'Total spend' : displayKey(a.key, a.dimension);
  // The total has no key to drill into: its button lists the week's anomalies by service.
  const next = a.dimension === 'total' ? undefined : NEXT_DIMENSION[a.dimension];
  const drill: ReportAction[] = next
    ? [
        drillAction({
          dim: a.dimension,
          key: a.key,
          next,
          window: `${a.day}..${a.day}`,
          compare: `${addDays(a.day, -7)}..${addDays(a.day, -7)}`,
          basis: 'actual',
        }),
      ]
    : [{ id: 'run', label: 'Anomalies this week', payload: { run: 'anomalies by service' } }];
  return {
    kind: 'alert',
    title: `${a.severity === 'high' ? 'Spend anomaly' : 'Unusual spend'}: ${scope}, ${a.direction} on ${a.day}`,
    period: `${a.day} · ${currency} · ${source}`,
    kpis: [
      { label: 'Actual', value: formatMoney(a.actual, currency), tone: a.impact > 0 ? 'bad' : 'good' },
      { label: 'Expected', value: formatMoney(a.expected, currency) },
      { label: 'Impact', value: formatSignedMoney(a.impact, currency), detail: a.severity },
    ],
    sections: [
      { id: 'what', title: '', blocks: [{ type: 'text', text: anomalySentence(a, currency) }] },
      {
        id: 'chart',
        title: 'In context',
        blocks: [
          {
            type: 'chart',
            chart: anomalyChart(a, series, currency, ALERTS_SENSITIVITY),
          },
        ],
      },
      ...(a.drivers
        ? [
            {
              id: 'drivers',
              title: 'Drivers (against the same weekday a week before)',
              blocks: [
                {
                  type: 'facts' as const,
                  facts: a.drivers.steps
                    .filter((s) => s.value !== 0 && s.name !== 'roundingResidual')
                    .map((s) => ({ label: stepName(s.name), value: formatSignedMoney(s.value, currency) })),
                },
              ],
            },
          ]
        : []),
      { id: 'more', title: '', blocks: [{ type: 'actions', actions: drill }] },
    ],
    footnotes: [
      'While it lasts, later days are replies in this thread; when it ends, one reply says so with the total impact.',
    ],
  };
}

/** A budget threshold crossed: the sentence and the drivers of the period so far against the same days before. */
function budgetReport(
  s: BudgetStatus,
  crossed: ThresholdState[],
  drivers: string[],
  currency: string,
  source: string,
): Report {
  return {
    kind: 'alert',
    title: `Budget ${s.status === 'over' ? 'exceeded' : 'at risk'}: ${s.budget.name}`,
    period: `${s.period.start}..${s.period.end} · ${currency} · ${source}`,
    kpis: [
      { label: 'Budget', value: formatMoney(s.budget.amount, currency), detail: s.budget.period },
      {
        label: 'Spent',
        value: formatMoney(s.actualToDate, currency),
        tone: s.status === 'over' ? 'bad' : 'warning',
      },
      ...(s.forecast
        ? [
            {
              label: 'Forecast',
              value: formatMoney(s.forecast.total, currency),
              detail: `80 %: ${formatMoney(s.forecast.lower80, currency)} to ${formatMoney(s.forecast.upper80, currency)}`,
            },
          ]
        : []),
    ],
    sections: [
      {
        id: 'what',
        title: '',
        blocks: [
          {
            type: 'text',
            tone: s.status === 'over' ? 'bad' : 'warning',
            text: `${budgetSentence(s, currency)} Crossed: ${crossed.map((t) => `${t.kind} ${t.percent} %`).join(', ')}.`,
          },
        ],
      },
      ...(drivers.length
        ? [
            {
              id: 'drivers',
              title: 'What drove the period so far (against the same days of the one before)',
              blocks: [{ type: 'context' as const, text: drivers.join(' · ') }],
            },
          ]
        : []),
    ],
    footnotes: [],
  };
}

export async function checkAlerts(
  deps: ReportDeps,
  o: {
    source: SourceSpec;
    now: string;
    basis: Basis;
    teamTag: string;
    budgetsOf: (channel: string) => Promise<Budget[]>;
    channels: string[];
    /** The scope these channels share: its anomalies and budgets only. */
    where?: Where;
  },
): Promise<{ check: AlertCheck; budgetsByChannel: Map<string, BudgetAlert[]> }> {
  return withSession(deps, o.source, { today: o.now, purpose: 'report' }, async (session) => {
    const sets: AnomaliesData[] = [];
    for (const by of ['total', 'service'] as const)
      sets.push(
        await loadAnomalies(session.warehouse, {
          by,
          days: 7,
          sensitivity: ALERTS_SENSITIVITY,
          basis: o.basis,
          teamTag: o.teamTag,
          where: o.where,
        }),
      );
    const currency = sets[0]!.series.currency;
    // Chat is interrupted only from SPENDBRIEF_ALERT_SEVERITY up; reports list every anomaly.
    const least = SEVERITY_RANK[deps.config.SPENDBRIEF_ALERT_SEVERITY];
    const anomalies = sets.flatMap((d) =>
      d.anomalies
        .filter((a) => SEVERITY_RANK[a.severity] >= least)
        .map((a) => ({
          anomaly: a,
          scope: scopeKey(a, o.where),
          report: scoped(
            anomalyReport(a, d.judged.find((s) => s.key === a.key)!, currency, session.label),
            o.where,
          ),
        })),
    );
    // Channels often share budgets (the budgets file): each distinct budget is judged once.
    const channelBudgets = new Map<string, Budget[]>();
    for (const channel of o.channels) channelBudgets.set(channel, await o.budgetsOf(channel));
    const distinct = new Map<string, Budget>();
    for (const list of channelBudgets.values()) for (const b of list) distinct.set(budgetKey(b), b);
    const judgedBudgets = new Map<string, BudgetAlert | null>();
    if (distinct.size) {
      const b = await loadBudgets(session.warehouse, {
        budgets: [...distinct.values()],
        basis: o.basis,
        teamTag: o.teamTag,
        where: o.where,
      });
      const keys = [...distinct.keys()];
      for (const [i, s] of b.statuses.entries()) {
        const crossed = s.thresholds.filter((t) => t.crossed);
        const drivers = crossed.length
          ? await periodDrivers(session.warehouse, s, b.lastActualDay, o, currency)
          : [];
        judgedBudgets.set(
          keys[i]!,
          crossed.length
            ? {
                status: s,
                crossed,
                report: scoped(budgetReport(s, crossed, drivers, currency, session.label), o.where),
              }
            : null,
        );
      }
    }
    const budgetsByChannel = new Map<string, BudgetAlert[]>();
    for (const [channel, list] of channelBudgets) {
      if (!list.length) continue;
      budgetsByChannel.set(
        channel,
        list.flatMap((b) => judgedBudgets.get(budgetKey(b)) ?? []),
      );
    }
    const last = sets[0]!.evaluated.to;
    const latest = sets[0]!.series.latestDataDay;
    return {
      check: {
        currency,
        lastJudgedDay: last,
        lastJudgedDownDay: latest >= last ? addDays(last, -1) : last,
        anomalies,
      },
      budgetsByChannel,
    };
  });
}

async function periodDrivers(
  w: Parameters<typeof loadDrivers>[0],
  s: BudgetStatus,
  last: string,
  o: { basis: Basis; teamTag: string; where?: Where },
  currency: string,
): Promise<string[]> {
  try {
    const r = await loadDrivers(w, {
      // The period to date in calendar days: `Nd` counts days with data, and a scope with quiet
      // days would reach back into the period before.
      window: { kind: 'custom', range: { start: s.period.start, end: last } },
      compare: { kind: 'previous_period' },
      basis: o.basis,
      by: 'service',
      minChange: 0,
      limit: 3,
      teamTag: o.teamTag,
      today: last,
      where: andWhere(
        andWhere(o.where ?? [], s.budget.where ?? []),
        s.budget.scope.dimension === 'total'
          ? []
          : [{ dimension: s.budget.scope.dimension, values: [s.budget.scope.key] }],
      ),
    });
    return r.rows.map(
      (row) => `${displayKey(row.key, 'service')} ${formatSignedMoney(row.deltaValue, currency)}`,
    );
  } catch {
    return [];
  }
}
