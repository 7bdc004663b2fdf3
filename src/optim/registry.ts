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

export function listOptimizers(): readonly OptimizerSpec<ParamSpace>[] {
  return specs;
}

export function getOptimizerSpec(name: string): OptimizerSpec<ParamSpace> {
  const spec = specs.find((s) => s.name === name);
  if (!spec)
    throw new InputError(`unknown optimizer ${show(name)} (known: ${specs.map((s) => s.name).join(', ')})`);
  return spec;
}

/** Builds a registered optimiser with validated hyper-parameters (defaults filled in). */
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
