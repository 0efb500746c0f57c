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
    useTimers: false,
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

  it('"@spendbrief drivers 30d by service": typing at once, then a full-width card whose image URL serves the chart', async () => {
    const a = activity({ text: '<at>spendbrief</at> drivers 30d by service' });
    const started = performance.now();
    const res = await send(a);
    // The HTTP answer does not wait for the report (Teams redelivers after 15 s).
    expect(performance.now() - started).toBeLessThan(1500);
    expect(res.status).toBeLessThan(300);
    expect(connector.sent[0]!.activity.type).toBe('typing');
    const [sent] = await connector.waitFor(1);
    expect(sent!.path).toBe(`/v3/conversations/conv-1/activities/${a.id}`);
    expect(sent!.activity.replyToId).toBe(a.id);
    const attachment = sent!.activity.attachments![0]!;
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    card = attachment.content;
    expect(card.version).toBe('1.5');
    expect(card.msteams).toEqual({ width: 'Full' });
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

  it('guessed chart URLs and paths outside the store are refused, a stored chart is served (expiry: chart-store.test.ts)', async () => {
    expect((await fetch(`${base}/charts/${'A'.repeat(32)}.png`)).status).toBe(404);
    expect((await fetch(`${base}/charts/../../etc/passwd`)).status).toBe(404);
    const url = await app.charts.put(Buffer.from('png'));
    expect((await fetch(local(url))).status).toBe(200);
  });

  it('Action.Execute on a contributor: the invoke is answered at once (200, a message), the report replies in the thread', async () => {
    const execute = JSON.stringify(card).match(
      /"type":"Action.Execute","verb":"spendbrief","title":"[^"]+","data":(\{[^}]+\})/,
    )!;
    const before = connector.messages().length;
    const invoke = activity({
      type: 'invoke',
      name: 'adaptiveCard/action',
      text: undefined,
      replyToId: 'card-message-2',
      value: {
        action: { type: 'Action.Execute', verb: 'spendbrief', data: JSON.parse(execute[1]!) },
        trigger: 'manual',
      },
    });
    const res = await send(invoke);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'Working on it…',
    });
    const sent = (await connector.waitFor(before + 1)).at(-1)!;
    expect(sent.activity.replyToId).toBe('card-message-2');
    expect(JSON.stringify(sent.activity.attachments![0]!.content)).toContain('by account');
    // Teams retries an invoke it got no answer to in time: the retry is answered, not run again.
    const again = await send(invoke);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { value: string }).value).toBe('Already on it.');
    await new Promise((r) => setTimeout(r, 300));
    expect(connector.messages().length).toBe(before + 1);
  });

  it('Action.Submit (the fallback of clients without Universal Actions) replies in the same thread by the next dimension', async () => {
    const submit = JSON.stringify(card).match(/"type":"Action.Submit","title":"[^"]+","data":(\{[^}]+\})/)!;
    const before = connector.messages().length;
    const a = activity({ text: undefined, value: JSON.parse(submit[1]!), replyToId: 'card-message-1' });
    await send(a);
    const sent = (await connector.waitFor(before + 1)).at(-1)!;
    expect(sent.activity.replyToId).toBe('card-message-1');
    expect(JSON.stringify(sent.activity.attachments![0]!.content)).toContain('by account');
  });

  it('a bad command is answered with the usage, naming the word', async () => {
    const before = connector.messages().length;
    await send(activity({ text: '<at>spendbrief</at> drivers by colour' }));
    const sent = (await connector.waitFor(before + 1)).at(-1)!;
    expect(String(sent.activity.text)).toContain('I could not read "colour"');
    expect(String(sent.activity.text)).toContain('@spendbrief subscribe weekly');
  });

  it('a request with an invalid token is refused by the SDK JWT validation', async () => {
    const res = await send(activity({ text: 'help' }), { authorization: 'Bearer not.a.jwt' });
    expect(res.status).toBe(401);
  });

  it('subscribed from a thread, the digest is a new post in the channel (team + channel), exactly once', async () => {
    const before = connector.messages().length;
    const inThread = (o: Record<string, unknown>) =>
      activity({
        conversation: {
          id: '19:chan@thread.tacv2;messageid=1700000000001',
          conversationType: 'channel',
          tenantId: 't-1',
        },
        channelData: {
          team: { id: 'team-1' },
          channel: { id: '19:chan@thread.tacv2' },
          tenant: { id: 't-1' },
        },
        ...o,
      });
    await send(inThread({ text: 'subscribe weekly mon 09:00 Europe/Berlin' }));
    const [ok] = (await connector.waitFor(before + 1)).slice(-1);
    expect(String(ok!.activity.text)).toContain('as a new post');
    // Subscriptions are the channel's, not the thread's: unsubscribe from another thread finds it.
    expect((await app.store.subscriptions()).map((x) => x.channel)).toContain(
      'teams:team-1:19:chan@thread.tacv2',
    );
    // Caught up two days late: the digest is the week it was due on (Monday 30), as on Slack.
    clock.now = new Date('2026-12-02T08:01:00Z');
    const sub = (await app.store.subscription('teams:team-1:19:chan@thread.tacv2'))!;
    expect(await app.scheduler.runDue(sub)).toBe(true);
    expect(await app.scheduler.runDue(sub)).toBe(false);
    const digest = connector.sent.at(-1)!;
    expect(digest.path).toBe('/v3/conversations');
    expect(digest.body).toMatchObject({
      isGroup: true,
      channelData: { channel: { id: '19:chan@thread.tacv2' } },
    });
    const card = JSON.stringify(digest.activity.attachments![0]!.content);
    expect(card).toContain('Weekly cloud spend digest');
    // The drivers window ends on the due day (guide 1.1: days up to today), not on Wednesday.
    expect(card).toContain('2026-11-24..2026-11-30');
    const other = connector.messages().length;
    await send(
      inThread({
        text: 'unsubscribe',
        conversation: { id: '19:chan@thread.tacv2;messageid=1700000000999', conversationType: 'channel' },
      }),
    );
    const [off] = (await connector.waitFor(other + 1)).slice(-1);
    expect(String(off!.activity.text)).toBe('The weekly digest is off here.');
  });

  it('the same activity delivered twice gets one answer', async () => {
    const a = activity({ text: 'drivers 7d by account' });
    const before = connector.messages().length;
    await Promise.all([send(a), send(a)]);
    await connector.waitFor(before + 1);
    await send(a);
    await new Promise((r) => setTimeout(r, 1500));
    expect(connector.messages().length).toBe(before + 1);
    expect(logs).toContain(`teams: activity ${a.id} delivered again; it was answered already`);
  });

  it('429 with Retry-After, then 201: the retry waits as asked, the card arrives once', async () => {
    const before = connector.messages().length;
    // 3 s: longer than the back-off's first wait (1-2 s), so only Retry-After explains the gap.
    connector.failNext(429, 1, { 'retry-after': '3' });
    await send(activity({ text: 'drivers 30d by region' }));
    // The typing indicator took the 429 and was retried; then the card.
    await connector.waitFor(before + 1);
    const throttled = connector.calls.findIndex((c) => c.startsWith('429 '));
    expect(throttled).toBeGreaterThanOrEqual(0);
    // The retry waited the seconds the connector asked for.
    const waited = connector.callTimes[throttled + 1]! - connector.callTimes[throttled]!;
    expect(waited).toBeGreaterThanOrEqual(2950);
    await new Promise((r) => setTimeout(r, 500));
    expect(connector.messages().length).toBe(before + 1);
  });

  it('a welcome card when the app is installed, once', async () => {
    const before = connector.messages().length;
    const conv = { id: '19:new@thread.tacv2', conversationType: 'channel' };
    await send(activity({ type: 'installationUpdate', action: 'add', conversation: conv, text: undefined }));
    await send(
      activity({
        type: 'conversationUpdate',
        membersAdded: [{ id: 'bot-1' }],
        conversation: conv,
        text: undefined,
      }),
    );
    const [welcome] = (await connector.waitFor(before + 1)).slice(-1);
    expect(JSON.stringify(welcome!.activity.attachments![0]!.content)).toContain('spendbrief is here');
    await new Promise((r) => setTimeout(r, 500));
    expect(connector.messages().length).toBe(before + 1);
  });

  it('a body that is not JSON is a 400 with one log line, never the body', async () => {
    const secret = 'secret-looking-body-123';
    const res = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"text": "${secret}"`,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'the body is not JSON' });
    expect(logs.filter((l) => l.includes('not JSON'))).toEqual([
      'teams: refused a request whose body is not JSON (400)',
    ]);
    expect(logs.join('\n')).not.toContain(secret);
    const empty = await send({});
    expect(empty.status).toBe(400);
  });
});
