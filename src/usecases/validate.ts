import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import {
  insideMessages,
  listingFiles,
  loadMessage,
  MESSAGES_DIR,
  messageFileFor,
  notFound,
  resolveInListing,
  twinProblem,
  type MessageFile,
} from '../catalog/index.js';
import { checkMessage } from '../check/index.js';
import type { Diagnostic } from '../types.js';
import { DEFAULT_LOCK_MAX_AGE_DAYS, staleLockWarning } from '../templates/index.js';
import type { LibraryOptions } from './options.js';
import { catalogOf, clock } from './options.js';

export interface ValidateOptions extends LibraryOptions {
  /** Message files or ids (default: the whole catalog). */
  paths?: string[];
}
export interface ValidateResult {
  files: number;
  diagnostics: Diagnostic[];
}

/** Check the whole catalog, or the given files / message ids, reporting every problem in one pass. */
export async function validate(options: ValidateOptions): Promise<ValidateResult> {
  const catalog = await catalogOf(options);
  const { root } = catalog.config;
  const files: MessageFile[] = [];
  const { lock, file: lockFile } = catalog.templateLock;
  const stale =
    lock && staleLockWarning(lock, lockFile, clock(options)().getTime(), catalog.config.lockMaxAgeDays ?? DEFAULT_LOCK_MAX_AGE_DAYS);
  const diagnostics = [...catalog.diagnostics, ...(stale ? [stale] : [])];
  if (options.paths && options.paths.length > 0) {
    for (const p of options.paths) {
      // A file outside messages/ can be checked (it has no id to send under); inside, the listing rule applies.
      if (existsSync(resolve(options.cwd, p)) && insideMessages(root, options.cwd, p) === undefined) {
        files.push(messageFileFor(root, options.cwd, p));
        continue;
      }
      const found = resolveInListing(catalog.listing, root, options.cwd, p);
      if (found.ok) files.push(found.file);
      else if (found.twin) diagnostics.push(found.twin);
      // A file the listing skips (a draft in a hidden folder) can still be checked when named.
      else if (existsSync(resolve(options.cwd, p))) files.push(messageFileFor(root, options.cwd, p));
      else throw notFound(p, catalog.listing.messages.keys(), found.reason);
    }
  } else {
    files.push(...listingFiles(catalog.listing, root, options.cwd));
    for (const [id, rels] of catalog.listing.twins)
      diagnostics.push(twinProblem(id, rels, (rel) => relative(options.cwd, join(root, MESSAGES_DIR, ...rel.split('/')))));
  }
  for (const file of files) diagnostics.push(...checkMessage(await loadMessage(file), catalog.ctx).diagnostics);
  return { files: files.length, diagnostics };
}
