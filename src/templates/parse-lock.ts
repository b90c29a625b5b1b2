// Read templates.lock.json back, checking every field: a lock that does not parse is refused, never
// half-trusted (the checks would pass on what is missing).
import {
  LOCK_VERSION,
  type LockedButton,
  type LockedLocale,
  type LockedProject,
  type LockedTemplate,
  type LockedVariable,
  type TemplateLock,
} from './lock.js';
import { arr, obj, optInt, optStr, ShapeError, str, strArray } from './shape.js';

function record<T>(value: unknown, path: string, item: (v: unknown, p: string, key: string) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, v] of Object.entries(obj(value, path))) out[key] = item(v, `${path}.${key}`, key);
  return out;
}

function variable(value: unknown, path: string, key: string): LockedVariable {
  const v = obj(value, path);
  if (str(v.key, `${path}.key`) !== key) throw new ShapeError(`${path}.key`, `"${key}" (the entry's name)`);
  return {
    key,
    type: str(v.type, `${path}.type`),
    format: optStr(v.format, `${path}.format`),
    characterLimit: optInt(v.characterLimit, `${path}.characterLimit`),
  };
}

function locale(value: unknown, path: string): LockedLocale {
  const l = obj(value, path);
  const buttons = arr(l.buttons, `${path}.buttons`).map((b, i): LockedButton => {
    const o = obj(b, `${path}.buttons[${i}]`);
    const url = optStr(o.url, `${path}.buttons[${i}].url`);
    return {
      type: str(o.type, `${path}.buttons[${i}].type`),
      text: optStr(o.text, `${path}.buttons[${i}].text`) ?? '',
      ...(url !== null ? { url } : {}),
    };
  });
  return {
    status: optStr(l.status, `${path}.status`),
    platformStatuses: strArray(l.platformStatuses, `${path}.platformStatuses`),
    header: optStr(l.header, `${path}.header`),
    body: optStr(l.body, `${path}.body`),
    footer: optStr(l.footer, `${path}.footer`),
    buttons,
  };
}

function template(value: unknown, path: string, id: string): LockedTemplate {
  const t = obj(value, path);
  if (str(t.id, `${path}.id`) !== id) throw new ShapeError(`${path}.id`, `"${id}" (the entry's name)`);
  return {
    id,
    status: str(t.status, `${path}.status`),
    defaultLocale: optStr(t.defaultLocale, `${path}.defaultLocale`),
    category: optStr(t.category, `${path}.category`),
    whatsappName: optStr(t.whatsappName, `${path}.whatsappName`),
    variables: record(t.variables, `${path}.variables`, variable),
    locales: record(t.locales, `${path}.locales`, (v, p) => locale(v, p)),
  };
}

function project(value: unknown, path: string, id: string): LockedProject {
  const p = obj(value, path);
  if (str(p.id, `${path}.id`) !== id) throw new ShapeError(`${path}.id`, `"${id}" (the entry's name)`);
  return {
    id,
    name: optStr(p.name, `${path}.name`),
    activeTemplateId: optStr(p.activeTemplateId, `${path}.activeTemplateId`),
    templates: record(p.templates, `${path}.templates`, template),
  };
}

/** Throws ShapeError (or SyntaxError for broken JSON). */
export function parseLock(text: string): TemplateLock {
  const root = obj(JSON.parse(text) as unknown, '');
  if (root.lockVersion !== LOCK_VERSION)
    throw new ShapeError('lockVersion', `${LOCK_VERSION} (this chirp reads lock version ${LOCK_VERSION} only)`);
  const pulledAt = str(root.pulledAt, 'pulledAt');
  if (Number.isNaN(Date.parse(pulledAt))) throw new ShapeError('pulledAt', 'an ISO date-time');
  return {
    lockVersion: LOCK_VERSION,
    pulledAt,
    workspace: str(root.workspace, 'workspace'),
    projects: record(root.projects, 'projects', project),
  };
}
