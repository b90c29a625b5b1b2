import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import {
  insideMessages,
  listingFiles,
  listingFilesUnder,
  loadMessage,
  MESSAGES_DIR,
  messageFileFor,
  notFound,
  resolveInListing,
  twinProblem,
  type MessageFile,
} from '../catalog/index.js';
import { checkMessage } from '../check/index.js';
import { UserError } from '../errors.js';
import type { Diagnostic } from '../types.js';
import type { MessageCoverage } from '../diff/index.js';
import type { Catalog } from '../catalog/index.js';
import { exampleRows } from './examples.js';
import { DEFAULT_LOCK_MAX_AGE_DAYS, staleLockWarning } from '../templates/index.js';
import type { LibraryOptions } from './options.js';
import { catalogOf, clock } from './options.js';

export interface ValidateOptions extends LibraryOptions {
  /** Message files or ids (default: the whole catalog). */
  paths?: string[];
  /** Which examples reach which template branch (`validate --coverage`). */
  coverage?: boolean;
  /** A branch reached by no example is an error, E_BRANCH_UNREACHED (`--require-coverage`; config `requireCoverage`). */
  requireCoverage?: boolean;
}
export interface ValidateResult {
  files: number;
  diagnostics: Diagnostic[];
  /** With `coverage`, `requireCoverage` or the config's `requireCoverage`: per message, its branches and the examples that reach each. */
  coverage?: MessageCoverage[];
}

/** Check the whole catalog, or the given files / message ids, reporting every problem in one pass. */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export async function validate(options: ValidateOptions): Promise<ValidateResult> {
  let catalog = await catalogOf(options, { coverage: options.coverage === true || options.requireCoverage === true });
  const requireCoverage = options.requireCoverage === true || catalog.config.requireCoverage === true;
  // The config asks for coverage: open again with templates that record their branches.
  if (requireCoverage && !options.coverage && !options.requireCoverage) catalog = await catalogOf(options, { coverage: true });
  const { root } = catalog.config;
  const files: MessageFile[] = [];
  const { lock, file: lockFile } = catalog.templateLock;
  const stale =
    lock && staleLockWarning(lock, lockFile, clock(options)().getTime(), catalog.config.lockMaxAgeDays ?? DEFAULT_LOCK_MAX_AGE_DAYS);
  const diagnostics = [...catalog.diagnostics, ...(stale ? [stale] : [])];
  if (options.paths && options.paths.length > 0) {
    for (const p of options.paths) {
      // A folder: every message of the listing inside it (reading it as a file would say EISDIR).
      if (isFolder(resolve(options.cwd, p))) {
        const under = listingFilesUnder(catalog.listing, root, options.cwd, p);
        if (under.length === 0)
          throw new UserError(
            'E_MESSAGE_NOT_FOUND',
            `${p} is a folder with no message file of the catalog in it (messages are under ${MESSAGES_DIR}/)`,
          );
        files.push(...under);
        continue;
      }
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
      else throw notFound(p, catalog.listing.messages.keys(), found.reason, { outside: found.outside === true });
    }
  } else {
    files.push(...listingFiles(catalog.listing, root, options.cwd));
    for (const [id, rels] of catalog.listing.twins)
      diagnostics.push(twinProblem(id, rels, (rel) => relative(options.cwd, join(root, MESSAGES_DIR, ...rel.split('/')))));
  }
  // A file named twice (`validate sub .`) is checked once.
  const unique = [...new Map(files.map((f) => [f.path, f])).values()];
  for (const file of unique) diagnostics.push(...checkMessage(loadMessage(file), catalog.ctx).diagnostics);
  if (!options.coverage && !requireCoverage) return { files: unique.length, diagnostics };
  const coverage = await examplesCoverage(catalog, unique);
  if (requireCoverage) {
    const { unreachedDiagnostics } = await import('../diff/index.js');
    diagnostics.push(...unreachedDiagnostics(coverage, () => 'example'));
  }
  return { files: unique.length, diagnostics, coverage };
}

/** Per message of the catalog among `files`: its branches and which examples reach each (valid messages only). */
async function examplesCoverage(catalog: Catalog, files: readonly MessageFile[]): Promise<MessageCoverage[]> {
  // The diff stage (and the data readers behind it) loads only when coverage is asked for: validate starts fast.
  const { headSide, messageCoverage } = await import('../diff/index.js');
  const side = await headSide(catalog);
  const out: MessageCoverage[] = [];
  for (const file of files) {
    const m = side.messages.get(file.id);
    const definition = m?.file === file.displayPath ? m.checked.definition : undefined;
    if (!m || !definition) continue;
    out.push(await messageCoverage(m, side, exampleRows(definition), false));
  }
  return out;
}
