/** `spendbrief digest`: the weekly digest, once, to the terminal and files. */
import type { Command } from 'commander';
import { type CliContext, formatOption, whereOption } from '../options.js';
import { addSourceOptions, utcToday } from './common.js';
import { emitReport, type OutputFormat } from './emit.js';

export function registerDigest(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('digest')
    .description('the weekly digest: last 7 days vs the 7 before, with charts');
  addSourceOptions(cmd, { default: utcToday() })
    .addOption(whereOption())
    .addOption(formatOption())
    .option('--out <dir>', 'write report.json, blocks.json, card.json, report.txt and the chart PNGs here')
    .option('--image-base-url <url>', 'where the PNGs will be served, for image blocks and card images')
    .option(
      '--rules <file>',
      "showback rules: the week's shared cost, a scoped digest's share of it (default: SPENDBRIEF_SHOWBACK_RULES)",
    )
    .action(async (opts) => {
      // Every report family loads for a digest only (the model's fit among them).
      const { runDigest } = await import('../../reports/digest.js');
      const out = await runDigest(ctx.reports(), {
        source: ctx.source(opts.source),
        today: opts.today,
        basis: opts.basis,
        teamTag: opts.teamTag ?? ctx.config().SPENDBRIEF_TEAM_TAG,
        where: opts.where,
        showbackRules: opts.rules ?? ctx.config().SPENDBRIEF_SHOWBACK_RULES,
      });
      await emitReport({
        ...out,
        format: opts.format as OutputFormat,
        out: opts.out,
        imageBaseUrl: opts.imageBaseUrl,
        stdout: ctx.stdout,
      });
    });
}
