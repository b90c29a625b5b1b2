// Which Bird templates the catalog (for `templates pull`) or one send (for the preflight) uses.
import { listMessages, loadMessage, type Catalog } from './catalog/index.js';
import type { MessageDefinition } from './check/index.js';
import {
  approvedLocales,
  localeApproved,
  lockedTemplateFor,
  pullTemplates,
  templateUses,
  type PreflightUse,
  type PullResult,
  type TemplateLock,
  usedTemplateLocales,
} from './templates/index.js';
import { createTransport } from './transport/index.js';
import type { Dispatcher } from 'undici';
import { UserError } from './errors.js';
import type { JsonObject } from './types.js';

/** projectId → the message files naming it in `template` or `fallback.template` (read even if otherwise invalid). */
export function collectTemplateProjects(catalog: Catalog): Map<string, string[]> {
  const projects = new Map<string, string[]>();
  for (const file of listMessages(catalog.config.root, catalog.cwd)) {
    const value = loadMessage(file).source.value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    const data = value as JsonObject;
    for (const use of templateUses({ template: data.template as JsonObject, fallback: data.fallback as { template: JsonObject } })) {
      const id = use.template.projectId;
      if (typeof id !== 'string' || id === '') continue;
      const files = projects.get(id) ?? [];
      if (!files.includes(file.displayPath)) files.push(file.displayPath);
      projects.set(id, files);
    }
  }
  return projects;
}

/** The templates one send may put on the wire: the message's template, and its fallback when it can go. */
export function sendTemplateUses(
  definition: Pick<MessageDefinition, 'id' | 'template' | 'fallback' | 'locale' | 'defaultLocale' | 'localeFallback'>,
  options: {
    fallback: boolean;
    lock?: TemplateLock | undefined;
    /**
     * The locales the run's rows ask for (canonical; render's `rowLocale` of every row): a template that
     * follows the recipient's is then checked in exactly the locales they resolve to. Absent: in every
     * locale the lock approves (any row may get any of them).
     */
    requested?: ReadonlySet<string> | undefined;
  },
): PreflightUse[] {
  const uses = templateUses({
    template: definition.template,
    ...(options.fallback && definition.fallback ? { fallback: definition.fallback } : {}),
  });
  return mergeUses(
    uses.flatMap((u) =>
      followedLocales(u.template, definition, options.lock, options.requested).map((locale) => ({
        projectId: text(u.template.projectId),
        version: text(u.template.version),
        locale,
        messages: [definition.id],
      })),
    ),
  );
}

/**
 * The locales a template may go out in: its own, or, when it follows the recipient's, those the rows
 * resolve to when they are known, else every locale the lock has approved for it (any row may get
 * any of them; each is checked at Bird before a send).
 */
function followedLocales(
  template: JsonObject,
  definition: Pick<MessageDefinition, 'locale' | 'defaultLocale' | 'localeFallback'>,
  lock: TemplateLock | undefined,
  requested: ReadonlySet<string> | undefined,
): string[] {
  if (typeof template.locale === 'string' || definition.locale === undefined || !lock) return [text(template.locale)];
  if (requested && definition.defaultLocale !== undefined) {
    const used = usedTemplateLocales(lock, template, requested, definition.defaultLocale, definition.localeFallback ?? 'default');
    if (used) return used;
  }
  const resolved = lockedTemplateFor(lock, template);
  if (!('template' in resolved)) return [text(template.locale)];
  const locales = Object.entries(resolved.template.locales)
    .filter(([, l]) => localeApproved(l))
    .map(([key]) => key)
    .sort();
  return locales.length > 0 ? locales : [text(template.locale)];
}

/**
 * Whether the rows' locales narrow what the preflight asks: a template the send uses follows the
 * recipient's locale and the lock approves more than one locale for it (else the set is exact already).
 */
export function followsManyLocales(
  definition: Pick<MessageDefinition, 'template' | 'fallback' | 'locale' | 'defaultLocale'>,
  options: { fallback: boolean; lock?: TemplateLock | undefined },
): boolean {
  const lock = options.lock;
  if (!lock || definition.locale === undefined || definition.defaultLocale === undefined) return false;
  const uses = templateUses({
    template: definition.template,
    ...(options.fallback && definition.fallback ? { fallback: definition.fallback } : {}),
  });
  return uses.some((u) => {
    if (typeof u.template.locale === 'string') return false;
    const resolved = lockedTemplateFor(lock, u.template);
    return 'template' in resolved && approvedLocales(resolved.template).size > 1;
  });
}

/** Requests of a saved plan: every distinct template in them. */
export function requestTemplateUses(messageId: string, bodies: Iterable<unknown>): PreflightUse[] {
  const uses: PreflightUse[] = [];
  for (const body of bodies) {
    const t = body !== null && typeof body === 'object' ? (body as { template?: unknown }).template : undefined;
    if (t === null || typeof t !== 'object') continue;
    const { projectId, version, locale } = t as Record<string, unknown>;
    uses.push({ projectId: text(projectId), version: text(version), locale: text(locale), messages: [messageId] });
  }
  return mergeUses(uses);
}

/** A checked definition holds strings here; anything else shows up as a mismatch, never as a guess. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

export function mergeUses(uses: Iterable<PreflightUse>): PreflightUse[] {
  const byKey = new Map<string, PreflightUse>();
  for (const u of uses) {
    const key = `${u.projectId}\0${u.version}\0${u.locale}`;
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { ...u, messages: [...u.messages] });
    else for (const m of u.messages) if (!seen.messages.includes(m)) seen.messages.push(m);
  }
  return [...byKey.values()];
}

export interface PullLockOptions {
  /** The undici dispatcher the Bird client uses (an Agent from createDispatcher, a MockAgent in tests). */
  dispatcher: Dispatcher;
  now?: () => Date;
  userAgent?: string;
  /** GETs per second (default 10: a pull is a handful of reads). */
  rate?: number;
}

/** `templates pull` as a library call: the catalog's projects read through chirp's Bird client. */
export async function pullTemplateLock(catalog: Catalog, options: PullLockOptions): Promise<PullResult> {
  const { workspace, accessKey, apiUrl } = catalog.config;
  if (!workspace)
    throw new UserError('E_WORKSPACE', 'templates pull asks Bird: set `workspace:` in chirp.config.yaml or BIRD_WORKSPACE_ID');
  if (!accessKey) throw new UserError('E_ACCESS_KEY', 'templates pull asks Bird: set BIRD_ACCESS_KEY in the environment (never in a file)');
  const rate = options.rate ?? 10;
  const transport = createTransport({
    dispatcher: options.dispatcher,
    baseUrl: apiUrl,
    accessKey,
    workspace,
    rate,
    getRate: rate,
    concurrency: 1,
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
  });
  return pullTemplates({ transport, workspace, projects: collectTemplateProjects(catalog), now: options.now ?? (() => new Date()) });
}
