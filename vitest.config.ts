import { defineConfig } from 'vitest/config';
import { ISOLATED } from './test/isolated.js';
import { SlowFirstSequencer } from './test/sequencer.js';

// Tests spawn the built CLI (dist/), so `npm test` builds first.
// .ci/run sets CHIRP_VITEST_JSON to count passes and failures from vitest's JSON reporter.
const jsonOut = process.env.CHIRP_VITEST_JSON;

// eslint-disable-next-line no-restricted-syntax -- vitest reads the default export
export default defineConfig({
  test: {
    // Most test time is waiting (child processes, the fake Bird's latency, git, npm), not CPU: four
    // workers on the 2-core machines overlap the waits (≈120 s for the suite instead of ≈290 s with the default).
    maxWorkers: 4,
    setupFiles: ['test/setup.ts'],
    // The slowest files start first, also in a fresh clone where vitest has no timings (test/sequencer.ts).
    sequence: { sequencer: SlowFirstSequencer },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: jsonOut ? ['default', ['json', { outputFile: jsonOut }]] : ['default'],
    // Files share their worker's module graph (chirp's sources imported once per worker, not once per
    // file), except those that mock modules or globals (test/isolated.ts).
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ISOLATED, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ISOLATED, isolate: true } },
    ],
  },
});
