/**
 * Vega-Lite spec -> Vega -> SVG -> PNG (sharp, 144 dpi = 2x). Text is drawn by librsvg through
 * fontconfig in the face the theme names; `checkChartFont` tells when that face is missing.
 */
import { execFileSync } from 'node:child_process';
import sharp from 'sharp';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { FONT } from './theme.js';

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function renderPng(spec: TopLevelSpec): Promise<Buffer> {
  const svg = await renderSvg(spec);
  // Full colour at zlib level 4: a 256-colour palette at level 9 spent 70-130 ms a chart on
  // quantising and compressing (two thirds of the render); full colour at level 4 is ~20 ms for
  // files of 60-140 KB (level 6: +6 ms for 4 % smaller files).
  return sharp(Buffer.from(svg), { density: 144 }).png({ compressionLevel: 4 }).toBuffer();
}

/** Whether fontconfig resolves the chart font to itself (not a fallback face). */
export function checkChartFont(): { ok: boolean; detail: string } {
  try {
    const match = execFileSync('fc-match', [FONT], { encoding: 'utf8' }).trim();
    const ok = match.includes(FONT.replaceAll(' ', '')) || match.includes(`"${FONT}"`);
    return {
      ok,
      detail: ok ? match : `fontconfig resolves "${FONT}" to ${match}; install fonts-dejavu-core`,
    };
  } catch {
    return {
      ok: false,
      detail: 'fontconfig (fc-match) is not installed; install fontconfig and fonts-dejavu-core',
    };
  }
}
