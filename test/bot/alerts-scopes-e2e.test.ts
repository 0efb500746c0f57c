/**
 * Alerts per scope over real HTTP: `spendbrief serve` on a FOCUS export with a spike in one
 * service, three channels with alerts on (one scoped to Compute, one to Storage, one unscoped),
 * Slack's Web API faked on loopback. Each scope's anomalies reach the channels of that scope only,
 * once, and a second sync posts nothing again.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, serve } from '../../src/bot/server.js';
import { loadConfig } from '../../src/config.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { postSlashCommand } from '../helpers/slack-signing.js';

const SECRET = 'alerts-scopes-secret';
const dir = mkdtempSync(join(tmpdir(), 'spendbrief-alerts-scopes-'));
const file = join(dir, 'export.csv');
let slack: FakeSlack;
let app: Running;

const day = (i: number) =>
  new Date(Date.parse('2026-10-01T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  const rows = [
    'ChargePeriodStart,ChargePeriodEnd,BilledCost,EffectiveCost,ConsumedQuantity,ConsumedUnit,ChargeCategory,ServiceName,SkuId,RegionId,BillingCurrency,ProviderName',
  ];
  for (let i = 0; day(i) <= '2026-11-10'; i++) {
    const d = day(i);
    const noise = ((i * 37) % 7) - 3;
    const compute = d === '2026-11-10' ? 400 : 100 + noise;
    rows.push(
      `${d}T00:00:00Z,${d}T23:59:59Z,${compute},${compute},${compute / 4},Hours,Usage,Compute,BoxUsage:m5.large,eu-central-1,USD,AWS`,
      `${d}T00:00:00Z,${d}T23:59:59Z,${50 - noise},${50 - noise},${(50 - noise) * 10},GB-Mo,Usage,Storage,TimedStorage-ByteHrs,eu-central-1,USD,AWS`,
    );
  }
  writeFileSync(file, `${rows.join('\n')}\n`);
  slack = await new FakeSlack().start();
  app = await serve({
    config: loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-alerts',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: `${slack.url}/api/`,
      PORT: '0',
      SPENDBRIEF_DB: join(dir, 'state.duckdb'),
      SPENDBRIEF_SLACK_MANAGERS: 'U1',
    }),
    source: { kind: 'focus', path: file },
    now: () => new Date('2026-11-11T10:00:00Z'),
    useTimers: false,
    log: () => {},
  });
  await app.firstSync;
});
afterAll(async () => {
  await app?.close();
  await slack?.stop();
});

const command = async (channel: string, text: string) => {
  const res = await postSlashCommand(app.port, SECRET, text, { channel });
  expect(res.status).toBe(200);
  return ((await res.json()) as { text: string }).text;
};

const alertsIn = (channel: string) =>
  slack
    .of('chat.postMessage')
    .filter((c) => c.args.channel === channel && !c.args.thread_ts && /spike on/.test(String(c.args.text)))
    .map((c) => String(c.args.text));

describe('alerts per scope', () => {
  it("each scope's anomalies reach its own channels only, once", async () => {
    expect(await command('CCOMPUTE', 'scope service=Compute')).toMatch(/now sees service=Compute only/);
    expect(await command('CSTORAGE', 'scope service=Storage')).toMatch(/now sees service=Storage only/);
    for (const c of ['CCOMPUTE', 'CSTORAGE', 'CALL'])
      expect(await command(c, 'alerts on')).toMatch(/^Alerts are on here/);
    await app.sync();
    const compute = alertsIn('CCOMPUTE');
    const all = alertsIn('CALL');
    // The Compute channel hears of its spike (its total is Compute's spend); Storage hears nothing.
    expect(compute.some((t) => /Compute, spike on 2026-11-10/.test(t))).toBe(true);
    expect(alertsIn('CSTORAGE')).toEqual([]);
    expect(all.some((t) => /Compute, spike on 2026-11-10/.test(t))).toBe(true);
    expect(all.some((t) => /Total spend, spike on 2026-11-10/.test(t))).toBe(true);
    // Nothing of another scope: the scoped channel's alerts never name Storage.
    expect(compute.every((t) => !/Storage/.test(t))).toBe(true);
    // Each alert once per channel.
    for (const c of ['CCOMPUTE', 'CALL']) expect(new Set(alertsIn(c)).size).toBe(alertsIn(c).length);
    const before = slack.of('chat.postMessage').length;
    await app.sync();
    expect(slack.of('chat.postMessage').length).toBe(before);
  });
});
