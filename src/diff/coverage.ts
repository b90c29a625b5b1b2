// Coverage: the branches of a message (from Handlebars' own parser: both arms of each #if/#unless/
// #with/#each, each `default`'s value and fallback, each partial it uses) located in their files, which
// rows reach which, and which changed branches no row reaches. Recording needs the side's template
// environment to be a coverage one (`buildContext({ coverage: true })`); render and send never are.
import { partialEntry, recordBranches, templateBranches, type TemplateBranch } from '../render/index.js';
import type { Diagnostic, Row } from '../types.js';
import { cloneValues } from '../util/index.js';
import { templateLeaves, usedPartials, valueLine } from './definition.js';
import type { Side, SideMessage } from './sides.js';

export interface LocatedBranch extends TemplateBranch {
  /** The template it belongs to: a JSON pointer in the message file, or `partial:NAME`. */
  scope: string;
  /** file:line, as a reviewer opens it. */
  where: string;
  file: string;
  fileLine: number;
}

/** Every branch a message can take (after it was compiled: the environment names its templates then). */
export function messageBranches(m: SideMessage, side: Side): LocatedBranch[] {
  const d = m.checked.definition;
  if (!d || !m.compiled) return [];
  const env = m.ctx.env;
  const out: LocatedBranch[] = [];
  // The fallback template is rendered only when a window is closed at send time: not a row's branch.
  // Translations, the locale and sendAt are compared whole by the definition diff, not branch by branch.
  const notCounted = ['/fallback', '/translations', '/locale', '/sendAt'];
  for (const leaf of templateLeaves(d).filter((l) => !notCounted.some((p) => l.pointer === p || l.pointer.startsWith(`${p}/`)))) {
    const id = env.coverageId(leaf.text);
    if (id === undefined) continue; // plain `{{path}}` text: no branches
    const start = valueLine(m, leaf.pointer);
    for (const b of templateBranches(leaf.text, id)) {
      const fileLine = start + b.line - 1;
      out.push({ ...b, scope: leaf.pointer, file: m.file, fileLine, where: `${m.file}:${fileLine}` });
    }
  }
  for (const name of usedPartials(d, side.partialSources)) {
    const source = side.partialSources.get(name);
    if (source === undefined || env.coverageId === undefined) continue;
    const file = side.partialFiles?.get(name) ?? `messages/_partials/${name}.hbs`;
    let branches: TemplateBranch[];
    try {
      branches = templateBranches(source, `p:${name}`);
    } catch {
      continue;
    }
    const entry = partialEntry(name);
    for (const b of [{ ...entry, signature: `${entry.signature}|${source}` }, ...branches])
      out.push({ ...b, scope: `partial:${name}`, file, fileLine: b.line, where: `${file}:${b.line}` });
  }
  return out;
}

export interface UnreachedChange {
  /** file:line of the branch. */
  where: string;
  /** `the {{else}} of {{#if vip}}`. */
  branch: string;
  /** `no example reaches it`, `no recipient in recipients.csv takes it`. */
  reason: string;
}

/**
 * The head's branches that changed (no branch of the same template on the base side has the same
 * condition and content) and that no row reached. A branch inside another one reported already is
 * left out: the outer one names the place.
 */
export function unreachedChanges(
  head: readonly LocatedBranch[],
  base: readonly LocatedBranch[],
  reached: ReadonlySet<string>,
  reason: string,
): UnreachedChange[] {
  const available = new Map<string, number>();
  const slot = (b: LocatedBranch): string => `${b.scope}\0${b.signature}`;
  for (const b of base) available.set(slot(b), (available.get(slot(b)) ?? 0) + 1);
  const changed: LocatedBranch[] = [];
  for (const b of head) {
    const left = available.get(slot(b)) ?? 0;
    if (left > 0) available.set(slot(b), left - 1);
    else changed.push(b);
  }
  const missed = changed.filter((b) => !reached.has(b.key));
  const missedKeys = new Set(missed.map((b) => b.key));
  const parents = new Map(head.map((b) => [b.key, b.parent]));
  const inside = (b: LocatedBranch): boolean => {
    for (let p = b.parent; p !== undefined; p = parents.get(p)) if (missedKeys.has(p)) return true;
    return false;
  };
  return missed.filter((b) => !inside(b)).map((b) => ({ where: b.where, branch: b.label, reason }));
}

export interface BranchCoverage {
  where: string;
  branch: string;
  /** Indexes of the rows that take it (1-based, as rows are numbered everywhere). */
  rows: number[];
}

export interface MessageCoverage {
  id: string;
  file: string;
  rows: number;
  branches: BranchCoverage[];
}

/** Render every row of one message, recording which rows take which branch. */
export async function messageCoverage(m: SideMessage, side: Side, rows: AsyncIterable<Row>, fromText: boolean): Promise<MessageCoverage> {
  const compiled = m.compiled;
  const byRow: { index: number; hits: Set<string> }[] = [];
  let count = 0;
  for await (const row of rows) {
    count++;
    if (!compiled) continue;
    const hits = new Set<string>();
    recordBranches(hits, () => compiled.renderRow(cloneValues(row.values), fromText));
    byRow.push({ index: row.index, hits });
  }
  const branches = messageBranches(m, side).map((b) => ({
    where: b.where,
    branch: b.label,
    rows: byRow.filter((r) => r.hits.has(b.key)).map((r) => r.index),
  }));
  return { id: m.id, file: m.file, rows: count, branches };
}

/** A branch reached by no row, as a diagnostic (`--require-coverage`, `requireCoverage: true`). */
export function unreachedDiagnostics(coverage: readonly MessageCoverage[], rowsName: (c: MessageCoverage) => string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const c of coverage)
    for (const b of c.branches) {
      if (b.rows.length > 0) continue;
      const m = /^(.*):(\d+)$/.exec(b.where);
      out.push({
        code: 'E_BRANCH_UNREACHED',
        severity: 'error',
        file: m ? m[1]! : c.file,
        line: m ? Number(m[2]) : 0,
        column: 1,
        pointer: '',
        message: `${c.id}: ${b.branch} is reached by no ${rowsName(c)}`,
        hint: 'add an example row that takes it (see `chirp validate --coverage`), or remove the branch',
      });
    }
  return out;
}
