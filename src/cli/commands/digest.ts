/** `spendbrief digest`: the weekly digest, once, to the terminal and files. */
import type { Command } from 'commander';
import { buildDigestReport, DIGEST_WINDOW } from '../../reports/digest.js';
import { extraUseCases } from '../../reports/digest-extras.js';
import { loadDrivers } from '../../reports/drivers-data.js';
import { withWarehouse } from '../../reports/open-source.js';
import { type CliDeps, formatOption } from '../program.js';
import { addSourceOptions, utcToday } from './common.js';
import { emitReport, type OutputFormat } from './emit.js';

export function registerDigest(program: Command, deps: CliDeps): void {
  const cmd = program
    .command('digest')
    .description('the weekly digest: last 7 days vs the 7 before, with charts');
  addSourceOptions(cmd, utcToday())
    .addOption(formatOption(['text', 'json', 'blocks', 'card']))
    .option('--out <dir>', 'write report.json, blocks.json, card.json, report.txt and the chart PNGs here')
    .option('--image-base-url <url>', 'where the PNGs will be served, for image blocks and card images')
    .action(async (opts) => {
      const result = await withWarehouse(
        opts.source,
        { env: deps.env, today: opts.today, windows: DIGEST_WINDOW, log: deps.log },
        (warehouse) =>
          loadDrivers(warehouse, {
            ...DIGEST_WINDOW,
            basis: opts.basis,
            teamTag: opts.teamTag,
            today: opts.today,
          }),
      );
      const extras = await extraUseCases(
        opts.source,
        { env: deps.env, log: deps.log },
        [],
        deps.log,
      ).digestExtras(opts.today);
      const report = buildDigestReport(result, { source: opts.source, extras });
      await emitReport({
        report,
        json: result,
        format: opts.format as OutputFormat,
        out: opts.out,
        imageBaseUrl: opts.imageBaseUrl,
        stdout: deps.stdout,
      });
    });
}
