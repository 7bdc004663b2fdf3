// The command line starts without TensorFlow.js (importing it costs about 0.2 s of a 0.46 s
// `m3e --help`): only training, rollouts, agent tuning and agent cells load it, on first use.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';

/** Runs the built CLI with a resolve hook that reports every package it imports. */
function importedPackages(...argv: string[]): string[] {
  const dir = tempDir('m3e-startup-');
  const hook = join(dir, 'hook.mjs');
  writeFileSync(
    hook,
    `export async function resolve(specifier, context, next) {
  if (!specifier.startsWith('.') && !specifier.startsWith('node:') && !specifier.startsWith('file:'))
    process.stderr.write('IMPORT ' + specifier + '\\n');
  return next(specifier, context);
}\n`,
  );
  const register = join(dir, 'register.mjs');
  writeFileSync(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hook).href)});\n`,
  );
  const r = spawnSync(process.execPath, ['--import', register, 'app/cli/bin.js', ...argv], {
    encoding: 'utf8',
  });
  expect(r.status).toBe(0);
  const stderr = r.stderr;
  return [...stderr.matchAll(/^IMPORT (\S+)$/gm)].map((m) => m[1]!);
}

describe('CLI start-up', () => {
  it('does not load TensorFlow.js for --help', () => {
    const packages = importedPackages('--help');
    expect(packages).toContain('commander');
    expect(packages.filter((p) => p.startsWith('@tensorflow/'))).toEqual([]);
  });
});
