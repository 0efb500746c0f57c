/**
 * The Assistant the chat surfaces call: a request -> the report's use case (the same function the
 * CLI calls) -> its charts as PNG. Each request opens its own warehouse session (its own
 * connection), so concurrent commands never share state.
 */

import pLimit from 'p-limit';
import type { Budget } from '../analytics/alerts/budgets.js';
import { renderPool } from '../charts/render-pool.js';
import { CodedError, ErrorCode } from '../errors.js';
import { ALERTS_SENSITIVITY, runAnomalies } from '../reports/alerts/anomalies.js';
import { runBudgets } from '../reports/alerts/budgets.js';
import { configuredBudgets } from '../reports/alerts/budgets-file.js';
import { runForecast } from '../reports/alerts/forecast.js';
import { runCarbon } from '../reports/carbon/carbon.js';
import { configuredInstances } from '../reports/carbon/instances.js';
import type { ReportDeps } from '../reports/deps.js';
import { runDigest } from '../reports/digest.js';
import { runDrilldown } from '../reports/drivers/drilldown.js';
import { runDrivers } from '../reports/drivers/drivers.js';
import { runModel } from '../reports/model/data.js';
import { configuredMetrics } from '../reports/model/metrics-source.js';
import { chartsOf, type Report } from '../reports/report.js';
import type { SourceSpec } from '../reports/source.js';
import type { Assistant, RenderedReport, ReportRequest } from './assistant.js';

export interface ReportAssistantOptions {
  source: SourceSpec;
  deps: ReportDeps;
  /** A conversation's budgets (set in chat), beside SPENDBRIEF_BUDGETS. */
  budgetsOf?: (channel: string) => Promise<Budget[]>;
  /** Reports computed at once (default 2, this machine's cores). */
  concurrency?: number;
}

export async function renderCharts(report: Report): Promise<RenderedReport> {
  const charts = chartsOf(report);
  const pngs = await Promise.all(charts.map((c) => renderPool.render(c.spec)));
  return { report, images: new Map(charts.map((c, i) => [c.id, pngs[i]!])) };
}

export function createReportAssistant(o: ReportAssistantOptions): Assistant {
  const { deps, source } = o;
  const teamTag = deps.config.SPENDBRIEF_TEAM_TAG;
  // At most two reports compute at once: fifty commands together must not delay the next ack.
  const limit = pLimit(o.concurrency ?? 2);
  const budgetsOf = async (channel: string): Promise<Budget[]> => [
    ...(await configuredBudgets(deps.config)),
    ...((await o.budgetsOf?.(channel)) ?? []),
  ];
  const run = async (request: ReportRequest, today: string, channel: string): Promise<Report> => {
    switch (request.kind) {
      case 'anomalies':
        return (
          await runAnomalies(deps, {
            source,
            now: today,
            by: request.by,
            days: request.days,
            // What the alerts post, the command lists.
            sensitivity: ALERTS_SENSITIVITY,
            basis: 'actual',
            teamTag,
          })
        ).report;
      case 'forecast':
        return (
          await runForecast(deps, {
            source,
            now: today,
            by: request.by,
            horizon: 'month-end',
            basis: 'actual',
            teamTag,
          })
        ).report;
      case 'budgets':
        return (
          await runBudgets(deps, {
            source,
            now: today,
            budgets: await budgetsOf(channel),
            basis: 'actual',
            teamTag,
          })
        ).report;
      case 'drivers':
        return (await runDrivers(deps, { ...request, source, minChange: 0, limit: 10, teamTag, today }))
          .report;
      case 'digest':
        return (
          await runDigest(deps, {
            source,
            today,
            basis: 'actual',
            teamTag,
            budgets: (await o.budgetsOf?.(channel)) ?? [],
          })
        ).report;
      case 'drill':
        return (await runDrilldown(deps, { ...request, source, teamTag, today })).report;
      case 'model': {
        const metrics = configuredMetrics(deps.config, source);
        if (!metrics)
          throw new CodedError(
            ErrorCode.Config,
            'the cost model needs business metrics: set PROMETHEUS_URL (or SPENDBRIEF_METRICS_CSV) where spendbrief runs',
          );
        return (
          await runModel(deps, {
            costs: source,
            metrics,
            outliers: 'auto',
            excludeDates: [],
            basis: 'amortized',
            excludeServices: deps.config.SPENDBRIEF_CE_EXCLUDE_SERVICES,
            teamTag,
            today,
          })
        ).report;
      }
      case 'carbon': {
        const instances = configuredInstances(deps.config, source);
        if (!instances)
          throw new CodedError(
            ErrorCode.Config,
            'the carbon report needs the EC2 inventory: set SPENDBRIEF_INSTANCES (ec2 or a JSON file) where spendbrief runs',
          );
        return (await runCarbon(deps, { source, instances, today, basis: 'amortized', days: 30, teamTag }))
          .report;
      }
    }
  };
  return {
    run: (request, ctx) => limit(async () => renderCharts(await run(request, ctx.today, ctx.channel))),
  };
}
