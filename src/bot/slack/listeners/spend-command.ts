/** `/spend ...`: ack at once, then compute and post the report in the channel. */
import type { App } from '@slack/bolt';
import { describeError } from '../../../errors.js';
import type { ChatRequest } from '../../assistant.js';
import { parseCommand, usage } from '../../commands/grammar.js';
import { postReport } from '../deliver.js';
import type { SlackDeps } from './deps.js';

const WEEKDAY_NAMES = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

export function registerSpendCommand(app: App, deps: SlackDeps): void {
  app.command('/spend', async ({ command, ack, client, context }) => {
    // A retried or duplicated delivery of a command already being answered: acknowledge only.
    if (!deps.seen.first(`cmd:${command.trigger_id}`) || (context.retryNum ?? 0) > 0) {
      await ack();
      return;
    }
    let request: ChatRequest;
    try {
      request = parseCommand(command.text ?? '');
    } catch (e) {
      await ack({ response_type: 'ephemeral', text: `${describeError(e)}\n\n${usage()}` });
      return;
    }
    if (request.kind === 'help') {
      await ack({ response_type: 'ephemeral', text: usage() });
      return;
    }
    if (request.kind === 'subscribe' || request.kind === 'unsubscribe') {
      try {
        if (request.kind === 'subscribe') {
          await deps.subscriptions.subscribe({
            channel: command.channel_id,
            platform: 'slack',
            weekday: request.weekday,
            time: request.time,
            zone: request.zone,
            reference: null,
          });
          await ack({
            response_type: 'in_channel',
            text: `This channel gets the weekly spend digest every ${WEEKDAY_NAMES[request.weekday]} at ${request.time} (${request.zone}).`,
          });
        } else {
          const had = await deps.subscriptions.unsubscribe(command.channel_id);
          await ack({
            response_type: 'ephemeral',
            text: had ? 'The weekly digest is off for this channel.' : 'This channel had no weekly digest.',
          });
        }
      } catch (e) {
        await ack({ response_type: 'ephemeral', text: `Sorry, that did not work: ${describeError(e)}` });
      }
      return;
    }
    await ack({ response_type: 'ephemeral', text: 'Working on it…' });
    try {
      const rendered = await deps.assistant.run(request, {
        channel: command.channel_id,
        user: command.user_id,
        today: deps.today(),
      });
      await postReport(client, command.channel_id, rendered);
    } catch (e) {
      deps.log(`slack: /spend ${request.kind} failed: ${describeError(e)}`);
      await client.chat.postEphemeral({
        channel: command.channel_id,
        user: command.user_id,
        text: `Sorry, I could not make that report: ${describeError(e)}\nTry \`/spend help\`; if the channel is private, invite the app first.`,
      });
    }
  });
}
