/**
 * The Gantt chart of one mapping: every core's jobs over time, coloured by category (the
 * job's network, layer type or bandwidth demand), and under it the bandwidth allocated to
 * each core over time, stacked, against the system bandwidth B. Where the stack reaches B
 * the jobs are slowed by the allocator; where it stays below, bandwidth is wasted.
 */
import type { Encoding } from '../../core/encoding.js';
import type { EvaluationResult } from '../../core/evaluator.js';
import type { JobTable } from '../../core/table.js';
import {
  type Box,
  color,
  esc,
  FONT_SIZE,
  formatNumber,
  legend,
  linearScale,
  px,
  ramp,
  svgDocument,
  titleText,
  xAxis,
  yAxis,
} from './svg.js';

export interface GanttInput {
  readonly title: string;
  readonly table: JobTable;
  readonly encoding: Encoding;
  /** The evaluation of `encoding` with its timeline. */
  readonly result: EvaluationResult;
  /** One category per job and what the categories are. */
  readonly labels: {
    readonly kind: string;
    readonly values: readonly string[];
    /** Legend order (else alphabetical). */
    readonly order?: readonly string[];
  };
}

const WIDTH = 1040;
// Wide enough for core names such as "c0-dla8192 (dla)".
const MARGIN = { left: 150, right: 24, top: 44 };
const LANE = 24;
const LANE_GAP = 4;
const BW_HEIGHT = 170;
const PANEL_GAP = 26;
/** Job numbers are printed inside bars at least this wide (px). */
const MIN_LABEL_WIDTH = 20;

/** Black or white, whichever reads better on `hex`. */
function textOn(hex: string): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return '#000';
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => Number.parseInt(h!, 16) / 255) as [number, number, number];
  return 0.299 * r + 0.587 * g + 0.114 * b > 0.55 ? '#000' : '#fff';
}

