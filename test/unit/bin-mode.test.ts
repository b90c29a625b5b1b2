// `npm run build` leaves package.json's bins executable: `npx chirp` in the repository (the README's
// tour) runs dist/cli/bin.js itself, and tsc writes files 0644. A CI once failed on this when no
// earlier test happened to have linked the package (which made npm chmod the file as a side effect).
import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';

describe('the built bins', () => {
  it('are executable by their owner, group and others, as npm would install them', () => {
    const { bin } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(Object.keys(bin).length).toBeGreaterThan(0);
    for (const [name, file] of Object.entries(bin)) {
      expect(statSync(join(REPO, file)).mode & 0o111, name).toBe(0o111);
    }
  });
});
