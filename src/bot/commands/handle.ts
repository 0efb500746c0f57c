/**
 * A parsed chat command, the same on Slack and Teams: who may do it, and what is answered at once.
 *
 *   access     a channel off the allow-list (and without a scope) gets a polite no; under
 *              SPENDBRIEF_DEFAULT_SCOPE=none a channel without a scope too
 *   scope      anyone here may see it; only managers set or remove it, and only a manager
 *              channel may name another channel
 *   settings   subscribe, unsubscribe, budget set/remove, alerts on/off: managers only; a budget
 *              set in a scoped channel is that scope's budget
 *   reports    everything else: computed afterwards by the assistant, inside the channel's scope
 * The surfaces only send the answer (Slack: the ack; Teams: a reply) or start the report.
 */
import { confine, formatWhere } from '../../analytics/scope.js';
import { describeError } from '../../errors.js';
import { type Access, MANAGE_REFUSAL, REFUSAL } from '../access.js';
import type { AlertStore } from '../alerts/store.js';
import type { ChatRequest, ReportRequest } from '../assistant.js';
import type { Platform, Subscription } from '../scheduler/store.js';
import { NO_SCOPE_REFUSAL } from '../scopes/policy.js';
import type { ScopeStore } from '../scopes/store.js';
import { applySetting, isSetting } from '../settings.js';

/** Subscribing and unsubscribing a channel to the weekly digest (the scheduler's). */
export interface Subscriptions {
  subscribe(s: Subscription): Promise<void>;
  unsubscribe(channel: string): Promise<boolean>;
}

export interface CommandDeps {
  access: Access;
  scopes: ScopeStore;
  defaultScope: 'all' | 'none';
  subscriptions: Subscriptions;
  alerts: AlertStore;
  now: () => Date;
  log: (line: string) => void;
}

export interface CommandContext {
  platform: Platform;
  /** The conversation's key (Slack channel id; Teams team+channel or chat): subscriptions, budgets. */
  channel: string;
  /** Where the scope is bound (Slack: the channel; Teams: the team, or the chat). */
  scopeKey: string;
  /** The asker (Slack user id, Teams AAD object id). */
  user: string;
  /** Teams: the conversation reference for proactive posts; Slack: null. */
  reference: string | null;
}

export type Outcome =
  | { kind: 'reply'; text: string; public: boolean; refused?: true }
  | { kind: 'report'; request: ReportRequest };

const WEEKDAY_NAMES = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

const reply = (text: string, isPublic = false): Outcome => ({ kind: 'reply', text, public: isPublic });
const refuse = (text: string): Outcome => ({ kind: 'reply', text, public: false, refused: true });

/** Whether a conversation may ask at all: on the allow-list, or bound to a scope by a manager. */
export async function mayAskHere(
  ctx: Pick<CommandContext, 'platform' | 'scopeKey'>,
  deps: Pick<CommandDeps, 'access' | 'scopes'>,
): Promise<boolean> {
  return deps.access.mayAsk(ctx.platform, ctx.scopeKey) || (await deps.scopes.get(ctx.scopeKey)) !== null;
}

