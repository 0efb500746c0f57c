/**
 * Questions in plain words, as people type them to the app in Slack's agent view, read into the
 * same requests the slash command makes, deterministically:
 *
 *   "why did EC2 go up last week?"   drivers of last week (Mon-Sun) vs the week before, where
 *                                    service = the data's name for EC2
 *   "what will November cost?"       the forecast to the end of November
 *   "anomalies in payments"          anomalies where team = payments
 *   "carbon this month"              the carbon footprint of this month's days
 *
 * Words are matched against the data's own values (services by their common short names too,
 * teams, accounts, regions), dates against `today`. What it cannot read is never guessed: the
 * answer is the closest command and the help. Pure: the vocabulary and `today` come in.
 */
import type { CompareSpec, WindowSpec } from '../../analytics/periods/types.js';
import { formatWhere, type Where } from '../../analytics/scope.js';
import { DIMENSIONS, type Dimension } from '../../analytics/types.js';
import type { ChatRequest, Vocabulary } from '../assistant.js';

export type Reading =
  | { kind: 'request'; request: ChatRequest /** The same request as a /spend command. */; command: string }
  | { kind: 'unknown'; closest: string };

/** Short names people use for cloud services, and what the providers' names contain. */
const SERVICE_ALIASES: [RegExp, RegExp][] = [
  [/\bec2\b/, /elastic compute cloud|^ec2\b|amazon ec2/i],
  [/\bvms?\b|\bvirtual machines?\b|\bcompute engine\b/, /virtual machines|compute engine/i],
  [/\bcompute\b|\binstances?\b/, /elastic compute cloud|^ec2\b|virtual machines|compute engine/i],
  [/\bs3\b|\bstorage\b|\bbuckets?\b/, /simple storage service|^s3\b|amazon s3|^storage$|cloud storage/i],
  [/\brds\b|\bdatabases?\b|\bpostgres\b|\bmysql\b/, /relational database|\brds\b|sql database|cloud sql/i],
  [/\blambda\b|\bfunctions?\b/, /lambda|functions/i],
  [/\bcloudfront\b|\bcdn\b/, /cloudfront|\bcdn\b/i],
  [/\bdynamo\b|\bdynamodb\b/, /dynamodb/i],
  [/\bebs\b|\bvolumes?\b/, /elastic block store|\bebs\b/i],
  [/\beks\b|\bkubernetes\b|\bk8s\b|\baks\b|\bgke\b/, /kubernetes/i],
  [/\becs\b|\bcontainers?\b|\bfargate\b/, /elastic container service|fargate|container/i],
  [/\bdata transfer\b|\begress\b|\bbandwidth\b/, /data transfer|bandwidth|networking/i],
  [/\bsupport\b/, /support/i],
  [/\btax\b/, /^tax$/i],
  [/\bredshift\b|\bwarehouse\b/, /redshift/i],
  [/\belasticache\b|\bredis\b|\bcache\b/, /elasticache|redis|cache/i],
  [/\bopensearch\b|\belasticsearch\b/, /opensearch|elasticsearch/i],
  [/\bsagemaker\b|\bbedrock\b|\bml\b|\bai\b/, /sagemaker|bedrock|machine learning/i],
  [/\bcloudwatch\b|\bmonitoring\b|\blogs\b/, /cloudwatch|monitor/i],
];

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const at = (d: string) => Date.parse(`${d}T00:00:00Z`);
const plus = (d: string, n: number) => iso(at(d) + n * DAY);

/** The month a question names: full names, or three letters ("may" only as "in may", "of may"...). */
function monthNamed(t: string): number {
  return MONTHS.findIndex((m) =>
    m === 'may'
      ? /\b(in|for|of|during|since|until) may\b|\bmay \d{4}\b/.test(t)
      : new RegExp(`\\b(${m}|${m.slice(0, 3)}${m === 'september' ? '|sept' : ''})\\b`).test(t),
  );
}

