/**
 * A channel's scope is a security boundary. Over the real server (Bolt's HTTP receiver with signed
 * requests, the Teams endpoint with activities, the demo warehouse), every way out of a scope is
 * tried; each is refused with one line naming the scope, or confined to it. Every question the
 * warehouse answers for a scoped channel is recorded: each reads the scope (the showback split
 * alone reads further, and returns the other owners as two aggregates, never by name).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Where } from '../../src/analytics/scope.js';
import { type Running, serve } from '../../src/bot/server.js';
import { loadConfig } from '../../src/config.js';
import { FakeConnector } from '../helpers/fake-connector.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { blockActionsBody, signedHeaders, slashCommandBody } from '../helpers/slack-signing.js';

const SECRET = 'scope-test-secret';
const ADMIN = 'U_ADMIN';
const WEB = 'CWEB00001';
const DATA = 'CDATA0001';
const FINOPS = 'CFINOPS01';
const TEAMS_ADMIN = 'aad-admin-0001';
const TEAMS_TEAM = '19:payments@thread.tacv2';

let slack: FakeSlack;
let connector: FakeConnector;
let app: Running;
let dbFile: string;
const logs: string[] = [];
const queries: { method: string; args: unknown[] }[] = [];
const clock = { now: new Date('2026-11-24T10:00:00Z') };

async function start(): Promise<Running> {
  const running = await serve({
    config: loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-scope-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: `${slack.url}/api/`,
      PORT: '0',
      SPENDBRIEF_DB: dbFile,
      SPENDBRIEF_PUBLIC_URL: 'http://127.0.0.1:1/',
      SPENDBRIEF_SLACK_MANAGERS: `${ADMIN},${FINOPS}`,
      SPENDBRIEF_TEAMS_MANAGERS: TEAMS_ADMIN,
      SPENDBRIEF_METRICS_CSV: '/nonexistent/metrics.csv',
    }),
    source: { kind: 'demo' },
    now: () => clock.now,
    useTimers: false,
    log: (l) => logs.push(l),
    observe: (method, args) => queries.push({ method, args }),
  });
  await running.firstSync;
  return running;
}

beforeAll(async () => {
  delete process.env.clientId;
  slack = await new FakeSlack().start();
  connector = await new FakeConnector().start();
  dbFile = join(mkdtempSync(join(tmpdir(), 'spendbrief-scope-')), 'state.duckdb');
  app = await start();
});
afterAll(async () => {
  await app?.close();
  await slack?.stop();
  await connector?.stop();
});

const events = () => `http://127.0.0.1:${app.port}/slack/events`;

/** A signed `/spend <text>`: the ack's JSON. */
async function spend(
  text: string,
  channel: string,
  user = 'U_MEMBER',
): Promise<{ text: string; response_type: string }> {
  const body = slashCommandBody(text, { channel, user });
  const res = await fetch(events(), { method: 'POST', headers: signedHeaders(SECRET, body), body });
  expect(res.status).toBe(200);
  return (await res.json()) as { text: string; response_type: string };
}

