/**
 * A Report as an Adaptive Card 1.5 (the version Teams renders on desktop, web and mobile). Charts
 * are Image elements whose URL the caller provides (the app serves the PNGs itself: cards cannot
 * carry images of a chart's size inline). Drill-downs are Universal Actions (Action.Execute with
 * the payload in `data`, verb `spendbrief`), falling back to Action.Submit with the same data.
 */
import { type ChartRef, contextLine, type Report, type ReportBlock, type Tone } from '../reports/report.js';

/** Rows of one table shown in a card; the rest are counted. */
export const CARD_TABLE_ROWS = 15;
/** Buttons in one card (Teams shows at most a handful side by side). */
export const CARD_ACTIONS = 6;
/** Longest text in one TextBlock. */
export const CARD_TEXT = 2000;

type Element = Record<string, unknown>;
const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

const COLOR: Record<Tone, string> = {
  good: 'Good',
  bad: 'Attention',
  warning: 'Warning',
  neutral: 'Default',
};

const text = (t: string, extra: Element = {}): Element => ({
  type: 'TextBlock',
  text: cut(t, CARD_TEXT),
  wrap: true,
  ...extra,
});

function table(b: Extract<ReportBlock, { type: 'table' }>): Element[] {
  const rows = b.rows.slice(0, CARD_TABLE_ROWS);
  const cell = (t: string, align?: string, bold = false) => ({
    type: 'TableCell',
    items: [
      text(t, {
        size: 'Small',
        ...(bold ? { weight: 'Bolder' } : {}),
        ...(align === 'right' ? { horizontalAlignment: 'Right' } : {}),
      }),
    ],
  });
  const more = (b.omitted ?? 0) + (b.rows.length - rows.length);
  return [
    {
      type: 'Table',
      firstRowAsHeader: true,
      showGridLines: false,
      columns: b.columns.map((c, i) => ({
        width: i === 0 ? 3 : 2,
        ...(c.align === 'right' ? { horizontalCellContentAlignment: 'Right' } : {}),
      })),
      rows: [
        { type: 'TableRow', cells: b.columns.map((c) => cell(c.header, c.align, true)) },
        ...rows.map((r) => ({
          type: 'TableRow',
          cells: b.columns.map((c, i) => cell(cut(r[i] ?? '', 60), c.align)),
        })),
      ],
    },
    ...(more > 0 ? [text(`+${more} more`, { isSubtle: true, size: 'Small' })] : []),
  ];
}

/** The one verb of every button: what it does is in its data (a drill-down, a report to run). */
export const EXECUTE_VERB = 'spendbrief';

function element(b: ReportBlock, imageUrl: (chart: ChartRef) => string | null): Element[] {
  switch (b.type) {
    case 'text':
      return [text(b.text, { color: COLOR[b.tone ?? 'neutral'] })];
    case 'context':
      return [text(b.text, { isSubtle: true, size: 'Small' })];
    case 'facts':
      return [
        {
          type: 'FactSet',
          facts: b.facts.map((f) => ({ title: cut(f.label, 200), value: cut(f.value, 500) })),
        },
      ];
    case 'table':
      return table(b);
    case 'chart': {
      const url = imageUrl(b.chart);
      return url
        ? [{ type: 'Image', url, altText: cut(b.chart.altText || b.chart.title, 1000), size: 'Stretch' }]
        : [text(`${b.chart.title}: ${b.chart.altText}`, { isSubtle: true, size: 'Small' })];
    }
    case 'actions': {
      const shown = b.actions.slice(0, CARD_ACTIONS);
      return [
        {
          type: 'ActionSet',
          // Universal Actions (card 1.5): Action.Execute reaches the bot as an adaptiveCard/action
          // invoke; a client without them falls back to Action.Submit with the same data.
          actions: shown.map((a) => {
            const data = { action: a.id, ...a.payload };
            const title = cut(a.label, 60);
            return {
              type: 'Action.Execute',
              verb: EXECUTE_VERB,
              title,
              data,
              fallback: { type: 'Action.Submit', title, data },
            };
          }),
        },
        ...(b.actions.length > shown.length
          ? [
              text(`+${b.actions.length - shown.length} more not shown as buttons`, {
                isSubtle: true,
                size: 'Small',
              }),
            ]
          : []),
      ];
    }
  }
}

export function renderCard(report: Report, imageUrl: (chart: ChartRef) => string | null): Element {
  const body: Element[] = [
    text(report.title, { size: 'Large', weight: 'Bolder', style: 'heading' }),
    text(contextLine(report), { isSubtle: true, spacing: 'None' }),
  ];
  if (report.kpis.length > 0) {
    body.push({
      type: 'FactSet',
      facts: report.kpis.map((k) => ({
        title: cut(k.label, 200),
        value: cut(`${k.value}${k.detail ? ` (${k.detail})` : ''}`, 500),
      })),
    });
  }
  for (const s of report.sections) {
    body.push({
      type: 'Container',
      separator: true,
      spacing: 'Medium',
      items: [
        ...(s.title ? [text(s.title, { weight: 'Bolder' })] : []),
        ...s.blocks.flatMap((b) => element(b, imageUrl)),
      ],
    });
  }
  if (report.footnotes.length > 0)
    body.push(...report.footnotes.map((f) => text(f, { isSubtle: true, size: 'Small' })));
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.5',
    // Full width: a 7-column table is unreadable in Teams' default card width.
    msteams: { width: 'Full' },
    body,
  };
}
