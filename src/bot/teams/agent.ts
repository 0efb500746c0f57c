/**
 * The Teams surface on the Microsoft 365 Agents SDK (`@microsoft/agents-hosting`, the supported
 * successor of botbuilder). Mounted on the same express server as the Slack receiver:
 *
 *   POST /api/messages   the SDK's JWT validation -> JSON (a body that is not JSON: 400, one log
 *                        line, never the body) -> a redelivered activity id is acknowledged and
 *                        dropped -> the turn is answered at once (handle-activity.ts); a report
 *                        is built afterwards and sent into the conversation (proactively)
 *
 * Every send retries 429, 412, 502 and 504 (retry.ts). The SDK's own configuration decides
 * validation: with a client id every request needs a valid token; without one, and only outside
 * NODE_ENV=production, the SDK runs anonymously (its local-testing mode).
 */
import type { Activity, ConversationReference } from '@microsoft/agents-activity';
import {
  type Request as AgentsRequest,
  type AuthConfiguration,
  authorizeJWT,
  CardFactory,
  CloudAdapter,
  type ConnectorClient,
  MessageFactory,
  type TurnContext,
} from '@microsoft/agents-hosting';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { describeError } from '../../errors.js';
import type { AlertSurface } from '../alerts/poster.js';
import type { InFlight } from '../in-flight.js';
import type { DigestPoster } from '../scheduler/scheduler.js';
import type { SeenLog } from '../seen-log.js';
import { type StoredReference, scopeKeyOf } from './conversation.js';
import {
  answerInvoke,
  cardFor,
  handleActivity,
  isExecute,
  reportCard,
  type TeamsActivityDeps,
} from './handle-activity.js';
import { withConnectorRetry } from './retry.js';

export interface TeamsAgent {
  router: Router;
  adapter: CloudAdapter;
  /** Posts weekly digests as new posts in the stored channel or chat. */
  poster: DigestPoster;
  /** Posts alerts (a new post each) and their follow-ups (replies in its thread). */
  alerts: AlertSurface;
}

export interface TeamsAgentDeps extends TeamsActivityDeps {
  seen: SeenLog;
  work: InFlight;
}

/** A CloudAdapter whose every send is retried on throttling and transient gateway errors. */
class RetryingAdapter extends CloudAdapter {
  constructor(
    config: AuthConfiguration,
    private readonly log: (line: string) => void,
    private readonly onRetry: (status: number | undefined) => void,
  ) {
    super(config);
  }

  override async sendActivities(context: TurnContext, activities: Activity[]) {
    const out = [];
    // One at a time: a retried batch would send its first activities twice.
    for (const a of activities)
      out.push(
        ...(await withConnectorRetry(() => super.sendActivities(context, [a]), {
          log: this.log,
          what: `a ${a.type}`,
          onRetry: this.onRetry,
        })),
      );
    return out;
  }
}

