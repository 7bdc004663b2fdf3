// Interrupts at random points of compare, tune and train, then --resume: the exit code is
// 130 (SIGINT) or 143 (SIGTERM), the last line says how to resume, nothing is half-written,
// and the resumed run ends where docs/cli-reliability.md says: compare and tune exactly as an
// uninterrupted run; train reproducibly (two resumes of one checkpoint agree). In-process runs
// get the signal as Node delivers it (an event on `process`); a few real processes check the
// same end to end with kill(2).
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunFolder } from '../../agents/run-folder.js';
import { main } from '../../app/cli/main.js';
import { synthTable } from '../../src/core/synth.js';
import { tableToJson } from '../../src/core/table.js';
import { tempDir } from '../helpers/cli.js';
import { cli, hasStackTrace, leftoverTemporaries, type Outcome, RUNS, SEED, Tally } from './harness.js';

const tally = new Tally();
const root = tempDir('m3e-interrupt-');
let n = 0;
const fresh = (name: string) => join(root, `${name}-${n++}`);

type Sig = 'SIGINT' | 'SIGTERM';
const EXIT: Record<Sig, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Runs the CLI in-process and delivers `signal` when `trigger` says so: after the k-th line
 * of stderr that matches, or after a delay in milliseconds.
 */
async function interrupted(
  argv: readonly string[],
  signal: Sig,
  trigger: { afterLine: RegExp; count: number } | { afterMs: number },
): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  let seen = 0;
  let sent = false;
  const send = () => {
    if (sent) return;
    sent = true;
    process.emit(signal as 'SIGINT');
  };
  const timer = 'afterMs' in trigger ? setTimeout(send, trigger.afterMs) : null;
  const code = await main(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
      if ('afterLine' in trigger && trigger.afterLine.test(t) && ++seen === trigger.count) send();
    },
    isTTY: false,
  });
  if (timer) clearTimeout(timer);
  return { argv, code, stdout, stderr };
}

/** An interrupted run: its code and last line; or a run that finished before the signal. */
function expectStopped(o: Outcome, signal: Sig, resume: RegExp): boolean {
  expect(hasStackTrace(o.stderr), o.stderr).toBe(false);
  if (o.code === 0) return false;
  expect(o.code, o.stderr).toBe(EXIT[signal]);
  const last = o.stderr.trimEnd().split('\n').pop()!;
  expect(last).toMatch(new RegExp(`^m3e: interrupted by ${signal}\\b`));
  expect(last).toMatch(resume);
  return true;
}

/** Result lines without what differs between two runs of one cell (time, and so the checksum). */
function resultLines(dir: string): string[] {
  const lines: string[] = [];
  for (const f of readdirSync(dir).filter((x) => /^results.*\.jsonl$/.test(x)))
    for (const l of readFileSync(join(dir, f), 'utf8').trim().split('\n')) {
      const { seconds: _s, checksum: _c, ...rest } = JSON.parse(l) as Record<string, unknown>;
      lines.push(JSON.stringify(rest));
    }
  return lines.sort();
}

/** Trials without their timings. */
function trialLines(dir: string): string[] {
  return readFileSync(join(dir, 'trials.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const {
        seconds: _s,
        samplerSeconds: _t,
        checksum: _c,
        ...rest
      } = JSON.parse(l) as Record<string, unknown>;
      return JSON.stringify(rest);
    });
}

/** How long the uninterrupted tuning run took (interrupts are spread over it). */
let tuneMs = 1000;
const fx = {
  table: '',
  spec: '',
  problems: '',
  compareRef: '',
  tuneRef: '',
  tuneReport: '',
};
const tuneArgs = (out: string) => [
  'tune',
  '--problems',
  fx.problems,
  '--trials',
  '6',
  '--startup',
  '3',
  '--budget',
  '400',
  '--repeats',
  '2',
  '--seed',
  '5',
  '--out',
  out,
  '--json',
];
const compareArgs = (out: string) => [
  'compare',
  '--spec',
  fx.spec,
  '--out',
  out,
  '--workers',
  '0',
  '--no-charts',
];

