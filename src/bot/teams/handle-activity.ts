/**
 * One Teams turn: a message (`@spendbrief drivers 30d by service`) or an Action.Submit from one of
 * our cards (a message whose `value` carries the drill-down payload). Parsed by the same grammar as
 * Slack, answered by the same assistant, rendered as an Adaptive Card whose charts are served by
 * the app itself (ChartStore). A bad command or a failure is answered in the conversation, never
 * silently dropped.
 */
import { ActivityTypes } from '@microsoft/agents-activity';
import { CardFactory, MessageFactory, type TurnContext } from '@microsoft/agents-hosting';
import { describeError } from '../../errors.js';
import { renderCard } from '../../render/card.js';
import type { Assistant, ChatRequest } from '../assistant.js';
import { parseCommand, parseDrillPayload, usage } from '../commands/index.js';
import type { Subscriptions } from '../slack/listeners/deps.js';
import type { ChartStore } from './chart-store.js';

export interface TeamsActivityDeps {
  assistant: Assistant;
  charts: ChartStore;
  subscriptions: Subscriptions;
  today: () => string;
  log: (line: string) => void;
}

/** Teams puts `<at>name</at>` mentions in the text; the command is what follows. */
export function commandText(text: string | undefined): string {
  return (text ?? '')
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/&nbsp;/g, ' ')
    .trim();
}

async function reply(context: TurnContext, card: object | null, text?: string): Promise<void> {
  const activity = card
    ? MessageFactory.attachment(CardFactory.adaptiveCard(card), text)
    : MessageFactory.text(text ?? '');
  await context.sendActivity(activity);
}

/**
 * An Action.Submit arrives as a reply to the card it came from (`replyToId`): answers go to that
 * message's thread rather than to the submit activity (the SDK would use the latter by default).
 */
function threadRepliesUnderTheCard(context: TurnContext): void {
  const cardId = context.activity.replyToId;
  if (!cardId) return;
  context.onSendActivities(async (_ctx, activities, next) => {
    for (const a of activities) a.replyToId = cardId;
    return next();
  });
}

export async function handleActivity(context: TurnContext, deps: TeamsActivityDeps): Promise<void> {
  const activity = context.activity;
  if (activity.type !== ActivityTypes.Message) return;
  const conversation = activity.conversation?.id ?? '';
  threadRepliesUnderTheCard(context);
  let request: ChatRequest;
  try {
    request =
      activity.value && typeof activity.value === 'object'
        ? parseDrillPayload(activity.value)
        : parseCommand(commandText(activity.text));
  } catch (e) {
    await reply(context, null, `${describeError(e)}\n\n${usage('@spendbrief')}`);
    return;
  }
  try {
    if (request.kind === 'help') {
      await reply(context, null, usage('@spendbrief'));
      return;
    }
    if (request.kind === 'subscribe') {
      const reference = JSON.stringify(activity.getConversationReference());
      await deps.subscriptions.subscribe({
        channel: conversation,
        platform: 'teams',
        weekday: request.weekday,
        time: request.time,
        zone: request.zone,
        reference,
      });
      await reply(
        context,
        null,
        `This conversation gets the weekly spend digest every ${request.weekday} at ${request.time} (${request.zone}).`,
      );
      return;
    }
    if (request.kind === 'unsubscribe') {
      const had = await deps.subscriptions.unsubscribe(conversation);
      await reply(
        context,
        null,
        had ? 'The weekly digest is off for this conversation.' : 'This conversation had no weekly digest.',
      );
      return;
    }
    const rendered = await deps.assistant.run(request, {
      channel: conversation,
      user: activity.from?.id ?? '',
      today: deps.today(),
    });
    const card = renderCard(rendered.report, (chart) => {
      const png = rendered.images.get(chart.id);
      return png ? deps.charts.put(png) : null;
    });
    await reply(context, card, rendered.report.title);
  } catch (e) {
    deps.log(`teams: ${request.kind} failed: ${describeError(e)}`);
    await reply(context, null, `Sorry, that did not work: ${describeError(e)}`);
  }
}
