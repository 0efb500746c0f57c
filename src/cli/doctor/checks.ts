/**
 * `spendbrief doctor`: every configured part checked now, one line each, with what to do when it
 * fails, instead of a failed digest days later. A part that is not configured is `off`; a
 * configured part that fails makes the exit code non-zero.
 *
 *   config         the environment reads (each bad variable named)
 *   warehouse      SPENDBRIEF_DB opens, its layout version, its synced sources
 *   source         FOCUS files list; Cost Explorer answers one request (its cost said first);
 *                  Athena's workgroup exists; the demo always answers
 *   slack          auth.test with the token; the scopes the code needs against those granted
 *   teams          the app's credentials get a token
 *   prometheus     the server answers; electricitymaps: the token is accepted
 */
import { statSync } from 'node:fs';
import type { Config } from '../../config.js';
import { describeError } from '../../errors.js';
import { listFocusFiles } from '../../integrations/focus/read-focus.js';
import { DuckDb } from '../../integrations/warehouse/duckdb.js';
import { DB_VERSION, dbVersion } from '../../integrations/warehouse/migrations.js';
import { hasSchema } from '../../integrations/warehouse/schema.js';
import { describeSource, type SourceSpec } from '../../reports/source.js';

export type Status = 'ok' | 'fail' | 'off';

export interface CheckResult {
  part: string;
  status: Status;
  /** What was found, for people. */
  line: string;
  /** What to do, when it failed. */
  fix?: string;
}

export interface DoctorDeps {
  config: Config;
  source: SourceSpec;
  env: NodeJS.ProcessEnv;
  /** Time limit of each outside call (default 10 s). */
  timeoutMs?: number;
}

const ok = (part: string, line: string): CheckResult => ({ part, status: 'ok', line });
const off = (part: string, line: string): CheckResult => ({ part, status: 'off', line });
const fail = (part: string, line: string, fix: string): CheckResult => ({ part, status: 'fail', line, fix });

async function fetchWithin(url: string, init: RequestInit, ms: number): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(ms) });
}

export async function checkWarehouse(config: Config): Promise<CheckResult> {
  const path = config.SPENDBRIEF_DB;
  if (!DuckDb.exists(path))
    return ok('warehouse', `${path} does not exist yet; the first sync or serve creates it`);
  let db: DuckDb;
  try {
    db = await DuckDb.open(path, { readOnly: true });
  } catch (e) {
    const message = describeError(e);
    // A running server holds the file: that is how it should be.
    if (/in use by/.test(message))
      return ok(
        'warehouse',
        `${path} is open in a running server (${message.split(' in use by ')[1]?.split(',')[0]})`,
      );
    return fail(
      'warehouse',
      `${path} cannot be opened: ${message}`,
      'check the path and its permissions, or point SPENDBRIEF_DB at another file',
    );
  }
  try {
    const v = await dbVersion(db);
    if (v !== null && v > DB_VERSION)
      return fail(
        'warehouse',
        `${path} has layout version ${v}, newer than this spendbrief's ${DB_VERSION}`,
        'upgrade spendbrief',
      );
    const sources = (await hasSchema(db))
      ? await db.all<{ spec: string; synced_at: string | null }>(
          "SELECT spec, strftime(synced_at, '%Y-%m-%d %H:%M UTC') AS synced_at FROM sb_sources ORDER BY spec",
        )
      : [];
    const size = statSync(path).size;
    return ok(
      'warehouse',
      `${path}: layout version ${v ?? DB_VERSION}${v !== null && v < DB_VERSION ? ` (migrated to ${DB_VERSION} when serve or a sync next opens it)` : ''}, ${(size / 1e6).toFixed(1)} MB, ${sources.length ? `synced: ${sources.map((s) => `${s.spec} at ${s.synced_at ?? 'never'}`).join('; ')}` : 'nothing synced yet'}`,
    );
  } finally {
    db.close();
  }
}

