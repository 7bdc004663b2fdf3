// The package as a user gets it: `npm pack`, installed in an empty folder, and every ```ts
// sample of README.md and docs/*.md type-checked against its .d.ts and run with node.
// One pack and one install serve every test here.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { installTarball, type Packed, packRepository, staleSources } from './packed.js';
import { extractSamples, type Sample, samplesOf } from './samples.js';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
};

const DOCS = [
  'README.md',
  ...(existsSync(join(ROOT, 'docs'))
    ? readdirSync(join(ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .sort()
        .map((f) => `docs/${f}`)
    : []),
];
const SAMPLES = samplesOf(ROOT, DOCS);

/** `README.md:42` -> `README_md_42` (a module name tsc and node accept). */
const moduleName = (s: Sample) => s.name.replace(/[^A-Za-z0-9]+/g, '_');

let work: string;
let packed: Packed;
let app: string;
/** Type errors per sample module (none: compiled cleanly). */
const typeErrors = new Map<string, string[]>();

beforeAll(async () => {
  const stale = staleSources(ROOT);
  if (stale.length)
    throw new Error(
      `dist/ is older than ${stale.length} source file(s), e.g. ${stale[0]}: run npm run build`,
    );
  work = tempDir('m3e-package-');
  packed = await packRepository(ROOT, work);
  app = join(work, 'app');
  mkdirSync(join(app, 'samples'), { recursive: true });
  await installTarball(ROOT, packed.tarball, app, ['@types/node']);

  for (const s of SAMPLES) writeFileSync(join(app, 'samples', `${moduleName(s)}.ts`), s.code);
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2022'],
        types: ['node'],
        strict: true,
        skipLibCheck: true,
        rootDir: 'samples',
        outDir: 'out',
      },
      include: ['samples'],
    }),
  );
  const tsc = await run(process.execPath, [TSC, '-p', app, '--pretty', 'false'], { cwd: app }).catch(
    (e: { stdout?: string }) => ({ stdout: e.stdout ?? String(e) }),
  );
  for (const line of tsc.stdout.split('\n')) {
    const m = /^samples\/([^.(]+)\.ts\(/.exec(line);
    if (!m) continue;
    typeErrors.set(m[1]!, [...(typeErrors.get(m[1]!) ?? []), line]);
  }
}, 300_000);

// The install holds a few hundred megabytes (TensorFlow.js): never leave it behind.
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships the licence, the readme, the compiled entries and the data; no bench, tests or sources', () => {
    const files = packed.files;
    for (const f of ['LICENSE', 'README.md', 'package.json', 'app/cli/bin.js', 'dist/app/cli/main.js'])
      expect(files).toContain(f);
    for (const entry of Object.values(PKG.exports)) {
      if (typeof entry === 'string') continue;
      const { types, default: js } = entry as { types: string; default: string };
      expect(files).toContain(types.replace(/^\.\//, ''));
      expect(files).toContain(js.replace(/^\.\//, ''));
    }
    expect(files.filter((f) => f.startsWith('models/data/magma/')).length).toBeGreaterThan(0);
    const unwanted = files.filter(
      (f) =>
        /^(dist\/)?(bench|test)\//.test(f) ||
        f.endsWith('.map') ||
        (f.endsWith('.ts') && !f.endsWith('.d.ts')) ||
        (f.startsWith('dist/app/cli/') && f.endsWith('.d.ts')),
    );
    expect(unwanted).toEqual([]);
    // A compiled file whose source is gone would ship dead code (a stale dist/).
    const orphans = files.filter(
      (f) => f.startsWith('dist/') && f.endsWith('.js') && !existsSync(join(ROOT, f.slice(5, -3) + '.ts')),
    );
    expect(orphans).toEqual([]);
  });

  it('installs in an empty folder without @tensorflow/tfjs-node, and every entry loads', async () => {
    expect(existsSync(join(app, 'node_modules', 'm3e', 'package.json'))).toBe(true);
    expect(existsSync(join(app, 'node_modules', '@tensorflow', 'tfjs-node'))).toBe(false);
    const entries = Object.keys(PKG.exports)
      .filter((k) => k !== './package.json')
      .map((k) => `m3e${k.slice(1)}`);
    const { stdout } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `for (const e of ${JSON.stringify(entries)}) console.log(e, Object.keys(await import(e)).length);`,
      ],
      { cwd: app },
    );
    const loaded = stdout.trim().split('\n');
    expect(loaded.map((l) => l.split(' ')[0])).toEqual(entries);
    for (const l of loaded) expect(Number(l.split(' ')[1])).toBeGreaterThan(0);
  });

  it('picks the WASM backend when @tensorflow/tfjs-node is absent', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const a = await import('m3e/agents'); const b = await a.selectBackend('auto'); console.log(JSON.stringify(b));",
      ],
      { cwd: app },
    );
    const backend = JSON.parse(stdout) as { name: string; skipped: string[] };
    expect(backend.name).toBe('wasm');
    expect(backend.skipped.join(' ')).toMatch(/node/);
  });

  it('runs the m3e command: --help, and a short search', async () => {
    const bin = join(app, 'node_modules', '.bin', 'm3e');
    const help = await run(bin, ['--help'], { cwd: app });
    expect(help.stdout).toMatch(/Usage: m3e/);
    expect(help.stdout).toMatch(/\bsearch\b/);
    const search = await run(bin, ['search', '--budget', '100', '--json'], { cwd: app });
    const r = JSON.parse(search.stdout) as { evaluations: number; makespan: number; lowerBound: number };
    expect(r.evaluations).toBe(100);
    expect(r.makespan).toBeGreaterThanOrEqual(r.lowerBound);
  });
});

describe('doc samples (README.md, docs/*.md) against the installed package', () => {
  it('are found, and each is a complete program', () => {
    expect(SAMPLES.length).toBeGreaterThan(0);
    for (const s of SAMPLES) expect(s.code, s.name).toMatch(/from 'm3e(\/[a-z]+)?'/);
  });

  it.each(SAMPLES.map((s) => [s.name, s] as const))('%s', async (_name, sample) => {
    expect(typeErrors.get(moduleName(sample)) ?? []).toEqual([]);
    if (!sample.run) return;
    // Each sample in its own empty working folder, as a user would run it.
    const cwd = join(app, 'cwd', moduleName(sample));
    mkdirSync(cwd, { recursive: true });
    const r = await run(process.execPath, [join(app, 'out', `${moduleName(sample)}.js`)], {
      cwd,
      timeout: 120_000,
    }).catch((e: { code?: number; stderr?: string }) => ({
      failed: e.code ?? 1,
      stderr: e.stderr ?? String(e),
    }));
    expect('failed' in r ? r.stderr : '').toBe('');
  });
});

describe('sample extraction', () => {
  it('takes ```ts blocks, marks no-run ones and rejects unknown flags', () => {
    const md = [
      '# t',
      '```ts',
      "import { Rng } from 'm3e';",
      '```',
      '```sh',
      'npm test',
      '```',
      '````ts no-run',
      'const a = 1;',
      '```',
      '````',
    ].join('\n');
    expect(extractSamples('x.md', md)).toEqual([
      { name: 'x.md:2', code: "import { Rng } from 'm3e';\n", run: true },
      { name: 'x.md:8', code: 'const a = 1;\n```\n', run: false },
    ]);
    expect(() => extractSamples('x.md', '```ts norun\n```\n')).toThrow(/x.md:1: unknown sample flag/);
    expect(() => extractSamples('x.md', '```ts\nlet a;\n')).toThrow(/unclosed/);
  });
});
