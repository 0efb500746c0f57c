/** `/spend ...`: ack at once, then compute and post the report in the channel. */
import type { App } from '@slack/bolt';
import { describeError } from '../../../errors.js';
import type { ChatRequest } from '../../assistant.js';
import { parseCommand, usage } from '../../commands/grammar.js';
import { handleCommand } from '../../commands/handle.js';
import { postReport } from '../deliver.js';
import type { SlackDeps } from './deps.js';

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
    const channel = command.channel_id;
    let outcome: Awaited<ReturnType<typeof handleCommand>>;
    try {
      outcome = await handleCommand(
        request,
        { platform: 'slack', channel, scopeKey: channel, user: command.user_id, reference: null },
        deps.commands,
      );
    } catch (e) {
      await ack({ response_type: 'ephemeral', text: `Sorry, that did not work: ${describeError(e)}` });
      return;
    }
    if (outcome.kind === 'reply') {
      if (outcome.refused)
        deps.metrics?.requests.inc({ surface: 'slack', kind: request.kind, outcome: 'refused' });
      await ack({ response_type: outcome.public ? 'in_channel' : 'ephemeral', text: outcome.text });
      return;
    }
    const report = outcome.request;
    // Before the first sync has landed, the question waits for it, said in the channel at once.
    let note: string | undefined;
    if (deps.firstSyncPending?.()) {
      await ack();
      note = await client.chat
        .postMessage({ channel, text: 'Syncing your data for the first time; I will answer here.' })
        .then((r) => String(r.ts))
        .catch(() => undefined);
    } else await ack({ response_type: 'ephemeral', text: 'Working on it…' });
    await deps.work.track(async () => {
      try {
        const slow = await deps.untilSynced?.();
        if (slow) {
          const text = `Sorry, I could not answer yet: ${slow}.`;
          if (note) await client.chat.update({ channel, ts: note, text });
          else await client.chat.postEphemeral({ channel, user: command.user_id, text });
          return;
        }
        const run = () => deps.assistant.run(report, { channel, user: command.user_id, today: deps.today() });
        const rendered = deps.metrics
          ? await deps.metrics.timeRequest('slack', report.kind, run)
          : await run();
        await postReport(client, channel, rendered, {
          ...(note ? { updateTs: note } : {}),
          chartUrl: deps.chartUrl,
        });
      } catch (e) {
        deps.log(`slack: /spend ${report.kind} failed: ${describeError(e)}`, {
          level: 'warn',
          channel,
          kind: report.kind,
        });
        await client.chat
          .postEphemeral({
            channel,
            user: command.user_id,
            text: `Sorry, I could not make that report: ${describeError(e)}\nTry \`/spend help\`; if the channel is private, invite the app first.`,
          })
          .catch((x) => deps.log(`slack: could not tell ${command.user_id} either: ${describeError(x)}`));
      }
    });
  });
}
