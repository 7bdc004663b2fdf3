import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_STYLES } from '../../src/costmodel/builtin-dataflows.js';
import { loadPlatform } from '../../src/platform/load.js';
import { platformFromJson, withFlexibleCores } from '../../src/platform/platform.js';
import { listPresets, presetPlatform } from '../../src/platform/presets.js';

const parse = (data: unknown) => platformFromJson(data, 'p.json', BUILTIN_STYLES);
const err = (data: unknown) => {
  try {
    parse(data);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};
const summary = (name: string) => presetPlatform(name).cores.map((c) => `${c.style}${c.pes}`);

describe('platform presets', () => {
  it('S1..S6 are the authors settings 2, 3, 8, 4, 5, 6', () => {
    expect(summary('S1')).toEqual(Array(4).fill('dla2048'));
    expect(summary('S2')).toEqual(['dla2048', 'dla2048', 'dla2048', 'shi2048']);
    expect(summary('S3')).toEqual(Array(8).fill('dla8192'));
    expect(summary('S4')).toEqual([...Array(7).fill('dla8192'), 'shi8192']);
    expect(summary('S5')).toEqual([
      'dla8192',
      'dla8192',
      'dla8192',
      'shi8192',
      'dla4096',
      'dla4096',
      'dla4096',
      'shi4096',
    ]);
    expect(summary('S6')).toEqual([
      ...Array(7).fill('dla8192'),
      'shi8192',
      ...Array(7).fill('dla4096'),
      'shi4096',
    ]);
    expect(summary('S6-eye')).toEqual([
      ...Array(7).fill('dla8192'),
      'eye8192',
      ...Array(7).fill('dla4096'),
      'eye4096',
    ]);
    for (const p of listPresets()) {
      expect(p.platform.cores.every((c) => c.clusterSize === 64 && !c.flexible)).toBe(true);
      expect(new Set(p.platform.cores.map((c) => c.name)).size).toBe(p.platform.cores.length);
    }
    expect(listPresets().map((p) => p.name)).toEqual([
      'S1',
      'S2',
      'S2-eye',
      'S3',
      'S4',
      'S4-eye',
      'S5',
      'S5-eye',
      'S6',
      'S6-eye',
    ]);
    expect(() => presetPlatform('S7')).toThrow(/unknown platform preset "S7"; presets: S1, S2/);
  });
});

describe('platform files', () => {
  it('reads cores with defaults and optional fields', () => {
    const p = parse({
      cores: [
        { style: 'dla', pes: 2048 },
        {
          name: 'lb',
          style: 'shi',
          pes: 1024,
          clusterSize: 32,
          sgBytes: 65536,
          slBytes: 512,
          flexible: true,
        },
      ],
      systemBandwidth: 16,
    });
    expect(p.cores[0]).toEqual({
      name: 'c0-dla2048',
      style: 'dla',
      pes: 2048,
      clusterSize: 64,
      flexible: false,
    });
    expect(p.cores[1]).toEqual({
      name: 'lb',
      style: 'shi',
      pes: 1024,
      clusterSize: 32,
      sgBytes: 65536,
      slBytes: 512,
      flexible: true,
    });
    expect(p.systemBandwidth).toBe(16);
    expect(withFlexibleCores(p).cores.every((c) => c.flexible)).toBe(true);
  });

  it('accepts dataflows defined in the file as styles', () => {
    const p = parse({
      cores: [{ style: 'kos', pes: 64, clusterSize: 1 }],
      dataflows: { kos: 'SpatialMap(1,1) K;' },
    });
    expect(p.dataflows.kos).toBe('SpatialMap(1,1) K;');
  });

  it('rejects bad platforms with messages naming the field', () => {
    expect(err({ cores: [] })).toBe('platform p.json: cores: cores must list at least one core');
    expect(err({ cores: [{ style: 'tpu', pes: 64 }] })).toBe(
      'platform p.json: cores[0] (c0-tpu64): unknown style "tpu"; known: dla, shi, eye',
    );
    expect(err({ cores: [{ style: 'dla', pes: 0 }] })).toBe(
      'platform p.json: cores[0].pes: pes must be a positive integer, got 0',
    );
    expect(err({ cores: [{ style: 'dla', pes: 64.5 }] })).toBe(
      'platform p.json: cores[0].pes: pes must be a positive integer, got 64.5',
    );
    expect(err({ cores: [{ style: 'dla', pes: '64' }] })).toBe(
      'platform p.json: cores[0].pes: pes must be a positive integer, got "64"',
    );
    expect(err({ cores: [{ style: 'dla', pes: 32 }] })).toBe(
      "platform p.json: cores[0] (c0-dla32): clusterSize 64 is larger than the core's 32 PEs",
    );
    expect(err({ cores: [{ style: 'dla', pes: 64, flexible: 'yes' }] })).toBe(
      'platform p.json: cores[0].flexible: flexible must be true or false, got "yes"',
    );
    expect(err({ cores: [{ style: 'dla', pes: 64, sgbytes: 5 }] })).toMatch(
      /^platform p.json: cores\[0\]: Unrecognized key: "sgbytes"/,
    );
    expect(err({ cores: [{ style: 'dla', pes: 64 }], systemBandwidth: -1 })).toBe(
      'platform p.json: systemBandwidth: systemBandwidth must be a finite number > 0, got -1',
    );
    expect(
      err({
        cores: [
          { name: 'a', style: 'dla', pes: 64 },
          { name: 'a', style: 'dla', pes: 64 },
        ],
      }),
    ).toBe('platform p.json: cores[1] (a): duplicate core name "a"');
    expect(err([1, 2])).toMatch(/^platform p.json: \(top level\): /);
    expect(err({ cores: [{ style: 'kos', pes: 64 }], dataflows: { kos: 'SpatialMap(1 1) K;' } })).toBe(
      'platform p.json: dataflows.kos: dataflow "kos" line 1, column 14: expected "," between map size and offset, got "1"',
    );
    expect(err({ cores: [{ style: 'kos', pes: 64 }], dataflows: { kos: 'TemporalMap(1,1) K;' } })).toBe(
      'platform p.json: dataflows.kos: dataflow "kos": has no SpatialMap (every cluster level needs one)',
    );
    expect(err({ cores: [{ style: 'dla', pes: 64 }], dataflows: { dla: 'SpatialMap(1,1) K;' } })).toBe(
      'platform p.json: dataflows.dla: "dla" is built in and cannot be redefined',
    );
  });

  it('loads presets by name and files by path', () => {
    expect(loadPlatform('S2').name).toBe('S2');
    const dir = mkdtempSync(join(tmpdir(), 'm3e-platform-'));
    const file = join(dir, 'p.json');
    writeFileSync(file, JSON.stringify({ name: 'mine', cores: [{ style: 'eye', pes: 256 }] }));
    expect(loadPlatform(file).name).toBe('mine');
    expect(() => loadPlatform(join(dir, 'missing.json'))).toThrow(
      /neither a preset \(S1, S2, .*\) nor an existing platform file/,
    );
    writeFileSync(file, '{ not json');
    expect(() => loadPlatform(file)).toThrow(/is not valid JSON/);
  });
});
