/** `spendbrief doctor`: checks each configured part, one line each; non-zero when one fails. */
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { describeError } from '../../errors.js';
import { formatCheck, runChecks } from '../doctor/checks.js';
import { type CliContext, sourceOption } from '../options.js';

export function registerDoctor(program: Command, ctx: CliContext): void {
  program
    .command('doctor')
    .description(
      'check every configured part (config, warehouse, source, Slack, Teams, Prometheus, ElectricityMaps)',
    )
    .addOption(sourceOption())
    .action(async (opts) => {
      let config: ReturnType<typeof loadConfig>;
      try {
        config = loadConfig(ctx.env);
      } catch (e) {
        ctx.stdout(
          `${formatCheck({ part: 'config', status: 'fail', line: describeError(e), fix: 'fix that variable, then run doctor again' })}\n`,
        );
        process.exitCode = 2;
        return;
      }
      const set = Object.keys(ctx.env).filter((k) =>
        /^(SPENDBRIEF_|SLACK_|AWS_|PROMETHEUS_|ELECTRICITYMAPS_|client|tenantId)/.test(k),
      );
      ctx.stdout(
        `${formatCheck({ part: 'config', status: 'ok', line: `valid (${set.length} variables set)` })}\n`,
      );
      const results = await runChecks({ config, source: ctx.source(opts.source), env: ctx.env });
      for (const r of results) ctx.stdout(`${formatCheck(r)}\n`);
      const failed = results.filter((r) => r.status === 'fail');
      if (failed.length) process.exitCode = 1;
    });
}