export async function checkSource(d: DoctorDeps): Promise<CheckResult> {
  const s = d.source;
  const what = describeSource(s);
  try {
    if (s.kind === 'demo') return ok('source', `${what}: generated, nothing to reach`);
    if (s.kind === 'focus') {
      const db = await DuckDb.open();
      try {
        const files = await listFocusFiles(db, s.path);
        const mb = files.reduce((n, f) => n + f.size, 0) / 1e6;
        return ok(
          'source',
          `${what}: ${files.length} file${files.length === 1 ? '' : 's'}, ${mb.toFixed(1)} MB`,
        );
      } finally {
        db.close();
      }
    }
    if (s.kind === 'bucket') {
      // One LIST (and the manifests that changed): what a sync would find, nothing downloaded.
      const { bucketStores } = await import('../../integrations/buckets/open.js');
      const { planAgainst } = await import('../../integrations/buckets/sync-bucket.js');
      const { DownloadCache } = await import('../../integrations/buckets/cache.js');
      const plan = await planAgainst(
        null,
        await bucketStores(d.config.AWS_REGION[0])(s.location),
        new DownloadCache(d.config.SPENDBRIEF_CACHE ?? `${d.config.SPENDBRIEF_DB}.cache`),
      );
      const held = plan.units.filter((u) => u.action === 'hold');
      const kinds = new Set(plan.units.map((u) => u.candidate.kind));
      const what2 = kinds.has('file')
        ? 'plain FOCUS file(s), no manifests'
        : `billing period(s) by ${kinds.has('aws') ? 'AWS' : 'Azure'} manifest`;
      if (plan.units.length === 0)
        return fail(
          'source',
          `${what}: ${plan.listed} object(s) listed, no FOCUS export among them`,
          'point the source at the export (the folder that holds metadata/ and data/, or the runs), or check the prefix',
        );
      if (held.length > 0)
        return fail(
          'source',
          `${what}: ${held[0]!.reason}`,
          'see the manifest named; the other periods sync',
        );
      const mb = plan.units.reduce((n, u) => n + u.objects.reduce((b, o) => b + o.size, 0), 0) / 1e6;
      return ok('source', `${what}: ${plan.units.length} ${what2}, ${mb.toFixed(1)} MB`);
    }
    if (s.kind === 'ce') {
      const { createCostExplorerClient } = await import('../../integrations/aws-cost-explorer/source.js');
      const { GetCostAndUsageCommand } = await import('@aws-sdk/client-cost-explorer');
      const client = createCostExplorerClient({ region: 'us-east-1', maxAttempts: 1 });
      const end = new Date().toISOString().slice(0, 10);
      const start = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      await client.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: start, End: end },
          Granularity: 'DAILY',
          Metrics: ['UnblendedCost'],
        }),
      );
      return ok(
        'source',
        `${what}: answered 1 GetCostAndUsage request (0.01 USD, Cost Explorer's price per request)`,
      );
    }
    const { AthenaClient, GetWorkGroupCommand } = await import('@aws-sdk/client-athena');
    const client = new AthenaClient({ region: d.config.AWS_REGION[0], maxAttempts: 1 });
    const wg = await client.send(
      new GetWorkGroupCommand({ WorkGroup: d.config.SPENDBRIEF_ATHENA_WORKGROUP }),
    );
    const output =
      d.config.SPENDBRIEF_ATHENA_OUTPUT ?? wg.WorkGroup?.Configuration?.ResultConfiguration?.OutputLocation;
    if (!output)
      return fail(
        'source',
        `${what}: workgroup ${d.config.SPENDBRIEF_ATHENA_WORKGROUP} has no results location`,
        'set SPENDBRIEF_ATHENA_OUTPUT=s3://<bucket>/<prefix>/',
      );
    return ok(
      'source',
      `${what}: workgroup ${d.config.SPENDBRIEF_ATHENA_WORKGROUP} (${wg.WorkGroup?.State ?? 'state unknown'}), results to ${output}`,
    );
  } catch (e) {
    return fail(
      'source',
      `${what}: ${describeError(e).replace(/ \(this is a bug in spendbrief; please report it\)$/, '')}`,
      s.kind === 'focus'
        ? 'check the path or glob (SPENDBRIEF_SOURCE / --source)'
        : s.kind === 'bucket' && s.location.provider === 'azure'
          ? 'check AZURE_STORAGE_CONNECTION_STRING, or the identity (az login, managed identity) and its Storage Blob Data Reader role'
          : s.kind === 'bucket'
            ? 'check the credentials (the AWS SDK chain), AWS_REGION, AWS_ENDPOINT_URL_S3 for a store other than AWS, and s3:ListBucket and s3:GetObject on the prefix'
            : 'check the credentials (the AWS SDK chain), AWS_REGION and the IAM permissions in the README',
    );
  }
}

