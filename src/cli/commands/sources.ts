/**
 * `spendbrief sources`: what a source holds (a bucket's periods, refresh times, files and bytes;
 * a folder's files) and what the next sync would download, so a bucket can be checked before the
 * first sync. Nothing is downloaded but the manifests that changed.
 */
import type { Command } from 'commander';
import type { CliContext } from '../options.js';
import { formatOption, sourceOption } from '../options.js';

export function registerSources(program: Command, ctx: CliContext): void {
  program
    .command('sources')
    .description(
      'list what a source holds (periods, refresh times, files, bytes) and what the next sync would download',
    )
    .addOption(sourceOption())
    .addOption(formatOption(['text', 'json']))
    .action(async (opts) => {
      const c = await ctx.reports().warehouses.inspect(ctx.source(opts.source));
      ctx.stdout(opts.format === 'json' ? `${JSON.stringify(c.json, null, 2)}\n` : `${c.lines.join('\n')}\n`);
    });
}
