import { describe, expect, it } from 'vitest';
import { checkBlocks, LIMITS } from '../../src/render/block-limits.js';
import { escapeMrkdwn, renderBlocks } from '../../src/render/blocks.js';
import { hugeReport, realReport } from '../helpers/reports.js';

const upload = () => ({ slackFileId: 'F0123ABCD' });

describe('renderBlocks', () => {
  it('renders a real report in full: header, KPI fields, uploaded images, drill buttons, footnotes', () => {
    const { text, blocks } = renderBlocks(realReport(), upload);
    expect(checkBlocks(blocks)).toEqual([]);
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'Spend drivers by service' } });
    expect(text).toContain('Spend drivers by service');
    const images = blocks.filter((b) => b.type === 'image');
    expect(images).toHaveLength(3);
    expect(images[0]).toMatchObject({ slack_file: { id: 'F0123ABCD' } });
    const actions = blocks.find((b) => b.type === 'actions') as {
      elements: { value: string; action_id: string }[];
    };
    expect(actions.elements).toHaveLength(5);
    expect(JSON.parse(actions.elements[0]!.value)).toMatchObject({ dim: 'service', next: 'account' });
    expect(new Set(actions.elements.map((e) => e.action_id)).size).toBe(5);
    expect(JSON.stringify(blocks)).toContain('noise threshold');
  });

  it('keeps every limit on over-long input and says what it cut', () => {
    const { blocks } = renderBlocks(hugeReport(), upload);
    expect(checkBlocks(blocks)).toEqual([]);
    expect(blocks).toHaveLength(LIMITS.blocksPerMessage);
    const json = JSON.stringify(blocks);
    expect(json).toMatch(/\+\d+ more blocks not shown/);
    expect(json).toMatch(/\+\d+ more/);
    expect(json).toContain('…');
    // The first table is Slack's own table block, every cell cut to 60 characters and marked.
    const table = blocks.find((b) => (b as { type: string }).type === 'table') as unknown as {
      rows: { type: string; text: string }[][];
    };
    expect(table.rows.length).toBeLessThanOrEqual(LIMITS.tableRows);
    expect(table.rows.flat().every((c) => c.type === 'raw_text' && c.text.length <= 60)).toBe(true);
    expect(table.rows.flat().some((c) => c.text.endsWith('…'))).toBe(true);
  });

  it('a table block for the first table, monospace for the others (Slack allows one a message)', () => {
    const report = realReport();
    const first = report.sections.find((s) => s.id === 'contributors')!;
    const tableOf = first.blocks.find((b) => b.type === 'table')!;
    report.sections.push({ id: 'again', title: 'Again', blocks: [tableOf] });
    const { blocks } = renderBlocks(report, upload);
    expect(checkBlocks(blocks)).toEqual([]);
    expect(blocks.filter((b) => (b as { type: string }).type === 'table')).toHaveLength(1);
    const mono = blocks.filter((b) => b.type === 'section' && 'text' in b && b.text?.text.startsWith('```'));
    expect(mono).toHaveLength(1);
    const native = blocks.find((b) => (b as { type: string }).type === 'table') as unknown as {
      rows: { text: string }[][];
      column_settings: { align: string }[];
    };
    expect(native.rows[0]!.map((c) => c.text)).toEqual([
      'service',
      'Previous',
      'Current',
      'Change',
      'Share',
      'Driver',
      'Risk',
    ]);
    expect(native.column_settings.map((c) => c.align)).toEqual([
      'left',
      'right',
      'right',
      'right',
      'right',
      'left',
      'left',
    ]);
  });

  it('200 drill actions: 25 buttons and a "+175 more" line', () => {
    const report = hugeReport();
    report.sections = report.sections.filter((s) => s.id === 'contributors');
    const { blocks } = renderBlocks(report, () => null);
    const actions = blocks.filter((b) => b.type === 'actions') as { elements: unknown[] }[];
    expect(actions[0]!.elements).toHaveLength(25);
    expect(JSON.stringify(blocks)).toContain('+175 more not shown as buttons');
    expect(checkBlocks(blocks)).toEqual([]);
  });

  it('a payload too large for a button is an error, never a truncated value', () => {
    const report = realReport();
    report.sections.push({
      id: 'x',
      title: 'x',
      blocks: [
        { type: 'actions', actions: [{ id: 'drill', label: 'big', payload: { key: 'k'.repeat(2100) } }] },
      ],
    });
    expect(() => renderBlocks(report, upload)).toThrow(/Slack allows 2000/);
  });

  it('escapes mrkdwn control characters and renders charts as text without an image', () => {
    expect(escapeMrkdwn('<@U1> & <!channel>')).toBe('&lt;@U1&gt; &amp; &lt;!channel&gt;');
    const { blocks } = renderBlocks(realReport(), () => null);
    expect(blocks.some((b) => b.type === 'image')).toBe(false);
    expect(JSON.stringify(blocks)).toContain('_From previous to current spend_');
  });
});

describe('checkBlocks', () => {
  it('finds each broken limit', () => {
    const v = checkBlocks([
      ...Array.from({ length: 50 }, () => ({ type: 'divider' as const })),
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
      { type: 'section', text: { type: 'mrkdwn', text: 's'.repeat(3001) } },
      { type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn' as const, text: 'f' })) },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            text: { type: 'plain_text', text: 'b'.repeat(76) },
            value: 'v'.repeat(2001),
            action_id: 'a'.repeat(256),
          },
          { type: 'button', text: { type: 'plain_text', text: 'ok' }, action_id: 'a'.repeat(256) },
        ],
      },
      { type: 'image', alt_text: '', image_url: '' } as never,
    ]);
    expect(v).toEqual(
      expect.arrayContaining([
        'blocks: 55 > 50',
        'block 50 (header) text: 151 > 150',
        'block 51 (section) text: 3001 > 3000',
        'block 52 (section) fields: 11 > 10',
        'block 53 (actions) button 0 text: 76 > 75',
        'block 53 (actions) button 0 value: 2001 > 2000',
        'block 53 (actions) button 0 action_id: 256 > 255',
        'block 53 (actions): duplicate action_id',
        'block 54 (image): needs image_url or slack_file',
        'block 54 (image): needs alt_text',
      ]),
    );
  });
});
