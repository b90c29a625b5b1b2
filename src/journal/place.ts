// Where the default journal folder may live: `.chirp/journal` inside the catalog, as real folders.
// A `.chirp` (or `.chirp/journal`) that is a symlink would put the journal elsewhere: the `.chirp/`
// pattern of .gitignore does not match a link, and a CI cache could restore the link without the
// journal it points to, so a re-run would not know who was already sent. `--journal` names any folder.
import { lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative } from 'node:path';

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Why the default journal folder `dir` (root/.chirp/journal) cannot be used, or undefined. */
export function defaultJournalProblem(root: string, dir: string): string | undefined {
  for (const path of [dirname(dir), dir]) {
    let link: boolean;
    try {
      link = lstatSync(path).isSymbolicLink();
    } catch {
      return undefined; // missing: created as a real folder when the first run starts
    }
    if (link) return `${path} is a symlink; chirp keeps its journal in a real folder inside the catalog`;
    let real: string;
    let realRoot: string;
    try {
      real = realpathSync(path);
      realRoot = realpathSync(root);
    } catch {
      return undefined;
    }
    if (!inside(realRoot, real)) return `${path} resolves outside the catalog folder (${real})`;
  }
  return undefined;
}
