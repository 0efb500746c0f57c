/**
 * Configuration: one zod-validated object, read once from the environment at start-up (of
 * `serve` and of each CLI command) and passed down. Nothing else reads `process.env`. A bad
 * variable is one line that names it and says what would be accepted; secrets are never echoed.
 */
import cron from 'node-cron';
import { z } from 'zod';
import { extractWhere } from './analytics/scope.js';
import { CodedError, ErrorCode, quote } from './errors.js';

const text = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s.trim() === '' ? undefined : s.trim()));

const list = z
  .string()
  .optional()
  .transform((s) =>
    (s ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

const url = (example: string, opts: { https?: boolean; suffix?: string } = {}) =>
  text.pipe(
    z
      .string()
      .refine((u) => URL.canParse(u), `is not a URL such as ${example}`)
      .refine(
        (u) => !opts.https || new URL(u).protocol === 'https:',
        `must be https:// (for example ${example})`,
      )
      .refine((u) => !opts.suffix || u.endsWith(opts.suffix), `must end in ${opts.suffix}, e.g. ${example}`)
      .optional(),
  );

const CE_KEYS = ['SERVICE', 'USAGE_TYPE', 'LINKED_ACCOUNT', 'REGION', 'INSTANCE_TYPE'];
export type CeGroupKey =
  | 'SERVICE'
  | 'USAGE_TYPE'
  | 'LINKED_ACCOUNT'
  | 'REGION'
  | 'INSTANCE_TYPE'
  | `TAG:${string}`;

const ConfigSchema = z.object({
  SPENDBRIEF_DB: text.transform((s) => s ?? './spendbrief.duckdb'),
  SPENDBRIEF_SOURCE: text,
  /** Where bucket downloads are kept (default: `<SPENDBRIEF_DB>.cache`, beside the warehouse). */
  SPENDBRIEF_CACHE: text,
  SPENDBRIEF_SYNC_CRON: z
    .string()
    .trim()
    .default('0 * * * *')
    .refine((c) => cron.validate(c), 'is not a cron expression such as "0 * * * *" (hourly)'),
  SPENDBRIEF_MEMORY_LIMIT: z
    .string()
    .trim()
    .default('512MB')
    .refine((m) => /^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$/i.test(m), 'is not a size such as 512MB or 2GB'),
  SPENDBRIEF_FX_RATES: z
    .string()
    .optional()
    .transform((s, ctx) => {
      const out: Record<string, number> = {};
      for (const part of (s ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)) {
        const m = /^([A-Za-z]{3})=(\d+(\.\d+)?)$/.exec(part);
        if (!m || !(Number(m[2]) > 0)) {
          ctx.addIssue({
            code: 'custom',
            message: `has ${quote(part)}, which is not CUR=rate (units of the report currency per unit of CUR), e.g. EUR=1.08,GBP=1.27`,
          });
          return z.NEVER;
        }
        out[m[1]!.toUpperCase()] = Number(m[2]);
      }
      return out;
    }),
  SPENDBRIEF_TEAM_TAG: z.string().trim().min(1).default('team'),
  PORT: z.coerce
    .number({ message: 'is not a port number (0-65535)' })
    .int('is not a whole port number')
    .min(0)
    .max(65535)
    .default(3000),
  SLACK_BOT_TOKEN: text,
  SLACK_SIGNING_SECRET: text,
  SLACK_APP_TOKEN: text,
  SLACK_API_URL: url('https://slack.com/api/', { suffix: '/api/' }),
  /** Teams: the Agents SDK's own variables (read by the SDK); only their presence matters here. */
  clientId: text,
  SPENDBRIEF_PUBLIC_URL: url('https://spendbrief.example.com/'),
  /**
   * How Slack messages carry charts: `upload` (files.uploadV2, stored by Slack) or `url` (image
   * blocks pointing at this app's /charts/, which needs SPENDBRIEF_PUBLIC_URL): uploads are Tier 4
   * (about 100 a minute), so hundreds of digests at one minute wait for them.
   */
  SPENDBRIEF_SLACK_IMAGES: text
    .pipe(
      z
        .enum(['upload', 'url'], {
          message: 'is not upload (files.uploadV2) or url (image blocks from SPENDBRIEF_PUBLIC_URL)',
        })
        .optional(),
    )
    .transform((s) => s ?? 'upload'),
  PROMETHEUS_URL: url('http://prometheus:9090'),
  PROMETHEUS_TOKEN: text,
  SPENDBRIEF_METRICS_CSV: text,
  SPENDBRIEF_INSTANCES: text,
  /** Athena: the workgroup, its results location (else the workgroup's), days a sync brings, a query's time limit, the price per TB scanned. */
  SPENDBRIEF_ATHENA_WORKGROUP: z.string().trim().min(1).default('primary'),
  SPENDBRIEF_ATHENA_OUTPUT: z
    .string()
    .trim()
    .regex(/^s3:\/\/[^/]+/, 'is not an s3:// location such as s3://my-bucket/athena-results/')
    .optional(),
  SPENDBRIEF_ATHENA_DAYS: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.coerce
      .number({ message: 'is not a number of days' })
      .int('is not a whole number of days')
      .min(1)
      .max(1200)
      .default(120),
  ),
  SPENDBRIEF_ATHENA_TIMEOUT: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.coerce.number({ message: 'is not a number of seconds' }).positive('is not above 0').default(600),
  ),
  SPENDBRIEF_ATHENA_PRICE_PER_TB: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.coerce.number({ message: 'is not a price' }).min(0).default(5),
  ),
  /** How long a question that arrives before the first sync waits for it (seconds). */
  SPENDBRIEF_FIRST_SYNC_WAIT: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.coerce.number({ message: 'is not a number of seconds' }).min(0).max(3600).default(300),
  ),
  /** MCP at /mcp on serve: the bearer token (off when unset), and the scope every call is confined to. */
  SPENDBRIEF_MCP_TOKEN: text.pipe(
    z.string().min(16, 'is shorter than 16 characters: use a long random token').optional(),
  ),
  SPENDBRIEF_MCP_SCOPE: text.pipe(
    z
      .string()
      .optional()
      .refine((s) => {
        if (s === undefined) return true;
        try {
          const { words } = extractWhere(['where', ...s.split(/\s+/)]);
          return words.length === 0;
        } catch {
          return false;
        }
      }, 'is not a where list such as team=payments (clauses joined by and)'),
  ),
  /** A YAML file of showback rules (shared cost split by rule) for chat, digests and the CLI. */
  SPENDBRIEF_SHOWBACK_RULES: text,
  /** `none`: a channel without its own scope sees nothing (managers bind scopes); default everything. */
  SPENDBRIEF_DEFAULT_SCOPE: text
    .pipe(
      z.enum(['all', 'none'], { message: 'is not all (see everything) or none (see nothing)' }).optional(),
    )
    .transform((s) => s ?? 'all'),
  /**
   * The least severity of an anomaly posted to a channel as an alert (severity: its impact against
   * the scope's average day). Reports and digests list every anomaly; chat is interrupted for these.
   */
  SPENDBRIEF_ALERT_SEVERITY: text
    .pipe(
      z
        .enum(['low', 'medium', 'high'], {
          message: 'is not low, medium or high (the least severity of an anomaly posted as an alert)',
        })
        .optional(),
    )
    .transform((s) => s ?? 'medium'),
  /** A YAML budgets file for digests and alerts (besides budgets set in chat). */
  SPENDBRIEF_BUDGETS: text,
  /** CPU utilisation for CCF's watts in chat and digests (the CLI's --cpu-utilization overrides it). */
  SPENDBRIEF_CPU_UTILIZATION: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.coerce
      .number({ message: 'is not a percentage (0-100)' })
      .min(0, 'is not a percentage (0-100)')
      .max(100, 'is not a percentage (0-100)')
      .default(50),
  ),
  ELECTRICITYMAPS_API_URL: url('https://api.electricitymaps.com/v3/').transform(
    (u) => u ?? 'https://api.electricitymaps.com/v3/',
  ),
  ELECTRICITYMAPS_TOKEN: text,
  AWS_REGION: list,
  SPENDBRIEF_CE_EXCLUDE_SERVICES: list,
  SPENDBRIEF_CE_GROUP_BY: z
    .string()
    .optional()
    .transform((s, ctx): [CeGroupKey, CeGroupKey] => {
      if (!s?.trim()) return ['SERVICE', 'USAGE_TYPE'];
      const keys = s.split(',').map((k) => k.trim());
      if (keys.length !== 2 || !keys.every((k) => CE_KEYS.includes(k) || /^TAG:.+/.test(k))) {
        ctx.addIssue({
          code: 'custom',
          message: `is not two of ${CE_KEYS.join(', ')}, TAG:<key> (comma-separated)`,
        });
        return z.NEVER;
      }
      return keys as [CeGroupKey, CeGroupKey];
    }),
  /** Access (bot/access.ts): who may ask, and who may subscribe. Empty: everyone the app is in. */
  SPENDBRIEF_SLACK_CHANNELS: list,
  SPENDBRIEF_SLACK_MANAGERS: list,
  SPENDBRIEF_TEAMS_TEAMS: list,
  SPENDBRIEF_TEAMS_MANAGERS: list,
  SPENDBRIEF_CE_DAYS: z.coerce
    .number({ message: 'is not a number of days' })
    .int()
    .min(1, 'must be at least 1 day')
    .max(420, 'must be at most 420 days (Cost Explorer keeps 14 months of daily data)')
    .default(365),
});

export type Config = z.output<typeof ConfigSchema> & {
  /** PromQL per feature from SPENDBRIEF_QUERY_<FEATURE>. */
  promQueries: Record<string, string>;
};

/** Variables whose values are never repeated in an error line. */
const SECRET = /TOKEN|SECRET|PASSWORD|KEY/i;

/** Parses the environment once; a bad variable is one clear line naming it. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const value = env[name];
    const shown = value === undefined || SECRET.test(name) ? '' : ` ${quote(value)}`;
    throw new CodedError(ErrorCode.Config, `environment variable ${name}${shown} ${issue.message}`);
  }
  const promQueries: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    const m = /^SPENDBRIEF_QUERY_([A-Z0-9_]+)$/.exec(k);
    if (m && v?.trim()) promQueries[m[1]!.toLowerCase()] = v.trim();
  }
  return { ...parsed.data, promQueries };
}
