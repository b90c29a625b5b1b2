// Read the catalog: messages/**/*.yaml (ids are paths without the extension) and _partials/*.hbs.
import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { readYamlSource, type YamlSource } from './yaml-source.js';
import { isMessageId, wallDiagnostic, wallProblem } from './walls.js';
import { UserError } from '../errors.js';

export const MESSAGES_DIR = 'messages';
export const PARTIALS_DIR = '_partials';
const MESSAGE_EXTENSIONS = new Set(['.yaml', '.yml']);

export interface MessageFile {
  /** `releases/notice` for messages/releases/notice.yaml; for a file outside messages/, its path without extension. */
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

function toId(path: string): string {
  return path.slice(0, -extname(path).length).split(sep).join('/');
}

async function walk(dir: string, found: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === PARTIALS_DIR) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, found);
    else if (MESSAGE_EXTENSIONS.has(extname(entry.name))) found.push(full);
  }
}

export function messageFileFor(root: string, cwd: string, path: string): MessageFile {
  const abs = resolve(cwd, path);
  const messagesRoot = join(root, MESSAGES_DIR);
  const rel = relative(messagesRoot, abs);
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  return { id: toId(inside ? rel : relative(cwd, abs)), path: abs, displayPath: relative(cwd, abs) || basename(abs), root };
}

/** Every message file of the catalog, sorted by id. */
export async function listMessages(root: string, cwd: string): Promise<MessageFile[]> {
  const dir = join(root, MESSAGES_DIR);
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  await walk(dir, files);
  return files.map((f) => messageFileFor(root, cwd, f)).sort((a, b) => a.id.localeCompare(b.id));
}

/** Resolve a MESSAGE argument: a message id (`releases/notice`) or a path to a message file. */
export function resolveMessageArg(root: string, cwd: string, arg: string): MessageFile | undefined {
  const asPath = resolve(cwd, arg);
  if (MESSAGE_EXTENSIONS.has(extname(arg)) && existsSync(asPath)) return messageFileFor(root, cwd, asPath);
  // An id becomes a path below messages/: `../../evil` must not reach outside it.
  if (!isMessageId(arg)) throw new UserError(`chirp: "${arg}" is not a message id (ids are paths below messages/ such as releases/notice, without "..") nor an existing .yaml file`, [], 2);
  for (const ext of MESSAGE_EXTENSIONS) {
    const candidate = join(root, MESSAGES_DIR, `${arg}${ext}`);
    if (existsSync(candidate)) return messageFileFor(root, cwd, candidate);
  }
  return undefined;
}

export async function loadMessage(file: MessageFile): Promise<LoadedMessage> {
  const wall = file.root !== undefined ? wallProblem(file.root, file.path) : undefined;
  if (wall) {
    const diagnostics = [wallDiagnostic(file.displayPath, wall)];
    return { ...file, source: { file: file.displayPath, text: '', value: undefined, diagnostics, locate: () => ({ line: 1, column: 1 }) } };
  }
  return { ...file, source: await readYamlSource(file.path, file.displayPath) };
}

/** Partials from messages/_partials/*.hbs, by name (file name without .hbs). */
export async function loadPartials(root: string, refused: { path: string; problem: string }[] = []): Promise<Map<string, { source: string; path: string }>> {
  const dir = join(root, MESSAGES_DIR, PARTIALS_DIR);
  const partials = new Map<string, { source: string; path: string }>();
  if (!existsSync(dir)) return partials;
  const folderProblem = wallProblem(root, dir);
  if (folderProblem) {
    refused.push({ path: dir, problem: folderProblem });
    return partials;
  }
  for (const name of (await readdir(dir)).sort()) {
    if (extname(name) !== '.hbs') continue;
    const path = join(dir, name);
    const problem = wallProblem(root, path);
    if (problem) {
      refused.push({ path, problem });
      continue;
    }
    partials.set(basename(name, '.hbs'), { source: (await readFile(path, 'utf8')).replace(/\r?\n$/, ''), path });
  }
  return partials;
}
