/** `spendbrief dimensions <dimension>`: the values a dimension takes, with their spend. */
import { type Command, Option } from 'commander';
import { parseWindowSpec } from '../../analytics/periods/parse.js';
import { parseWhereDimension, WHERE_DIMENSIONS } from '../../analytics/scope.js';
import { runDimensions } from '../../reports/dimensions.js';
import { argParser, type CliContext, formatOption, parsePositiveInt, whereOption } from '../options.js';
import { addSourceOptions, utcToday } from './common.js';
import { emitReport, type OutputFormat } from './emit.js';

export function registerDimensions(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('dimensions')
    .description('the values of a dimension in a window, with their spend (what --where can name)')
    .argument('<dimension>', `${WHERE_DIMENSIONS.join(' | ')} | tag:<key>`, argParser(parseWhereDimension));
  addSourceOptions(cmd, { default: utcToday() })
    .addOption(
      new Option('--window <window>', '30d | mtd | qtd | YYYY-MM-DD..YYYY-MM-DD')
        .default(parseWindowSpec('30d'), '30d')
        .argParser(argParser(parseWindowSpec)),
    )
    .addOption(new Option('--limit <n>', 'values to list').default(50).argParser(argParser(parsePositiveInt)))
    .addOption(whereOption())
    .addOption(formatOption())
    .action(async (dimension, opts) => {
      const out = await runDimensions(ctx.reports(), {
        source: ctx.source(opts.source),
        dimension,
        window: opts.window,
        basis: opts.basis,
        teamTag: opts.teamTag ?? ctx.config().SPENDBRIEF_TEAM_TAG,
        today: opts.today,
        limit: opts.limit,
        where: opts.where,
      });
      await emitReport({ ...out, format: opts.format as OutputFormat, stdout: ctx.stdout });
    });
}
