// The files test/sequencer.ts starts first exist: a renamed or split file would otherwise silently
// fall back to starting by size (last, when small).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';
import { SLOW_FIRST } from '../sequencer.js';

describe('the slow-first order of test files', () => {
  it('names only test files that exist, each once', () => {
    expect(SLOW_FIRST.filter((file) => !existsSync(join(REPO, file)))).toEqual([]);
    expect(new Set(SLOW_FIRST).size).toBe(SLOW_FIRST.length);
    expect(SLOW_FIRST.every((file) => /^test\/.+\.test\.ts$/.test(file))).toBe(true);
  });
});
