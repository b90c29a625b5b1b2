// Offline checks of a message's `template` (and `fallback.template`) against the lock: never the
// network. Each problem names the pointer in the message file it is about.
import type { DiagnosticCode } from '../errors.js';
import type { JsonObject } from '../types.js';
import { localeApproved, resolveVersion, type LockedTemplate, type LockedVariable, type TemplateLock } from './lock.js';
import { isObj } from './shape.js';
import { normalizeLocale } from '../util/index.js';

export interface TemplateProblem {
  code: DiagnosticCode;
  severity: 'error' | 'warning';
  pointer: string;
  message: string;
  hint?: string;
  /** Point at the key rather than the value. */
  key?: boolean;
}

/** What the checks need of a message: its templates and the request fields that go with them. */
export interface TemplateMessage {
  template?: JsonObject;
  fallback?: { template: JsonObject };
  passthrough: JsonObject;
  /** A message with `locale`: a template without its own locale falls back to this one, which must be approved. */
  defaultLocale?: string;
  locale?: string;
}

export interface TemplateUse {
  /** '/template' or '/fallback/template'. */
  pointer: string;
  template: JsonObject;
}

export const PULL_HINT = 'run `chirp templates pull` to refresh templates.lock.json';

export function templateUses(message: Pick<TemplateMessage, 'template' | 'fallback'>): TemplateUse[] {
  const uses: TemplateUse[] = [];
  if (isObj(message.template)) uses.push({ pointer: '/template', template: message.template });
  if (isObj(message.fallback) && isObj(message.fallback.template))
    uses.push({ pointer: '/fallback/template', template: message.fallback.template });
  return uses;
}

/** WhatsApp's rule for parameter text (Meta): no newline, no tab, no more than 4 consecutive spaces. */
export function parameterTextProblem(value: string): string | undefined {
  if (/[\n\r]/.test(value)) return 'contains a line break';
  if (value.includes('\t')) return 'contains a tab';
  if (/ {5,}/.test(value)) return 'has more than 4 consecutive spaces';
  return undefined;
}

export function lengthProblem(value: string, variable: LockedVariable | undefined): string | undefined {
  const limit = variable?.characterLimit;
  if (limit === null || limit === undefined || limit === 0) return undefined;
  const length = [...value].length;
  return length > limit ? `is ${length} characters long; the template allows ${limit} for "${variable!.key}"` : undefined;
}