export function createTeamsAgent(authConfig: AuthConfiguration, deps: TeamsAgentDeps): TeamsAgent {
  const onRetry = (status: number | undefined) => {
    deps.metrics?.retries.inc({ platform: 'teams', reason: status ? `http_${status}` : 'error' });
    if (status === 429) deps.metrics?.rateLimited.inc({ platform: 'teams' });
  };
  const adapter = new RetryingAdapter(authConfig, deps.log, onRetry);
  // The SDK's default posts "The agent encountered an error" into the conversation and swallows it.
  adapter.onTurnError = async (_context, error) => {
    throw error;
  };
  const appId = authConfig.clientId || 'anonymous';
  const welcomedAt = new Map<string, number>();
  const welcomed = (conversation: string) => {
    const last = welcomedAt.get(conversation) ?? 0;
    welcomedAt.set(conversation, Date.now());
    return Date.now() - last > 5 * 60_000;
  };

  const turn = async (context: TurnContext): Promise<void> => {
    const a = context.activity;
    if (a.id && !(await deps.seen.first(`teams:${a.id}`))) {
      deps.log(`teams: activity ${a.id} delivered again; it was answered already`);
      // An invoke must still be answered (HTTP 200), or Teams shows the button as failed.
      if (isExecute(a)) await answerInvoke(context, 'Already on it.');
      return;
    }
    const later = await handleActivity(context, deps, welcomed);
    if (!later) return;
    const reference = a.getConversationReference();
    const identity = context.identity ?? appId;
    // After the HTTP answer: the report goes into the conversation on its own.
    void deps.work.track(() =>
      adapter.continueConversation(identity, reference, later).catch((e) => {
        deps.log(`teams: could not answer in ${reference.conversation?.id}: ${describeError(e)}`);
      }),
    );
  };

  const router = express.Router();
  router.post(
    '/api/messages',
    authorizeJWT(authConfig),
    express.json({ limit: '1mb' }),
    (err: unknown, _req: Request, res: Response, next: NextFunction) => {
      if ((err as { type?: string })?.type === 'entity.parse.failed') {
        deps.log('teams: refused a request whose body is not JSON (400)');
        res.status(400).json({ error: 'the body is not JSON' });
        return;
      }
      next(err);
    },
    async (req: Request, res: Response) => {
      try {
        await adapter.process(req as unknown as AgentsRequest, res, turn);
      } catch (e) {
        deps.log(`teams: refused a request that is not an activity (400): ${describeError(e).slice(0, 120)}`);
        if (!res.headersSent) res.status(400).json({ error: 'not an activity' });
      }
    },
  );

  const referenceOf = (ref: StoredReference, conversationId = ref.conversationId) =>
    ({
      channelId: 'msteams',
      serviceUrl: ref.serviceUrl,
      agent: ref.bot,
      conversation: {
        id: conversationId,
        conversationType: ref.conversationType,
        tenantId: ref.tenantId ?? undefined,
        isGroup: ref.conversationType !== 'personal',
      },
    }) as ConversationReference;

  /**
   * A new post in the stored conversation: in a channel, a new thread (not a reply in the thread of
   * the command that stored it). Returns the id replies thread under: the new thread's
   * conversation id in a channel, the activity id in a chat.
   */
  const postNew = async (
    stored: string | null,
    where: string,
    activity: Partial<Activity>,
    what: string,
  ): Promise<string> => {
    if (!stored) throw new Error(`no conversation reference stored for ${where}`);
    const ref = JSON.parse(stored) as StoredReference;
    let id = '';
    await adapter.continueConversation(appId, referenceOf(ref), async (context) => {
      if (ref.conversationType === 'channel' && ref.teamsChannelId) {
        const client = context.turnState.get<ConnectorClient>(adapter.ConnectorClientKey);
        const created = await withConnectorRetry(
          () =>
            client.createConversation({
              isGroup: true,
              agent: ref.bot,
              tenantId: ref.tenantId ?? undefined,
              channelData: {
                channel: { id: ref.teamsChannelId },
                ...(ref.tenantId ? { tenant: { id: ref.tenantId } } : {}),
              },
              activity,
            } as Parameters<ConnectorClient['createConversation']>[0]),
          { log: deps.log, what, onRetry },
        );
        id = created.id ?? created.activityId ?? '';
      } else {
        context.onSendActivities(async (_ctx, activities, next) => {
          for (const a of activities) a.replyToId = undefined;
          return next();
        });
        id = (await context.sendActivity(activity as Activity))?.id ?? '';
      }
    });
    return id;
  };

  const poster: DigestPoster = {
    async post(s, today) {
      // The due day, as on Slack: a digest caught up later in the week covers the week it was due.
      const { card, title } = await reportCard(
        deps,
        { kind: 'digest', where: [] },
        { channel: s.channel, user: '', today, scopeKey: scopeKeyOf(s.reference, s.channel) },
      );
      return postNew(
        s.reference,
        s.channel,
        MessageFactory.attachment(CardFactory.adaptiveCard(card), title),
        'a digest post',
      );
    },
  };

  const alerts: AlertSurface = {
    async post(c, rendered) {
      const card = await cardFor(deps, rendered);
      return postNew(
        c.reference,
        c.channel,
        MessageFactory.attachment(CardFactory.adaptiveCard(card), rendered.report.title),
        'an alert',
      );
    },
    async reply(c, threadId, text) {
      if (!c.reference) throw new Error(`no conversation reference stored for ${c.channel}`);
      const ref = JSON.parse(c.reference) as StoredReference;
      // In a channel the thread is its own conversation; in a chat there are no threads.
      const conversation =
        ref.conversationType === 'channel' && threadId.includes(';messageid=')
          ? threadId
          : ref.conversationId;
      await adapter.continueConversation(appId, referenceOf(ref, conversation), async (context) => {
        await context.sendActivity(MessageFactory.text(text));
      });
    },
  };
  return { router, adapter, poster, alerts };
}
