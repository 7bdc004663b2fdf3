/**
 * Every heuristic mapper, in registry order. One list, so that a heuristic added here is
 * both registered and used to seed the searches that start from heuristic mappings.
 */
import { aiMtSpec } from './ai-mt.js';
import type { HeuristicSpec } from './fixed-mapping.js';
import { heraldSpec } from './herald.js';
import { listSchedulingSpecs } from './list-scheduling.js';

export type { HeuristicSpec } from './fixed-mapping.js';

export const heuristicSpecs: readonly HeuristicSpec[] = [...listSchedulingSpecs, heraldSpec, aiMtSpec];
