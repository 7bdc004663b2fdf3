/**
 * Every heuristic mapper, in registry order. One list, so that a heuristic added here is
 * both registered and used to seed the searches that start from heuristic mappings.
 */
import { aiMtSpec } from './ai-mt.js';
import type { HeuristicSpec } from './fixed-mapping.js';
import { heraldSpec } from './herald.js';
import { listSchedulingSpecs } from './list-scheduling.js';
import { relaxSpec } from './relax.js';

export type { HeuristicSpec } from './fixed-mapping.js';

/**
 * The 14 baselines of the MAGMA paper: its 12 list schedulers, and Herald and AI-MT as we
 * adapt them. They model time by no-stall latencies only.
 */
export const paperHeuristicSpecs: readonly HeuristicSpec[] = [...listSchedulingSpecs, heraldSpec, aiMtSpec];

/** The paper's 14, then ours: the relaxation-guided mapper, which models the bandwidth. */
export const heuristicSpecs: readonly HeuristicSpec[] = [...paperHeuristicSpecs, relaxSpec];
