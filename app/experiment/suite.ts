/**
 * Frozen benchmark suites: a versioned list of problems with stable ids
 * (`magma:<task>/<group>@<platform>:<bandwidth>`, the authors' job group analysed on a platform
 * preset at a system bandwidth), the checksum of each problem's job table, and a fixed budget
 * and seed set. A suite run is an ordinary experiment (`suiteSpec`), started only after every
 * table has been rebuilt and matched against its checksum: a changed cost model, analyzer or
 * job group makes the suite refuse to run rather than produce numbers that no longer compare.
 *
 * `bench-v1` (24 problems x 10 seeds) avoids group 0, which the built-in specs and the tuning
 * notes use: the suite's groups (3 and 7) were never looked at while developing the mappers.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { resolveProblem } from '../../models/problem.js';
import { InputError, show } from '../../src/core/errors.js';
import type { JobTable } from '../../src/core/table.js';
import type { ExperimentSpec } from './spec.js';

const SUITE_ID = /^magma:([a-z]+)\/(\d+)@([A-Za-z0-9._-]+):(\d+(?:\.\d+)?)$/;

export const SuiteSchema = z.strictObject({
  /** Name and version, e.g. "bench-v1": results of different suites never mix. */
  suite: z.string().regex(/^[A-Za-z0-9._-]+$/),
  description: z.string(),
  budget: z.number().int().positive(),
  seeds: z.array(z.number().int().nonnegative()).min(1),
  /** Mappers run when none are given. */
  mappers: z.array(z.string().min(1)).min(1),
  baseline: z.string(),
  problems: z
    .array(z.strictObject({ id: z.string().regex(SUITE_ID), sha256: z.string().regex(/^[0-9a-f]{64}$/) }))
    .min(1),
});

export type Suite = z.infer<typeof SuiteSchema>;

/** The job source, platform and bandwidth of a stable problem id. */
export function parseSuiteId(id: string): { jobs: string; platform: string; bw: number } {
  const m = SUITE_ID.exec(id);
  if (!m)
    throw new InputError(`suite problem id ${show(id)} is not magma:<task>/<group>@<platform>:<bandwidth>`);
  return { jobs: `magma:${m[1]}/${m[2]}`, platform: m[3]!, bw: Number(m[4]) };
}

