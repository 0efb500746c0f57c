/**
 * The composition root of `spendbrief serve`: one HTTP server carrying the Slack receiver
 * (`/slack/events`), the Teams endpoint (`/api/messages`), the chart images (`/charts/...`) and a
 * health check; the syncs of the source; the weekly-digest scheduler. Everything is built from the
 * Config, once.
 *
 * Shutdown (SIGTERM on every deploy): stop taking work (HTTP, scheduler, syncs), wait for the
 * reports and digests in flight to be posted and recorded, then close the database.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAbsolute } from 'node:path';
import { loadAuthConfigFromEnv } from '@microsoft/agents-hosting';
import express from 'express';
import type { Where } from '../analytics/scope.js';
import type { Config } from '../config.js';
import { CodedError, describeError, ErrorCode, isCodedError } from '../errors.js';
import { adminFileOf, backupTo } from '../integrations/warehouse/backup.js';
import { DuckDb } from '../integrations/warehouse/duckdb.js';
import { migrate } from '../integrations/warehouse/migrations.js';
import { ensureSchema } from '../integrations/warehouse/schema.js';
import type { Log } from '../log.js';
import { configuredBudgets } from '../reports/alerts/budgets-file.js';
import { checkAlerts } from '../reports/alerts/check.js';
import type { QueryObserver } from '../reports/session-options.js';
import { describeSource, type SourceSpec } from '../reports/source.js';
import { createReportDeps } from '../reports/wire.js';
import { createAccess } from './access.js';
import { AlertPoster } from './alerts/poster.js';
import { AlertStore } from './alerts/store.js';
import type { Assistant } from './assistant.js';
import type { CommandDeps } from './commands/handle.js';
import { InFlight } from './in-flight.js';
import { Metrics } from './metrics.js';
import { createReportAssistant, renderCharts } from './report-assistant.js';
import { type DigestPoster, DigestScheduler } from './scheduler/scheduler.js';
import { StateStore } from './scheduler/store.js';
import { budgetsInScope, createScopePolicy } from './scopes/policy.js';
import { ScopeStore } from './scopes/store.js';
import { SeenLog } from './seen-log.js';
import { createSlackApp, type SlackApp } from './slack/app.js';
import { Syncs } from './syncs.js';
import { createTeamsAgent } from './teams/agent.js';
import { ChartStore } from './teams/chart-store.js';
import { scopeKeyOf } from './teams/conversation.js';

/** The version MCP clients see. */
const VERSION = '0.1.0';

/** A sync that landed this recently is fresh enough for a digest due now. */
const FRESH_SYNC_MS = 5 * 60 * 1000;

export interface ServeOptions {
  config: Config;
  source: SourceSpec;
  /** Injected clock (tests); the real one otherwise. */
  now?: () => Date;
  /** Injected assistant (tests); the report assistant on `source` otherwise. */
  assistant?: Assistant;
  log?: Log;
  /** Off in tests that drive the scheduler and syncs themselves. */
  useTimers?: boolean;
  /** Longest wait for work in flight at shutdown (default 20 s). */
  drainMs?: number;
  /** Told of every warehouse question and its arguments (tests count the scopes queries read). */
  observe?: QueryObserver;
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
  metrics: Metrics;
  close(): Promise<void>;
}

/** Teams loads chart images from this server; with a Teams app configured it must be public HTTPS. */
function chartBaseUrl(config: Config, log: (line: string) => void): string {
  const url = config.SPENDBRIEF_PUBLIC_URL;
  if (config.clientId && (!url || new URL(url).protocol !== 'https:'))
    throw new CodedError(
      ErrorCode.Config,
      `Teams is configured (clientId) but SPENDBRIEF_PUBLIC_URL is ${url ? `"${url}", not HTTPS` : 'not set'}: cards load their charts from it, and Teams loads images over HTTPS only (set SPENDBRIEF_PUBLIC_URL=https://<this server>/)`,
    );
  if (config.SPENDBRIEF_SLACK_IMAGES === 'url' && !url)
    throw new CodedError(
      ErrorCode.Config,
      'SPENDBRIEF_SLACK_IMAGES=url but SPENDBRIEF_PUBLIC_URL is not set: Slack fetches each chart from this server (set SPENDBRIEF_PUBLIC_URL=https://<this server>/, or SPENDBRIEF_SLACK_IMAGES=upload)',
    );
  if (!url)
    log(
      `teams: SPENDBRIEF_PUBLIC_URL is not set: card images point at http://localhost:${config.PORT}/ (local testing only)`,
    );
  return url ?? `http://localhost:${config.PORT}/`;
}

