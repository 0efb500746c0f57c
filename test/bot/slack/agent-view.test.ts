/**
 * Slack's agent view over HTTP: signed Events API callbacks (app_home_opened on the Messages tab, a
 * direct message in plain words) to the real server's /slack/events, the real report assistant on
 * demo data, a fake Slack Web API.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, serve } from '../../../src/bot/server.js';
import { loadConfig } from '../../../src/config.js';
import { FakeSlack } from '../../helpers/fake-slack.js';

const SECRET = 'agent-view-secret';
let slack: FakeSlack;
let app: Running;

beforeAll(async () => {
  slack = await new FakeSlack().start();
  app = await serve({
    config: loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-agent',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: `${slack.url}/api/`,
      PORT: '0',
      SPENDBRIEF_DB: join(mkdtempSync(join(tmpdir(), 'spendbrief-agent-')), 'state.duckdb'),
    }),
    source: { kind: 'demo' },
    now: () => new Date('2026-11-24T10:00:00Z'),
    useTimers: false,
    log: () => {},
  });
  await app.firstSync;
});
afterAll(async () => {
  await app?.close();
  await slack?.stop();
});

/** An Events API callback, signed as Slack signs it (JSON body). */
async function event(e: Record<string, unknown>): Promise<Response> {
  const body = JSON.stringify({
    token: 'x',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: `Ev${Math.random().toString(36).slice(2)}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    event: e,
  });
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return fetch(`http://127.0.0.1:${app.port}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': sig,
    },
    body,
  });
}

const dm = (text: string) =>
  event({
    type: 'message',
    channel: 'D024BE91L',
    user: 'U1',
    text,
    ts: `${Date.now() / 1000}`,
    channel_type: 'im',
  });

describe('the agent view', () => {
  it('the Messages tab opened: four suggested prompts for the conversation (no thread)', async () => {
    expect(
      (
        await event({
          type: 'app_home_opened',
          user: 'U1',
          channel: 'D024BE91L',
          tab: 'messages',
          event_ts: '1.0',
        })
      ).status,
    ).toBe(200);
    const [call] = await slack.waitFor('assistant.threads.setSuggestedPrompts');
    expect(call!.args.channel_id).toBe('D024BE91L');
    expect(call!.args.thread_ts).toBeUndefined();
    expect((call!.args.prompts as unknown[]).length).toBe(4);
    // The Home tab is not the agent view: nothing is set.
    await event({ type: 'app_home_opened', user: 'U1', channel: 'D024BE91L', tab: 'home', event_ts: '2.0' });
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.of('assistant.threads.setSuggestedPrompts')).toHaveLength(1);
  });

  it('"why did EC2 go up last week?": says how it read it, then posts that report in the DM', async () => {
    const before = slack.of('chat.postMessage').length;
    expect((await dm('why did EC2 go up last week?')).status).toBe(200);
    const posts = await slack.waitFor('chat.postMessage', before + 2, 30_000);
    const [note, report] = posts.slice(before);
    expect(note!.args.channel).toBe('D024BE91L');
    expect(String(note!.args.text)).toBe(
      'Reading that as `/spend drivers 2026-11-16..2026-11-22 vs previous by sku where service="Amazon Elastic Compute Cloud"`.',
    );
    expect(String(report!.args.text)).toMatch(
      /^Spend drivers by sku: Scope: service="Amazon Elastic Compute Cloud" · 2026-11-16\.\.2026-11-22 vs 2026-11-09\.\.2026-11-15/,
    );
  });

  it.each([
    ['what will November cost?', /^Spend forecast/],
    ['anomalies in web', /^Spend anomalies: Scope: team=web/],
    ['carbon this month', /^Carbon footprint/],
  ])('"%s" is answered with its report', async (question, title) => {
    const before = slack.of('chat.postMessage').length;
    await dm(question);
    const posts = await slack.waitFor('chat.postMessage', before + 2, 30_000);
    expect(String(posts[before]!.args.text)).toMatch(/^Reading that as `\/spend /);
    expect(String(posts[before + 1]!.args.text)).toMatch(title);
  });

  it('a question it cannot map gets the closest command and the help, not a guess', async () => {
    const before = slack.of('chat.postMessage').length;
    await dm('tell me a joke');
    const [answer] = (await slack.waitFor('chat.postMessage', before + 1)).slice(before);
    expect(String(answer!.args.text)).toMatch(
      /^I could not turn that into a report, so I will not guess\. The closest: `\/spend drivers 7d by service`/,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(slack.of('chat.postMessage').length).toBe(before + 1);
  });

  it('its own messages and other channels are not answered', async () => {
    const before = slack.of('chat.postMessage').length;
    await event({
      type: 'message',
      channel: 'D024BE91L',
      user: 'U1',
      bot_id: 'B1',
      text: 'why',
      ts: '3.0',
      channel_type: 'im',
    });
    await event({
      type: 'message',
      channel: 'C1',
      user: 'U1',
      text: 'why did EC2 go up',
      ts: '4.0',
      channel_type: 'channel',
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(slack.of('chat.postMessage').length).toBe(before);
  });
});
