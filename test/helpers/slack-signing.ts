/** Slack request signing (v0): HMAC-SHA256 of `v0:<timestamp>:<body>` with the signing secret. */
import { createHmac } from 'node:crypto';

export function signedHeaders(
  secret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signature,
    'content-type': 'application/x-www-form-urlencoded',
  };
}

export function slashCommandBody(
  text: string,
  o: { channel?: string; user?: string; trigger?: string; responseUrl?: string } = {},
): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T1',
    team_domain: 'acme',
    channel_id: o.channel ?? 'C1',
    channel_name: 'finops',
    user_id: o.user ?? 'U1',
    user_name: 'ada',
    command: '/spend',
    text,
    api_app_id: 'A1',
    response_url: o.responseUrl ?? 'http://127.0.0.1:9/response',
    trigger_id: o.trigger ?? `trigger-${Math.random().toString(36).slice(2)}`,
  }).toString();
}

export function blockActionsBody(o: {
  value: string;
  messageTs: string;
  threadTs?: string;
  channel?: string;
  user?: string;
  /** `drill:0` (a contributor) or `run:0` (a digest's "more" button). */
  actionId?: string;
}): string {
  const payload = {
    type: 'block_actions',
    team: { id: 'T1', domain: 'acme' },
    user: { id: o.user ?? 'U1', username: 'ada', team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: o.messageTs,
      channel_id: o.channel ?? 'C1',
      is_ephemeral: false,
    },
    trigger_id: `trigger-${Math.random().toString(36).slice(2)}`,
    channel: { id: o.channel ?? 'C1', name: 'finops' },
    message: {
      type: 'message',
      ts: o.messageTs,
      ...(o.threadTs ? { thread_ts: o.threadTs } : {}),
      text: 'report',
    },
    response_url: 'http://127.0.0.1:9/response',
    actions: [
      {
        type: 'button',
        action_id: o.actionId ?? 'drill:0',
        block_id: 'b1',
        text: { type: 'plain_text', text: 'x' },
        value: o.value,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A signed `/spend <text>` POSTed to a running server's Slack endpoint, as Slack sends it. */
export function postSlashCommand(
  port: number,
  secret: string,
  text: string,
  o: Parameters<typeof slashCommandBody>[1] = {},
): Promise<Response> {
  const body = slashCommandBody(text, o);
  return fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: 'POST',
    headers: signedHeaders(secret, body),
    body,
  });
}