export async function checkSlack(d: DoctorDeps): Promise<CheckResult> {
  const c = d.config;
  if (!c.SLACK_BOT_TOKEN) return off('slack', 'not configured (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET)');
  if (!c.SLACK_SIGNING_SECRET)
    return fail(
      'slack',
      'SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not',
      "copy the signing secret from the app's Basic Information page",
    );
  const { neededScopes } = await import('../../bot/slack/scopes.js');
  const res = await fetchWithin(
    `${c.SLACK_API_URL ?? 'https://slack.com/api/'}auth.test`,
    { method: 'POST', headers: { authorization: `Bearer ${c.SLACK_BOT_TOKEN}` } },
    d.timeoutMs ?? 10_000,
  ).catch((e: Error) => e);
  if (res instanceof Error)
    return fail(
      'slack',
      `Slack's Web API did not answer: ${res.message}`,
      'check the network path to slack.com (or SLACK_API_URL)',
    );
  const body = (await res.json().catch(() => ({}))) as {
    ok?: boolean;
    error?: string;
    team?: string;
    user?: string;
  };
  if (!body.ok)
    return fail(
      'slack',
      `auth.test refused the token: ${body.error ?? `HTTP ${res.status}`}`,
      'copy the bot token (xoxb-...) from OAuth & Permissions again; reinstall the app if it was revoked',
    );
  const granted = (res.headers.get('x-oauth-scopes') ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const missing = neededScopes().filter((s) => !granted.includes(s));
  if (missing.length)
    return fail(
      'slack',
      `signed in as ${body.user} in ${body.team}, but the token lacks ${missing.join(', ')}`,
      'add them under OAuth & Permissions (manifest.yml lists every scope with why) and reinstall the app',
    );
  return ok(
    'slack',
    `signed in as ${body.user} in ${body.team}; the token has every scope the code uses (${neededScopes().join(', ')})`,
  );
}

export async function checkTeams(d: DoctorDeps): Promise<CheckResult> {
  const c = d.config;
  if (!c.clientId) return off('teams', 'not configured (clientId, clientSecret, tenantId)');
  if (!c.SPENDBRIEF_PUBLIC_URL?.startsWith('https://'))
    return fail(
      'teams',
      'SPENDBRIEF_PUBLIC_URL is not an https:// address',
      "set it to this server's public HTTPS address: Teams loads chart images from it",
    );
  try {
    const { loadAuthConfigFromEnv, MsalTokenProvider } = await import('@microsoft/agents-hosting');
    const auth = loadAuthConfigFromEnv();
    const token = await Promise.race([
      new MsalTokenProvider().getAccessToken(auth, 'https://api.botframework.com'),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no answer within the time limit')), d.timeoutMs ?? 10_000).unref(),
      ),
    ]);
    return token
      ? ok('teams', `app ${c.clientId} got a token for the Bot Connector`)
      : fail('teams', 'no token came back', 'check clientSecret and tenantId');
  } catch (e) {
    return fail(
      'teams',
      `app ${c.clientId} could not get a token: ${(e as Error).message.split('\n')[0]}`,
      'check clientId, clientSecret and tenantId (Azure Bot -> Configuration) and the path to login.microsoftonline.com',
    );
  }
}

