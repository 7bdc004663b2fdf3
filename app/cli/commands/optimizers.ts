import type { Command } from 'commander';
import { describeSpace } from '../../../src/optim/params.js';
import { listOptimizers } from '../../../src/optim/registry.js';
import { type CliIO, emit } from '../io.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('optimizers')
    .description('list the optimisers and heuristic mappers with their hyper-parameters')
    .option('--json', 'print JSON on stdout')
    .action((o: { json?: boolean }) => {
      const list = listOptimizers().map((s) => ({
        name: s.name,
        family: s.family,
        description: s.description,
        reference: s.reference,
        params: describeSpace(s.params),
      }));
      emit(io, Boolean(o.json), list, () =>
        list
          .map((s) =>
            [
              `${s.name.padEnd(12)} ${s.family.padEnd(12)} ${s.description}`,
              ...s.params.map(
                (p) =>
                  `    ${String(p.name).padEnd(20)} ${String(p.type).padEnd(11)} default ${String(p.default).padEnd(18)} ${'choices' in p ? `{${(p.choices as unknown[]).join(', ')}}` : `[${p.low}, ${p.high}]`}`,
              ),
            ].join('\n'),
          )
          .join('\n'),
      );
    });
}
