// MESSAGE selectors (`plan`, and the one MESSAGE of render/send): ids, globs over ids, or paths of
// message files. A selector that matches nothing is an error naming the closest ids, never a plan
// of nothing.
import { extname } from 'node:path';
import { UserError } from '../errors.js';
import { classifyEntry, insideMessages, MESSAGE_EXTENSIONS } from './files.js';

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** Up to `max` known ids closest to what was typed (edit distance, ties by name). */
export function closestIds(arg: string, known: Iterable<string>, max = 3): string[] {
  const typed = arg.replace(/^messages\//, '').replace(/\.ya?ml$/, '');
  return [...known]
    .map((id) => ({ id, d: Math.min(distance(typed, id), distance(typed, id.split('/').at(-1)!) + 1) }))
    .sort((x, y) => x.d - y.d || x.id.localeCompare(y.id))
    .slice(0, max)
    .map((x) => x.id);
}

/** `*` within one path segment, `**` across segments, `?` one character. */
function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function notFound(arg: string, known: Iterable<string>, why?: string, where: { outside?: boolean } = {}): UserError {
  // A file outside the catalog is no misspelt id: suggesting ids would only mislead.
  if (where.outside)
    return new UserError(
      'E_MESSAGE_NOT_FOUND',
      `${why ?? `${arg} is outside the catalog`}; to send it, move it into messages/ (its id is then its path there)`,
    );
  const close = closestIds(arg, known);
  const hint = close.length > 0 ? `; closest: ${close.join(', ')}` : '; the catalog has no messages';
  return new UserError(
    'E_MESSAGE_NOT_FOUND',
    `${why ?? `no message matches "${arg}"`}${hint} (give a message id such as releases/notice, a glob such as 'releases/*', or a path to a file in messages/)`,
  );
}

/**
 * The ids `args` select among `known`, in the order of `known`. Every selector must match at least
 * one id. A path names the id of its place inside messages/, whether or not the file still exists
 * (a removed message can be planned by its old path).
 */
export function selectIds(known: readonly string[], args: readonly string[], where: { root: string; cwd: string }): string[] {
  const chosen = new Set<string>();
  const set = new Set(known);
  for (const arg of args) {
    if (arg === '') throw new UserError('E_USAGE', 'an empty MESSAGE argument selects nothing');
    let matched: string[];
    if (/[*?]/.test(arg)) {
      const re = globRegExp(arg.replace(/^messages\//, '').replace(/\.ya?ml$/, ''));
      matched = known.filter((id) => re.test(id));
    } else if (MESSAGE_EXTENSIONS.includes(extname(arg))) {
      const rel = insideMessages(where.root, where.cwd, arg);
      const kind = rel === undefined ? undefined : classifyEntry(rel);
      if (rel === undefined)
        throw notFound(arg, known, `${arg} is outside the catalog: not inside its messages/ folder`, { outside: true });
      matched = kind?.kind === 'message' && set.has(kind.id) ? [kind.id] : [];
      if (matched.length === 0 && set.has(arg.slice(0, -extname(arg).length))) matched = [arg.slice(0, -extname(arg).length)];
    } else {
      const rel = insideMessages(where.root, where.cwd, arg);
      if (set.has(arg) && rel !== undefined && rel !== arg && set.has(rel))
        throw new UserError(
          'E_MESSAGE_NOT_FOUND',
          `"${arg}" is ambiguous here: both ${arg} and ${rel} are messages; give the full id or a path`,
        );
      matched = set.has(arg) ? [arg] : rel !== undefined && set.has(rel) ? [rel] : [];
    }
    if (matched.length === 0) throw notFound(arg, known);
    for (const id of matched) chosen.add(id);
  }
  return known.filter((id) => chosen.has(id));
}
