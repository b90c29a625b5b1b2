// Pure comparison of two catalog sides rendered with the same rows: what goes out differently, to
// whom, and where it goes.
//
// Grouping rule: two recipients share a group only when their old and new requests (where it goes,
// the request, the fallback template) are identical after the recipient's own identifiers — the
// recipient, and each value of their row of at least MIN_PERSONAL characters — are replaced by one
// placeholder per variable (`personalKey`). The replacement is invertible (placeholders use code points
// no request or value holds), so the key and a recipient's own row give back exactly that recipient's
// requests: within a group, outcomes differ only by each recipient's own values, and every other
// difference (another branch, another text) is another group, shown with its count.
import type { ConsentDiff } from './consent.js';
import { RecipientSet } from '../render/index.js';
import { maskRecipient } from '../util/index.js';
import type { Diagnostic, Row } from '../types.js';
import { BARE, comparable, mask, rendererOf } from './comparable.js';
import { diffValues, type DiffEntry } from './json-diff.js';
import type { Side, SideMessage } from './sides.js';
import { leaves, personalKey, Placeholders } from './grouping.js';
import type { TemplateLockDiff } from './template-lock.js';
import { cloneValues } from '../util/index.js';
import { recordBranches } from '../render/index.js';
import { definitionChanges, type DefinitionChange } from './definition.js';
import { messageBranches, unreachedChanges, type UnreachedChange } from './coverage.js';

export type MessageStatus = 'added' | 'removed' | 'renamed' | 'changed' | 'unchanged';

export interface ChangeGroup {
  count: number;
  /** The first recipient in the group, masked unless revealed, and its row. */
  sample: { row: number; recipient: string };
  /**
   * Variables whose values the sample's change shows and each recipient of the group gets with their
   * own value (the grouping rule, above); the recipient's own number is always theirs.
   */
  personal: string[];
  /** The sample's change; entries under `destination` are also in the message's `destination`. */
  entries: DiffEntry[];
  /** A message with `locale`: the locale this group's recipients get (the head side's, else the base's). */
  locale?: string;
}

/** A message with `locale`: the rows' recipients per locale they get (head side, else base), and how many of them change. */
export interface LocaleCoverage {
  locale: string;
  recipients: number;
  changed: number;
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
  /**
   * Set on renames: the journal is keyed by message id, so a renamed message is a new message and
   * every recipient gets it again (docs/cli.md, "Renames").
   */
  resendsToAll?: boolean;
  file: string;
  description?: string;
  /** Rows rendered on each side. */
  rows: number;
  /** Distinct valid recipients of the rows (the head side's; the base side's for a removed message), as send counts them. */
  distinct: number;
  /** Rows that do not render on that side (send refuses the data while there are any), and a sample of why. */
  invalid: number;
  invalidRows: Problem[];
  /** Rows whose recipient appeared in an earlier row (send sends them once). */
  duplicates: number;
  /** Recipients whose request differs (for added/removed messages: who would get it / no longer get it). */
  recipients: number;
  /** Changes of where the message goes (workspace, channel, sender, fallback template), every distinct one. */
  destination: DiffEntry[];
  groups: ChangeGroup[];
  /** Recipients in groups beyond the groups kept (more than MAX_GROUPS distinct changes); 0 normally. */
  recipientsNotShown: number;
  /**
   * The definition diff: every change of what the message can send or accept (its fields, where it
   * goes, the partials it uses), with file:line, whether or not a row renders it. Any entry makes the
   * message changed.
   */
  definition: DefinitionChange[];
  /** Changed branches (and changed messages) that no row reached: the rendered diff cannot show them. */
  unreached: UnreachedChange[];
  /** For an added message: its first rendered request, whole (masked unless revealed). */
  firstRequest?: { row: number; request: Record<string, unknown> };
  introduced: Problem[];
  fixed: Problem[];
  /** A message with `locale` on either side: which locales the rows (the examples without --data) reach, sorted. */
  locales?: LocaleCoverage[];
}

