/**
 * The port between chat surfaces and the use cases: a parsed command in, a Report with its rendered
 * chart PNGs out. Slack and Teams listeners only ever talk to this.
 */
import type { CompareSpec, WindowSpec } from '../analytics/periods/types.js';
import type { Where } from '../analytics/scope.js';
import type { ShowbackDimension } from '../analytics/showback/split.js';
import type { Basis, Dimension } from '../analytics/types.js';
import type { Report } from '../reports/report.js';

export interface RenderedReport {
  report: Report;
  /** PNG bytes per chart id (`ChartRef.id`). */
  images: Map<string, Buffer>;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** The where list a request names (empty: everything its channel may see). */
interface Narrowed {
  where: Where;
}

export type ChatRequest =
  | ({ kind: 'drivers'; window: WindowSpec; compare: CompareSpec; by: Dimension; basis: Basis } & Narrowed)
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
  | ({ kind: 'digest' } & Narrowed)
  | ({ kind: 'model' } & Narrowed)
  | ({ kind: 'carbon' } & Narrowed)
  | ({ kind: 'anomalies'; by: 'total' | Dimension; days: number } & Narrowed)
  | ({
      kind: 'forecast';
      by: 'total' | Dimension /** Days; default to the month's end. */;
      horizon?: number;
    } & Narrowed)
  | ({ kind: 'showback'; window: WindowSpec; by: ShowbackDimension } & Narrowed)
  | { kind: 'budgets' }
  | {
      kind: 'budget-set';
      amount: number;
      period: 'month' | 'quarter';
      scope: { dimension: 'total' | Dimension; key: string };
    }
  | { kind: 'budget-remove'; name: string }
  | { kind: 'alerts'; on: boolean }
  /** A channel's scope: shown, set (here, or in `target` from a manager channel) or removed. */
  | { kind: 'scope'; action: 'show' }
  | { kind: 'scope'; action: 'set'; where: Where; target?: string }
  | { kind: 'scope'; action: 'off'; target?: string }
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
  'showback',
] as const;

export type ReportRequest = Extract<ChatRequest, { kind: (typeof REPORT_KINDS)[number] }>;

export interface Assistant {
  /**
   * `channel`: the conversation key the request came from (its budgets join the digest and `/spend
   * budget list`); `scopeKey`: where its scope is bound (a Teams team; default the channel).
   */
  run(
    request: ReportRequest,
    ctx: { channel: string; user: string; today: string; scopeKey?: string },
  ): Promise<RenderedReport>;
  /** The values a question may name (services, teams, accounts, regions), inside the channel's scope. */
  vocabulary(ctx: { channel: string; user: string; today: string; scopeKey?: string }): Promise<Vocabulary>;
}

export const isReportRequest = (r: ChatRequest): r is ReportRequest =>
  (REPORT_KINDS as readonly string[]).includes(r.kind);

/** The values of the data a question may name, per dimension (most spend first). */
export type Vocabulary = Partial<Record<'service' | 'team' | 'account' | 'region', string[]>>;
