/** `spendbrief carbon` and `spendbrief allocate`: instance cost and footprint over the last 30 days. */
import { type Command, Option } from 'commander';
import { BASES, type Basis } from '../../analytics/types.js';
import { badInput } from '../../errors.js';
import { buildAllocationReport, buildCarbonReport, carbonJson } from '../../reports/carbon.js';
import { type InstancesSpec, loadCarbon, parseInstancesSpec } from '../../reports/carbon-data.js';
import { describeSource, parseSource, type SourceSpec } from '../../reports/source.js';
import { argParser, type CliDeps, formatOption, parseDay, parsePositiveInt } from '../program.js';
import { utcToday } from './common.js';
import { emitReport, type OutputFormat } from './emit.js';

function common(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--source <src>', 'demo | focus:<file or glob> | ce')
        .default(parseSource('demo'), 'demo')
        .argParser(argParser(parseSource)),
    )
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
      new Option('--today <YYYY-MM-DD>', 'the day the report is made on')
        .default(utcToday())
        .argParser(argParser(parseDay)),
    )
    .addOption(formatOption(['text', 'json', 'blocks', 'card']))
    .option('--out <dir>', 'also write report.json, blocks.json, card.json and the chart PNG');
}

const defaultInstances = (source: { kind: string }) =>
  parseInstancesSpec(source.kind === 'ce' ? 'ec2' : 'billed');

/** The options both commands share -> the instances, their cost and their footprint. */
const carbonData = (
  opts: { source: SourceSpec; instances?: InstancesSpec; today: string; basis: Basis; days: number },
  deps: CliDeps,
) =>
  loadCarbon(
    {
      source: opts.source,
      instances: opts.instances ?? defaultInstances(opts.source),
      today: opts.today,
      basis: opts.basis,
      days: opts.days,
    },
    { env: deps.env, log: deps.log },
  );

export function registerCarbon(program: Command, deps: CliDeps): void {
  common(
    program
      .command('carbon')
      .description('energy and kg CO2e of compute instances, with the coefficient and grid sources named'),
  ).action(async (opts) => {
    const data = await carbonData(opts, deps);
    await emitReport({
      report: buildCarbonReport(data, describeSource(opts.source)),
      json: carbonJson(data),
      format: opts.format as OutputFormat,
      out: opts.out,
      stdout: deps.stdout,
    });
  });
}

export function registerAllocate(program: Command, deps: CliDeps): void {
  common(
    program
      .command('allocate')
      .description(
        'compute cost per instance: exact by resource id, else runtime-proportional within a type',
      ),
  )
    .option('--currency <code>', 'report in this currency (needs --fx-rate)')
    .addOption(
      new Option('--fx-rate <rate>', 'units of --currency per unit of the billing currency').argParser((s) =>
        Number(s),
      ),
    )
    .option('--fx-date <YYYY-MM-DD>', 'the date of the rate')
    .option('--fx-source <text>', 'where the rate comes from', 'given on the command line')
    .action(async (opts) => {
      if ((opts.currency === undefined) !== (opts.fxRate === undefined))
        throw badInput('--currency and --fx-rate go together: a conversion needs both (no rate is built in)');
      if (opts.fxRate !== undefined && !(opts.fxRate > 0))
        throw badInput(`--fx-rate "${opts.fxRate}" is not a positive number`);
      const data = await carbonData(opts, deps);
      const fx = opts.currency
        ? {
            currency: String(opts.currency).toUpperCase(),
            rate: opts.fxRate as number,
            date: opts.fxDate ?? opts.today,
            source: opts.fxSource,
          }
        : undefined;
      const report = buildAllocationReport(data, describeSource(opts.source), fx);
      await emitReport({
        report,
        json: { ...carbonJson(data), fx: fx ?? null },
        format: opts.format as OutputFormat,
        out: opts.out,
        stdout: deps.stdout,
      });
    });
}
