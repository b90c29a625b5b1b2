// Test files that replace modules or globals (vi.mock, vi.doMock, vi.spyOn, vi.stubGlobal, vi.stubEnv,
// fake timers) run isolated, each in a module graph of its own. Every other file shares its worker's
// module graph with the files before it (vitest's `isolate: false`): importing chirp's sources once per
// worker instead of once per file takes about a third off the suite (docs/benchmarks.md, "the test
// suite"). test/unit/isolated.test.ts fails when a file that mocks is missing here.
export const ISOLATED = [
  'test/unit/list-lock-race.test.ts',
  'test/unit/render-parallel.test.ts',
  'test/unit/resume-renders.test.ts',
  'test/unit/send-threads.test.ts',
];
