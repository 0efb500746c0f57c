/**
 * Where a Teams activity came from, and where a digest goes. A channel's subscription is keyed by
 * team and channel, not by the thread someone typed `subscribe` in (a channel conversation id
 * carries `;messageid=` of its thread); a chat is keyed by its conversation.
 */
import type { Activity } from '@microsoft/agents-activity';

export interface StoredReference {
  serviceUrl: string;
  tenantId: string | null;
  conversationType: string;
  /** The conversation without its thread (`;messageid=...` removed). */
  conversationId: string;
  teamId: string | null;
  /** Teams channel id (`19:...@thread.tacv2`) for channel conversations. */
  teamsChannelId: string | null;
  bot: { id: string; name?: string };
}

interface TeamsChannelData {
  team?: { id?: string };
  channel?: { id?: string };
  tenant?: { id?: string };
}

export const withoutThread = (conversationId: string): string => conversationId.replace(/;messageid=.*$/, '');

const channelData = (a: Activity): TeamsChannelData => (a.channelData ?? {}) as TeamsChannelData;

/** The team of a channel conversation (the access lists' key), else the chat's conversation id. */
export function teamOf(a: Activity): string {
  return channelData(a).team?.id ?? withoutThread(a.conversation?.id ?? '');
}

/** The subscription key: `teams:<team>:<channel>` for a channel, the conversation for a chat. */
export function subscriptionKey(a: Activity): string {
  const cd = channelData(a);
  const channel = cd.channel?.id;
  if (cd.team?.id && channel) return `teams:${cd.team.id}:${channel}`;
  return withoutThread(a.conversation?.id ?? '');
}

export function storedReference(a: Activity): StoredReference {
  const cd = channelData(a);
  const conversationId = withoutThread(a.conversation?.id ?? '');
  const type = a.conversation?.conversationType ?? (cd.channel?.id ? 'channel' : 'personal');
  return {
    serviceUrl: a.serviceUrl ?? '',
    tenantId: cd.tenant?.id ?? a.conversation?.tenantId ?? null,
    conversationType: type,
    conversationId,
    teamId: cd.team?.id ?? null,
    teamsChannelId: type === 'channel' ? (cd.channel?.id ?? conversationId) : null,
    bot: { id: a.recipient?.id ?? '', name: a.recipient?.name },
  };
}

/** Where a Teams conversation's scope is bound: its team, or the chat itself (a stored reference's). */
export function scopeKeyOf(reference: string | null, channel: string): string {
  if (!reference) return channel;
  const r = JSON.parse(reference) as StoredReference;
  return r.teamId ?? r.conversationId;
}