/** The template a message's `template` object resolves to in the lock, or why it does not. */
export function lockedTemplateFor(
  lock: TemplateLock,
  template: { projectId?: unknown; version?: unknown },
): { template: LockedTemplate } | { code: DiagnosticCode; message: string; pointer: string } {
  const projectId = typeof template.projectId === 'string' ? template.projectId : '';
  const version = typeof template.version === 'string' ? template.version : '';
  const project = lock.projects[projectId];
  if (!project)
    return { code: 'E_TEMPLATE_NOT_LOCKED', pointer: 'projectId', message: `template project ${projectId} is not in templates.lock.json` };
  const found = resolveVersion(project, version);
  if (version === 'latest' && !found) {
    const why =
      project.activeTemplateId === null
        ? 'has no active channel template'
        : `names active template ${project.activeTemplateId}, which is not among its channel templates`;
    return {
      code: 'E_TEMPLATE_VERSION',
      pointer: 'version',
      message: `\`version: latest\`: project ${projectId}${project.name ? ` (${project.name})` : ''} ${why}`,
    };
  }
  if (!found)
    return {
      code: 'E_TEMPLATE_VERSION',
      pointer: 'version',
      message: `version ${version} is not a channel template of project ${projectId}${project.name ? ` (${project.name})` : ''}`,
    };
  if (found.status !== 'active') {
    return {
      code: 'E_TEMPLATE_VERSION',
      pointer: 'version',
      message: `${version === 'latest' ? `the active version ${found.id}` : `version ${version}`} of project ${projectId} is ${found.status}, not active${project.activeTemplateId && project.activeTemplateId !== found.id ? ` (the active one is ${project.activeTemplateId}; use \`version: latest\` or that id)` : ''}`,
    };
  }
  return { template: found };
}

function checkParameters(use: TemplateUse, locked: LockedTemplate, add: (p: Omit<TemplateProblem, 'severity'>) => void): void {
  const params = Array.isArray(use.template.parameters) ? use.template.parameters : [];
  const seen = new Map<string, number>();
  params.forEach((raw, i) => {
    if (!isObj(raw) || typeof raw.key !== 'string') return;
    const pointer = `${use.pointer}/parameters/${i}`;
    const variable = locked.variables[raw.key];
    if (!variable) {
      const known = Object.keys(locked.variables);
      add({
        code: 'E_TEMPLATE_PARAM_UNKNOWN',
        pointer: `${pointer}/key`,
        message: `parameter "${raw.key}" is not a variable of template ${locked.id}`,
        hint: known.length > 0 ? `the template's variables: ${known.join(', ')}` : 'the template has no variables',
      });
      return;
    }
    if (seen.has(raw.key)) {
      add({
        code: 'E_TEMPLATE_PARAM_DUPLICATE',
        pointer: `${pointer}/key`,
        message: `variable "${raw.key}" gets a second parameter (the first is parameters[${seen.get(raw.key)}])`,
      });
      return;
    }
    seen.set(raw.key, i);
    if (raw.value === undefined || raw.value === null) {
      add({
        code: 'E_TEMPLATE_PARAM_MISSING',
        pointer,
        message: `parameter "${raw.key}" has no \`value\`: the template's variable would get nothing`,
      });
    }
    if (raw.type !== variable.type) {
      add({
        code: 'E_TEMPLATE_PARAM_TYPE',
        pointer: `${pointer}/type`,
        message: `parameter "${raw.key}" has type ${JSON.stringify(raw.type) ?? 'none'}, but the template's variable is of type ${variable.type}`,
      });
    }
    // A literal is known now; a value with Handlebars is checked per row at render.
    const value = raw.value;
    const literal = typeof value === 'string' && !value.includes('{{') ? value : typeof value === 'number' ? String(value) : undefined;
    if (literal === undefined) return;
    const long = lengthProblem(literal, variable);
    if (long) add({ code: 'E_TEMPLATE_PARAM_LIMIT', pointer: `${pointer}/value`, message: `parameter "${raw.key}" ${long}` });
    const text = parameterTextProblem(literal);
    if (text)
      add({
        code: 'E_TEMPLATE_PARAM_TEXT',
        pointer: `${pointer}/value`,
        message: `parameter "${raw.key}" ${text}; WhatsApp refuses that in a template parameter`,
      });
  });
  for (const key of Object.keys(locked.variables)) {
    if (!seen.has(key))
      add({
        code: 'E_TEMPLATE_PARAM_MISSING',
        pointer: use.pointer,
        key: true,
        message: `template ${locked.id} has variable "${key}" (${locked.variables[key]!.type}) but no parameter gives it a value`,
        hint: `add \`- { type: ${locked.variables[key]!.type}, key: ${key}, value: ... }\` under parameters`,
      });
  }
}

function checkCategory(
  use: TemplateUse,
  locked: LockedTemplate,
  message: TemplateMessage,
  add: (p: Omit<TemplateProblem, 'severity'>) => void,
): void {
  const category = locked.category?.toUpperCase();
  if (!category) return;
  const meta = message.passthrough.meta;
  const extra = isObj(meta) ? meta.extraInformation : undefined;
  const useCase = isObj(extra) && typeof extra.useCase === 'string' ? extra.useCase : undefined;
  if (message.passthrough.capFrequency === true && category !== 'MARKETING') {
    add({
      code: 'E_TEMPLATE_CATEGORY',
      pointer: '/capFrequency',
      message: `\`capFrequency\` applies to marketing messages, but template ${locked.id} (${use.pointer.slice(1)}) is in WhatsApp category ${category}`,
    });
  }
  if (useCase !== undefined && (useCase.toLowerCase() === 'marketing') !== (category === 'MARKETING')) {
    add({
      code: 'E_TEMPLATE_CATEGORY',
      pointer: '/meta/extraInformation/useCase',
      message: `\`useCase: ${useCase}\` does not match template ${locked.id}'s WhatsApp category ${category}`,
    });
  }
}

