/**
 * The package as a user installs it: `npm pack` of the repository, installed in an empty
 * folder from the npm cache (the one `npm ci` filled), without the optional
 * @tensorflow/tfjs-node.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Folders whose TypeScript is compiled into dist/. */
const COMPILED = ['src', 'models', 'envs', 'agents', 'app'];
/** Left out of the test install: the optional native backend (its installer downloads a binary). */
const LEFT_OUT = '@tensorflow/tfjs-node';

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'data' ? [] : tsFiles(p);
    return f.endsWith('.ts') && !f.endsWith('.d.ts') ? [p] : [];
  });
}

/**
 * The sources compiled after dist/ was last built (empty when dist/ is current). The package
 * is packed from dist/, so a stale build would test old code.
 */
export function staleSources(root: string): string[] {
  return COMPILED.flatMap((d) => tsFiles(join(root, d))).filter((src) => {
    const out = join(root, 'dist', relative(root, src)).replace(/\.ts$/, '.js');
    try {
      return statSync(out).mtimeMs < statSync(src).mtimeMs;
    } catch {
      return true;
    }
  });
}

export interface Packed {
  readonly tarball: string;
  /** Paths inside the tarball, relative to its `package/` folder. */
  readonly files: readonly string[];
  /** Bytes of the compressed tarball. */
  readonly size: number;
}

/** `npm pack` of the repository as it is (dist/ included; the build is not rerun). */
export async function packRepository(root: string, dest: string): Promise<Packed> {
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], {
    cwd: root,
    maxBuffer: 64 << 20,
  });
  const [info] = JSON.parse(stdout) as { filename: string; size: number; files: { path: string }[] }[];
  return {
    tarball: join(dest, info!.filename),
    files: info!.files.map((f) => f.path),
    size: info!.size,
  };
}

interface LockEntry {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  [field: string]: unknown;
}

/**
 * The lockfile of a project that depends on the tarball (and on `extra` of the repository's
 * dev dependencies): the repository's locked versions, reduced to what the package needs,
 * without LEFT_OUT. A lockfile lets `npm ci` install from the cache alone.
 */
function consumerLock(root: string, tarball: string, extra: readonly string[]) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as LockEntry & {
    name: string;
    version: string;
    license: string;
    bin: Record<string, string>;
    engines: Record<string, string>;
  };
  const entries = lock.packages;
  const find = (from: string, name: string): string => {
    for (let base = from; ; ) {
      const path = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (entries[path]) return path;
      if (!base) throw new Error(`package-lock.json has no ${name} (needed by ${from || 'the package'})`);
      const i = base.lastIndexOf('/node_modules/');
      base = i < 0 ? '' : base.slice(0, i);
    }
  };
  // Path -> reached only through optional dependencies.
  const kept = new Map<string, boolean>();
  const visit = (path: string, optional: boolean) => {
    const seen = kept.get(path);
    if (seen === false || (seen === true && optional)) return;
    kept.set(path, optional);
    const e = entries[path]!;
    for (const d of Object.keys(e.dependencies ?? {})) visit(find(path, d), optional);
    for (const d of Object.keys(e.optionalDependencies ?? {})) visit(find(path, d), true);
  };
  const optional = { ...pkg.optionalDependencies };
  delete optional[LEFT_OUT];
  for (const d of [...Object.keys(pkg.dependencies ?? {}), ...extra]) visit(find('', d), false);
  for (const d of Object.keys(optional)) visit(find('', d), true);

  const spec = `file:${tarball}`;
  const devDependencies = Object.fromEntries(extra.map((d) => [d, entries[find('', d)]!.version as string]));
  const packages: Record<string, unknown> = {
    '': { name: 'm3e-consumer', dependencies: { [pkg.name]: spec }, devDependencies },
    [`node_modules/${pkg.name}`]: {
      version: pkg.version,
      resolved: spec,
      license: pkg.license,
      dependencies: pkg.dependencies,
      optionalDependencies: optional,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [path, opt] of kept) {
    const { dev: _d, devOptional: _o, optional: _p, peer: _q, ...e } = entries[path]!;
    packages[path] = opt ? { ...e, optional: true } : e;
  }
  const manifest = {
    name: 'm3e-consumer',
    private: true,
    type: 'module',
    dependencies: { [pkg.name]: spec },
    devDependencies,
  };
  return { manifest, lock: { name: 'm3e-consumer', lockfileVersion: 3, requires: true, packages } };
}

/**
 * Installs the tarball in the empty folder `dir` with `npm ci` from the cache (the network
 * only for what the cache lacks). Install scripts run, as for a user.
 */
export async function installTarball(
  root: string,
  tarball: string,
  dir: string,
  extra: readonly string[] = [],
): Promise<void> {
  const { manifest, lock } = consumerLock(root, tarball, extra);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  await run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, maxBuffer: 64 << 20 });
}
