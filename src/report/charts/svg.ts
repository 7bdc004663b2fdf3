/**
 * The little SVG kit the charts share: scales with readable ticks, axes, legends, colours
 * and escaping. Charts are plain SVG text (no browser, no DOM), so they render anywhere and
 * tests can read their marks; every mark carries a class (`job`, `series`, `bar` ...) for that.
 */

/** Font stack: DejaVu Sans is what the PNG renderer loads when present (see ../png.ts). */
export const FONT_FAMILY = "'DejaVu Sans', Arial, Helvetica, sans-serif";
export const FONT_SIZE = 12;
/** Rough advance width of a character as a fraction of the font size (DejaVu Sans averages ~0.6). */
const CHAR_WIDTH = 0.6;

/** Okabe-Ito and Tableau colours: distinct for the colour-blind, in this order. */
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#D55E00',
  '#56B4E9',
  '#F0E442',
  '#000000',
  '#8C564B',
  '#7F7F7F',
  '#BCBD22',
  '#17BECF',
] as const;

export function color(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

/** `n` blues from dark to light, for stacked per-core areas (kept apart from the categorical palette). */
export function ramp(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = n === 1 ? 0.5 : i / (n - 1);
    // Hue 205 (blue) to 175 (teal), lightness 30 % to 78 %.
    out.push(`hsl(${Math.round(205 - 30 * t)}, 55%, ${Math.round(30 + 48 * t)}%)`);
  }
  return out;
}

export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function textWidth(text: string, size = FONT_SIZE): number {
  return text.length * size * CHAR_WIDTH;
}

/** Coordinates with two decimals: exact enough, and short files. */
export function px(v: number): string {
  return String(Math.round(v * 100) / 100);
}

export interface Scale {
  (value: number): number;
  readonly domain: readonly [number, number];
  readonly ticks: readonly number[];
  format(value: number): string;
}

/**
 * Step of about `span / count` rounded to 1, 2 or 5 x a power of ten: the nearest on a log
 * scale (thresholds at the geometric means sqrt(2), sqrt(10), sqrt(50), as d3 does).
 */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f < Math.SQRT2 ? 1 : f < Math.sqrt(10) ? 2 : f < Math.sqrt(50) ? 5 : 10) * p;
}

/**
 * Short number: SI suffixes from 10^4 up, otherwise as many decimals as `step` needs. The
 * suffix follows `magnitude` (an axis's largest tick), so all ticks of an axis share it.
 */
export function formatNumber(v: number, step = 0, magnitude = Math.abs(v)): string {
  if (v === 0) return '0';
  const a = magnitude;
  const trim = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
  // [from, unit, suffix]: 12,000 reads "12k", but 1,500 stays "1500".
  for (const [from, unit, suffix] of [
    [1e12, 1e12, 'T'],
    [1e9, 1e9, 'G'],
    [1e6, 1e6, 'M'],
    [1e4, 1e3, 'k'],
  ] as const) {
    if (a >= from) {
      const decimals = step > 0 ? Math.max(0, Math.min(3, -Math.floor(Math.log10(step / unit) + 1e-9))) : 2;
      return trim((v / unit).toFixed(decimals)) + suffix;
    }
  }
  if (step > 0) {
    const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
    return trim(v.toFixed(decimals));
  }
  return trim(v.toPrecision(4));
}

/** A cycle count for titles: whole numbers as they are, others to 7 significant digits. */
export function formatCycles(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(7)));
}

/**
 * A linear scale over [lo, hi] mapped onto [r0, r1]; with `nice` the domain is widened to
 * whole ticks.
 */
export function linearScale(
  lo: number,
  hi: number,
  r0: number,
  r1: number,
  options: { ticks?: number; nice?: boolean } = {},
): Scale {
  if (!(hi > lo)) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.05;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep(hi - lo, options.ticks ?? 5);
  if (options.nice) {
    lo = Math.floor(lo / step + 1e-9) * step;
    hi = Math.ceil(hi / step - 1e-9) * step;
  }
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step)
    ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  const f = (v: number) => r0 + ((v - lo) / (hi - lo)) * (r1 - r0);
  const magnitude = Math.max(Math.abs(lo), Math.abs(hi));
  return Object.assign(f, {
    domain: [lo, hi] as const,
    ticks,
    format: (v: number) => formatNumber(v, step, magnitude),
  });
}

/** A log-10 scale; ticks at powers of ten (and 2, 5 x them when the range is short). */
export function logScale(lo: number, hi: number, r0: number, r1: number): Scale {
  lo = Math.max(lo, Number.MIN_VALUE);
  if (!(hi > lo)) hi = lo * 10;
  const a = Math.log10(lo);
  const b = Math.log10(hi);
  const ticks: number[] = [];
  const decades = b - a;
  const mults = decades < 2 ? [1, 2, 5] : [1];
  for (let e = Math.floor(a); e <= Math.ceil(b); e++)
    for (const m of mults) {
      const t = m * 10 ** e;
      if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) ticks.push(t);
    }
  const f = (v: number) => r0 + ((Math.log10(Math.max(v, lo)) - a) / (b - a)) * (r1 - r0);
  return Object.assign(f, {
    domain: [lo, hi] as const,
    ticks,
    format: (v: number) => formatNumber(v),
  });
}

export interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** A horizontal axis at the bottom of `box` with light vertical grid lines. */
export function xAxis(scale: Scale, box: Box, label: string): string {
  const y = box.top + box.height;
  const parts = [`<g class="axis x-axis">`];
  parts.push(
    `<line x1="${px(box.left)}" y1="${px(y)}" x2="${px(box.left + box.width)}" y2="${px(y)}" stroke="#333"/>`,
  );
  for (const t of scale.ticks) {
    const x = scale(t);
    parts.push(
      `<line x1="${px(x)}" y1="${px(box.top)}" x2="${px(x)}" y2="${px(y)}" stroke="#e5e5e5"/>`,
      `<line x1="${px(x)}" y1="${px(y)}" x2="${px(x)}" y2="${px(y + 4)}" stroke="#333"/>`,
      `<text x="${px(x)}" y="${px(y + 16)}" text-anchor="middle">${esc(scale.format(t))}</text>`,
    );
  }
  parts.push(
    `<text class="axis-label" x="${px(box.left + box.width / 2)}" y="${px(y + 34)}" text-anchor="middle">${esc(label)}</text>`,
    '</g>',
  );
  return parts.join('');
}

/** A vertical axis on the left of `box` with light horizontal grid lines. */
export function yAxis(scale: Scale, box: Box, label: string): string {
  const x = box.left;
  const parts = [`<g class="axis y-axis">`];
  parts.push(
    `<line x1="${px(x)}" y1="${px(box.top)}" x2="${px(x)}" y2="${px(box.top + box.height)}" stroke="#333"/>`,
  );
  for (const t of scale.ticks) {
    const y = scale(t);
    parts.push(
      `<line x1="${px(x)}" y1="${px(y)}" x2="${px(x + box.width)}" y2="${px(y)}" stroke="#e5e5e5"/>`,
      `<line x1="${px(x - 4)}" y1="${px(y)}" x2="${px(x)}" y2="${px(y)}" stroke="#333"/>`,
      `<text x="${px(x - 7)}" y="${px(y + 4)}" text-anchor="end">${esc(scale.format(t))}</text>`,
    );
  }
  const cy = box.top + box.height / 2;
  parts.push(
    `<text class="axis-label" x="${px(x - 52)}" y="${px(cy)}" text-anchor="middle" transform="rotate(-90 ${px(x - 52)} ${px(cy)})">${esc(label)}</text>`,
    '</g>',
  );
  return parts.join('');
}

export interface LegendItem {
  readonly label: string;
  readonly color: string;
  /** A line sample (series) or a filled square (categories). */
  readonly shape: 'line' | 'square';
}

/** Legend items laid out left to right, wrapping at `maxWidth`; returns the SVG and its height. */
export function legend(
  items: readonly LegendItem[],
  x: number,
  y: number,
  maxWidth: number,
): { svg: string; height: number } {
  const ROW = 18;
  const parts = ['<g class="legend">'];
  let cx = x;
  let cy = y;
  for (const it of items) {
    const w = 22 + textWidth(it.label) + 16;
    if (cx > x && cx + w > x + maxWidth) {
      cx = x;
      cy += ROW;
    }
    const sample =
      it.shape === 'line'
        ? `<line x1="${px(cx)}" y1="${px(cy - 4)}" x2="${px(cx + 16)}" y2="${px(cy - 4)}" stroke="${it.color}" stroke-width="3"/>`
        : `<rect x="${px(cx + 2)}" y="${px(cy - 10)}" width="12" height="12" fill="${it.color}"/>`;
    parts.push(
      `<g class="legend-item">${sample}<text x="${px(cx + 22)}" y="${px(cy)}">${esc(it.label)}</text></g>`,
    );
    cx += w;
  }
  parts.push('</g>');
  return { svg: parts.join(''), height: cy - y + ROW };
}

/** The SVG document: white background, one font for everything. */
export function svgDocument(width: number, height: number, body: string, title: string): string {
  const w = Math.ceil(width);
  const h = Math.ceil(height);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" ` +
    `font-family="${esc(FONT_FAMILY)}" font-size="${FONT_SIZE}">` +
    `<title>${esc(title)}</title>` +
    `<rect width="100%" height="100%" fill="#ffffff"/>${body}</svg>\n`
  );
}

export function titleText(text: string, x: number, y: number): string {
  return `<text class="title" x="${px(x)}" y="${px(y)}" font-size="15" font-weight="bold">${esc(text)}</text>`;
}
