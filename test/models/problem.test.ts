// The one problem description: every form resolves to the table the older, per-consumer
// code built, and bad descriptions are refused with the field named.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { problemSource } from '../../envs/m3e/problem-source.js';
import { readMagmaGroup } from '../../models/magma-groups.js';
import { checkProblem, parseProblemRef, problemJobs, resolveProblem } from '../../models/problem.js';
import { sampleTask } from '../../models/tasks.js';
import { analyzeJobs } from '../../src/analyzer/analyze.js';
import { Rng } from '../../src/core/rng.js';
import { synthTable } from '../../src/core/synth.js';
import { tableToJson } from '../../src/core/table.js';
import { presetPlatform } from '../../src/platform/presets.js';
import { tempDir } from '../helpers/cli.js';

const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

describe('parseProblemRef', () => {
  it('tells the forms apart by their key; a task sample may give its number of jobs', () => {
    expect(parseProblemRef({ synth: { jobs: 4, cores: 2, bwRatio: 1, seed: 3 } }, 'p')).toEqual({
      synth: { jobs: 4, cores: 2, bwRatio: 1, seed: 3 },
    });
    expect(parseProblemRef({ task: 'mix', seed: 2, jobs: 50, platform: 'S2', bw: 16 }, 'p')).toMatchObject({
      jobs: 50,
    });
    expect(errorOf(() => parseProblemRef({ task: 'mix', jobs: 'a.csv', platform: 'S2' }, 'p'))).toBe(
      'p needs exactly one of "synth", "table", "task", "jobs", "zoo", got task and jobs',
    );
    expect(errorOf(() => parseProblemRef({ platform: 'S2' }, 'p'))).toMatch(/got none$/);
    expect(errorOf(() => parseProblemRef(7, 'p'))).toBe('p must be an object, got 7');
  });

  it('names the bad field, in the caller own notation', () => {
    expect(
      errorOf(() => parseProblemRef({ synth: { jobs: 0, cores: 2, bwRatio: 1, seed: 1 } }, 'e')),
    ).toMatch(/^e: synth\.jobs: /);
    const at = (path: readonly PropertyKey[]) => `problems[3]${path.map((p) => `.${String(p)}`).join('')}`;
    expect(errorOf(() => parseProblemRef({ task: 'mix', platform: 'S2', bw: 1 }, 'e', at))).toBe(
      'problems[3].group: give exactly one of "group" and "seed" (an authors\' group, or a zoo sample drawn with that seed)',
    );
    expect(errorOf(() => parseProblemRef({ task: 'mix', group: 1, jobs: 50, platform: 'S2' }, 'e'))).toMatch(
      /e: jobs: the authors' groups have 100 jobs/,
    );
    expect(errorOf(() => parseProblemRef({ table: 't.json', colour: 1 }, 'e'))).toMatch(/colour/);
    expect(errorOf(() => parseProblemRef({ jobs: 'w.csv', platform: 'S2', bw: -1 }, 'e'))).toMatch(
      /^e: bw: /,
    );
  });
});

