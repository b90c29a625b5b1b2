// The send preflight: before the first request, read each template the run uses from Bird once and
// compare it with the lock in what decides whether Bird will take the message: the active version,
// the locale's approval, the variables. Any difference stops the run (nothing is sent).
import type { Transport } from '../transport/index.js';
import { lockedLocale, lockedTemplateFor, PULL_HINT } from './checks.js';
import { fetchProject, fetchTemplate, FetchFailure } from './fetch.js';
import { LOCK_FILE, localeApproved, type LockedTemplate, type TemplateLock } from './lock.js';
import type { Diagnostic } from '../types.js';
import { normalizeLocale } from '../util/index.js';

/** One template (project, version, locale) a run sends. */
export interface PreflightUse {
  projectId: string;
  version: string;
  locale: string;
  /** Messages (ids) sending it. */
  messages: string[];
}

export interface PreflightEntry {
  projectId: string;
  version: string;
  locale: string;
  /** The channel template the lock resolves the version to. */
  templateId: string | null;
  messages: string[];
  /**
   * ok: Bird agrees with the lock; changed / failed: the run was stopped; unused: Bird differs (or could
   * not be read) in a locale no row of the run gets, which does not stop it; trusted: --offline-templates.
   */
  status: 'ok' | 'changed' | 'failed' | 'unused' | 'trusted' | 'unlocked';
  /** What differs, or why the check failed, one sentence each. */
  changes: string[];
}

export interface TemplatePreflight {
  /** online: checked at Bird; offline: the lock trusted; skipped: a dry run opens no connection; no-lock. */
  mode: 'online' | 'offline' | 'skipped' | 'no-lock';
  templates: PreflightEntry[];
  /** True when nothing stands in the way of sending. */
  ok: boolean;
}

export interface PreflightOptions {
  lock: TemplateLock | undefined;
  uses: readonly PreflightUse[];
  mode: 'online' | 'offline' | 'skipped';
  transport?: () => Transport;
  /**
   * The uses the run's rows need (`uses` holds every locale a row could get), asked only when Bird
   * differs from the lock (it costs a pass over the data): a difference in a locale no row gets then
   * does not stop the run. Undefined from it: cannot tell, the difference stops the run.
   */
  rowUses?: () => Promise<readonly PreflightUse[] | undefined>;
}

function approval(t: LockedTemplate, locale: string): string {
  // The lock keeps Bird's spelling (`pt_BR`), the request the canonical tag (`pt-BR`): look up as the checks do.
  const l = lockedLocale(t, locale);
  if (!l) return 'absent';
  return localeApproved(l)
    ? 'approved'
    : `${l.status ?? 'no status'}${l.platformStatuses.length > 0 ? ` (WhatsApp: ${l.platformStatuses.join(', ')})` : ''}`;
}

/** What differs between the locked and the live template, in what matters for sending. */
export function templateChanges(locked: LockedTemplate, live: LockedTemplate, locale: string): string[] {
  const changes: string[] = [];
  if (live.status !== locked.status) changes.push(`template ${locked.id} is now ${live.status} (lock: ${locked.status})`);
  const [was, now] = [approval(locked, locale), approval(live, locale)];
  if (was !== now) changes.push(`locale ${locale} is now ${now} (lock: ${was})`);
  for (const key of Object.keys(live.variables).sort()) {
    const a = locked.variables[key];
    const b = live.variables[key]!;
    if (!a) changes.push(`variable "${key}" (${b.type}) was added`);
    else if (a.type !== b.type || a.characterLimit !== b.characterLimit || a.format !== b.format) {
      changes.push(
        `variable "${key}" changed: type ${a.type} → ${b.type}, characterLimit ${a.characterLimit ?? 'none'} → ${b.characterLimit ?? 'none'}`,
      );
    }
  }
  for (const key of Object.keys(locked.variables).sort()) if (!live.variables[key]) changes.push(`variable "${key}" was removed`);
  return changes;
}

