/**
 * Platform presets S1..S6 (the MAGMA authors' settings 2, 3, 8, 4, 5, 6),
 * each with an `-eye` variant where the low-bandwidth core is Eyeriss-like instead of
 * ShiDianNao-like (some of the authors' scripts use eye).
 */
import { InputError } from '../core/errors.js';
import { type CoreSpec, coreName, DEFAULT_CLUSTER_SIZE, type Platform } from './platform.js';

interface PresetDef {
  readonly description: string;
  /** [style, PEs] per core; `lb` is the low-bandwidth style (shi, or eye in variants). */
  readonly cores: readonly (readonly ['dla' | 'lb', number])[];
}

const SMALL = 2048;
const BIG = 8192;
const LITTLE = 4096;

const repeat = <T>(n: number, x: T): T[] => Array.from({ length: n }, () => x);

const DEFS: Record<string, PresetDef> = {
  S1: { description: 'small homogeneous: 4 x dla 2048', cores: repeat(4, ['dla', SMALL] as const) },
  S2: {
    description: 'small heterogeneous: 3 x dla + 1 x LB, 2048 PEs each',
    cores: [...repeat(3, ['dla', SMALL] as const), ['lb', SMALL]],
  },
  S3: { description: 'large homogeneous: 8 x dla 8192', cores: repeat(8, ['dla', BIG] as const) },
  S4: {
    description: 'large heterogeneous: 7 x dla + 1 x LB, 8192 PEs each',
    cores: [...repeat(7, ['dla', BIG] as const), ['lb', BIG]],
  },
  S5: {
    description: 'BigLittle: (3 x dla + 1 x LB) at 8192 PEs, then at 4096 PEs',
    cores: [
      ...repeat(3, ['dla', BIG] as const),
      ['lb', BIG],
      ...repeat(3, ['dla', LITTLE] as const),
      ['lb', LITTLE],
    ],
  },
  S6: {
    description: 'scaled BigLittle: (7 x dla + 1 x LB) at 8192 PEs, then at 4096 PEs',
    cores: [
      ...repeat(7, ['dla', BIG] as const),
      ['lb', BIG],
      ...repeat(7, ['dla', LITTLE] as const),
      ['lb', LITTLE],
    ],
  },
};

/** Bandwidths (bytes/cycle) the paper sweeps per preset. */
export const PRESET_BANDWIDTHS: Record<string, readonly number[]> = {
  S1: [1, 2, 4, 8, 16],
  S2: [1, 2, 4, 8, 16],
  S3: [1, 16, 256],
  S4: [1, 16, 256],
  S5: [1, 16, 256],
  S6: [1, 16, 256],
};

export interface PresetInfo {
  readonly name: string;
  readonly description: string;
  readonly platform: Platform;
  readonly bandwidths: readonly number[];
}

function build(name: string, def: PresetDef, lb: 'shi' | 'eye'): Platform {
  const cores: CoreSpec[] = def.cores.map(([s, pes], i) => {
    const style = s === 'lb' ? lb : 'dla';
    return { name: coreName(i, style, pes), style, pes, clusterSize: DEFAULT_CLUSTER_SIZE, flexible: false };
  });
  return { name, cores, dataflows: {} };
}

export function listPresets(): PresetInfo[] {
  const out: PresetInfo[] = [];
  for (const [name, def] of Object.entries(DEFS)) {
    out.push({
      name,
      description: def.description.replace('LB', 'shi'),
      platform: build(name, def, 'shi'),
      bandwidths: PRESET_BANDWIDTHS[name]!,
    });
    if (def.cores.some(([s]) => s === 'lb')) {
      const eye = `${name}-eye`;
      out.push({
        name: eye,
        description: def.description.replace('LB', 'eye'),
        platform: build(eye, def, 'eye'),
        bandwidths: PRESET_BANDWIDTHS[name]!,
      });
    }
  }
  return out;
}

export function isPresetName(name: string): boolean {
  return listPresets().some((p) => p.name === name);
}

export function presetPlatform(name: string): Platform {
  const p = listPresets().find((x) => x.name === name);
  if (!p)
    throw new InputError(
      `unknown platform preset "${name}"; presets: ${listPresets()
        .map((x) => x.name)
        .join(', ')}`,
    );
  return p.platform;
}
