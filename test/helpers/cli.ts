import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../app/cli/main.js';

/** Runs the CLI in-process; returns exit code, stdout and stderr. */
export async function runCli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTTY: false,
  });
  return { code, stdout, stderr };
}

export function tempDir(prefix = 'm3e-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs the CLI in-process with an argument list; `out`/`err` are stdout/stderr. */
export async function runCliArgs(
  argv: readonly string[],
): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(...argv);
  return { code: r.code, out: r.stdout, err: r.stderr };
}