async function checkOne(transport: Transport, lock: TemplateLock, use: PreflightUse): Promise<PreflightEntry> {
  const entry: PreflightEntry = { ...use, messages: [...use.messages].sort(), templateId: null, status: 'ok', changes: [] };
  const resolved = lockedTemplateFor(lock, { projectId: use.projectId, version: use.version });
  if (!('template' in resolved)) return { ...entry, status: 'failed', changes: [resolved.message] };
  const locked = resolved.template;
  entry.templateId = locked.id;
  try {
    if (use.version === 'latest') {
      const project = await fetchProject(transport, use.projectId);
      const lockedActive = lock.projects[use.projectId]!.activeTemplateId;
      if (project.activeTemplateId !== lockedActive)
        entry.changes.push(
          `the active version of project ${use.projectId} is now ${project.activeTemplateId ?? 'none'} (lock: ${lockedActive ?? 'none'}): a new version was published`,
        );
      // Say what the new version changes too: that is what breaks (or not) the message.
      if (project.activeTemplateId !== lockedActive && project.activeTemplateId !== null) {
        const fresh = await fetchTemplate(transport, use.projectId, project.activeTemplateId);
        for (const c of templateChanges(locked, fresh, use.locale)) entry.changes.push(`in the new version ${fresh.id}: ${c}`);
      }
    }
    entry.changes.push(...templateChanges(locked, await fetchTemplate(transport, use.projectId, locked.id), use.locale));
  } catch (error) {
    if (!(error instanceof FetchFailure)) throw error;
    return { ...entry, status: 'failed', changes: [error.message] };
  }
  if (entry.changes.length > 0) entry.status = 'changed';
  return entry;
}

export async function preflightTemplates(options: PreflightOptions): Promise<TemplatePreflight> {
  const uses = [...options.uses].sort(
    (a, b) => a.projectId.localeCompare(b.projectId) || a.version.localeCompare(b.version) || a.locale.localeCompare(b.locale),
  );
  const plain = (status: PreflightEntry['status']): PreflightEntry[] =>
    uses.map((u) => ({ ...u, messages: [...u.messages].sort(), templateId: null, status, changes: [] }));
  if (!options.lock) return { mode: 'no-lock', templates: plain('unlocked'), ok: true };
  if (options.mode !== 'online' || uses.length === 0) {
    const lock = options.lock;
    const templates = plain('trusted').map((e) => {
      const r = lockedTemplateFor(lock, e);
      return 'template' in r ? { ...e, templateId: r.template.id } : { ...e, status: 'failed' as const, changes: [r.message] };
    });
    return { mode: options.mode === 'online' ? 'online' : options.mode, templates, ok: templates.every((t) => t.status !== 'failed') };
  }
  const transport = options.transport!();
  const templates: PreflightEntry[] = [];
  // One after another: a handful of GETs, and a refused key stops at the first.
  for (const use of uses) templates.push(await checkOne(transport, options.lock, use));
  if (templates.every((t) => t.status === 'ok')) return { mode: 'online', templates, ok: true };
  const needed = await options.rowUses?.();
  if (!needed) return { mode: 'online', templates, ok: false };
  const keys = new Set(needed.map(useKey));
  const narrowed = templates.map((t): PreflightEntry => (t.status === 'ok' || keys.has(useKey(t)) ? t : { ...t, status: 'unused' }));
  return { mode: 'online', templates: narrowed, ok: narrowed.every((t) => t.status === 'ok' || t.status === 'unused') };
}

/** A use's identity across spellings of its locale (the lock's `pt_BR`, a request's `pt-BR`). */
function useKey(u: { projectId: string; version: string; locale: string }): string {
  const n = normalizeLocale(u.locale);
  return `${u.projectId}\0${u.version}\0${n.ok ? n.locale : u.locale}`;
}

/** What the run says of a difference no row meets (status `unused`). */
export function unusedNote(t: PreflightEntry): string {
  return `template project ${t.projectId} version ${t.version} locale ${t.locale}: ${t.changes.join('; ')} — no row of this run gets that locale, so it does not stop the send (run \`chirp templates pull\` before one does)`;
}

/** The refusal: a summary and the way out, and one diagnostic per change (or failed read) per template. */
export function preflightRefusal(result: TemplatePreflight): { message: string; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  for (const t of result.templates.filter((e) => e.status === 'changed' || e.status === 'failed')) {
    for (const change of t.changes) {
      diagnostics.push({
        code: t.status === 'changed' ? 'E_TEMPLATE_CHANGED' : 'E_TEMPLATE_PREFLIGHT',
        severity: 'error',
        file: LOCK_FILE,
        line: 0,
        column: 0,
        pointer: `/projects/${t.projectId}`,
        message: `project ${t.projectId} version ${t.version} locale ${t.locale} (used by ${t.messages.join(', ')}): ${change}`,
        hint: PULL_HINT,
      });
    }
  }
  const message = [
    'chirp: the template preflight found that Bird differs from templates.lock.json (or could not be read); nothing was sent.',
    'Review the change, run `chirp templates pull` and `chirp validate` (or pass --offline-templates to trust the lock as it is).',
  ].join('\n');
  return { message, diagnostics };
}
