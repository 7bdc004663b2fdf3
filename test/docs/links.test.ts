// The documentation's links: every relative link of README.md, docs/*.md and bench/results
// names a file that exists (and a heading that exists, for an #anchor into markdown), and
// every link into the API reference names a page TypeDoc writes. The reference is built as
// `npm run docs` builds it, warnings as errors, so a broken {@link} or an unexported type
// fails here too.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify, stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Where `npm run docs` writes the reference (typedoc.json's `out`). */
const API_DIR = join(ROOT, 'docs', 'api');

function markdownFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return p === API_DIR ? [] : markdownFiles(p);
    return f.endsWith('.md') ? [p] : [];
  });
}

/**
 * The reports `m3e compare` wrote (`report.md`, `*-report.md`) are kept as the runs left
 * them, charts not always included: their links are the runner's, not the documentation's.
 */
const isRunReport = (f: string) => /(^|[-/])report\.md$/.test(f);
const FILES = [
  join(ROOT, 'README.md'),
  ...markdownFiles(join(ROOT, 'docs')),
  ...markdownFiles(join(ROOT, 'bench', 'results')).filter((f) => !isRunReport(f)),
];

/** Markdown text without fenced code blocks and inline code spans. */
function proseOf(text: string): string {
  return text
    .replace(/^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm, '')
    .replace(/`+[^`\n]*`+/g, '');
}

/** The targets of the inline links and images of a markdown text. */
function linkTargets(text: string): string[] {
  return [...proseOf(text).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(file: string): Set<string> {
  const headings = proseOf(readFileSync(file, 'utf8'))
    .split('\n')
    .filter((l) => /^#{1,6}\s/.test(l))
    .map((l) => l.replace(/^#+\s+/, ''));
  // Headings are sluggified with their code spans, which proseOf removed: read them again.
  const raw = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => /^#{1,6}\s/.test(l))
    .map((l) => l.replace(/^#+\s+/, ''));
  return new Set([...headings, ...raw].map(slug));
}

interface Link {
  readonly from: string;
  readonly target: string;
}

const links: Link[] = FILES.flatMap((f) =>
  linkTargets(readFileSync(f, 'utf8'))
    .filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith('#'))
    .map((target) => ({ from: f, target })),
);
const isApi = (l: Link) => resolve(dirname(l.from), l.target.split('#')[0]!).startsWith(`${API_DIR}/`);

describe('documentation links', () => {
  it('finds links and anchors the way GitHub renders them', () => {
    expect(linkTargets('[a](b.md) `[c](d.md)` ![e](f.svg "t")\n```\n[g](h.md)\n```\n')).toEqual([
      'b.md',
      'f.svg',
    ]);
    expect(slug('Where m3e differs from MAESTRO (default mode) and `--maestro-compat`')).toBe(
      'where-m3e-differs-from-maestro-default-mode-and---maestro-compat',
    );
    expect(links.length).toBeGreaterThan(20);
  });

  it('every relative link names an existing file, and an existing heading', () => {
    const broken: string[] = [];
    for (const l of links.filter((l) => !isApi(l))) {
      const [path, anchor] = l.target.split('#');
      const file = resolve(dirname(l.from), path!);
      const where = `${relative(ROOT, l.from)} -> ${l.target}`;
      if (!existsSync(file)) broken.push(`${where} (no such file)`);
      else if (anchor && file.endsWith('.md') && !anchorsOf(file).has(anchor))
        broken.push(`${where} (no such heading)`);
    }
    expect(broken).toEqual([]);
  });
});

describe('the API reference', () => {
  let out = '';
  let log = '';
  beforeAll(async () => {
    out = tempDir('m3e-api-');
    const typedoc = join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc');
    const r = await promisify(execFile)(process.execPath, [typedoc, '--out', out], {
      cwd: ROOT,
      maxBuffer: 16 << 20,
    }).catch((e: { stdout?: string; stderr?: string }) => ({
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? String(e),
    }));
    log = `${r.stdout}${r.stderr}`;
  }, 300_000);
  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('builds without warnings (npm run docs)', () => {
    expect(
      stripVTControlCharacters(log)
        .split('\n')
        .filter((l) => /warning|error/i.test(l)),
    ).toEqual([]);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
  });

  it('has a page for every link into it', () => {
    const api = links.filter(isApi);
    expect(api.length).toBeGreaterThan(10);
    const missing = api.filter((l) => {
      const page = relative(API_DIR, resolve(dirname(l.from), l.target.split('#')[0]!));
      return !existsSync(join(out, page));
    });
    expect(missing.map((l) => `${relative(ROOT, l.from)} -> ${l.target}`)).toEqual([]);
  });
});
