/** The commander program: options of DESIGN.md, validated where they are read. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { isCalendarDay } from '../analytics/periods/parse.js';
import { registerAllocate, registerCarbon } from './commands/carbon.js';
import { registerDigest } from './commands/digest.js';
import { registerDrivers } from './commands/drivers.js';
import { registerModel } from './commands/model.js';
import { registerServe } from './commands/serve.js';

export interface CliDeps {
  stdout: (text: string) => void;
  /** Progress and source notes: stderr, never stdout (which carries only the report). */
  log: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

/** Wraps a parser so its coded message becomes commander's "argument ... is invalid" text. */
export function argParser<T>(parse: (text: string) => T): (text: string) => T {
  return (text) => {
    try {
      return parse(text);
    } catch (e) {
      throw new InvalidArgumentError(e instanceof Error ? e.message : String(e));
    }
  };
}

export function parseNonNegative(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) throw new Error(`"${text}" is not a number >= 0`);
  return n;
}

export function parsePositiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`"${text}" is not a whole number >= 1`);
  return n;
}

export function parseDay(text: string): string {
  if (!isCalendarDay(text)) throw new Error(`"${text}" is not a calendar date YYYY-MM-DD`);
  return text;
}

export const formatOption = (formats: readonly string[]) =>
  new Option('--format <format>', 'output format').choices(formats).default('text');

export function buildProgram(deps: CliDeps): Command {
  const program = new Command('spendbrief')
    .description('Explains cloud spend: why it moved, what drives it, what it cost the planet.')
    .version('0.1.0')
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (s) => deps.stdout(s),
      // main.ts prints the one error line itself.
      writeErr: () => {},
      outputError: () => {},
    });
  registerDrivers(program, deps);
  registerDigest(program, deps);
  registerModel(program, deps);
  registerCarbon(program, deps);
  registerAllocate(program, deps);
  registerServe(program, deps);
  for (const c of program.commands)
    c.exitOverride().showSuggestionAfterError().configureOutput(program.configureOutput());
  return program;
}
