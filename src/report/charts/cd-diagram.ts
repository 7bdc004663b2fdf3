/**
 * Critical-difference diagram (Demsar 2006): mappers placed on an axis of mean rank over the
 * problems (1 = best, on the left), the Nemenyi critical difference drawn above the axis, and
 * thick bars joining mappers whose mean ranks are within it of each other (no significant
 * difference). The better half is labelled on the left, the other half on the right.
 */
import { esc, FONT_SIZE, px, svgDocument, textWidth, titleText } from './svg.js';

export interface CdDiagramInput {
  readonly title: string;
  readonly names: readonly string[];
  readonly meanRanks: readonly number[];
  readonly criticalDifference: number;
  /** Groups of indices into `names` not significantly different (cliques). */
  readonly groups: readonly (readonly number[])[];
  /** Caption under the diagram (the test, alpha, number of problems). */
  readonly caption?: string;
}

const AXIS_WIDTH = 440;
const TOP = 64;
const ROW = 20;
const GROUP_GAP = 7;

export function cdDiagram(input: CdDiagramInput): string {
  const k = input.names.length;
  const order = input.names.map((_, i) => i).sort((a, b) => input.meanRanks[a]! - input.meanRanks[b]!);
  const label = (i: number) => `${input.names[i]} (${input.meanRanks[i]!.toFixed(2)})`;
  const labelWidth = Math.max(60, ...input.names.map((_, i) => textWidth(label(i)))) + 30;
  const left = labelWidth + 10;
  const right = left + AXIS_WIDTH;
  const width = right + labelWidth + 10;
  const hi = Math.max(k, 2);
  const x = (r: number) => left + ((r - 1) / (hi - 1)) * AXIS_WIDTH;
  const axisY = TOP + 30;
  const body: string[] = [titleText(input.title, 12, 24)];
  // The critical difference, from rank 1.
  const cdEnd = Math.min(hi, 1 + input.criticalDifference);
  body.push(
    `<g class="cd">`,
    `<line x1="${px(x(1))}" y1="${TOP}" x2="${px(x(cdEnd))}" y2="${TOP}" stroke="#000" stroke-width="1.5"/>`,
    `<line x1="${px(x(1))}" y1="${TOP - 5}" x2="${px(x(1))}" y2="${TOP + 5}" stroke="#000"/>`,
    `<line x1="${px(x(cdEnd))}" y1="${TOP - 5}" x2="${px(x(cdEnd))}" y2="${TOP + 5}" stroke="#000"/>`,
    `<text x="${px((x(1) + x(cdEnd)) / 2)}" y="${TOP - 9}" text-anchor="middle">CD = ${input.criticalDifference.toFixed(2)}</text>`,
    `</g>`,
  );
  // Axis with integer ticks.
  body.push(`<g class="axis rank-axis">`);
  body.push(`<line x1="${px(x(1))}" y1="${axisY}" x2="${px(x(hi))}" y2="${axisY}" stroke="#000"/>`);
  for (let r = 1; r <= hi; r++) {
    body.push(
      `<line x1="${px(x(r))}" y1="${axisY - 6}" x2="${px(x(r))}" y2="${axisY}" stroke="#000"/>`,
      `<text x="${px(x(r))}" y="${axisY - 10}" text-anchor="middle">${r}</text>`,
    );
  }
  body.push(`</g>`);
  // Groups under the axis, each a thick bar from its best to its worst mean rank.
  const groupTop = axisY + 12;
  input.groups.forEach((g, i) => {
    const rs = g.map((m) => input.meanRanks[m]!);
    const y = groupTop + i * GROUP_GAP;
    body.push(
      `<line class="group" data-members="${esc(g.map((m) => input.names[m]).join(','))}" x1="${px(x(Math.min(...rs)) - 3)}" y1="${y}" x2="${px(x(Math.max(...rs)) + 3)}" y2="${y}" stroke="#000" stroke-width="3.5"/>`,
    );
  });
  const linesTop = groupTop + input.groups.length * GROUP_GAP + 14;
  const half = Math.ceil(k / 2);
  order.forEach((m, pos) => {
    const onLeft = pos < half;
    const row = onLeft ? pos : k - 1 - pos;
    const y = linesTop + row * ROW;
    const mx = x(input.meanRanks[m]!);
    const endX = onLeft ? left - 8 : right + 8;
    body.push(
      `<g class="mapper" data-name="${esc(input.names[m]!)}" data-rank="${input.meanRanks[m]}">`,
      `<path d="M${px(mx)} ${axisY}V${px(y)}H${px(endX)}" fill="none" stroke="#333" stroke-width="1"/>`,
      `<text x="${px(onLeft ? endX - 4 : endX + 4)}" y="${px(y + FONT_SIZE / 3)}" text-anchor="${onLeft ? 'end' : 'start'}">${esc(label(m))}</text>`,
      `</g>`,
    );
  });
  let height = linesTop + Math.max(half, k - half) * ROW + 8;
  if (input.caption) {
    body.push(
      `<text class="caption" x="12" y="${px(height + 8)}" font-size="11" fill="#444">${esc(input.caption)}</text>`,
    );
    height += 22;
  }
  return svgDocument(Math.max(width, textWidth(input.title, 15) + 24), height, body.join(''), input.title);
}
