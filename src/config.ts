/**
 * Configuration: one zod-validated object, read once from the environment at start-up and passed
 * down. Nothing below this reads `process.env`. Secrets are kept out of `describeConfig`.
 */
import { z } from 'zod';
import { CodedError, ErrorCode } from './errors.js';

const optional = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s.trim() === '' ? undefined : s));

const ConfigSchema = z.object({
  SPENDBRIEF_DB: z.string().default('./spendbrief.duckdb'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  SLACK_BOT_TOKEN: optional,
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: optional,
  SLACK_API_URL: optional.pipe(
    z
      .string()
      .url()
      .refine((u) => u.endsWith('/api/'), 'must end in /api/, e.g. https://slack.com/api/')
      .optional(),
  ),
  PROMETHEUS_URL: optional.pipe(z.string().url().optional()),
  PROMETHEUS_TOKEN: optional,
  ELECTRICITYMAPS_API_URL: z.string().url().default('https://api.electricitymaps.com/v3/'),
  ELECTRICITYMAPS_TOKEN: optional,
  AWS_REGION: optional,
  SPENDBRIEF_PUBLIC_URL: optional.pipe(z.string().url().optional()),
  SPENDBRIEF_TEAM_TAG: z.string().default('team'),
  SPENDBRIEF_CE_EXCLUDE_SERVICES: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
});

export type Config = z.output<typeof ConfigSchema>;

/** Parses the environment once; a bad variable is one clear line naming it. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    throw new CodedError(ErrorCode.Config, `environment variable ${name}: ${issue.message}`);
  }
  return parsed.data;
}
