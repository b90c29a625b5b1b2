// `render --threads 2` whose worker thread dies: E_RENDER_WORKER (exit 1, render again), as for send's
// whole-list check, never "internal error … a bug in chirp" (exit 70). The worker is killed the
// deterministic way (test/helpers/kill-render-worker.js: terminated when handed its first batch).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { makeCatalog } from '../helpers/catalog.js';
import { NOTICE, phone } from '../helpers/send.js';

const KILLER = pathToFileURL(fileURLToPath(new URL('../helpers/kill-render-worker.js', import.meta.url))).href;

describe('a render worker dies during render --threads 2', () => {
  it('stops with E_RENDER_WORKER, exit 1 (CSV and stdin)', async () => {
    const root = makeCatalog({ 'messages/notice.yaml': NOTICE });
    const lines = ['phone,name', ...Array.from({ length: 300 }, (_, i) => `${phone(i)},Person ${i}`)];
    writeFileSync(join(root, 'rows.csv'), `${lines.join('\n')}\n`);
    const csv = `${lines.join('\n')}\n`;
    for (const data of ['rows.csv', '-']) {
      const result = await runCli(['render', 'notice', '--data', data, '--data-format', 'csv', '--threads', '2'], {
        cwd: root,
        spawn: true,
        env: { NODE_OPTIONS: `--import=${KILLER}` },
        ...(data === '-' ? { input: csv } : {}),
      });
      expect(result.stderr).not.toMatch(/internal error|a bug in chirp/i);
      expect(result.stderr).toMatch(/a render worker stopped \(exit code \d+\) while rendering \(render again, or with --threads 1\)/);
      expect(result.stderr).toMatch(/E_RENDER_WORKER/);
      expect(result.code).toBe(1);
    }
  }, 60_000);
});
