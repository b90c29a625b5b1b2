// Read the catalog: which files under messages/ are messages and partials (the ONE listing rule, used
// by validate, render, send and both sides of plan), and how a MESSAGE argument names one of them.
//
// The rule, on a path relative to messages/ ('/'-separated), the same for the working tree (readdir)
// and a git revision (ls-tree):
// - anything with a path segment starting with `.` (hidden files and folders) is not read;
// - `_partials/NAME.hbs` (directly in messages/_partials) is the partial NAME; nothing else inside a
//   folder named `_partials` (at any depth) is a message;
// - every other `*.yaml` / `*.yml` is a message; its id is the path without the extension;
// - two files with one id (`x.yaml` + `x.yml`) are twins: an error, and neither is read;
// - a path with a control character (a newline, ESC, a bidi override; git allows them) is refused with
//   E_MESSAGE_NAME, never read: its name would reach every output (a newline starts a GitHub workflow command);
// - a symlink is decided by `symlinkProblem` (one call site per side; see the walls rule).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { readYamlSource, type YamlSource } from './yaml-source.js';
import { normaliseNewlines } from './newlines.js';
import { isMessageId, wallDiagnostic, wallProblem } from './walls.js';
import type { Diagnostic } from '../types.js';
import { hasControlChar, oneLine } from '../util/index.js';

export const MESSAGES_DIR = 'messages';
export const PARTIALS_DIR = '_partials';
export const MESSAGE_EXTENSIONS: readonly string[] = ['.yaml', '.yml'];

export interface MessageFile {
  /** `releases/notice` for messages/releases/notice.yaml: always the path inside messages/. */
  id: string;
  /** Absolute path. */
  path: string;
  /** Path shown to users: relative to cwd. */
  displayPath: string;
  /** The catalog folder the file is read for (its walls: see walls.ts). */
  root?: string;
}

export interface LoadedMessage extends MessageFile {
  source: YamlSource;
}

/** One entry found under messages/: a file, or a symlink (never followed by the listing). */
export interface ListedEntry {
  /** Relative to messages/, '/'-separated. */
  rel: string;
  link: boolean;
}

export type EntryKind =
  | { kind: 'message'; id: string }
  | { kind: 'partial'; name: string }
  | { kind: 'ignored'; why: 'hidden' | 'partials folder' | 'not a message file' };

/** The listing rule for one path relative to messages/. Pure: the working tree and git share it. */
export function classifyEntry(rel: string): EntryKind {
  const segments = rel.split('/');
  if (segments.some((s) => s.startsWith('.'))) return { kind: 'ignored', why: 'hidden' };
  const name = segments.at(-1)!;
  if (segments.length === 2 && segments[0] === PARTIALS_DIR && name.endsWith('.hbs') && name.length > 4)
    return { kind: 'partial', name: name.slice(0, -4) };
  if (segments.includes(PARTIALS_DIR)) return { kind: 'ignored', why: 'partials folder' };
  const ext = extname(name);
  if (!MESSAGE_EXTENSIONS.includes(ext) || name.length === ext.length) return { kind: 'ignored', why: 'not a message file' };
  return { kind: 'message', id: rel.slice(0, -ext.length) };
}

/**
 * A symlink under messages/: the one place the listing decides about links (the walls rule of
 * src/catalog/walls.ts may refine it). Today no symlink is read on either side: a git symlink blob is
 * never followed, so following one on disk would make the two sides of a plan differ.
 */
export function symlinkProblem(rel: string, display: string): Diagnostic {
  return {
    code: 'E_CATALOG_SYMLINK',
    severity: 'error',
    file: display,
    line: 1,
    column: 1,
    pointer: '',
    message: `${MESSAGES_DIR}/${rel} is a symlink; chirp does not follow symlinks in the catalog (a git revision stores only the link), so it is not read`,
    hint: 'replace the link with the file itself (or a partial for shared text)',
  };
}

