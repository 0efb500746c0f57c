/**
 * Who may ask (a cost report is sensitive) and who may subscribe a channel to the weekly digest.
 * Slack by channel id, Teams by team id (or a chat's conversation id). An empty list lets everyone
 * the app is installed for ask; an empty managers list leaves subscribing to whoever may ask.
 */
import type { Config } from '../config.js';

export type Platform = 'slack' | 'teams';

export interface Access {
  mayAsk(platform: Platform, where: string): boolean;
  /**
   * A manager: the channel (team, chat) is on the managers list, or the user is (Slack user ids
   * `U…`/`W…`, Teams AAD object ids). An empty list leaves managing to whoever may ask.
   */
  mayManage(platform: Platform, where: string, user?: string): boolean;
  /** A manager channel: one that may set another channel's scope. */
  isManagerChannel(platform: Platform, where: string): boolean;
  /** What start-up says about the lists (an open app is worth a line in the log). */
  describe(): string[];
}

export function createAccess(config: Config): Access {
  const lists = {
    slack: { ask: config.SPENDBRIEF_SLACK_CHANNELS, manage: config.SPENDBRIEF_SLACK_MANAGERS },
    teams: { ask: config.SPENDBRIEF_TEAMS_TEAMS, manage: config.SPENDBRIEF_TEAMS_MANAGERS },
  };
  const mayAsk = (p: Platform, where: string) => {
    const l = lists[p];
    return l.ask.length === 0 || l.ask.includes(where) || l.manage.includes(where);
  };
  return {
    mayAsk,
    mayManage: (p, where, user) =>
      lists[p].manage.length === 0
        ? mayAsk(p, where)
        : lists[p].manage.includes(where) || (!!user && lists[p].manage.includes(user)),
    isManagerChannel: (p, where) => lists[p].manage.includes(where),
    describe: () =>
      (['slack', 'teams'] as const).map((p) =>
        lists[p].ask.length === 0
          ? `${p}: every ${p === 'slack' ? 'channel' : 'team'} the app is in may ask (set ${p === 'slack' ? 'SPENDBRIEF_SLACK_CHANNELS' : 'SPENDBRIEF_TEAMS_TEAMS'} to restrict it)`
          : `${p}: ${lists[p].ask.length + lists[p].manage.length} allowed`,
      ),
  };
}

export const REFUSAL =
  'Sorry, cost reports are not enabled here. Ask whoever runs spendbrief to add this channel to its allow-list.';
export const MANAGE_REFUSAL =
  'Sorry, only spendbrief’s managers (the channels and people on its managers list) can change subscriptions, budgets, alerts and scopes here.';