beforeAll(async () => {
  fx.table = join(root, 'table.json');
  writeFileSync(
    fx.table,
    JSON.stringify(tableToJson(synthTable({ jobs: 30, cores: 3, bwRatio: 0.5, seed: 7 }))),
  );
  fx.spec = join(root, 'spec.json');
  writeFileSync(
    fx.spec,
    JSON.stringify({
      name: 'stop',
      problems: [{ name: 'a', synth: { jobs: 30, cores: 3, bwRatio: [0.5, 2], seed: 1 } }],
      mappers: ['magma', 'random', 'heft-heft'],
      budget: 600,
      seeds: [1, 2],
    }),
  );
  fx.compareRef = fresh('compare-ref');
  const c = await cli(compareArgs(fx.compareRef));
  expect(c.code, c.stderr).toBe(0);
  fx.problems = join(root, 'problems.json');
  writeFileSync(
    fx.problems,
    JSON.stringify([{ table: fx.table }, { synth: { jobs: 20, cores: 2, bwRatio: 1, seed: 3 } }]),
  );
  fx.tuneRef = fresh('tune-ref');
  const t0 = performance.now();
  const t = await cli(tuneArgs(fx.tuneRef));
  tuneMs = performance.now() - t0;
  expect(t.code, t.stderr).toBe(0);
  fx.tuneReport = JSON.stringify((JSON.parse(t.stdout) as { best: unknown }).best);
});

afterAll(() => {
  console.log(tally.summary('interrupts'));
  expect(tally.stackTraces).toBe(0);
});

const signal = fc.constantFrom<Sig>('SIGINT', 'SIGTERM');

describe('compare: stopped after any cell, resumed, gives the uninterrupted results', () => {
  it('one or several interrupts at generated points', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 11 }), signal), { minLength: 1, maxLength: 3 }),
        async (stops) => {
          const out = fresh('compare');
          let first = true;
          for (const [k, sig] of stops) {
            const argv = first
              ? compareArgs(out)
              : ['compare', '--out', out, '--resume', '--workers', '0', '--no-charts'];
            first = false;
            const o = await interrupted(argv, sig, { afterLine: /^\[\d+\/\d+\]/m, count: k });
            tally.add(`compare:${sig}:${o.code === 0 ? 'finished first' : 'stopped'}`, o);
            if (!expectStopped(o, sig, new RegExp(`resume with: m3e compare --out ${out} --resume$`))) break;
            expect(leftoverTemporaries(out)).toEqual([]);
            expect(existsSync(join(out, 'report.md')), 'no report for a stopped run').toBe(false);
          }
          const r = await cli(['compare', '--out', out, '--resume', '--workers', '0', '--no-charts']);
          expect(r.code, r.stderr).toBe(0);
          expect(resultLines(out)).toEqual(resultLines(fx.compareRef));
          // Every figure of every cell (timings aside): what the report is made of.
          expect(existsSync(join(out, 'report.md'))).toBe(true);
        },
      ),
      { seed: SEED, numRuns: 8 * RUNS },
    );
  });
});

describe('tune: stopped between any two runs, resumed, gives the uninterrupted study', () => {
  it('interrupts at generated times', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0, max: 0.9, noNaN: true }), signal, async (at, sig) => {
        const out = fresh('tune');
        // Somewhere in the run (as long as an uninterrupted one took).
        const o = await interrupted(tuneArgs(out), sig, { afterMs: at * tuneMs });
        tally.add(`tune:${sig}:${o.code === 0 ? 'finished first' : 'stopped'}`, o);
        if (expectStopped(o, sig, /resume with: m3e tune .* --resume$/)) {
          expect(o.stdout).toBe('');
          expect(leftoverTemporaries(out)).toEqual([]);
          const r = await cli([...tuneArgs(out), '--resume']);
          expect(r.code, r.stderr).toBe(0);
          expect(JSON.stringify((JSON.parse(r.stdout) as { best: unknown }).best)).toBe(fx.tuneReport);
        }
        expect(trialLines(out)).toEqual(trialLines(fx.tuneRef));
      }),
      { seed: SEED + 1, numRuns: 6 * RUNS },
    );
  });
});