/** SHA-256 of what the evaluator reads of a table: sizes, bandwidth, latencies, demands. */
export function tableChecksum(t: JobTable): string {
  const canonical = JSON.stringify({
    systemBandwidth: t.systemBandwidth,
    numJobs: t.numJobs,
    numCores: t.numCores,
    latency: Array.from(t.latency),
    bandwidth: Array.from(t.bandwidth),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/** Rebuilds every table and returns the problems whose checksum differs (empty: all match). */
export function verifySuite(suite: Suite): { id: string; expected: string; actual: string }[] {
  const bad: { id: string; expected: string; actual: string }[] = [];
  for (const p of suite.problems) {
    const actual = tableChecksum(
      resolveProblem(parseSuiteId(p.id), { where: `suite problem ${p.id}` }).table,
    );
    if (actual !== p.sha256) bad.push({ id: p.id, expected: p.sha256, actual });
  }
  return bad;
}

/** The experiment a suite run is: its problems, budget and seeds, with the given mappers. */
export function suiteSpec(suite: Suite, mappers?: readonly string[]): ExperimentSpec {
  const ms = mappers?.length ? [...mappers] : suite.mappers;
  return {
    name: suite.suite,
    description: `${suite.description} (frozen suite ${suite.suite}).`,
    problems: suite.problems.map((p) => parseSuiteId(p.id)),
    mappers: ms,
    budget: suite.budget,
    seeds: suite.seeds,
    baseline: ms.includes(suite.baseline) ? suite.baseline : ms[0]!,
  };
}

/** The experiment's problem id (`mix/g3/S2/bw16`) of each stable suite id, in suite order. */
export function experimentIds(suite: Suite): Map<string, string> {
  return new Map(
    suite.problems.map((p) => {
      const { jobs, platform, bw } = parseSuiteId(p.id);
      const [task, group] = jobs.slice('magma:'.length).split('/');
      return [p.id, `${task}/g${group}/${platform}/bw${bw}`];
    }),
  );
}

export function parseSuite(data: unknown, where: string): Suite {
  const r = SuiteSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new InputError(`${where}: ${issue.path.join('.') || '(suite)'}: ${issue.message}`);
  }
  const ids = r.data.problems.map((p) => p.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new InputError(`${where}: problem ${dup} is listed twice`);
  return r.data;
}

export const BENCH_V1: Suite = {
  suite: 'bench-v1',
  description:
    "The authors' four tasks (Mix and Vision group 3, Language and Recommendation group 7) on S1 at 4, " +
    'S2 at 1 and 16, S4 at 1, S5 at 16 and S6 at 256 B/cycle: 24 problems, 10,500 evaluated mappings, seeds 1-10',
  budget: 10_500,
  seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  mappers: ['magma', 'ga', 'cmaes', 'random', 'heft-heft', 'herald'],
  baseline: 'random',
  // Frozen: never edit an entry; a new problem set is a new suite (bench-v2).
  problems: [
    { id: 'magma:mix/3@S1:4', sha256: '4401f446aec106a0c5b8906af4102f39580ebf0b5acff3d4296169376aa870d5' },
    { id: 'magma:mix/3@S2:1', sha256: '6366d5d8e92f60033c7ec3fed48d50751c7b89b1b798148ce5491a80f8298df5' },
    { id: 'magma:mix/3@S2:16', sha256: 'ddfbdd2bb266694977d45fd1eeeb09b8c246215edc9ac4b5010996dd408dc6ee' },
    { id: 'magma:mix/3@S4:1', sha256: '6f83b40b245935ea3acaf2725d12d0bcff7fb535fecc0949c1ca9d44be325b96' },
    { id: 'magma:mix/3@S5:16', sha256: '55e00ccd9993bc4b2dbc62e97836497e089dd8a2a83b66a7e80a771dca61d781' },
    { id: 'magma:mix/3@S6:256', sha256: '8a136cb032b787924335ef01ec390d2d0739960ee74d530f2b12a63bcc98e650' },
    { id: 'magma:conv/3@S1:4', sha256: '7329695700293ddea8064ed7b71e2b91d7869ab1dd123a87e1e9e047fdb038c3' },
    { id: 'magma:conv/3@S2:1', sha256: 'd509a734a75402ace3032dcd82031a7deba40c59f62f7a3c3ddbd65d56828acf' },
    { id: 'magma:conv/3@S2:16', sha256: '0b98accb53a5e65a27cd7682b97f097d215234562a08b5d139f84c46e222e50e' },
    { id: 'magma:conv/3@S4:1', sha256: 'e186e0a7d7edb734f0dabda8735957acee7db219e886897624d1112ff497a5e0' },
    { id: 'magma:conv/3@S5:16', sha256: '00c864569350480bd1a9a3fd12f8da4511ca59ef6f9de7ba35934f1af46f07a2' },
    { id: 'magma:conv/3@S6:256', sha256: '7bfb4b986ad1513a8f093631f308300cf769ff858da89b1e9b309d9ca11426f6' },
    { id: 'magma:lang/7@S1:4', sha256: 'b05cd8a120f09de6fa49ba92160e148536ed669282a57ce484478fb6777c522f' },
    { id: 'magma:lang/7@S2:1', sha256: '5c6e883359cb02b7dc417ffcd44c2152f111cd5bee6b5f62f0802e7d3ff47cef' },
    { id: 'magma:lang/7@S2:16', sha256: 'd7cfb373cbc81b1662ed82d4009f2f7c722374387ddabfad162b9e43f14cb8e2' },
    { id: 'magma:lang/7@S4:1', sha256: '802d36c7bd0b6cfe5f332bf2159858a28e76e6528b025aedab17d8b167bf9be4' },
    { id: 'magma:lang/7@S5:16', sha256: '23c066b0feedfbb1929651edf90927880847d36f34faa596f5013b8361ab3d42' },
    { id: 'magma:lang/7@S6:256', sha256: '18883897fa34c3110c0b16e62c149c08c246157689b5ee3aa9466f876e07e882' },
    { id: 'magma:recom/7@S1:4', sha256: '298da2b581eddb4f98cf21c8e5ed106ab916edd5ee776763383acd6af9e4462d' },
    { id: 'magma:recom/7@S2:1', sha256: '9d67cbe6f3ffc67e4d20330190e124d51f96dfc59a35b2b8a09f2422d14453a1' },
    { id: 'magma:recom/7@S2:16', sha256: 'e81466d521f0ce5fa6a5a3622b8e468ccb2ec8ed7287dea763067289c7d28b2d' },
    { id: 'magma:recom/7@S4:1', sha256: 'a7b2cbc8eda50293ab77931e4e76e3e8bf0ce535eb452cd09bd4e3b3f3a02b1b' },
    { id: 'magma:recom/7@S5:16', sha256: '138e5aa8e944f0cd6e32903b9f7ed352d8f403a820e2dad8629dfed5e51388b9' },
    {
      id: 'magma:recom/7@S6:256',
      sha256: '484cef046d45b4b99ab2f46a82d6993ceeb1737417457a5bc29f98ebc441a6d0',
    },
  ],
};

export const BUILTIN_SUITES: Readonly<Record<string, Suite>> = { 'bench-v1': BENCH_V1 };
