// Renders a Block Kit message (blocks.json) as an HTML page laid out the way Slack lays it out
// (header, mrkdwn sections, two-column fields, images at message width, context, tables, buttons)
// and, when Chromium is installed, screenshots it: a look at what a channel sees, without Slack.
//
//   npx spendbrief digest --out out --image-base-url "file://$PWD/out/"
//   node scripts/preview-blocks.mjs out/blocks.json out/preview.png
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const [input = 'out/blocks.json', png = input.replace(/\.json$/, '.png')] = process.argv.slice(2);
const { blocks } = JSON.parse(readFileSync(input, 'utf8'));

const EMOJI = { large_green_circle: '🟢', red_circle: '🔴', large_yellow_circle: '🟡' };
const esc = (s) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
/** Slack's mrkdwn (already escaped for Slack: &amp; &lt; &gt;) to HTML. */
function mrkdwn(text) {
  return text
    .replace(/```([\s\S]*?)```/g, (_, code) => `<pre>${code}</pre>`)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/(^|[\s(])\*([^*\n]+)\*/g, '$1<b>$2</b>')
    .replace(/(^|[\s(])_([^_\n]+)_/g, '$1<i>$2</i>')
    .replace(/:([a-z_]+):/g, (m, name) => EMOJI[name] ?? m)
    .replaceAll('\n', '<br>');
}
const text = (t) => (t.type === 'mrkdwn' ? mrkdwn(t.text) : esc(t.text));

function block(b) {
  switch (b.type) {
    case 'header':
      return `<h1>${esc(b.text.text)}</h1>`;
    case 'divider':
      return '<hr>';
    case 'context':
      return `<div class="context">${b.elements.map(text).join(' &nbsp; ')}</div>`;
    case 'section':
      return `<div class="section">${b.text ? `<div>${text(b.text)}</div>` : ''}${
        b.fields ? `<div class="fields">${b.fields.map((f) => `<div>${text(f)}</div>`).join('')}</div>` : ''
      }</div>`;
    case 'image':
      return `<div class="image">${b.title ? `<div class="imgtitle">${esc(b.title.text)}</div>` : ''}<img src="${esc(
        b.image_url ?? '',
      )}" alt="${esc(b.alt_text)}"></div>`;
    case 'actions':
      return `<div class="actions">${b.elements.map((e) => `<button>${esc(e.text.text)}</button>`).join('')}</div>`;
    case 'table':
      return `<table>${b.rows
        .map(
          (r, i) =>
            `<tr>${r
              .map((c, j) => {
                const tag = i === 0 ? 'th' : 'td';
                const align = b.column_settings?.[j]?.align ?? 'left';
                return `<${tag} style="text-align:${align}">${esc(c.text)}</${tag}>`;
              })
              .join('')}</tr>`,
        )
        .join('')}</table>`;
    default:
      return `<div class="context">[${esc(b.type)} block]</div>`;
  }
}

const html = `<!doctype html><meta charset="utf-8"><style>
body{font:15px/1.46 Lato,"DejaVu Sans",sans-serif;color:#1d1c1d;margin:0;background:#fff}
.msg{max-width:640px;padding:16px 20px 16px 68px;position:relative}
.msg:before{content:"";position:absolute;left:20px;top:20px;width:36px;height:36px;border-radius:6px;background:#0072B2}
.who{font-weight:900}.who span{font-weight:400;color:#616061;font-size:12px;margin-left:6px}
h1{font-size:18px;margin:8px 0 4px}.section{margin:6px 0}.fields{display:grid;grid-template-columns:1fr 1fr;gap:6px 16px;margin-top:4px}
.context{font-size:12px;color:#616061;margin:4px 0}hr{border:0;border-top:1px solid #ddd;margin:10px 0}
.image{margin:8px 0}.image img{max-width:100%;border-radius:6px;border:1px solid #eee}.imgtitle{font-size:13px;color:#616061}
.actions button{font:600 13px Lato,sans-serif;border:1px solid #bbb;border-radius:4px;background:#fff;padding:4px 10px;margin:2px 6px 2px 0}
table{border-collapse:collapse;font-size:13px;margin:6px 0}td,th{border:1px solid #ddd;padding:3px 6px}th{background:#f6f6f6}
pre{font-size:12px;background:#f8f8f8;border:1px solid #ddd;padding:6px;white-space:pre-wrap}
</style><div class="msg"><div class="who">spendbrief<span>APP 9:00 AM</span></div>${blocks.map(block).join('\n')}</div>`;
const page = input.replace(/\.json$/, '.html');
writeFileSync(page, html);
console.error(`wrote ${page} (${blocks.length} blocks)`);

const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find((c) => {
  try {
    execFileSync('which', [c], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});
if (chromium) {
  execFileSync(
    chromium,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      `--screenshot=${resolve(png)}`,
      '--window-size=720,4000',
      '--allow-file-access-from-files',
      `file://${resolve(page)}`,
    ],
    { stdio: 'ignore' },
  );
  // The window is tall enough for any message: cut the white below it.
  const { default: sharp } = await import('sharp');
  const trimmed = await sharp(png)
    .trim({ background: '#ffffff', threshold: 5 })
    .extend({ top: 12, bottom: 12, left: 12, right: 12, background: '#ffffff' })
    .png()
    .toBuffer();
  writeFileSync(png, trimmed);
  console.error(`wrote ${png}`);
} else console.error('no chromium on PATH: open the HTML page instead');
