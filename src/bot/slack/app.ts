/**
 * The Slack app: Bolt with its HTTP receiver on Express (so the Teams endpoint and the chart
 * route share the server), or Socket Mode when an app-level token is given. Every Web API call
 * goes to `apiUrl` (SLACK_API_URL). Bolt's request signature check stays on.
 */
import { App, ExpressReceiver, LogLevel, webApi } from '@slack/bolt';
import type { Application } from 'express';
import type { AlertSurface } from '../alerts/poster.js';
import type { DigestPoster } from '../scheduler/scheduler.js';
import type { Subscription } from '../scheduler/store.js';
import { findDigest, postReport } from './deliver.js';
import { registerAgentView } from './listeners/agent-view.js';
import type { SlackDeps } from './listeners/deps.js';
import { registerDrillAction } from './listeners/drill-action.js';
import { registerSpendCommand } from './listeners/spend-command.js';

export interface SlackAppOptions extends SlackDeps {
  botToken: string;
  signingSecret: string;
  appToken?: string;
  apiUrl?: string;
  /** The shared Express server (HTTP mode). */
  server?: Application;
}

export interface SlackApp {
  app: App;
  receiver: ExpressReceiver | null;
  client: webApi.WebClient;
  /** Posts weekly digests for the scheduler. */
  poster: DigestPoster;
  /** Alerts: a message each, follow-ups in its thread. */
  alerts: AlertSurface;
}

/** Bolt's and the WebClient's own warnings, into the server's log (one JSON line each, redacted). */
function boltLogger(log: SlackAppOptions['log']) {
  let level = LogLevel.WARN;
  const at =
    (l: LogLevel, fields: LogLevel) =>
    (...msg: unknown[]) => {
      const order = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];
      if (order.indexOf(l) >= order.indexOf(level))
        log(`slack: ${msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' ')}`, {
          level:
            fields === LogLevel.ERROR
              ? 'error'
              : fields === LogLevel.WARN
                ? 'warn'
                : fields === LogLevel.INFO
                  ? 'info'
                  : 'debug',
        });
    };
  return {
    debug: at(LogLevel.DEBUG, LogLevel.DEBUG),
    info: at(LogLevel.INFO, LogLevel.INFO),
    warn: at(LogLevel.WARN, LogLevel.WARN),
    error: at(LogLevel.ERROR, LogLevel.ERROR),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

export function createSlackApp(o: SlackAppOptions): SlackApp {
  const logger = boltLogger(o.log);
  const clientOptions = {
    slackApiUrl: o.apiUrl ?? 'https://slack.com/api/',
    // The WebClient's own retry policy (ten retries in about 30 minutes), each retry counted.
    retryConfig: {
      ...webApi.retryPolicies.tenRetriesInAboutThirtyMinutes,
      onFailedAttempt: () => o.metrics?.retries.inc({ platform: 'slack', reason: 'retry' }),
    },
  };
  const receiver = o.appToken
    ? null
    : new ExpressReceiver({
        signingSecret: o.signingSecret,
        ...(o.server ? { app: o.server } : {}),
        logger,
        logLevel: LogLevel.WARN,
      });
  const app = o.appToken
    ? new App({
        token: o.botToken,
        appToken: o.appToken,
        socketMode: true,
        signingSecret: o.signingSecret,
        clientOptions,
        logger,
        logLevel: LogLevel.WARN,
      })
    : new App({ token: o.botToken, receiver: receiver!, clientOptions, logger, logLevel: LogLevel.WARN });
  const deps: SlackDeps = o;
  // Slack's 429s: the WebClient waits as long as Retry-After says, then retries; counted here.
  app.client.on(webApi.WebClientEvent.RATE_LIMITED, (retryAfter: number, { url }: { url: string }) => {
    o.metrics?.rateLimited.inc({ platform: 'slack' });
    o.log(`slack: rate limited on ${url.replace(/^.*\/api\//, '')}; retrying after ${retryAfter} s`, {
      level: 'warn',
      retryAfterSeconds: retryAfter,
    });
  });
  registerSpendCommand(app, deps);
  registerDrillAction(app, deps);
  registerAgentView(app, deps);
  app.error(async (e) => o.log(`slack: ${e.code ?? 'error'}: ${e.message}`));
  return {
    app,
    receiver,
    client: app.client,
    poster: {
      async post(s: Subscription, today: string, period: string) {
        const rendered = await o.assistant.run(
          { kind: 'digest', where: [] },
          { channel: s.channel, user: '', today },
        );
        return postReport(app.client, s.channel, rendered, {
          chartUrl: o.chartUrl,
          metadata: { event_type: 'spendbrief_digest', event_payload: { channel: s.channel, period } },
        });
      },
      find: (s, period, since) => findDigest(app.client, s.channel, period, since),
    },
    alerts: {
      post: (c, rendered) => postReport(app.client, c.channel, rendered, { chartUrl: o.chartUrl }),
      reply: async (c, threadTs, text) => {
        await app.client.chat.postMessage({ channel: c.channel, thread_ts: threadTs, text });
      },
    },
  };
}
