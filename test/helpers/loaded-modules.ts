// Which files a chirp process loads: the built CLI run with a preload that records every module URL
// (ES modules through a loader hook, CommonJS from require's cache at exit). For tests of what a
// command pulls in at start-up; what is loaded, never how long it takes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, REPO } from './cli.js';

const HOOK = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.CHIRP_LOAD_LOG, url + '\\n');
  return next(url, context);
}`;

const PRELOAD = `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOK)}`)});
const cache = createRequire(process.cwd() + '/').cache;
process.on('exit', () => appendFileSync(process.env.CHIRP_LOAD_LOG, Object.keys(cache).map((p) => 'file://' + p + '\\n').join('')));`;

export interface LoadedModules {
  code: number | null;
  stderr: string;
  /** Every file the process loaded, as paths (ES modules and CommonJS). */
  files: string[];
}

/** Run `node dist/cli/bin.js ...args` in cwd and list the files it loaded. */
export function loadedModules(args: string[], cwd = REPO): LoadedModules {
  const dir = mkdtempSync(join(tmpdir(), 'chirp-loaded-'));
  const log = join(dir, 'loaded.txt');
  try {
    const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(PRELOAD)}`, CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', NO_COLOR: '1', CHIRP_LOAD_LOG: log },
      encoding: 'utf8',
      timeout: 60_000,
    });
    let text = '';
    try {
      text = readFileSync(log, 'utf8');
    } catch {
      // Nothing recorded: the caller sees an empty list (and its positive checks fail).
    }
    const files = [
      ...new Set(
        text
          .split('\n')
          .filter(Boolean)
          .map((u) => decodeURIComponent(new URL(u).pathname)),
      ),
    ];
    return { code: r.status, stderr: r.stderr, files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The files of a package under node_modules, or of a folder of the build (`dist/send/`). */
export const under = (files: string[], part: string): string[] => files.filter((f) => f.includes(part));