export function ganttChart(input: GanttInput): string {
  const { table, encoding, result, labels } = input;
  const timeline = result.timeline;
  if (!timeline) throw new Error('ganttChart needs an evaluation with its timeline');
  const C = table.numCores;
  const J = table.numJobs;
  const makespan = result.makespan;
  const laneBox: Box = {
    left: MARGIN.left,
    top: MARGIN.top,
    width: WIDTH - MARGIN.left - MARGIN.right,
    height: C * (LANE + LANE_GAP),
  };
  const bwBox: Box = { ...laneBox, top: laneBox.top + laneBox.height + PANEL_GAP, height: BW_HEIGHT };
  const xs = linearScale(0, makespan, laneBox.left, laneBox.left + laneBox.width, { ticks: 8 });
  const B = table.systemBandwidth;
  let peak = B;
  for (const s of timeline) {
    let total = 0;
    for (let c = 0; c < C; c++) total += s.allocated[c]!;
    peak = Math.max(peak, total);
  }
  const ys = linearScale(0, peak * 1.08, bwBox.top + bwBox.height, bwBox.top, { ticks: 4, nice: true });

  const present = new Set(labels.values);
  const ordered = (labels.order ?? []).filter((c) => present.has(c));
  const categories = [...ordered, ...[...present].filter((c) => !ordered.includes(c)).sort()];
  const catColor = new Map(categories.map((c, i) => [c, color(i)]));
  const body: string[] = [titleText(input.title, MARGIN.left, 24)];

  // Lanes: grid, core names, jobs.
  body.push('<g class="lanes">');
  for (const t of xs.ticks) {
    const x = xs(t);
    body.push(
      `<line x1="${px(x)}" y1="${px(laneBox.top)}" x2="${px(x)}" y2="${px(laneBox.top + laneBox.height)}" stroke="#eeeeee"/>`,
    );
  }
  for (let c = 0; c < C; c++) {
    const y = laneBox.top + c * (LANE + LANE_GAP);
    const name = table.cores[c]?.name ?? `core${c}`;
    const style = table.cores[c]?.style;
    body.push(
      `<text class="core-name" x="${px(laneBox.left - 8)}" y="${px(y + LANE / 2 + 4)}" text-anchor="end">${esc(style ? `${name} (${style})` : name)}</text>`,
    );
  }
  for (let j = 0; j < J; j++) {
    const c = encoding.core[j]!;
    const x0 = xs(result.jobStart[j]!);
    const x1 = xs(result.jobFinish[j]!);
    const y = laneBox.top + c * (LANE + LANE_GAP);
    const cat = labels.values[j] ?? '';
    const fill = catColor.get(cat) ?? '#999999';
    const name = (table.jobs[j]?.name as string | undefined) ?? `job${j}`;
    body.push(
      `<rect class="job" data-job="${j}" data-core="${c}" x="${px(x0)}" y="${px(y)}" width="${px(Math.max(0.5, x1 - x0))}" height="${LANE}" fill="${fill}" stroke="#ffffff" stroke-width="0.8">` +
        `<title>${esc(`${name} (${cat}) on core ${c}: ${formatNumber(result.jobStart[j]!)} to ${formatNumber(result.jobFinish[j]!)} cycles`)}</title></rect>`,
    );
    if (x1 - x0 >= MIN_LABEL_WIDTH) {
      body.push(
        `<text class="job-label" x="${px((x0 + x1) / 2)}" y="${px(y + LANE / 2 + 3.5)}" text-anchor="middle" font-size="${FONT_SIZE - 3}" fill="${textOn(fill)}">${j}</text>`,
      );
    }
  }
  body.push('</g>');

  // Bandwidth: one stacked step area per core, and the system bandwidth.
  const coreColors = ramp(C);
  body.push(yAxis(ys, bwBox, 'allocated B/cycle'));
  body.push(xAxis(xs, bwBox, 'time (cycles)'));
  body.push('<g class="bandwidth">');
  const segs = timeline.filter((s) => s.duration > 0);
  const base = new Float64Array(segs.length);
  for (let c = 0; c < C; c++) {
    const upper: string[] = [];
    const lower: string[] = [];
    let any = false;
    segs.forEach((s, k) => {
      const lo = base[k]!;
      const hi = lo + s.allocated[c]!;
      if (s.allocated[c]! > 0) any = true;
      const xa = px(xs(s.start));
      const xb = px(xs(s.start + s.duration));
      upper.push(`${xa},${px(ys(hi))}`, `${xb},${px(ys(hi))}`);
      lower.push(`${xa},${px(ys(lo))}`, `${xb},${px(ys(lo))}`);
      base[k] = hi;
    });
    if (!any) continue;
    body.push(
      `<polygon class="bw-area" data-core="${c}" points="${[...upper, ...lower.reverse()].join(' ')}" fill="${coreColors[c]}" stroke="none"/>`,
    );
  }
  const yB = ys(B);
  body.push(
    `<line class="system-bandwidth" x1="${px(bwBox.left)}" y1="${px(yB)}" x2="${px(bwBox.left + bwBox.width)}" y2="${px(yB)}" stroke="#C00000" stroke-width="1.5" stroke-dasharray="6 4"/>`,
    `<text x="${px(bwBox.left + bwBox.width - 4)}" y="${px(yB - 5)}" text-anchor="end" fill="#C00000">B = ${esc(formatNumber(B))} B/cycle</text>`,
  );
  body.push('</g>');

  // Legends: job categories, then cores.
  let y = bwBox.top + bwBox.height + 58;
  body.push(
    `<text x="${px(MARGIN.left)}" y="${px(y)}" font-weight="bold">jobs by ${esc(labels.kind)}</text>`,
  );
  const jobLegend = legend(
    categories.map((c) => ({ label: c, color: catColor.get(c)!, shape: 'square' as const })),
    MARGIN.left,
    y + 20,
    laneBox.width,
  );
  body.push(jobLegend.svg);
  y += 20 + jobLegend.height + 8;
  body.push(`<text x="${px(MARGIN.left)}" y="${px(y)}" font-weight="bold">bandwidth by core</text>`);
  const coreLegend = legend(
    Array.from({ length: C }, (_, c) => ({
      label: table.cores[c]?.name ?? `core${c}`,
      color: coreColors[c]!,
      shape: 'square' as const,
    })),
    MARGIN.left,
    y + 20,
    laneBox.width,
  );
  body.push(coreLegend.svg);
  const height = y + 20 + coreLegend.height + 4;
  return svgDocument(WIDTH, height, body.join(''), input.title);
}
