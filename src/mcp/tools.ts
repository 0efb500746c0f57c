/**
 * The reports as MCP tools: drivers, anomalies, forecast, budgets, carbon, showback and dimensions.
 * Each tool's input mirrors the CLI command's flags (names in camelCase, the same defaults), its
 * `structuredContent` is the CLI's `--format json` object for the same arguments, its text a short
 * summary. Every tool only reads (readOnlyHint) the server's warehouse, never the source, inside
 * the server's scope (SPENDBRIEF_MCP_SCOPE) as a channel's requests are inside the channel's.
 * A bad argument is a tool error with the CLI's one-line message, never a protocol error.
 */
import { z } from 'zod';
import { parseCompareSpec, parseWindowSpec } from '../analytics/periods/parse.js';
import {
  andWhere,
  confine,
  parseWhereClause,
  parseWhereDimension,
  WHERE_DIMENSIONS,
  type Where,
} from '../analytics/scope.js';
import { isShowbackDimension } from '../analytics/showback/split.js';
import { BASES, DIMENSIONS } from '../analytics/types.js';
import { badInput, CodedError, ErrorCode } from '../errors.js';
import { runAnomalies } from '../reports/alerts/anomalies.js';
import { runBudgets } from '../reports/alerts/budgets.js';
import { configuredBudgets } from '../reports/alerts/budgets-file.js';
import { runForecast } from '../reports/alerts/forecast.js';
import { SCOPES } from '../reports/alerts/series.js';
import { runCarbon } from '../reports/carbon/carbon.js';
import { configuredInstances } from '../reports/carbon/instances.js';
import type { ReportDeps, ReportOutput } from '../reports/deps.js';
import { runDimensions } from '../reports/dimensions.js';
import { runDrivers } from '../reports/drivers/drivers.js';
import { runShowback, showbackRules } from '../reports/showback/showback.js';
import type { SourceSpec } from '../reports/source.js';

/** What every tool runs with: the reports' dependencies, the source the server syncs, its scope. */
export interface ToolContext {
  deps: ReportDeps;
  source: SourceSpec;
  /** SPENDBRIEF_MCP_SCOPE: every call is confined to it (null: everything). */
  scope: Where | null;
  /** The real date (a CLI run's default `--today`). */
  today: () => string;
  /** Waits for the server's first sync when it has not landed: null once it has, else why not. */
  ready?: () => Promise<string | null>;
}

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'is not a date YYYY-MM-DD')
  .describe('The day the report is made on (YYYY-MM-DD); rows after it are ignored.');
const where = z
  .array(z.string())
  .default([])
  .describe(
    `Only lines where a dimension has one of the values: each item "<dimension>=<v1>[,<v2>]" with a dimension of ${WHERE_DIMENSIONS.join(', ')} or tag:<key> (e.g. "team=payments"); items are ANDed. Use the dimensions tool to find values.`,
  );
const window = z
  .string()
  .default('30d')
  .describe(
    'The window: "30d" (any Nd: the latest N days with data), "mtd", "qtd", or "YYYY-MM-DD..YYYY-MM-DD" (both days included).',
  );
const basis = z.enum(BASES).default('actual').describe('Cost basis: actual (billed), amortized or net.');
const teamTag = z
  .string()
  .optional()
  .describe('The tag key whose value is the owning team (default: the server\'s, usually "team").');

export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  input: z.ZodObject;
  /** The CLI command these arguments mirror (for the description and the tests). */
  run(args: Record<string, unknown>, ctx: ToolContext): Promise<ReportOutput>;
}

/** `--where` items parsed, then confined to the server's scope (a value outside it is refused). */
function whereOf(items: string[], ctx: ToolContext): { where: Where; bound?: Where } {
  const asked = items.reduce<Where>((w, t) => andWhere(w, [parseWhereClause(t)]), []);
  return { where: confine(ctx.scope, asked, 'this call'), ...(ctx.scope ? { bound: ctx.scope } : {}) };
}

const parsed = <T>(what: string, parse: (s: string) => T, text: string): T => {
  try {
    return parse(text);
  } catch (e) {
    throw badInput(`${what}: ${(e as Error).message}`);
  }
};

const teamTagOf = (a: { teamTag?: string }, ctx: ToolContext) =>
  a.teamTag ?? ctx.deps.config.SPENDBRIEF_TEAM_TAG;