export interface CatalogListing {
  /** Message id → its path relative to messages/ (twins excluded). */
  messages: Map<string, string>;
  /** Partial name → its path relative to messages/. */
  partials: Map<string, string>;
  /** Ids with more than one file (`x.yaml` + `x.yml`), with the paths relative to messages/. */
  twins: Map<string, string[]>;
  /** Message ids whose file is a symlink (never read), with the problem: a message that became a link is an error, not a removal. */
  links: Map<string, Diagnostic>;
  /** Symlinks refused, and other catalog-level problems of the listing. */
  problems: Diagnostic[];
}

/** A path under messages/ whose name holds a control character: named with the characters shown escaped. */
export function nameProblem(rel: string, display: string): Diagnostic {
  const shown = oneLine(display);
  return {
    code: 'E_MESSAGE_NAME',
    severity: 'error',
    file: shown,
    line: 1,
    column: 1,
    pointer: '',
    message: `${MESSAGES_DIR}/${oneLine(rel)} has a control character in its name (shown escaped); chirp does not read it: the name would reach the plan, the job summary and the log, where a newline starts a GitHub workflow command`,
    hint: 'rename the file to a name without control characters (git mv)',
  };
}

/** Apply the listing rule to the entries of one side. `display` names a path for diagnostics. */
export function buildListing(
  entries: readonly ListedEntry[],
  display: (rel: string) => string,
  /** On disk: a link whose real path leaves the catalog is named as such (walls.ts); still never read. */
  linkProblem: (rel: string) => Diagnostic = (rel) => symlinkProblem(rel, display(rel)),
): CatalogListing {
  const byId = new Map<string, string[]>();
  const partials = new Map<string, string>();
  const problems: Diagnostic[] = [];
  const links = new Map<string, Diagnostic>();
  for (const { rel, link } of [...entries].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))) {
    const kind = classifyEntry(rel);
    if (kind.kind === 'ignored' && kind.why !== 'not a message file') continue;
    if (hasControlChar(rel)) {
      if (kind.kind !== 'ignored') problems.push(nameProblem(rel, display(rel)));
      continue;
    }
    if (link) {
      const problem = linkProblem(rel);
      if (kind.kind === 'message') links.set(kind.id, problem);
      else problems.push(problem);
      continue;
    }
    if (kind.kind === 'partial') partials.set(kind.name, rel);
    else if (kind.kind === 'message') byId.set(kind.id, [...(byId.get(kind.id) ?? []), rel]);
  }
  const messages = new Map<string, string>();
  const twins = new Map<string, string[]>();
  for (const [id, rels] of [...byId].sort(([a], [b]) => a.localeCompare(b))) {
    if (rels.length === 1) messages.set(id, rels[0]!);
    else twins.set(id, rels);
  }
  return { messages, partials, twins, links, problems };
}

/** The error a twin id carries wherever it is used. */
export function twinProblem(id: string, rels: readonly string[], display: (rel: string) => string): Diagnostic {
  return {
    code: 'E_MESSAGE_TWIN',
    severity: 'error',
    file: display(rels[0]!),
    line: 1,
    column: 1,
    pointer: '',
    message: `message ${id} has ${rels.length} files (${rels.map((r) => `${MESSAGES_DIR}/${r}`).join(', ')}); chirp cannot tell which one is meant, so it reads none`,
    hint: 'delete or rename all but one of them',
  };
}

// Synchronous reads (here and for partials): an awaited read is a thread-pool round trip, which a cold
// start pays per folder and file (see readYamlSource).
function walk(dir: string, prefix: string, found: ListedEntry[]): void {
  const entries = readdirSync(dir, { withFileTypes: true });
  for (const entry of entries) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    // Hidden folders are never descended into; the rule itself drops every hidden path.
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) walk(join(dir, entry.name), rel, found);
    else if (entry.isFile() || entry.isSymbolicLink()) found.push({ rel, link: entry.isSymbolicLink() });
  }
}

