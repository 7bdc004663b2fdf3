// A mapper that always fails, registered as `test-explode` when imported (the registry is
// per process, and vitest runs each test file in its own).
import type { Optimizer } from '../../src/optim/optimizer.js';
import { registerOptimizer } from '../../src/optim/registry.js';

registerOptimizer({
  name: 'test-explode',
  description: 'fails on purpose',
  reference: 'test',
  family: 'random',
  params: {},
  create(): Optimizer {
    throw new Error('exploded on purpose');
  },
});