export interface PlanDiff {
  version: 1;
  /** The commit compared with: `commit` is the merge base of `ref` and HEAD unless `mergeBase` is false. */
  base: { ref: string; commit: string; tip?: string; mergeBase?: boolean };
  head: string;
  /** HEAD's commit, and whether the working tree differs from it. */
  headCommit?: { commit: string; dirty: boolean };
  messages: MessagePlan[];
  summary: Record<MessageStatus, number> & {
    problemsIntroduced: number;
    problemsFixed: number;
    invalidRows: number;
    /** Changed branches no row reached, over all messages. */
    unreached: number;
  };
  /**
   * With `--require-coverage` (or the config's `requireCoverage`): every branch of a selected message
   * (working tree) that no row reaches; any makes the plan exit 1.
   */
  coverage?: { required: true; unreached: { message: string; where: string; branch: string; reason: string }[] };
  /** templates.lock.json changes (template-lock.ts), when the catalog has a lock on either side. */
  templates?: TemplateLockDiff;
  /** Suppression lists and opt-in columns compared (consent.ts), when either side has any. */
  consent?: ConsentDiff;
  /** Errors of the catalog itself (a refused file name, a symlink, twin files) that HEAD has and the base has not. */
  catalogIntroduced?: Problem[];
}

export interface CompareOptions {
  base: Side;
  head: Side;
  baseRev: PlanDiff['base'];
  headCommit?: PlanDiff['headCommit'];
  /** The rows both sides of a message are rendered with. */
  rows: (head: SideMessage | undefined, base: SideMessage | undefined) => { rows: AsyncIterable<Row>; fromText: boolean; label: string };
  reveal: boolean;
  /** Why a changed branch shows no rendered change: `no example reaches it` (default), `no recipient in FILE takes it`. */
  unreachedReason?: string;
}

/** Distinct changes kept per message; recipients of further ones are counted, never dropped silently. */
export const MAX_GROUPS = 1000;
const MAX_INVALID = 20;

