/**
 * A generated company's daily cost per service, with labelled anomalies, for judging the alerts.
 *
 * The series carry the rhythms of real cloud bills, which are NOT anomalies: weekly patterns on some
 * services (weekend 0.5-0.9 of weekdays), slow growth or decline (-20 %..+60 % a year), lognormal
 * noise (2-15 %), monthly fees on the 1st (support, licences, commitments: 5-50x the daily level),
 * month-end batch services (last 1-2 days of each month 1.5-3x) and days without usage on tiny
 * services (a fee due that day is still charged).
 * The labelled events ARE anomalies: one-day spikes (+40..+400 %), level shifts (+20..+150 % or
 * -20..-60 %, lasting), spend stopping for good, new services appearing (0 before), and elevated
 * episodes (2-6 days, +40..+250 %). Events keep off the first 60 days (history), 10 days apart
 * within a service, and off fee and month-end days (so what a detector sees there is the event
 * alone); tiny services' zero days keep off them too. Only material events are injected at all,
 * so every injected change is labelled (an unlabelled one would make a right alert count as false):
 * the change must be at least max($10/day, 20 % of the service's level), the level being the
 * service's noise-free daily usage cost on that day before the event, without weekly or month-end
 * factor. 'spike' and 'episode' are up, 'stop' down, 'new' up, 'shift' either.
 *
 * Scoring (scoreDetections):
 *   - a detection matches an event of the same key and direction when its day is in
 *     [event.day, event.day + tolerance], or for 'spike' and 'episode' anywhere up to event.lastDay;
 *   - an event is found by its earliest matching detection; delay = detection day - event day;
 *   - every other detection is a false alert, including a repeat alert on an event already found
 *     and an alert inside an event's span that does not match it: an anomaly should be alerted
 *     once, so a repeat is noise to whoever reads the alerts;
 *   - judged days: each series from its day 14 (0-based index) to its end; detections before day
 *     14 are not judged, service-days = the sum over services of their judged days; a detection
 *     on a key that is no service (the total has no labels) or outside its series throws.
 * Lasting events ('shift', 'stop', 'new') have lastDay = the series' last day.
 *
 * Deterministic: each service draws from its own mulberry32 streams (structure, noise, events)
 * seeded from the company seed, so `events: false` gives the same company without its events.
 */

