// The catalog's walls: every file chirp reads for a catalog resolves inside the catalog folder.
// A symlink that leaves it (a partial linked to ~/.ssh/id_rsa, a message linked to /etc/passwd) is
// refused, never read: `plan --format markdown` would otherwise print it into a pull request.
// Message ids become paths, so they are checked before they are joined to one.
import { realpathSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { UserError } from '../errors.js';
import type { Diagnostic } from '../types.js';

/** The real path of `path`, or undefined when it does not exist (a dangling symlink, too). */
function real(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

function within(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

const roots = new Map<string, string>();
function realRoot(root: string): string {
  let value = roots.get(root);
  if (value === undefined) {
    value = real(root) ?? root;
    roots.set(root, value);
  }
  return value;
}

/**
 * Why `path`, a file of the catalog at `root`, may not be read (it resolves outside it), or undefined.
 * A path that is outside the catalog as written was given by the user (`chirp validate ~/draft.yaml`):
 * their choice, like `--data`. What the catalog's own entries lead to is what a pull request controls.
 */
export function wallProblem(root: string, path: string): string | undefined {
  if (!within(root, path)) return undefined;
  const resolved = real(path);
  if (resolved === undefined) return undefined; // missing: the reader reports it as such
  if (!within(realRoot(root), resolved))
    return 'is a symlink (or inside a linked folder) that leads outside the catalog folder; chirp reads only files inside it';
  return undefined;
}

/** The diagnostic for a file behind the wall. */
export function wallDiagnostic(file: string, problem: string): Diagnostic {
  return {
    code: 'E_OUTSIDE_CATALOG',
    severity: 'error',
    file,
    line: 1,
    column: 1,
    pointer: '',
    message: `${file} ${problem}`,
    hint: 'copy the file into the catalog instead of linking to it',
  };
}

/** Throws a UserError when `path` resolves outside the catalog. */
export function assertInside(root: string, path: string, display: string): void {
  const problem = wallProblem(root, path);
  if (problem)
    throw new UserError('E_OUTSIDE_CATALOG', `refusing to read ${display}: it ${problem}`, {
      diagnostics: [wallDiagnostic(display, problem)],
    });
}

/** A message id segment: any file-name characters but separators and controls. */
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const SEGMENT = /^[^/\\\u0000-\u001f]+$/;

/** A message id: `/`-separated segments, none empty, `.` or `..` (so it cannot leave messages/). */
export function isMessageId(id: string): boolean {
  if (id === '' || id.length > 512) return false;
  return id.split('/').every((s) => SEGMENT.test(s) && s !== '.' && s !== '..');
}
