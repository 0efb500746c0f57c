/**
 * A conversation's alert settings from chat, the same on Slack and Teams: `budget set|remove` and
 * `alerts on|off`. Each answers in one sentence saying what now holds.
 */
import { DEFAULT_THRESHOLDS } from '../analytics/alerts/budgets.js';
import { formatWhere, type Where } from '../analytics/scope.js';
import { displayKey, formatMoney } from '../reports/format.js';
import type { AlertChannel, AlertStore } from './alerts/store.js';
import type { ChatRequest } from './assistant.js';

export type SettingRequest = Extract<ChatRequest, { kind: 'budget-set' | 'budget-remove' | 'alerts' }>;

export const isSetting = (r: ChatRequest): r is SettingRequest =>
  r.kind === 'budget-set' || r.kind === 'budget-remove' || r.kind === 'alerts';

export async function applySetting(
  r: SettingRequest,
  target: AlertChannel,
  store: AlertStore,
  currency = 'USD',
  /** The channel's scope: a budget set here covers it. */
  scope?: Where,
): Promise<string> {
  if (r.kind === 'alerts') {
    const was = await store.setAlerts(target, r.on);
    return r.on
      ? `${was ? 'Alerts were already on' : 'Alerts are on'} here: after every sync, new spend anomalies (with their drivers) and budget thresholds crossed are posted, once each.`
      : was
        ? 'Alerts are off here.'
        : 'Alerts were not on here.';
  }
  if (r.kind === 'budget-remove') {
    const had = await store.removeBudget(target.channel, r.name);
    const names = (await store.budgets(target.channel)).map((b) => b.name);
    return had
      ? `Budget "${r.name}" removed.`
      : `There is no budget "${r.name}" here${names.length ? ` (there are: ${names.join(', ')})` : ''}.`;
  }
  const what =
    r.scope.dimension === 'total'
      ? 'total spend'
      : `${r.scope.dimension} ${displayKey(r.scope.key, r.scope.dimension)}`;
  const name = `${r.scope.dimension === 'total' ? 'Total' : r.scope.key} ${r.period === 'month' ? 'monthly' : 'quarterly'}`;
  await store.setBudget(target.channel, {
    name,
    scope: r.scope,
    ...(scope?.length ? { where: scope } : {}),
    amount: r.amount,
    period: r.period,
    thresholds: DEFAULT_THRESHOLDS,
  });
  const on = (await store.channels()).some((c) => c.channel === target.channel);
  return `Budget "${name}": ${formatMoney(r.amount, currency)} a ${r.period} for ${what}${scope?.length ? ` of ${formatWhere(scope)}` : ''}. Posted here when spend reaches ${percents(DEFAULT_THRESHOLDS.actual)}, or the forecast ${percents(DEFAULT_THRESHOLDS.forecast)}${on ? '' : ' (turn alerts on with "alerts on")'}.`;
}

const percents = (xs: readonly number[]): string => xs.map((x) => `${x} %`).join(' and ');
