/**
 * Alerts end to end over real HTTP on loopback: `spendbrief serve` on a FOCUS export the test
 * rewrites between syncs, Slack's Web API and the Teams Bot Connector faked. A spike is posted
 * once with its chart and drivers; the next day is a reply in its thread; its end is one closing
 * reply; a restated day, a second sync and a restart post nothing twice; a budget threshold is
 * posted once.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, serve } from '../../src/bot/server.js';
import { loadConfig } from '../../src/config.js';
import { FakeConnector } from '../helpers/fake-connector.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { postSlashCommand } from '../helpers/slack-signing.js';

const SECRET = 'alerts-secret';
const dir = mkdtempSync(join(tmpdir(), 'spendbrief-alerts-e2e-'));
const file = join(dir, 'export.csv');
const dbFile = join(dir, 'state.duckdb');
const clock = { now: new Date('2026-11-11T10:00:00Z') };
let slack: FakeSlack;
let connector: FakeConnector;
let app: Running;

const day = (i: number) =>
  new Date(Date.parse('2026-10-01T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10);

/** Two services from 2026-10-01 through `last`; `spikes` raise Compute on those days. */
function writeExport(last: string, spikes: Record<string, number>): void {
  const rows = [
    'ChargePeriodStart,ChargePeriodEnd,BilledCost,EffectiveCost,ConsumedQuantity,ConsumedUnit,ChargeCategory,ServiceName,SkuId,RegionId,BillingCurrency,ProviderName',
  ];
  for (let i = 0; day(i) <= last; i++) {
    const d = day(i);
    const noise = ((i * 37) % 7) - 3;
    const compute = spikes[d] ?? 100 + noise;
    // A spike is more usage at the same price: the drivers call it usage growth.
    rows.push(
      `${d}T00:00:00Z,${d}T23:59:59Z,${compute},${compute},${compute / 4},Hours,Usage,Compute,BoxUsage:m5.large,eu-central-1,USD,AWS`,
    );
    rows.push(
      `${d}T00:00:00Z,${d}T23:59:59Z,${50 - noise},${50 - noise},${(50 - noise) * 10},GB-Mo,Usage,Storage,TimedStorage-ByteHrs,eu-central-1,USD,AWS`,
    );
  }
  writeFileSync(file, `${rows.join('\n')}\n`);
}

const start = async () => {
  const a = await serve({
    config: loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-alerts',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: `${slack.url}/api/`,
      PORT: '0',
      SPENDBRIEF_DB: dbFile,
      SPENDBRIEF_PUBLIC_URL: 'http://127.0.0.1:1/',
    }),
    source: { kind: 'focus', path: file },
    now: () => clock.now,
    useTimers: false,
    log: () => {},
  });
  await a.firstSync;
  return a;
};

