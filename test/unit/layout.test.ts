// The house keeps its shape: imports between the parts of src/ (a folder, or a loose file) form no cycle,
// type-only imports included (a loop of types still means neither part can be read alone), every import
// runs down the one order below (a part may import only parts listed before it), and no source file
// outgrows one sitting. docs/design.md opens with the same order, as a table (checked here too).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');
const MAX_LINES = 450;
/** Files waiting for a split (none: send/run.ts was split for issue #22). */
const SPLIT_PENDING = new Set<string>([]);

/**
 * The floors of the house, bottom first: a part may import only the parts before it. A new folder or
 * loose file gets its place here and a row in docs/design.md's table.
 */
export const ORDER = [
  'errors',
  'types',
  'util',
  'package-info',
  'version',
  'defaults',
  'schema',
  'transport',
  'templates',
  'render',
  'catalog',
  'check',
  'sources',
  'consent',
  'journal',
  'diff',
  'saved-plan',
  'send',
  'status',
  'template-uses',
  'report',
  'usecases',
  'index',
  'preview',
  'fake-bird',
  'cli',
] as const;

/** Edges that run up or sideways in the order (or from/to a part the order does not know). */
export function upwardEdges(graph: Map<string, Map<string, string>>, order: readonly string[]): string[] {
  const out: string[] = [];
  for (const [from, edges] of graph) {
    for (const [to, file] of edges) {
      const i = order.indexOf(from);
      const j = order.indexOf(to);
      if (i < 0 || j < 0 || j >= i) out.push(`${from} → ${to} (${file})`);
    }
  }
  return out.sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** The part a file belongs to: its top folder under src/, or the loose file's name. */
const partOf = (file: string): string => relative(SRC, file).split('/')[0]!.replace(/\.ts$/, '');

/** Relative import specifiers of a file (static, dynamic and re-exports). */
function importsOf(text: string): string[] {
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) specs.push(m[1]!);
  return specs;
}

/** Every edge part → part, with one file that makes it. */
export function partGraph(files: readonly string[]): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of files) {
    const from = partOf(file);
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(SRC + '/')) continue;
      const to = partOf(target.replace(/\.js$/, '.ts'));
      if (to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, relative(SRC, file));
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Strongly connected components of more than one part (Tarjan). */
export function cycles(graph: Map<string, Map<string, string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('the layout of src/', () => {
  const files = sourceFiles(SRC);

  it('has no import cycle between its parts', () => {
    const graph = partGraph(files);
    const described = cycles(graph).map((scc) =>
      scc
        .flatMap((from) => scc.filter((to) => graph.get(from)?.has(to)).map((to) => `${from} → ${to} (${graph.get(from)!.get(to)})`))
        .join('; '),
    );
    expect(described).toEqual([]);
  });

  it('finds a cycle when there is one (the check can fail)', () => {
    const graph = new Map([
      ['a', new Map([['b', 'a.ts']])],
      ['b', new Map([['c', 'b/x.ts']])],
      ['c', new Map([['a', 'c/y.ts']])],
      ['d', new Map([['a', 'd.ts']])],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
  });

  it('runs every import down the order (a part imports only parts before it in ORDER)', () => {
    expect(upwardEdges(partGraph(files), ORDER)).toEqual([]);
    const parts = [...new Set(files.map(partOf))].sort();
    expect(
      parts.filter((p) => !(ORDER as readonly string[]).includes(p)),
      'parts of src/ without a place in ORDER',
    ).toEqual([]);
  });

  it('sees an import that runs up the order (the check can fail)', () => {
    const graph = new Map([
      ['render', new Map([['catalog', 'render/template.ts']])],
      ['catalog', new Map([['render', 'catalog/yaml-source.ts']])],
      ['newpart', new Map([['util', 'newpart.ts']])],
    ]);
    expect(upwardEdges(graph, ORDER)).toEqual(['newpart → util (newpart.ts)', 'render → catalog (render/template.ts)']);
  });

  it("matches docs/design.md's table of the house, row by row", () => {
    const design = readFileSync(resolve(SRC, '../docs/design.md'), 'utf8');
    const table = /<!-- house:start -->([\s\S]*?)<!-- house:end -->/.exec(design)?.[1] ?? '';
    const rows = [...table.matchAll(/^\| \d+ \| `src\/([a-z-]+)(?:\.ts|\/)`/gm)].map((m) => m[1]);
    expect(rows).toEqual([...ORDER]);
  });

  it(`keeps every hand-written source file under ${MAX_LINES} lines`, () => {
    const long = files
      .filter((f) => !f.includes('generated'))
      .map((f) => [relative(SRC, f), readFileSync(f, 'utf8').split('\n').length - 1] as const)
      .filter(([f, n]) => n > MAX_LINES && !SPLIT_PENDING.has(f));
    expect(long).toEqual([]);
  });
});