export async function handleCommand(
  request: Exclude<ChatRequest, { kind: 'help' }>,
  ctx: CommandContext,
  deps: CommandDeps,
): Promise<Outcome> {
  const scope = await deps.scopes.get(ctx.scopeKey);
  // A cost report is sensitive: a channel off the allow-list gets a polite no, and nothing runs.
  if (!scope && !deps.access.mayAsk(ctx.platform, ctx.scopeKey)) {
    deps.log(`${ctx.platform}: refused ${request.kind} in ${ctx.scopeKey} (not on the allow-list)`);
    return refuse(REFUSAL);
  }
  const manager = deps.access.mayManage(ctx.platform, ctx.scopeKey, ctx.user);
  if (request.kind === 'scope') return scopeCommand(request, ctx, deps, manager);
  // Under SPENDBRIEF_DEFAULT_SCOPE=none a channel without a scope sees nothing, a manager channel aside.
  if (!scope && deps.defaultScope === 'none' && !deps.access.isManagerChannel(ctx.platform, ctx.scopeKey))
    return refuse(NO_SCOPE_REFUSAL);
  if (request.kind === 'subscribe' || request.kind === 'unsubscribe' || isSetting(request)) {
    if (!manager) return refuse(MANAGE_REFUSAL);
    try {
      if (request.kind === 'subscribe') {
        await deps.subscriptions.subscribe({
          channel: ctx.channel,
          platform: ctx.platform,
          weekday: request.weekday,
          time: request.time,
          zone: request.zone,
          reference: ctx.reference,
        });
        const where = ctx.reference
          ? (JSON.parse(ctx.reference) as { conversationType?: string }).conversationType === 'channel'
            ? 'channel'
            : 'chat'
          : 'channel';
        return reply(
          `This ${where} gets the weekly spend digest${scope ? ` of ${formatWhere(scope.where)}` : ''} every ${WEEKDAY_NAMES[request.weekday]} at ${request.time} (${request.zone})${ctx.platform === 'teams' ? ', as a new post' : ''}.`,
          true,
        );
      }
      if (request.kind === 'unsubscribe') {
        const had = await deps.subscriptions.unsubscribe(ctx.channel);
        return reply(had ? 'The weekly digest is off here.' : 'There was no weekly digest here.');
      }
      const target = { channel: ctx.channel, platform: ctx.platform, reference: ctx.reference };
      return reply(await applySetting(request, target, deps.alerts, 'USD', scope?.where), true);
    } catch (e) {
      return reply(`Sorry, that did not work: ${describeError(e)}`);
    }
  }
  // A where outside the scope is refused now, in the answer, before anything is computed.
  if (scope && 'where' in request && request.where.length) {
    try {
      confine(scope.where, request.where);
    } catch (e) {
      return refuse(`Sorry: ${describeError(e)}.`);
    }
  }
  return { kind: 'report', request };
}

async function scopeCommand(
  request: Extract<ChatRequest, { kind: 'scope' }>,
  ctx: CommandContext,
  deps: CommandDeps,
  manager: boolean,
): Promise<Outcome> {
  if (request.action === 'show') {
    const s = await deps.scopes.get(ctx.scopeKey);
    return reply(
      s
        ? `This ${ctx.platform === 'slack' ? 'channel' : 'team'} sees ${formatWhere(s.where)} only (set by ${ctx.platform === 'slack' ? `<@${s.setBy}>` : s.setBy} on ${s.setAt.slice(0, 10)}).`
        : deps.defaultScope === 'none'
          ? NO_SCOPE_REFUSAL
          : 'This channel has no scope: it sees all spend. A manager can bind one with /spend scope team=<team>.',
    );
  }
  const target = request.target ?? ctx.scopeKey;
  if (!manager || (request.target && !deps.access.isManagerChannel(ctx.platform, ctx.scopeKey))) {
    deps.log(`${ctx.platform}: refused scope ${request.action} for ${target} by ${ctx.user} (not a manager)`);
    return refuse(
      request.target && manager
        ? 'Sorry, only a channel on the managers list may set another channel’s scope; type it in that channel instead.'
        : MANAGE_REFUSAL,
    );
  }
  const where = target === ctx.scopeKey ? 'This channel' : `<#${target}>`;
  if (request.action === 'off') {
    const had = await deps.scopes.remove(target);
    deps.log(`${ctx.platform}: scope of ${target} removed by ${ctx.user}`);
    return reply(
      had
        ? `${where} has no scope any more: it sees ${deps.defaultScope === 'none' ? 'nothing (SPENDBRIEF_DEFAULT_SCOPE=none)' : 'all spend'}.`
        : `${where} had no scope.`,
      true,
    );
  }
  await deps.scopes.set(
    { channel: target, platform: ctx.platform, where: request.where, setBy: ctx.user },
    deps.now(),
  );
  deps.log(`${ctx.platform}: scope of ${target} set to ${formatWhere(request.where)} by ${ctx.user}`);
  return reply(
    `${where} now sees ${formatWhere(request.where)} only: every report, button, digest, alert and budget here is confined to it.`,
    true,
  );
}
