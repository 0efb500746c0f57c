/** Options and plumbing shared by the report commands. */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { BASES, type Basis } from '../../analytics/types.js';
import { argParser, parseDay, sourceOption } from '../options.js';

/** `--source`, `--today`, `--team-tag`, `--basis`, shared by the report commands. */
export function addSourceOptions(
  cmd: Command,
  today: { default?: string; help?: string },
  basis: Basis = 'actual',
): Command {
  const todayOption = new Option(
    '--today <YYYY-MM-DD>',
    today.help ?? 'the day the report is made on (later rows are ignored)',
  ).argParser(argParser(parseDay));
  return cmd
    .addOption(sourceOption())
    .addOption(today.default === undefined ? todayOption : todayOption.default(today.default))
    .addOption(
      new Option(
        '--team-tag <key>',
        'tag key whose value is the owning team (default: SPENDBRIEF_TEAM_TAG, else team)',
      ),
    )
    .addOption(new Option('--basis <basis>', 'cost basis').choices(BASES).default(basis));
}

/** The real date in UTC: the only clock read of the CLI, passed down as `today`. */
export const utcToday = (): string => new Date().toISOString().slice(0, 10);

/**
 * Writes every file of a report into DIR: each to a temporary name first, then renamed, so an
 * interrupted run never leaves a half-written file behind.
 */
export async function writeFiles(dir: string, files: Record<string, string | Buffer>): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    const tmp = `${path}.partial`;
    await writeFile(tmp, content);
    await rename(tmp, path);
    written.push(path);
  }
  return written;
}
