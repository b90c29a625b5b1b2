// A file that mocks a module or a global must run isolated (test/isolated.ts): in the shared module
// graph its mock would reach the files after it, or miss a module another file loaded first.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';
import { ISOLATED } from '../isolated.js';

const MOCKS = /\bvi\s*\.\s*(mock|doMock|spyOn|stubGlobal|stubEnv|useFakeTimers|hoisted)\b/;

describe('isolated test files', () => {
  it('every file that mocks is listed, and every listed file exists', () => {
    const files = readdirSync(join(REPO, 'test'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => `test/${f.split('\\').join('/')}`);
    const mocking = files.filter((f) => f !== 'test/unit/isolated.test.ts' && MOCKS.test(readFileSync(join(REPO, f), 'utf8')));
    expect(mocking.length).toBeGreaterThan(0);
    expect(mocking.filter((f) => !ISOLATED.includes(f))).toEqual([]);
    for (const f of ISOLATED) expect(existsSync(join(REPO, f)), f).toBe(true);
  });
});
