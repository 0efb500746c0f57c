/**
 * Where the anomaly detector wins and loses, for trying changes (lab only):
 *   node dist-bench/bench/alerts-diag.js [seeds=1-8] [--nab] [--fp]
 * Generated companies: recall by event kind, misses by cause, false alerts by what the day was
 * (a fee day, a month-end day, a repeat after a found event, the weeks after a lasting change...).
 * NAB: per series windows found, first detection's position in its window, false alerts.
 */
import { minImpactOf } from '../src/analytics/alerts/anomalies.js';
import { type Detection, daysBetween, JUDGED_FROM_DAY } from './cost-series.js';
import { company, type Detector, nabSeries, spendbriefDetector } from './detectors.js';
import { scoreSeries } from './nab-score.js';

const args = process.argv.slice(2);
const range = (args.find((a) => /^\d+-\d+$/.test(a)) ?? '1-8').split('-').map(Number);
const seeds = Array.from({ length: range[1]! - range[0]! + 1 }, (_, i) => range[0]! + i);
const detect: Detector = spendbriefDetector('medium');

function fromFirstRow(key: string, start: string, values: number[]) {
  const first = values.findIndex((v) => v !== 0);
  if (first < 0) return null;
  const d = new Date(Date.parse(`${start}T00:00:00Z`) + first * 86_400_000).toISOString().slice(0, 10);
  return { key, start: d, values: values.slice(first) };
}

