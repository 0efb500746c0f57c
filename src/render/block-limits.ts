/**
 * Slack's Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks and the pages of each
 * block and element). The renderer keeps within them; `checkBlocks` proves a message does.
 */
import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;

export const LIMITS = {
  blocksPerMessage: 50,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  actionsElements: 25,
  contextElements: 10,
  contextText: 3000,
  imageAltText: 2000,
  imageTitle: 2000,
  /** Table block: rows (header included), cells a row, characters in all cells (docs.slack.dev, table block). */
  tableRows: 100,
  tableColumns: 20,
  tableText: 10000,
  tableCellText: 60,
  tablesPerMessage: 1,
  /** Top-level `text` of chat.postMessage is truncated by Slack after 40,000 characters. */
  messageText: 40000,
} as const;

type Loose = Record<string, unknown> & { type?: string };
const textOf = (t: unknown): string =>
  t && typeof t === 'object' && 'text' in t ? String((t as { text: unknown }).text) : '';

/** Every limit a list of blocks breaks, as readable lines; empty when the message is valid. */
export function checkBlocks(blocks: KnownBlock[]): string[] {
  const v: string[] = [];
  const over = (what: string, n: number, max: number) => {
    if (n > max) v.push(`${what}: ${n} > ${max}`);
  };
  over('blocks', blocks.length, LIMITS.blocksPerMessage);
  let tables = 0;
  blocks.forEach((raw, i) => {
    const b = raw as unknown as Loose;
    const at = `block ${i} (${b.type})`;
    if (typeof b.block_id === 'string') over(`${at} block_id`, b.block_id.length, LIMITS.blockId);
    switch (b.type) {
      case 'header':
        over(`${at} text`, textOf(b.text).length, LIMITS.headerText);
        break;
      case 'section': {
        const fields = (b.fields as unknown[] | undefined) ?? [];
        if (!b.text && fields.length === 0) v.push(`${at}: needs text or fields`);
        over(`${at} text`, textOf(b.text).length, LIMITS.sectionText);
        over(`${at} fields`, fields.length, LIMITS.sectionFields);
        for (const [j, f] of fields.entries()) over(`${at} field ${j}`, textOf(f).length, LIMITS.fieldText);
        break;
      }
      case 'context': {
        const els = (b.elements as unknown[] | undefined) ?? [];
        over(`${at} elements`, els.length, LIMITS.contextElements);
        if (els.length === 0) v.push(`${at}: no elements`);
        for (const [j, e] of els.entries()) over(`${at} element ${j}`, textOf(e).length, LIMITS.contextText);
        break;
      }
      case 'actions': {
        const els = (b.elements as Loose[] | undefined) ?? [];
        over(`${at} elements`, els.length, LIMITS.actionsElements);
        if (els.length === 0) v.push(`${at}: no elements`);
        els.forEach((e, j) => {
          over(`${at} button ${j} text`, textOf(e.text).length, LIMITS.buttonText);
          if (typeof e.value === 'string')
            over(`${at} button ${j} value`, e.value.length, LIMITS.buttonValue);
          if (typeof e.action_id === 'string')
            over(`${at} button ${j} action_id`, e.action_id.length, LIMITS.actionId);
        });
        const ids = els.map((e) => e.action_id);
        if (new Set(ids).size !== ids.length) v.push(`${at}: duplicate action_id`);
        break;
      }
      case 'table': {
        const rows = (b.rows as { text?: string }[][] | undefined) ?? [];
        tables++;
        over(`${at} rows`, rows.length, LIMITS.tableRows);
        for (const [j, r] of rows.entries()) over(`${at} row ${j} cells`, r.length, LIMITS.tableColumns);
        over(
          `${at} characters`,
          rows.flat().reduce((n, c) => n + String(c.text ?? '').length, 0),
          LIMITS.tableText,
        );
        if (rows.flat().some((c) => !c.text)) v.push(`${at}: an empty cell (Slack refuses them)`);
        break;
      }
      case 'image':
        if (!b.image_url && !b.slack_file) v.push(`${at}: needs image_url or slack_file`);
        over(`${at} alt_text`, String(b.alt_text ?? '').length, LIMITS.imageAltText);
        if (!b.alt_text) v.push(`${at}: needs alt_text`);
        over(`${at} title`, textOf(b.title).length, LIMITS.imageTitle);
        break;
      default:
        break;
    }
  });
  over('table blocks', tables, LIMITS.tablesPerMessage);
  return v;
}
