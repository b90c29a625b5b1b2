// Bird's Touchpoints answers (projects, channel templates) → lock entries. The shapes follow Bird's
// examples plus what integrators observed (see docs/templates-whatsapp.md): what chirp relies on for a
// check is required and typed, or the answer is refused; display-only content is read tolerantly.
import type { LockedButton, LockedLocale, LockedProject, LockedTemplate, LockedVariable } from './lock.js';
import { arr, isObj, obj, optInt, optStr, ShapeError, str } from './shape.js';

export function projectFromBird(value: unknown, projectId: string): Omit<LockedProject, 'templates'> {
  const p = obj(value, 'project');
  if (str(p.id, 'project.id') !== projectId) throw new ShapeError('project.id', `the requested project id ${projectId}`);
  return { id: projectId, name: optStr(p.name, 'project.name'), activeTemplateId: optStr(p.activeResourceId, 'project.activeResourceId') };
}

/** `{ results: [...], nextPageToken? }`: a page of a Bird listing. */
export function pageFromBird(value: unknown, what: string): { results: unknown[]; next: string | null } {
  const page = obj(value, what);
  return { results: arr(page.results, `${what}.results`), next: optStr(page.nextPageToken, `${what}.nextPageToken`) };
}

function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (isObj(value) && typeof value.text === 'string') return value.text;
  return null;
}

interface Content {
  header: string | null;
  body: string | null;
  footer: string | null;
  buttons: LockedButton[];
}

function contentFromBlocks(blocks: unknown[]): Content {
  const content: Content = { header: null, body: null, footer: null, buttons: [] };
  for (const block of blocks) {
    if (!isObj(block)) continue;
    const type = typeof block.type === 'string' ? block.type : '';
    const role = typeof block.role === 'string' ? block.role : '';
    if (type === 'text') {
      const text = textOf(block.text);
      if (text === null) continue;
      if (role === 'header') content.header = text;
      else if (role === 'footer') content.footer = text;
      else content.body = content.body === null ? text : `${content.body}\n${text}`;
    } else if (role === 'header' && isObj(block[type])) {
      const media = block[type];
      content.header = `[${type}${typeof media.mediaUrl === 'string' ? `: ${media.mediaUrl}` : ''}]`;
    } else if (type.endsWith('-action')) {
      const action = block[type.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())];
      if (!isObj(action)) continue;
      const url = typeof action.url === 'string' ? action.url : undefined;
      content.buttons.push({ type, text: typeof action.text === 'string' ? action.text : '', ...(url !== undefined ? { url } : {}) });
    }
  }
  return content;
}

function variableFromBird(value: unknown, path: string): LockedVariable {
  const v = obj(value, path);
  return {
    key: str(v.key, `${path}.key`),
    type: str(v.type, `${path}.type`),
    format: optStr(v.format, `${path}.format`),
    characterLimit: optInt(v.characterLimit, `${path}.characterLimit`),
  };
}

function deployment(deployments: unknown[], key: string): string | null {
  for (const d of deployments) if (isObj(d) && d.key === key && typeof d.value === 'string' && d.value !== '') return d.value;
  return null;
}

export function templateFromBird(value: unknown, path: string): LockedTemplate {
  const t = obj(value, path);
  const id = str(t.id, `${path}.id`);
  const variables: Record<string, LockedVariable> = {};
  const list = t.variables === undefined || t.variables === null ? [] : arr(t.variables, `${path}.variables`);
  list.forEach((v, i) => {
    const variable = variableFromBird(v, `${path}.variables[${i}]`);
    if (Object.hasOwn(variables, variable.key))
      throw new ShapeError(`${path}.variables[${i}].key`, `a key not seen before ("${variable.key}" appears twice)`);
    variables[variable.key] = variable;
  });
  const localeStatuses = t.localeStatuses === undefined || t.localeStatuses === null ? {} : obj(t.localeStatuses, `${path}.localeStatuses`);
  const locales: Record<string, LockedLocale> = {};
  const ensure = (locale: string): LockedLocale =>
    (locales[locale] ??= { status: null, platformStatuses: [], header: null, body: null, footer: null, buttons: [] });
  for (const [locale, status] of Object.entries(localeStatuses)) ensure(locale).status = optStr(status, `${path}.localeStatuses.${locale}`);
  const platformContent =
    t.platformContent === undefined || t.platformContent === null ? [] : arr(t.platformContent, `${path}.platformContent`);
  platformContent.forEach((c, i) => {
    const entry = obj(c, `${path}.platformContent[${i}]`);
    if (entry.platform !== undefined && entry.platform !== 'whatsapp') return;
    const locale = str(entry.locale, `${path}.platformContent[${i}].locale`);
    Object.assign(ensure(locale), contentFromBlocks(Array.isArray(entry.blocks) ? entry.blocks : []));
  });
  // Third-party evidence only: keys "whatsapp:{account}:{locale}". A key chirp cannot read is skipped,
  // which can only leave a locale with fewer statuses, never make an unapproved one look approved
  // (localeStatuses must say `active` too).
  const platformInfo = isObj(t.platformInfo) ? t.platformInfo : {};
  for (const [key, info] of Object.entries(platformInfo)) {
    const parts = key.split(':');
    if (parts.length !== 3 || parts[0] !== 'whatsapp' || !isObj(info)) continue;
    ensure(parts[2]!).platformStatuses.push(str(info.status, `${path}.platformInfo.${key}.status`));
  }
  for (const l of Object.values(locales)) l.platformStatuses.sort();
  const deployments = Array.isArray(t.deployments) ? t.deployments : [];
  return {
    id,
    status: str(t.status, `${path}.status`),
    defaultLocale: optStr(t.defaultLocale, `${path}.defaultLocale`),
    category: deployment(deployments, 'whatsappCategory'),
    whatsappName: deployment(deployments, 'whatsappTemplateName'),
    variables,
    locales,
  };
}
