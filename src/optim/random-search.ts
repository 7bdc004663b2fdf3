/** Random search: every candidate is a uniformly random encoding. The floor every method must beat. */
import type { Rng } from '../core/rng.js';
import {
  assertCost,
  BestTracker,
  type Candidate,
  type Optimizer,
  type OptimizerSpec,
  type ProblemSize,
  randomizeEncoding,
} from './optimizer.js';

const params = {} as const;

export class RandomSearch implements Optimizer {
  readonly name = 'random';
  private readonly best: BestTracker;
  private nextId = 0;
  // A small ring of candidate buffers so several may be pending at once without allocating.
  private readonly ring: Candidate[];

  constructor(
    private readonly size: ProblemSize,
    private readonly rng: Rng,
  ) {
    this.best = new BestTracker(size.numJobs);
    this.ring = Array.from({ length: RING }, () => ({
      id: -1,
      core: new Int32Array(size.numJobs),
      priority: new Float64Array(size.numJobs),
    }));
  }

  ask(): Candidate {
    const id = this.nextId++;
    const slot = this.ring[id % RING]! as { id: number; core: Int32Array; priority: Float64Array };
    slot.id = id;
    randomizeEncoding(slot, this.size.numCores, this.rng);
    return slot;
  }

  tell(candidate: Candidate, cost: number): void {
    assertCost(this.name, cost);
    if (candidate.id < this.nextId - RING)
      throw new RangeError(`random.tell: candidate ${candidate.id} is too old (ring of ${RING})`);
    this.best.offer(candidate, cost);
  }

  recommend() {
    return this.best.recommend();
  }
}

/** How many asked-but-untold candidates random search keeps. */
const RING = 64;

export const randomSearchSpec: OptimizerSpec<typeof params> = {
  name: 'random',
  description: 'Uniform random encodings (cores and priorities).',
  reference: 'baseline; nevergrad RandomSearch on the same encoding',
  family: 'random',
  params,
  create: (size, rng: Rng) => new RandomSearch(size, rng),
};
