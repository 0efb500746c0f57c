/**
 * The Teams surface on the Microsoft 365 Agents SDK (`@microsoft/agents-hosting`, the supported
 * successor of botbuilder). Mounted on the same express server as the Slack receiver:
 *
 *   POST /api/messages   JSON body -> the SDK's JWT validation -> CloudAdapter -> handleActivity
 *
 * The SDK's own configuration decides validation: with a client id (`clientId`, `clientSecret`,
 * `tenantId`) every request needs a valid Bot Framework token; without one, and only outside
 * NODE_ENV=production, the SDK runs anonymously (its local-testing mode).
 */
import type { ConversationReference } from '@microsoft/agents-activity';
import {
  type Request as AgentsRequest,
  type AuthConfiguration,
  authorizeJWT,
  CardFactory,
  CloudAdapter,
  MessageFactory,
} from '@microsoft/agents-hosting';
import express, { type Router } from 'express';
import { renderCard } from '../../render/card.js';
import type { DigestPoster } from '../scheduler/scheduler.js';
import { handleActivity, type TeamsActivityDeps } from './handle-activity.js';

export interface TeamsAgent {
  router: Router;
  adapter: CloudAdapter;
  /** Posts weekly digests into stored conversations (proactive messages). */
  poster: DigestPoster;
}

export function createTeamsAgent(authConfig: AuthConfiguration, deps: TeamsActivityDeps): TeamsAgent {
  const adapter = new CloudAdapter(authConfig);
  const router = express.Router();
  router.post('/api/messages', express.json({ limit: '1mb' }), authorizeJWT(authConfig), async (req, res) => {
    await adapter.process(req as unknown as AgentsRequest, res, (context) => handleActivity(context, deps));
  });
  const poster: DigestPoster = {
    async post(s, today) {
      if (!s.reference) throw new Error(`no conversation reference stored for ${s.channel}`);
      // A new message in the conversation, not a reply to the "subscribe" message the reference came from.
      const { activityId: _subscribeMessage, ...reference } = JSON.parse(
        s.reference,
      ) as ConversationReference;
      const rendered = await deps.assistant.run({ kind: 'digest' }, { channel: s.channel, user: '', today });
      const card = renderCard(rendered.report, (chart) => {
        const png = rendered.images.get(chart.id);
        return png ? deps.charts.put(png) : null;
      });
      let id = '';
      // Anonymous (local testing) has no client id: the stored reference names the agent instead.
      const appId = authConfig.clientId || reference.agent?.id || 'anonymous';
      await adapter.continueConversation(appId, reference as ConversationReference, async (context) => {
        // The SDK would address the continuation's own id; a digest is a new top-level message.
        context.onSendActivities(async (_ctx, activities, next) => {
          for (const a of activities) a.replyToId = undefined;
          return next();
        });
        id =
          (
            await context.sendActivity(
              MessageFactory.attachment(CardFactory.adaptiveCard(card), rendered.report.title),
            )
          )?.id ?? '';
      });
      return id;
    },
  };
  return { router, adapter, poster };
}
