// GitHub Actions: when GITHUB_ACTIONS=true, commands append a summary to $GITHUB_STEP_SUMMARY and
// outputs to $GITHUB_OUTPUT. Only counts, ids and masked texts go there: never a secret or a number.
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { githubOutputs } from '../report/index.js';
import type { Io } from './io.js';

export function inGithubActions(io: Io): boolean {
  return io.env.GITHUB_ACTIONS === 'true';
}

/** Appends the job summary and the step outputs, if the runner gave their files. */
export function writeGithub(io: Io, summary: string | undefined, outputs: Record<string, string | number | boolean>): void {
  if (!inGithubActions(io)) return;
  if (summary && io.env.GITHUB_STEP_SUMMARY) appendFileSync(io.env.GITHUB_STEP_SUMMARY, summary.endsWith('\n') ? summary : `${summary}\n`);
  if (io.env.GITHUB_OUTPUT) appendFileSync(io.env.GITHUB_OUTPUT, githubOutputs(outputs));
}

/** Maps a path as chirp shows it (relative to cwd) to the path relative to the repository root. */
export function repositoryPath(io: Io): (file: string) => string {
  let root: string | undefined;
  try {
    root = execFileSync('git', ['rev-parse', '--show-toplevel'], {
      cwd: io.cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    root = io.env.GITHUB_WORKSPACE;
  }
  return (file) => {
    if (!root || file.startsWith('<')) return file;
    // Only the platform's separator becomes '/': a `\n` shown in an escaped file name stays as it is.
    return relative(root, resolve(io.cwd, file)).split(sep).join('/');
  };
}