const count = (m: Record<string, number>, k: string, n = 1) => {
  m[k] = (m[k] ?? 0) + n;
};
const byKind: Record<string, [number, number]> = {};
const missCause: Record<string, number> = {};
const fpCause: Record<string, number> = {};
const delays: Record<string, number[]> = {};
let serviceDays = 0;
let fpTotal = 0;
const examples: string[] = [];
for (const seed of seeds) {
  const c = company(seed);
  const scopes = c.series.map((s) => fromFirstRow(s.key, s.start, s.values)).filter((s) => s !== null);
  const dets: Detection[] = detect(c.total, scopes).map((d) => ({
    key: d.key,
    day: d.day,
    direction: d.up ? 'up' : 'down',
  }));
  const prefix = [0];
  for (const v of c.total.values) prefix.push(prefix.at(-1)! + v);
  const events = c.events.map((e) => {
    const day = daysBetween(c.start, e.day);
    const last = daysBetween(c.start, e.lastDay);
    const transient = e.kind === 'spike' || e.kind === 'episode';
    return { e, day, until: Math.max(day + 3, transient ? last : day), delay: -1 };
  });
  const judged = dets
    .map((d) => ({ d, t: daysBetween(c.start, d.day) }))
    .filter((x) => x.t >= JUDGED_FROM_DAY)
    .sort((a, b) => a.t - b.t);
  serviceDays += c.series.reduce((s, x) => s + x.values.length - JUDGED_FROM_DAY, 0);
  for (const { d, t } of judged) {
    let match: (typeof events)[number] | undefined;
    for (const x of events) {
      if (x.delay >= 0 || x.e.key !== d.key || x.e.direction !== d.direction) continue;
      if (t < x.day || t > x.until) continue;
      if (!match || x.day < match.day) match = x;
    }
    if (match) {
      match.delay = t - match.day;
      continue;
    }
    fpTotal++;
    // Why might this day look anomalous?
    const rh = c.rhythms[d.key] ?? [];
    const date = new Date(Date.parse(`${d.day}T00:00:00Z`));
    const dom = date.getUTCDate();
    const inMonth = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
    const mine = events.filter((x) => x.e.key === d.key);
    const inSpan = mine.find((x) => t >= x.day && t <= x.until);
    const after = mine.filter((x) => x.day <= t).at(-1);
    const sinceLasting =
      after && ['shift', 'stop', 'new'].includes(after.e.kind) ? t - after.day : Number.POSITIVE_INFINITY;
    const sinceTransient =
      after && ['spike', 'episode'].includes(after.e.kind)
        ? t - daysBetween(c.start, after.e.lastDay)
        : Number.POSITIVE_INFINITY;
    let cause: string;
    if (inSpan) cause = inSpan.delay >= 0 ? `repeat in ${inSpan.e.kind}` : `other-way in ${inSpan.e.kind}`;
    else if (sinceLasting <= 35) cause = `<=35d after ${after!.e.kind}`;
    else if (sinceLasting < Number.POSITIVE_INFINITY) cause = `>35d after ${after!.e.kind}`;
    else if (sinceTransient <= 7) cause = `<=7d after ${after!.e.kind}`;
    else if (rh.includes('monthly-fee') && dom <= 2) cause = `fee day ${dom} ${d.direction}`;
    else if (rh.includes('month-end') && (dom >= inMonth - 2 || dom <= 1))
      cause = `month-end ${dom === 1 ? '1st' : dom === inMonth ? 'last' : 'last-1/2'} ${d.direction}`;
    else if (rh.includes('zero-days')) cause = `zero-days ${d.direction}`;
    else if (rh.includes('weekly')) cause = `weekly ${d.direction}`;
    else cause = `plain ${d.direction}`;
    if (rh.includes('monthly-fee') && dom <= 2 && !cause.startsWith('fee')) cause += ' (fee day)';
    count(fpCause, cause);
    if (args.includes('--fp') && examples.length < 40)
      examples.push(`seed ${seed} ${d.key} ${d.day} ${d.direction} [${rh.join(',')}] ${cause}`);
  }
  for (const x of events) {
    byKind[x.e.kind] ??= [0, 0];
    byKind[x.e.kind]![1]++;
    if (x.delay >= 0) {
      byKind[x.e.kind]![0]++;
      delays[x.e.kind] ??= [];
      delays[x.e.kind]!.push(x.delay);
      continue;
    }
    // Was the change below the product's default materiality?
    const s = c.series.find((q) => q.key === x.e.key)!;
    const avgTotal = prefix[x.day]! / x.day;
    const minImpact = minImpactOf(avgTotal);
    const before = s.values.slice(Math.max(0, x.day - 28), x.day).sort((a, b) => a - b);
    const level = before[before.length >> 1]!;
    const change = Math.abs(s.values[x.day]! - level);
    const rel = change / Math.max(level, 1e-9);
    const size = change < minImpact ? 'below-minImpact' : rel < 0.2 ? 'below-20%' : 'material';
    count(missCause, `${x.e.kind}/${x.e.direction} ${size}`);
    if (args.includes('--miss') && examples.length < 60)
      examples.push(
        `MISS seed ${seed} ${x.e.key} ${x.e.day} ${x.e.kind} ${x.e.direction} level ${level.toFixed(0)} day ${s.values[x.day]!.toFixed(0)} minImpact ${minImpact.toFixed(0)} [${(c.rhythms[x.e.key] ?? []).join(',')}]`,
      );
  }
}
const found = Object.values(byKind).reduce((s, [a]) => s + a, 0);
const total = Object.values(byKind).reduce((s, [, b]) => s + b, 0);
console.log(
  `seeds ${range.join('-')}: recall ${(found / total).toFixed(3)} (${found}/${total}), false ${fpTotal} = ${((fpTotal / serviceDays) * 1000).toFixed(2)}/1000 service-days`,
);
for (const [k, [a, b]] of Object.entries(byKind)) {
  const dl = delays[k] ?? [];
  console.log(
    `  ${k.padEnd(8)} ${a}/${b}  delay ${(dl.reduce((s, x) => s + x, 0) / (dl.length || 1)).toFixed(2)}`,
  );
}
console.log('misses:');
for (const [k, n] of Object.entries(missCause).sort((a, b) => b[1] - a[1])) console.log(`  ${n}\t${k}`);
console.log('false alerts:');
for (const [k, n] of Object.entries(fpCause).sort((a, b) => b[1] - a[1])) console.log(`  ${n}\t${k}`);
for (const e of examples) console.log(e);

if (args.includes('--nab')) {
  const nab = nabSeries()!;
  for (const { name, y, windows } of nab) {
    const total = { key: 'total', start: '2020-01-01', values: y };
    const starts = detect(total, [total]).map((d) => daysBetween('2020-01-01', d.day));
    const r = scoreSeries({ length: y.length, windows, detections: starts });
    const pos = windows.map(([a, b]) => {
      const s = starts.find((x) => x >= a && x <= b);
      return s === undefined ? '-' : ((s - a) / (b - a + 1)).toFixed(2);
    });
    console.log(
      `${name.padEnd(44)} n ${y.length} w ${windows.length} tp ${r.tp} fp ${r.fp} raw ${r.raw.toFixed(2)} pos [${pos.join(' ')}]`,
    );
  }
}
