/**
 * The Slack app end to end over real HTTP on loopback: `spendbrief serve`'s server with Bolt's
 * receiver, real signed requests, the real report assistant on demo data, and a fake Slack Web API.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, serve } from '../../../src/bot/server.js';
import { loadConfig } from '../../../src/config.js';
import { checkBlocks } from '../../../src/render/block-limits.js';
import { FakeSlack } from '../../helpers/fake-slack.js';
import { blockActionsBody, signedHeaders, slashCommandBody } from '../../helpers/slack-signing.js';

const SECRET = 'test-signing-secret';
const TOKEN = 'xoxb-test-token-never-logged';
let slack: FakeSlack;
let app: Running;
let events: string;
const logs: string[] = [];
const clock = { now: new Date('2026-11-24T10:00:00Z') };

async function startApp(dbFile: string): Promise<Running> {
  const env = {
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: `${slack.url}/api/`,
    PORT: '0',
    SPENDBRIEF_DB: dbFile,
    SPENDBRIEF_METRICS_CSV: '/nonexistent/metrics.csv',
  };
  const running = await serve({
    config: loadConfig(env),
    source: { kind: 'demo' },
    now: () => clock.now,
    useTimers: false,
    log: (l) => logs.push(l),
  });
  await running.firstSync;
  return running;
}

const post = (body: string, headers: Record<string, string>) =>
  fetch(events, { method: 'POST', headers, body });
const command = async (text: string, extra: Record<string, string> = {}, trigger?: string) => {
  const body = slashCommandBody(text, { trigger });
  const started = performance.now();
  const res = await post(body, { ...signedHeaders(SECRET, body), ...extra });
  return {
    res,
    ms: performance.now() - started,
    json: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text(),
    body,
  };
};

let dbFile: string;
beforeAll(async () => {
  slack = await new FakeSlack().start();
  dbFile = join(mkdtempSync(join(tmpdir(), 'spendbrief-slack-')), 'state.duckdb');
  app = await startApp(dbFile);
  events = `http://127.0.0.1:${app.port}/slack/events`;
});
afterAll(async () => {
  await app.close();
  await slack.stop();
});

describe('/spend over HTTP', () => {
  let posted: Record<string, unknown>;

  it('acks at once, then posts the report with uploaded charts and valid blocks', async () => {
    const { res, ms, json } = await command('drivers 30d by service');
    expect(res.status).toBe(200);
    expect(json).toMatchObject({ response_type: 'ephemeral', text: 'Working on it…' });
    expect(ms).toBeLessThan(3000);
    const [message] = await slack.waitFor('chat.postMessage');
    posted = message!.args;
    expect(posted.channel).toBe('C1');
    const blocks = posted.blocks as { type: string; slack_file?: { id: string } }[];
    expect(checkBlocks(blocks as never)).toEqual([]);
    const images = blocks.filter((b) => b.type === 'image');
    expect(images).toHaveLength(3);
    const completed = slack
      .of('files.completeUploadExternal')
      .flatMap((c) => c.args.files as { id: string }[])
      .map((f) => f.id);
    expect(images.map((b) => b.slack_file!.id).sort()).toEqual(completed.sort());
    for (const id of completed) expect((await sharp(slack.uploads.get(id)!).metadata()).format).toBe('png');
    expect(message!.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('a drill click posts a threaded reply by the next dimension, with further drill buttons', async () => {
    const actions = (
      posted.blocks as { type: string; elements?: { value: string; text: { text: string } }[] }[]
    ).find((b) => b.type === 'actions')!;
    const label = actions.elements![0]!.text.text;
    expect(label).toMatch(/ by account$/);
    const before = slack.of('chat.postMessage').length;
    const body = blockActionsBody({ value: actions.elements![0]!.value, messageTs: '1700000001.000100' });
    const res = await post(body, signedHeaders(SECRET, body));
    expect(res.status).toBe(200);
    const all = await slack.waitFor('chat.postMessage', before + 1);
    const reply = all.at(-1)!.args;
    expect(reply.thread_ts).toBe('1700000001.000100');
    expect(String(reply.text)).toContain(label);
    const drill = (reply.blocks as { type: string; elements?: { value: string }[] }[]).find(
      (b) => b.type === 'actions',
    )!;
    expect(JSON.parse(drill.elements![0]!.value)).toMatchObject({ dim: 'account', next: 'region' });
  });

  it('a digest\'s "more" button runs its report in the thread', async () => {
    const before = slack.of('chat.postMessage').length;
    const body = blockActionsBody({
      value: JSON.stringify({ run: 'drivers 7d by team' }),
      messageTs: '1700000002.000100',
      actionId: 'run:1',
    });
    const res = await post(body, signedHeaders(SECRET, body));
    expect(res.status).toBe(200);
    const reply = (await slack.waitFor('chat.postMessage', before + 1)).at(-1)!.args;
    expect(reply.thread_ts).toBe('1700000002.000100');
    expect(String(reply.text)).toMatch(/^Spend drivers by team/);
  });

  it('rejects forged and stale signatures', async () => {
    const body = slashCommandBody('drivers');
    const forged = await post(body, { ...signedHeaders('not-the-secret', body) });
    expect(forged.status).toBe(401);
    const stale = await post(body, signedHeaders(SECRET, body, Math.floor(Date.now() / 1000) - 6 * 60));
    expect(stale.status).toBe(401);
  });

  it('a retried command posts once', async () => {
    const before = slack.of('chat.postMessage').length;
    const first = await command('drivers 7d', {}, 'trigger-retry');
    const again = await command(
      'drivers 7d',
      { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      'trigger-retry',
    );
    expect(first.res.status).toBe(200);
    expect(again.res.status).toBe(200);
    await slack.waitFor('chat.postMessage', before + 1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(slack.of('chat.postMessage')).toHaveLength(before + 1);
  });

  it('honours 429 Retry-After and still posts exactly once', async () => {
    const before = slack.of('chat.postMessage').length;
    slack.rateLimitOnce('chat.postMessage');
    await command('drivers mtd by team');
    await slack.waitFor('chat.postMessage', before + 1, 30_000);
    expect(slack.calls.some((c) => c.method === 'chat.postMessage (429)')).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(slack.of('chat.postMessage')).toHaveLength(before + 1);
  });

  it('answers a word it cannot read with an ephemeral usage naming the word', async () => {
    const { json } = await command('drivers by colour');
    expect(json).toMatchObject({ response_type: 'ephemeral' });
    expect((json as { text: string }).text).toContain('I could not read "colour"');
    expect((json as { text: string }).text).toContain('Usage:');
  });

  it('/spend carbon posts the footprint with its emitters chart', async () => {
    const before = slack.of('chat.postMessage').length;
    await command('carbon');
    const message = (await slack.waitFor('chat.postMessage', before + 1)).at(-1)!.args;
    expect(String(message.text)).toContain('Carbon footprint: 2026-10-25..2026-11-23');
    expect(JSON.stringify(message.blocks)).toContain('kg CO2e');
    expect((message.blocks as { type: string }[]).some((b) => b.type === 'image')).toBe(true);
  });

  it('a failing report is answered with an ephemeral error, never silence', async () => {
    const before = slack.of('chat.postEphemeral').length;
    await command('model');
    const [err] = (await slack.waitFor('chat.postEphemeral', before + 1)).slice(-1);
    expect(err!.args).toMatchObject({ channel: 'C1', user: 'U1' });
    expect(String(err!.args.text)).toContain('metrics file /nonexistent/metrics.csv does not exist');
  });

  it('a subscription posts its digest once per period, also across a restart', async () => {
    const { json } = await command('subscribe weekly mon 09:00 Europe/Berlin');
    expect((json as { text: string }).text).toContain('every Monday at 09:00 (Europe/Berlin)');
    const before = slack.of('chat.postMessage').length;
    clock.now = new Date('2026-11-30T08:00:30Z');
    const sub = {
      channel: 'C1',
      platform: 'slack' as const,
      weekday: 'mon' as const,
      time: '09:00',
      zone: 'Europe/Berlin',
      reference: null,
    };
    expect(await app.scheduler.runDue(sub)).toBe(true);
    expect(await app.scheduler.runDue(sub)).toBe(false);
    await app.close();
    app = await startApp(dbFile);
    events = `http://127.0.0.1:${app.port}/slack/events`;
    expect(slack.of('chat.postMessage')).toHaveLength(before + 1);
    const digest = slack.of('chat.postMessage').at(-1)!.args;
    expect(String(digest.text)).toContain('Weekly cloud spend digest');
    expect(String(digest.text)).toContain('2026-11-23..2026-11-29');
  });

  it('never logs a token or the signing secret', () => {
    const all = logs.join('\n');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(SECRET);
  });
});
