/**
 * The anomaly detector against its targets, as one line (medium sensitivity):
 *   node dist-bench/bench/alerts-targets.js [--part=nab|gen|held|demo|speed ...]
 *   nab    NAB's standard-profile score, windows found, false alerts per 1,000 days
 *   gen    generated companies, seeds 1..8 (tuned on): recall, false alerts per 1,000
 *          service-days, mean delay
 *   held   the same on seeds 101..120, never tuned on
 *   demo   the demo's 8 injected changes found alone / 9 days after a +300 % spike
 *   speed  detectAnomalies over 200 scopes x 365 days (alertsSpeed's series)
 * Two processes with different parts use both cores.
 */

import { detectAnomalies } from '../src/analytics/alerts/anomalies.js';
import { addDays } from '../src/analytics/alerts/series.js';
import { injectedQuality, speedScopes } from './alerts-quality.js';
import { demoTotal } from './demo-series.js';
import { nabSeries, scoreOnGenerated, scoreOnNab, spendbriefDetector } from './detectors.js';

const args = process.argv.slice(2);
const parts = args.filter((a) => a.startsWith('--part=')).map((a) => a.slice(7));
const want = (p: string) => parts.length === 0 || parts.includes(p);
const detect = spendbriefDetector('medium');
const f = (x: number, d = 2) => x.toFixed(d);
const out: string[] = [];
if (want('nab')) {
  const n = scoreOnNab(nabSeries()!, detect);
  out.push(`NAB ${f(n.score, 1)} ${n.found}/${n.windows} ${f(n.falsePer1000Days)}/1000d`);
}
const gen = (name: string, seeds: number[]) => {
  const g = scoreOnGenerated(seeds, detect);
  out.push(
    `${name} rec ${f(g.recall, 3)} (${g.found}/${g.events}) fp ${f(g.falsePer1000ServiceDays)} delay ${f(g.meanDelayDays)}`,
  );
};
if (want('gen')) gen('gen1-8', [1, 2, 3, 4, 5, 6, 7, 8]);
if (want('held'))
  gen(
    'held101-120',
    Array.from({ length: 20 }, (_, i) => 101 + i),
  );
if (want('demo')) {
  const i = injectedQuality(await demoTotal());
  out.push(
    `demo ${i.spendbrief.found}/${i.spendbrief.foundAfterSpike}/${i.injected} clean-false ${i.spendbrief.falseAlertsIn113Days}`,
  );
}
if (want('speed')) {
  const { scopes, total } = speedScopes();
  const t = performance.now();
  const r = detectAnomalies(scopes, {
    sensitivity: 'medium',
    from: addDays('2025-11-24', 7),
    to: addDays('2025-11-24', 364),
    latestDataDay: addDays('2025-11-24', 364),
    total,
  });
  out.push(`speed ${f(performance.now() - t, 0)} ms (${r.anomalies.length} found)`);
}
console.log(out.join(' | '));
