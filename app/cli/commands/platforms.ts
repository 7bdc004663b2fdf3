/** `m3e platforms`: the platform presets (cores, total PEs, the bandwidths the paper sweeps). */
import type { Command } from 'commander';
import { listPresets } from '../../../src/platform/presets.js';
import { type CliIO, emit } from '../io.js';

/** "7 x dla8192 + 1 x shi8192 + ..." (runs of equal cores). */
function describeCores(cores: readonly { style: string; pes: number }[]): string {
  const runs: { label: string; count: number }[] = [];
  for (const c of cores) {
    const label = `${c.style}${c.pes}`;
    const last = runs[runs.length - 1];
    if (last && last.label === label) last.count++;
    else runs.push({ label, count: 1 });
  }
  return runs.map((r) => `${r.count} x ${r.label}`).join(' + ');
}

export function register(program: Command, io: CliIO): void {
  program
    .command('platforms')
    .description('list the platform presets (use with --platform)')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const presets = listPresets().map((p) => ({
        name: p.name,
        description: p.description,
        cores: p.platform.cores.map((c) => ({
          name: c.name,
          style: c.style,
          pes: c.pes,
          clusterSize: c.clusterSize,
        })),
        totalPes: p.platform.cores.reduce((s, c) => s + c.pes, 0),
        bandwidths: p.bandwidths,
      }));
      emit(io, opts.json ?? false, presets, () =>
        [
          'preset   cores                                                    total PEs  bandwidths (B/cycle)',
          ...presets.map(
            (p) =>
              `${p.name.padEnd(8)} ${describeCores(p.cores).padEnd(56)} ${String(p.totalPes).padStart(9)}  ${p.bandwidths.join(', ')}`,
          ),
          'cluster size 64 on every core; a platform JSON file may set styles, PEs, cluster sizes, SG/SL sizes and flexible cores.',
        ].join('\n'),
      );
    });
}
