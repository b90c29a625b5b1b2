// plan --base: what changed in templates.lock.json between the base and the working tree, which
// messages each change affects, and the problems the change brings to them (the message files may be
// untouched: a newly published version with a new variable breaks them all the same).
import { parseYamlText } from '../catalog/index.js';
import {
  checkTemplates,
  localeApproved,
  templateUses,
  type LockedProject,
  type TemplateLock,
  type TemplateMessage,
} from '../templates/index.js';
import type { JsonObject } from '../types.js';
import type { PlanDiff, Problem } from './compare.js';
import type { Side } from './sides.js';

export type LockChangeKind =
  'project-added' | 'project-removed' | 'active-version' | 'status' | 'locale' | 'variable-added' | 'variable-removed' | 'variable-changed';

export interface LockChange {
  projectId: string;
  name: string | null;
  kind: LockChangeKind;
  detail: string;
  /** Message ids (working tree) that use the project. */
  messages: string[];
}

export interface TemplateLockDiff {
  /** Whether each side has a lock. */
  base: boolean;
  head: boolean;
  changes: LockChange[];
}

function approval(project: LockedProject, locale: string): string {
  const t = project.activeTemplateId ? project.templates[project.activeTemplateId] : undefined;
  const l = t?.locales[locale];
  return !l ? 'absent' : localeApproved(l) ? 'approved' : (l.status ?? 'no status');
}

/** The changes of one project, comparing what `version: latest` sends (the active template). */
function projectChanges(id: string, a: LockedProject | undefined, b: LockedProject | undefined): Omit<LockChange, 'messages'>[] {
  const name = b?.name ?? a?.name ?? null;
  const out: Omit<LockChange, 'messages'>[] = [];
  const push = (kind: LockChangeKind, detail: string): void => void out.push({ projectId: id, name, kind, detail });
  if (!a && b) push('project-added', `project added to the lock (active version ${b.activeTemplateId ?? 'none'})`);
  if (a && !b) push('project-removed', 'project removed from the lock');
  if (!a || !b) return out;
  if (a.activeTemplateId !== b.activeTemplateId)
    push('active-version', `active version ${a.activeTemplateId ?? 'none'} → ${b.activeTemplateId ?? 'none'}`);
  for (const tid of Object.keys(a.templates).sort()) {
    const [ta, tb] = [a.templates[tid]!, b.templates[tid]];
    if (tb && ta.status !== tb.status) push('status', `version ${tid}: ${ta.status} → ${tb.status}`);
  }
  const ta = a.activeTemplateId ? a.templates[a.activeTemplateId] : undefined;
  const tb = b.activeTemplateId ? b.templates[b.activeTemplateId] : undefined;
  const locales = new Set([...Object.keys(ta?.locales ?? {}), ...Object.keys(tb?.locales ?? {})]);
  for (const locale of [...locales].sort()) {
    const [x, y] = [approval(a, locale), approval(b, locale)];
    if (x !== y) push('locale', `locale ${locale}: ${x} → ${y}`);
  }
  const va = ta?.variables ?? {};
  const vb = tb?.variables ?? {};
  for (const key of Object.keys(vb).sort()) {
    if (!va[key]) push('variable-added', `variable "${key}" (${vb[key]!.type}) added`);
    else if (JSON.stringify(va[key]) !== JSON.stringify(vb[key]))
      push(
        'variable-changed',
        `variable "${key}": ${va[key].type}/${va[key].characterLimit ?? '-'} → ${vb[key]!.type}/${vb[key]!.characterLimit ?? '-'}`,
      );
  }
  for (const key of Object.keys(va).sort()) if (!vb[key]) push('variable-removed', `variable "${key}" removed`);
  return out;
}

