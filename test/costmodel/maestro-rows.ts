// Reads MAESTRO's reference outputs (test/fixtures/maestro/*.csv, copied from the reference
// runs, unneeded columns dropped) and decides which rows the agreement covers.
import { readFileSync } from 'node:fs';
import type { ComputeLayer } from '../../src/workload/layer.js';

export interface MaestroRow {
  readonly file: string;
  readonly line: number;
  readonly name: string;
  readonly layer: ComputeLayer;
  readonly style: string;
  readonly pes: number;
  readonly clusterSize: number;
  readonly mDims: { K: number; C: number; Y: number; X: number; R: number; S: number };
  readonly status: string;
  readonly runtime: number;
  readonly l2: number;
  readonly l1: number;
  readonly energy: number;
  readonly macs: number;
  readonly counts: Record<string, number>;
}

export const FIXTURE_FILES = ['jobs-conv.csv', 'jobs-lang.csv', 'layers-sweep.csv'] as const;

function layerOf(r: Record<string, string>): ComputeLayer {
  const n = (k: string) => Number(r[k]);
  switch (r.type) {
    case 'CONV':
      return { kind: 'conv', K: n('K'), C: n('C'), Y: n('Y'), X: n('X'), R: n('R'), S: n('S') };
    case 'DSCONV':
      return { kind: 'dwconv', C: n('C'), Y: n('Y'), X: n('X'), R: n('R'), S: n('S') };
    case 'GEMM':
      return { kind: 'gemm', M: n('K'), N: n('C'), K: n('Y') };
    case 'FFN':
      return { kind: 'fc', out: n('K'), in: n('C') };
    default:
      throw new Error(`unknown layer type ${r.type}`);
  }
}

/** Splits CSV text into rows of fields (RFC 4180 quotes; MAESTRO's messages may hold commas). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
    } else field += ch;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

export function readMaestroRows(): MaestroRow[] {
  const rows: MaestroRow[] = [];
  for (const file of FIXTURE_FILES) {
    const text = readFileSync(new URL(`../fixtures/maestro/${file}`, import.meta.url), 'utf8');
    const lines = parseCsv(text);
    const header = lines[0]!;
    for (let i = 1; i < lines.length; i++) {
      const f = lines[i]!;
      const r: Record<string, string> = {};
      header.forEach((h, k) => {
        r[h] = f[k]!;
      });
      const counts: Record<string, number> = {};
      for (const h of header) if (h.startsWith('m_')) counts[h.slice(2)] = Number(r[h]);
      rows.push({
        file,
        line: i + 1,
        name: r.name ?? `${r.source ?? file}#${r.job_index ?? i}`,
        layer: layerOf(r),
        style: r.style!,
        pes: Number(r.num_pes),
        clusterSize: Number(r.cluster_size),
        mDims: {
          K: Number(r.mK),
          C: Number(r.mC),
          Y: Number(r.mY),
          X: Number(r.mX),
          R: Number(r.mR),
          S: Number(r.mS),
        },
        status: r.status!,
        runtime: Number(r.runtime_cycles),
        l2: Number(r.l2_size_bytes),
        l1: Number(r.l1_size_bytes),
        energy: Number(r.energy_nJ),
        macs: Number(r.num_macs),
        counts,
      });
    }
  }
  return rows;
}

/** Why a row is outside the agreement (undefined: it is covered). */
export function exclusion(r: MaestroRow): string | undefined {
  if (r.status !== 'ok') return `status ${r.status}`;
  const d = r.mDims;
  if (d.Y < d.R || d.X < d.S) return 'filter larger than input';
  if (r.style === 'shi' && r.layer.kind !== 'dwconv' && d.X >= 64 && d.X < 63 + d.S)
    return 'shi 64 <= X < 63+S (negative L2 in MAESTRO)';
  return undefined;
}
