/**
 * Vega-Lite spec -> Vega scenegraph -> pixels (Skia, through @napi-rs/canvas, at 2x) -> PNG (sharp).
 *
 * Why this path (measured on the contributors chart, docs/adr/0007): Skia draws a chart in ~1.5 ms
 * where librsvg spent 17-20 ms rasterising our SVG (0.4 ms per text element, a Pango layout each);
 * sharp then encodes the pixels in ~3 ms where Skia's own PNG encoder takes ~40. The face is
 * DejaVu Sans from the `dejavu-fonts-ttf` package, registered here, so charts look the same on
 * every machine and need no system fonts. Text is measured with that face: Vega's fallback without
 * a canvas guesses 0.8 x font size per character, which left long titles and labels with blank space.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import sharp from 'sharp';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { CodedError, ErrorCode } from '../errors.js';
import { FONT } from './theme.js';

/** 144 dpi: sharp on retina screens, and Slack's 360 px thumbnail of a 720 px chart. */
const SCALE = 2;

const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf'];

/** Vega exports its scenegraph's text hooks; its typings omit them. */
const { textMetrics, font: itemFont } = vega as unknown as {
  textMetrics: { width: (item: { limit?: number }, text: unknown) => number };
  font: (item: object) => string;
};

let ready = false;

/**
 * Registers the chart face and points Vega's text measurement at it; once a process. A packaged
 * font file that does not register is an error: drawn in some other face, every label's measured
 * room would be wrong.
 */
function setUp(): void {
  if (ready) return;
  const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  const missing = FONT_FILES.filter((file) => GlobalFonts.registerFromPath(join(dir, file), FONT) === null);
  if (missing.length)
    throw new CodedError(
      ErrorCode.Config,
      `chart font: ${missing.join(', ')} did not register from ${dir}; reinstall the packages (npm install)`,
    );
  const ctx = createCanvas(1, 1).getContext('2d');
  const widths = new Map<string, number>();
  const measure = (font: string, text: string): number => {
    const key = `${font}\u0000${text}`;
    let width = widths.get(key);
    if (width === undefined) {
      ctx.font = font;
      width = ctx.measureText(text).width;
      if (widths.size > 10_000) widths.clear();
      widths.set(key, width);
    }
    return width;
  };
  // Vega's hook for a measuring function (vl-convert uses it too). Vega calls it for whole texts
  // (bounds) and for the pieces it tries while cutting a text to `limit`; capping at the limit
  // keeps every comparison of that search as it was, and lays a cut text out as wide as its
  // limit (within a character of what is drawn) instead of as wide as the whole text.
  textMetrics.width = (item, text) => {
    const value = text == null ? '' : String(text).trim();
    if (value === '') return 0;
    const width = measure(itemFont(item), value);
    const limit = Number(item.limit);
    return limit > 0 ? Math.min(width, limit) : width;
  };
  ready = true;
}

/**
 * Vega-Lite's warnings, less one: with a step height and `fit-x`, it reports dropping "fit-y"
 * (what it does is keep fit-x), on every chart with a row per label.
 */
const compileLog = (() => {
  const base = vega.logger(vega.Warn);
  const warn = base.warn.bind(base);
  return Object.assign(base, {
    warn: (...args: readonly unknown[]) => {
      if (!String(args[0]).startsWith('Dropping "fit-y"')) warn(...args);
      return base;
    },
  });
})();

async function laidOut(spec: TopLevelSpec): Promise<vega.View> {
  setUp();
  const view = new vega.View(vega.parse(compile(spec, { logger: compileLog }).spec), { renderer: 'none' });
  await view.runAsync();
  return view;
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = await laidOut(spec);
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function renderPng(spec: TopLevelSpec): Promise<Buffer> {
  const view = await laidOut(spec);
  try {
    const { width, height } = viewSize(view);
    const canvas = createCanvas(Math.ceil(width * SCALE), Math.ceil(height * SCALE));
    const ctx = canvas.getContext('2d');
    // White beneath: Vega does not clear an external context, and a chart without a background
    // would come out black once the alpha channel is dropped.
    ctx.fillStyle = '#FFFFFF';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    await view.toCanvas(SCALE, { externalContext: ctx } as never);
    // Opaque pixels, so Skia's premultiplied RGBA is plain RGBA; RGB is kept.
    // zlib level 4: level 9 spent 70-130 ms a chart; level 6 saves 4 % of the bytes for +6 ms.
    return await sharp(canvas.data(), { raw: { width: canvas.width, height: canvas.height, channels: 4 } })
      .removeAlpha()
      .png({ compressionLevel: 4 })
      .toBuffer();
  } finally {
    view.finalize();
  }
}

/** The whole chart's size in CSS pixels, padding included (what Vega's headless renderers use). */
function viewSize(view: vega.View): { width: number; height: number } {
  const inner = view as unknown as { _viewWidth: number; _viewHeight: number };
  const pad = view.padding() as { left: number; right: number; top: number; bottom: number };
  return {
    width: Math.max(1, inner._viewWidth + pad.left + pad.right),
    height: Math.max(1, inner._viewHeight + pad.top + pad.bottom),
  };
}
