/**
 * Slack's agent view (the app's Messages tab): suggested prompts when the tab opens, and direct
 * messages in plain words answered with the report they map to (commands/natural.ts), saying how
 * the question was read; a slash-command line typed there works too. A question that maps to no
 * report gets the closest command and the help, never a guess.
 */
import type { App } from '@slack/bolt';
import { describeError } from '../../../errors.js';
import type { ChatRequest } from '../../assistant.js';
import { parseCommand, usage } from '../../commands/grammar.js';
import { handleCommand } from '../../commands/handle.js';
import { readQuestion } from '../../commands/natural.js';
import { postReport } from '../deliver.js';
import type { SlackDeps } from './deps.js';

/** At most four, as Slack shows them. */
export const SUGGESTED_PROMPTS = [
  { title: 'Why did spend move?', message: 'Why did spend go up last week?' },
  { title: 'Month-end forecast', message: 'What will this month cost?' },
  { title: 'Anomalies', message: 'Any anomalies this week?' },
  { title: 'Carbon', message: 'Carbon footprint this month' },
];

export function registerAgentView(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'messages') return;
    // No thread_ts: in the agent view a prompt belongs to the conversation (it would fail silently).
    await client.assistant.threads
      .setSuggestedPrompts({
        channel_id: event.channel,
        title: 'Ask about your cloud spend',
        prompts: SUGGESTED_PROMPTS,
      })
      .catch((e) =>
        deps.log(`slack: could not set the suggested prompts: ${describeError(e)}`, { level: 'warn' }),
      );
  });

  app.message(async ({ message, client }) => {
    const m = message as {
      channel_type?: string;
      subtype?: string;
      bot_id?: string;
      text?: string;
      channel: string;
      user?: string;
      ts: string;
      thread_ts?: string;
    };
    if (m.channel_type !== 'im' || m.subtype || m.bot_id || !m.user || !m.text?.trim()) return;
    const channel = m.channel;
    const say = (text: string) =>
      client.chat.postMessage({ channel, text, ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}) });
    await deps.work.track(async () => {
      try {
        let request: ChatRequest | null = null;
        let readAs = '';
        try {
          request = parseCommand(m.text!);
        } catch {
          const reading = readQuestion(
            m.text!,
            deps.today(),
            await deps.assistant.vocabulary({ channel, user: m.user!, today: deps.today() }),
          );
          if (reading.kind === 'unknown') {
            await say(
              `I could not turn that into a report, so I will not guess. The closest: \`/spend ${reading.closest}\`. Ask about a window ("last week", "this month", "in October"), a service, a team or an account, or type a command:\n${usage('')}`,
            );
            return;
          }
          request = reading.request;
          readAs = reading.command;
        }
        if (request.kind === 'help') {
          await say(usage(''));
          return;
        }
        const outcome = await handleCommand(
          request,
          { platform: 'slack', channel, scopeKey: channel, user: m.user!, reference: null },
          deps.commands,
        );
        if (outcome.kind === 'reply') {
          await say(outcome.text);
          return;
        }
        if (readAs) await say(`Reading that as \`/spend ${readAs}\`.`);
        const run = () =>
          deps.assistant.run(outcome.request, { channel, user: m.user!, today: deps.today() });
        const rendered = deps.metrics
          ? await deps.metrics.timeRequest('slack-dm', outcome.request.kind, run)
          : await run();
        await postReport(client, channel, rendered, {
          ...(m.thread_ts ? { threadTs: m.thread_ts } : {}),
          chartUrl: deps.chartUrl,
        });
      } catch (e) {
        deps.log(`slack: a direct message failed: ${describeError(e)}`, { level: 'warn', channel });
        await say(`Sorry, I could not answer that: ${describeError(e)}`).catch(() => {});
      }
    });
  });
}
