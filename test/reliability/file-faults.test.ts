// Attacks the CLI through the file system and through file contents: every input file that
// is missing, a folder, under a file, empty, not JSON, of the wrong shape or cut short; every
// output that is a folder or under a file; run files (results, studies, training runs,
// checkpoints) with a flipped byte or cut short; tables and platforms whose numbers the
// evaluator would overflow. Each is refused with exit 2 and one line naming the file (or the
// job, core and value), no stack trace, no temporary file, nothing half-written.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthTable } from '../../src/core/synth.js';
import { tableToJson } from '../../src/core/table.js';
import { tempDir } from '../helpers/cli.js';
import {
  caseFolders,
  cli,
  expectRefusal,
  leftoverTemporaries,
  listTree,
  RUNS,
  SEED,
  Tally,
  tinyTrainArgs,
} from './harness.js';

const tally = new Tally();
const root = tempDir('m3e-faults-');
const sandbox = caseFolders(root);

const fx = { table: '', result: '', problems: '', spec: '', workload: '', run: '', compare: '', tune: '' };

beforeAll(async () => {
  const d = join(root, 'fixtures');
  mkdirSync(d, { recursive: true });
  fx.table = join(d, 'table.json');
  writeFileSync(
    fx.table,
    JSON.stringify(tableToJson(synthTable({ jobs: 6, cores: 2, bwRatio: 1, seed: 2 }))),
  );
  fx.result = join(d, 'result.json');
  expect((await cli(['search', '--table', fx.table, '--budget', '20', '--out', fx.result])).code).toBe(0);
  fx.problems = join(d, 'problems.json');
  writeFileSync(fx.problems, JSON.stringify([{ table: fx.table }]));
  fx.workload = join(d, 'workload.json');
  expect((await cli(['workload', '--task', 'mix', '--jobs', '4', '--out', fx.workload])).code).toBe(0);
  fx.spec = join(d, 'spec.json');
  writeFileSync(
    fx.spec,
    JSON.stringify({
      name: 's',
      problems: [{ table: fx.table }],
      mappers: ['random', 'ga'],
      budget: 30,
      seeds: [1, 2],
    }),
  );
  fx.compare = join(d, 'compare');
  expect(
    (await cli(['compare', '--spec', fx.spec, '--out', fx.compare, '--workers', '0', '--no-charts'])).code,
  ).toBe(0);
  fx.tune = join(d, 'tune');
  expect(
    (
      await cli([
        'tune',
        '--problems',
        fx.problems,
        '--trials',
        '3',
        '--budget',
        '20',
        '--repeats',
        '1',
        '--out',
        fx.tune,
      ])
    ).code,
  ).toBe(0);
  fx.run = join(d, 'run');
  const t = await cli(tinyTrainArgs(fx.table, fx.run, 32));
  expect(t.code, t.stderr).toBe(0);
});

afterAll(() => {
  console.log(tally.summary('file-faults'));
  expect(tally.stackTraces).toBe(0);
});

// ---------------------------------------------------------------------------------------------
// Input files.

type InputFault = 'missing' | 'folder' | 'under-file' | 'empty' | 'text' | 'json' | 'cut';

const INPUT_FAULTS: readonly InputFault[] = [
  'missing',
  'folder',
  'under-file',
  'empty',
  'text',
  'json',
  'cut',
];

/** A fault of one kind, with generated contents. */
const inputFault = (
  fault: InputFault,
): fc.Arbitrary<{ fault: InputFault; text: string; json: unknown; cut: number }> =>
  fc.record({
    fault: fc.constant(fault),
    text: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    }),
    json: fc.jsonValue({ maxDepth: 2 }),
    cut: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
  });

/** Writes the fault into `dir` and returns the path to give; `valid` is a good file to damage. */
function prepareInput(
  dir: string,
  f: { fault: InputFault; text: string; json: unknown; cut: number },
  valid: string,
  ext = '.json',
): string {
  const p = join(dir, `input${ext}`);
  switch (f.fault) {
    case 'missing':
      return join(dir, `missing${ext}`);
    case 'folder':
      mkdirSync(p);
      return p;
    case 'under-file':
      writeFileSync(join(dir, 'plain'), 'x');
      return join(dir, 'plain', `input${ext}`);
    case 'empty':
      writeFileSync(p, '');
      return p;
    case 'text':
      writeFileSync(p, f.text);
      return p;
    case 'json':
      writeFileSync(p, JSON.stringify(f.json));
      return p;
    case 'cut': {
      const bytes = readFileSync(valid);
      writeFileSync(p, bytes.subarray(0, Math.max(1, Math.floor(bytes.length * f.cut))));
      return p;
    }
  }
}

