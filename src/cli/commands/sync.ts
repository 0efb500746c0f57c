/**
 * `spendbrief sync`: brings a source into the warehouse in SPENDBRIEF_DB, so that every later
 * question reads the warehouse instead of the source. Progress goes to stderr; the summary line
 * too, so stdout stays empty unless `--format json` asks for the outcome as an object.
 */
import { type Command, Option } from 'commander';
import { CodedError, ErrorCode } from '../../errors.js';
import { describeSource } from '../../reports/source.js';
import { argParser, type CliContext, formatOption, parseDay, sourceOption } from '../options.js';
import { utcToday } from './common.js';

export function registerSync(program: Command, ctx: CliContext): void {
  program
    .command('sync')
    .description(
      'ingest a source into SPENDBRIEF_DB: new files added, changed files replaced, removed files dropped',
    )
    .addOption(sourceOption())
    .addOption(
      new Option(
        '--today <YYYY-MM-DD>',
        'the day the sync is made on (Cost Explorer and Athena bring the days before it)',
      )
        .default(utcToday())
        .argParser(argParser(parseDay)),
    )
    .addOption(formatOption(['text', 'json']))
    .action(async (opts) => {
      const source = ctx.source(opts.source);
      const started = Date.now();
      const outcome = await ctx.reports().warehouses.sync(source, { today: opts.today, progress: ctx.log });
      ctx.log(`${describeSource(source)} -> ${ctx.config().SPENDBRIEF_DB}: ${outcome.summary}`);
      if (opts.format === 'json')
        ctx.stdout(
          `${JSON.stringify({ ...outcome, db: ctx.config().SPENDBRIEF_DB, ms: Date.now() - started }, null, 2)}\n`,
        );
      if (outcome.failed.length > 0)
        throw new CodedError(
          ErrorCode.SourceInvalid,
          `${outcome.failed.length} ${source.kind === 'bucket' ? 'part(s) of the export' : 'file(s)'} not synced (their previous rows are kept): ${outcome.failed.map((f) => f.error).join('; ')}`,
        );
    });
}
