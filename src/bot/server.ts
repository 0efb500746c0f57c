/**
 * The composition root of `spendbrief serve`: one HTTP server carrying the Slack receiver
 * (`/slack/events`), the Teams endpoint (`/api/messages`), the chart images (`/charts/...`) and a
 * health check, plus the weekly-digest scheduler. Everything is built from the Config.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadAuthConfigFromEnv } from '@microsoft/agents-hosting';
import express from 'express';
import type { Config } from '../config.js';
import { DuckDb } from '../integrations/warehouse/duckdb.js';
import { extraUseCases } from '../reports/digest-extras.js';
import type { SourceSpec } from '../reports/source.js';
import type { Assistant } from './assistant.js';
import { createReportAssistant } from './report-assistant.js';
import { type DigestPoster, DigestScheduler } from './scheduler/scheduler.js';
import { StateStore } from './scheduler/store.js';
import { createSlackApp, type SlackApp } from './slack/app.js';
import { createTeamsAgent } from './teams/agent.js';
import { ChartStore } from './teams/chart-store.js';

export interface ServeOptions {
  config: Config;
  env: NodeJS.ProcessEnv;
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
  const db = await DuckDb.open(o.config.SPENDBRIEF_DB);
  const store = new StateStore(db);
  await store.init();
  const extras = extraUseCases(o.source, { env: o.env, db }, o.config.SPENDBRIEF_CE_EXCLUDE_SERVICES, log);
  const assistant =
    o.assistant ??
    createReportAssistant({
      source: o.source,
      sourceContext: { env: o.env, db },
      teamTag: o.config.SPENDBRIEF_TEAM_TAG,
      ...extras,
    });
  const posters: Partial<Record<'slack' | 'teams', DigestPoster>> = {};
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
    posters.slack = slack.poster;
  } else {
    log('slack: off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on)');
  }
  const teams = createTeamsAgent(loadAuthConfigFromEnv(), { assistant, charts, subscriptions, today, log });
  server.use(teams.router);
  posters.teams = teams.poster;

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
    scheduler,
    store,
    slack,
    charts,
    async close() {
      scheduler.stop();
      if (slack && o.config.SLACK_APP_TOKEN) await slack.app.stop();
      await new Promise<void>((r) => http.close(() => r()));
      http.closeAllConnections?.();
      db.close();
    },
  };
}
