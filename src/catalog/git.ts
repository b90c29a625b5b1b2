// Read files at a git revision straight from the object store: no checkout, no change to the
// working tree. One `git cat-file --batch` process serves any number of files.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { UserError } from '../errors.js';

const run = promisify(execFile);

async function git(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new UserError('E_GIT', `git ${args[0]} failed: ${stderr || (error as Error).message}`, { cause: error });
  }
}

export interface GitRevision {
  /** The repository's top folder. */
  top: string;
  /** The catalog folder relative to `top` ('' or ending in '/'). */
  prefix: string;
  ref: string;
  commit: string;
}

/** Resolve REF for the repository holding `catalogRoot`. */
export async function resolveRevision(catalogRoot: string, ref: string): Promise<GitRevision> {
  const top = (await git(catalogRoot, ['rev-parse', '--show-toplevel'])).trim();
  const prefix = (await git(catalogRoot, ['rev-parse', '--show-prefix'])).trim();
  let commit: string;
  try {
    commit = (await git(catalogRoot, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim();
  } catch (error) {
    throw new UserError('E_GIT', `${ref} is not a commit in this repository (fetch it first, e.g. \`git fetch origin main\`)`, { cause: error });
  }
  return { top, prefix, ref, commit };
}

/** The commit HEAD points at, and whether the working tree has changes; undefined outside a repository. */
export async function headCommit(cwd: string): Promise<{ commit: string; dirty: boolean } | undefined> {
  try {
    const commit = (await git(cwd, ['rev-parse', 'HEAD'])).trim();
    const dirty = (await git(cwd, ['status', '--porcelain'])).trim() !== '';
    return { commit, dirty };
  } catch {
    return undefined;
  }
}

/** Paths (relative to the catalog folder) of the files under `dir` at the revision. */
export async function listFilesAt(rev: GitRevision, dir: string): Promise<string[]> {
  const out = await git(rev.top, ['ls-tree', '-r', '-z', '--name-only', rev.commit, '--', `${rev.prefix}${dir}`]);
  return out.split('\0').filter(Boolean).map((p) => p.slice(rev.prefix.length));
}

/** The contents of files (paths relative to the catalog folder) at the revision; missing ones are absent. */
export function readFilesAt(rev: GitRevision, paths: readonly string[]): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: rev.top, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new UserError('E_GIT', `git cat-file failed (${code})`));
      const out = Buffer.concat(chunks);
      const files = new Map<string, string>();
      let pos = 0;
      for (const path of paths) {
        const eol = out.indexOf(10, pos);
        const header = out.subarray(pos, eol).toString('utf8');
        pos = eol + 1;
        if (header.endsWith(' missing')) continue;
        const size = Number(header.split(' ')[2]);
        files.set(path, out.subarray(pos, pos + size).toString('utf8'));
        pos += size + 1;
      }
      resolve(files);
    });
    child.stdin.end(paths.map((p) => `${rev.commit}:${rev.prefix}${p}\n`).join(''));
  });
}
