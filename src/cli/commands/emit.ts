/**
 * Shared ending of every report command: print the chosen format on stdout (only that format is
 * rendered) and, with `--out`, write report.json, blocks.json, card.json, report.txt and one PNG
 * per chart.
 */

import { join } from 'node:path';
import { CodedError, ErrorCode } from '../../errors.js';
import { checkBlocks } from '../../render/block-limits.js';
import { renderBlocks } from '../../render/blocks.js';
import { renderCard } from '../../render/card.js';
import { renderText } from '../../render/text.js';
import { type ChartRef, chartsOf, type Report } from '../../reports/report.js';
import type { REPORT_FORMATS } from '../options.js';
import { writeFiles } from './common.js';

/** `none`: only the files of --out (the command printed its own format). */
export type OutputFormat = (typeof REPORT_FORMATS)[number] | 'none';

export interface EmitOptions {
  report: Report;
  /** The command's JSON object (the stable contract), printed with --format json. */
  json: unknown;
  format: OutputFormat;
  out?: string;
  /** Where the PNGs will be served from, for image blocks and card images. */
  imageBaseUrl?: string;
  /** Extra files for --out (the model's CSV and text reports...). */
  extraFiles?: Record<string, string | Buffer>;
  stdout: (text: string) => void;
}

const fileName = (chart: ChartRef) => `${chart.id}.png`;

const imageUrl = (imageBaseUrl?: string) => (chart: ChartRef) =>
  imageBaseUrl ? new URL(fileName(chart), imageBaseUrl.replace(/\/?$/, '/')).href : null;

/** Block Kit, checked against every Slack limit it is built to keep. */
export function blocksOf(report: Report, imageBaseUrl?: string) {
  const url = imageUrl(imageBaseUrl);
  const slack = renderBlocks(report, (chart) => {
    const u = url(chart);
    return u ? { url: u } : null;
  });
  const violations = checkBlocks(slack.blocks);
  if (violations.length > 0)
    throw new CodedError(
      ErrorCode.BadInput,
      `Block Kit output breaks Slack limits: ${violations.join('; ')}`,
    );
  return slack;
}

export const cardOf = (report: Report, imageBaseUrl?: string) => renderCard(report, imageUrl(imageBaseUrl));

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

export async function emitReport(o: EmitOptions): Promise<void> {
  if (o.out !== undefined) {
    const charts = chartsOf(o.report);
    const chartFiles = new Map(charts.map((c) => [c.id, join(o.out!, fileName(c))]));
    const files: Record<string, string | Buffer> = {
      'report.json': json(o.json),
      'blocks.json': json(blocksOf(o.report, o.imageBaseUrl)),
      'card.json': json(cardOf(o.report, o.imageBaseUrl)),
      'report.txt': renderText(o.report, { chartFiles }),
      ...o.extraFiles,
    };
    // Vega and sharp load only when PNGs are written.
    const { renderPool } = await import('../../charts/render-pool.js');
    const pngs = await Promise.all(charts.map((c) => renderPool.render(c.spec)));
    charts.forEach((c, i) => {
      files[fileName(c)] = pngs[i]!;
    });
    await writeFiles(o.out, files);
  }
  if (o.format === 'none') return;
  if (o.format === 'json') o.stdout(json(o.json));
  else if (o.format === 'blocks') o.stdout(json(blocksOf(o.report, o.imageBaseUrl)));
  else if (o.format === 'card') o.stdout(json(cardOf(o.report, o.imageBaseUrl)));
  else
    o.stdout(
      renderText(
        o.report,
        o.out === undefined
          ? {}
          : { chartFiles: new Map(chartsOf(o.report).map((c) => [c.id, join(o.out!, fileName(c))])) },
      ),
    );
}
