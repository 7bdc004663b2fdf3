// File-system faults a test cannot produce for real (the suite may run as root, and a disk
// cannot be filled on demand): node:fs is wrapped so that one call on a chosen path fails with
// EACCES, EROFS, ENOSPC, EDQUOT or EIO, at the check before the work (access), or at the
// write itself (mkdir, open, write, fsync, rename). Every command must answer with exit 2 and
// one line naming the path and the reason, leave no temporary file, and leave a file it was
// replacing as it was.
import * as realFs from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { synthTable } from '../../src/core/synth.js';
import { tableToJson } from '../../src/core/table.js';
import { tempDir } from '../helpers/cli.js';
import {
  cli,
  expectLateRefusal,
  leftoverTemporaries,
  listTree,
  RUNS,
  SEED,
  Tally,
  tinyTrainArgs,
} from './harness.js';

type Op = 'access' | 'mkdir' | 'open' | 'write' | 'fsync' | 'rename';

const injected = vi.hoisted(() => ({
  rule: null as null | { op: string; match: (path: string) => boolean; code: string; hits: number },
  fdPaths: new Map<number, string>(),
}));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const hits = (op: string, path: unknown): boolean => {
    const r = injected.rule;
    return Boolean(r && r.op === op && typeof path === 'string' && r.match(path));
  };
  const fail = (op: string, path: unknown, hit = hits(op, path)) => {
    const r = injected.rule;
    if (!r || !hit) return;
    r.hits++;
    const e = new Error(`${r.code}: injected fault, ${op} '${path}'`) as NodeJS.ErrnoException;
    e.code = r.code;
    e.syscall = op;
    e.path = String(path);
    throw e;
  };
  const pathOf = (f: unknown) => (typeof f === 'number' ? injected.fdPaths.get(f) : String(f));
  const wrapped = {
    ...fs,
    accessSync: (p: realFs.PathLike, mode?: number) => {
      fail('access', String(p));
      return fs.accessSync(p, mode);
    },
    mkdirSync: ((p: realFs.PathLike, o?: realFs.MakeDirectoryOptions) => {
      fail('mkdir', String(p));
      return fs.mkdirSync(p, o);
    }) as typeof fs.mkdirSync,
    openSync: (p: realFs.PathLike, flags: realFs.OpenMode = 'r', mode?: realFs.Mode) => {
      fail('open', String(p));
      const fd = fs.openSync(p, flags, mode);
      injected.fdPaths.set(fd, String(p));
      return fd;
    },
    writeFileSync: ((
      f: realFs.PathOrFileDescriptor,
      data: string | NodeJS.ArrayBufferView,
      o?: realFs.WriteFileOptions,
    ) => {
      const path = pathOf(f);
      const hit = hits('write', path);
      if (hit && typeof f === 'number') {
        // A full disk takes part of the data before it fails.
        const bytes =
          typeof data === 'string'
            ? Buffer.from(data)
            : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
        fs.writeSync(f, bytes.subarray(0, Math.floor(bytes.length / 2)));
      }
      fail('write', path, hit);
      return fs.writeFileSync(f, data, o);
    }) as typeof fs.writeFileSync,
    fsyncSync: (fd: number) => {
      fail('fsync', injected.fdPaths.get(fd));
      return fs.fsyncSync(fd);
    },
    closeSync: (fd: number) => {
      injected.fdPaths.delete(fd);
      return fs.closeSync(fd);
    },
    renameSync: (a: realFs.PathLike, b: realFs.PathLike) => {
      fail('rename', String(b));
      return fs.renameSync(a, b);
    },
  };
  return { ...wrapped, default: wrapped };
});

const tally = new Tally();
const root = tempDir('m3e-inject-');
let n = 0;
function sandbox(): string {
  const d = join(root, `case-${n++}`);
  realFs.mkdirSync(d, { recursive: true });
  return d;
}

const fx = { table: '', result: '', problems: '', spec: '', run: '' };

beforeAll(async () => {
  const d = join(root, 'fixtures');
  realFs.mkdirSync(d, { recursive: true });
  fx.table = join(d, 'table.json');
  realFs.writeFileSync(
    fx.table,
    JSON.stringify(tableToJson(synthTable({ jobs: 6, cores: 2, bwRatio: 1, seed: 2 }))),
  );
  fx.result = join(d, 'result.json');
  expect((await cli(['search', '--table', fx.table, '--budget', '20', '--out', fx.result])).code).toBe(0);
  fx.problems = join(d, 'problems.json');
  realFs.writeFileSync(fx.problems, JSON.stringify([{ table: fx.table }]));
  fx.spec = join(d, 'spec.json');
  realFs.writeFileSync(
    fx.spec,
    JSON.stringify({
      name: 's',
      problems: [{ table: fx.table }],
      mappers: ['random'],
      budget: 20,
      seeds: [1, 2],
    }),
  );
  fx.run = join(d, 'run');
  const t = await cli(tinyTrainArgs(fx.table, fx.run));
  expect(t.code, t.stderr).toBe(0);
});

afterEach(() => {
  injected.rule = null;
});

afterAll(() => {
  console.log(tally.summary('fs-injected'));
  expect(tally.stackTraces).toBe(0);
});

const REASON: Record<string, RegExp> = {
  EACCES: /permission denied/,
  EROFS: /read-only file system/,
  ENOSPC: /no space left/,
  EDQUOT: /disk quota exceeded/,
  EIO: /input\/output error/,
};

