/**
 * The MAGMA authors' job list format: no header, one job per row,
 * `threadId, layerId, K, C, Y, X, R, S, T` with T = 0 fully connected (K = out, C = in),
 * 1 CONV, 2 depth-wise CONV (K = 1), 3 GEMM (the first three dims are M, N, K).
 */
import { InputError } from '../core/errors.js';
import type { ComputeLayer, Job } from './layer.js';
import { validateLayer } from './layer.js';

export const MAGMA_LAYER_TYPE = { fc: 0, conv: 1, dwconv: 2, gemm: 3 } as const;

export function parseMagmaCsv(text: string, source = 'job list'): Job[] {
  const jobs: Job[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const where = `${source} line ${i + 1}`;
    const fields = line.split(',').map((f) => f.trim());
    if (fields.length !== 9) {
      throw new InputError(
        `${where}: expected 9 fields (threadId,layerId,K,C,Y,X,R,S,T), got ${fields.length}`,
      );
    }
    const nums = fields.map((f, k) => {
      const v = Number(f);
      if (f === '' || !Number.isInteger(v))
        throw new InputError(`${where}: field ${k + 1} must be an integer, got "${f}"`);
      return v;
    });
    const [, , K, C, Y, X, R, S, T] = nums as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    let layer: unknown;
    switch (T) {
      case 0:
        layer = { kind: 'fc', out: K, in: C };
        break;
      case 1:
        layer = { kind: 'conv', K, C, Y, X, R, S };
        break;
      case 2:
        layer = { kind: 'dwconv', C, Y, X, R, S };
        break;
      case 3:
        layer = { kind: 'gemm', M: K, N: C, K: Y };
        break;
      default:
        throw new InputError(
          `${where}: layer type T must be 0 (FC), 1 (CONV), 2 (DSCONV) or 3 (GEMM), got ${T}`,
        );
    }
    jobs.push({ name: `job${jobs.length}`, layer: validateLayer(layer, where) });
  }
  if (jobs.length === 0) throw new InputError(`${source}: no jobs found`);
  return jobs;
}

function row(layer: ComputeLayer): number[] {
  switch (layer.kind) {
    case 'fc':
      return [layer.out, layer.in, 1, 1, 1, 1, MAGMA_LAYER_TYPE.fc];
    case 'conv':
      return [layer.K, layer.C, layer.Y, layer.X, layer.R, layer.S, MAGMA_LAYER_TYPE.conv];
    case 'dwconv':
      return [1, layer.C, layer.Y, layer.X, layer.R, layer.S, MAGMA_LAYER_TYPE.dwconv];
    case 'gemm':
      return [layer.M, layer.N, layer.K, 1, 1, 1, MAGMA_LAYER_TYPE.gemm];
  }
}

export function formatMagmaCsv(jobs: readonly Job[]): string {
  return jobs.map((j) => [1, 1, ...row(j.layer)].join(',')).join('\n') + '\n';
}