/** What anomalies, forecast and budgets share: the source, the day, the basis, the team tag, the where. */
const reportArgs = (
  a: { today?: unknown; basis?: unknown; teamTag?: string; where?: unknown },
  ctx: ToolContext,
) => ({
  source: ctx.source,
  today: a.today as string | undefined,
  now: ctx.today(),
  basis: a.basis as (typeof BASES)[number],
  teamTag: teamTagOf(a, ctx),
  ...whereOf(a.where as string[], ctx),
});

export const TOOLS: ToolDefinition[] = [
  {
    name: 'drivers',
    title: 'Why spend moved',
    description:
      'Explains the change in cloud spend between two windows: the net change split into new services/resources, usage growth, rate changes, mix, credits and removals (a waterfall that reconciles to the cent), the top contributors by a dimension, the daily trend, what stays unexplained and how far to trust the explanation. Same as `spendbrief drivers --format json`.',
    input: z
      .object({
        window,
        compare: z
          .string()
          .default('previous_period')
          .describe(
            'What to compare with: "previous_period", "same_period_last_month", "none" or "YYYY-MM-DD..YYYY-MM-DD".',
          ),
        basis,
        by: z.enum(DIMENSIONS).default('service').describe('The dimension the contributors are listed by.'),
        minChange: z
          .number()
          .min(0)
          .default(0)
          .describe('Hide contributors whose change is below this amount.'),
        limit: z.number().int().min(1).default(10).describe('Contributors to list.'),
        today: day.optional(),
        teamTag,
        where,
      })
      .strict(),
    run: (a, ctx) =>
      runDrivers(ctx.deps, {
        source: ctx.source,
        window: parsed('window', parseWindowSpec, a.window as string),
        compare: parsed('compare', parseCompareSpec, a.compare as string),
        basis: a.basis as (typeof BASES)[number],
        by: a.by as (typeof DIMENSIONS)[number],
        minChange: a.minChange as number,
        limit: a.limit as number,
        teamTag: teamTagOf(a, ctx),
        today: (a.today as string | undefined) ?? ctx.today(),
        ...whereOf(a.where as string[], ctx),
      }),
  },
  {
    name: 'anomalies',
    title: 'Unusual days of spend',
    description:
      'Days whose spend is unusual for their scope (the total, or each service/account/region/team/sku), each explained by its cost drivers against the same weekday a week before. Same as `spendbrief anomalies --format json`.',
    input: z
      .object({
        by: z
          .enum(SCOPES as unknown as [string, ...string[]])
          .default('total')
          .describe('One series per key of this dimension, or the total.'),
        days: z
          .union([z.number().int().min(1), z.literal('all')])
          .default(7)
          .describe('Judge the last N days, or "all" (every day with 7 days of history before it).'),
        sensitivity: z
          .enum(['low', 'medium', 'high'])
          .default('medium')
          .describe('How far from expected a day must be.'),
        minImpact: z.number().positive().optional().describe('Ignore days that move less than this amount.'),
        basis,
        today: day.optional(),
        teamTag,
        where,
      })
      .strict(),
    run: (a, ctx) =>
      runAnomalies(ctx.deps, {
        ...reportArgs(a, ctx),
        by: a.by as (typeof SCOPES)[number],
        days: a.days as number | 'all',
        sensitivity: a.sensitivity as 'low' | 'medium' | 'high',
        minImpact: a.minImpact as number | undefined,
      }),
  },
  {
    name: 'forecast',
    title: 'Month-end forecast',
    description:
      'Daily spend forecast to the end of the month (or N days) with 80 % and 95 % intervals, the month-end total, and its backtest (MASE, coverage, the method kept). Same as `spendbrief forecast --format json`.',
    input: z
      .object({
        by: z
          .enum(SCOPES as unknown as [string, ...string[]])
          .default('total')
          .describe('One forecast per key of this dimension, or the total.'),
        horizon: z
          .number()
          .int()
          .min(1)
          .optional()
          .describe('Forecast N days instead of to the end of the month.'),
        basis,
        today: day.optional(),
        teamTag,
        where,
      })
      .strict(),
    run: (a, ctx) =>
      runForecast(ctx.deps, {
        ...reportArgs(a, ctx),
        by: a.by as (typeof SCOPES)[number],
        horizon: (a.horizon as number | undefined) ?? 'month-end',
      }),
  },
  {
    name: 'budgets',
    title: 'Budgets',
    description:
      "Each configured budget (the server's SPENDBRIEF_BUDGETS file): spend to date and the forecast of its period's end against its amount and thresholds. Same as `spendbrief budgets --budgets $SPENDBRIEF_BUDGETS --format json`.",
    input: z.object({ basis, today: day.optional(), teamTag, where }).strict(),
    run: async (a, ctx) => {
      if (!ctx.deps.config.SPENDBRIEF_BUDGETS)
        throw new CodedError(
          ErrorCode.Config,
          'no budgets are configured on this server (SPENDBRIEF_BUDGETS)',
        );
      return runBudgets(ctx.deps, {
        ...reportArgs(a, ctx),
        budgets: await configuredBudgets(ctx.deps.config),
      });
    },
  },
  {
    name: 'carbon',
    title: 'Carbon footprint',
    description:
      "Energy (kWh) and emissions (kg CO2e) of compute, storage and data transfer over the last N full days, by instance and line, with Cloud Carbon Footprint's coefficients and the grid intensity used. Same as `spendbrief carbon --format json`.",
    input: z
      .object({
        days: z.number().int().min(1).default(30).describe('The window: the last N full days with data.'),
        cpuUtilization: z
          .number()
          .min(0)
          .max(100)
          .optional()
          .describe("CPU utilisation (%) for the power model (default: the server's, 50)."),
        basis: z
          .enum(BASES)
          .default('amortized')
          .describe('Cost basis of the cost figures (amortized: commitments spread).'),
        today: day.optional(),
        where,
      })
      .strict(),
    run: (a, ctx) =>
      runCarbon(ctx.deps, {
        source: ctx.source,
        instances: configuredInstances(ctx.deps.config, ctx.source) ?? { kind: 'billed' },
        today: (a.today as string | undefined) ?? ctx.today(),
        basis: a.basis as (typeof BASES)[number],
        days: a.days as number,
        teamTag: ctx.deps.config.SPENDBRIEF_TEAM_TAG,
        cpuUtilisationPercent: a.cpuUtilization as number | undefined,
        ...whereOf(a.where as string[], ctx),
      }),
  },
  {
    name: 'showback',
    title: 'Showback',
    description:
      "Each owner's (team, account or tag value) own cost and its share of shared cost split by the server's rules (SPENDBRIEF_SHOWBACK_RULES), adding up to the window's bill. Same as `spendbrief showback --format json`.",
    input: z
      .object({
        window,
        by: z
          .string()
          .optional()
          .describe('Owners: "team", "account" or "tag:<key>" (default: the rules file\'s, else team).'),
        basis,
        today: day.optional(),
        teamTag,
        where,
      })
      .strict(),
    run: async (a, ctx) => {
      const { rules, by } = await showbackRules(ctx.deps.config.SPENDBRIEF_SHOWBACK_RULES);
      const owner = (a.by as string | undefined) ?? by ?? 'team';
      if (!isShowbackDimension(owner)) throw badInput(`by "${owner}" is not team, account or tag:<key>`);
      const out = await runShowback(ctx.deps, {
        source: ctx.source,
        window: parsed('window', parseWindowSpec, a.window as string),
        by: owner,
        rules,
        basis: a.basis as (typeof BASES)[number],
        teamTag: teamTagOf(a, ctx),
        today: (a.today as string | undefined) ?? ctx.today(),
        ...whereOf(a.where as string[], ctx),
      });
      return { report: out.report, json: out.json };
    },
  },
  {
    name: 'dimensions',
    title: 'Values of a dimension',
    description:
      'The values a dimension takes in a window, with their spend, largest first: find "payments" or "Amazon Elastic Compute Cloud" before filtering another tool with where. Same as `spendbrief dimensions <dimension> --format json`.',
    input: z
      .object({
        dimension: z.string().describe(`${WHERE_DIMENSIONS.join(', ')} or tag:<key>`),
        window,
        limit: z.number().int().min(1).default(50).describe('Values to list.'),
        basis,
        today: day.optional(),
        teamTag,
        where,
      })
      .strict(),
    run: async (a, ctx) =>
      runDimensions(ctx.deps, {
        source: ctx.source,
        dimension: parseWhereDimension(a.dimension as string),
        window: parsed('window', parseWindowSpec, a.window as string),
        basis: a.basis as (typeof BASES)[number],
        teamTag: teamTagOf(a, ctx),
        today: (a.today as string | undefined) ?? ctx.today(),
        limit: a.limit as number,
        ...whereOf(a.where as string[], ctx),
      }),
  },
];
