// The data cells of chirp's failures file: send/failures.ts writes them, sources/csv.ts reads them
// back. A CSV cell is text, so a row of JSON or NDJSON data (numbers, booleans, null, lists, keys a
// header cannot hold, keys other rows have and this one lacks) would come back different: `flag: 0`
// as "0", which `{{#if flag}}` takes as true. Such a row also carries its values exactly, as JSON
// (numbers as written), in the `chirp_json` column; reading chirp's own file back, a value whose
// cells still read as chirp wrote them is taken from there, and a cell the user edited (or a column
// the user deleted) wins.
import { NUMBER_PROBLEMS, numberProblems, numberText, rememberWritten, writtenText } from './numbers.js';

/** The columns chirp adds after the data's own. */
export const FAILURE_COLUMNS = ['chirp_status', 'chirp_error_code', 'chirp_error_message'] as const;
/** The row's values as JSON, when its cells cannot carry them exactly. */
export const TYPED_COLUMN = 'chirp_json';
const RESERVED: ReadonlySet<string> = new Set([...FAILURE_COLUMNS, TYPED_COLUMN]);

type Values = Record<string, unknown>;

/** Whether a data key is chirp's (a failures file's own columns; replaced, never carried over). */
export function isFailureColumn(key: string): boolean {
  return RESERVED.has(key);
}

const isRecord = (v: unknown): v is Values => v !== null && typeof v === 'object' && !Array.isArray(v);
/** A key a CSV header can hold as one name part: not empty, no dot. */
const goodPart = (key: string): boolean => key.trim() !== '' && !key.includes('.');

/** JSON with each number as the data wrote it (`1.50`, `1E3`). */
export function writtenJson(value: unknown, holder?: unknown, key?: string, skip: (key: string) => boolean = () => false): string {
  if (typeof value === 'number') return numberText(value, holder, key);
  if (Array.isArray(value)) return `[${value.map((v, i) => writtenJson(v ?? null, value, String(i))).join(',')}]`;
  if (isRecord(value))
    return `{${Object.keys(value)
      .filter((k) => value[k] !== undefined && !skip(k))
      .map((k) => `${JSON.stringify(k)}:${writtenJson(value[k], value, k)}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

/** A value as one cell: text as is, a number as written, null as empty, the rest as JSON. */
export function singleText(value: unknown, holder: unknown, key: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value, holder, key);
  return writtenJson(value, holder, key);
}

/** An object as dotted columns under `prefix` (undefined: it cannot be: an empty object or a key a header cannot hold). */
export function flatCells(prefix: string, value: Values, out: Map<string, string> = new Map()): Map<string, string> | undefined {
  const keys = Object.keys(value).filter((k) => value[k] !== undefined);
  if (keys.length === 0) return undefined;
  for (const key of keys) {
    if (!goodPart(key)) return undefined;
    const v = value[key];
    const column = `${prefix}.${key}`;
    if (isRecord(v)) {
      if (!flatCells(column, v, out)) return undefined;
    } else out.set(column, singleText(v, value, key));
  }
  return out;
}

/**
 * The data cells of the failures file's rows: its data columns (in first-seen order) and, per row, the
 * cells and the `chirp_json` text ('' when the cells carry the row exactly).
 */
