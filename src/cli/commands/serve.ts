/** `spendbrief serve`: Slack, Teams, the scheduled syncs and the weekly digests on one HTTP server. */
import type { Command } from 'commander';
import { type CliContext, sourceOption } from '../options.js';

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description(
      'run the Slack and Teams assistant, the syncs and the weekly digests (PORT, SLACK_*, SPENDBRIEF_DB)',
    )
    .addOption(sourceOption())
    .action(async (opts) => {
      // Bolt, the Agents SDK and Express load for the server only.
      const { serve } = await import('../../bot/server.js');
      const { serverLog } = await import('../../log.js');
      // One JSON object a line (pretty in a terminal), secrets redacted: what an operator alerts on.
      const log = serverLog(ctx.env);
      const running = await serve({ config: ctx.config(), source: ctx.source(opts.source), log });
      await new Promise<void>((resolve) => {
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
      });
      await running.close();
      // Work in flight is posted and recorded: what is left (a client's retry timer) is not waited for.
      process.exit(process.exitCode ?? 0);
    });
}