const command = async (text: string) => {
  const res = await postSlashCommand(app.port, SECRET, text);
  expect(res.status).toBe(200);
  return res.json() as Promise<{ text: string; response_type: string }>;
};
const teams = (text: string) =>
  fetch(`http://127.0.0.1:${app.port}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      id: `act-${Math.random().toString(36).slice(2)}`,
      channelId: 'msteams',
      serviceUrl: connector.url,
      from: { id: 'user-1', name: 'Ada' },
      recipient: { id: 'bot-1', name: 'spendbrief' },
      conversation: { id: '19:finops@thread.tacv2;messageid=1', conversationType: 'channel', tenantId: 't1' },
      channelData: {
        team: { id: 'team-1' },
        channel: { id: '19:finops@thread.tacv2' },
        tenant: { id: 't1' },
      },
      text: `<at>spendbrief</at> ${text}`,
    }),
  });

/** Alert messages posted to Slack (top-level) and replies in threads. */
const slackAlerts = () =>
  slack
    .of('chat.postMessage')
    .filter((c) => !c.args.thread_ts && /anomaly|Unusual spend|Budget/.test(String(c.args.text)));
const slackReplies = () => slack.of('chat.postMessage').filter((c) => c.args.thread_ts);

beforeAll(async () => {
  delete process.env.clientId;
  slack = await new FakeSlack().start();
  connector = await new FakeConnector().start();
  writeExport('2026-11-10', { '2026-11-10': 400 });
  app = await start();
});
afterAll(async () => {
  await app?.close();
  await slack?.stop();
  await connector?.stop();
});

describe('alerts after every sync', () => {
  it('"alerts on" and "budget set" answer in the channel; a sync then posts the spike once, with chart and drivers', async () => {
    expect((await command('alerts on')).text).toMatch(/^Alerts are on here/);
    expect((await command('budget set 4000 monthly')).text).toMatch(
      /^Budget "Total monthly": \$4,000\.00 a month for total spend/,
    );
    expect((await teams('alerts on')).status).toBe(200);
    await app.sync();
    const alerts = slackAlerts();
    const compute = alerts.find((c) => /Compute, spike on 2026-11-10/.test(String(c.args.text)))!;
    expect(compute).toBeDefined();
    const blocks = JSON.stringify(compute.args.blocks);
    expect(blocks).toContain('"type":"image"');
    expect(blocks).toContain('*Usage growth*');
    expect(blocks).toContain('top driver: BoxUsage:m5.large +$300.00 (Usage growth)');
    expect(alerts.some((c) => /Total spend, spike on 2026-11-10/.test(String(c.args.text)))).toBe(true);
    expect(alerts.filter((c) => /^Budget at risk: Total monthly/.test(String(c.args.text)))).toHaveLength(1);
    // Teams: the same alerts as new posts in the channel.
    const posts = connector.sent.filter((s) => s.path === '/v3/conversations');
    expect(posts.some((s) => JSON.stringify(s.activity).includes('Compute, spike on 2026-11-10'))).toBe(true);
  });

  it('a second sync and a restart post nothing twice', async () => {
    const before = slack.of('chat.postMessage').length;
    const teamsBefore = connector.sent.length;
    await app.sync();
    await app.close();
    app = await start();
    await app.sync();
    expect(slack.of('chat.postMessage').length).toBe(before);
    expect(connector.sent.length).toBe(teamsBefore);
  });

  it('the next anomalous day (with the first restated) is one reply in its thread, not a new alert', async () => {
    const first = slackAlerts().find((c) => /Compute, spike on 2026-11-10/.test(String(c.args.text)))!;
    const ts = slack.history.find((h) => h.text === first.args.text)!.ts;
    const alerts = slackAlerts().length;
    writeExport('2026-11-11', { '2026-11-10': 390, '2026-11-11': 420 });
    clock.now = new Date('2026-11-12T10:00:00Z');
    await app.sync();
    expect(
      slackAlerts()
        .map((c) => c.args.text)
        .slice(alerts),
    ).toEqual([]);
    const replies = slackReplies().filter((r) => r.args.thread_ts === ts);
    expect(replies).toHaveLength(1);
    expect(String(replies[0]!.args.text)).toMatch(/^Still going on 2026-11-11: \+\$\d/);
    // Teams: the follow-up is a reply in the post's own thread.
    const teamsReply = connector.sent.at(-1)!;
    expect(teamsReply.path).toMatch(
      /^\/v3\/conversations\/19:finops@thread\.tacv2;messageid=\d+\/activities/,
    );
    expect(String(teamsReply.activity.text)).toMatch(/^Still going on 2026-11-11/);
  });

  it('when it ends, one closing reply with the total impact', async () => {
    const first = slackAlerts().find((c) => /Compute, spike on 2026-11-10/.test(String(c.args.text)))!;
    const ts = slack.history.find((h) => h.text === first.args.text)!.ts;
    writeExport('2026-11-12', { '2026-11-10': 390, '2026-11-11': 420 });
    clock.now = new Date('2026-11-13T10:00:00Z');
    await app.sync();
    await app.sync();
    const replies = slackReplies().filter((r) => r.args.thread_ts === ts);
    expect(replies).toHaveLength(2);
    expect(String(replies[1]!.args.text)).toMatch(
      /^Back to normal after 2026-11-11: \+\$[\d,.]+ in all from 2026-11-10 to 2026-11-11\.$/,
    );
  });

  it('"alerts off" stops them; "budget remove" names what is there', async () => {
    expect((await command('budget remove Nope')).text).toBe(
      'There is no budget "Nope" here (there are: Total monthly).',
    );
    expect((await command('budget remove Total monthly')).text).toBe('Budget "Total monthly" removed.');
    expect((await command('alerts off')).text).toBe('Alerts are off here.');
  });
});