interface InputAttack {
  readonly name: string;
  /** Args with the damaged file; `dir` is the case's sandbox. */
  readonly argv: (path: string, dir: string) => string[];
  /** A valid file of the kind, damaged by the `cut` fault. */
  readonly valid: () => string;
  readonly ext?: string;
  /** JSON values that happen to be valid for this input (skipped). */
  readonly acceptsJson?: (v: unknown) => boolean;
}

const inputs: InputAttack[] = [
  { name: 'search --table', argv: (p) => ['search', '--table', p, '--budget', '10'], valid: () => fx.table },
  {
    name: 'evaluate --table',
    argv: (p) => ['evaluate', '--table', p, '--mapping', fx.result],
    valid: () => fx.table,
  },
  {
    name: 'evaluate --mapping',
    argv: (p) => ['evaluate', '--table', fx.table, '--mapping', p],
    valid: () => fx.result,
  },
  {
    name: 'plot --result',
    argv: (p, d) => ['plot', '--table', fx.table, '--result', p, '--no-png', '--out', join(d, 'chart')],
    valid: () => fx.result,
  },
  {
    name: 'analyze --workload',
    argv: (p) => ['analyze', '--workload', p, '--platform', 'S2', '--bw', '16'],
    valid: () => fx.workload,
  },
  {
    name: 'search --jobs FILE.csv',
    argv: (p) => ['search', '--jobs', p, '--platform', 'S2', '--bw', '16', '--budget', '10'],
    valid: () => join(process.cwd(), 'models/data/magma/mix/insts0.csv'),
    ext: '.csv',
  },
  {
    name: 'analyze --platform FILE',
    argv: (p) => ['analyze', '--jobs', 'magma:mix/0', '--platform', p, '--bw', '16'],
    valid: () => {
      const p = join(root, 'platform.json');
      writeFileSync(
        p,
        JSON.stringify({
          cores: [
            { style: 'dla', pes: 1024 },
            { style: 'shi', pes: 512 },
          ],
        }),
      );
      return p;
    },
  },
  {
    name: 'tune --problems',
    argv: (p, d) => ['tune', '--problems', p, '--trials', '1', '--budget', '10', '--out', join(d, 't')],
    valid: () => fx.problems,
  },
  {
    name: 'tune --holdout',
    argv: (p, d) => [
      'tune',
      '--problems',
      fx.problems,
      '--holdout',
      p,
      '--trials',
      '1',
      '--budget',
      '10',
      '--out',
      join(d, 't'),
    ],
    valid: () => fx.problems,
  },
  {
    name: 'compare --spec FILE',
    argv: (p, d) => ['compare', '--spec', p, '--out', join(d, 'c'), '--workers', '0'],
    valid: () => fx.spec,
  },
  {
    name: 'workload --workload',
    argv: (p) => ['workload', '--workload', p],
    valid: () => fx.workload,
  },
  {
    name: 'train --table',
    argv: (p, d) => tinyTrainArgs(p, join(d, 'r')),
    valid: () => fx.table,
  },
  {
    name: 'rollout --table',
    argv: (p) => ['rollout', '--run', fx.run, '--table', p, '--backend', 'cpu'],
    valid: () => fx.table,
  },
  {
    name: 'cost --dataflow-file',
    argv: (p) => ['cost', '--layer', 'fc out=10 in=20', '--style', 'mine', '--dataflow-file', p],
    valid: () => {
      const p = join(root, 'flow.m');
      writeFileSync(p, 'SpatialMap(1,1) K;\nTemporalMap(1,1) C;\n');
      return p;
    },
    ext: '.m',
  },
];