describe('train: stopped after any iteration, checkpointed, resumed reproducibly', () => {
  const trainArgs = (out: string) => [
    'train',
    '--agent',
    'a2c',
    '--table',
    fx.table,
    '--steps',
    '256',
    '--param',
    'numEnvs=2',
    '--param',
    'numSteps=16',
    '--param',
    'network.hidden=[16]',
    '--backend',
    'cpu',
    '--seed',
    '3',
    '--out',
    out,
  ];

  it('interrupts at generated times', async () => {
    // How long an uninterrupted run takes: interrupts are spread over it.
    const t0 = performance.now();
    const ref = await cli(trainArgs(fresh('train-ref')));
    expect(ref.code, ref.stderr).toBe(0);
    const trainMs = performance.now() - t0;
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0, max: 0.9, noNaN: true }), signal, async (at, sig) => {
        const out = fresh('train');
        const o = await interrupted(trainArgs(out), sig, { afterMs: at * trainMs });
        tally.add(`train:${sig}:${o.code === 0 ? 'finished first' : 'stopped'}`, o);
        if (
          !expectStopped(o, sig, /resume with: m3e train --resume --out \S+ \(episodes in progress restart/)
        )
          return;
        expect(leftoverTemporaries(out)).toEqual([]);
        const ck = RunFolder.open(out).loadCheckpoint()!;
        const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n');
        // The checkpoint holds the last iteration that ran: nothing done is lost.
        expect((JSON.parse(metrics[metrics.length - 1]!) as { step: number }).step).toBe(ck.step);
        expect(o.stderr).toContain(`at step ${ck.step} of 256`);
        const copy = `${out}-copy`;
        cpSync(out, copy, { recursive: true });
        const a = await cli(['train', '--resume', '--out', out, '--backend', 'cpu', '--json']);
        const b = await cli(['train', '--resume', '--out', copy, '--backend', 'cpu', '--json']);
        expect(a.code, a.stderr).toBe(0);
        const summary = (s: string) => {
          const {
            seconds: _s,
            stepsPerSecond: _p,
            out: _o,
            lastIteration: _l,
            ...rest
          } = JSON.parse(s) as Record<string, unknown>;
          return rest;
        };
        expect(summary(a.stdout)).toEqual(summary(b.stdout));
        expect(summary(a.stdout)).toMatchObject({ steps: 256 });
      }),
      { seed: SEED + 2, numRuns: 4 * RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Real processes and kill(2): the compiled CLI (dist/, built by `npm ci` / `npm run build`).

const BIN = fileURLToPath(new URL('../../app/cli/bin.js', import.meta.url));
const DIST_MAIN = fileURLToPath(new URL('../../dist/app/cli/main.js', import.meta.url));

/** True when dist/ was built after the last change to the CLI's sources. */
function distIsFresh(): boolean {
  if (!existsSync(DIST_MAIN)) return false;
  const built = statSync(DIST_MAIN).mtimeMs;
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
      const p = join(dir, e.name);
      return Math.max(m, e.isDirectory() ? newest(p) : e.name.endsWith('.ts') ? statSync(p).mtimeMs : 0);
    }, 0);
  const repo = fileURLToPath(new URL('../..', import.meta.url));
  return ['src', 'models', 'envs', 'agents', 'app'].every((d) => newest(join(repo, d)) <= built);
}

interface Child {
  readonly proc: ChildProcess;
  stderr: string;
  stdout: string;
  readonly exit: Promise<{ code: number | null; signal: string | null }>;
}

function start(args: readonly string[]): Child {
  const proc = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const c: Child = {
    proc,
    stderr: '',
    stdout: '',
    exit: new Promise((resolve) => proc.on('exit', (code, sig) => resolve({ code, signal: sig }))),
  };
  proc.stderr!.on('data', (d) => {
    c.stderr += String(d);
  });
  proc.stdout!.on('data', (d) => {
    c.stdout += String(d);
  });
  return c;
}

async function waitFor(cond: () => boolean, ms = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const lines = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean).length : 0);

