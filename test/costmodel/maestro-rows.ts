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

export function readMaestroRows(): MaestroRow[] {
  const rows: MaestroRow[] = [];
  for (const file of FIXTURE_FILES) {
    const text = readFileSync(new URL(`../fixtures/maestro/${file}`, import.meta.url), 'utf8');
    const lines = text.trim().split('\n');
    const header = lines[0]!.split(',');
    for (let i = 1; i < lines.length; i++) {
      const f = lines[i]!.split(',');
      const r: Record<string, string> = {};
      header.forEach((h, k) => {
        r[h] = f[k]!;
      });
      const counts: Record<string, number> = {};
      for (const h of header) if (h.startsWith('m_')) counts[h.slice(2)] = Number(r[h]);
      rows.push({
        file,
        line: i + 1,
        name: r.name!,
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
