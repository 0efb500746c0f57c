/**
 * Who may ask and who may subscribe, over HTTP against a real server: a channel or team off the
 * allow-list gets a polite refusal and nothing is computed or posted.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, serve } from '../../src/bot/server.js';
import { loadConfig } from '../../src/config.js';
import { FakeConnector } from '../helpers/fake-connector.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { postSlashCommand } from '../helpers/slack-signing.js';

const SECRET = 'access-secret';
let slack: FakeSlack;
let connector: FakeConnector;
let app: Running;
let runs = 0;

beforeAll(async () => {
  delete process.env.clientId;
  slack = await new FakeSlack().start();
  connector = await new FakeConnector().start();
  app = await serve({
    config: loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-access',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: `${slack.url}/api/`,
      PORT: '0',
      SPENDBRIEF_DB: join(mkdtempSync(join(tmpdir(), 'spendbrief-access-')), 'state.duckdb'),
      SPENDBRIEF_SLACK_CHANNELS: 'CASK',
      SPENDBRIEF_SLACK_MANAGERS: 'CADMIN',
      SPENDBRIEF_TEAMS_TEAMS: 'team-ok',
    }),
    source: { kind: 'demo' },
    useTimers: false,
    log: () => {},
    // Counts the reports computed: a refused request must not reach it.
    assistant: {
      vocabulary: async () => ({}),
      async run() {
        runs++;
        return {
          report: { kind: 'help', title: 'counted', period: '', kpis: [], sections: [], footnotes: [] },
          images: new Map(),
        };
      },
    },
  });
  await app.firstSync;
});
afterAll(async () => {
  await app.close();
  await slack.stop();
  await connector.stop();
});

const command = async (text: string, channel: string) => {
  const res = await postSlashCommand(app.port, SECRET, text, { channel });
  return (await res.json()) as { text: string };
};

describe('Slack allow-lists', () => {
  it('a channel off SPENDBRIEF_SLACK_CHANNELS is refused politely; nothing is computed or posted', async () => {
    const r = await command('drivers 30d', 'COTHER');
    expect(r.text).toMatch(/^Sorry, cost reports are not enabled here/);
    await new Promise((x) => setTimeout(x, 300));
    expect(runs).toBe(0);
    expect(slack.of('chat.postMessage')).toHaveLength(0);
  });

  it('an allowed channel gets its report; only a managers channel may subscribe', async () => {
    expect((await command('drivers 30d', 'CASK')).text).toBe('Working on it…');
    await slack.waitFor('chat.postMessage');
    expect(runs).toBe(1);
    expect((await command('subscribe weekly mon 09:00 Europe/Berlin', 'CASK')).text).toMatch(
      /only spendbrief’s managers \(the channels and people on its managers list\)/,
    );
    expect((await command('subscribe weekly mon 09:00 Europe/Berlin', 'CADMIN')).text).toContain(
      'every Monday at 09:00',
    );
    expect((await app.store.subscriptions()).map((s) => s.channel)).toEqual(['CADMIN']);
  });
});

describe('Teams allow-list', () => {
  const activity = (team: string) => ({
    type: 'message',
    id: `act-${Math.random().toString(36).slice(2)}`,
    channelId: 'msteams',
    serviceUrl: connector.url,
    from: { id: 'user-1' },
    recipient: { id: 'bot-1' },
    conversation: { id: `19:${team}@thread.tacv2;messageid=1`, conversationType: 'channel' },
    channelData: { team: { id: team }, channel: { id: `19:${team}@thread.tacv2` } },
    text: 'drivers 30d',
  });
  const send = (a: object) =>
    fetch(`http://127.0.0.1:${app.port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(a),
    });

  it('a team off SPENDBRIEF_TEAMS_TEAMS is refused politely; an allowed one is answered', async () => {
    const before = runs;
    await send(activity('team-other'));
    const [refusal] = await connector.waitFor(1);
    expect(String(refusal!.activity.text)).toMatch(/^Sorry, cost reports are not enabled here/);
    expect(runs).toBe(before);
    await send(activity('team-ok'));
    await connector.waitFor(2);
    expect(runs).toBe(before + 1);
  });
});