/**
 * Every offline problem of one message against the lock. `undefined`: the catalog has no lock (a
 * warning: the templates are not checked); 'refused': the lock exists but cannot be used (an error).
 */
export function checkTemplates(message: TemplateMessage, lock: TemplateLock | undefined | 'refused'): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const add = (p: Omit<TemplateProblem, 'severity'>, severity: 'error' | 'warning' = 'error'): void =>
    void problems.push({ ...p, severity });
  for (const use of templateUses(message)) {
    if (lock === 'refused') {
      add({
        code: 'E_TEMPLATE_LOCK',
        pointer: use.pointer,
        key: true,
        message: 'this template cannot be checked: templates.lock.json is damaged (see the error about the lock)',
        hint: PULL_HINT,
      });
      continue;
    }
    if (!lock) {
      add(
        {
          code: 'W_TEMPLATE_NO_LOCK',
          pointer: use.pointer,
          key: true,
          message: 'this template is not checked against Bird: the catalog has no templates.lock.json',
          hint: 'run `chirp templates pull` (and commit the lock)',
        },
        'warning',
      );
      continue;
    }
    const resolved = lockedTemplateFor(lock, use.template);
    if (!('template' in resolved)) {
      add({ code: resolved.code, pointer: `${use.pointer}/${resolved.pointer}`, message: resolved.message, hint: PULL_HINT });
      continue;
    }
    const locked = resolved.template;
    // A template that follows the recipient's locale: its approvals are decided per row; the default
    // locale every fallback ends at must be approved now.
    const follows = typeof use.template.locale !== 'string' && message.locale !== undefined && message.defaultLocale !== undefined;
    const locale = follows ? message.defaultLocale! : typeof use.template.locale === 'string' ? use.template.locale : '';
    const entry = lockedLocale(locked, locale);
    if (!localeApproved(entry)) {
      const state = !entry
        ? 'has no such locale'
        : entry.status !== 'active'
          ? `has it ${entry.status ?? 'without a status'}`
          : `has it rejected or pending on a WhatsApp account (${entry.platformStatuses.join(', ')})`;
      const approved = Object.entries(locked.locales)
        .filter(([, l]) => localeApproved(l))
        .map(([k]) => k);
      add({
        code: 'E_TEMPLATE_LOCALE',
        pointer: follows ? '/defaultLocale' : `${use.pointer}/locale`,
        message: `${follows ? 'the default locale' : 'locale'} ${locale} is not approved for template ${locked.id}: Bird ${state}`,
        hint: approved.length > 0 ? `approved locales: ${approved.join(', ')}` : 'no locale of this template is approved yet',
      });
    }
    checkParameters(use, locked, add);
    checkCategory(use, locked, message, add);
  }
  return problems;
}

/** A locked locale by its tag as written, else by its canonical form (`pt-br` finds Bird's `pt-BR`). */
export function lockedLocale(locked: LockedTemplate, locale: string): LockedTemplate['locales'][string] | undefined {
  if (Object.hasOwn(locked.locales, locale)) return locked.locales[locale];
  const wanted = normalizeLocale(locale);
  if (!wanted.ok) return undefined;
  const key = Object.keys(locked.locales).find((k) => {
    const n = normalizeLocale(k);
    return n.ok && n.locale === wanted.locale;
  });
  return key === undefined ? undefined : locked.locales[key];
}