/** The next thing Slack is told after `fn`: a posted report's text, or an ephemeral line. */
async function nextPost(
  fn: () => Promise<unknown>,
): Promise<{ method: string; text: string; blocks: unknown }> {
  const before = slack.calls.filter(
    (c) => c.method === 'chat.postMessage' || c.method === 'chat.postEphemeral',
  ).length;
  await fn();
  const deadline = Date.now() + 30_000;
  for (;;) {
    const posts = slack.calls.filter(
      (c) => c.method === 'chat.postMessage' || c.method === 'chat.postEphemeral',
    );
    if (posts.length > before) {
      const p = posts[before]!;
      return { method: p.method, text: String(p.args.text), blocks: p.args.blocks };
    }
    if (Date.now() > deadline) throw new Error('nothing was posted');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function click(
  value: object,
  channel: string,
): Promise<{ method: string; text: string; blocks: unknown }> {
  const body = blockActionsBody({ value: JSON.stringify(value), messageTs: '1700000001.000100', channel });
  return nextPost(() => fetch(events(), { method: 'POST', headers: signedHeaders(SECRET, body), body }));
}

/** The where list of every question asked since `from`; the showback split's `keep` apart. */
function scopesSince(from: number): { method: string; where: Where; keep?: string[] }[] {
  return queries.slice(from).map(({ method, args }) => {
    const q = (method === 'resolveKey' ? { where: args[3] } : args[0]) as { where?: Where; keep?: string[] };
    return { method, where: q?.where ?? [], ...(q?.keep ? { keep: q.keep } : {}) };
  });
}

/** Every question since `from` read only `team` (the split: its owner by name, the rest as aggregates). */
function expectConfined(from: number, team: string): void {
  const seen = scopesSince(from);
  expect(seen.length).toBeGreaterThan(0);
  for (const q of seen) {
    if (q.method === 'ownerCosts') {
      expect(q.keep).toEqual([team]);
      continue;
    }
    const clause = q.where.find((c) => c.dimension === 'team');
    expect(clause, `${q.method} read outside team=${team}`).toBeDefined();
    expect(clause!.values).toEqual([team]);
  }
}

const teamsActivity = (o: Record<string, unknown>) => ({
  type: 'message',
  id: `act-${Math.random().toString(36).slice(2)}`,
  channelId: 'msteams',
  serviceUrl: connector.url,
  from: { id: 'user-1', name: 'Ada', aadObjectId: 'aad-member-0001' },
  recipient: { id: 'bot-1', name: 'spendbrief' },
  conversation: { id: `${TEAMS_TEAM};messageid=1`, conversationType: 'channel' },
  channelData: { team: { id: TEAMS_TEAM }, channel: { id: '19:general@thread.tacv2' } },
  ...o,
});

async function teams(o: Record<string, unknown>): Promise<string> {
  const before = connector.sent.filter((s) => s.activity.type === 'message').length;
  const res = await fetch(`http://127.0.0.1:${app.port}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(teamsActivity(o)),
  });
  expect(res.status).toBeLessThan(300);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const msgs = connector.sent.filter((s) => s.activity.type === 'message');
    if (msgs.length > before) {
      const a = msgs[before]!.activity as { text?: string; attachments?: { content: unknown }[] };
      return `${a.text ?? ''} ${JSON.stringify(a.attachments?.[0]?.content ?? '')}`;
    }
    if (Date.now() > deadline) throw new Error('Teams got no answer');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('channel scopes: set by managers, kept, and never left', () => {
  it('1. a manager user binds a channel; a manager channel binds another; others are refused', async () => {
    expect((await spend('scope team=web', WEB, ADMIN)).text).toMatch(/This channel now sees team=web only/);
    expect((await spend(`scope <#${DATA}|data> team=data`, FINOPS, 'U_SOMEONE')).text).toMatch(
      /now sees team=data only/,
    );
    expect((await spend('scope team=data', WEB)).text).toMatch(/only spendbrief’s managers/);
    expect((await spend('scope off', WEB)).text).toMatch(/only spendbrief’s managers/);
    // A manager user in an ordinary channel may not name another channel.
    expect((await spend(`scope <#${DATA}> off`, WEB, ADMIN)).text).toMatch(
      /only a channel on the managers list/,
    );
    expect((await spend('scope', WEB)).text).toMatch(/sees team=web only \(set by <@U_ADMIN>/);
  });

  it('2. a where naming another team is refused in the answer, naming the scope; nothing is computed', async () => {
    const from = queries.length;
    const a = await spend('drivers 30d where team=data', WEB);
    expect(a.response_type).toBe('ephemeral');
    expect(a.text).toBe(`Sorry: this request names team "data", outside this channel's scope (team=web).`);
    const b = await spend('anomalies where team=web,data', WEB);
    expect(b.text).toMatch(/names team "data", outside this channel's scope \(team=web\)/);
    expect(queries.length).toBe(from);
  });

  it('3. "by team" lists only the scope\'s own team, and every question read team=web', async () => {
    const from = queries.length;
    const post = await nextPost(() => spend('drivers 30d by team', WEB));
    expect(post.method).toBe('chat.postMessage');
    expect(post.text).toMatch(/Scope: team=web/);
    const blocks = JSON.stringify(post.blocks);
    expect(blocks).toContain('web');
    for (const other of ['platform', '"data"', '"ml"']) expect(blocks).not.toContain(other);
    expectConfined(from, 'web');
  });

  it('4. a where on another dimension is confined (AND), not refused', async () => {
    const from = queries.length;
    const post = await nextPost(() => spend('drivers 30d where region=us-east-1', WEB));
    expect(post.text).toMatch(/Scope: team=web and region=us-east-1/);
    expectConfined(from, 'web');
  });

  it('5. a drill-down button copied from another channel (team=data) is refused', async () => {
    const from = queries.length;
    const post = await click(
      {
        dim: 'team',
        key: 'data',
        next: 'service',
        window: '30d',
        compare: 'previous_period',
        basis: 'actual',
      },
      WEB,
    );
    expect(post.method).toBe('chat.postEphemeral');
    expect(post.text).toMatch(/this button names team "data", outside this channel's scope \(team=web\)/);
    expect(queries.length).toBe(from);
  });

  it("6. a drill key hash of another team's value is not resolved outside the scope: refused", async () => {
    const { createHash } = await import('node:crypto');
    const hash = createHash('md5').update('data').digest('hex').slice(0, 16);
    const from = queries.length;
    const post = await click(
      {
        dim: 'team',
        keyHash: hash,
        next: 'service',
        window: '30d',
        compare: 'previous_period',
        basis: 'actual',
      },
      WEB,
    );
    expect(post.text).toMatch(/this button opens a team outside this channel's scope \(team=web\)/);
    expectConfined(from, 'web');
  });

  it('7. an edited "run" button asking for another team is refused', async () => {
    const post = await click({ run: 'drivers 30d where team=data' }, WEB);
    expect(post.text).toMatch(/names team "data", outside this channel's scope \(team=web\)/);
  });

  it("8. a service drill inside the scope is confined to the team's lines", async () => {
    const from = queries.length;
    const post = await click(
      {
        dim: 'service',
        key: 'Amazon Elastic Compute Cloud',
        next: 'account',
        window: '30d',
        compare: 'previous_period',
        basis: 'actual',
      },
      WEB,
    );
    expect(post.text).toMatch(/Scope: team=web/);
    expectConfined(from, 'web');
  });

  it('9. showback in a scoped channel shows its own row; the others enter the split as aggregates only', async () => {
    const from = queries.length;
    const post = await nextPost(() => spend('showback', WEB));
    const blocks = JSON.stringify(post.blocks);
    expect(blocks).toContain('web');
    for (const other of ['platform', '"data"', '"ml"']) expect(blocks).not.toContain(other);
    expectConfined(from, 'web');
  });

  it("10. a budget set in a scoped channel is that scope's, and another scope's channel does not see it", async () => {
    expect((await spend('budget set 5000 monthly', WEB, ADMIN)).text).toMatch(
      /Budget "Total monthly": \$5,000.00 a month for total spend of team=web/,
    );
    const here = await nextPost(() => spend('budget list', WEB));
    expect(here.text).toMatch(/Scope: team=web/);
    expect(JSON.stringify(here.blocks)).toContain('Total monthly');
    const there = await nextPost(() => spend('budget list', DATA));
    expect(JSON.stringify(there.blocks)).not.toContain('Total monthly');
  });

  it("11. the digest of a scoped channel is its scope's, and every question of it read the scope", async () => {
    const from = queries.length;
    const post = await nextPost(() => spend('digest', DATA));
    expect(post.text).toMatch(/Weekly cloud spend digest: Scope: team=data/);
    expectConfined(from, 'data');
  });

  it('12. a manager changes the scope: the next report reads the new one', async () => {
    expect((await spend('scope team=ml', WEB, ADMIN)).text).toMatch(/now sees team=ml only/);
    const from = queries.length;
    const post = await nextPost(() => spend('forecast', WEB));
    expect(post.text).toMatch(/Scope: team=ml/);
    expectConfined(from, 'ml');
  });

  it('13. Teams: a manager binds the team; a where outside it and an edited Action.Submit are refused', async () => {
    expect(
      await teams({
        text: '<at>spendbrief</at> scope team=data',
        from: { id: 'u', aadObjectId: 'aad-member-0001' },
      }),
    ).toMatch(/only spendbrief’s managers/);
    expect(
      await teams({
        text: '<at>spendbrief</at> scope team=web',
        from: { id: 'u', aadObjectId: TEAMS_ADMIN },
      }),
    ).toMatch(/now sees team=web only/);
    expect(await teams({ text: '<at>spendbrief</at> drivers where team=data' })).toMatch(
      /names team "data", outside this channel's scope \(team=web\)/,
    );
    const from = queries.length;
    expect(
      await teams({
        text: '',
        replyToId: 'card-1',
        value: {
          action: 'drill:0',
          dim: 'team',
          key: 'data',
          next: 'service',
          window: '30d',
          compare: 'previous_period',
          basis: 'actual',
        },
      }),
    ).toMatch(/this button names team "data", outside this channel's scope \(team=web\)/);
    expect(queries.length).toBe(from);
  });

  it('14. a restart keeps every scope: the same refusals, the same confinement', async () => {
    await app.close();
    app = await start();
    expect((await spend('scope', DATA)).text).toMatch(/sees team=data only/);
    expect((await spend('drivers where team=web', DATA)).text).toMatch(
      /outside this channel's scope \(team=data\)/,
    );
    const from = queries.length;
    const post = await nextPost(() => spend('anomalies by service', DATA));
    expect(post.text).toMatch(/Scope: team=data/);
    expectConfined(from, 'data');
  });
});
