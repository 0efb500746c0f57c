/**
 * A Report as a Block Kit message. Every limit of block-limits.ts is kept by construction: long
 * text is cut with "…", long tables and lists say "+N more", and a message that would exceed 50
 * blocks ends with a line saying what was left out. Images reference PNGs the Slack app uploaded
 * (files.uploadV2, then `slack_file` in an image block) or a public URL.
 */
import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;

import { CodedError, ErrorCode } from '../errors.js';
import { type ChartRef, contextLine, type Report, type ReportBlock } from '../reports/report.js';
import { LIMITS } from './block-limits.js';
import { formatTable } from './text.js';

export type SlackImage = { slackFileId: string } | { url: string } | null;
export type SlackImageResolver = (chart: ChartRef) => SlackImage;

/** Slack's three control characters in mrkdwn. */
export const escapeMrkdwn = (s: string): string =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** Cuts to `max` characters with an ellipsis. */
export const cut = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

const mrkdwn = (text: string, max: number) => ({ type: 'mrkdwn' as const, text: cut(text, max) });
const plain = (text: string, max: number) => ({
  type: 'plain_text' as const,
  text: cut(text, max),
  emoji: false,
});

const TONE_ICON: Record<string, string> = {
  good: ':large_green_circle: ',
  bad: ':red_circle: ',
  warning: ':large_yellow_circle: ',
  neutral: '',
};

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

type Table = Extract<ReportBlock, { type: 'table' }>;

/**
 * A table as Slack's own `table` block (reads well on phones): at most 100 rows of at most 20
 * cells, each cut to 60 characters and marked, and at most ~10,000 characters in all (Slack's
 * limits; one table per message). Null when the table cannot fit (more than 20 columns).
 */
function tableBlock(b: Table): KnownBlock[] | null {
  if (b.columns.length > LIMITS.tableColumns || b.columns.length === 0) return null;
  const cell = (t: string) => ({ type: 'raw_text' as const, text: cut(t, LIMITS.tableCellText) || ' ' });
  let rows = b.rows.slice(0, LIMITS.tableRows - 1);
  const size = (rs: string[][]) =>
    [b.columns.map((c) => c.header), ...rs].reduce(
      (n, r) => n + r.reduce((m, c) => m + Math.min(c.length, LIMITS.tableCellText), 0),
      0,
    );
  while (rows.length > 0 && size(rows) > LIMITS.tableText)
    rows = rows.slice(0, Math.floor(rows.length * 0.8));
  const more = (b.omitted ?? 0) + (b.rows.length - rows.length);
  const table = {
    type: 'table',
    column_settings: b.columns.map((c) => ({
      align: c.align === 'right' ? 'right' : 'left',
      is_wrapped: c.align !== 'right',
    })),
    rows: [
      b.columns.map((c) => cell(c.header)),
      ...rows.map((r) => b.columns.map((_, i) => cell(r[i] ?? ''))),
    ],
  } as unknown as KnownBlock;
  return more > 0
    ? [table, { type: 'context', elements: [mrkdwn(`+${more} more`, LIMITS.contextText)] }]
    : [table];
}

/** A table as a monospace block, rows cut so the text stays within a section's limit. */
function tableSection(b: Table): KnownBlock {
  const room = LIMITS.sectionText - 40;
  let rows = b.rows;
  let text = formatTable(b.columns, rows, 32);
  while (text.length + 8 > room && rows.length > 0) {
    rows = rows.slice(0, Math.max(0, Math.floor(rows.length * 0.8)));
    text = formatTable(b.columns, rows, 32);
  }
  const more = (b.omitted ?? 0) + (b.rows.length - rows.length);
  return {
    type: 'section',
    text: mrkdwn(`\`\`\`${escapeMrkdwn(text)}\`\`\`${more > 0 ? `\n+${more} more` : ''}`, LIMITS.sectionText),
  };
}

