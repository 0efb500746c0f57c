/**
 * The Assistant the chat surfaces call: a request -> the report use case -> its charts as PNG.
 * Each request gets its own warehouse connection, so concurrent commands never share data.
 */
import { renderPool } from '../charts/render-pool.js';
import { CodedError, ErrorCode } from '../errors.js';
import { buildDigestReport, DIGEST_WINDOW, type DigestExtras } from '../reports/digest.js';
import { buildDrilldownReport } from '../reports/drilldown.js';
import { buildDriversReport } from '../reports/drivers.js';
import { loadDrivers } from '../reports/drivers-data.js';
import { type SourceContext, withWarehouse } from '../reports/open-source.js';
import { chartsOf, type Report } from '../reports/report.js';
import type { SourceSpec } from '../reports/source.js';
import type { Assistant, RenderedReport, ReportRequest } from './assistant.js';
import { limitConcurrency } from './limit.js';

export interface ReportAssistantOptions {
  source: SourceSpec;
  sourceContext: Omit<SourceContext, 'today'>;
  teamTag: string;
  /** Extra use cases wired by the composition root when configured (cost model, carbon). */
  model?: (today: string) => Promise<Report>;
  carbon?: (today: string) => Promise<Report>;
  digestExtras?: (today: string) => Promise<DigestExtras>;
  /** Reports computed at once (default 2, this machine's cores). */
  concurrency?: number;
}

export async function renderCharts(report: Report): Promise<RenderedReport> {
  const charts = chartsOf(report);
  const pngs = await Promise.all(charts.map((c) => renderPool.render(c.spec)));
  return { report, images: new Map(charts.map((c, i) => [c.id, pngs[i]!])) };
}

export function createReportAssistant(o: ReportAssistantOptions): Assistant {
  const base = { minChange: 0, teamTag: o.teamTag };
  const limit = limitConcurrency(o.concurrency ?? 2);
  const run = async (
    request: ReportRequest,
    ctx: { channel: string; user: string; today: string },
  ): Promise<RenderedReport> => {
    const sourceCtx = { ...o.sourceContext, today: ctx.today };
    switch (request.kind) {
      case 'drivers': {
        const r = await withWarehouse(o.source, { ...sourceCtx, windows: request }, (w) =>
          loadDrivers(w, { ...base, ...request, limit: 10, today: ctx.today }),
        );
        return renderCharts(buildDriversReport(r, { source: o.source }));
      }
      case 'digest': {
        const r = await withWarehouse(o.source, { ...sourceCtx, windows: DIGEST_WINDOW }, (w) =>
          loadDrivers(w, { ...base, ...DIGEST_WINDOW, basis: 'actual', today: ctx.today }),
        );
        const extras = o.digestExtras ? await o.digestExtras(ctx.today) : {};
        return renderCharts(buildDigestReport(r, { source: o.source, extras }));
      }
      case 'drill': {
        const r = await withWarehouse(o.source, { ...sourceCtx, windows: request }, (w) =>
          loadDrivers(w, {
            ...base,
            window: request.window,
            compare: request.compare,
            basis: request.basis,
            by: request.next,
            limit: 10,
            today: ctx.today,
            filter: [{ dimension: request.dim, value: request.key }],
          }),
        );
        return renderCharts(
          buildDrilldownReport(r, { dim: request.dim, key: request.key, source: o.source }),
        );
      }
      case 'model':
      case 'carbon': {
        const make = request.kind === 'model' ? o.model : o.carbon;
        if (!make) {
          throw new CodedError(
            ErrorCode.Config,
            request.kind === 'model'
              ? 'the cost model needs business metrics: set PROMETHEUS_URL (or SPENDBRIEF_METRICS_CSV) where spendbrief runs'
              : 'the carbon report needs the EC2 inventory: set SPENDBRIEF_INSTANCES (a JSON file) or AWS credentials where spendbrief runs',
          );
        }
        return renderCharts(await make(ctx.today));
      }
    }
  };
  return { run: (request, ctx) => limit(() => run(request, ctx)) };
}