export function failureCells(rows: readonly Values[]): { columns: string[]; cells: Map<string, string>[]; typed: string[] } {
  // A key whose values are objects with dotted columns in every row that has it (and no column
  // both a value and a group) is written flat; any other key as one cell.
  const keys: string[] = [];
  const flat = new Map<string, boolean>();
  const paths = new Map<string, Set<string>>();
  for (const values of rows)
    for (const key of Object.keys(values)) {
      const v = values[key];
      if (isFailureColumn(key) || v === undefined || !goodPart(key)) continue;
      if (!flat.has(key)) {
        keys.push(key);
        flat.set(key, true);
        paths.set(key, new Set());
      }
      const cells = isRecord(v) ? flatCells(key, v) : undefined;
      if (!cells) flat.set(key, false);
      else for (const c of cells.keys()) paths.get(key)!.add(c);
    }
  for (const key of keys) {
    const names = paths.get(key)!;
    if (flat.get(key) && [...names].some((n) => [...names].some((m) => m.startsWith(`${n}.`)))) flat.set(key, false);
  }
  const columns: string[] = [];
  for (const key of keys) columns.push(...(flat.get(key) ? paths.get(key)! : [key]));
  const cells = rows.map((values) => {
    const out = new Map<string, string>();
    for (const key of keys) {
      const v = values[key];
      if (v === undefined) continue;
      if (flat.get(key)) flatCells(key, v as Values, out);
      else out.set(key, singleText(v, values, key));
    }
    return out;
  });
  const typed = rows.map((values, i) =>
    carriedExactly(values, columns, cells[i]!) ? '' : writtenJson(values, undefined, undefined, isFailureColumn),
  );
  return { columns, cells, typed };
}

/** The row without chirp's own columns. */
function dataValues(values: Values): Values {
  const out = Object.create(null) as Values;
  for (const key of Object.keys(values)) if (!isFailureColumn(key) && values[key] !== undefined) out[key] = values[key];
  return out;
}

/** Whether reading the cells back (text, dotted names nested) gives the row's values exactly. */
function carriedExactly(values: Values, columns: readonly string[], cells: ReadonlyMap<string, string>): boolean {
  const back = Object.create(null) as Values;
  for (const column of columns) {
    const parts = column.split('.');
    let node = back;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= Object.create(null)) as Values;
    node[parts.at(-1)!] = cells.get(column) ?? '';
  }
  return sameStrings(back, dataValues(values));
}

function sameStrings(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (!isRecord(a) || !isRecord(b)) return false;
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameStrings(a[k], b[k]));
}

/**
 * Reading chirp's failures file back: the row's values with each value its cells still show as chirp
 * wrote it taken from `typed` (the parsed `chirp_json`), a key absent there and still empty in the
 * cells removed, and every cell the user edited kept as the CSV reader read it.
 */
export function restoreTyped(values: Values, header: readonly string[], cells: readonly string[], typed: Values): Values {
  const out = Object.create(null) as Values;
  const take = (key: string): void => {
    const value = typed[key];
    out[key] = value;
    const text = writtenText(typed, key);
    if (typeof value === 'number' && text !== undefined) rememberWritten(out, key, text, value);
  };
  const byKey = new Map<string, number[]>();
  header.forEach((name, i) => {
    const key = name.split('.')[0]!;
    if (name === TYPED_COLUMN) return;
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push(i);
  });
  for (const key of Object.keys(values)) {
    if (key === TYPED_COLUMN) continue;
    const columns = byKey.get(key) ?? [];
    if (isFailureColumn(key) || !unedited(key, columns, header, cells, typed)) out[key] = values[key];
    else if (Object.hasOwn(typed, key)) take(key);
  }
  // Keys no header can hold travel in chirp_json only; a key it can hold that has no column any more
  // was deleted by the user (chirp writes a column for each): it stays absent.
  for (const key of Object.keys(typed)) if (!byKey.has(key) && !isFailureColumn(key) && !goodPart(key)) take(key);
  const problems = numberProblems(typed);
  if (problems) Object.defineProperty(out, NUMBER_PROBLEMS, { value: problems, enumerable: false });
  return out;
}

/** Whether the cells of `key` read exactly as chirp writes its typed value (flat or as one cell), or all empty for an absent one. */
function unedited(key: string, columns: readonly number[], header: readonly string[], cells: readonly string[], typed: Values): boolean {
  const value = typed[key];
  const as = (expected: (name: string) => string): boolean => columns.every((i) => cells[i] === expected(header[i]!));
  if (value === undefined) return as(() => '');
  if (as((name) => (name === key ? singleText(value, typed, key) : ''))) return true;
  const flat = isRecord(value) ? flatCells(key, value) : undefined;
  // Every column chirp wrote for it still there (one deleted is an edit) and as written.
  return flat !== undefined && [...flat.keys()].every((c) => header.includes(c)) && as((name) => flat.get(name) ?? '');
}
