/** `spendbrief carbon` and `spendbrief allocate`: instance cost and footprint over the last N days. */
import { type Command, Option } from 'commander';
import type { Where } from '../../analytics/scope.js';
import { BASES } from '../../analytics/types.js';
import { badInput } from '../../errors.js';
import { buildAllocationReport } from '../../reports/carbon/allocation.js';
import { type CarbonRunRequest, carbonJson, runCarbon, runCarbonData } from '../../reports/carbon/carbon.js';
import { type InstancesSpec, parseInstancesSpec } from '../../reports/carbon/instances.js';
import type { FxConversion } from '../../reports/carbon/types.js';
import { scopeJson, scopeLine } from '../../reports/scope.js';
import type { SourceSpec } from '../../reports/source.js';
import {
  argParser,
  type CliContext,
  formatOption,
  parseDay,
  parsePositive,
  parsePositiveInt,
  sourceOption,
  whereOption,
} from '../options.js';
import { utcToday } from './common.js';
import { emitReport, type OutputFormat } from './emit.js';

function common(cmd: Command): Command {
  return cmd
    .addOption(sourceOption())
    .addOption(whereOption())
    .addOption(
      new Option(
        '--instances <ec2|file.json|billed>',
        'EC2 inventory (AWS_REGION), a JSON array of instances, or the billed resources',
      ).argParser(parseInstancesSpec),
    )
    .addOption(
      new Option('--days <n>', 'window: the last N full days')
        .default(30)
        .argParser(argParser(parsePositiveInt)),
    )
    .addOption(new Option('--basis <basis>', 'cost basis').choices(BASES).default('amortized'))
    .addOption(
      new Option(
        '--cpu-utilization <percent>',
        "CPU utilisation for CCF's watts, 0-100 (default: SPENDBRIEF_CPU_UTILIZATION, else 50)",
      ).argParser(argParser(parsePercent)),
    )
    .addOption(
      new Option('--today <YYYY-MM-DD>', 'the day the report is made on')
        .default(utcToday())
        .argParser(argParser(parseDay)),
    )
    .option('--currency <code>', 'report money in this currency (needs --fx-rate)')
    .addOption(
      new Option('--fx-rate <rate>', 'units of --currency per unit of the billing currency').argParser(
        argParser(parsePositive),
      ),
    )
    .addOption(
      new Option('--fx-date <YYYY-MM-DD>', 'the date of the rate (default: --today)').argParser(
        argParser(parseDay),
      ),
    )
    .option('--fx-source <text>', 'where the rate comes from', 'given on the command line')
    .addOption(formatOption())
    .option('--out <dir>', 'also write report.json, blocks.json, card.json and the chart PNG');
}

function parsePercent(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100)
    throw new Error(`"${text}" is not a percentage from 0 to 100`);
  return n;
}

const defaultInstances = (source: SourceSpec): InstancesSpec =>
  parseInstancesSpec(source.kind === 'ce' ? 'ec2' : 'billed');

interface CarbonOpts {
  source?: SourceSpec;
  where: Where;
  instances?: InstancesSpec;
  today: string;
  basis: 'actual' | 'amortized' | 'net';
  days: number;
  cpuUtilization?: number;
  currency?: string;
  fxRate?: number;
  fxDate?: string;
  fxSource: string;
}

function fxOf(opts: CarbonOpts): FxConversion | undefined {
  if ((opts.currency === undefined) !== (opts.fxRate === undefined))
    throw badInput('--currency and --fx-rate go together: a conversion needs both (no rate is built in)');
  if (opts.currency === undefined || opts.fxRate === undefined) {
    if (opts.fxDate !== undefined)
      throw badInput('--fx-date goes with --currency and --fx-rate: there is no conversion to date');
    return undefined;
  }
  if (!/^[A-Za-z]{3}$/.test(opts.currency))
    throw badInput(`--currency "${opts.currency}" is not a three-letter ISO 4217 code such as EUR`);
  return {
    currency: opts.currency.toUpperCase(),
    rate: opts.fxRate,
    date: opts.fxDate ?? opts.today,
    source: opts.fxSource,
  };
}

const request = (ctx: CliContext, opts: CarbonOpts): CarbonRunRequest => {
  const source = ctx.source(opts.source);
  return {
    source,
    instances: opts.instances ?? defaultInstances(source),
    today: opts.today,
    basis: opts.basis,
    days: opts.days,
    teamTag: ctx.config().SPENDBRIEF_TEAM_TAG,
    cpuUtilisationPercent: opts.cpuUtilization,
    fx: fxOf(opts),
    where: opts.where,
  };
};

export function registerCarbon(program: Command, ctx: CliContext): void {
  common(
    program
      .command('carbon')
      .description(
        'energy and kg CO2e of compute, storage and data transfer, with the coefficient and grid sources named',
      ),
  ).action(async (opts) => {
    const out = await runCarbon(ctx.reports(), request(ctx, opts));
    await emitReport({ ...out, format: opts.format as OutputFormat, out: opts.out, stdout: ctx.stdout });
  });
}

export function registerAllocate(program: Command, ctx: CliContext): void {
  common(
    program
      .command('allocate')
      .description(
        'compute cost per instance: exact by resource id, else runtime-proportional within a type',
      ),
  ).action(async (opts) => {
    const req = request(ctx, opts);
    const { data, label } = await runCarbonData(ctx.reports(), req);
    await emitReport({
      report: { ...buildAllocationReport(data, label), scope: scopeLine(req.where) },
      json: { ...carbonJson(data), scope: scopeJson(req.where) },
      format: opts.format as OutputFormat,
      out: opts.out,
      stdout: ctx.stdout,
    });
  });
}