describe('damaged input files are refused in one line', () => {
  inputs.forEach((a, k) => {
    it(a.name, async () => {
      // Every fault, each with generated contents.
      for (const [i, fault] of INPUT_FAULTS.entries())
        await fc.assert(
          fc.asyncProperty(inputFault(fault), async (f) => {
            // Text that is not a dataflow is what a dataflow file attack needs; JSON checks do not apply.
            if (a.ext === '.m' && (f.fault === 'json' || f.fault === 'cut')) return;
            const dir = sandbox();
            const path = prepareInput(dir, f, a.valid(), a.ext);
            const before = listTree(dir);
            const o = await cli(a.argv(path, dir));
            tally.add(`input:${f.fault}`, o);
            const fsFault = f.fault === 'missing' || f.fault === 'folder' || f.fault === 'under-file';
            expectRefusal(o, fsFault ? [path] : []);
            expect(listTree(dir), 'nothing written').toEqual(before);
          }),
          { seed: SEED + 100 * k + i, numRuns: 2 * RUNS },
        );
    });
  });

  it('rollout --run: a missing folder, a file, an empty folder', async () => {
    for (const make of [
      (d: string) => join(d, 'none'),
      (d: string) => {
        writeFileSync(join(d, 'f'), 'x');
        return join(d, 'f');
      },
      (d: string) => {
        mkdirSync(join(d, 'empty'));
        return join(d, 'empty');
      },
    ]) {
      const dir = sandbox();
      const p = make(dir);
      const o = await cli(['rollout', '--run', p, '--backend', 'cpu']);
      tally.add('input:run-folder', o);
      expectRefusal(o, [p]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Outputs.

interface OutputAttack {
  readonly name: string;
  readonly argv: (out: string) => string[];
  /** The output is a folder (compare, tune, train): a file there is the fault. */
  readonly folder?: boolean;
  /** The file a folder must block (plot's --out is a prefix of its files). */
  readonly blocked?: (out: string) => string;
}

const outputs: OutputAttack[] = [
  { name: 'search --out', argv: (o) => ['search', '--table', fx.table, '--budget', '10', '--out', o] },
  { name: 'analyze --out', argv: (o) => ['analyze', '--table', fx.table, '--out', o] },
  { name: 'table synth --out', argv: (o) => ['table', 'synth', '--jobs', '5', '--out', o] },
  { name: 'workload --out', argv: (o) => ['workload', '--task', 'mix', '--jobs', '3', '--out', o] },
  { name: 'workload --csv', argv: (o) => ['workload', '--task', 'mix', '--jobs', '3', '--csv', o] },
  { name: 'rollout --out', argv: (o) => ['rollout', '--run', fx.run, '--backend', 'cpu', '--out', o] },
  {
    name: 'plot --out',
    argv: (o) => ['plot', '--table', fx.table, '--result', fx.result, '--no-png', '--out', o],
    blocked: (o) => `${o}-convergence.svg`,
  },
  {
    name: 'compare --out',
    argv: (o) => ['compare', '--spec', fx.spec, '--out', o, '--workers', '0'],
    folder: true,
  },
  {
    name: 'tune --out',
    argv: (o) => ['tune', '--problems', fx.problems, '--trials', '1', '--budget', '10', '--out', o],
    folder: true,
  },
  {
    name: 'train --out',
    argv: (o) => tinyTrainArgs(fx.table, o),
    folder: true,
  },
];

describe('outputs that cannot be written are refused before the work, in one line', () => {
  for (const a of outputs) {
    it(a.name, async () => {
      for (const fault of ['folder', 'under-file', 'deep-under-file'] as const) {
        {
          const dir = sandbox();
          let out: string;
          if (fault === 'folder') {
            // A folder where a file goes; for folder outputs, a file where the folder goes.
            out = join(dir, 'target');
            if (a.folder) writeFileSync(out, 'keep');
            else {
              const blocked = a.blocked?.(out) ?? out;
              mkdirSync(blocked);
              writeFileSync(join(blocked, 'inside'), 'keep');
            }
          } else {
            writeFileSync(join(dir, 'plain'), 'keep');
            out =
              fault === 'under-file' ? join(dir, 'plain', 'target') : join(dir, 'plain', 'a', 'b', 'target');
          }
          const before = listTree(dir);
          const o = await cli(a.argv(out));
          tally.add(`output:${fault}`, o);
          expectRefusal(o, [out.startsWith(dir) ? out.slice(0, out.indexOf('target') - 1) : out, out]);
          expect(listTree(dir), 'nothing written, nothing removed').toEqual(before);
          expect(leftoverTemporaries(dir)).toEqual([]);
        }
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Run files: a flipped byte or a cut file is refused with one line; untouched ones resume.

/** Flips one byte of `file` at a fraction of its length, avoiding the final newline. */
function flipByte(file: string, at: number): void {
  const b = readFileSync(file);
  const i = Math.min(b.length - 2, Math.floor(at * (b.length - 1)));
  b[i] = b[i]! ^ (b[i] === 0x22 ? 0x01 : 0x04);
  writeFileSync(file, b);
}

function cut(file: string, at: number): void {
  const b = readFileSync(file);
  writeFileSync(file, b.subarray(0, Math.max(1, Math.floor(at * (b.length - 1)))));
}

describe('damaged run files are refused in one line, never loaded', () => {
  const damage = fc.record({
    how: fc.constantFrom('flip', 'cut'),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
  });

  it('compare: experiment.json and result lines', async () => {
    await fc.assert(
      fc.asyncProperty(damage, fc.constantFrom('experiment.json', 'results.jsonl'), async (d, file) => {
        const dir = sandbox();
        const run = join(dir, 'c');
        cpSync(fx.compare, run, { recursive: true });
        const path = join(run, file);
        (d.how === 'flip' ? flipByte : cut)(path, d.at);
        const o = await cli(['compare', '--out', run, '--resume', '--workers', '0', '--no-charts']);
        tally.add(`run-file:${file}:${d.how}`, o);
        if (d.how === 'cut' && file === 'results.jsonl') {
          // A log cut short is the log of a run killed earlier: the torn line is dropped and
          // the cells it held run again.
          expect(o.code, o.stderr).toBe(0);
          expect(o.stderr).toMatch(/4 cells: \d already done/);
        } else expectRefusal(o, [file]);
      }),
      { seed: SEED, numRuns: 12 * RUNS },
    );
  });

  it('tune: study lines', async () => {
    await fc.assert(
      fc.asyncProperty(damage, async (d) => {
        const dir = sandbox();
        const out = join(dir, 't');
        cpSync(fx.tune, out, { recursive: true });
        const path = join(out, 'trials.jsonl');
        (d.how === 'flip' ? flipByte : cut)(path, d.at);
        const o = await cli([
          'tune',
          '--problems',
          fx.problems,
          '--trials',
          '4',
          '--budget',
          '20',
          '--repeats',
          '1',
          '--out',
          out,
          '--resume',
        ]);
        tally.add(`run-file:trials.jsonl:${d.how}`, o);
        if (d.how === 'cut') {
          // As for results: a study cut short resumes, running the lost trials again.
          expect(o.code, o.stderr).toBe(0);
        } else expectRefusal(o, ['trials.jsonl']);
      }),
      { seed: SEED, numRuns: 8 * RUNS },
    );
  });

  it('train and rollout: run.json, checkpoint.json and the weights', async () => {
    const ck = JSON.parse(readFileSync(join(fx.run, 'checkpoint.json'), 'utf8')) as { file: string };
    await fc.assert(
      fc.asyncProperty(
        damage,
        fc.constantFrom('run.json', 'checkpoint.json', ck.file),
        fc.boolean(),
        async (d, file, train) => {
          const dir = sandbox();
          const run = join(dir, 'r');
          cpSync(fx.run, run, { recursive: true });
          (d.how === 'flip' ? flipByte : cut)(join(run, file), d.at);
          const before = readFileSync(join(run, 'metrics.jsonl'), 'utf8');
          const o = await cli(
            train
              ? ['train', '--resume', '--out', run, '--steps', '48', '--backend', 'cpu']
              : ['rollout', '--run', run, '--backend', 'cpu'],
          );
          tally.add(`run-file:${file === ck.file ? 'weights' : file}:${d.how}`, o);
          expectRefusal(o, [file]);
          // A refused resume changes nothing in the run folder.
          expect(readFileSync(join(run, 'metrics.jsonl'), 'utf8')).toBe(before);
        },
      ),
      { seed: SEED, numRuns: 12 * RUNS },
    );
  });

  it('files written before checksums still load', async () => {
    const dir = sandbox();
    const run = join(dir, 'c');
    cpSync(fx.compare, run, { recursive: true });
    const strip = (file: string, lines: boolean) => {
      const text = readFileSync(file, 'utf8');
      const drop = (o: Record<string, unknown>) => {
        const { checksum: _c, ...rest } = o;
        return rest;
      };
      writeFileSync(
        file,
        lines
          ? text
              .trim()
              .split('\n')
              .map((l) => `${JSON.stringify(drop(JSON.parse(l)))}\n`)
              .join('')
          : JSON.stringify(drop(JSON.parse(text))),
      );
    };
    strip(join(run, 'experiment.json'), false);
    strip(join(run, 'results.jsonl'), true);
    const o = await cli(['compare', '--out', run, '--report-only', '--no-charts']);
    expect(o.code, o.stderr).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Numbers the evaluator would overflow: refused when the table is built, naming job, core, value.

describe('tables and platforms with values the evaluator would overflow are refused', () => {
  // 1e20 is in range, but as a latency it spans more than 1e12 from the table's others.
  const bad = fc.constantFrom(1e300, 1e61, 1e-61, 5e-324, 1e-310, 2.2e-308, -1, 0, 1e20);
  it('one bad cell (latency or bandwidth), or a bad system bandwidth', async () => {
    const base = tableToJson(synthTable({ jobs: 5, cores: 3, bwRatio: 1, seed: 4 }));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('latency', 'bandwidth', 'systemBandwidth'),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 2 }),
        bad,
        fc.constantFrom('evaluate', 'search', 'env-check', 'train'),
        async (field, j, c, v, cmd) => {
          // Zero is a valid bandwidth (a job that needs none); 1e20 is a valid bandwidth.
          if (field !== 'latency' && v === 1e20) return;
          if (field === 'bandwidth' && v === 0) return;
          const dir = sandbox();
          const t = structuredClone(base) as {
            systemBandwidth: number;
            latency: number[][];
            bandwidth: number[][];
          };
          if (field === 'systemBandwidth') t.systemBandwidth = v;
          else t[field][j]![c] = v;
          const path = join(dir, 't.json');
          writeFileSync(path, JSON.stringify(t));
          const argv = {
            evaluate: ['evaluate', '--table', path, '--mapping', fx.result],
            search: ['search', '--table', path, '--budget', '10'],
            'env-check': ['env-check', 'm3e/Sequential-v0', '--table', path, '--episodes', '1'],
            train: tinyTrainArgs(path, join(dir, 'r')),
          }[cmd];
          const o = await cli(argv);
          tally.add('numbers:table', o);
          expectRefusal(o, [field === 'systemBandwidth' ? 'systemBandwidth' : `job ${j}`]);
          if (field !== 'systemBandwidth') {
            expect(o.stderr).toContain(`core ${c}`);
            expect(o.stderr).toContain(String(v));
          }
          expect(listTree(dir)).toEqual(['t.json']);
        },
      ),
      { seed: SEED, numRuns: 24 * RUNS },
    );
  });

  it('platform files: PEs, buffers, bandwidths out of range', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          { cores: [{ style: 'dla', pes: 1e300 }] },
          { cores: [{ style: 'dla', pes: 2 ** 24 + 1 }] },
          { cores: [{ style: 'dla', pes: 1024, sgBytes: 2 ** 60 }] },
          { cores: [{ style: 'dla', pes: 1024 }], systemBandwidth: 1e-320 },
          { cores: [{ style: 'dla', pes: 1024 }], systemBandwidth: 1e300 },
          { cores: [{ style: 'dla', pes: 64, clusterSize: 128 }] },
          { cores: [] },
        ),
        async (platform) => {
          const dir = sandbox();
          const path = join(dir, 'p.json');
          writeFileSync(path, JSON.stringify(platform));
          const o = await cli(['analyze', '--jobs', 'magma:mix/0', '--platform', path]);
          tally.add('numbers:platform', o);
          expectRefusal(o, ['p.json']);
        },
      ),
      { seed: SEED, numRuns: 10 * RUNS },
    );
  });
});
