/** `spendbrief serve`: Slack, Teams and the weekly-digest scheduler on one HTTP server. */
import { type Command, Option } from 'commander';
import { serve } from '../../bot/server.js';
import { loadConfig } from '../../config.js';
import { parseSource } from '../../reports/source.js';
import { argParser, type CliDeps } from '../program.js';

export function registerServe(program: Command, deps: CliDeps): void {
  program
    .command('serve')
    .description('run the Slack and Teams assistant and the weekly digests (PORT, SLACK_*, SPENDBRIEF_DB)')
    .addOption(
      new Option('--source <src>', 'demo | focus:<file or glob> | ce')
        .default(parseSource('demo'), 'demo')
        .argParser(argParser(parseSource)),
    )
    .action(async (opts) => {
      const running = await serve({ config: loadConfig(deps.env), env: deps.env, source: opts.source });
      await new Promise<void>((resolve) => {
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
      });
      await running.close();
    });
}