export async function serve(o: ServeOptions): Promise<Running> {
  const log: Log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = o.now ?? (() => new Date());
  const today = () => now().toISOString().slice(0, 10);
  const publicBaseUrl = chartBaseUrl(o.config, log);
  const db = await DuckDb.open(o.config.SPENDBRIEF_DB, { memoryLimit: o.config.SPENDBRIEF_MEMORY_LIMIT });
  try {
    const m = await migrate(db, o.config.SPENDBRIEF_DB);
    if (m.from !== null && m.from < m.to)
      log(`warehouse: ${o.config.SPENDBRIEF_DB} migrated from layout version ${m.from} to ${m.to}`, {
        from: m.from,
        to: m.to,
      });
  } catch (e) {
    db.close();
    throw e;
  }
  const metrics = new Metrics({ warehouse: o.config.SPENDBRIEF_DB });
  const store = new StateStore(db);
  await store.init();
  await ensureSchema(db);
  const seen = new SeenLog(db);
  await seen.init();
  const charts = new ChartStore({ sql: db, publicBaseUrl });
  await charts.init();
  const access = createAccess(o.config);
  for (const line of access.describe()) log(line);
  const scopeStore = new ScopeStore(db);
  await scopeStore.init();
  const scopes = createScopePolicy(
    scopeStore,
    o.config.SPENDBRIEF_DEFAULT_SCOPE,
    (c) => access.isManagerChannel('slack', c) || access.isManagerChannel('teams', c),
  );
  if (o.config.SPENDBRIEF_DEFAULT_SCOPE === 'none')
    log(
      'scopes: a channel without a scope sees nothing (SPENDBRIEF_DEFAULT_SCOPE=none), manager channels aside',
    );

  const alertStore = new AlertStore(db);
  await alertStore.init();
  let syncs: Syncs | null = null;
  const deps = createReportDeps(o.config, {
    log,
    now,
    shared: db,
    syncStatus: () => syncs!.status,
    observe: o.observe,
  });
  const alertSurfaces: ConstructorParameters<typeof AlertPoster>[0]['surfaces'] = {};
  const alertPoster = new AlertPoster({
    store: alertStore,
    surfaces: alertSurfaces,
    render: renderCharts,
    log,
    posted: (platform, kind) => metrics.alerts.inc({ platform, kind }),
  });
  const work = new InFlight();
  // After every sync: the anomalies and budget crossings the new data shows, to the channels that
  // asked, each scope checked once and posted only to its own channels.
  const afterSync = async () => {
    const channels = await alertStore.channels();
    if (!channels.length) return;
    const byScope = new Map<string, { where: Where | null; channels: string[] }>();
    for (const c of channels) {
      const key = c.platform === 'teams' ? scopeKeyOf(c.reference, c.channel) : c.channel;
      let where: Where | null;
      try {
        where = await scopes.of(key);
      } catch (e) {
        log(`alerts: ${c.channel}: ${describeError(e)}`);
        continue;
      }
      const k = JSON.stringify(where);
      const group = byScope.get(k) ?? { where, channels: [] };
      group.channels.push(c.channel);
      byScope.set(k, group);
    }
    // The budgets file is read once a check (it may have changed since the last one).
    const fileBudgets = await configuredBudgets(o.config);
    for (const { where, channels: inScope } of byScope.values()) {
      const { check, budgetsByChannel } = await checkAlerts(deps, {
        source: o.source,
        now: today(),
        basis: 'actual',
        teamTag: o.config.SPENDBRIEF_TEAM_TAG,
        channels: inScope,
        budgetsOf: async (c) => budgetsInScope([...fileBudgets, ...(await alertStore.budgets(c))], where),
        ...(where ? { where } : {}),
      });
      await work.track(() => alertPoster.deliver(check, budgetsByChannel, inScope));
    }
  };
  const sourceLabel = describeSource(o.source);
  syncs = new Syncs({
    source: o.source,
    sync: (x) => deps.warehouses.sync(o.source, x),
    now,
    log,
    after: afterSync,
    observe: (x) => {
      metrics.syncs.inc({ source: sourceLabel, outcome: x.outcome });
      metrics.syncSeconds.observe({ source: sourceLabel }, x.seconds);
      if (x.rows !== undefined) metrics.syncRows.set({ source: sourceLabel }, x.rows);
    },
  });
  const firstSyncWaitMs = o.config.SPENDBRIEF_FIRST_SYNC_WAIT * 1000;
  /** A question before the first sync waits for it (up to a limit): null when it landed, else why not. */
  const untilSynced = async (): Promise<string | null> => {
    if (await syncs!.waitLanded(firstSyncWaitMs)) return null;
    const st = syncs!.status;
    return st.lastError
      ? `the first sync of ${sourceLabel} failed (${st.lastError}); the server log has the details`
      : `the first sync of ${sourceLabel} has run for ${Math.round((now().getTime() - (st.startedAt?.getTime() ?? now().getTime())) / 1000)} s and is not done${st.progress ? ` (last: ${st.progress.replace(/^sync: /, '')})` : ''}; ask again when it is (GET /readyz says ready)`;
  };
  /** The first sync is under way and has not landed: a question says it waits for it. */
  const firstSyncPending = () => syncs!.status.firstLandedAt === null && syncs!.status.running;
  const assistant =
    o.assistant ??
    createReportAssistant({ source: o.source, deps, budgetsOf: (c) => alertStore.budgets(c), scopes });

  const posters: Partial<Record<'slack' | 'teams', DigestPoster>> = {};
  // A weekly digest is made from data synced just before it (a sync that finds nothing new is
  // cheap); digests due together share one.
  const freshFirst = (p: DigestPoster): DigestPoster => ({
    post: async (s, day, period) => {
      await syncs!.fresh(FRESH_SYNC_MS);
      return p.post(s, day, period);
    },
    ...(p.find ? { find: p.find.bind(p) } : {}),
  });
  const scheduler = new DigestScheduler({
    store,
    posters,
    now,
    log,
    useTimer: o.useTimers,
    observe: {
      posted: (platform, late) => {
        metrics.digests.inc({ platform, outcome: 'posted' });
        metrics.digestLateSeconds.observe({ platform }, late);
      },
      failed: (platform) => metrics.digests.inc({ platform, outcome: 'failed' }),
    },
  });
  const subscriptions = {
    subscribe: (s: Parameters<DigestScheduler['subscribe']>[0]) => scheduler.subscribe(s),
    unsubscribe: (c: string) => scheduler.unsubscribe(c),
  };
  const commands: CommandDeps = {
    access,
    scopes: scopeStore,
    defaultScope: o.config.SPENDBRIEF_DEFAULT_SCOPE,
    subscriptions,
    alerts: alertStore,
    now,
    log,
  };

  const server = express();
  server.disable('x-powered-by');
  let closingNow = false;
  // Liveness: the process serves HTTP. Readiness: the warehouse is open and the first sync landed.
  server.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  server.get('/readyz', (_req, res) => {
    const st = syncs!.status;
    const reason = closingNow
      ? 'shutting down'
      : st.firstLandedAt
        ? null
        : st.lastError
          ? `the first sync of ${sourceLabel} failed: ${st.lastError}`
          : `the first sync of ${sourceLabel} is running${st.startedAt ? ` since ${st.startedAt.toISOString()}` : ''}`;
    metrics.ready.set(reason ? 0 : 1);
    res
      .status(reason ? 503 : 200)
      .json(reason ? { ready: false, reason } : { ready: true, syncedAt: st.firstLandedAt });
  });
  // A consistent copy while serving (`spendbrief backup <file>` asks for it): loopback only, with the
  // token this process wrote beside the warehouse for the user who runs it.
  const adminToken = randomBytes(32).toString('hex');
  server.post('/admin/backup', express.json({ limit: '8kb' }), async (req, res) => {
    const local = ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(req.socket.remoteAddress ?? '');
    const given = Buffer.from(String(req.headers.authorization ?? '').replace(/^Bearer /, ''));
    const ok = local && given.length === adminToken.length && timingSafeEqual(given, Buffer.from(adminToken));
    if (!ok) {
      res
        .status(403)
        .json({ error: 'backup is asked for from this machine, with the token beside the warehouse' });
      return;
    }
    const target = (req.body as { path?: unknown })?.path;
    if (typeof target !== 'string' || !isAbsolute(target)) {
      res.status(400).json({ error: 'path must be an absolute file path' });
      return;
    }
    const conn = await db.fork();
    try {
      const out = await backupTo(conn, target);
      log(`backup: ${out.path} written (${out.tables} tables)`, { path: out.path });
      res.json(out);
    } catch (e) {
      res.status(isCodedError(e) ? 400 : 500).json({ error: describeError(e) });
    } finally {
      conn.close();
    }
  });
  server.get('/metrics', async (_req, res) => {
    metrics.ready.set(!closingNow && syncs!.status.firstLandedAt ? 1 : 0);
    res.set('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
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
      commands,
      access,
      work,
      seen,
      today,
      log,
      metrics,
      untilSynced: async () => (syncs!.status.firstLandedAt ? null : untilSynced()),
      firstSyncPending,
      ...(o.config.SPENDBRIEF_SLACK_IMAGES === 'url' ? { chartUrl: (png: Buffer) => charts.put(png) } : {}),
    });
    posters.slack = freshFirst(slack.poster);
    alertSurfaces.slack = slack.alerts;
  } else {
    log('slack: off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on)');
  }
  const teams = createTeamsAgent(loadAuthConfigFromEnv(), {
    assistant,
    charts,
    commands,
    seen,
    work,
    today,
    log,
    metrics,
    untilSynced: async () => (syncs!.status.firstLandedAt ? null : untilSynced()),
  });
  server.use(teams.router);
  if (o.config.SPENDBRIEF_MCP_TOKEN) {
    const { mcpRouter } = await import('../mcp/http.js');
    const { mcpScope } = await import('../mcp/scope.js');
    server.use(
      mcpRouter({
        token: o.config.SPENDBRIEF_MCP_TOKEN,
        ctx: {
          deps,
          source: o.source,
          scope: mcpScope(o.config.SPENDBRIEF_MCP_SCOPE),
          today,
          ready: async () => (syncs!.status.firstLandedAt ? null : untilSynced()),
        },
        version: VERSION,
        hosts: o.config.SPENDBRIEF_PUBLIC_URL ? [new URL(o.config.SPENDBRIEF_PUBLIC_URL).hostname] : [],
        log,
      }),
    );
    log('mcp: at /mcp (Streamable HTTP, bearer token SPENDBRIEF_MCP_TOKEN)');
  } else log('mcp: off on this server (set SPENDBRIEF_MCP_TOKEN to serve the tools at /mcp)');
  posters.teams = freshFirst(teams.poster);
  alertSurfaces.teams = teams.alerts;

  const http: Server = await new Promise((resolve) => {
    const s = server.listen(o.config.PORT, () => resolve(s));
  });
  if (slack && o.config.SLACK_APP_TOKEN) await slack.app.start();
  const port = (http.address() as AddressInfo).port;
  const adminFile = adminFileOf(o.config.SPENDBRIEF_DB);
  if (adminFile)
    writeFileSync(adminFile, JSON.stringify({ port, token: adminToken, pid: process.pid }), { mode: 0o600 });
  log(
    `spendbrief: listening on :${port} (Slack ${slack ? (o.config.SLACK_APP_TOKEN ? 'Socket Mode' : 'HTTP /slack/events') : 'off'}, Teams /api/messages)`,
  );
  // The source is read by syncs (at start-up, then on SPENDBRIEF_SYNC_CRON), never per question.
  const firstSync = syncs.now();
  if (o.useTimers !== false) syncs.schedule(o.config.SPENDBRIEF_SYNC_CRON);
  void firstSync.then(() => scheduler.start());

  let closing: Promise<void> | null = null;
  return {
    port,
    firstSync,
    sync: () => syncs!.now(),
    scheduler,
    store,
    slack,
    charts,
    metrics,
    close() {
      closingNow = true;
      closing ??= (async () => {
        const drainMs = o.drainMs ?? 20_000;
        // 1. Take no new work.
        scheduler.stop();
        http.close();
        // 2. Finish what is in flight: reports being posted, digests being posted and recorded.
        const [reports, digests] = await Promise.all([work.drain(drainMs), scheduler.drain(drainMs)]);
        if (!reports || !digests)
          log(`shutdown: work still in flight after ${drainMs} ms; it is handed back to the next start`);
        await syncs!.stop(drainMs);
        if (slack && o.config.SLACK_APP_TOKEN) await slack.app.stop();
        http.closeAllConnections?.();
        // 3. Only then close the database.
        db.close();
        if (adminFile) rmSync(adminFile, { force: true });
      })();
      return closing;
    },
  };
}
