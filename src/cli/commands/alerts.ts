/** `spendbrief anomalies`, `forecast` and `budgets`: the alerts, once, to the terminal and files. */
import { type Command, Option } from 'commander';
import { badInput } from '../../errors.js';
import { runAnomalies } from '../../reports/alerts/anomalies.js';
import { runBudgets } from '../../reports/alerts/budgets.js';
import { readBudgetsFile } from '../../reports/alerts/budgets-file.js';
import { runForecast } from '../../reports/alerts/forecast.js';
import { SCOPES, type ScopeDimension } from '../../reports/alerts/series.js';
import {
  argParser,
  type CliContext,
  formatOption,
  parsePositive,
  parsePositiveInt,
  whereOption,
} from '../options.js';
import { addSourceOptions, utcToday } from './common.js';
import { emitReport, type OutputFormat } from './emit.js';

function common(cmd: Command): Command {
  return addSourceOptions(cmd, {
    help: 'judge and forecast from the day before this (default: the day after the latest day with data)',
  })
    .addOption(whereOption())
    .addOption(formatOption())
    .option('--out <dir>', 'also write report.json, blocks.json, card.json, report.txt and the chart PNG');
}

function parseDays(text: string): number | 'all' {
  if (text === 'all') return 'all';
  return parsePositiveInt(text);
}

export function registerAlerts(program: Command, ctx: CliContext): void {
  const emit = async (
    out: Awaited<ReturnType<typeof runAnomalies>>,
    opts: { format: string; out?: string },
  ) => emitReport({ ...out, format: opts.format as OutputFormat, out: opts.out, stdout: ctx.stdout });

  common(
    program
      .command('anomalies')
      .description(
        'unusual days of spend per scope, each explained by its drivers against the same weekday a week before',
      ),
  )
    .addOption(
      new Option('--by <scope>', 'one series per key of this dimension, or the total')
        .choices(SCOPES)
        .default('total'),
    )
    .addOption(
      new Option('--days <n|all>', 'judge the last N days, or every day with 7 days of history before it')
        .default(7)
        .argParser(argParser(parseDays)),
    )
    .addOption(
      new Option(
        '--sensitivity <level>',
        'how far from expected a day must be: high 3, medium 4, low 6 spreads',
      )
        .choices(['low', 'medium', 'high'])
        .default('medium'),
    )
    .addOption(
      new Option('--min-impact <amount>', 'ignore days that move less than this (default: 10)').argParser(
        argParser(parsePositive),
      ),
    )
    .action(async (opts) => {
      const out = await runAnomalies(ctx.reports(), {
        source: ctx.source(opts.source),
        by: opts.by as ScopeDimension,
        days: opts.days,
        today: opts.today,
        now: utcToday(),
        sensitivity: opts.sensitivity,
        minImpact: opts.minImpact,
        basis: opts.basis,
        teamTag: opts.teamTag ?? ctx.config().SPENDBRIEF_TEAM_TAG,
        where: opts.where,
      });
      await emit(out, opts);
    });

  common(
    program
      .command('forecast')
      .description(
        'daily spend to the end of the month (or N days) with 80 % and 95 % intervals and its backtest',
      ),
  )
    .addOption(
      new Option('--by <scope>', 'one forecast per key of this dimension, or the total')
        .choices(SCOPES)
        .default('total'),
    )
    .addOption(new Option('--horizon <n>', 'forecast N days').argParser(argParser(parsePositiveInt)))
    .addOption(
      new Option('--to <when>', 'forecast through the end of the month of the first forecast day').choices([
        'month-end',
      ]),
    )
    .action(async (opts) => {
      if (opts.horizon !== undefined && opts.to !== undefined)
        throw badInput('--horizon and --to month-end are two answers to one question: give one');
      const out = await runForecast(ctx.reports(), {
        source: ctx.source(opts.source),
        by: opts.by as ScopeDimension,
        horizon: opts.horizon ?? 'month-end',
        today: opts.today,
        now: utcToday(),
        basis: opts.basis,
        teamTag: opts.teamTag ?? ctx.config().SPENDBRIEF_TEAM_TAG,
        where: opts.where,
      });
      await emit(out, opts);
    });

  common(
    program
      .command('budgets')
      .description('each budget: spend to date and the forecast of its period end, against its thresholds'),
  )
    .requiredOption(
      '--budgets <file>',
      'a YAML list of budgets (name, amount, period: month|quarter, scope, thresholds)',
    )
    .action(async (opts) => {
      const out = await runBudgets(ctx.reports(), {
        source: ctx.source(opts.source),
        budgets: await readBudgetsFile(opts.budgets),
        today: opts.today,
        now: utcToday(),
        basis: opts.basis,
        teamTag: opts.teamTag ?? ctx.config().SPENDBRIEF_TEAM_TAG,
        where: opts.where,
      });
      await emit(out, opts);
    });
}
