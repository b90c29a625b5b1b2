// A data column (or JSON key) that is no declared variable but reads like one: `Title`, `vip `, `vip\u00a0`
// or `vipp` for the variable `vip`. The variable would be absent, and an optional one renders its
// fallback (or takes the other branch) without a word: `Hi friend Ada.` for a VIP. Such a name is
// refused on every row; a column that reads like no variable is someone else's and stays silent.
import type { Row } from '../types.js';
import type { RowProblem } from './row-validator.js';
import { UNSEEN } from './unseen.js';

/** A name as compared: without unseen characters, compatibility forms composed (fullwidth `ｖｉｐ` is `vip`), lower case. */
export function foldName(name: string): string {
  return name.replace(UNSEEN, '').normalize('NFKC').toLowerCase();
}

/** Levenshtein distance with adjacent transpositions, up to 1: `vipp`, `vp`, `vop`, `ivp` are one edit from `vip`. */
export function oneEdit(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // one replaced
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // two swapped
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** A near miss is only looked for with variable names of this length or more (`id` and `ip` are one edit apart). */
const NEAR_MIN = 3;

type Likeness = { variable: string; kind: 'folded' | 'typo' } | null;

/** The check for one message's variables: the row's problems with its names (none: an empty list). */
export function columnNameCheck(variables: readonly string[]): (row: Row) => RowProblem[] {
  const declared = new Set(variables);
  const folded = new Map<string, string>();
  for (const v of variables) if (!folded.has(foldName(v))) folded.set(foldName(v), v);
  const likeness = new Map<string, Likeness>();
  const like = (name: string): Likeness => {
    let found = likeness.get(name);
    if (found !== undefined) return found;
    const f = foldName(name);
    const same = folded.get(f);
    found = same !== undefined ? { variable: same, kind: 'folded' } : null;
    if (!found) {
      const near = variables.find((v) => v.length >= NEAR_MIN && oneEdit(f, foldName(v)));
      if (near !== undefined) found = { variable: near, kind: 'typo' };
    }
    likeness.set(name, found);
    return found;
  };
  let lastColumns: readonly string[] | undefined;
  let lastProblems: RowProblem[] = [];
  const problemsOf = (names: readonly string[], what: 'column' | 'key'): RowProblem[] => {
    const tops = names.map((n) => n.split('.')[0]!);
    const present = new Set(tops);
    const problems: RowProblem[] = [];
    tops.forEach((top, i) => {
      if (declared.has(top)) return;
      const l = like(top);
      if (!l) return;
      // A near miss of a variable the data also has is another column (`name` and `names`).
      if (l.kind === 'typo' && present.has(l.variable)) return;
      const why =
        l.kind === 'folded'
          ? 'differs from it only in upper and lower case, spaces or invisible characters'
          : 'is one letter away from it, and the data has no such column';
      problems.push({
        code: 'E_COLUMN_NAME',
        field: names[i]!,
        message: `the ${what} ${JSON.stringify(names[i])} is no declared variable but reads as the variable "${l.variable}" (it ${why}): the row would render without "${l.variable}"; rename the ${what} to "${l.variable}", or remove it`,
      });
    });
    return problems;
  };
  return (row) => {
    if (row.columns) {
      if (row.columns !== lastColumns) {
        lastColumns = row.columns;
        lastProblems = problemsOf(row.columns, 'column');
      }
      return lastProblems;
    }
    const keys = Object.keys(row.values);
    for (const k of keys) if (!declared.has(k)) return problemsOf(keys, 'key');
    return [];
  };
}

/** The problems found with a row's names as it came in (before ajv fills in defaults), by row. */
const found = new WeakMap<Row, RowProblem[]>();

/** Records a row's problems with its names, for `misnamed`: call it before the row is rendered (ajv fills in defaults). */
export function namesNoter(variables: readonly string[]): (row: Row) => void {
  const check = columnNameCheck(variables);
  return (row) => {
    const problems = check(row);
    if (problems.length > 0) found.set(row, problems);
  };
}

/** The rows as they come, each noted first (for a renderer on other threads). */
export async function* namesChecked(rows: AsyncIterable<Row>, variables: readonly string[]): AsyncGenerator<Row> {
  const note = namesNoter(variables);
  for await (const row of rows) {
    note(row);
    yield row;
  }
}

/** The problems `namesNoter` found with this row's names (none: an empty list). */
export function misnamed(row: Row): RowProblem[] {
  return found.get(row) ?? [];
}
