/**
 * What a channel may see: its own scope, else SPENDBRIEF_DEFAULT_SCOPE (`all`: everything, `none`:
 * nothing until a manager binds a scope). Every request is confined to it before any query runs.
 */
import type { Budget } from '../../analytics/alerts/budgets.js';
import { formatWhere, type Where } from '../../analytics/scope.js';
import { CodedError, ErrorCode } from '../../errors.js';
import type { ScopeStore } from './store.js';

export interface ScopePolicy {
  /** The channel's scope (null: everything); refuses under SPENDBRIEF_DEFAULT_SCOPE=none. */
  of(channel: string): Promise<Where | null>;
}

export const NO_SCOPE_REFUSAL =
  'This channel has no scope yet, and spendbrief is set to show nothing without one (SPENDBRIEF_DEFAULT_SCOPE=none): a manager can bind one with /spend scope team=<your team>.';

export function createScopePolicy(
  store: ScopeStore,
  defaultScope: 'all' | 'none',
  /** Channels that see everything without a scope under `none` (the managers' own). */
  exempt: (channel: string) => boolean = () => false,
): ScopePolicy {
  return {
    async of(channel) {
      const s = await store.get(channel);
      if (s) return s.where;
      if (defaultScope === 'none' && !exempt(channel))
        throw new CodedError(ErrorCode.Forbidden, NO_SCOPE_REFUSAL);
      return null;
    },
  };
}

/**
 * The budgets a channel sees: all of them without a scope; in a scoped channel only those whose
 * own where lies inside the scope (a company-wide budget of the budgets file would show the
 * company's spend there).
 */
export function budgetsInScope(budgets: Budget[], scope: Where | null): Budget[] {
  if (!scope) return budgets;
  return budgets.filter((b) =>
    scope.every((s) => {
      const c = b.where?.find((x) => x.dimension === s.dimension);
      return c !== undefined && c.values.length > 0 && c.values.every((v) => s.values.includes(v));
    }),
  );
}

/** "team=payments", or what a channel without a scope sees. */
export const describeScope = (scope: Where | null): string =>
  scope ? formatWhere(scope) : 'everything (no scope)';
