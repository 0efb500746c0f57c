/** A card's chart images are kept in SPENDBRIEF_DB: after a restart every posted card still shows them. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { serve } from '../../../src/bot/server.js';
import { loadConfig } from '../../../src/config.js';
import { CodedError } from '../../../src/errors.js';
import { FakeConnector } from '../../helpers/fake-connector.js';

const connector = await new FakeConnector().start();
afterAll(() => connector.stop());

describe('Teams across a restart', () => {
  it('the chart URLs of a card posted before the restart still serve the PNGs', async () => {
    delete process.env.clientId;
    const config = loadConfig({
      PORT: '0',
      SPENDBRIEF_DB: join(mkdtempSync(join(tmpdir(), 'spendbrief-teams-restart-')), 'state.duckdb'),
      SPENDBRIEF_PUBLIC_URL: 'https://bot.example.com/',
    });
    let app = await serve({ config, source: { kind: 'demo' }, useTimers: false, log: () => {} });
    await app.firstSync;
    await fetch(`http://127.0.0.1:${app.port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: 'act-restart-1',
        channelId: 'msteams',
        serviceUrl: connector.url,
        from: { id: 'u' },
        recipient: { id: 'bot' },
        conversation: { id: 'conv-r', conversationType: 'personal' },
        text: 'drivers 30d',
      }),
    });
    const [card] = await connector.waitFor(1);
    const urls = [
      ...JSON.stringify(card!.activity).matchAll(/"url":"https:\/\/bot\.example\.com(\/charts\/[^"]+)"/g),
    ].map((m) => m[1]!);
    expect(urls).toHaveLength(3);
    await app.close();
    app = await serve({ config, source: { kind: 'demo' }, useTimers: false, log: () => {} });
    for (const path of urls) {
      const res = await fetch(`http://127.0.0.1:${app.port}${path}`);
      expect(res.status).toBe(200);
      expect((await sharp(Buffer.from(await res.arrayBuffer())).metadata()).format).toBe('png');
    }
    await app.close();
  });

  it('refuses to start with Teams configured and no HTTPS public URL', async () => {
    const base = {
      PORT: '0',
      SPENDBRIEF_DB: join(mkdtempSync(join(tmpdir(), 'spendbrief-teams-https-')), 'state.duckdb'),
      clientId: 'app-id',
    };
    for (const env of [base, { ...base, SPENDBRIEF_PUBLIC_URL: 'http://bot.example.com/' }]) {
      const e = await serve({
        config: loadConfig(env),
        source: { kind: 'demo' },
        useTimers: false,
        log: () => {},
      }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(CodedError);
      expect((e as Error).message).toMatch(
        /Teams is configured \(clientId\) but SPENDBRIEF_PUBLIC_URL is .*Teams loads images over HTTPS only/,
      );
    }
  });
});
