// Pure comparison of two catalog sides rendered with the same rows: what goes out differently.
import type { CompiledMessage, RowResult } from '../render/index.js';
import { maskRecipient } from '../render/index.js';
import type { Diagnostic, Row } from '../types.js';
import { changeSignature, diffValues, type DiffEntry } from './json-diff.js';
import type { Side, SideMessage } from './sides.js';

export type MessageStatus = 'added' | 'removed' | 'renamed' | 'changed' | 'unchanged';

export interface ChangeGroup {
  count: number;
  /** The first recipient in the group, masked unless revealed, and its row. */
  sample: { row: number; recipient: string };
  entries: DiffEntry[];
}

export interface Problem {
  code: string;
  message: string;
  /** Where: file:line:col for definitions, the row for data rows. */
  where: string;
}

export interface MessagePlan {
  id: string;
  status: MessageStatus;
  renamedFrom?: string;
  file: string;
  description?: string;
  /** Rows rendered on each side. */
  rows: number;
  /** Recipients whose request differs (for added/removed messages: who would get it / no longer get it). */
  recipients: number;
  groups: ChangeGroup[];
  introduced: Problem[];
  fixed: Problem[];
}

export interface PlanDiff {
  version: 1;
  base: { ref: string; commit: string };
  head: string;
  messages: MessagePlan[];
  summary: Record<MessageStatus, number> & { problemsIntroduced: number; problemsFixed: number };
}

export interface CompareOptions {
  base: Side;
  head: Side;
  baseRev: { ref: string; commit: string };
  /** The rows both sides of a message are rendered with. */
  rows: (head: SideMessage | undefined, base: SideMessage | undefined) => { rows: AsyncIterable<Row>; fromText: boolean; label: string };
  reveal: boolean;
}

const MAX_GROUPS = 20;

function contentKey(m: SideMessage): string {
  const d = m.checked.definition;
  return d ? JSON.stringify([d.channel, d.to, d.receiver, d.variables, d.required, d.body, d.template, d.fallback, d.passthrough, d.description]) : m.text;
}

function problemKey(p: Diagnostic): string {
  return `${p.code}|${p.pointer}|${p.message}`;
}

function toProblem(d: Diagnostic): Problem {
  return { code: d.code, message: d.message, where: `${d.file}:${d.line}:${d.column}` };
}

/** Errors on one side that the other does not have. */
function newProblems(from: readonly Diagnostic[], to: readonly Diagnostic[]): Problem[] {
  const before = new Set(from.filter((d) => d.severity === 'error').map(problemKey));
  return to.filter((d) => d.severity === 'error' && !before.has(problemKey(d))).map(toProblem);
}

function cloneValues(values: Record<string, unknown>): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(values)) {
    const v = values[key];
    out[key] = v !== null && typeof v === 'object' && !Array.isArray(v) ? cloneValues(v as Record<string, unknown>) : v;
  }
  return out;
}

/** The request as a reviewer compares it: chirp's own reference (a hash of the content) is noise. */
function comparable(result: RowResult, compiled: CompiledMessage, reveal: boolean): Record<string, unknown> | undefined {
  if (!result.ok) return undefined;
  const request: Record<string, unknown> = { ...result.request };
  if (!Object.hasOwn(compiled.definition.passthrough, 'reference')) delete request.reference;
  if (reveal) return request;
  // The recipient is masked wherever it appears: in the receiver, and in texts that quote it.
  const masked = maskRecipient(result.recipient);
  return JSON.parse(JSON.stringify(request).replaceAll(result.recipient, masked)) as Record<string, unknown>;
}