/** A month's first and last day (year chosen so the month is not in the future, unless `future`). */
function monthRange(month: number, today: string, future: boolean): { start: string; end: string } {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7)) - 1;
  const year = !future && month > m ? y - 1 : future && month < m ? y + 1 : y;
  const start = iso(Date.UTC(year, month, 1));
  return { start, end: iso(Date.UTC(year, month + 1, 0)) };
}

/** The window a question names, with its comparison, or null. */
function timeOf(
  t: string,
  today: string,
  future: boolean,
): { window: WindowSpec; compare: CompareSpec; label: string; monthEnd?: string } | null {
  const prevPeriod: CompareSpec = { kind: 'previous_period' };
  const yesterday = plus(today, -1);
  const weekday = (new Date(at(today)).getUTCDay() + 6) % 7; // Monday 0
  const monday = plus(today, -weekday);
  if (/\blast week\b|\bprevious week\b/.test(t))
    return {
      window: { kind: 'custom', range: { start: plus(monday, -7), end: plus(monday, -1) } },
      compare: prevPeriod,
      label: 'last week',
    };
  if (/\bthis week\b/.test(t))
    return {
      window: { kind: 'custom', range: { start: monday, end: yesterday >= monday ? yesterday : monday } },
      compare: prevPeriod,
      label: 'this week',
    };
  if (/\byesterday\b/.test(t))
    return {
      window: { kind: 'custom', range: { start: yesterday, end: yesterday } },
      compare: { kind: 'custom', range: { start: plus(yesterday, -7), end: plus(yesterday, -7) } },
      label: 'yesterday',
    };
  if (/\b(this month|month to date|mtd)\b/.test(t))
    return { window: { kind: 'mtd' }, compare: { kind: 'same_period_last_month' }, label: 'this month' };
  if (/\b(this quarter|quarter to date|qtd)\b/.test(t))
    return { window: { kind: 'qtd' }, compare: prevPeriod, label: 'this quarter' };
  if (/\blast month\b|\bprevious month\b/.test(t)) {
    const r = monthRange((Number(today.slice(5, 7)) + 10) % 12, today, false);
    return { window: { kind: 'custom', range: r }, compare: prevPeriod, label: 'last month' };
  }
  const days = /\b(?:last|past)\s+(\d{1,3})\s+days?\b/.exec(t);
  if (days)
    return {
      window: { kind: 'days', days: Number(days[1]) },
      compare: prevPeriod,
      label: `the last ${days[1]} days`,
    };
  const month = monthNamed(t);
  if (month >= 0) {
    const r = monthRange(month, today, future);
    return {
      window: { kind: 'custom', range: r },
      compare: prevPeriod,
      label: MONTHS[month]!,
      monthEnd: r.end,
    };
  }
  return null;
}

/** The data's values the question names: services by name or short name, the rest by name. */
function namedValues(t: string, v: Vocabulary): Where {
  const where: Where = [];
  const words = (s: string) =>
    new RegExp(`(^|[^a-z0-9])${s.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^a-z0-9]|$)`);
  const services = v.service ?? [];
  const exact = services.filter((s) => s.length > 2 && words(s).test(t));
  const aliased = exact.length
    ? exact
    : SERVICE_ALIASES.filter(([said]) => said.test(t)).flatMap(([, names]) =>
        services.filter((s) => names.test(s)).slice(0, 3),
      );
  if (aliased.length) where.push({ dimension: 'service', values: [...new Set(aliased)] });
  for (const d of ['team', 'account', 'region'] as const) {
    const hit = (v[d] ?? []).filter((x) => x.length > 1 && words(x).test(t));
    if (hit.length) where.push({ dimension: d, values: hit });
  }
  return where;
}

const windowText = (w: WindowSpec): string =>
  w.kind === 'custom' ? `${w.range.start}..${w.range.end}` : w.kind === 'days' ? `${w.days}d` : w.kind;
