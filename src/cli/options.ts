/**
 * What the commands share and the program wires: the command context, and the option parsers
 * whose messages name what is wrong (argParser turns them into commander's "invalid argument").
 */
import { InvalidArgumentError, Option } from 'commander';
import { isCalendarDay } from '../analytics/periods/parse.js';
import { andWhere, parseWhereClause, WHERE_DIMENSIONS, type Where } from '../analytics/scope.js';
import type { Config } from '../config.js';
import type { ReportDeps } from '../reports/deps.js';
import { parseSource, SOURCE_FORMS, type SourceSpec } from '../reports/source.js';

export interface CliDeps {
  stdout: (text: string) => void;
  /** Progress and source notes: stderr, never stdout (which carries only the report). */
  log: (line: string) => void;
  env: NodeJS.ProcessEnv;
  /** Injected clock (tests); the real one otherwise. */
  now?: () => Date;
  /** Told of every scan of a one-off source (tests count them). */
  onSourceRead?: () => void;
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

/** The formats every report command prints (sync prints text or json). */
export const REPORT_FORMATS = ['text', 'json', 'blocks', 'card'] as const;

export const formatOption = (formats: readonly string[] = REPORT_FORMATS) =>
  new Option('--format <format>', 'output format').choices(formats).default('text');

/** `--source` without a default: an unset option falls back to SPENDBRIEF_SOURCE, then the demo. */
export const sourceOption = (flag = '--source <src>') =>
  new Option(flag, `${SOURCE_FORMS.join(' | ')} (default: SPENDBRIEF_SOURCE, else demo)`).argParser(
    argParser(parseSource),
  );

/**
 * `--where <dimension>=<values>`, repeatable: the report reads only the lines that match (AND
 * across options, OR within one; DESIGN.md "Scopes and showback").
 */
export const whereOption = () =>
  new Option(
    '--where <dimension=values>',
    `only lines where a dimension (${WHERE_DIMENSIONS.join(', ')}, tag:<key>) has one of the values, e.g. team=payments; repeatable (AND)`,
  )
    .argParser((text: string, previous: Where | undefined) => {
      try {
        return andWhere(previous ?? [], [parseWhereClause(text)]);
      } catch (e) {
        throw new InvalidArgumentError(e instanceof Error ? e.message : String(e));
      }
    })
    .default([] as Where, 'every line');
