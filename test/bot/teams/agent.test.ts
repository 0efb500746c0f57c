/**
 * Teams end to end over HTTP on loopback: activities posted to `/api/messages` of the real server
 * (the SDK's JWT middleware on, in its anonymous local-testing configuration: no client id), the
 * real report assistant on demo data, and a fake Bot Connector at the activity's serviceUrl.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, serve } from '../../../src/bot/server.js';
import { loadConfig } from '../../../src/config.js';
import { FakeConnector } from '../../helpers/fake-connector.js';

let connector: FakeConnector;
let app: Running;
let base: string;
const clock = { now: new Date('2026-11-24T10:00:00Z') };

const activity = (o: Record<string, unknown>) => ({
  type: 'message',
  id: `act-${Math.random().toString(36).slice(2)}`,
  channelId: 'msteams',
  serviceUrl: connector.url,
  from: { id: 'user-1', name: 'Ada' },
  recipient: { id: 'bot-1', name: 'spendbrief' },
  conversation: { id: 'conv-1', conversationType: 'channel' },
  ...o,
});
const send = (a: object, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(a),
  });

let dbFile: string;
const logs: string[] = [];
beforeAll(async () => {
  delete process.env.clientId;
  connector = await new FakeConnector().start();
  dbFile = join(mkdtempSync(join(tmpdir(), 'spendbrief-teams-')), 'state.duckdb');
  const env = { PORT: '0', SPENDBRIEF_DB: dbFile, SPENDBRIEF_PUBLIC_URL: 'http://127.0.0.1:1/' };
  app = await serve({
    config: loadConfig(env),
    source: { kind: 'demo' },
    now: () => clock.now,
    useCron: false,
    log: (l) => logs.push(l),
  });
  await app.firstSync;
  base = `http://127.0.0.1:${app.port}`;
});
afterAll(async () => {
  await app?.close();
  await connector?.stop();
});

/** The chart URL is public-base + /charts/<id>.png; fetch it from this server. */
const local = (url: string) => `${base}${new URL(url).pathname}`;

describe('Teams', () => {
  let card: Record<string, unknown>;

  it('"@spendbrief drivers 30d by service" gets an Adaptive Card whose image URL serves the chart', async () => {
    const a = activity({ text: '<at>spendbrief</at> drivers 30d by service' });
    const res = await send(a);
    expect(res.status).toBeLessThan(300);
    const [sent] = await connector.waitFor(1);
    expect(sent!.path).toBe(`/v3/conversations/conv-1/activities/${a.id}`);
    expect(sent!.activity.replyToId).toBe(a.id);
    const attachment = sent!.activity.attachments![0]!;
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    card = attachment.content;
    expect(card.version).toBe('1.5');
    const urls = [...JSON.stringify(card).matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]!);
    expect(urls).toHaveLength(3);
    for (const url of urls) {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:1\/charts\/[A-Za-z0-9_-]{32}\.png$/);
      const png = await fetch(local(url));
      expect(png.status).toBe(200);
      expect(png.headers.get('content-type')).toBe('image/png');
      expect((await sharp(Buffer.from(await png.arrayBuffer())).metadata()).format).toBe('png');
    }
  });

  it('guessed and expired chart URLs are refused', async () => {
    expect((await fetch(`${base}/charts/${'A'.repeat(32)}.png`)).status).toBe(404);
    expect((await fetch(`${base}/charts/../../etc/passwd`)).status).toBe(404);
    const url = app.charts.put(Buffer.from('png'));
    expect((await fetch(local(url))).status).toBe(200);
  });

  it('Action.Submit on a contributor replies in the same thread by the next dimension', async () => {
    const submit = JSON.stringify(card).match(/"type":"Action.Submit","title":"[^"]+","data":(\{[^}]+\})/)!;
    const before = connector.sent.length;
    const a = activity({ text: undefined, value: JSON.parse(submit[1]!), replyToId: 'card-message-1' });
    await send(a);
    const sent = (await connector.waitFor(before + 1)).at(-1)!;
    expect(sent.activity.replyToId).toBe('card-message-1');
    expect(JSON.stringify(sent.activity.attachments![0]!.content)).toContain('by account');
  });

  it('a bad command is answered with the usage, naming the word', async () => {
    const before = connector.sent.length;
    await send(activity({ text: '<at>spendbrief</at> drivers by colour' }));
    const sent = (await connector.waitFor(before + 1)).at(-1)!;
    expect(String(sent.activity.text)).toContain('I could not read "colour"');
    expect(String(sent.activity.text)).toContain('@spendbrief subscribe weekly');
  });

  it('a request with an invalid token is refused by the SDK JWT validation', async () => {
    const res = await send(activity({ text: 'help' }), { authorization: 'Bearer not.a.jwt' });
    expect(res.status).toBe(401);
  });

  it('a subscription posts the digest proactively, exactly once per period', async () => {
    const before = connector.sent.length;
    await send(
      activity({
        text: 'subscribe weekly mon 09:00 Europe/Berlin',
        conversation: { id: 'conv-2', conversationType: 'channel' },
      }),
    );
    await connector.waitFor(before + 1);
    clock.now = new Date('2026-11-30T08:01:00Z');
    const sub = (await app.store.subscription('conv-2'))!;
    const posted = await app.scheduler.runDue(sub);
    expect(logs.filter((l) => l.includes('digest'))).toEqual(['digest conv-2 2026-W49: posted']);
    expect(posted).toBe(true);
    expect(await app.scheduler.runDue(sub)).toBe(false);
    const digest = connector.sent.at(-1)!;
    expect(digest.path).toBe('/v3/conversations/conv-2/activities');
    expect(JSON.stringify(digest.activity.attachments![0]!.content)).toContain('Weekly cloud spend digest');
    expect(connector.sent.length).toBe(before + 2);
  });
});
