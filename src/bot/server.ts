/**
 * The composition root of `spendbrief serve`: one HTTP server carrying the Slack receiver
 * (`/slack/events`), the Teams endpoint (`/api/messages`), the chart images (`/charts/...`) and a
 * health check, plus the weekly-digest scheduler. Everything is built from the Config.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadAuthConfigFromEnv } from '@microsoft/agents-hosting';
import express from 'express';
import cron from 'node-cron';
import type { Config } from '../config.js';
import { describeError } from '../errors.js';
import { DuckDb } from '../integrations/warehouse/duckdb.js';
import { ensureSchema } from '../integrations/warehouse/schema.js';
import { describeSource, type SourceSpec } from '../reports/source.js';
import { createReportDeps } from '../reports/wire.js';
import type { Assistant } from './assistant.js';
import { createReportAssistant } from './report-assistant.js';
import { type DigestPoster, DigestScheduler } from './scheduler/scheduler.js';
import { StateStore } from './scheduler/store.js';
import { createSlackApp, type SlackApp } from './slack/app.js';
import { createTeamsAgent } from './teams/agent.js';
import { ChartStore } from './teams/chart-store.js';

export interface ServeOptions {
  config: Config;
  source: SourceSpec;
  /** Injected clock (tests); the real one otherwise. */
  now?: () => Date;
  /** Injected assistant (tests); the report assistant on `source` otherwise. */
  assistant?: Assistant;
  log?: (line: string) => void;
  useCron?: boolean;
}

export interface Running {
  port: number;
  /** Resolves when the start-up sync is done (tests wait for it). */
  firstSync: Promise<void>;
  /** Runs a sync now (or joins the one under way). */
  sync(): Promise<void>;
  scheduler: DigestScheduler;
  store: StateStore;
  slack: SlackApp | null;
  charts: ChartStore;
  close(): Promise<void>;
}

export async function serve(o: ServeOptions): Promise<Running> {
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = o.now ?? (() => new Date());
  const today = () => now().toISOString().slice(0, 10);
  const db = await DuckDb.open(o.config.SPENDBRIEF_DB, { memoryLimit: o.config.SPENDBRIEF_MEMORY_LIMIT });
  const store = new StateStore(db);
  await store.init();
  await ensureSchema(db);
  const status = { running: false, startedAt: null as Date | null, lastError: null as string | null };
  const deps = createReportDeps(o.config, { log, now, shared: db, syncStatus: () => status });
  const assistant = o.assistant ?? createReportAssistant({ source: o.source, deps });

  // The source is read by syncs (at start-up, then on SPENDBRIEF_SYNC_CRON), never per question.
  let syncing: Promise<void> | null = null;
  const syncNow = (): Promise<void> => {
    if (!syncing) {
      Object.assign(status, { running: true, startedAt: now() });
      syncing = deps.warehouses
        .sync(o.source, { today: today(), progress: log })
        .then((r) => {
          status.lastError = null;
          log(`sync: ${describeSource(o.source)}: ${r.summary}`);
        })
        .catch((e: unknown) => {
          status.lastError = describeError(e);
          log(`sync: ${describeSource(o.source)} failed: ${describeError(e)}`);
        })
        .finally(() => {
          status.running = false;
          syncing = null;
        });
    }
    return syncing;
  };
  const firstSync = syncNow();
  const syncTask =
    o.useCron === false
      ? null
      : cron.schedule(o.config.SPENDBRIEF_SYNC_CRON, () => void syncNow(), { name: 'sync' });
  const posters: Partial<Record<'slack' | 'teams', DigestPoster>> = {};
  // A weekly digest is made from data synced just before it (a sync that finds nothing new is cheap).
  const freshFirst = (p: DigestPoster): DigestPoster => ({
    post: async (s, day) => {
      await syncNow();
      return p.post(s, day);
    },
  });
  const scheduler = new DigestScheduler({ store, posters, now, log, useCron: o.useCron });
  const subscriptions = {
    subscribe: (s: Parameters<DigestScheduler['subscribe']>[0]) => scheduler.subscribe(s),
    unsubscribe: (c: string) => scheduler.unsubscribe(c),
  };

  const server = express();
  server.disable('x-powered-by');
  server.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  const charts = new ChartStore({
    publicBaseUrl: o.config.SPENDBRIEF_PUBLIC_URL ?? `http://localhost:${o.config.PORT}/`,
  });
  server.use(charts.router());

  let slack: SlackApp | null = null;
  if (o.config.SLACK_BOT_TOKEN && o.config.SLACK_SIGNING_SECRET) {
    slack = createSlackApp({
      botToken: o.config.SLACK_BOT_TOKEN,
      signingSecret: o.config.SLACK_SIGNING_SECRET,
      appToken: o.config.SLACK_APP_TOKEN,
      apiUrl: o.config.SLACK_API_URL,
      server,
      assistant,
      subscriptions,
      today,
      log,
    });
    posters.slack = freshFirst(slack.poster);
  } else {
    log('slack: off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on)');
  }
  const teams = createTeamsAgent(loadAuthConfigFromEnv(), { assistant, charts, subscriptions, today, log });
  server.use(teams.router);
  posters.teams = freshFirst(teams.poster);

  const http: Server = await new Promise((resolve) => {
    const s = server.listen(o.config.PORT, () => resolve(s));
  });
  if (slack && o.config.SLACK_APP_TOKEN) await slack.app.start();
  await scheduler.start();
  const port = (http.address() as AddressInfo).port;
  log(
    `spendbrief: listening on :${port} (Slack ${slack ? (o.config.SLACK_APP_TOKEN ? 'Socket Mode' : 'HTTP /slack/events') : 'off'}, Teams /api/messages)`,
  );
  return {
    port,
    firstSync,
    sync: syncNow,
    scheduler,
    store,
    slack,
    charts,
    async close() {
      scheduler.stop();
      void syncTask?.stop();
      await syncing;
      if (slack && o.config.SLACK_APP_TOKEN) await slack.app.stop();
      await new Promise<void>((r) => http.close(() => r()));
      http.closeAllConnections?.();
      db.close();
    },
  };
}
