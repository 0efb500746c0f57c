/**
 * The platform-neutral Report document. Every use case (drivers, digest, drill-down, model, carbon,
 * allocation) returns one; three renderers turn it into Block Kit (Slack), an Adaptive Card (Teams)
 * and terminal text. Text here is plain (no markup): each renderer escapes and styles it.
 */
import type { TopLevelSpec } from 'vega-lite';

export type Tone = 'good' | 'bad' | 'neutral' | 'warning';

export interface Kpi {
  label: string;
  /** Already formatted for people, e.g. "$12,345.67" or "+4.2 %". */
  value: string;
  /** Optional second line, e.g. "vs $11,200.00 previous". */
  detail?: string;
  tone?: Tone;
}

/** A chart in the report: its Vega-Lite spec; renderers get the PNG through `ChartImage`. */
export interface ChartRef {
  /** Stable within one report, safe as a file name: `waterfall`, `contributors`, `trend`... */
  id: string;
  title: string;
  /** What the chart says, for screen readers and Slack's alt_text. */
  altText: string;
  spec: TopLevelSpec;
}

export interface TableColumn {
  header: string;
  align?: 'left' | 'right';
}

/** What a drill-down button carries (kept small: Slack caps a button value at 2,000 chars). */
export interface ActionPayload {
  [key: string]: string | number | boolean | null;
}

export interface ReportAction {
  /** Identifies the handler: `drill` for drill-downs. */
  id: string;
  label: string;
  payload: ActionPayload;
  style?: 'primary' | 'danger';
}

export type ReportBlock =
  | { type: 'text'; text: string; tone?: Tone }
  | { type: 'facts'; facts: { label: string; value: string }[] }
  | {
      type: 'table';
      columns: TableColumn[];
      rows: string[][] /** rows left out, said as "+N more" */;
      omitted?: number;
    }
  | { type: 'chart'; chart: ChartRef }
  | { type: 'actions'; actions: ReportAction[] }
  | { type: 'context'; text: string };

export interface ReportSection {
  /** Stable id: `variance`, `drivers`, `contributors`, `unexplained`, `confidence`, `costModel`, `carbon`... */
  id: string;
  title: string;
  blocks: ReportBlock[];
}

export interface Report {
  kind:
    | 'drivers'
    | 'digest'
    | 'drilldown'
    | 'model'
    | 'carbon'
    | 'allocation'
    | 'anomalies'
    | 'forecast'
    | 'budgets'
    | 'showback'
    | 'dimensions'
    | 'alert'
    | 'help'
    | 'error';
  title: string;
  /** e.g. "2026-10-26..2026-11-24 vs 2026-09-26..2026-10-25 · actual cost · USD" */
  period: string;
  /** "Scope: team=payments" when the report reads a scope: said first, before the period. */
  scope?: string | null;
  kpis: Kpi[];
  sections: ReportSection[];
  footnotes: string[];
}

/** The report's first context line: its scope, if any, then its period. */
export const contextLine = (report: Report): string =>
  report.scope ? `${report.scope} · ${report.period}` : report.period;

/** All charts of a report in order of appearance. */
export function chartsOf(report: Report): ChartRef[] {
  return report.sections.flatMap((s) => s.blocks.flatMap((b) => (b.type === 'chart' ? [b.chart] : [])));
}
