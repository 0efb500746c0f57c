/**
 * The port between chat surfaces and the use cases: a parsed command in, a Report with its rendered
 * chart PNGs out. Slack and Teams listeners only ever talk to this.
 */
import type { CompareSpec, WindowSpec } from '../analytics/periods/types.js';
import type { Basis, Dimension } from '../analytics/types.js';
import type { Report } from '../reports/report.js';

export interface RenderedReport {
  report: Report;
  /** PNG bytes per chart id (`ChartRef.id`). */
  images: Map<string, Buffer>;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export type ChatRequest =
  | { kind: 'drivers'; window: WindowSpec; compare: CompareSpec; by: Dimension; basis: Basis }
  | {
      kind: 'drill';
      dim: Dimension;
      /** The contributor's value, or the hash of a long one (resolved against the data). */
      key: string | { hash: string };
      next: Dimension;
      window: WindowSpec;
      compare: CompareSpec;
      basis: Basis;
    }
  | { kind: 'digest' }
  | { kind: 'model' }
  | { kind: 'carbon' }
  | { kind: 'anomalies'; by: 'total' | Dimension; days: number }
  | { kind: 'forecast'; by: 'total' | Dimension }
  | { kind: 'budgets' }
  | {
      kind: 'budget-set';
      amount: number;
      period: 'month' | 'quarter';
      scope: { dimension: 'total' | Dimension; key: string };
    }
  | { kind: 'budget-remove'; name: string }
  | { kind: 'alerts'; on: boolean }
  | { kind: 'subscribe'; weekday: Weekday; time: string; zone: string }
  | { kind: 'unsubscribe' }
  | { kind: 'help' };

/** The kinds of request that produce a report (the others are handled by the surface itself). */
export const REPORT_KINDS = [
  'drivers',
  'drill',
  'digest',
  'model',
  'carbon',
  'anomalies',
  'forecast',
  'budgets',
] as const;

export type ReportRequest = Extract<ChatRequest, { kind: (typeof REPORT_KINDS)[number] }>;

export interface Assistant {
  /** `channel`: the conversation key the request came from (its budgets join the digest and `/spend budget list`). */
  run(request: ReportRequest, ctx: { channel: string; user: string; today: string }): Promise<RenderedReport>;
}

export const isReportRequest = (r: ChatRequest): r is ReportRequest =>
  (REPORT_KINDS as readonly string[]).includes(r.kind);
