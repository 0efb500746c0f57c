/** `/spend ...`: ack at once, then compute and post the report in the channel. */
import type { App } from '@slack/bolt';
import { describeError } from '../../../errors.js';
import { MANAGE_REFUSAL, REFUSAL } from '../../access.js';
import type { ChatRequest } from '../../assistant.js';
import { parseCommand, usage } from '../../commands/grammar.js';
import { applySetting, isSetting } from '../../settings.js';
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
    if ((context.retryNum ?? 0) > 0 || !deps.seen.firstInMemory(`slack:cmd:${command.trigger_id}`)) {
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
    // A cost report is sensitive: a channel off the allow-list gets a polite no, and nothing runs.
    if (!deps.access.mayAsk('slack', command.channel_id)) {
      deps.log(
        `slack: refused /spend ${request.kind} in ${command.channel_id} (not on SPENDBRIEF_SLACK_CHANNELS)`,
      );
      await ack({ response_type: 'ephemeral', text: REFUSAL });
      return;
    }
    if (request.kind === 'subscribe' || request.kind === 'unsubscribe') {
      if (!deps.access.mayManage('slack', command.channel_id)) {
        await ack({ response_type: 'ephemeral', text: MANAGE_REFUSAL });
        return;
      }
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
    if (isSetting(request)) {
      if (!deps.access.mayManage('slack', command.channel_id)) {
        await ack({ response_type: 'ephemeral', text: MANAGE_REFUSAL });
        return;
      }
      try {
        const text = await applySetting(
          request,
          { channel: command.channel_id, platform: 'slack', reference: null },
          deps.alerts,
        );
        await ack({ response_type: 'in_channel', text });
      } catch (e) {
        await ack({ response_type: 'ephemeral', text: `Sorry, that did not work: ${describeError(e)}` });
      }
      return;
    }
    await ack({ response_type: 'ephemeral', text: 'Working on it…' });
    const report = request;
    await deps.work.track(async () => {
      try {
        const rendered = await deps.assistant.run(report, {
          channel: command.channel_id,
          user: command.user_id,
          today: deps.today(),
        });
        await postReport(client, command.channel_id, rendered);
      } catch (e) {
        deps.log(`slack: /spend ${report.kind} failed: ${describeError(e)}`);
        await client.chat
          .postEphemeral({
            channel: command.channel_id,
            user: command.user_id,
            text: `Sorry, I could not make that report: ${describeError(e)}\nTry \`/spend help\`; if the channel is private, invite the app first.`,
          })
          .catch((x) => deps.log(`slack: could not tell ${command.user_id} either: ${describeError(x)}`));
      }
    });
  });
}
