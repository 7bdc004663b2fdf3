/**
 * One registry of every optimiser and heuristic mapper, with its hyper-parameter space.
 * The CLI, the experiment runner and the tuner look optimisers up here by name.
 */
import { InputError, show } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { cmaesSpec } from './blackbox/cmaes.js';
import { compactGaSpec } from './blackbox/compact-ga.js';
import { deSpec } from './blackbox/de.js';
import { onePlusOneSpec } from './blackbox/one-plus-one.js';
import { psoSpec } from './blackbox/pso.js';
import { quasiRandomSpec } from './blackbox/quasi-random.js';
import { tbpsaSpec } from './blackbox/tbpsa.js';
import { heuristicSpecs } from './heuristics/index.js';
import { magmaSpec } from './magma.js';
import { milpSpec } from './milp.js';
import type { Optimizer, OptimizerSpec, ProblemSize } from './optimizer.js';
import { type ParamSpace, resolveParams } from './params.js';
import { randomSearchSpec } from './random-search.js';
import { gaSpec } from './standard-ga.js';

const specs: OptimizerSpec<ParamSpace>[] = [];

/**
 * Adds an optimiser to the registry, where the CLI, the experiment runner, the tuner and the
 * contract tests find it by name.
 *
 * @throws Error when the name is taken.
 */
export function registerOptimizer<S extends ParamSpace>(spec: OptimizerSpec<S>): void {
  if (specs.some((s) => s.name === spec.name))
    throw new Error(`optimizer ${spec.name} is already registered`);
  specs.push(spec as unknown as OptimizerSpec<ParamSpace>);
}

registerOptimizer(magmaSpec);
registerOptimizer(gaSpec);
registerOptimizer(randomSearchSpec);
registerOptimizer(quasiRandomSpec);
registerOptimizer(psoSpec);
registerOptimizer(cmaesSpec);
registerOptimizer(deSpec);
registerOptimizer(onePlusOneSpec);
registerOptimizer(tbpsaSpec);
registerOptimizer(compactGaSpec);
for (const spec of heuristicSpecs) registerOptimizer(spec);
registerOptimizer(milpSpec);

/** Every registered optimiser and heuristic, in registration order. */
export function listOptimizers(): readonly OptimizerSpec<ParamSpace>[] {
  return specs;
}

/**
 * The registered optimiser `name`.
 *
 * @throws `InputError` naming the known optimisers when there is none.
 */
export function getOptimizerSpec(name: string): OptimizerSpec<ParamSpace> {
  const spec = specs.find((s) => s.name === name);
  if (!spec)
    throw new InputError(`unknown optimizer ${show(name)} (known: ${specs.map((s) => s.name).join(', ')})`);
  return spec;
}

/**
 * Builds a registered optimiser with validated hyper-parameters (defaults filled in).
 *
 * @param size - the problem size; pass the {@link JobTable} itself when a hyper-parameter
 *   needs it (MAGMA's and the GA's `init: 'heuristic'` start from the heuristics' mappings).
 * @param seedOrRng - a seed, or the generator to draw from.
 * @throws `InputError` for an unknown name or a bad hyper-parameter (see {@link resolveParams}).
 */
export function createOptimizer(
  name: string,
  size: ProblemSize,
  seedOrRng: number | Rng,
  params: Readonly<Record<string, unknown>> = {},
): Optimizer {
  const spec = getOptimizerSpec(name);
  const rng = typeof seedOrRng === 'number' ? new Rng(seedOrRng) : seedOrRng;
  return spec.create(size, rng, resolveParams(name, spec.params, params, size));
}
