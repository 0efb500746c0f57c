#!/usr/bin/env node
/**
 * The spendbrief CLI: the same reports as the chat surfaces, to the terminal and to files.
 * Every failure ends here as one line on stderr and a non-zero exit code; stdout carries only the
 * report (one JSON object with `--format json`).
 */
import { CommanderError } from 'commander';
import { describeError, isCodedError } from '../errors.js';
import { cliLog } from '../log.js';
import { buildProgram } from './program.js';

async function main(argv: string[]): Promise<number> {
  const program = buildProgram({
    stdout: (s) => process.stdout.write(s),
    log: cliLog(process.env),
    env: process.env,
  });
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0; their text is already printed.
      if (e.exitCode === 0) return 0;
      const hint =
        e.code === 'commander.unknownCommand'
          ? ` (commands: ${program.commands.map((c) => c.name()).join(', ')}; see spendbrief --help)`
          : e.code === 'commander.unknownOption'
            ? ' (see --help for the options)'
            : '';
      process.stderr.write(`spendbrief: ${e.message.replace(/^error: /, '').split('\n')[0]}${hint}\n`);
      return 2;
    }
    process.stderr.write(`spendbrief: ${describeError(e)}\n`);
    return isCodedError(e) ? 2 : 1;
  }
}

main(process.argv).then(
  (code) => {
    // A command may have set its own (doctor: 1 when a part fails).
    process.exitCode = process.exitCode || code;
  },
  (e: unknown) => {
    process.stderr.write(`spendbrief: ${describeError(e)}\n`);
    process.exitCode = 1;
  },
);
