/**
 * SVG to PNG, headless, with resvg (a Rust renderer; no browser). resvg draws text only
 * with a font it has loaded: we load DejaVu Sans (or the file in M3E_FONT) when present and
 * otherwise let resvg look for system fonts. On a machine with no fonts at all the PNGs
 * come out without text (the SVGs are always complete); `fontStatus()` says which case
 * holds so the CLI can warn once.
 */
import { existsSync } from 'node:fs';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';

/** Fonts tried in order: DejaVu on Linux distributions, then common macOS and Windows fonts. */
const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf',
  '/usr/local/share/fonts/DejaVuSans.ttf',
  '/Library/Fonts/Arial.ttf',
  '/System/Library/Fonts/Supplemental/Arial.ttf',
  'C:\\Windows\\Fonts\\arial.ttf',
];

/** Device pixels per SVG pixel: 2 gives crisp PNGs on high-density screens and in papers. */
export const PNG_SCALE = 2;

export interface FontStatus {
  /** The font file loaded, or null when relying on whatever system fonts resvg finds. */
  readonly file: string | null;
  /** One-line note for the user when text may be missing, else null. */
  readonly warning: string | null;
}

let cached: FontStatus | null = null;

export function fontStatus(env: NodeJS.ProcessEnv = process.env): FontStatus {
  if (cached && env === process.env) return cached;
  const wanted = env.M3E_FONT;
  let status: FontStatus;
  if (wanted && existsSync(wanted)) status = { file: wanted, warning: null };
  else {
    const file = FONT_CANDIDATES.find((f) => existsSync(f)) ?? null;
    status = file
      ? {
          file,
          warning: wanted ? `M3E_FONT=${wanted} not found; using ${file}` : null,
        }
      : {
          file: null,
          warning:
            'no known font file found (DejaVu Sans, Arial): PNG charts use whatever system fonts resvg finds and may have no text; ' +
            'the SVG charts are complete. Install fonts-dejavu-core or set M3E_FONT=/path/to/font.ttf',
        };
  }
  if (env === process.env) cached = status;
  return status;
}

/** The family a font file holds, for resvg's fallback (text whose families are all missing). */
function family(file: string): string {
  return /dejavu/i.test(file) ? 'DejaVu Sans' : /arial/i.test(file) ? 'Arial' : '';
}

/** The renderer's settings: our font (or the system's), white background, `scale` x zoom. */
export function resvgOptions(scale = PNG_SCALE): ResvgRenderOptions {
  const font = fontStatus();
  return {
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    font: font.file
      ? { loadSystemFonts: false, fontFiles: [font.file], defaultFontFamily: family(font.file) }
      : { loadSystemFonts: true },
    logLevel: 'off',
  };
}

export function svgToPng(svg: string, scale = PNG_SCALE): Buffer {
  return new Resvg(svg, resvgOptions(scale)).render().asPng();
}
