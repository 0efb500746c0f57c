/** `spendbrief drivers`: why spend moved between two windows. */
import { type Command, Option } from 'commander';
import { parseCompareSpec, parseWindowSpec } from '../../analytics/periods/parse.js';
import { DIMENSIONS } from '../../analytics/types.js';
import { runDrivers } from '../../reports/drivers/drivers.js';
import {
  argParser,
  type CliContext,
  formatOption,
  parseNonNegative,
  parsePositiveInt,
  whereOption,
} from '../options.js';
import { addSourceOptions, utcToday } from './common.js';
import { emitReport, type OutputFormat } from './emit.js';

export function registerDrivers(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('drivers')
    .description('why spend moved: variance, drivers, contributors, confidence');
  addSourceOptions(cmd, { default: utcToday() })
    .addOption(
      new Option('--window <window>', '30d | mtd | qtd | YYYY-MM-DD..YYYY-MM-DD')
        .default(parseWindowSpec('30d'), '30d')
        .argParser(argParser(parseWindowSpec)),
    )
    .addOption(
      new Option(
        '--compare <compare>',
        'previous_period | same_period_last_month | YYYY-MM-DD..YYYY-MM-DD | none',
      )
        .default(parseCompareSpec('previous_period'), 'previous_period')
        .argParser(argParser(parseCompareSpec)),
    )
    .addOption(
      new Option('--by <dimension>', 'decomposition dimension').choices(DIMENSIONS).default('service'),
    )
    .addOption(
      new Option('--min-change <amount>', 'hide rows whose change is below this')
        .default(0)
        .argParser(argParser(parseNonNegative)),
    )
    .addOption(new Option('--limit <n>', 'rows to show').default(10).argParser(argParser(parsePositiveInt)))
    .addOption(whereOption())
    .addOption(formatOption())
    .option('--out <dir>', 'also write report.json, blocks.json, card.json and the chart PNGs here')
    .action(async (opts) => {
      const out = await runDrivers(ctx.reports(), {
        source: ctx.source(opts.source),
        window: opts.window,
        compare: opts.compare,
        basis: opts.basis,
        by: opts.by,
        minChange: opts.minChange,
        limit: opts.limit,
        teamTag: opts.teamTag ?? ctx.config().SPENDBRIEF_TEAM_TAG,
        today: opts.today,
        where: opts.where,
      });
      await emitReport({ ...out, format: opts.format as OutputFormat, out: opts.out, stdout: ctx.stdout });
    });
}
