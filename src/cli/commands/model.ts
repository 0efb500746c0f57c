/** `spendbrief model`: daily cost against business metrics, the fit, unit economics, the dashboard. */
import { type Command, Option } from 'commander';
import { BASES } from '../../analytics/types.js';
import { parseExcludeDates, parseMetricsSpec } from '../../reports/model/options.js';
import {
  argParser,
  type CliContext,
  formatOption,
  parseDay,
  parsePositiveInt,
  sourceOption,
  whereOption,
} from '../options.js';
import { utcToday } from './common.js';
import { emitReport, type OutputFormat } from './emit.js';

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

export function registerModel(program: Command, ctx: CliContext): void {
  program
    .command('model')
    .description('daily cost against business metrics: OLS fit, unit economics and the 6-panel dashboard')
    .addOption(sourceOption('--costs <src>'))
    .addOption(
      new Option(
        '--metrics <source>',
        'prometheus (PROMETHEUS_URL) | demo | a CSV file (date + numeric columns)',
      )
        .default(parseMetricsSpec('demo'), 'demo')
        .argParser(argParser(parseMetricsSpec)),
    )
    .addOption(new Option('--features <a,b>', 'metric columns to fit (default: all)').argParser(list))
    .addOption(
      new Option('--outliers <mode>', 'automatic exclusion of negative and outlying days')
        .choices(['auto', 'none'])
        .default('auto'),
    )
    .addOption(
      new Option('--exclude-dates <d1,d2>', 'days to leave out (YYYY-MM-DD or YYYY-MM-DD=reason)')
        .default([])
        .argParser(argParser(parseExcludeDates)),
    )
    .addOption(
      new Option('--exclude-services <a,b>', 'services left out of the daily cost (e.g. Tax,Amazon Cognito)')
        .default([])
        .argParser(list),
    )
    .addOption(new Option('--basis <basis>', 'cost basis').choices(BASES).default('amortized'))
    .addOption(
      new Option('--days <n>', 'days of history').default(365).argParser(argParser(parsePositiveInt)),
    )
    .addOption(
      new Option('--today <YYYY-MM-DD>', 'the day the report is made on')
        .default(utcToday())
        .argParser(argParser(parseDay)),
    )
    .addOption(whereOption())
    .addOption(formatOption())
    .option(
      '--out <dir>',
      'write cost_analysis.csv, regression_results.txt, summary_statistics.txt, the dashboard PNG and report files',
    )
    .action(async (opts) => {
      // The fit's libraries load for a run that fits, not for every command's start-up.
      const { runModel } = await import('../../reports/model/data.js');
      const out = await runModel(ctx.reports(), {
        costs: ctx.source(opts.costs),
        metrics: opts.metrics,
        features: opts.features,
        outliers: opts.outliers,
        excludeDates: opts.excludeDates,
        basis: opts.basis,
        excludeServices: opts.excludeServices,
        teamTag: ctx.config().SPENDBRIEF_TEAM_TAG,
        today: opts.today,
        days: opts.days,
        where: opts.where,
      });
      await emitReport({
        report: out.report,
        json: out.json,
        format: opts.format as OutputFormat,
        out: opts.out,
        extraFiles: out.files,
        stdout: ctx.stdout,
      });
    });
}
