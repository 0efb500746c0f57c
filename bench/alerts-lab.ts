/**
 * The detectors' figures in one short run, for trying a change to the alerts method:
 *   node dist-bench/bench/alerts-lab.js [seeds=1..8]
 * (`npm run bench` reports the same figures with the rest.)
 */
import { injectedQuality } from './alerts-quality.js';
import { demoTotal } from './demo-series.js';
import {
  nabSeries,
  rolling28,
  scoreOnGenerated,
  scoreOnNab,
  spendbriefDetector,
  windowedGaussian,
} from './detectors.js';

const seeds = Array.from({ length: Number(process.argv[2] ?? 8) }, (_, i) => i + 1);
const nab = nabSeries();
const f = (x: number, d = 2) => x.toFixed(d);
for (const [name, detect] of [
  ['spendbrief medium', spendbriefDetector('medium')],
  ['windowed Gaussian 3', windowedGaussian(3)],
  ['rolling 28d 3 sigma', rolling28(3)],
] as const) {
  const t = performance.now();
  const n = nab ? scoreOnNab(nab, detect) : null;
  const g = scoreOnGenerated(seeds, detect);
  console.log(
    `${name.padEnd(20)} NAB ${n ? `${f(n.score, 1)} (${n.found}/${n.windows}, ${f(n.falsePer1000Days)} false/1000d)` : 'n/a'} | generated recall ${f(g.recall, 3)} (${g.found}/${g.events}), ${f(g.falsePer1000ServiceDays)} false/1000 service-days, delay ${f(g.meanDelayDays)} d (max ${g.maxDelayDays}) | ${f(performance.now() - t, 0)} ms`,
  );
}
const i = injectedQuality(await demoTotal());
console.log(
  `demo injected: ${i.spendbrief.found}/${i.injected} alone, ${i.spendbrief.foundAfterSpike}/${i.injected} after a spike; false in 113 clean days ${i.spendbrief.falseAlertsIn113Days}`,
);
