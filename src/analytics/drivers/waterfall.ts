/** Guide section 4 with the note: rounded steps, model and rounding residuals, balance check. */
import { roundHalfAwayFromZero as round2 } from '../money.js';
import type { BucketValues } from './types.js';
import { BUCKETS, type DriversResult } from './types.js';

/** Guide 4.3: RoundingResidual = round(NetChange) - (rounded core sum + ModelResidualRounded). */
export const roundingResidual = (netChange: number, roundedCoreSum: number, modelResidual: number): number =>
  round2(round2(netChange) - (roundedCoreSum + modelResidual));

export function buildWaterfall(
  previous: number,
  current: number,
  buckets: BucketValues,
  unexplained: number,
): DriversResult['waterfall'] {
  const core = BUCKETS.map((name) => ({ name, value: round2(buckets[name]) }));
  const coreSum = round2(core.reduce((s, c) => s + c.value, 0));
  const modelResidual = round2(unexplained);
  const steps: DriversResult['waterfall']['steps'] = [
    ...core,
    { name: 'modelResidual', value: modelResidual },
    { name: 'roundingResidual', value: roundingResidual(current - previous, coreSum, modelResidual) },
  ];
  // Guide 4.4: ComputedEnd = Previous + sum of all steps; DeltaDifference = ExpectedEnd - ComputedEnd.
  const computedEnd = previous + steps.reduce((s, st) => s + st.value, 0);
  const deltaDifference = current - computedEnd;
  return {
    start: previous,
    end: current,
    steps,
    balanced: Math.abs(deltaDifference) <= 0.01 + 1e-9,
    deltaDifference,
  };
}