function contentKey(m: SideMessage): string {
  const d = m.checked.definition;
  return d
    ? JSON.stringify([
        d.channel,
        d.to,
        d.receiver,
        d.variables,
        d.required,
        d.body,
        d.template,
        d.fallback,
        d.passthrough,
        d.description,
        d.locale,
        d.defaultLocale,
        d.localeFallback,
        d.translations,
        d.sendAt,
      ])
    : m.text;
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

async function compareMessage(
  head: SideMessage | undefined,
  base: SideMessage | undefined,
  status: MessageStatus,
  options: CompareOptions,
): Promise<MessagePlan> {
  const some = (head ?? base)!;
  const plan: MessagePlan = {
    id: some.id,
    status,
    file: some.file,
    rows: 0,
    recipients: 0,
    destination: [],
    groups: [],
    recipientsNotShown: 0,
    introduced: [],
    fixed: [],
    definition: [],
    unreached: [],
    distinct: 0,
    invalid: 0,
    invalidRows: [],
    duplicates: 0,
  };
  // Same text, same partials, same config: nothing can differ, so nothing is checked or rendered.
  if (status === 'unchanged') return plan;
  plan.introduced = newProblems(base?.checked.diagnostics ?? [], head?.checked.diagnostics ?? []);
  plan.fixed = head ? newProblems(head.checked.diagnostics, base?.checked.diagnostics ?? []) : [];
  if (head && base) plan.definition = definitionChanges(head, base, { head: options.head, base: options.base });
  const description = head?.checked.definition?.description ?? base?.checked.definition?.description;
  if (description) plan.description = description;
  const after = rendererOf(head, options.head);
  const before = rendererOf(base, options.base);
  const { rows, fromText, label } = options.rows(head, base);
  const groups = new Map<string, ChangeGroup>();
  const placeholders = new Placeholders();
  const destination = new Map<string, DiffEntry>();
  const seen = new RecipientSet();
  const coverage = new Map<string, LocaleCoverage>();
  // The branches the working tree's rows take: a changed branch none takes is named (coverage.ts).
  const reached = new Set<string>();
  for await (const row of rows) {
    plan.rows++;
    const b = after ? recordBranches(reached, () => after.compiled.renderRow(cloneValues(row.values), fromText, BARE)) : undefined;
    const a = before?.compiled.renderRow(cloneValues(row.values), fromText, BARE);
    // Count what send would: invalid rows (with reasons), then one recipient per distinct number.
    const sent = after ? b : a;
    if (sent && !sent.ok) {
      plan.invalid++;
      if (plan.invalidRows.length < MAX_INVALID)
        plan.invalidRows.push(...sent.problems.map((p) => ({ code: p.code, message: p.message, where: `${label} row ${row.index}` })));
    } else if (sent?.ok) {
      if (seen.firstRowOrAdd(sent.recipient, row.index) !== 0) {
        plan.duplicates++;
        continue;
      }
      plan.distinct++;
      if (sent.locale) {
        let c = coverage.get(sent.locale.used);
        if (!c) coverage.set(sent.locale.used, (c = { locale: sent.locale.used, recipients: 0, changed: 0 }));
        c.recipients++;
      }
    }
    if (b && !b.ok && (!a || a.ok))
      plan.introduced.push(...b.problems.map((p) => ({ code: p.code, message: p.message, where: `${label} row ${row.index}` })));
    if (a && !a.ok && b?.ok)
      plan.fixed.push(...a.problems.map((p) => ({ code: p.code, message: p.message, where: `${label} row ${row.index}` })));
    const old = a && before ? comparable(a, before, row, fromText) : undefined;
    const neu = b && after ? comparable(b, after, row, fromText) : undefined;
    if (old === undefined && neu === undefined) continue;
    const oldRecipient = a?.ok ? a.recipient : undefined;
    const newRecipient = b?.ok ? b.recipient : undefined;
    const oldJson = JSON.stringify(old) ?? '';
    const newJson = JSON.stringify(neu) ?? '';
    if (old !== undefined && neu !== undefined && oldJson === newJson) continue;
    plan.recipients++;
    const locale = b?.ok ? b.locale?.used : a?.ok ? a.locale?.used : undefined;
    const covered = locale === undefined ? undefined : coverage.get(locale);
    if (covered) covered.changed++;
    if (status === 'added' && plan.firstRequest === undefined && neu)
      plan.firstRequest = { row: row.index, request: mask(neu, newRecipient, options.reveal) };
    const identifiers: [string, string][] = [...leaves(row.values)];
    if (newRecipient) identifiers.push(['(recipient)', newRecipient]);
    if (oldRecipient && oldRecipient !== newRecipient) identifiers.push(['(old recipient)', oldRecipient]);
    const { key, personal } = personalKey([oldJson, newJson], identifiers, placeholders);
    const group = groups.get(key);
    if (group) {
      group.count++;
      continue;
    }
    if (groups.size >= MAX_GROUPS) {
      plan.recipientsNotShown++;
      continue;
    }
    const recipient = newRecipient ?? oldRecipient ?? '';
    const masked = (v: Record<string, unknown> | undefined): Record<string, unknown> =>
      mask(mask(v ?? {}, newRecipient, options.reveal), oldRecipient, options.reveal);
    const entries = diffValues(masked(old), masked(neu));
    groups.set(key, {
      count: 1,
      sample: { row: row.index, recipient: options.reveal ? recipient : maskRecipient(recipient) },
      personal: personal.filter((p) => !p.startsWith('(')),
      entries,
      ...(locale !== undefined ? { locale } : {}),
    });
    for (const e of entries) if (e.path === 'destination' || e.path.startsWith('destination.')) destination.set(JSON.stringify(e), e);
  }
  plan.groups = [...groups.values()].sort((x, y) => y.count - x.count || x.sample.row - y.sample.row);
  if (coverage.size > 0) plan.locales = [...coverage.values()].sort((x, y) => (x.locale < y.locale ? -1 : 1));
  if (head && (status === 'added' || plan.definition.length > 0)) {
    const reason = options.unreachedReason ?? 'no example reaches it';
    plan.unreached =
      plan.rows === 0
        ? [{ where: plan.definition[0]?.where ?? `${head.file}:1`, branch: 'the message', reason: rowlessReason(reason) }]
        : unreachedChanges(messageBranches(head, options.head), base ? messageBranches(base, options.base) : [], reached, reason);
  }
  // Where an added or removed message goes is in its groups; a change of it needs both sides.
  if (head && base) plan.destination = [...destination.values()];
  if (status === 'renamed') plan.resendsToAll = true;
  if (status === 'renamed' && plan.recipients > 0) plan.status = 'changed';
  return plan;
}

/** Why no part of a message was rendered at all. */
const rowlessReason = (reason: string): string =>
  reason === 'no example reaches it' ? 'it has no examples, so no row renders it' : 'no row renders it';

/** What every message of a side shares: partials, config (channels, workspace, API URL, defaultCountry) and the seam for more. */
function surroundingsKey(side: Side): string {
  return JSON.stringify([
    [...side.partialSources].sort(),
    side.channels,
    side.platforms ?? {},
    [side.workspace, side.apiUrl, side.defaultCountry],
    side.surroundings ?? null,
  ]);
}

export async function compareSides(options: CompareOptions): Promise<PlanDiff> {
  const { base, head } = options;
  const sameSurroundings = surroundingsKey(base) === surroundingsKey(head);
  const added = [...head.messages.values()].filter((m) => !base.messages.has(m.id));
  const removed = [...base.messages.values()].filter((m) => !head.messages.has(m.id));
  // A rename: a removed and an added message with the same content.
  const renames = new Map<string, SideMessage>();
  for (const a of added) {
    const match = removed.find((r) => [...renames.values()].every((x) => x !== r) && contentKey(r) === contentKey(a));
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
      const plan = await compareMessage(h, b, unchanged ? 'unchanged' : 'changed', options);
      if (
        plan.status === 'changed' &&
        plan.recipients === 0 &&
        plan.introduced.length === 0 &&
        plan.fixed.length === 0 &&
        plan.invalid === 0 &&
        plan.definition.length === 0
      )
        plan.status = 'unchanged';
      messages.push(plan);
    } else if (h) {
      const from = renames.get(id);
      const plan = await compareMessage(h, from, from ? 'renamed' : 'added', options);
      if (from) plan.renamedFrom = from.id;
      messages.push(plan);
    } else if (b && !renamedFrom.has(id)) {
      messages.push(await compareMessage(undefined, b, 'removed', options));
    }
  }
  // Messages whose destination changes come first (stable otherwise): a cut markdown plan keeps them.
  messages.sort((x, y) => Number(y.destination.length > 0) - Number(x.destination.length > 0));
  const summary = {
    added: 0,
    removed: 0,
    renamed: 0,
    changed: 0,
    unchanged: 0,
    problemsIntroduced: 0,
    problemsFixed: 0,
    invalidRows: 0,
    unreached: 0,
  };
  for (const m of messages) {
    summary[m.status]++;
    summary.unreached += m.unreached.length;
    summary.problemsIntroduced += m.introduced.length;
    summary.problemsFixed += m.fixed.length;
  }
  const catalogIntroduced = newProblems(base.diagnostics, head.diagnostics);
  summary.problemsIntroduced += catalogIntroduced.length;
  summary.invalidRows = messages.reduce((sum, m) => sum + (m.status === 'removed' ? 0 : m.invalid), 0);
  return {
    version: 1,
    base: options.baseRev,
    head: head.label,
    ...(options.headCommit ? { headCommit: options.headCommit } : {}),
    messages,
    summary,
    ...(catalogIntroduced.length > 0 ? { catalogIntroduced } : {}),
  };
}

// Lives in util/ so the CLI's exit codes can use it without loading the diff stage (see util/plan-changes.ts).
export { hasChanges } from '../util/index.js';