describe.skipIf(!distIsFresh())('real signals (kill) on the compiled CLI', () => {
  it('compare: SIGINT after the second cell exits 130; --resume completes it identically', async () => {
    const out = fresh('real-compare');
    const c = start(compareArgs(out));
    await waitFor(() => (c.stderr.match(/^\[\d+\/\d+\]/gm) ?? []).length >= 2);
    c.proc.kill('SIGINT');
    const e = await c.exit;
    tally.add('real:compare:SIGINT', { argv: [], code: e.code ?? -1, stdout: c.stdout, stderr: c.stderr });
    expect(e.code, c.stderr).toBe(130);
    expect(c.stderr.trimEnd().split('\n').pop()).toMatch(
      /^m3e: interrupted by SIGINT: \d+ of 12 cells are saved in .*; resume with: m3e compare --out \S+ --resume$/,
    );
    const r = await cli(['compare', '--out', out, '--resume', '--workers', '0', '--no-charts']);
    expect(r.code, r.stderr).toBe(0);
    expect(resultLines(out)).toEqual(resultLines(fx.compareRef));
  });

  it('tune: SIGTERM after two trials exits 143; --resume gives the same study', async () => {
    const out = fresh('real-tune');
    const c = start(tuneArgs(out));
    // The header and the enqueued defaults come first, then one line per trial.
    await waitFor(() => lines(join(out, 'trials.jsonl')) >= 4);
    c.proc.kill('SIGTERM');
    const e = await c.exit;
    tally.add('real:tune:SIGTERM', { argv: [], code: e.code ?? -1, stdout: c.stdout, stderr: c.stderr });
    if (e.code === 0) return; // finished before the signal arrived
    expect(e.code, c.stderr).toBe(143);
    expect(c.stderr.trimEnd().split('\n').pop()).toMatch(
      /^m3e: interrupted by SIGTERM: \d of 6 trials are saved in .*; resume with: m3e tune .* --resume$/,
    );
    const r = await cli([...tuneArgs(out), '--resume']);
    expect(r.code, r.stderr).toBe(0);
    expect(trialLines(out)).toEqual(trialLines(fx.tuneRef));
  });

  it('train: SIGINT exits 130 with a checkpoint that --resume continues', async () => {
    const out = fresh('real-train');
    const c = start([
      'train',
      '--agent',
      'a2c',
      '--table',
      fx.table,
      '--steps',
      '100000',
      '--param',
      'numEnvs=2',
      '--param',
      'numSteps=16',
      '--backend',
      'cpu',
      '--out',
      out,
    ]);
    await waitFor(() => lines(join(out, 'metrics.jsonl')) >= 2);
    c.proc.kill('SIGINT');
    const e = await c.exit;
    tally.add('real:train:SIGINT', { argv: [], code: e.code ?? -1, stdout: c.stdout, stderr: c.stderr });
    expect(e.code, c.stderr).toBe(130);
    expect(c.stderr.trimEnd().split('\n').pop()).toMatch(
      /^m3e: interrupted by SIGINT at step \d+ of 100000: checkpoint saved in .*; resume with: m3e train --resume --out \S+ /,
    );
    const step = RunFolder.open(out).loadCheckpoint()!.step;
    const r = await cli([
      'train',
      '--resume',
      '--out',
      out,
      '--steps',
      String(step + 64),
      '--backend',
      'cpu',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { steps: number }).steps).toBe(step + 64);
  });

  it('search: SIGTERM writes the best so far to --out and exits 143', async () => {
    const out = join(fresh('real-search'), 'r.json');
    const c = start(['search', '--table', fx.table, '--budget', '1000000000', '--out', out]);
    await new Promise((r) => setTimeout(r, 1500));
    c.proc.kill('SIGTERM');
    const e = await c.exit;
    tally.add('real:search:SIGTERM', { argv: [], code: e.code ?? -1, stdout: c.stdout, stderr: c.stderr });
    expect(e.code, c.stderr).toBe(143);
    const r = JSON.parse(readFileSync(out, 'utf8')) as {
      interrupted: string;
      evaluations: number;
      budget: number;
    };
    expect(r).toMatchObject({ interrupted: 'SIGTERM', budget: 1_000_000_000 });
    expect(r.evaluations).toBeGreaterThan(0);
    expect(c.stderr.trimEnd().split('\n').pop()).toMatch(
      /^m3e: interrupted by SIGTERM after \d+ of 1000000000 evaluations: the best so far .* is in /,
    );
  });

  it('a second signal quits at once (real process)', async () => {
    const out = fresh('real-twice');
    // One slow cell: a big budget, so the first signal waits for it.
    const spec = join(root, 'slow.json');
    writeFileSync(
      spec,
      JSON.stringify({
        name: 'slow',
        problems: [{ table: fx.table }],
        mappers: ['random'],
        budget: 100_000_000,
        seeds: [1],
      }),
    );
    // Inline: the first signal waits for the cell in flight, the second does not.
    const c = start(['compare', '--spec', spec, '--out', out, '--workers', '0', '--no-charts']);
    await waitFor(() => existsSync(join(out, 'experiment.json')));
    await new Promise((r) => setTimeout(r, 300));
    c.proc.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 200));
    c.proc.kill('SIGINT');
    const e = await c.exit;
    expect(c.stderr).toContain('SIGINT again: quitting at once');
    tally.add('real:compare:twice', { argv: [], code: e.code ?? -1, stdout: c.stdout, stderr: c.stderr });
    expect(e.code, c.stderr).toBe(130);
  });
});
