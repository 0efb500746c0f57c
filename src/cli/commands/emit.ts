/**
 * Shared ending of every report command: print the chosen format on stdout and, with `--out`,
 * write report.json, blocks.json, card.json, report.txt and one PNG per chart.
 */

import { join } from 'node:path';
import { checkBlocks } from '../../bot/slack/block-limits.js';
import { renderBlocks } from '../../bot/slack/render-blocks.js';
import { renderCard } from '../../bot/teams/render-card.js';
import { renderPool } from '../../charts/render-pool.js';
import { CodedError, ErrorCode } from '../../errors.js';
import { type ChartRef, chartsOf, type Report } from '../../reports/report.js';
import { renderText } from '../render-text.js';
import { writeFiles } from './common.js';

export type OutputFormat = 'text' | 'json' | 'blocks' | 'card';

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

export function renderers(report: Report, imageBaseUrl?: string) {
  const url = (chart: ChartRef) =>
    imageBaseUrl ? new URL(fileName(chart), imageBaseUrl.replace(/\/?$/, '/')).href : null;
  const slack = renderBlocks(report, (chart) => {
    const u = url(chart);
    return u ? { url: u } : null;
  });
  const violations = checkBlocks(slack.blocks);
  if (violations.length > 0) {
    throw new CodedError(
      ErrorCode.BadInput,
      `Block Kit output breaks Slack limits: ${violations.join('; ')}`,
    );
  }
  return { blocks: slack, card: renderCard(report, url) };
}

export async function emitReport(o: EmitOptions): Promise<void> {
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  const { blocks, card } = renderers(o.report, o.imageBaseUrl);
  const chartFiles = new Map(
    chartsOf(o.report).map((c) => [c.id, o.out === undefined ? fileName(c) : join(o.out, fileName(c))]),
  );
  const text = renderText(o.report, o.out === undefined ? {} : { chartFiles });
  if (o.out !== undefined) {
    const files: Record<string, string | Buffer> = {
      'report.json': json(o.json),
      'blocks.json': json(blocks),
      'card.json': json(card),
      'report.txt': text,
      ...o.extraFiles,
    };
    const charts = chartsOf(o.report);
    const pngs = await Promise.all(charts.map((c) => renderPool.render(c.spec)));
    charts.forEach((c, i) => {
      files[fileName(c)] = pngs[i]!;
    });
    await writeFiles(o.out, files);
  }
  if (o.format === 'json') o.stdout(json(o.json));
  else if (o.format === 'blocks') o.stdout(json(blocks));
  else if (o.format === 'card') o.stdout(json(card));
  else o.stdout(text);
}
