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
  /** The commit whose catalog is read: REF's commit, or the merge base of REF and HEAD. */
  commit: string;
  /** REF's own commit (the branch tip); equals `commit` for a two-dot comparison. */
  tip?: string;
  /** True when `commit` is `git merge-base REF HEAD` (what a pull request's diff compares with). */
  mergeBase?: boolean;
}

/** Resolve REF for the repository holding `catalogRoot`. */
export async function resolveRevision(catalogRoot: string, ref: string): Promise<GitRevision> {
  const top = (await git(catalogRoot, ['rev-parse', '--show-toplevel'])).trim();
  const prefix = (await git(catalogRoot, ['rev-parse', '--show-prefix'])).trim();
  let commit: string;
  try {
    commit = (await git(catalogRoot, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim();
  } catch (error) {
    throw new UserError('E_GIT', `${ref} is not a commit in this repository (fetch it first, e.g. \`git fetch origin main\`)`, {
      cause: error,
    });
  }
  return { top, prefix, ref, commit };
}

/**
 * The base of a plan: `git merge-base REF HEAD` (GitHub's pull-request diff: what this branch changes,
 * whatever REF did since), or REF itself with `mergeBase: false` (the two-dot comparison).
 */
export async function resolveBase(catalogRoot: string, ref: string, options: { mergeBase: boolean }): Promise<GitRevision> {
  const rev = await resolveRevision(catalogRoot, ref);
  if (!options.mergeBase) return { ...rev, tip: rev.commit, mergeBase: false };
  let base: string;
  try {
    base = (await git(rev.top, ['merge-base', rev.commit, 'HEAD'])).trim();
  } catch (error) {
    const shallow = (await git(rev.top, ['rev-parse', '--is-shallow-repository']).catch(() => '')).trim() === 'true';
    const why = shallow
      ? 'this clone is shallow, so their history is missing: fetch it first with `git fetch --unshallow origin` (GitHub Actions: actions/checkout with `fetch-depth: 0`)'
      : 'they share no history; compare with REF itself with --no-merge-base';
    throw new UserError('E_GIT', `no merge base of ${ref} and HEAD: ${why}`, { cause: error });
  }
  if (!base) throw new UserError('E_GIT', `no merge base of ${ref} and HEAD; compare with REF itself with --no-merge-base`);
  return { ...rev, commit: base, tip: rev.commit, mergeBase: true };
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

/** Regular files only: a symlink blob (mode 120000) is never followed, a submodule (160000) never read. */
const REGULAR = new Set(['100644', '100755']);

/** `ls-tree -z` lines (`<mode> <type> <object>\t<path>`) as path → mode. */
function treeModes(out: string): Map<string, string> {
  const modes = new Map<string, string>();
  for (const entry of out.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab > 0) modes.set(entry.slice(tab + 1), entry.slice(0, entry.indexOf(' ')));
  }
  return modes;
}

/** Files under `dir` at the revision (relative to the catalog folder), and whether each is a symlink. */
export async function listEntriesAt(rev: GitRevision, dir: string): Promise<{ path: string; link: boolean }[]> {
  const out = await git(rev.top, ['ls-tree', '-r', '-z', rev.commit, '--', `${rev.prefix}${dir}`]);
  const entries: { path: string; link: boolean }[] = [];
  for (const line of out.split('\0')) {
    // "<mode> <type> <object>\t<path>"; submodules (type commit) are not files.
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type] = line.slice(0, tab).split(' ');
    if (type !== 'blob') continue;
    entries.push({ path: line.slice(tab + 1).slice(rev.prefix.length), link: mode === '120000' });
  }
  return entries;
}

/** Paths (relative to the catalog folder) of the regular files under `dir` at the revision. */
export async function listFilesAt(rev: GitRevision, dir: string): Promise<string[]> {
  const out = await git(rev.top, ['ls-tree', '-r', '-z', rev.commit, '--', `${rev.prefix}${dir}`]);
  return [...treeModes(out)].filter(([, mode]) => REGULAR.has(mode)).map(([p]) => p.slice(rev.prefix.length));
}

/** Of `paths`, those that are not regular files at the revision (symlinks, submodules, folders). */
async function irregularAt(rev: GitRevision, paths: readonly string[]): Promise<Set<string>> {
  const dirs = [...new Set(paths.map((p) => `${rev.prefix}${p}`.replace(/[^/]*$/, '')))];
  const out = await git(rev.top, ['ls-tree', '-z', rev.commit, '--', ...dirs.map((d) => d || '.')]);
  const modes = treeModes(out);
  return new Set(
    paths.filter((p) => {
      const mode = modes.get(`${rev.prefix}${p}`);
      return mode !== undefined && !REGULAR.has(mode);
    }),
  );
}

/**
 * The contents of files (paths relative to the catalog folder) at the revision; missing ones are
 * absent, and so are symlinks: a symlink blob's text is a path, and chirp never follows it.
 */
export async function readFilesAt(rev: GitRevision, paths: readonly string[]): Promise<Map<string, string>> {
  const irregular = paths.length > 0 ? await irregularAt(rev, paths) : new Set<string>();
  const files = await readBlobs(rev, paths);
  for (const p of irregular) files.delete(p);
  return files;
}

function readBlobs(rev: GitRevision, paths: readonly string[]): Promise<Map<string, string>> {
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
