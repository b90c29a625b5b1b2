// templates.lock.json: what chirp last saw of the Bird templates the catalog uses. Deterministic
// (keys sorted at every level, ids as keys, `pulledAt` the only timestamp) so it diffs cleanly in git.
import type { JsonValue } from '../types.js';

export const LOCK_FILE = 'templates.lock.json';
export const LOCK_VERSION = 1;

export interface LockedVariable {
  key: string;
  /** Bird's `variables[].type` (e.g. `string`); a parameter of the same `type` fills it. */
  type: string;
  format: string | null;
  characterLimit: number | null;
}

export interface LockedButton {
  type: string;
  text: string;
  url?: string;
}

/** One locale of a channel template: its WhatsApp content and its approval state. */
export interface LockedLocale {
  /** `localeStatuses[locale]` as Bird gave it; null when Bird gave none (never approved). */
  status: string | null;
  /** Every `platformInfo` status Bird reports for this locale (one per WABA), sorted; [] when none. */
  platformStatuses: string[];
  header: string | null;
  body: string | null;
  footer: string | null;
  buttons: LockedButton[];
}

export interface LockedTemplate {
  id: string;
  status: string;
  defaultLocale: string | null;
  /** `deployments[key=whatsappCategory]`: MARKETING, UTILITY or AUTHENTICATION; null when absent. */
  category: string | null;
  /** `deployments[key=whatsappTemplateName]`: the name Meta knows; null when absent. */
  whatsappName: string | null;
  variables: Record<string, LockedVariable>;
  locales: Record<string, LockedLocale>;
}

export interface LockedProject {
  id: string;
  name: string | null;
  /** `activeResourceId`: the channel template `version: latest` resolves to; null when none is active. */
  activeTemplateId: string | null;
  templates: Record<string, LockedTemplate>;
}

export interface TemplateLock {
  lockVersion: typeof LOCK_VERSION;
  pulledAt: string;
  workspace: string;
  projects: Record<string, LockedProject>;
}

function sortKeys(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value as JsonValue;
}

/** The lock's text: sorted keys, two-space indent, a final newline. Same lock, same bytes. */
export function serializeLock(lock: TemplateLock): string {
  return `${JSON.stringify(sortKeys(lock), null, 2)}\n`;
}

/** Is the given locale of this template approved for sending? Both Bird's per-locale status and every WABA's. */
export function localeApproved(locale: LockedLocale | undefined): boolean {
  return locale !== undefined && locale.status === 'active' && locale.platformStatuses.every((s) => s === 'active');
}

/** The channel template a `version` names: `latest` → the project's active one. */
export function resolveVersion(project: LockedProject, version: string): LockedTemplate | undefined {
  const id = version === 'latest' ? project.activeTemplateId : version;
  return id === null ? undefined : project.templates[id];
}
