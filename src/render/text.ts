/** A Report as terminal text: aligned KPIs and tables, charts named by their file, footnotes. */
import { contextLine, type Report, type ReportBlock, type TableColumn } from '../reports/report.js';

export interface TextOptions {
  /** Wrap width for prose (default 100). */
  width?: number;
  /** ANSI bold headings (default off: output is often piped). */
  color?: boolean;
  /** Charts written next to the text (`--out`): chart id -> file name. */
  chartFiles?: Map<string, string>;
}

function wrap(text: string, width: number, indent = ''): string {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    const room = Math.max(10, width - indent.length);
    // Words longer than a line (a 5,000-character name) are broken, not left to overflow.
    const words = para
      .split(/\s+/)
      .filter(Boolean)
      .flatMap((w) => w.match(new RegExp(`.{1,${room}}`, 'gu')) ?? []);
    for (const word of words) {
      if (line && line.length + 1 + word.length > width - indent.length) {
        out.push(indent + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(indent + line);
  }
  return out.join('\n');
}

/** Columns padded to their widest cell; numbers (align right) right-aligned. */
export function formatTable(columns: TableColumn[], rows: string[][], maxCell = 40): string {
  const cut = (s: string) => (s.length > maxCell ? `${s.slice(0, maxCell - 1)}…` : s);
  const cells = [columns.map((c) => c.header), ...rows].map((r) => r.map((c) => cut(c ?? '')));
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (columns[i]?.align === 'right' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(cells[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

function block(b: ReportBlock, o: Required<Omit<TextOptions, 'chartFiles'>> & TextOptions): string {
  switch (b.type) {
    case 'text':
      return wrap(b.text, o.width);
    case 'context':
      return wrap(b.text, o.width, '  ');
    case 'facts': {
      const w = Math.max(...b.facts.map((f) => f.label.length));
      return b.facts.map((f) => `  ${f.label.padEnd(w)}  ${f.value}`).join('\n');
    }
    case 'table':
      return formatTable(b.columns, b.rows) + (b.omitted ? `\n+${b.omitted} more` : '');
    case 'chart': {
      const file = o.chartFiles?.get(b.chart.id);
      return wrap(`[chart: ${b.chart.title}${file ? ` → ${file}` : ''}] ${b.chart.altText}`, o.width);
    }
    case 'actions':
      return wrap(`Drill down: ${b.actions.map((a) => a.label).join(' · ')}`, o.width);
  }
}

export function renderText(report: Report, options: TextOptions = {}): string {
  const o = { width: 100, color: false, ...options };
  const heading = (s: string) => (o.color ? `\x1b[1m${s}\x1b[0m` : s);
  const parts: string[] = [heading(report.title), contextLine(report), ''];
  if (report.kpis.length > 0) {
    const w = Math.max(...report.kpis.map((k) => k.label.length));
    for (const k of report.kpis)
      parts.push(`${k.label.padEnd(w)}  ${k.value}${k.detail ? `  (${k.detail})` : ''}`);
    parts.push('');
  }
  for (const s of report.sections) {
    if (s.title) parts.push(heading(s.title));
    for (const b of s.blocks) parts.push(block(b, o));
    parts.push('');
  }
  for (const f of report.footnotes) parts.push(wrap(`· ${f}`, o.width));
  return `${parts.join('\n').trimEnd()}\n`;
}
