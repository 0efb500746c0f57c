/**
 * The port between chat surfaces and the use cases: a parsed command in, a Report with its rendered
 * chart PNGs out. Slack and Teams listeners only ever talk to this.
 */
import type { Report } from '../reports/report.js';

export interface RenderedReport {
  report: Report;
  /** PNG bytes per chart id (`ChartRef.id`). */
  images: Map<string, Buffer>;
}
