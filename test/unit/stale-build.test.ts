// The threaded-render and threaded-send property tests run the build (test/helpers/render-threads.ts):
// a build older than the sources would let them pass on the old code, so they refuse it by name.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleBuild } from '../helpers/render-threads.js';
import { tempDir } from '../helpers/temp.js';

describe('a stale build is refused by the tests that run the build', () => {
  it('names a source newer than its output, or without one; a fresh build has none', () => {
    const root = tempDir('chirp-stale-');
    const [src, dist] = [join(root, 'src'), join(root, 'dist')];
    for (const dir of [join(src, 'render'), join(dist, 'render')]) mkdirSync(dir, { recursive: true });
    const old = new Date('2026-01-01T00:00:00Z');
    const later = new Date('2026-01-02T00:00:00Z');
    writeFileSync(join(src, 'render', 'parallel.ts'), '');
    writeFileSync(join(src, 'types.d.ts'), '');
    writeFileSync(join(dist, 'render', 'parallel.js'), '');
    utimesSync(join(src, 'render', 'parallel.ts'), old, old);
    utimesSync(join(dist, 'render', 'parallel.js'), later, later);
    expect(staleBuild(src, dist)).toEqual([]);
    // The source edited after the build.
    utimesSync(join(src, 'render', 'parallel.ts'), later, new Date(later.getTime() + 1000));
    expect(staleBuild(src, dist)).toEqual(['src/render/parallel.ts']);
    // A new source never built.
    writeFileSync(join(src, 'pool.ts'), '');
    expect(staleBuild(src, dist)).toEqual(['src/pool.ts', 'src/render/parallel.ts']);
  });
});