export const EVENT_KINDS = ['spike', 'shift', 'stop', 'new', 'episode'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export type Direction = 'up' | 'down';
export const RHYTHMS = ['weekly', 'growth', 'decline', 'monthly-fee', 'month-end', 'zero-days'] as const;
export type Rhythm = (typeof RHYTHMS)[number];

export interface CostEvent {
  key: string;
  day: string;
  lastDay: string;
  kind: EventKind;
  direction: Direction;
}

export interface CostSeries {
  key: string;
  start: string;
  values: number[];
}

export interface GeneratedCompany {
  start: string;
  days: number;
  series: CostSeries[];
  total: { key: 'total'; start: string; values: number[] };
  events: CostEvent[];
  rhythms: Record<string, Rhythm[]>;
}

export interface GenerateOptions {
  /** Number of services; default 30-60, drawn from the seed. */
  services?: number;
  /** Default 420. */
  days?: number;
  /** First day, YYYY-MM-DD; default Monday 2025-01-06. */
  start?: string;
  /** false: the same company (same rhythms and noise) without its events. Default true. */
  events?: boolean;
}

export const HISTORY_DAYS = 60;
export const MIN_EVENT_GAP_DAYS = 10;
export const JUDGED_FROM_DAY = 14;
export const MATERIAL_USD_PER_DAY = 10;
export const MATERIAL_SHARE = 0.2;

const DEFAULT_START = '2025-01-06';
const DEFAULT_DAYS = 420;
const DAY_MS = 86_400_000;

/** mulberry32 (Tommy Ettinger, public domain): 32-bit state, period 2^32, uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** MurmurHash3's fmix32 finaliser: spreads (seed, service, stream) into unrelated stream seeds. */
function fmix32(h: number): number {
  let x = h >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const STREAM = { company: 0, structure: 1, noise: 2, events: 3 } as const;

interface Rng {
  next: () => number;
  uniform: (a: number, b: number) => number;
  /** Integer in [a, b], both inclusive. */
  int: (a: number, b: number) => number;
  chance: (p: number) => boolean;
  /** Standard normal (Box-Muller); always draws two uniforms. */
  normal: () => number;
}

function rngFor(seed: number, service: number, stream: number): Rng {
  const next = mulberry32(
    fmix32(seed + Math.imul(service + 1, 0x9e3779b9) + Math.imul(stream + 1, 0x27d4eb2f)),
  );
  const uniform = (a: number, b: number) => a + (b - a) * next();
  return {
    next,
    uniform,
    int: (a, b) => a + Math.floor(next() * (b - a + 1)),
    chance: (p) => next() < p,
    normal: () => {
      const u = 1 - next(); // (0, 1]: log(0) never happens
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
  };
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

const cents = (v: number) => Math.round(v * 100) / 100;

// Plausible service names; beyond the list, numbered copies.
const SERVICE_NAMES = [
  'Amazon EC2',
  'Amazon RDS',
  'Amazon S3',
  'AWS Support (Business)',
  'Amazon CloudFront',
  'Amazon EKS',
  'Amazon DynamoDB',
  'AWS Lambda',
  'Amazon ElastiCache',
  'Amazon Redshift',
  'Amazon OpenSearch Service',
  'Elastic Load Balancing',
  'Amazon VPC',
  'AWS Data Transfer',
  'Amazon CloudWatch',
  'Amazon SageMaker',
  'Amazon Bedrock',
  'Amazon EBS',
  'Amazon EFS',
  'AWS Glue',
  'Amazon Athena',
  'Amazon Kinesis',
  'Amazon MSK',
  'Amazon SQS',
  'Amazon SNS',
  'AWS Key Management Service',
  'AWS Secrets Manager',
  'Amazon Route 53',
  'AWS WAF',
  'AWS Shield',
  'Amazon GuardDuty',
  'AWS Security Hub',
  'AWS Config',
  'AWS CloudTrail',
  'AWS Backup',
  'Amazon ECR',
  'Amazon ECS',
  'AWS Fargate',
  'Amazon API Gateway',
  'AWS Step Functions',
  'Amazon EventBridge',
  'Amazon Cognito',
  'Amazon SES',
  'AWS Transfer Family',
  'AWS Direct Connect',
  'AWS Global Accelerator',
  'Amazon MQ',
  'Amazon Neptune',
  'Amazon DocumentDB',
  'Amazon Timestream',
  'AWS Systems Manager',
  'Amazon Inspector',
  'Amazon Macie',
  'AWS CodeBuild',
  'AWS CodePipeline',
  'Amazon WorkSpaces',
  'Amazon QuickSight',
  'AWS IoT Core',
  'Amazon Lightsail',
  'AWS Marketplace licences',
] as const;

const serviceName = (i: number) =>
  i < SERVICE_NAMES.length
    ? SERVICE_NAMES[i]!
    : `${SERVICE_NAMES[i % SERVICE_NAMES.length]} ${Math.floor(i / SERVICE_NAMES.length) + 1}`;

interface Calendar {
  dates: string[];
  weekend: boolean[];
  firstOfMonth: boolean[];
  /** Days left in the month after this one (0 on the last day). */
  toMonthEnd: number[];
}

function calendar(start: string, days: number): Calendar {
  const c: Calendar = { dates: [], weekend: [], firstOfMonth: [], toMonthEnd: [] };
  for (let t = 0; t < days; t++) {
    const d = new Date(Date.parse(`${start}T00:00:00Z`) + t * DAY_MS);
    const dow = d.getUTCDay();
    const inMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    c.dates.push(d.toISOString().slice(0, 10));
    c.weekend.push(dow === 0 || dow === 6);
    c.firstOfMonth.push(d.getUTCDate() === 1);
    c.toMonthEnd.push(inMonth - d.getUTCDate());
  }
  return c;
}

interface ServicePlan {
  key: string;
  /** Daily level at day 0, USD. */
  base: number;
  /** Growth per year: -0.2..0.6, or 0. */
  growth: number;
  /** Lognormal noise sigma. */
  sigma: number;
  /** Weekend / weekday ratio; 1 without a weekly pattern. */
  weekendRatio: number;
  /** Fee charged on the 1st of each month, USD; 0 without. */
  fee: number;
  /** Month-end batch: how many last days of the month, and their factor; 0 days without. */
  monthEndDays: number;
  monthEndFactor: number;
  /** Probability of a zero day (tiny services only). */
  zeroP: number;
  rhythms: Rhythm[];
}

function planService(seed: number, i: number): ServicePlan {
  const r = rngFor(seed, i, STREAM.structure);
  // Sizes from $2 to $20,000 a day, skewed small (median about $50); the first three are big.
  const u = i < 3 ? r.uniform(0.85, 1) : r.next();
  const base = 2 * 10_000 ** (u ** 1.5);
  const rhythms: Rhythm[] = [];
  const weekly = r.chance(0.45);
  const weekendRatio = weekly ? r.uniform(0.5, 0.9) : 1;
  if (weekly) rhythms.push('weekly');
  const trended = r.chance(0.6);
  const growth = trended ? r.uniform(-0.2, 0.6) : 0;
  if (trended) rhythms.push(growth >= 0 ? 'growth' : 'decline');
  const sigma = r.uniform(0.02, 0.15);
  const hasFee = r.chance(0.2);
  const fee = hasFee ? r.uniform(5, 50) * base : 0;
  if (hasFee) rhythms.push('monthly-fee');
  const monthEnd = r.chance(0.1);
  const monthEndDays = monthEnd ? r.int(1, 2) : 0;
  const monthEndFactor = monthEnd ? r.uniform(1.5, 3) : 1;
  if (monthEnd) rhythms.push('month-end');
  const zeroDays = base < 10 && r.chance(0.5);
  const zeroP = zeroDays ? r.uniform(0.03, 0.15) : 0;
  if (zeroDays) rhythms.push('zero-days');
  return {
    key: serviceName(i),
    base,
    growth,
    sigma,
    weekendRatio,
    fee,
    monthEndDays,
    monthEndFactor,
    zeroP,
    rhythms,
  };
}

interface PlannedEvent {
  kind: EventKind;
  direction: Direction;
  day: number;
  /** Last day of a transient effect; the day itself for lasting kinds (for spacing). */
  spanEnd: number;
  /** Relative change of usage: +0.4 is +40 %; -1 for 'stop'. */
  size: number;
}

const trendAt = (p: ServicePlan, t: number) => (1 + p.growth) ** (t / 365);

/** Draws a service's events, then keeps the material ones in day order. */
function planEvents(seed: number, i: number, p: ServicePlan, cal: Calendar, days: number): PlannedEvent[] {
  const r = rngFor(seed, i, STREAM.events);
  const special = (t: number) =>
    (p.fee > 0 && cal.firstOfMonth[t] === true) ||
    (p.monthEndDays > 0 && cal.toMonthEnd[t]! < p.monthEndDays);
  const placed: PlannedEvent[] = [];
  const fits = (e: PlannedEvent) => {
    for (let t = Math.max(0, e.day - 1); t <= Math.min(days - 1, e.spanEnd + 1); t++)
      if (special(t)) return false;
    return placed.every(
      (o) => e.day - o.spanEnd >= MIN_EVENT_GAP_DAYS || o.day - e.spanEnd >= MIN_EVENT_GAP_DAYS,
    );
  };
  // Up to 40 draws for a free spot; a service too crowded simply has fewer events.
  const place = (draw: () => PlannedEvent) => {
    for (let attempt = 0; attempt < 40; attempt++) {
      const e = draw();
      if (fits(e)) {
        placed.push(e);
        return;
      }
    }
  };
  const lastStart = days - 6; // room for a detection within the default tolerance
  if (lastStart <= HISTORY_DAYS) return [];

  if (r.chance(0.08)) {
    place(() => {
      const day = r.int(HISTORY_DAYS, Math.max(HISTORY_DAYS, days - 90));
      return { kind: 'new', direction: 'up', day, spanEnd: day, size: 1 };
    });
  }
  const stops = r.chance(0.06);
  const newDay = placed[0]?.day;
  const from = newDay === undefined ? HISTORY_DAYS : newDay + MIN_EVENT_GAP_DAYS;
  if (stops && from + 30 <= lastStart) {
    place(() => {
      const day = r.int(from + 30, lastStart);
      return { kind: 'stop', direction: 'down', day, spanEnd: day, size: -1 };
    });
  }
  const stopDay = placed.find((e) => e.kind === 'stop')?.day ?? days;
  const x = r.next();
  const others = x < 0.45 ? 0 : x < 0.8 ? 1 : x < 0.95 ? 2 : 3;
  for (let k = 0; k < others; k++) {
    const y = r.next();
    const kind: EventKind = y < 0.4 ? 'spike' : y < 0.75 ? 'shift' : 'episode';
    const up = kind !== 'shift' || r.chance(0.5);
    const size =
      kind === 'spike'
        ? r.uniform(0.4, 4)
        : kind === 'episode'
          ? r.uniform(0.4, 2.5)
          : up
            ? r.uniform(0.2, 1.5)
            : -r.uniform(0.2, 0.6);
    const length = kind === 'episode' ? r.int(2, 6) : 1;
    const hi = Math.min(lastStart, stopDay - MIN_EVENT_GAP_DAYS) - length + 1;
    if (hi < from) continue;
    place(() => {
      const day = r.int(from, hi);
      return { kind, direction: up ? 'up' : 'down', day, spanEnd: day + length - 1, size };
    });
  }

  // Materiality, in day order, so a level shift moves the level later events are judged against.
  let shift = 1;
  const kept: PlannedEvent[] = [];
  for (const e of placed.sort((a, b) => a.day - b.day)) {
    const level = p.base * trendAt(p, e.day) * shift;
    const change = Math.abs(e.size) * level;
    if (change < Math.max(MATERIAL_USD_PER_DAY, MATERIAL_SHARE * level)) continue;
    if (e.kind === 'shift') shift *= 1 + e.size;
    kept.push(e);
  }
  return kept;
}

function serviceValues(
  seed: number,
  i: number,
  p: ServicePlan,
  cal: Calendar,
  events: readonly PlannedEvent[],
): number[] {
  const days = cal.dates.length;
  const mult = new Array<number>(days).fill(1);
  const active = new Array<boolean>(days).fill(true);
  // No zero day where an event shows: its span, a lasting event's first day, the day before a stop.
  const shows = new Array<boolean>(days).fill(false);
  for (const e of events) {
    if (e.kind === 'stop') shows[e.day - 1] = true;
    else for (let t = e.day; t <= e.spanEnd; t++) shows[t] = true;
    if (e.kind === 'new') for (let t = 0; t < e.day; t++) active[t] = false;
    else if (e.kind === 'stop') for (let t = e.day; t < days; t++) active[t] = false;
    else if (e.kind === 'shift') for (let t = e.day; t < days; t++) mult[t]! *= 1 + e.size;
    else for (let t = e.day; t <= e.spanEnd; t++) mult[t]! *= 1 + e.size;
  }
  const r = rngFor(seed, i, STREAM.noise);
  const values: number[] = [];
  for (let t = 0; t < days; t++) {
    // Draws happen every day, events or not, so `events: false` keeps the same noise.
    const z = r.normal();
    const zero = r.next() < p.zeroP && !shows[t];
    if (!active[t]) {
      values.push(0);
      continue;
    }
    // A zero day has no usage; a fee due that day is still charged.
    const fee = cal.firstOfMonth[t] ? p.fee : 0;
    if (zero) {
      values.push(cents(fee));
      continue;
    }
    // Mean-preserving lognormal noise: E[exp(sigma z - sigma^2 / 2)] = 1.
    const noise = Math.exp(p.sigma * z - (p.sigma * p.sigma) / 2);
    const weekly = cal.weekend[t] ? p.weekendRatio : 1;
    const monthEnd = p.monthEndDays > 0 && cal.toMonthEnd[t]! < p.monthEndDays ? p.monthEndFactor : 1;
    const usage = p.base * trendAt(p, t) * weekly * monthEnd * mult[t]! * noise;
    values.push(cents(usage + fee));
  }
  return values;
}

export function generateCompany(seed: number, o: GenerateOptions = {}): GeneratedCompany {
  const start = o.start ?? DEFAULT_START;
  const days = o.days ?? DEFAULT_DAYS;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || Number.isNaN(Date.parse(start)))
    throw new Error(`start ${start}`);
  if (!Number.isInteger(days) || days < 1) throw new Error(`days ${days}`);
  const count = o.services ?? rngFor(seed, -1, STREAM.company).int(30, 60);
  if (!Number.isInteger(count) || count < 1) throw new Error(`services ${count}`);
  const cal = calendar(start, days);
  const series: CostSeries[] = [];
  const events: CostEvent[] = [];
  const rhythms: Record<string, Rhythm[]> = {};
  for (let i = 0; i < count; i++) {
    const p = planService(seed, i);
    const planned = o.events === false ? [] : planEvents(seed, i, p, cal, days);
    series.push({ key: p.key, start, values: serviceValues(seed, i, p, cal, planned) });
    rhythms[p.key] = p.rhythms;
    for (const e of planned) {
      const lasting = e.kind === 'shift' || e.kind === 'stop' || e.kind === 'new';
      events.push({
        key: p.key,
        day: cal.dates[e.day]!,
        lastDay: cal.dates[lasting ? days - 1 : e.spanEnd]!,
        kind: e.kind,
        direction: e.direction,
      });
    }
  }
  events.sort((a, b) =>
    a.day < b.day ? -1 : a.day > b.day ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
  const total = cal.dates.map((_, t) => cents(series.reduce((s, x) => s + x.values[t]!, 0)));
  return { start, days, series, total: { key: 'total', start, values: total }, events, rhythms };
}

export interface Detection {
  key: string;
  day: string;
  direction: Direction;
}

export interface DetectionScore {
  events: number;
  found: number;
  /** found / events (NaN without events). */
  recall: number;
  falseAlerts: number;
  serviceDays: number;
  falsePer1000ServiceDays: number;
  /** Over found events (NaN when none). */
  meanDelayDays: number;
  maxDelayDays: number;
}

/** Scores detections against the company's events by the rules in this file's top comment. */
export function scoreDetections(
  c: GeneratedCompany,
  detections: readonly Detection[],
  o: { tolerance?: number } = {},
): DetectionScore {
  const tolerance = o.tolerance ?? 3;
  const starts = new Map(c.series.map((s) => [s.key, { start: s.start, length: s.values.length }]));
  const indexOf = (key: string, day: string): number => {
    const s = starts.get(key);
    if (!s) throw new Error(`detection or event on unknown series ${key}`);
    const t = daysBetween(s.start, day);
    if (t < 0 || t >= s.length) throw new Error(`${key} ${day} outside its series`);
    return t;
  };
  const events = c.events.map((e) => {
    const day = indexOf(e.key, e.day);
    const lastDay = indexOf(e.key, e.lastDay);
    const transient = e.kind === 'spike' || e.kind === 'episode';
    return { e, day, until: Math.max(day + tolerance, transient ? lastDay : day), delay: -1 };
  });
  const judged = detections
    .map((d) => ({ d, t: indexOf(d.key, d.day) }))
    .filter((x) => x.t >= JUDGED_FROM_DAY)
    .sort((a, b) => a.t - b.t);
  let falseAlerts = 0;
  for (const { d, t } of judged) {
    // The earliest event still unfound that this detection matches; none: a false alert.
    let match: (typeof events)[number] | undefined;
    for (const x of events) {
      if (x.delay >= 0 || x.e.key !== d.key || x.e.direction !== d.direction) continue;
      if (t < x.day || t > x.until) continue;
      if (!match || x.day < match.day) match = x;
    }
    if (match) match.delay = t - match.day;
    else falseAlerts++;
  }
  const delays = events.filter((x) => x.delay >= 0).map((x) => x.delay);
  const serviceDays = c.series.reduce((s, x) => s + Math.max(0, x.values.length - JUDGED_FROM_DAY), 0);
  return {
    events: events.length,
    found: delays.length,
    recall: events.length ? delays.length / events.length : Number.NaN,
    falseAlerts,
    serviceDays,
    falsePer1000ServiceDays: serviceDays ? (falseAlerts / serviceDays) * 1000 : Number.NaN,
    meanDelayDays: delays.length ? delays.reduce((s, x) => s + x, 0) / delays.length : Number.NaN,
    maxDelayDays: delays.length ? Math.max(...delays) : Number.NaN,
  };
}
