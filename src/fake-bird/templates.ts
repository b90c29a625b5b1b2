// The fake's Touchpoints side: projects and their channel templates, loaded from a fixture folder
// (one JSON file per project: `{ "project": {...}, "channelTemplates": [...] }`, Bird's shapes), served
// paged, changeable while the server runs (publish a version, change a locale's approval), and
// consulted when a template message is sent: an inactive version is refused, as Bird documents.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorReply, jsonReply, type Reply } from './reply.js';
import type { ValidationResult } from './types.js';
import { isObject } from './validate.js';

type Json = Record<string, unknown>;

interface Project {
  project: Json;
  templates: Json[];
}

export interface PublishOptions {
  /** Replaces the new version's `variables` (Bird's shape: `{ key, type, format?, characterLimit? }`). */
  variables?: Json[];
  /** Replaces its `platformContent`. */
  platformContent?: Json[];
  /** Per-locale status of the new version; default: the old one's. */
  localeStatuses?: Record<string, string>;
  /** The new version's id; default: generated. */
  id?: string;
}

const DEFAULT_PAGE = 10;
const MAX_PAGE = 100;

export class TemplateStore {
  readonly #projects = new Map<string, Project>();
  readonly #newId: () => string;
  readonly #pageSize: number;

  constructor(folder: string, newId: () => string, pageSize = MAX_PAGE) {
    this.#newId = newId;
    this.#pageSize = pageSize;
    for (const name of readdirSync(folder)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const data = JSON.parse(readFileSync(join(folder, name), 'utf8')) as { project: Json; channelTemplates?: Json[] };
      const id = String(data.project.id);
      this.#projects.set(id, { project: structuredClone(data.project), templates: structuredClone(data.channelTemplates ?? []) });
    }
  }

  /** GET .../projects/{id}[/channel-templates[/{templateId}]]; undefined for any other path. */
  route(method: string, segments: readonly string[], query: string): Reply | undefined {
    // segments: ['', 'workspaces', ws, 'projects', projectId, ...]
    if (segments[3] !== 'projects' || segments.length < 5 || segments.length > 7) return undefined;
    if (segments.length >= 6 && segments[5] !== 'channel-templates') return undefined;
    if (method !== 'GET') return errorReply(404, `no such endpoint: ${method}`);
    const entry = this.#projects.get(segments[4]!);
    if (!entry) return errorReply(404, 'Project or workspace not found');
    if (segments.length === 5) return jsonReply(200, entry.project);
    if (segments.length === 7) {
      const template = entry.templates.find((t) => t.id === segments[6]);
      return template ? jsonReply(200, template) : errorReply(404, 'Project, channeltemplate or workspace not found');
    }
    const params = new URLSearchParams(query);
    const limitText = params.get('limit');
    const limit = limitText === null ? DEFAULT_PAGE : Number(limitText);
    // Bird answers 422 past 100 (observed by integrators).
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
      return errorReply(422, `limit must be an integer from 1 to ${MAX_PAGE}`, { details: { limit: ['out of range'] } });
    const token = params.get('pageToken');
    const start = token === null || token === '' ? 0 : decode(token);
    if (Number.isNaN(start) || start > entry.templates.length) return errorReply(400, 'invalid pageToken');
    const size = Math.min(limit, this.#pageSize);
    const results = entry.templates.slice(start, start + size);
    const next = start + size < entry.templates.length ? encode(start + size) : undefined;
    return jsonReply(200, next === undefined ? { results } : { results, nextPageToken: next });
  }

  #project(projectId: string): Project {
    const entry = this.#projects.get(projectId);
    if (!entry) throw new Error(`fake Bird: no template project ${projectId}`);
    return entry;
  }

  /**
   * Publish a new version cloned from the active one (Bird's "clone and edit"): the new one becomes
   * active and the previous one inactive. Returns the new version's id.
   */
  publish(projectId: string, options: PublishOptions = {}): string {
    const entry = this.#project(projectId);
    const activeId = entry.project.activeResourceId;
    const active = entry.templates.find((t) => t.id === activeId);
    if (!active) throw new Error(`fake Bird: project ${projectId} has no active template to clone`);
    const id = options.id ?? this.#newId();
    const next: Json = { ...structuredClone(active), id, status: 'active', clonedFrom: active.id };
    if (options.variables) next.variables = structuredClone(options.variables);
    if (options.platformContent) next.platformContent = structuredClone(options.platformContent);
    if (options.localeStatuses) next.localeStatuses = { ...options.localeStatuses };
    active.status = 'inactive';
    entry.templates.push(next);
    entry.project.activeResourceId = id;
    return id;
  }

  /** Change one locale's approval (`localeStatuses[locale]`) of a template (default: the active one). */
  setLocaleStatus(projectId: string, locale: string, status: string, templateId?: string): void {
    const entry = this.#project(projectId);
    const id = templateId ?? entry.project.activeResourceId;
    const template = entry.templates.find((t) => t.id === id);
    if (!template) throw new Error(`fake Bird: project ${projectId} has no template ${String(id)}`);
    template.localeStatuses = { ...(isObject(template.localeStatuses) ? template.localeStatuses : {}), [locale]: status };
  }

  /** A send's `template`: an unknown project, an inactive or unknown version, a missing variable → 422. */
  checkSend(request: unknown): ValidationResult {
    const template = isObject(request) ? request.template : undefined;
    if (!isObject(template)) return { ok: true };
    const entry = this.#projects.get(String(template.projectId));
    if (!entry) return { ok: false, details: { 'template.projectId': ['project not found'] } };
    const id = template.version === 'latest' ? entry.project.activeResourceId : template.version;
    const version = entry.templates.find((t) => t.id === id);
    if (!version) return { ok: false, details: { 'template.version': ['No active channeltemplate marked as latest'] } };
    if (version.status !== 'active')
      return { ok: false, details: { 'template.version': [`channel template ${String(id)} is ${String(version.status)}, not active`] } };
    // A locale Meta has not approved (Bird's per-locale status, or any WhatsApp account's) is refused, as WhatsApp would.
    const locale = String(template.locale);
    const statuses = isObject(version.localeStatuses) ? version.localeStatuses : {};
    const accounts = Object.entries(isObject(version.platformInfo) ? version.platformInfo : {}).filter(([key]) =>
      key.endsWith(`:${locale}`),
    );
    if (statuses[locale] !== 'active' || accounts.some(([, info]) => !isObject(info) || info.status !== 'active'))
      return { ok: false, details: { 'template.locale': [`locale ${locale} is not approved for channel template ${String(id)}`] } };
    const given = new Set((Array.isArray(template.parameters) ? template.parameters : []).map((p) => (isObject(p) ? p.key : undefined)));
    for (const v of Array.isArray(version.variables) ? version.variables : []) {
      if (isObject(v) && !given.has(v.key))
        return { ok: false, details: { 'template.parameters': [`missing value for variable '${String(v.key)}'`] } };
    }
    return { ok: true };
  }
}

function encode(index: number): string {
  return Buffer.from(`t${index}`).toString('base64url');
}

function decode(token: string): number {
  const match = /^t(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return match?.[1] === undefined ? NaN : Number(match[1]);
}