/** The catalog's listing in the working tree. */
export function listCatalog(root: string, cwd: string): CatalogListing {
  const dir = join(root, MESSAGES_DIR);
  const found: ListedEntry[] = [];
  if (existsSync(dir)) walk(dir, '', found);
  const display = (rel: string): string => relative(cwd, join(dir, ...rel.split('/')));
  return buildListing(found, display, (rel) => {
    const wall = wallProblem(root, join(dir, ...rel.split('/')));
    return wall ? wallDiagnostic(display(rel), wall) : symlinkProblem(rel, display(rel));
  });
}

function fileOf(root: string, cwd: string, id: string, rel: string): MessageFile {
  const path = join(root, MESSAGES_DIR, ...rel.split('/'));
  return { id, path, displayPath: relative(cwd, path) || basename(path), root };
}

/** Every message file of a listing, sorted by id (twins excluded: they are errors). */
export function listingFiles(listing: CatalogListing, root: string, cwd: string): MessageFile[] {
  return [...listing.messages].map(([id, rel]) => fileOf(root, cwd, id, rel));
}

/** The message files of a listing inside the folder `dir` (relative to cwd): `validate messages/releases`, `validate .`. */
export function listingFilesUnder(listing: CatalogListing, root: string, cwd: string, dir: string): MessageFile[] {
  const folder = resolve(cwd, dir);
  return listingFiles(listing, root, cwd).filter((f) => {
    const rel = relative(folder, f.path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  });
}

/** Every message file of the catalog, sorted by id. */
export function listMessages(root: string, cwd: string): MessageFile[] {
  return listingFiles(listCatalog(root, cwd), root, cwd);
}

/** The path relative to messages/ of a file given by path, or undefined if it is not inside messages/. */
export function insideMessages(root: string, cwd: string, path: string): string | undefined {
  const rel = relative(join(root, MESSAGES_DIR), resolve(cwd, path));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/** A message file given by path. Outside messages/ the id is the path relative to cwd (validate only). */
export function messageFileFor(root: string, cwd: string, path: string): MessageFile {
  const abs = resolve(cwd, path);
  const rel = insideMessages(root, cwd, abs);
  const id =
    rel !== undefined ? rel.slice(0, -extname(rel).length) : relative(cwd, abs).slice(0, -extname(abs).length).split(sep).join('/');
  return { id, path: abs, displayPath: relative(cwd, abs) || basename(abs), root };
}

export type ResolvedArg = { ok: true; file: MessageFile } | { ok: false; twin?: Diagnostic; reason: string; outside?: boolean };

/**
 * Resolve a MESSAGE argument against the listing: a message id (`releases/notice`), or a path to a
 * message file inside messages/ (relative to cwd). Either way the id is the path inside messages/, so
 * `send campaigns/spring.yaml` from the root and `send spring.yaml` from messages/campaigns are one
 * message. A file outside messages/ is refused: its id would depend on where chirp was run.
 */
export function resolveInListing(listing: CatalogListing, root: string, cwd: string, arg: string): ResolvedArg {
  const display = (rel: string): string => relative(cwd, join(root, MESSAGES_DIR, ...rel.split('/')));
  let id: string | undefined;
  const ext = extname(arg);
  if (MESSAGE_EXTENSIONS.includes(ext) && existsSync(resolve(cwd, arg))) {
    const rel = insideMessages(root, cwd, arg);
    if (rel === undefined)
      return {
        ok: false,
        outside: true,
        reason: `${arg} is outside the catalog (not inside ${join(root, MESSAGES_DIR)}): a message's id is its path inside messages/, so chirp only renders and sends files from there (\`chirp validate ${arg}\` checks any file)`,
      };
    const kind = classifyEntry(rel);
    if (kind.kind !== 'message')
      return {
        ok: false,
        reason: `${arg} is not a message file (${kind.kind === 'partial' ? 'a partial' : kind.why}: see "Which files are messages" in docs/cli.md)`,
      };
    if (listing.messages.get(kind.id) !== rel && !listing.twins.has(kind.id))
      return { ok: false, reason: `${arg} is not a message file of the catalog (a symlink, or inside a skipped folder)` };
    id = kind.id;
  } else {
    // An id; a trailing extension is allowed (`notice.yaml` from messages/ is the id `notice`).
    const asId = MESSAGE_EXTENSIONS.includes(ext) ? arg.slice(0, -ext.length) : arg;
    const rel = insideMessages(root, cwd, asId);
    // From inside messages/, ids are taken relative to where chirp runs as well as to messages/.
    const known = (x: string | undefined): x is string => x !== undefined && (listing.messages.has(x) || listing.twins.has(x));
    if (known(asId) && known(rel) && rel !== asId)
      return { ok: false, reason: `"${arg}" is ambiguous here: both ${asId} and ${rel} are messages; give the full id or a path` };
    id = known(asId) ? asId : known(rel) ? rel : undefined;
  }
  if (id === undefined) {
    // An id becomes a path below messages/: say so when the argument could never be one (`../../x`).
    const asId = MESSAGE_EXTENSIONS.includes(ext) ? arg.slice(0, -ext.length) : arg;
    if (!isMessageId(asId) && insideMessages(root, cwd, asId) === undefined) {
      return {
        ok: false,
        reason: `"${arg}" is not a message id (ids are paths below messages/ such as releases/notice, without "..") nor a message file in messages/`,
      };
    }
    return { ok: false, reason: `no message "${arg}"` };
  }
  const twins = listing.twins.get(id);
  if (twins) return { ok: false, twin: twinProblem(id, twins, display), reason: `message ${id} has twin files` };
  return { ok: true, file: fileOf(root, cwd, id, listing.messages.get(id)!) };
}

/** Resolve a MESSAGE argument: a message id (`releases/notice`) or a path to a message file. */
export function resolveMessageArg(root: string, cwd: string, arg: string): MessageFile | undefined {
  const found = resolveInListing(listCatalog(root, cwd), root, cwd, arg);
  return found.ok ? found.file : undefined;
}

export function loadMessage(file: MessageFile): LoadedMessage {
  // A file whose real path leaves the catalog (a symlink, a path with ..) is refused, never read.
  const wall = file.root !== undefined ? wallProblem(file.root, file.path) : undefined;
  if (wall) {
    const diagnostics = [wallDiagnostic(file.displayPath, wall)];
    return { ...file, source: { file: file.displayPath, text: '', value: undefined, diagnostics, locate: () => ({ line: 1, column: 1 }) } };
  }
  return { ...file, source: readYamlSource(file.path, file.displayPath) };
}

/** A partial's text as rendered: newlines normalised to \n, the file's final newline dropped. */
export function partialText(text: string): string {
  return normaliseNewlines(text).replace(/\n$/, '');
}

/** Partials of a listing, by name (read synchronously: see walk). */
export function loadPartials(
  root: string,
  listing: CatalogListing,
  refused: { path: string; problem: string }[] = [],
): Map<string, { source: string; path: string }> {
  const partials = new Map<string, { source: string; path: string }>();
  const dir = join(root, MESSAGES_DIR, PARTIALS_DIR);
  const folderProblem = existsSync(dir) ? wallProblem(root, dir) : undefined;
  if (folderProblem) {
    refused.push({ path: dir, problem: folderProblem });
    return partials;
  }
  for (const [name, rel] of [...listing.partials].sort(([a], [b]) => a.localeCompare(b))) {
    const path = join(root, MESSAGES_DIR, ...rel.split('/'));
    const problem = wallProblem(root, path);
    if (problem) {
      refused.push({ path, problem });
      continue;
    }
    partials.set(name, { source: partialText(readFileSync(path, 'utf8')), path });
  }
  return partials;
}
