/**
 * One Teams turn, answered at once:
 *
 *   message        parsed by the same grammar as Slack. Help, usage errors, subscribe and
 *                  unsubscribe are answered in the turn; a report gets a typing indicator in the
 *                  turn and is built and sent afterwards (`later`), so the HTTP answer never waits
 *                  for it and Teams never redelivers
 *   Action.Execute a button (Universal Actions, an adaptiveCard/action invoke): the invoke answered
 *                  at once with a message, the report threaded under the card; Action.Submit, its
 *                  fallback on older clients, the same without the invoke
 *   install        (installationUpdate `add`, or the bot among a conversationUpdate's membersAdded)
 *                  a welcome card
 *
 * A bad command or a failure is answered in the conversation, never silently dropped.
 */
import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import { CardFactory, MessageFactory, type TurnContext } from '@microsoft/agents-hosting';
import { describeError } from '../../errors.js';
import { renderCard } from '../../render/card.js';
import type { Assistant, ChatRequest, RenderedReport, ReportRequest } from '../assistant.js';
import { type CommandDeps, handleCommand, type Outcome } from '../commands/handle.js';
import { parseActionPayload, parseCommand, usage } from '../commands/index.js';
import type { Metrics } from '../metrics.js';
import type { ChartStore } from './chart-store.js';
import { storedReference, subscriptionKey, teamOf } from './conversation.js';
import { welcomeCard } from './welcome.js';

export interface TeamsActivityDeps {
  assistant: Assistant;
  charts: ChartStore;
  /** Who may do what, scopes, subscriptions and settings: shared with Slack. */
  commands: CommandDeps;
  metrics?: Metrics;
  /** Waits for the server's first sync when it has not landed: null once it has, else why not. */
  untilSynced?: () => Promise<string | null>;
  today: () => string;
  log: (line: string) => void;
}

/** What a turn leaves to do after its HTTP answer: a report to build and send into the conversation. */
export type Later = (context: TurnContext) => Promise<void>;

/** Teams puts `<at>name</at>` mentions in the text; the command is what follows. */
export function commandText(text: string | undefined): string {
  return (text ?? '')
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/&nbsp;/g, ' ')
    .trim();
}

async function reply(context: TurnContext, card: object | null, text?: string): Promise<void> {
  await context.sendActivity(
    card ? MessageFactory.attachment(CardFactory.adaptiveCard(card), text) : MessageFactory.text(text ?? ''),
  );
}

/**
 * An Action.Submit arrives as a reply to the card it came from (`replyToId`): answers go to that
 * message's thread rather than to the submit activity (the SDK would use the latter by default).
 */
export function threadUnder(context: TurnContext, messageId: string | undefined): void {
  if (!messageId) return;
  context.onSendActivities(async (_ctx, activities, next) => {
    for (const a of activities) a.replyToId = messageId;
    return next();
  });
}

/** A Universal Action (Action.Execute) arrives as an invoke named adaptiveCard/action. */
export const isExecute = (a: Activity) => a.type === ActivityTypes.Invoke && a.name === 'adaptiveCard/action';

/**
 * The invoke's answer, the Universal Action model's message response: the adapter writes it as the
 * HTTP response of the invoke (an invoke without one is answered 501).
 */
export async function answerInvoke(context: TurnContext, text: string): Promise<void> {
  await context.sendActivity(
    Activity.fromObject({
      type: 'invokeResponse',
      value: {
        status: 200,
        body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text },
      },
    }),
  );
}

const botAdded = (a: Activity) =>
  a.type === ActivityTypes.ConversationUpdate && (a.membersAdded ?? []).some((m) => m.id === a.recipient?.id);
const installed = (a: Activity) =>
  a.type === 'installationUpdate' && /^add/.test(String((a as { action?: string }).action ?? ''));

