// The README's five-minute tour runs to the end as written, `status --wait` included.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';
import { bash, baseEnv, freePort } from '../helpers/shell.js';
import { tempDir } from '../helpers/temp.js';

describe('README tour', () => {
  it('runs to the end as written (after `npm ci && npm run build`), status --wait included', async () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## A five-minute tour'));
    const tour = (/^```sh\n([\s\S]*?)^```$/m.exec(section)?.[1] ?? '').trimEnd().split('\n');
    expect(tour[0]).toMatch(/^npm ci && npm run build/);
    expect(tour.join('\n')).toMatch(/chirp status --wait/);
    // The one change: a free port instead of 8787, which another process may hold.
    const port = await freePort();
    // npx itself finds the repository's bin once (the first command); after that the bin runs without npx's own
    // npm start (≈ 1-2 s each), as the tour's first line says it may (`node dist/cli/bin.js …`).
    const npx = `npx() { if [ "$1" = chirp ] && [ -n "$npx_found" ]; then shift; node dist/cli/bin.js "$@"; else npx_found=1; command npx "$@"; fi; }`;
    const script = [npx, ...tour.slice(1)].join('\n').replaceAll('8787', String(port));
    const result = await bash(script, REPO, { ...baseEnv(), TMPDIR: tempDir('chirp-tour-') });
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/state: every message reached a final state/);
    expect(result.output).toMatch(/status: nothing-to-send/);
  }, 240_000);
});
