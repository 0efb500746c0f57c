/** `spendbrief showback`: each owner's cost, direct and its share of shared cost, for chargeback. */
import { type Command, Option } from 'commander';
import { parseWindowSpec } from '../../analytics/periods/parse.js';
import { isShowbackDimension, SHOWBACK_DIMENSIONS } from '../../analytics/showback/split.js';
import { badInput } from '../../errors.js';
import { runShowback, showbackRules } from '../../reports/showback/showback.js';
import { argParser, type CliContext, formatOption, REPORT_FORMATS, whereOption } from '../options.js';
import { addSourceOptions, utcToday } from './common.js';
import { emitReport, type OutputFormat } from './emit.js';

function parseOwnerDimension(text: string): string {
  const d = text.toLowerCase().startsWith('tag:') ? `tag:${text.slice(4)}` : text.toLowerCase();
  if (!isShowbackDimension(d))
    throw badInput(`"${text}" is not one of ${SHOWBACK_DIMENSIONS.join(', ')}, tag:<key>`);
  return d;
}

export function registerShowback(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('showback')
    .description("each owner's cost: its own, its share of shared cost by rule, and what stays unallocated");
  addSourceOptions(cmd, { default: utcToday() })
    .addOption(
      new Option('--window <window>', '30d | mtd | qtd | YYYY-MM-DD..YYYY-MM-DD')
        .default(parseWindowSpec('30d'), '30d')
        .argParser(argParser(parseWindowSpec)),
    )
    .addOption(
      new Option(
        '--by <dimension>',
        'owners: team | account | tag:<key> (default: the rules file, else team)',
      ).argParser(argParser(parseOwnerDimension)),
    )
    .addOption(
      new Option('--rules <file>', 'a YAML file of shared-cost rules (default: SPENDBRIEF_SHOWBACK_RULES)'),
    )
    .addOption(whereOption())
    .addOption(formatOption([...REPORT_FORMATS, 'csv']))
    .option('--out <dir>', 'also write report.json, showback.csv, blocks.json, card.json and the chart PNG')
    .action(async (opts) => {
      const { rules, by } = await showbackRules(opts.rules ?? ctx.config().SPENDBRIEF_SHOWBACK_RULES);
      const out = await runShowback(ctx.reports(), {
        source: ctx.source(opts.source),
        window: opts.window,
        by: opts.by ?? by ?? 'team',
        rules,
        basis: opts.basis,
        teamTag: opts.teamTag ?? ctx.config().SPENDBRIEF_TEAM_TAG,
        today: opts.today,
        where: opts.where,
      });
      if (opts.format === 'csv') {
        ctx.stdout(out.csv);
        if (opts.out === undefined) return;
      }
      await emitReport({
        ...out,
        format: (opts.format === 'csv' ? 'none' : opts.format) as OutputFormat,
        out: opts.out,
        extraFiles: { 'showback.csv': out.csv },
        stdout: ctx.stdout,
      });
    });
}