/** The report as a card whose charts the app serves from SPENDBRIEF_DB. */
export async function reportCard(
  deps: TeamsActivityDeps,
  request: ReportRequest,
  ctx: { channel: string; user: string; today: string; scopeKey?: string },
) {
  const rendered = await deps.assistant.run(request, ctx);
  return { card: await cardFor(deps, rendered), title: rendered.report.title };
}

/** A rendered report as an Adaptive Card, its charts stored and served at their public URLs. */
export async function cardFor(deps: Pick<TeamsActivityDeps, 'charts'>, rendered: RenderedReport) {
  const urls = new Map<string, string>();
  for (const [id, png] of rendered.images) urls.set(id, await deps.charts.put(png));
  return renderCard(rendered.report, (chart) => urls.get(chart.id) ?? null);
}

export async function handleActivity(
  context: TurnContext,
  deps: TeamsActivityDeps,
  welcomed: (conversation: string) => boolean,
): Promise<Later | null> {
  const activity = context.activity;
  const conversation = subscriptionKey(activity);
  if (installed(activity) || botAdded(activity)) {
    if (welcomed(conversation)) await reply(context, welcomeCard(), 'spendbrief is here');
    return null;
  }
  const execute = isExecute(activity);
  if (activity.type !== ActivityTypes.Message && !execute) return null;
  // A button: Action.Execute (an adaptiveCard/action invoke) or its Action.Submit fallback.
  const data = execute
    ? (activity.value as { action?: { data?: unknown } } | undefined)?.action?.data
    : activity.value && typeof activity.value === 'object'
      ? activity.value
      : undefined;
  // The invoke is answered at once, as Teams expects (HTTP 200 with a message); the report
  // follows as a reply in the card's thread, like a submitted button's.
  if (execute) await answerInvoke(context, 'Working on it…');
  const cardId = data ? activity.replyToId : undefined;
  threadUnder(context, cardId);
  let request: ChatRequest;
  try {
    request = data ? parseActionPayload(data) : parseCommand(commandText(activity.text));
  } catch (e) {
    await reply(context, null, `${describeError(e)}\n\n${usage('@spendbrief')}`);
    return null;
  }
  if (request.kind === 'help') {
    await reply(context, null, usage('@spendbrief'));
    return null;
  }
  const scopeKey = teamOf(activity);
  const user = activity.from?.aadObjectId ?? activity.from?.id ?? '';
  let outcome: Outcome;
  try {
    outcome = await handleCommand(
      request,
      {
        platform: 'teams',
        channel: conversation,
        scopeKey,
        user,
        reference: JSON.stringify(storedReference(activity)),
      },
      deps.commands,
    );
  } catch (e) {
    await reply(context, null, `Sorry, that did not work: ${describeError(e)}`);
    return null;
  }
  if (outcome.kind === 'reply') {
    if (outcome.refused)
      deps.metrics?.requests.inc({ surface: 'teams', kind: request.kind, outcome: 'refused' });
    await reply(context, null, outcome.text);
    return null;
  }
  const report = outcome.request;
  // A report: typing now, the card later (the HTTP answer does not wait for it).
  await context.sendActivity(Activity.fromObject({ type: ActivityTypes.Typing }));
  return async (later: TurnContext) => {
    threadUnder(later, cardId);
    try {
      // Before the first sync has landed, the question waits for it (the typing indicator shows).
      const slow = await deps.untilSynced?.();
      if (slow) {
        await reply(later, null, `Sorry, I could not answer yet: ${slow}.`);
        return;
      }
      const make = () =>
        reportCard(deps, report, { channel: conversation, user, today: deps.today(), scopeKey });
      const { card, title } = deps.metrics
        ? await deps.metrics.timeRequest('teams', report.kind, make)
        : await make();
      await reply(later, card, title);
    } catch (e) {
      deps.log(`teams: ${report.kind} failed: ${describeError(e)}`);
      await reply(later, null, `Sorry, that did not work: ${describeError(e)}`);
    }
  };
}
