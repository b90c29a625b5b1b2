// Numbers from recipient data, exactly as written (docs/message-format.md, "Numbers").
// Only decimal syntax is a number; a value a JavaScript number cannot hold (an integer beyond 2^53−1,
// an overflow to Infinity, an underflow to 0) is a row error; a number prints as the data wrote it.
// What was written travels beside the value, under a symbol on the object holding it: invisible to
// JSON.stringify, ajv and Object.keys, so hashes, journals and validation see the plain number.
import { randomUUID } from 'node:crypto';

/** On an object or array: `{ key: text }` for each number whose text differs from String(number). */
export const WRITTEN = Symbol('chirp.written');
/** On a row's values: problems with numbers found while reading the row (a row error, not a file error). */
export const NUMBER_PROBLEMS = Symbol('chirp.numberProblems');

export interface NumberProblem {
  /** Dotted path of the value in the row. */
  field: string;
  message: string;
}

type Holder = Record<string | symbol, unknown>;

/** Decimal syntax: an optional minus, digits, an optional fraction, an optional exponent (no hex, binary, Infinity). */
export const DECIMAL = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Why a decimal text cannot be a number chirp sends as written, or undefined. */
export function numberProblem(text: string): string | undefined {
  const n = Number(text);
  if (!Number.isFinite(n)) return `${text} is too large for a number`;
  if (n === 0 && /[1-9]/.test(text.replace(/[eE].*$/, ''))) return `${text} is too small for a number (it would become 0)`;
  if (!/[.eE]/.test(text) && !Number.isSafeInteger(n))
    return `${text} is beyond 2^53−1 (9007199254740991), the largest integer sent exactly; make it a string`;
  return undefined;
}

/** Remember how a number was written, when that differs from how JavaScript prints it. */
export function rememberWritten(holder: object, key: string, text: string, value: number): void {
  if (String(value) === text) return;
  const h = holder as Holder;
  let texts = h[WRITTEN] as Record<string, string> | undefined;
  if (!texts) {
    texts = Object.create(null) as Record<string, string>;
    Object.defineProperty(h, WRITTEN, { value: texts, enumerable: false, writable: true, configurable: true });
  }
  texts[key] = text;
}

/** How the number at holder[key] was written, when it differs from String(number). */
export function writtenText(holder: unknown, key: string): string | undefined {
  if (holder === null || typeof holder !== 'object') return undefined;
  return (holder as Holder)[WRITTEN] === undefined ? undefined : ((holder as Holder)[WRITTEN] as Record<string, string>)[key];
}

/** A number as text: as the data wrote it when known, else as JavaScript prints it. */
export function numberText(value: number, holder: unknown, key: string | undefined): string {
  return (key !== undefined ? writtenText(holder, key) : undefined) ?? String(value);
}

/** Copy the side information of `from` onto `to` (a clone of the same object). */
export function copyNumberInfo(from: object, to: object): void {
  const f = from as Holder;
  if (f[WRITTEN] !== undefined) Object.defineProperty(to, WRITTEN, { value: { ...(f[WRITTEN] as object) }, enumerable: false });
  if (f[NUMBER_PROBLEMS] !== undefined) Object.defineProperty(to, NUMBER_PROBLEMS, { value: f[NUMBER_PROBLEMS], enumerable: false });
}

export function numberProblems(values: object): NumberProblem[] | undefined {
  return (values as Holder)[NUMBER_PROBLEMS] as NumberProblem[] | undefined;
}

/**
 * A JSON text may hold a number that JSON.parse changes (a big integer, 1e-400, 1.50 → 1.5). Cheap
 * pre-test: false means every number literal in the text (if any) parses to a value that prints the same.
 */
const MAYBE_INEXACT = /\d[.eE]|\d{16}|-0|(?<![\d.])0\d/;

/** Number literals of a JSON text (outside strings) whose parsed value prints differently, with their offsets. */
function inexactLiterals(text: string): { start: number; end: number; literal: string }[] {
  const out: { start: number; end: number; literal: string }[] = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // a string: skip to its closing quote
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1;
      while (j < n && /[0-9.eE+-]/.test(text[j]!)) j++;
      const literal = text.slice(i, j);
      if (String(Number(literal)) !== literal) out.push({ start: i, end: j, literal });
      i = j - 1;
    }
  }
  return out;
}

/**
 * JSON.parse that keeps each number's written form (rememberWritten) and reports numbers that
 * cannot be held (numberProblem) on the result's NUMBER_PROBLEMS. `reviver` runs as with JSON.parse.
 */
export function parseJsonNumbers(text: string, reviver: (this: unknown, key: string, value: unknown) => unknown): unknown {
  if (!MAYBE_INEXACT.test(text)) return JSON.parse(text, reviver) as unknown;
  const literals = inexactLiterals(text);
  if (literals.length === 0) return JSON.parse(text, reviver) as unknown;
  // Each such literal becomes a string carrying a marker no data can forge (a fresh nonce).
  const id = randomUUID();
  const nonce = `\u0000${id}:`;
  let marked = '';
  let from = 0;
  for (const l of literals) {
    marked += `${text.slice(from, l.start)}"\\u0000${id}:${l.literal}"`;
    from = l.end;
  }
  marked += text.slice(from);
  const problems: { holder: object; key: string; message: string }[] = [];
  const pending = new Map<object, { key: string; text: string; value: number }[]>();
  const root = JSON.parse(marked, function (this: unknown, key: string, value: unknown): unknown {
    if (typeof value === 'string' && value.startsWith(nonce)) {
      const literal = value.slice(nonce.length);
      const n = Number(literal);
      const problem = numberProblem(literal);
      if (problem) problems.push({ holder: this as object, key, message: problem });
      const list = pending.get(this as object) ?? [];
      list.push({ key, text: literal, value: n });
      pending.set(this as object, list);
      return n;
    }
    const out = reviver.call(this, key, value);
    // The reviver may copy an object (null prototypes): what was written moves to the copy.
    if (value !== null && typeof value === 'object') {
      const list = pending.get(value);
      if (list) for (const p of list) rememberWritten(out as object, p.key, p.text, p.value);
      for (const p of problems) if (p.holder === value) p.holder = out as object;
    }
    return out;
  }) as unknown;
  if (problems.length > 0 && root !== null && typeof root === 'object') {
    const found: NumberProblem[] = [];
    const walk = (node: unknown, path: string[]): void => {
      if (node === null || typeof node !== 'object') return;
      for (const p of problems) if (p.holder === node) found.push({ field: [...path, p.key].join('.'), message: p.message });
      for (const key of Object.keys(node)) walk((node as Record<string, unknown>)[key], [...path, key]);
    };
    walk(root, []);
    Object.defineProperty(root, NUMBER_PROBLEMS, { value: found, enumerable: false });
  }
  return root;
}