function messageOf(text: string, file: string): TemplateMessage | undefined {
  const value = parseYamlText(file, text).value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const data = value as JsonObject;
  const passthrough: JsonObject = {};
  for (const k of ['capFrequency', 'meta'] as const) if (data[k] !== undefined) passthrough[k] = data[k];
  return { template: data.template as JsonObject, fallback: data.fallback as { template: JsonObject }, passthrough };
}

const key = (p: { code: string; pointer: string; message: string }): string => `${p.code}|${p.pointer}|${p.message}`;

/**
 * The hook `plan --base` calls after comparing the messages: adds `templates` to the plan and replaces
 * the template problems of each message by those the lock change brings (head message checked against
 * the base lock, then the head lock), so an untouched message broken by the lock is a problem introduced.
 */
export function addTemplateLockDiff(
  plan: PlanDiff,
  head: Side,
  locks: { base: TemplateLock | undefined; head: TemplateLock | undefined },
): TemplateLockDiff {
  const a = locks.base?.projects ?? {};
  const b = locks.head?.projects ?? {};
  const ids = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const users = new Map<string, string[]>();
  const parsed = new Map<string, TemplateMessage>();
  for (const m of head.messages.values()) {
    if (!m.text.includes('template')) continue;
    const message = messageOf(m.text, m.file);
    if (!message) continue;
    parsed.set(m.id, message);
    for (const use of templateUses(message)) {
      const pid = typeof use.template.projectId === 'string' ? use.template.projectId : '';
      users.set(pid, [...(users.get(pid) ?? []), m.id]);
    }
  }
  const changes: LockChange[] = [];
  for (const id of ids)
    for (const c of projectChanges(id, a[id], b[id])) changes.push({ ...c, messages: [...new Set(users.get(id) ?? [])].sort() });
  const result: TemplateLockDiff = { base: locks.base !== undefined, head: locks.head !== undefined, changes };
  plan.templates = result;

  const isTemplateProblem = (p: Problem): boolean => p.code.startsWith('E_TEMPLATE_') || p.code.startsWith('W_TEMPLATE_');
  const affected = new Set(changes.flatMap((c) => c.messages));
  const catalogLevel = plan.summary.problemsIntroduced - plan.messages.reduce((n, m) => n + m.introduced.length, 0);
  for (const m of plan.messages) {
    m.introduced = m.introduced.filter((p) => !isTemplateProblem(p));
    m.fixed = m.fixed.filter((p) => !isTemplateProblem(p));
    const message = parsed.get(m.id);
    if (!message || (m.status === 'unchanged' && !affected.has(m.id))) continue;
    const errors = (lock: TemplateLock | undefined) => (lock ? checkTemplates(message, lock).filter((p) => p.severity === 'error') : []);
    const [was, now] = [errors(locks.base), errors(locks.head)];
    const wasKeys = new Set(was.map(key));
    const nowKeys = new Set(now.map(key));
    const where = `${m.file} (templates.lock.json)`;
    for (const p of now) if (!wasKeys.has(key(p))) m.introduced.push({ code: p.code, message: p.message, where });
    for (const p of was) if (!nowKeys.has(key(p))) m.fixed.push({ code: p.code, message: p.message, where });
  }
  // The lock entries a message uses are part of its definition: a change of one is a change of the message.
  for (const m of plan.messages) {
    if (m.status === 'removed') continue;
    for (const c of changes.filter((x) => x.messages.includes(m.id)))
      m.definition.push({
        path: `(templates.lock.json).${c.projectId}`,
        kind: 'changed',
        before: '(the base lock)',
        after: c.detail,
        where: 'templates.lock.json',
      });
    if (m.status === 'unchanged' && m.definition.length > 0) {
      m.status = 'changed';
      plan.summary.unchanged--;
      plan.summary.changed++;
    }
  }
  plan.summary.problemsIntroduced = catalogLevel + plan.messages.reduce((n, m) => n + m.introduced.length, 0);
  plan.summary.problemsFixed = plan.messages.reduce((n, m) => n + m.fixed.length, 0);
  return result;
}
