/**
 * `m3e validate RUN|RESULTS`: re-simulates every claimed mapping of a run folder (all its
 * results files) or of one results file, and checks every claimed figure. Exits 0 when all
 * claims hold, 3 on any mismatch (listed), 2 on bad input.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../../src/core/errors.js';
import { readJsonFile } from '../../../src/io/files.js';
import { listResultFiles, type ResultLine, readResults } from '../../../src/report/results.js';
import { storedBounds } from '../../experiment/bounds.js';
import { loadStoredSpec } from '../../experiment/runner.js';
import { type LoadedSpec, loadSpec } from '../../experiment/spec.js';
import {
  isBestKnownTable,
  type ValidationReport,
  validateBestKnown,
  validateLines,
} from '../../experiment/validate.js';
import { type CliIO, emit, PartialFailure } from '../io.js';

/** Mismatches printed in full; the rest are counted. */
const SHOWN = 20;

export interface ValidatedPath {
  readonly spec: LoadedSpec;
  readonly files: readonly string[];
  readonly lines: readonly ResultLine[];
  readonly report: ValidationReport;
}

/**
 * Validates a run folder or a results file (its spec: `specPath`, else the folder's run), or a
 * best-known table (a .json file with best mappings; its spec: `specPath`, else `paper`).
 */
export function validatePath(path: string, specPath?: string): ValidatedPath {
  const read = (p: string) => readJsonFile(p, '--spec file');
  const given = specPath ? loadSpec(specPath, read) : null;
  if (!existsSync(path)) throw new InputError(`<path> ${path} does not exist`);
  if (statSync(path).isFile() && /\.json$/i.test(path)) {
    const data = readJsonFile(path, 'best-known table');
    if (!isBestKnownTable(data))
      throw new InputError(`<path> ${path} is neither a results .jsonl file nor a best-known table (rows)`);
    const spec = given ?? loadSpec('paper', read);
    return { spec, files: [path], lines: [], report: validateBestKnown(spec, data, path) };
  }
  const dir = statSync(path).isDirectory() ? path : dirname(path);
  const files = statSync(path).isDirectory() ? listResultFiles(path) : [path];
  if (!files.length) throw new InputError(`<path> ${path} holds no results files (results*.jsonl)`);
  const spec = given ?? loadStoredSpec(dir);
  const lines = files.flatMap((f) => readResults(f).lines);
  return { spec, files, lines, report: validateLines(spec, lines, storedBounds(dir)) };
}

export function register(program: Command, io: CliIO): void {
  program
    .command('validate')
    .description(
      're-simulate every mapping a run folder or results file claims and check its makespan, bound and figures; exit 3 on any mismatch',
    )
    .argument(
      '<path>',
      'a run folder (m3e compare --out, m3e bench --out), one results .jsonl file, or a best-known table (.json)',
    )
    .option('--spec <file>', "the experiment spec (default: the run folder's experiment.json)")
    .option('--json', 'print the report as JSON')
    .action((path: string, opts: { spec?: string; json?: boolean }) => {
      const v = validatePath(path, opts.spec);
      const { report } = v;
      emit(io, Boolean(opts.json), { path, files: v.files, lines: v.lines.length, ...report }, () => {
        const head = v.lines.length
          ? `${path}: ${v.lines.length} result lines in ${v.files.length} file(s): ${report.checked} re-simulated, ${report.failedCells} failed cells (nothing claimed)`
          : `${path}: ${report.checked} mappings re-simulated`;
        if (!report.mismatches.length) return `${head}; every claim holds`;
        const shown = report.mismatches
          .slice(0, SHOWN)
          .map((m) => `  ${m.problem} / ${m.mapper} / seed ${m.seed}: ${m.what}`);
        const more =
          report.mismatches.length > SHOWN ? [`  ... and ${report.mismatches.length - SHOWN} more`] : [];
        return [`${head}; ${report.mismatches.length} mismatch(es):`, ...shown, ...more].join('\n');
      });
      if (report.mismatches.length)
        throw new PartialFailure(`${report.mismatches.length} claim(s) in ${path} do not hold`);
    });
}
