/**
 * A drill-down: one contributor of a report broken down by the next dimension
 * (service -> account -> region -> sku), with its own chart, its own daily trend and further
 * drill buttons.
 *
 *   1. the drivers result restricted to the contributor's lines and days, grouped by the next dimension
 *   2. variance sentence, contributors chart, table and buttons to drill further
 */
import type { DriversResult } from '../../analytics/drivers/types.js';
import type { CompareSpec, WindowSpec } from '../../analytics/periods/types.js';
import { likelyWindows, neededRange } from '../../analytics/periods/windows.js';
import { andWhere, formatWhere } from '../../analytics/scope.js';
import type { Basis, Dimension } from '../../analytics/types.js';
import { CodedError, ErrorCode } from '../../errors.js';
import { type ReportDeps, type ReportOutput, withSession } from '../deps.js';
import { displayKey } from '../format.js';
import type { Report } from '../report.js';
import { type Scoped, scopeJson, scopeLine } from '../scope.js';
import type { SourceSpec } from '../source.js';
import { loadDrivers } from './data.js';
import { driversFootnotes } from './drivers.js';
import { contributorsSection, periodLine, varianceKpis, varianceSection } from './sections.js';

export function buildDrilldownReport(
  r: DriversResult,
  opts: { dim: Dimension; key: string; source: string },
): Report {
  const name = displayKey(opts.key, opts.dim);
  return {
    kind: 'drilldown',
    title: `${name} by ${r.by}`,
    period: `${opts.dim} ${name} · ${periodLine(r, opts.source)}`,
    kpis: varianceKpis(r).filter((k) => k.label !== 'Confidence'),
    sections: [varianceSection(r), contributorsSection(r, { drill: 5, chart: true })],
    footnotes: driversFootnotes(r).slice(0, 1),
  };
}

export interface DrilldownRequest extends Scoped {
  source: SourceSpec;
  dim: Dimension;
  /** The value drilled into, or the hash a button carried for a long one. */
  key: string | { hash: string };
  next: Dimension;
  window: WindowSpec;
  compare: CompareSpec;
  basis: Basis;
  teamTag: string;
  today: string;
}

export async function runDrilldown(deps: ReportDeps, req: DrilldownRequest): Promise<ReportOutput> {
  return withSession(
    deps,
    req.source,
    {
      today: req.today,
      purpose: 'question',
      need: neededRange(req.window, req.compare, req.today),
      windowsAt: (latest) => likelyWindows(latest, req.today, req.window, req.compare),
    },
    async (s) => {
      const key =
        typeof req.key === 'string'
          ? req.key
          : await s.warehouse.resolveKey(req.dim, req.key.hash, req.teamTag, req.where);
      if (key === null)
        throw new CodedError(
          ErrorCode.NoData,
          `the ${req.dim} this button drills into is no longer in the data${req.where?.length ? ` of ${formatWhere(req.where)}` : ''}; run the report again`,
        );
      const r = await loadDrivers(s.warehouse, {
        window: req.window,
        compare: req.compare,
        basis: req.basis,
        by: req.next,
        minChange: 0,
        limit: 10,
        teamTag: req.teamTag,
        today: req.today,
        fxRates: deps.config.SPENDBRIEF_FX_RATES,
        where: andWhere(req.where ?? [], [{ dimension: req.dim, values: [key] }]),
        bound: req.bound,
      });
      const report = buildDrilldownReport(r, { dim: req.dim, key, source: s.label });
      report.scope = scopeLine(req.where);
      return { report, json: { ...r, scope: scopeJson(req.where) } };
    },
  );
}
