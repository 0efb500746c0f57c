/** Guide section 8 with the note's zero handling. */
import { roundHalfAwayFromZero as round2 } from '../money.js';
import type { DriversResult, Severity } from './types.js';

/** Guide 8.3: HIGH >= 5, MEDIUM >= 2, LOW below. */
export const unexplainedSeverity = (percent: number): Severity =>
  percent >= 5 ? 'HIGH' : percent >= 2 ? 'MEDIUM' : 'LOW';

/** Guide 8.1-8.2: roundedUnexplained = model residual + rounding residual; percent of the rounded net change. */
export function unexplainedPanel(
  waterfall: DriversResult['waterfall'],
  netChange: number,
): DriversResult['unexplained'] {
  const step = (name: string) => waterfall.steps.find((s) => s.name === name)?.value ?? 0;
  const value = round2(step('modelResidual') + step('roundingResidual'));
  const roundedNet = round2(netChange);
  if (roundedNet === 0) {
    return value === 0
      ? { value, percentOfNet: 0, severity: 'LOW' }
      : { value, percentOfNet: null, severity: 'HIGH' };
  }
  const percentOfNet = (Math.abs(value) / Math.abs(roundedNet)) * 100;
  return { value, percentOfNet, severity: unexplainedSeverity(percentOfNet) };
}