interface Target {
  readonly name: string;
  /** The command, writing into `dir`; `out` is the path it writes. */
  readonly argv: (out: string) => string[];
  /** A file output (replaced atomically) or a folder output (files appended inside). */
  readonly kind: 'file' | 'folder';
  /** Operations whose failure this output meets. */
  readonly ops: readonly Op[];
}

const targets: Target[] = [
  {
    name: 'search --out',
    argv: (o) => ['search', '--table', fx.table, '--budget', '20', '--out', o],
    kind: 'file',
    ops: ['access', 'open', 'write', 'fsync', 'rename'],
  },
  {
    name: 'analyze --out',
    argv: (o) => ['analyze', '--table', fx.table, '--out', o],
    kind: 'file',
    ops: ['access', 'open', 'write', 'fsync', 'rename'],
  },
  {
    name: 'table synth --out',
    argv: (o) => ['table', 'synth', '--jobs', '5', '--out', o],
    kind: 'file',
    ops: ['access', 'open', 'write', 'fsync', 'rename'],
  },
  {
    name: 'workload --out',
    argv: (o) => ['workload', '--task', 'mix', '--jobs', '3', '--out', o],
    kind: 'file',
    ops: ['access', 'open', 'write', 'fsync', 'rename'],
  },
  {
    name: 'rollout --out',
    argv: (o) => ['rollout', '--run', fx.run, '--backend', 'cpu', '--out', o],
    kind: 'file',
    ops: ['access', 'open', 'write', 'rename'],
  },
  {
    name: 'compare --out',
    argv: (o) => ['compare', '--spec', fx.spec, '--out', o, '--workers', '0', '--no-charts'],
    kind: 'folder',
    ops: ['access', 'mkdir', 'open', 'write', 'fsync', 'rename'],
  },
  {
    name: 'tune --out',
    argv: (o) => [
      'tune',
      '--problems',
      fx.problems,
      '--trials',
      '2',
      '--budget',
      '10',
      '--repeats',
      '1',
      '--out',
      o,
    ],
    kind: 'folder',
    ops: ['access', 'mkdir', 'open', 'write', 'fsync', 'rename'],
  },
  {
    name: 'train --out',
    argv: (o) => tinyTrainArgs(fx.table, o),
    kind: 'folder',
    ops: ['access', 'mkdir', 'open', 'write', 'rename'],
  },
];

describe('injected file-system faults give one line, no temporary file, no half-written output', () => {
  targets.forEach((t, k) => {
    it(t.name, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...t.ops),
          fc.constantFrom('EACCES', 'EROFS', 'ENOSPC', 'EDQUOT', 'EIO'),
          fc.boolean(),
          async (op, code, existing) => {
            const dir = sandbox();
            const out = join(dir, t.kind === 'file' ? 'out.json' : 'run');
            // A file output that already exists must survive a failed replacement intact.
            if (existing && t.kind === 'file') realFs.writeFileSync(out, 'previous content\n');
            const inside = (p: string) => p === dir || p.startsWith(`${dir}/`);
            injected.rule = {
              op,
              code,
              hits: 0,
              // The check looks at the folder the output goes in; writes at the output itself.
              match: op === 'access' ? (p) => p === dir || p === out : (p) => inside(p) && p !== dir,
            };
            const o = await cli(t.argv(out));
            const hit = injected.rule.hits > 0;
            injected.rule = null;
            tally.add(`${op}:${code}`, o);
            if (!hit) {
              // This command never makes that call on that path (e.g. no mkdir of an existing folder).
              expect(o.code, o.stderr).toBe(0);
              return;
            }
            // Lines printed while the work ran may come first; the refusal is the one error line.
            expectLateRefusal(o, [dir]);
            expect(o.stderr).toMatch(REASON[code]!);
            expect(leftoverTemporaries(dir), 'temporary files left').toEqual([]);
            if (existing && t.kind === 'file')
              expect(realFs.readFileSync(out, 'utf8')).toBe('previous content\n');
            if (op === 'access')
              expect(listTree(dir), 'refused before any write').toEqual(
                existing && t.kind === 'file' ? ['out.json'] : [],
              );
          },
        ),
        { seed: SEED + k, numRuns: 12 * RUNS },
      );
    });
  });

  it('a run folder whose results file hit a full disk resumes to the complete run', async () => {
    const dir = sandbox();
    const out = join(dir, 'run');
    let calls = 0;
    // The second result line fails half-written: the first cell is saved, the second is not.
    injected.rule = {
      op: 'write',
      code: 'ENOSPC',
      hits: 0,
      match: (p) => p.endsWith('results.jsonl') && ++calls === 2,
    };
    const o = await cli(['compare', '--spec', fx.spec, '--out', out, '--workers', '0', '--no-charts']);
    injected.rule = null;
    tally.add('write:ENOSPC:results', o);
    expect(o.code).toBe(2);
    expect(o.stderr.split('\n').filter((l) => l.startsWith('m3e: '))).toHaveLength(1);
    expect(o.stderr).toMatch(
      /^m3e: cannot write results file .*results\.jsonl: no space left on the device$/m,
    );
    const r = await cli(['compare', '--out', out, '--resume', '--workers', '0', '--no-charts']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('2 cells: 1 already done, 1 run now (0 failed)');
  });
});
