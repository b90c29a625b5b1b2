import { checkFolder, type CheckedFile } from '../journal/index.js';
import { listRunStates, type RunList } from '../status/index.js';
import type { LibraryOptions } from './common.js';
import { catalogOf, journalDir } from './common.js';

export interface JournalCheckOptions extends LibraryOptions {
  journal?: string;
}

export interface JournalCheckResult {
  dir: string;
  files: CheckedFile[];
  /** Files with damage (a send refuses while there is any, unless --damaged-as-unknown). */
  damaged: number;
}

/** Every journal in the folder read in full: what is damaged, where, and what each file covered. */
export async function journalCheck(options: JournalCheckOptions): Promise<JournalCheckResult> {
  const catalog = await catalogOf(options);
  const dir = journalDir(options, catalog, options.journal);
  const files = await checkFolder(dir);
  return { dir, files, damaged: files.filter((f) => f.damage.length > 0).length };
}

/** Every run in the journal folder, newest first, with its state and counts (from the journal only). */
export async function journalList(options: JournalCheckOptions & { pid?: number }): Promise<RunList> {
  const catalog = await catalogOf(options);
  return listRunStates(journalDir(options, catalog, options.journal), options.pid ?? 0);
}
