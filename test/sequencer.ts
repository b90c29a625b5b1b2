// The order test files start in (vitest.config.ts). vitest runs the files it has timed before longest
// first; in a fresh clone (no cache: CI, `npm ci && npm test`) it knows no times and starts the
// largest files first, so a small file with one long test (the README tour: 18 s) started last and
// the suite waited for it alone. The files measured slowest start first, then vitest's own order.
// `--sequence.shuffle` still shuffles every file (seeded: vitest prints the seed).
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Slowest first (docs/benchmarks.md, "the test suite"); a file missing here only starts later. */
export const SLOW_FIRST = [
  'test/cli/package.test.ts',
  'test/cli/readme-tour.test.ts',
  'test/cli/preview.browser.test.ts',
  'test/cli/action.test.ts',
  'test/cli/status-truth.test.ts',
  'test/unit/render-parallel.test.ts',
  'test/cli/send-soak.test.ts',
  'test/unit/status-chunks.test.ts',
  'test/cli/docs.test.ts',
  'test/cli/render-threads.test.ts',
  'test/cli/run-story.test.ts',
  // Small files with a few slow tests (processes, worker threads): by size they started last.
  'test/cli/process.test.ts',
  'test/cli/render-determinism.test.ts',
  'test/unit/render-parallel-typed.test.ts',
];

/** A seeded Fisher–Yates shuffle (mulberry32): the same seed gives the same order. */
function shuffled<T>(items: T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { shuffle, seed } = this.ctx.config.sequence;
    if (shuffle) return shuffled(files, seed);
    const base = await super.sort(files);
    const rank = (file: TestSpecification): number => {
      const i = SLOW_FIRST.findIndex((slow) => file.moduleId.endsWith(`/${slow}`));
      return i === -1 ? SLOW_FIRST.length : i;
    };
    // Array.prototype.sort is stable: the files not listed keep vitest's order.
    return base.sort((a, b) => rank(a) - rank(b));
  }
}