const compareText = (c: CompareSpec): string =>
  c.kind === 'custom'
    ? `${c.range.start}..${c.range.end}`
    : c.kind === 'same_period_last_month'
      ? 'last-month'
      : c.kind === 'previous_period'
        ? 'previous'
        : 'none';
const whereText = (w: Where) => (w.length ? ` where ${formatWhere(w)}` : '');

/** The question as a request, or the closest command when nothing in it maps. */
export function readQuestion(text: string, today: string, vocabulary: Vocabulary): Reading {
  const t = ` ${text
    .toLowerCase()
    .replace(/[“”"?!,;]/g, ' ')
    .replace(/\s+/g, ' ')} `;
  const where = namedValues(t, vocabulary);
  const byWord = /\b(?:by|per|for each)\s+(service|account|region|team|sku)s?\b/.exec(t)?.[1] as
    | Dimension
    | undefined;
  const by = byWord && (DIMENSIONS as readonly string[]).includes(byWord) ? byWord : undefined;
  const forecastish =
    /\b(forecast|will|predict|projection|project|expect|going to|end of (the )?month|month[- ]end)\b/.test(t);
  const time = timeOf(t, today, forecastish);
  const request = (r: ChatRequest, command: string): Reading => ({ kind: 'request', request: r, command });

  if (/\b(anomal\w*|unusual|spikes?|weird|odd|strange|outliers?)\b/.test(t)) {
    const days = time?.window.kind === 'days' ? Math.min(90, time.window.days) : 7;
    return request(
      {
        kind: 'anomalies',
        by: by ?? (where.some((c) => c.dimension === 'service') ? 'service' : 'total'),
        days,
        where,
      },
      `anomalies ${days}d${by ? ` by ${by}` : ''}${whereText(where)}`,
    );
  }
  if (/\b(carbon|co2|emissions?|footprint|energy|kwh|green)\b/.test(t))
    return request({ kind: 'carbon', where }, `carbon${whereText(where)}`);
  if (/\bbudgets?\b/.test(t)) return request({ kind: 'budgets' }, 'budget list');
  if (/\b(showback|chargeback|shared cost|who pays|share of)\b/.test(t)) {
    const window = time?.window ?? { kind: 'mtd' as const };
    return request(
      { kind: 'showback', window, by: by === 'account' ? 'account' : 'team', where },
      `showback ${windowText(window)}${whereText(where)}`,
    );
  }
  if (/\b(digest|summary|weekly|overview)\b/.test(t))
    return request({ kind: 'digest', where }, `digest${whereText(where)}`);
  if (forecastish) {
    const horizon =
      time?.monthEnd && time.monthEnd > today
        ? Math.round((at(time.monthEnd) - at(today)) / DAY) + 1
        : undefined;
    // A month already over is a question about what it cost, not a forecast.
    if (!(time?.monthEnd && time.monthEnd < today))
      return request(
        {
          kind: 'forecast',
          by: by ?? 'total',
          where,
          ...(horizon && time?.monthEnd?.slice(0, 7) !== today.slice(0, 7) ? { horizon } : {}),
        },
        `forecast${by ? ` by ${by}` : ''}${whereText(where)}`,
      );
  }
  const drivers =
    /\b(why|what drove|drivers?|drove|go(ne)? up|went up|went down|increase[ds]?|rise|rose|jump\w*|drop\w*|grow\w*|fell|change[ds]?|spend\w*|spent|cost\w*|bill|compare)\b/.test(
      t,
    );
  if (drivers || time || where.length) {
    const window = time?.window ?? { kind: 'days', days: 30 };
    const compare = time?.compare ?? { kind: 'previous_period' };
    const dim: Dimension = by ?? (where.some((c) => c.dimension === 'service') ? 'sku' : 'service');
    return request(
      { kind: 'drivers', window, compare, by: dim, basis: 'actual', where },
      `drivers ${windowText(window)} vs ${compareText(compare)} by ${dim}${whereText(where)}`,
    );
  }
  return { kind: 'unknown', closest: 'drivers 7d by service' };
}
