// A readable diff of two rendered requests: line diffs of texts, and buttons, list rows, media and
// template parameters as added / removed / changed items rather than raw JSON noise.

export interface DiffEntry {
  /** Where, in dotted form: `body.text.text`, `body.text.actions[1]`. */
  path: string;
  kind: 'added' | 'removed' | 'changed' | 'text';
  /** For added/removed items and changed scalars: the value (JSON, or a button's description), never cut. */
  before?: string;
  after?: string;
  /** For `text`: a line diff. */
  lines?: { op: ' ' | '-' | '+'; text: string }[];
}

import { isObject as isJsonObject } from '../util/index.js';

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => isJsonObject(v);

/** The whole value as JSON: machine formats carry it uncut; text reporters bound what they print. */
function short(value: Json): string {
  return JSON.stringify(value) ?? 'undefined';
}

/** A one-line description of an array item: what a reviewer recognises a button or a row by. */
export function label(item: Json): string {
  if (!isObject(item)) return short(item);
  const type = typeof item.type === 'string' ? item.type : undefined;
  const inner = type && isObject(item[type]) ? item[type] : undefined;
  if (type && inner) {
    const text = typeof inner.text === 'string' ? ` ${JSON.stringify(inner.text)}` : '';
    const extra =
      typeof inner.url === 'string' ? ` → ${inner.url}` : typeof inner.payload === 'string' ? ` (payload ${inner.payload})` : '';
    return `${type} button${text}${extra}`;
  }
  if (typeof item.key === 'string' && 'value' in item) return `parameter ${item.key} = ${short(item.value)}`;
  if (typeof item.mediaUrl === 'string') return `media ${item.mediaUrl}${typeof item.title === 'string' ? ` "${item.title}"` : ''}`;
  if (Array.isArray(item.actions))
    return `section${typeof item.title === 'string' ? ` "${item.title}"` : ''} (${item.actions.length} rows)`;
  if (typeof item.identifierValue === 'string') return `contact ${item.identifierValue}`;
  return short(item);
}

/** Longest common subsequence alignment of two lists by a key; returns the edit script. */
function align<T>(a: readonly T[], b: readonly T[], key: (x: T) => string): { op: ' ' | '-' | '+'; a?: number; b?: number }[] {
  const ka = a.map(key);
  const kb = b.map(key);
  const n = a.length;
  const m = b.length;
  const dp: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) dp[i]![j] = ka[i] === kb[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  const script: { op: ' ' | '-' | '+'; a?: number; b?: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && ka[i] === kb[j]) script.push({ op: ' ', a: i++, b: j++ });
    else if (i < n && (j >= m || dp[i + 1]![j]! >= dp[i]![j + 1]!)) script.push({ op: '-', a: i++ });
    else script.push({ op: '+', b: j++ });
  }
  return script;
}

function lineDiff(a: string, b: string): DiffEntry['lines'] {
  const la = a.split('\n');
  const lb = b.split('\n');
  return align(la, lb, (x) => x).map((s) => (s.op === '+' ? { op: '+', text: lb[s.b!]! } : { op: s.op, text: la[s.a!]! }));
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

export function diffValues(a: Json, b: Json, path = '', out: DiffEntry[] = []): DiffEntry[] {
  if (a === b) return out;
  if (typeof a === 'string' && typeof b === 'string') {
    if (a.includes('\n') || b.includes('\n') || a.length > 60 || b.length > 60)
      out.push({ path, kind: 'text', lines: lineDiff(a, b) ?? [] });
    else out.push({ path, kind: 'changed', before: short(a), after: short(b) });
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const script = align(a, b, (x) => JSON.stringify(x));
    // A removal directly followed by an addition is one changed item: recurse to show what changed.
    for (let k = 0; k < script.length; k++) {
      const s = script[k]!;
      const next = script[k + 1];
      if (s.op === '-' && next?.op === '+' && isObject(a[s.a!]) && isObject(b[next.b!])) {
        // A button or row that changed reads best as its old and new description; if those are
        // equal, the change is deeper (metadata, media): show where.
        const before = label(a[s.a!]);
        const after = label(b[next.b!]);
        if (before !== after) out.push({ path: `${path}[${next.b!}]`, kind: 'changed', before, after });
        else diffValues(a[s.a!], b[next.b!], `${path}[${next.b!}]`, out);
        k++;
      } else if (s.op === '-') out.push({ path: `${path}[${s.a!}]`, kind: 'removed', before: label(a[s.a!]) });
      else if (s.op === '+') out.push({ path: `${path}[${s.b!}]`, kind: 'added', after: label(b[s.b!]) });
    }
    return out;
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys) {
      if (!(key in b)) onlyOneSide('removed', a[key], join(path, key), out);
      else if (!(key in a)) onlyOneSide('added', b[key], join(path, key), out);
      else diffValues(a[key], b[key], join(path, key), out);
    }
    return out;
  }
  out.push({ path, kind: 'changed', before: short(a), after: short(b) });
  return out;
}

/**
 * A value present on one side only (a new body type, a new message): objects are opened up to their
 * leaves and multi-line texts shown as lines, so a reviewer reads it whole rather than as one JSON blob.
 */
function onlyOneSide(kind: 'added' | 'removed', value: Json, path: string, out: DiffEntry[]): void {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) onlyOneSide(kind, child, join(path, key), out);
  } else if (typeof value === 'string' && value.includes('\n')) {
    out.push({ path, kind: 'text', lines: value.split('\n').map((text) => ({ op: kind === 'added' ? '+' : '-', text })) });
  } else if (Array.isArray(value) && value.length > 0) {
    value.forEach((item, i) => onlyOneSide(kind, item, `${path}[${i}]`, out));
  } else out.push({ path, kind, [kind === 'added' ? 'after' : 'before']: short(value) });
}
