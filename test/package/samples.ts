import { readFileSync } from 'node:fs';

/** A ```ts block of a markdown file. */
export interface Sample {
  /** `README.md:42`: the file and the line of the opening fence. */
  readonly name: string;
  readonly code: string;
  /** False when marked ```ts no-run: type-checked against the package, never executed. */
  readonly run: boolean;
}

const OPEN = /^ {0,3}(`{3,}|~{3,})\s*(.*)$/;

/**
 * The TypeScript samples of a markdown text: fenced blocks whose info string is `ts`,
 * optionally followed by `no-run`. Any other word after `ts` is an error, so a typo cannot
 * silently turn a sample off.
 */
export function extractSamples(file: string, text: string): Sample[] {
  const lines = text.split('\n');
  const out: Sample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const closes = (l: string) => {
      const t = l.trim();
      return t.length >= fence.length && t === fence[0]!.repeat(t.length);
    };
    let end = i + 1;
    while (end < lines.length && !closes(lines[end]!)) end++;
    if (end === lines.length) throw new Error(`${file}:${i + 1}: unclosed code fence`);
    const [lang, ...flags] = open[2]!.trim().split(/\s+/);
    if (lang === 'ts') {
      const unknown = flags.filter((f) => f !== 'no-run');
      if (unknown.length) throw new Error(`${file}:${i + 1}: unknown sample flag(s): ${unknown.join(' ')}`);
      out.push({
        name: `${file}:${i + 1}`,
        code: `${lines.slice(i + 1, end).join('\n')}\n`,
        run: !flags.includes('no-run'),
      });
    }
    i = end;
  }
  return out;
}

/** The samples of the given markdown files (paths relative to `root`). */
export function samplesOf(root: string, files: readonly string[]): Sample[] {
  return files.flatMap((f) => extractSamples(f, readFileSync(`${root}/${f}`, 'utf8')));
}
