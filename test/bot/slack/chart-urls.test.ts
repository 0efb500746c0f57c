/**
 * SPENDBRIEF_SLACK_IMAGES=url over real HTTP: a /spend report's charts are image blocks pointing at
 * this app's own /charts/ route under SPENDBRIEF_PUBLIC_URL, nothing is uploaded, and the URL
 * serves the PNG; without a public URL the setting is refused at start with what to set.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, serve } from '../../../src/bot/server.js';
import { loadConfig } from '../../../src/config.js';
import { FakeSlack } from '../../helpers/fake-slack.js';
import { postSlashCommand } from '../../helpers/slack-signing.js';

const SECRET = 'chart-url-secret';
const PUBLIC = 'https://spendbrief.example.test/';
let slack: FakeSlack;
let app: Running;
const env = () => ({
  SLACK_BOT_TOKEN: 'xoxb-chart-urls',
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_API_URL: `${slack.url}/api/`,
  PORT: '0',
  SPENDBRIEF_DB: join(mkdtempSync(join(tmpdir(), 'spendbrief-chart-urls-')), 'state.duckdb'),
  SPENDBRIEF_SLACK_IMAGES: 'url',
});

beforeAll(async () => {
  slack = await new FakeSlack().start();
  app = await serve({
    config: loadConfig({ ...env(), SPENDBRIEF_PUBLIC_URL: PUBLIC }),
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

describe('charts by URL', () => {
  it('posts image blocks from SPENDBRIEF_PUBLIC_URL/charts/ and uploads nothing; the URL serves the PNG', async () => {
    expect((await postSlashCommand(app.port, SECRET, 'drivers 30d by service')).status).toBe(200);
    const [message] = await slack.waitFor('chat.postMessage');
    const images = (message!.args.blocks as { type: string; image_url?: string }[]).filter(
      (b) => b.type === 'image',
    );
    expect(images.length).toBeGreaterThan(0);
    for (const i of images)
      expect(i.image_url).toMatch(/^https:\/\/spendbrief\.example\.test\/charts\/[\w-]{32}\.png$/);
    expect(slack.of('files.getUploadURLExternal')).toHaveLength(0);
    expect(slack.of('files.completeUploadExternal')).toHaveLength(0);
    // What Slack would fetch: the same path on this server.
    const path = new URL(images[0]!.image_url!).pathname;
    const res = await fetch(`http://127.0.0.1:${app.port}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect(meta.format).toBe('png');
  });

  it('is refused at start without SPENDBRIEF_PUBLIC_URL, saying what to set', async () => {
    await expect(
      serve({ config: loadConfig(env()), source: { kind: 'demo' }, useTimers: false, log: () => {} }),
    ).rejects.toThrow(/SPENDBRIEF_SLACK_IMAGES=url but SPENDBRIEF_PUBLIC_URL is not set/);
  });

  it('a value other than upload or url is refused with what is accepted', () => {
    expect(() => loadConfig({ SPENDBRIEF_SLACK_IMAGES: 'inline' })).toThrow(/upload .* or url/);
  });
});
