/**
 * The commander program: options of DESIGN.md, validated where they are read. The configuration
 * is validated before any command runs (`preAction`), and the report dependencies are built from
 * it once (reports/wire.ts): the CLI's half of the composition root.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { isCalendarDay } from '../analytics/periods/parse.js';
import { type Config, loadConfig } from '../config.js';
import type { ReportDeps } from '../reports/deps.js';
import { parseSource, type SourceSpec } from '../reports/source.js';
import { createReportDeps } from '../reports/wire.js';
import { registerAlerts } from './commands/alerts.js';
import { registerAllocate, registerCarbon } from './commands/carbon.js';
import { registerDigest } from './commands/digest.js';
import { registerDrivers } from './commands/drivers.js';
import { registerModel } from './commands/model.js';
import { registerServe } from './commands/serve.js';
import { registerSync } from './commands/sync.js';

export interface CliDeps {
  stdout: (text: string) => void;
  /** Progress and source notes: stderr, never stdout (which carries only the report). */
  log: (line: string) => void;
  env: NodeJS.ProcessEnv;
  /** Injected clock (tests); the real one otherwise. */
  now?: () => Date;
}

/** What a command's action gets: the validated configuration and the wired report dependencies. */
export interface CliContext extends CliDeps {
  config(): Config;
  reports(): ReportDeps;
  /** `--source` when given, else SPENDBRIEF_SOURCE, else the demo. */
  source(option: SourceSpec | undefined): SourceSpec;
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
  if (text.trim() === '' || !Number.isInteger(n) || n < 1)
    throw new Error(`"${text}" is not a whole number >= 1`);
  return n;
}

export function parsePositive(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new Error(`"${text}" is not a number > 0`);
  return n;
}

export function parseDay(text: string): string {
  if (!isCalendarDay(text)) throw new Error(`"${text}" is not a calendar date YYYY-MM-DD`);
  return text;
}

export const formatOption = (formats: readonly string[]) =>
  new Option('--format <format>', 'output format').choices(formats).default('text');

/** `--source` without a default: an unset option falls back to SPENDBRIEF_SOURCE, then the demo. */
export const sourceOption = (flag = '--source <src>') =>
  new Option(
    flag,
    'demo | focus:<file, folder or glob> | ce (default: SPENDBRIEF_SOURCE, else demo)',
  ).argParser(argParser(parseSource));

export function buildProgram(deps: CliDeps): Command {
  let config: Config | undefined;
  let reports: ReportDeps | undefined;
  const ctx: CliContext = {
    ...deps,
    config: () => {
      config ??= loadConfig(deps.env);
      return config;
    },
    reports: () => {
      reports ??= createReportDeps(ctx.config(), { log: deps.log, now: deps.now });
      return reports;
    },
    source: (option) => {
      if (option) return option;
      const configured = ctx.config().SPENDBRIEF_SOURCE;
      return configured ? parseSource(configured) : { kind: 'demo' };
    },
  };
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
    })
    // Every command starts from a validated configuration.
    .hook('preAction', () => {
      ctx.config();
    });
  registerDrivers(program, ctx);
  registerDigest(program, ctx);
  registerModel(program, ctx);
  registerCarbon(program, ctx);
  registerAllocate(program, ctx);
  registerAlerts(program, ctx);
  registerSync(program, ctx);
  registerServe(program, ctx);
  for (const c of program.commands)
    c.exitOverride().showSuggestionAfterError().configureOutput(program.configureOutput());
  return program;
}