export async function checkPrometheus(d: DoctorDeps): Promise<CheckResult> {
  const c = d.config;
  if (!c.PROMETHEUS_URL)
    return off(
      'prometheus',
      'not configured (PROMETHEUS_URL); the cost model uses SPENDBRIEF_METRICS_CSV or nothing',
    );
  const res = await fetchWithin(
    new URL('api/v1/status/buildinfo', c.PROMETHEUS_URL.replace(/\/?$/, '/')).href,
    { headers: c.PROMETHEUS_TOKEN ? { authorization: `Bearer ${c.PROMETHEUS_TOKEN}` } : {} },
    d.timeoutMs ?? 10_000,
  ).catch((e: Error) => e);
  if (res instanceof Error || !res.ok)
    return fail(
      'prometheus',
      `${c.PROMETHEUS_URL} ${res instanceof Error ? `did not answer (${res.message})` : `answered HTTP ${res.status}`}`,
      res instanceof Error ? 'check PROMETHEUS_URL' : 'check PROMETHEUS_TOKEN',
    );
  const v = ((await res.json().catch(() => ({}))) as { data?: { version?: string } }).data?.version;
  return ok('prometheus', `${c.PROMETHEUS_URL} answers (Prometheus ${v ?? 'version unknown'})`);
}

export async function checkElectricityMaps(d: DoctorDeps): Promise<CheckResult> {
  const c = d.config;
  if (!c.ELECTRICITYMAPS_TOKEN)
    return off(
      'electricitymaps',
      "not configured (ELECTRICITYMAPS_TOKEN); carbon uses CCF's annual grid factors",
    );
  const res = await fetchWithin(
    new URL('carbon-intensity/latest?zone=DE', c.ELECTRICITYMAPS_API_URL.replace(/\/?$/, '/')).href,
    { headers: { 'auth-token': c.ELECTRICITYMAPS_TOKEN } },
    d.timeoutMs ?? 10_000,
  ).catch((e: Error) => e);
  if (res instanceof Error)
    return fail(
      'electricitymaps',
      `${c.ELECTRICITYMAPS_API_URL} did not answer (${res.message})`,
      'check ELECTRICITYMAPS_API_URL and the network path',
    );
  if (res.status === 401 || res.status === 403)
    return fail(
      'electricitymaps',
      `the token was refused (HTTP ${res.status})`,
      'check ELECTRICITYMAPS_TOKEN in your ElectricityMaps account',
    );
  if (!res.ok)
    return fail(
      'electricitymaps',
      `answered HTTP ${res.status}`,
      'try again later; check ElectricityMaps status',
    );
  return ok('electricitymaps', `${c.ELECTRICITYMAPS_API_URL} accepts the token`);
}

/** Every check, in order; each settles (a check never throws). */
export async function runChecks(d: DoctorDeps): Promise<CheckResult[]> {
  const safe = async (part: string, f: () => Promise<CheckResult>) =>
    f().catch((e: unknown) => fail(part, describeError(e), 'see the line above'));
  return [
    await safe('warehouse', () => checkWarehouse(d.config)),
    await safe('source', () => checkSource(d)),
    await safe('slack', () => checkSlack(d)),
    await safe('teams', () => checkTeams(d)),
    await safe('prometheus', () => checkPrometheus(d)),
    await safe('electricitymaps', () => checkElectricityMaps(d)),
  ];
}

/** One line a check: `ok    part  what` and, for a failure, what to do. */
export const formatCheck = (r: CheckResult): string =>
  `${r.status.toUpperCase().padEnd(4)}  ${r.part.padEnd(15)} ${r.line}${r.fix ? ` -> ${r.fix}` : ''}`;