describe('resolveProblem', () => {
  it("an authors' group, by task and group or by name, is the analysed CSV", () => {
    const direct = analyzeJobs(readMagmaGroup('magma:lang/2'), presetPlatform('S2'), { systemBandwidth: 4 });
    const byTask = resolveProblem({ task: 'language', group: 2, platform: 'S2', bw: 4 });
    const byName = resolveProblem({ jobs: 'magma:lang/2', platform: 'S2', bw: 4 });
    expect(Array.from(byTask.table.latency)).toEqual(Array.from(direct.latency));
    expect(Array.from(byName.table.bandwidth)).toEqual(Array.from(direct.bandwidth));
    expect(byTask.source).toBe('language group 2 on S2 at 4 B/cycle');
    expect(byName.source).toBe('magma:lang/2 on S2 at 4 B/cycle');
    expect(byTask.labels?.kind).toBe('layer type');
  });

  it('a zoo sample is sampleTask with its seed; flags show in the source', () => {
    const r = resolveProblem({ task: 'vision', seed: 5, jobs: 7, platform: 'S1', bw: 2, flexible: true });
    const direct = analyzeJobs(sampleTask('vision', 7, 5), presetPlatform('S1'), {
      systemBandwidth: 2,
      flexible: true,
    });
    expect(Array.from(r.table.latency)).toEqual(Array.from(direct.latency));
    expect(r.source).toBe('task vision, 7 jobs, seed 5 on S1 at 2 B/cycle, flexible');
    expect(r.labels?.kind).toBe('network');
  });

  it('reads table files against the base folder, inline tables, and overrides the bandwidth', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    const t = synthTable({ jobs: 3, cores: 2, bwRatio: 1, seed: 1 });
    writeFileSync(join(dir, 'sub', 't.json'), JSON.stringify(tableToJson(t)));
    const file = resolveProblem({ table: 'sub/t.json', bw: 5 }, { baseDir: dir });
    expect(file.table.systemBandwidth).toBe(5);
    expect(file.source).toBe('sub/t.json at B=5');
    const inline = resolveProblem({ table: tableToJson(t), name: 'mine' });
    expect(Array.from(inline.table.latency)).toEqual(Array.from(t.latency));
    expect(inline.source).toBe('mine');
    expect(
      errorOf(() => resolveProblem({ table: 'nope.json' }, { baseDir: dir, where: 'problem x' })),
    ).toMatch(/nope\.json/);
  });

  it('a synthetic description is synthTable; a range is refused for one table', () => {
    const r = resolveProblem({ synth: { jobs: 5, cores: 3, bwRatio: 0.5, seed: 9 } });
    expect(Array.from(r.table.latency)).toEqual(
      Array.from(synthTable({ jobs: 5, cores: 3, bwRatio: 0.5, seed: 9 }).latency),
    );
    expect(
      errorOf(() => resolveProblem({ synth: { jobs: 5, cores: 3, bwRatio: [0.5, 2], seed: 9 } })),
    ).toMatch(/synth\.bwRatio is a range \[0\.5,2\]/);
  });

  it('takes the platform bandwidth when none is given, and says so when the platform has none', () => {
    const dir = tempDir();
    const plat = join(dir, 'p.json');
    const cores = [{ style: 'dla', pes: 256 }];
    writeFileSync(plat, JSON.stringify({ name: 'p', cores, systemBandwidth: 3 }));
    expect(
      resolveProblem({ jobs: 'magma:mix/0', platform: 'p.json' }, { baseDir: dir }).table.systemBandwidth,
    ).toBe(3);
    writeFileSync(plat, JSON.stringify({ name: 'p', cores }));
    expect(errorOf(() => resolveProblem({ jobs: 'magma:mix/0', platform: plat }))).toBe(
      'platform p sets no systemBandwidth: pass --bw',
    );
  });
});

describe('checkProblem', () => {
  it('finds unknown tasks, groups out of range, missing files and platforms before any work', () => {
    const where = { where: 'problem q' };
    expect(errorOf(() => checkProblem({ task: 'speech', group: 0, platform: 'S2' }, where))).toMatch(
      /^problem q: task must be one of/,
    );
    expect(errorOf(() => checkProblem({ task: 'mix', group: 10, platform: 'S2' }, where))).toBe(
      'problem q: group must be in 0..9, got 10',
    );
    expect(errorOf(() => checkProblem({ jobs: '/no/such.csv', platform: 'S2' }, where))).toBe(
      'problem q: job list not found: /no/such.csv',
    );
    expect(errorOf(() => checkProblem({ task: 'mix', group: 0, platform: 'S9' }, where))).toMatch(/S9/);
    expect(errorOf(() => checkProblem({ table: '/no/t.json' }, where))).toBe(
      'problem q: table file not found: /no/t.json',
    );
    expect(() => checkProblem({ task: 'mix', seed: 3, platform: 'S2', bw: 1 })).not.toThrow();
  });
});

describe('problemJobs', () => {
  it('selects a group of a multi-group workload file and names it', () => {
    const dir = tempDir();
    const w = join(dir, 'w.json');
    const layer = { kind: 'fc', out: 8, in: 4 };
    writeFileSync(w, JSON.stringify({ groups: [[layer], [layer, layer]] }));
    const r = problemJobs({ jobs: w, group: 1 });
    expect(r.jobs).toHaveLength(2);
    expect(r.source).toBe(`${w} group 1`);
    expect(errorOf(() => problemJobs({ jobs: w }))).toMatch(/has 2 groups: choose one/);
  });
});

describe('problemSource', () => {
  it('a fixed description gives its one table; new groups redraw a sample every episode', () => {
    const ref = { task: 'mix', seed: 0, jobs: 6, platform: 'S2', bw: 16 } as const;
    const fixed = problemSource(ref);
    expect(fixed.next(new Rng(1))).toBe(fixed.next(new Rng(2)));
    const drawn = problemSource(ref, { newGroups: true });
    const rng = new Rng(3);
    expect(Array.from(drawn.next(rng).latency)).not.toEqual(Array.from(drawn.next(rng).latency));
    expect(
      errorOf(() => problemSource({ jobs: 'magma:mix/0', platform: 'S2' }, { newGroups: true })),
    ).toMatch(/needs a problem that can be drawn again/);
    expect(
      errorOf(() => problemSource({ task: 'mix', group: 0, platform: 'S2' }, { newGroups: true })),
    ).toMatch(/not the authors' "group" 0/);
  });
});