async function compareMessage(head: SideMessage | undefined, base: SideMessage | undefined, status: MessageStatus, options: CompareOptions): Promise<MessagePlan> {
  const some = (head ?? base)!;
  const plan: MessagePlan = { id: some.id, status, file: some.file, rows: 0, recipients: 0, groups: [], introduced: [], fixed: [] };
  // Same text, same partials, same channels: nothing can differ, so nothing is checked or rendered.
  if (status === 'unchanged') return plan;
  plan.introduced = newProblems(base?.checked.diagnostics ?? [], head?.checked.diagnostics ?? []);
  plan.fixed = head ? newProblems(head.checked.diagnostics, base?.checked.diagnostics ?? []) : [];
  const description = head?.checked.definition?.description ?? base?.checked.definition?.description;
  if (description) plan.description = description;
  const { rows, fromText, label } = options.rows(head, base);
  const groups = new Map<string, ChangeGroup>();
  for await (const row of rows) {
    plan.rows++;
    const after = head?.compiled?.renderRow(cloneValues(row.values), fromText);
    const before = base?.compiled?.renderRow(cloneValues(row.values), fromText);
    if (after && !after.ok && (!before || before.ok)) {
      plan.introduced.push(...after.problems.map((p) => ({ code: p.code, message: p.message, where: `${label} row ${row.index}` })));
    }
    if (before && !before.ok && after?.ok) plan.fixed.push(...before.problems.map((p) => ({ code: p.code, message: p.message, where: `${label} row ${row.index}` })));
    const a = before && base?.compiled ? comparable(before, base.compiled, options.reveal) : undefined;
    const b = after && head?.compiled ? comparable(after, head.compiled, options.reveal) : undefined;
    if (a === undefined && b === undefined) continue;
    const entries = diffValues(a ?? {}, b ?? {});
    if (entries.length === 0) continue;
    plan.recipients++;
    const recipient = (after?.ok ? after.recipient : before?.ok ? before.recipient : '') ?? '';
    const signature = changeSignature(entries);
    const group = groups.get(signature);
    if (group) group.count++;
    else if (groups.size < MAX_GROUPS) groups.set(signature, { count: 1, sample: { row: row.index, recipient: options.reveal ? recipient : maskRecipient(recipient) }, entries });
  }
  plan.groups = [...groups.values()].sort((x, y) => y.count - x.count);
  if (status === 'renamed' && plan.recipients > 0) plan.status = 'changed';
  return plan;
}

export async function compareSides(options: CompareOptions): Promise<PlanDiff> {
  const { base, head } = options;
  const sameSurroundings = JSON.stringify([...base.partialSources].sort()) === JSON.stringify([...head.partialSources].sort()) && JSON.stringify(base.channels) === JSON.stringify(head.channels) && JSON.stringify(base.platforms ?? {}) === JSON.stringify(head.platforms ?? {});
  const added = [...head.messages.values()].filter((m) => !base.messages.has(m.id));
  const removed = [...base.messages.values()].filter((m) => !head.messages.has(m.id));
  // A rename: a removed and an added message with the same content.
  const renames = new Map<string, SideMessage>();
  for (const a of added) {
    const match = removed.find((r) => !renames.has(r.id) && [...renames.values()].every((x) => x !== r) && contentKey(r) === contentKey(a));
    if (match) renames.set(a.id, match);
  }
  const renamedFrom = new Set([...renames.values()].map((m) => m.id));
  const messages: MessagePlan[] = [];
  const ids = [...new Set([...head.messages.keys(), ...base.messages.keys()])].sort();
  for (const id of ids) {
    const h = head.messages.get(id);
    const b = base.messages.get(id);
    if (h && b) {
      const unchanged = h.text === b.text && sameSurroundings;
      messages.push(await compareMessage(h, b, unchanged ? 'unchanged' : 'changed', options));
      const last = messages.at(-1)!;
      if (last.status === 'changed' && last.recipients === 0 && last.introduced.length === 0 && last.fixed.length === 0) last.status = 'unchanged';
    } else if (h) {
      const from = renames.get(id);
      const plan = await compareMessage(h, from, from ? 'renamed' : 'added', options);
      if (from) plan.renamedFrom = from.id;
      messages.push(plan);
    } else if (b && !renamedFrom.has(id)) {
      messages.push(await compareMessage(undefined, b, 'removed', options));
    }
  }
  const summary = { added: 0, removed: 0, renamed: 0, changed: 0, unchanged: 0, problemsIntroduced: 0, problemsFixed: 0 };
  for (const m of messages) {
    summary[m.status]++;
    summary.problemsIntroduced += m.introduced.length;
    summary.problemsFixed += m.fixed.length;
  }
  summary.problemsIntroduced += newProblems(base.diagnostics, head.diagnostics).length;
  return { version: 1, base: options.baseRev, head: head.label, messages, summary };
}

export function hasChanges(plan: PlanDiff): boolean {
  const s = plan.summary;
  return s.added + s.removed + s.renamed + s.changed > 0 || s.problemsIntroduced > 0;
}