function renderBlock(b: ReportBlock, images: SlackImageResolver, tables: { used: boolean }): KnownBlock[] {
  switch (b.type) {
    case 'text':
      return [
        {
          type: 'section',
          text: mrkdwn(`${TONE_ICON[b.tone ?? 'neutral']}${escapeMrkdwn(b.text)}`, LIMITS.sectionText),
        },
      ];
    case 'context':
      return [{ type: 'context', elements: [mrkdwn(escapeMrkdwn(b.text), LIMITS.contextText)] }];
    case 'facts': {
      const fields = b.facts.map((f) =>
        mrkdwn(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, LIMITS.fieldText),
      );
      return chunk(fields, LIMITS.sectionFields).map((fs) => ({ type: 'section', fields: fs }));
    }
    case 'table': {
      // The first table that fits becomes a table block; Slack allows one a message.
      const native = tables.used ? null : tableBlock(b);
      if (native) tables.used = true;
      return native ?? [tableSection(b)];
    }
    case 'chart': {
      const img = images(b.chart);
      const alt = cut(b.chart.altText || b.chart.title, LIMITS.imageAltText);
      const title = plain(b.chart.title, LIMITS.imageTitle);
      if (img && 'slackFileId' in img)
        return [{ type: 'image', slack_file: { id: img.slackFileId }, alt_text: alt, title }];
      if (img) return [{ type: 'image', image_url: img.url, alt_text: alt, title }];
      return [
        {
          type: 'context',
          elements: [mrkdwn(`_${escapeMrkdwn(b.chart.title)}_: ${escapeMrkdwn(alt)}`, LIMITS.contextText)],
        },
      ];
    }
    case 'actions': {
      const shown = b.actions.slice(0, LIMITS.actionsElements);
      const buttons = shown.map((a, i) => {
        const value = JSON.stringify(a.payload);
        if (value.length > LIMITS.buttonValue) {
          throw new CodedError(
            ErrorCode.BadInput,
            `the "${a.label}" button carries ${value.length} characters; Slack allows ${LIMITS.buttonValue}`,
          );
        }
        return {
          type: 'button' as const,
          text: plain(a.label, LIMITS.buttonText),
          action_id: cut(`${a.id}:${i}`, LIMITS.actionId),
          value,
          ...(a.style ? { style: a.style } : {}),
        };
      });
      const out: KnownBlock[] = [{ type: 'actions', elements: buttons }];
      if (b.actions.length > shown.length) {
        out.push({
          type: 'context',
          elements: [
            mrkdwn(`+${b.actions.length - shown.length} more not shown as buttons`, LIMITS.contextText),
          ],
        });
      }
      return out;
    }
  }
}

export function renderBlocks(
  report: Report,
  images: SlackImageResolver,
): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(report.title, LIMITS.headerText) },
    { type: 'context', elements: [mrkdwn(escapeMrkdwn(contextLine(report)), LIMITS.contextText)] },
  ];
  const tables = { used: false };
  // A leading untitled text (the digest's headline) comes before the KPIs: the sentence first.
  const [lead, ...others] = report.sections;
  const headline =
    lead && !lead.title && lead.blocks.length === 1 && lead.blocks[0]!.type === 'text' ? lead : null;
  if (headline) blocks.push(...renderBlock(headline.blocks[0]!, images, tables));
  const kpiFields = report.kpis.map((k) =>
    mrkdwn(
      `*${escapeMrkdwn(k.label)}*\n${TONE_ICON[k.tone ?? 'neutral']}${escapeMrkdwn(k.value)}${k.detail ? ` (${escapeMrkdwn(k.detail)})` : ''}`,
      LIMITS.fieldText,
    ),
  );
  for (const fs of chunk(kpiFields, LIMITS.sectionFields)) blocks.push({ type: 'section', fields: fs });
  for (const s of headline ? others : report.sections) {
    const [first, ...rest] = s.blocks;
    // The title rides on the section's first text or facts block: one block, not two.
    const title = s.title ? `*${escapeMrkdwn(s.title)}*` : '';
    if (title && first?.type === 'text') {
      blocks.push({
        type: 'section',
        text: mrkdwn(
          `${title}\n${TONE_ICON[first.tone ?? 'neutral']}${escapeMrkdwn(first.text)}`,
          LIMITS.sectionText,
        ),
      });
    } else if (title && first?.type === 'facts' && first.facts.length <= LIMITS.sectionFields) {
      const [section] = renderBlock(first, images, tables) as [{ type: 'section'; fields: unknown[] }];
      blocks.push({ ...section, text: mrkdwn(title, LIMITS.sectionText) } as KnownBlock);
    } else {
      // A chart carries its own title and buttons speak for themselves: no heading block for them.
      if (title && first?.type !== 'chart' && first?.type !== 'actions')
        blocks.push({ type: 'section', text: mrkdwn(title, LIMITS.sectionText) });
      if (first) blocks.push(...renderBlock(first, images, tables));
    }
    for (const b of rest) blocks.push(...renderBlock(b, images, tables));
  }
  for (const group of chunk(report.footnotes, LIMITS.contextElements)) {
    blocks.push({ type: 'context', elements: group.map((f) => mrkdwn(escapeMrkdwn(f), LIMITS.contextText)) });
  }
  if (blocks.length > LIMITS.blocksPerMessage) {
    const kept = blocks.slice(0, LIMITS.blocksPerMessage - 1);
    kept.push({
      type: 'context',
      elements: [
        mrkdwn(
          `+${blocks.length - kept.length} more blocks not shown (Slack shows 50 a message); the CLI prints the whole report.`,
          LIMITS.contextText,
        ),
      ],
    });
    return { text: cut(`${report.title}: ${contextLine(report)}`, LIMITS.messageText), blocks: kept };
  }
  return { text: cut(`${report.title}: ${contextLine(report)}`, LIMITS.messageText), blocks };
}
