/**
 * Running `spendbrief serve` as an operator does, over real processes: liveness and readiness
 * probes, `/metrics` scraped by a real Prometheus and read back through its HTTP API, JSON logs
 * with no configured secret in any line, and questions answered from the data already synced
 * while a long sync runs.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoSql } from '../../src/integrations/demo/generate.js';
import { DuckDb } from '../../src/integrations/warehouse/duckdb.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { LocalPrometheus, requirePrometheus } from '../helpers/prometheus.js';
import { type ServeProcess, startServe } from '../helpers/serve-process.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

const SECRET = 'operating-signing-secret-0123';
const TOKEN = 'xoxb-operating-token-4567';
const SECRETS = {
  SLACK_BOT_TOKEN: TOKEN,
  SLACK_SIGNING_SECRET: SECRET,
  ELECTRICITYMAPS_TOKEN: 'em-token-never-logged-89',
  PROMETHEUS_TOKEN: 'prom-token-never-logged-01',
  clientSecret: 'teams-client-secret-never-logged-23',
  AZURE_STORAGE_CONNECTION_STRING:
    'DefaultEndpointsProtocol=http;AccountName=devstore;AccountKey=c2VjcmV0LWtleS1uZXZlci1sb2dnZWQ=',
};

const procs: ServeProcess[] = [];
const fakes: FakeSlack[] = [];
const proms: LocalPrometheus[] = [];
afterAll(async () => {
  for (const p of procs) p.kill('SIGKILL');
  for (const f of fakes) await f.stop();
  for (const p of proms) p.stop();
  removeTempDirs();
});

async function exportCsv(splits: number): Promise<string> {
  const file = join(tempDir('spendbrief-op-'), 'export.csv');
  const db = await DuckDb.open();
  await db.run(`COPY (${demoSql({ endDay: '2026-11-23', splits })}) TO '${file}' (HEADER)`);
  db.close();
  return file;
}

async function serveWith(source: string, env: Record<string, string> = {}) {
  const slack = await new FakeSlack().start();
  fakes.push(slack);
  const p = await startServe({
    secret: SECRET,
    source,
    env: {
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: `${slack.url}/api/`,
      SPENDBRIEF_DB: join(tempDir('spendbrief-op-db-'), 'state.duckdb'),
      SPENDBRIEF_LOG_FORMAT: 'json',
      ...env,
    },
  });
  procs.push(p);
  return { p, slack, base: `http://127.0.0.1:${p.port}` };
}

describe('probes', () => {
  it('/healthz answers at once; /readyz is 503 with a reason until the first sync lands, then 200', async () => {
    const { p, base } = await serveWith(`focus:${await exportCsv(30)}`);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const early = await fetch(`${base}/readyz`);
    expect(early.status).toBe(503);
    expect(await early.json()).toMatchObject({
      ready: false,
      reason: expect.stringMatching(/^the first sync of FOCUS export .* is running since /),
    });
    await p.waitForLog(/"outcome":"ok"/, 120_000);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true });
  }, 150_000);
});

describe.skipIf(!requirePrometheus())('metrics', () => {
  it("a real Prometheus scrapes /metrics and reads back the syncs, the chat requests and the process's memory", async () => {
    const { p, base } = await serveWith('demo');
    await p.waitForLog(/"outcome":"ok"/, 60_000);
    const prom = await new LocalPrometheus().start('', { target: `127.0.0.1:${p.port}` });
    proms.push(prom);
    const res = await p.command('drivers 30d by service');
    expect(res.status).toBe(200);
    await p.command('drivers where team=nosuch');
    expect(await prom.waitFor('spendbrief_syncs_total{outcome="ok"}', (v) => v >= 1)).toBe(1);
    expect(
      await prom.waitFor('spendbrief_chat_requests_total{kind="drivers",outcome="ok"}', (v) => v >= 1),
    ).toBe(1);
    expect(
      await prom.waitFor('spendbrief_chat_requests_total{kind="drivers",outcome="failed"}', (v) => v >= 1),
    ).toBe(1);
    expect(
      await prom.waitFor(
        'spendbrief_chat_request_duration_seconds_count{surface="slack",kind="drivers"}',
        (v) => v >= 2,
      ),
    ).toBe(2);
    expect(await prom.value('spendbrief_process_resident_memory_bytes')).toBeGreaterThan(10e6);
    expect(await prom.value('spendbrief_warehouse_bytes')).toBeGreaterThan(0);
    expect(await prom.value('spendbrief_ready')).toBe(1);
    expect(await prom.value('up{job="spendbrief"}')).toBe(1);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/^# TYPE spendbrief_sync_duration_seconds histogram$/m);
  }, 120_000);
});

describe('logs', () => {
  it('one JSON object per line with level, time and msg; no configured secret in any line of a run', async () => {
    const { p, slack } = await serveWith('demo', {
      ...SECRETS,
      // ElectricityMaps refuses the token (nothing listens): the carbon section falls back, and says so.
      ELECTRICITYMAPS_API_URL: 'http://127.0.0.1:9/v3/',
      PROMETHEUS_URL: 'http://127.0.0.1:9',
    });
    await p.waitForLog(/"outcome":"ok"/, 60_000);
    slack.failOnce('chat.postMessage', 'invalid_auth');
    await p.command('drivers 30d');
    await p.command('model');
    await p.command('carbon');
    await p.command('frobnicate the bill');
    await slack.waitFor('chat.postEphemeral', 2, 60_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(p.logs.length).toBeGreaterThan(5);
    for (const line of p.logs) {
      const o = JSON.parse(line) as Record<string, unknown>;
      expect(o).toMatchObject({
        level: expect.any(String),
        time: expect.any(String),
        msg: expect.any(String),
      });
      for (const [name, secret] of Object.entries(SECRETS)) expect(line, name).not.toContain(secret);
    }
    expect(p.logs.some((l) => /"source":"demo data"/.test(l) && /"durationMs":\d+/.test(l))).toBe(true);
  }, 120_000);
});

describe('a long scheduled sync', () => {
  it('never blocks a question: it is answered from the data already synced', async () => {
    const { serve } = await import('../../src/bot/server.js');
    const { loadConfig } = await import('../../src/config.js');
    const { copyFileSync } = await import('node:fs');
    const slack = await new FakeSlack().start();
    fakes.push(slack);
    const small = await exportCsv(1);
    const big = await exportCsv(60);
    const live = join(tempDir('spendbrief-op-live-'), 'export.csv');
    copyFileSync(small, live);
    const app = await serve({
      config: loadConfig({
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: `${slack.url}/api/`,
        PORT: '0',
        SPENDBRIEF_DB: join(tempDir('spendbrief-op-db-'), 'state.duckdb'),
      }),
      source: { kind: 'focus', path: live },
      useTimers: false,
      log: () => {},
    });
    try {
      await app.firstSync;
      copyFileSync(big, live);
      let syncDone = false;
      const sync = app.sync().then(() => {
        syncDone = true;
      });
      const { postSlashCommand } = await import('../helpers/slack-signing.js');
      await postSlashCommand(app.port, SECRET, 'drivers 30d');
      const [answer] = await slack.waitFor('chat.postMessage', 1, 60_000);
      expect(String(answer!.args.text)).toMatch(/Spend drivers by service/);
      expect(syncDone).toBe(false);
      await sync;
    } finally {
      await app.close();
    }
  }, 150_000);
});
