/**
 * The Assistant the chat surfaces call: a request -> the report's use case (the same function the
 * CLI calls) -> its charts as PNG. Each request opens its own warehouse session (its own
 * connection), so concurrent commands never share state.
 *
 * A channel's scope is applied here, once, before any use case runs: the request's where list is
 * confined to it (a value outside it is refused, naming the scope), a drill-down's key must lie
 * inside it, and every report reads `scope AND request`. Nothing below sees a channel.
 */

import pLimit from 'p-limit';
import type { Budget } from '../analytics/alerts/budgets.js';
import { confine, formatWhere, type Where } from '../analytics/scope.js';
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
import { runDimensions } from '../reports/dimensions.js';
import { runDrilldown } from '../reports/drivers/drilldown.js';
import { runDrivers } from '../reports/drivers/drivers.js';
import { runModel } from '../reports/model/data.js';
import { configuredMetrics } from '../reports/model/metrics-source.js';
import { chartsOf, type Report } from '../reports/report.js';
import { runShowback, showbackRules } from '../reports/showback/showback.js';
import type { SourceSpec } from '../reports/source.js';
import type { Assistant, RenderedReport, ReportRequest, Vocabulary } from './assistant.js';
import { budgetsInScope, type ScopePolicy } from './scopes/policy.js';

export interface ReportAssistantOptions {
  source: SourceSpec;
  deps: ReportDeps;
  /** A conversation's budgets (set in chat), beside SPENDBRIEF_BUDGETS. */
  budgetsOf?: (channel: string) => Promise<Budget[]>;
  /** Each channel's scope (none: every channel sees everything). */
  scopes?: ScopePolicy;
  /** Reports computed at once (default 2, this machine's cores). */
  concurrency?: number;
}

export async function renderCharts(report: Report): Promise<RenderedReport> {
  const charts = chartsOf(report);
  const pngs = await Promise.all(charts.map((c) => renderPool.render(c.spec)));
  return { report, images: new Map(charts.map((c, i) => [c.id, pngs[i]!])) };
}

/** What a drill-down button may open in a scoped channel: a key inside the scope. */
function confineDrill(scope: Where | null, request: Extract<ReportRequest, { kind: 'drill' }>): void {
  if (!scope || typeof request.key !== 'string') return;
  confine(scope, [{ dimension: request.dim, values: [request.key] }], 'this button');
}

export function createReportAssistant(o: ReportAssistantOptions): Assistant {
  const { deps, source } = o;
  const teamTag = deps.config.SPENDBRIEF_TEAM_TAG;
  // At most two reports compute at once: fifty commands together must not delay the next ack.
  const limit = pLimit(o.concurrency ?? 2);
  const budgetsOf = async (channel: string, scope: Where | null): Promise<Budget[]> =>
    budgetsInScope(
      [...(await configuredBudgets(deps.config)), ...((await o.budgetsOf?.(channel)) ?? [])],
      scope,
    );
  const run = async (
    request: ReportRequest,
    today: string,
    channel: string,
    scopeKey: string,
  ): Promise<Report> => {
    const scope = (await o.scopes?.of(scopeKey)) ?? null;
    // The lines this request reads: the channel's scope AND what it asked (refused if it leaves it).
    const narrowed = (where: Where) => ({ where: confine(scope, where), ...(scope ? { bound: scope } : {}) });
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
            ...narrowed(request.where),
          })
        ).report;
      case 'forecast':
        return (
          await runForecast(deps, {
            source,
            now: today,
            by: request.by,
            horizon: request.horizon ?? 'month-end',
            basis: 'actual',
            teamTag,
            ...narrowed(request.where),
          })
        ).report;
      case 'budgets':
        return (
          await runBudgets(deps, {
            source,
            now: today,
            budgets: await budgetsOf(channel, scope),
            basis: 'actual',
            teamTag,
            ...narrowed([]),
          })
        ).report;
      case 'drivers':
        return (
          await runDrivers(deps, {
            ...request,
            source,
            minChange: 0,
            limit: 10,
            teamTag,
            today,
            ...narrowed(request.where),
          })
        ).report;
      case 'digest':
        return (
          await runDigest(deps, {
            source,
            today,
            basis: 'actual',
            teamTag,
            budgets: budgetsInScope((await o.budgetsOf?.(channel)) ?? [], scope),
            showbackRules: deps.config.SPENDBRIEF_SHOWBACK_RULES,
            ...narrowed(request.where),
          })
        ).report;
      case 'drill': {
        confineDrill(scope, request);
        try {
          return (await runDrilldown(deps, { ...request, source, teamTag, today, ...narrowed([]) })).report;
        } catch (e) {
          // A hashed key that is not inside the scope is another owner's: said as such.
          if (scope && typeof request.key !== 'string' && (e as CodedError).code === ErrorCode.NoData)
            throw new CodedError(
              ErrorCode.Forbidden,
              `this button opens a ${request.dim} outside this channel's scope (${formatWhere(scope)})`,
            );
          throw e;
        }
      }
      case 'showback': {
        const { rules, by } = await showbackRules(deps.config.SPENDBRIEF_SHOWBACK_RULES);
        return (
          await runShowback(deps, {
            source,
            window: request.window,
            by: request.by ?? by ?? 'team',
            rules,
            basis: 'actual',
            teamTag,
            today,
            ...narrowed(request.where),
          })
        ).report;
      }
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
            ...narrowed(request.where),
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
        return (
          await runCarbon(deps, {
            source,
            instances,
            today,
            basis: 'amortized',
            days: 30,
            teamTag,
            ...narrowed(request.where),
          })
        ).report;
      }
    }
  };
  return {
    run: (request, ctx) =>
      limit(async () =>
        renderCharts(await run(request, ctx.today, ctx.channel, ctx.scopeKey ?? ctx.channel)),
      ),
    vocabulary: (ctx) =>
      limit(async () => {
        const scope = (await o.scopes?.of(ctx.scopeKey ?? ctx.channel)) ?? null;
        const out: Vocabulary = {};
        for (const dimension of ['service', 'team', 'account', 'region'] as const) {
          const r = await runDimensions(deps, {
            source,
            dimension,
            window: { kind: 'days', days: 90 },
            basis: 'actual',
            teamTag,
            today: ctx.today,
            limit: 500,
            where: scope ?? [],
          }).catch(() => null);
          out[dimension] = ((r?.json as { values?: { value: string }[] } | undefined)?.values ?? [])
            .map((v) => v.value)
            .filter(Boolean);
        }
        return out;
      }),
  };
}
