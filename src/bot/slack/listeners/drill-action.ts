/**
 * A report's buttons: a contributor's drill-down (broken down by the next dimension) or one of the
 * digest's "more" buttons (a report by command); the answer is a threaded reply.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { describeError } from '../../../errors.js';
import { REFUSAL } from '../../access.js';
import { parseActionPayload } from '../../commands/grammar.js';
import { mayAskHere } from '../../commands/handle.js';
import { postReport } from '../deliver.js';
import type { SlackDeps } from './deps.js';

export function registerDrillAction(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(/^(drill|run):\d+$/, async ({ ack, body, action, client }) => {
    await ack();
    const channel = body.channel?.id ?? body.container?.channel_id;
    const user = body.user.id;
    if (!channel || !deps.seen.firstInMemory(`slack:act:${action.action_ts}:${user}`)) return;
    // Reply in the thread of the message the button is on (or the thread it already lives in).
    const threadTs = body.message?.thread_ts ?? body.message?.ts ?? body.container?.message_ts;
    const tell = (text: string) =>
      client.chat
        .postEphemeral({ channel, user, text, ...(threadTs ? { thread_ts: threadTs } : {}) })
        .catch((x) => deps.log(`slack: could not tell ${user}: ${describeError(x)}`));
    if (!(await mayAskHere({ platform: 'slack', scopeKey: channel }, deps.commands))) {
      await tell(REFUSAL);
      return;
    }
    await deps.work.track(async () => {
      try {
        const request = parseActionPayload(action.value);
        const rendered = await deps.assistant.run(request, { channel, user, today: deps.today() });
        await postReport(client, channel, rendered, { threadTs, chartUrl: deps.chartUrl });
      } catch (e) {
        deps.log(`slack: button failed: ${describeError(e)}`);
        await tell(`Sorry, that did not work: ${describeError(e)}`);
      }
    });
  });
}
