// The package's layers, bottom to top: src/ (the library) -> models/ (the model zoo) ->
// envs/ (the gym) -> agents/ (RL) -> app/ (CLI and experiment runner). A module imports only
// from its own layer or below, and the module graph has no cycle. Type-only imports count
// too: a layer that needs a higher one's types is as tangled as one that calls it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LAYERS = ['src', 'models', 'envs', 'agents', 'app'] as const;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'data' ? [] : sources(p);
    return /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative module specifiers of a file: static imports and re-exports, and dynamic imports. */
function importsOf(text: string): string[] {
  const out: string[] = [];
  const patterns = [
    /\b(?:import|export)\b[^'";]*?\bfrom\s*['"](\.[^'"]+)['"]/g,
    /\bimport\s*\(\s*['"](\.[^'"]+)['"]\s*\)/g,
    /^\s*import\s*['"](\.[^'"]+)['"]/gm,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) out.push(m[1]!);
  return out;
}

function layerOf(file: string): number {
  return LAYERS.indexOf(relative(ROOT, file).split(/[\\/]/)[0] as (typeof LAYERS)[number]);
}

/** The file a specifier names (`./x.js` is compiled from `./x.ts`). */
function target(from: string, spec: string): string {
  const p = resolve(dirname(from), spec);
  return p.endsWith('.js') && !p.includes(`${ROOT}/app/cli/bin.js`) ? p.replace(/\.js$/, '.ts') : p;
}

const files = LAYERS.flatMap((l) => sources(join(ROOT, l)));
const graph = new Map(
  files.map((f) => [f, importsOf(readFileSync(f, 'utf8')).map((s) => target(f, s))] as const),
);

describe('architecture', () => {
  it('finds the imports of every form', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      "export { c } from './c.js';",
      "export * from './d.js';",
      "import './e.js';",
      "const f = await import('./f.js');",
      "import {\n  g,\n  h,\n} from './gh.js';",
      "import { x } from 'zod';",
    ].join('\n');
    expect(importsOf(text).sort()).toEqual(
      ['../b.js', './a.js', './c.js', './d.js', './e.js', './f.js', './gh.js'].sort(),
    );
  });

  it('every module imports only from its own layer or below', () => {
    const upward: string[] = [];
    for (const [file, deps] of graph) {
      for (const dep of deps) {
        const to = layerOf(dep);
        if (to < 0) upward.push(`${relative(ROOT, file)} -> ${relative(ROOT, dep)} (outside the layers)`);
        else if (to > layerOf(file)) upward.push(`${relative(ROOT, file)} -> ${relative(ROOT, dep)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('every import names an existing module', () => {
    const missing = [...graph].flatMap(([file, deps]) =>
      deps.filter((d) => !graph.has(d)).map((d) => `${relative(ROOT, file)} -> ${relative(ROOT, d)}`),
    );
    expect(missing).toEqual([]);
  });

  it('the module graph has no cycle', () => {
    // Tarjan's strongly connected components: any component of two or more modules is a cycle.
    let counter = 0;
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    const visit = (v: string) => {
      index.set(v, counter);
      low.set(v, counter++);
      stack.push(v);
      onStack.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!graph.has(w)) continue;
        if (!index.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(relative(ROOT, w));
        } while (w !== v);
        if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
      }
    };
    for (const f of graph.keys()) if (!index.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });
});
