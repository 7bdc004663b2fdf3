// Shared by the tests that attack the CLI as a user would: run a command in-process, and
// check that a refusal is what docs/cli-reliability.md promises (exit code, one line on
// stderr naming the field, no stack trace, nothing left behind).
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { isTemporaryFile } from '../../src/io/files.js';
import { runCli } from '../helpers/cli.js';

export interface Outcome {
  readonly argv: readonly string[];
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** fast-check's seed and the number of runs per property (raise them to explore further). */
export const SEED = Number(process.env.M3E_ATTACK_SEED ?? 20260415);
export const RUNS = Math.max(1, Math.round(Number(process.env.M3E_ATTACK_RUNS ?? 1)));

/** Counts of what a test file tried, checked at its end (zero stack traces). */
export class Tally {
  cases = 0;
  stackTraces = 0;
  readonly classes = new Map<string, number>();

  add(cls: string, o: Outcome): void {
    this.cases++;
    this.classes.set(cls, (this.classes.get(cls) ?? 0) + 1);
    if (hasStackTrace(o.stderr)) this.stackTraces++;
  }

  summary(file: string): string {
    const parts = [...this.classes].map(([c, n]) => `${c} ${n}`).join(', ');
    return `${file}: ${this.cases} generated cases over ${this.classes.size} classes (${parts}); ${this.stackTraces} stack traces`;
  }
}

export function hasStackTrace(stderr: string): boolean {
  return /internal error|\n\s+at\s|^\s+at\s/m.test(stderr);
}

export async function cli(argv: readonly string[]): Promise<Outcome> {
  const r = await runCli(...argv);
  return { argv, code: r.code, stdout: r.stdout, stderr: r.stderr };
}

function describe(o: Outcome): string {
  return `m3e ${JSON.stringify(o.argv)} -> exit ${o.code}, stderr ${JSON.stringify(o.stderr.slice(0, 400))}`;
}

/**
 * A refusal: exit `code` (2 by default), exactly one line on stderr (`m3e: ...`), no stack
 * trace, nothing on stdout; `mentions` (any of them) must appear in the line.
 */
export function expectRefusal(o: Outcome, mentions: readonly string[] = [], code = 2): void {
  const where = describe(o);
  expect(o.code, where).toBe(code);
  expect(o.stderr, where).toMatch(/^m3e: [^\n]+\n$/);
  expect(hasStackTrace(o.stderr), where).toBe(false);
  expect(o.stdout, where).toBe('');
  if (mentions.length)
    expect(
      mentions.some((m) => o.stderr.includes(m)),
      `${where}: should name one of ${mentions.join(', ')}`,
    ).toBe(true);
}

/**
 * A refusal after the work started (a write failed at the end): exit `code`, progress or
 * information lines may precede it, but exactly one line is an error (`m3e: ...`), the last.
 */
export function expectLateRefusal(o: Outcome, mentions: readonly string[] = [], code = 2): void {
  const where = describe(o);
  expect(o.code, where).toBe(code);
  expect(hasStackTrace(o.stderr), where).toBe(false);
  const lines = o.stderr.split('\n');
  expect(lines.pop(), where).toBe('');
  expect(
    lines.filter((l) => l.startsWith('m3e: ')),
    where,
  ).toHaveLength(1);
  expect(lines[lines.length - 1], where).toMatch(/^m3e: /);
  if (mentions.length)
    expect(
      mentions.some((m) => o.stderr.includes(m)),
      `${where}: should name one of ${mentions.join(', ')}`,
    ).toBe(true);
}

/** Every file under `dir` (relative paths), for "nothing left behind" checks. */
export function listTree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      out.push(relative(dir, p));
      if (statSync(p).isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** Temporary files of atomic writes left anywhere under `dir`. */
export function leftoverTemporaries(dir: string): string[] {
  return listTree(dir).filter((p) => isTemporaryFile(p));
}

/**
 * A maker of fresh, empty case folders under `root` (case-0, case-1, ...): whatever a refused
 * run leaves behind shows up in its own folder.
 */
export function caseFolders(root: string): () => string {
  let n = 0;
  return () => {
    const d = join(root, `case-${n++}`);
    mkdirSync(d, { recursive: true });
    return d;
  };
}

/**
 * `m3e train` arguments for a tiny A2C run on `table` into `out` (CPU backend, 2 envs of 8
 * steps per iteration): the training run the attacks need, as small as it gets.
 */
export function tinyTrainArgs(table: string, out: string, steps = 16): string[] {
  return [
    'train',
    '--agent',
    'a2c',
    '--table',
    table,
    '--steps',
    String(steps),
    '--param',
    'numEnvs=2',
    '--param',
    'numSteps=8',
    '--backend',
    'cpu',
    '--out',
    out,
  ];
}
