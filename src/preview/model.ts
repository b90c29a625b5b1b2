// The preview as data: the catalog read fresh (so a saved file shows at once), every message checked,
// and for one message its rows rendered (examples, or a page of data rows), recipients masked.
import { exampleRows, openCatalog, type Catalog } from '../index.js';
import { listMessages, loadMessage, resolveMessageArg, type MessageFile } from '../catalog/index.js';
import { encodePointer } from '../util/index.js';
import { checkMessage, type MessageDefinition } from '../check/index.js';
import { compileMessage, renderStream, type RenderItem } from '../render/index.js';
import { maskRecipient, maskRecipientIn, maskText } from '../util/index.js';
import { readRows } from '../sources/index.js';
import { UserError } from '../errors.js';
import type { DataFormat, Diagnostic, JsonObject, JsonValue } from '../types.js';
import type { MessageState, MessageSummary, PreviewCatalog, PreviewMessage, PreviewProblem, PreviewRow } from './types.js';

export interface PreviewSource {
  cwd: string;
  env: Record<string, string | undefined>;
  configPath?: string;
  /** Only these messages (ids or paths); default: the whole catalog. */
  messages?: readonly string[];
  /** Recipient rows for every message instead of its examples. */
  data?: { path: string; displayName: string; format?: DataFormat };
  /** Data rows per page (default 20). */
  pageSize?: number;
  /** Show recipients in full (default: masked, as in every plan). */
  reveal?: boolean;
}

export const DEFAULT_PAGE_SIZE = 20;

interface Loaded {
  catalog: Catalog;
  files: MessageFile[];
}

/** Receivers in problem texts, unless revealed: the send report's and the plan's rule (util/mask.ts). */
export function maskDigits(text: string, keep: readonly (number | undefined)[] = []): string {
  return maskText(text, { keep });
}

function toProblem(d: Diagnostic, reveal: boolean): PreviewProblem {
  const where = d.row !== undefined && d.line === 0 ? `${d.file} row ${d.row}` : `${d.file}:${d.line}:${d.column}`;
  return {
    code: d.code,
    severity: d.severity,
    message: reveal ? d.message : maskDigits(d.message, [d.row, d.line, d.column]),
    pointer: d.pointer,
    where,
    ...(d.hint ? { hint: d.hint } : {}),
  };
}

function stateOf(problems: readonly { severity: string }[]): MessageState {
  return problems.some((p) => p.severity === 'error') ? 'errors' : problems.length > 0 ? 'warnings' : 'valid';
}

async function load(source: PreviewSource): Promise<Loaded> {
  const catalog = await openCatalog({ cwd: source.cwd, env: source.env, ...(source.configPath ? { configPath: source.configPath } : {}) });
  let files: MessageFile[];
  if (source.messages && source.messages.length > 0) {
    files = [];
    for (const arg of source.messages) {
      const file = resolveMessageArg(catalog.config.root, catalog.cwd, arg);
      if (!file)
        throw new UserError(
          'E_MESSAGE_NOT_FOUND',
          `no message "${arg}" (give a message id such as releases/notice, or a path to a .yaml file)`,
        );
      if (!files.some((f) => f.id === file.id)) files.push(file);
    }
  } else files = listMessages(catalog.config.root, catalog.cwd);
  return { catalog, files };
}

function kindOf(value: unknown): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return '';
  const v = value as Record<string, unknown>;
  const body = v.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && typeof body.type === 'string') return body.type;
  return v.template !== undefined ? 'template' : '';
}

function summary(
  file: MessageFile,
  raw: unknown,
  definition: MessageDefinition | undefined,
  diagnostics: readonly Diagnostic[],
): MessageSummary {
  const slash = file.id.lastIndexOf('/');
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const description =
    definition?.description ??
    (raw && typeof raw === 'object' && typeof (raw as Record<string, unknown>).description === 'string'
      ? ((raw as Record<string, unknown>).description as string)
      : undefined);
  return {
    id: file.id,
    folder: slash < 0 ? '' : file.id.slice(0, slash),
    name: slash < 0 ? file.id : file.id.slice(slash + 1),
    file: file.displayPath,
    ...(description !== undefined ? { description } : {}),
    kind: kindOf(raw),
    state: stateOf(diagnostics),
    errors,
    warnings: diagnostics.length - errors,
    codes: [...new Set(diagnostics.map((d) => d.code))],
  };
}

/** The catalog for the index page. A broken config is a UserError (the server shows it as a page). */
export async function loadCatalog(source: PreviewSource): Promise<PreviewCatalog> {
  const { catalog, files } = await load(source);
  const messages: MessageSummary[] = [];
  for (const file of files) {
    const loaded = loadMessage(file);
    const checked = checkMessage(loaded, catalog.ctx);
    messages.push(summary(file, loaded.source.value, checked.definition, checked.diagnostics));
  }
  const reveal = source.reveal ?? false;
  return {
    root: catalog.config.root,
    messages,
    problems: catalog.diagnostics.map((d) => toProblem(d, reveal)),
    ...(source.data ? { data: source.data.displayName } : {}),
  };
}

/** What the definition sends: body or template, and replyTo (the parts a chat view shows). */
function contentOf(raw: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const key of ['body', 'template', 'replyTo'] as const) if (raw[key] !== undefined) out[key] = raw[key] as JsonValue;
  return out;
}

function stringLeaves(value: unknown, path: string[], out: { pointer: string; text: string }[]): void {
  if (typeof value === 'string') out.push({ pointer: encodePointer(path), text: value });
  else if (Array.isArray(value)) value.forEach((v, i) => stringLeaves(v, [...path, String(i)], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) stringLeaves(v, [...path, k], out);
}

/** The first part whose template uses `variable`: where a row's missing or invalid value shows. */
function pointerOfVariable(definition: MessageDefinition, variable: string): string {
  const name = variable.split('.')[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const uses = new RegExp(`\\{\\{[^}]*(?<![\\w.])${name}(?![\\w-])`);
  const leaves: { pointer: string; text: string }[] = [];
  if (definition.to !== undefined) leaves.push({ pointer: '/to', text: definition.to });
  stringLeaves(definition.body ?? definition.template, [definition.body ? 'body' : 'template'], leaves);
  stringLeaves(definition.passthrough, [], leaves);
  return leaves.find((l) => uses.test(l.text))?.pointer ?? '';
}

function masked(json: string, recipient: string, reveal: boolean): { json: string; recipient: string } {
  if (reveal || recipient === '') return { json, recipient };
  const m = maskRecipient(recipient);
  return { json: maskRecipientIn(json, recipient), recipient: m };
}

/** Scripts written right to left, by language (Intl.Locale's text info where Node has it). */
const RTL = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'ks', 'ku-Arab', 'ps', 'sd', 'ug', 'ur', 'yi']);

export function directionOf(locale: string): 'ltr' | 'rtl' {
  try {
    const info = new Intl.Locale(locale) as Intl.Locale & { getTextInfo?: () => { direction?: string }; textInfo?: { direction?: string } };
    const direction = info.getTextInfo?.().direction ?? info.textInfo?.direction;
    if (direction === 'rtl' || direction === 'ltr') return direction;
    const script = info.maximize().script;
    if (script === 'Arab' || script === 'Hebr' || script === 'Thaa' || script === 'Syrc' || script === 'Nkoo') return 'rtl';
  } catch {
    // not a tag Intl reads: decided by the language alone
  }
  return RTL.has(locale.split('-')[0]!) ? 'rtl' : 'ltr';
}

function rowFromItem(item: RenderItem, definition: MessageDefinition, label: string, reveal: boolean): PreviewRow {
  if (item.kind === 'request') {
    const m = masked(item.json, item.recipient, reveal);
    return {
      index: item.row.index,
      label,
      recipient: m.recipient,
      request: JSON.parse(m.json) as JsonObject,
      json: m.json,
      problems: [],
      ...(item.locale ? { locale: item.locale, dir: directionOf(item.locale.used) } : {}),
    };
  }
  if (item.kind === 'suppressed')
    return {
      index: item.row.index,
      label,
      unrendered: contentOf(definitionContent(definition)),
      problems: [
        toProblem(
          {
            code: 'W_SUPPRESSED',
            severity: 'warning',
            file: label,
            line: item.row.line ?? 0,
            column: 0,
            pointer: '',
            message: `row ${item.row.index}: ${item.reason === 'no-consent' ? 'no opt-in recorded' : 'opted out (a suppression list)'}; never sent`,
            row: item.row.index,
          },
          reveal,
        ),
      ],
    };
  const problems = item.diagnostics.map((d) => {
    const p = toProblem(d, reveal);
    if (p.pointer === '' && d.field && item.kind === 'invalid')
      p.pointer = d.code === 'E_RECEIVER_INVALID' || d.code === 'E_PHONE_AMBIGUOUS' ? '/to' : pointerOfVariable(definition, d.field);
    return p;
  });
  if (item.kind === 'duplicate')
    return { index: item.row.index, label, recipient: reveal ? item.recipient : maskRecipient(item.recipient), problems };
  return { index: item.row.index, label, unrendered: contentOf(definitionContent(definition)), problems };
}

function definitionContent(definition: MessageDefinition): Record<string, unknown> {
  return {
    ...(definition.body ? { body: definition.body } : {}),
    ...(definition.template ? { template: definition.template } : {}),
    ...definition.passthrough,
  };
}

/** One message with its rows (examples, or page `page` of the data rows); undefined when it is not in the catalog. */
export async function loadPreviewMessage(
  source: PreviewSource,
  id: string,
  page = 1,
  locale?: string,
): Promise<{ message: PreviewMessage; ids: string[] } | undefined> {
  const { catalog, files } = await load(source);
  const file = files.find((f) => f.id === id);
  if (!file) return undefined;
  const reveal = source.reveal ?? false;
  const loaded = loadMessage(file);
  const checked = checkMessage(loaded, catalog.ctx);
  const raw = loaded.source.value;
  const base = summary(file, raw, checked.definition, checked.diagnostics);
  const definition = checked.definition;
  const size = source.data ? (source.pageSize ?? DEFAULT_PAGE_SIZE) : Number.MAX_SAFE_INTEGER;
  const message: PreviewMessage = {
    ...base,
    channel:
      definition?.channel ??
      (raw && typeof raw === 'object' && typeof (raw as Record<string, unknown>).channel === 'string'
        ? ((raw as Record<string, unknown>).channel as string)
        : ''),
    problems: catalog.diagnostics.map((d) => toProblem(d, reveal)),
    rows: [],
    source: source.data ? { kind: 'data', name: source.data.displayName } : { kind: 'examples' },
    page: { number: page, size, hasNext: false, first: (page - 1) * (source.data ? size : 0) + 1 },
    revealed: reveal,
  };
  const ids = files.map((f) => f.id);
  if (!definition) {
    // Not renderable: the definition itself, with its `{{…}}`, and every problem at its part.
    const content = raw && typeof raw === 'object' && !Array.isArray(raw) ? contentOf(raw as Record<string, unknown>) : {};
    message.rows.push({
      index: 0,
      label: 'the definition (not rendered: it has errors)',
      unrendered: content,
      problems: checked.diagnostics.map((d) => toProblem(d, reveal)),
    });
    return { message, ids };
  }
  message.problems.push(...checked.diagnostics.map((d) => toProblem(d, reveal)));
  const natural = compileMessage(definition, catalog.ctx.env);
  let compiled = natural;
  if (definition.locale !== undefined && definition.defaultLocale !== undefined) {
    const available = definition.body
      ? [definition.defaultLocale, ...Object.keys(definition.translations ?? {})]
      : [definition.defaultLocale];
    // The switcher shows every row in one of the message's texts; anything else is each recipient's own.
    const selected = locale !== undefined && available.includes(locale) ? locale : undefined;
    message.locales = { available, ...(selected !== undefined ? { selected } : {}) };
    if (selected !== undefined)
      compiled = { ...natural, renderRow: (values, fromText) => natural.renderRow(values, fromText, { forceLocale: selected }) };
  }
  const items = source.data
    ? renderStream(
        compiled,
        readRows({
          path: source.data.path,
          displayName: source.data.displayName,
          ...(source.data.format ? { format: source.data.format } : {}),
        }),
        { file: source.data.displayName, fromText: source.data.format === 'csv' },
      )
    : renderStream(
        compiled,
        exampleRows(definition, (p) => loaded.source.locate(p)),
        {
          file: definition.file,
          fromText: false,
          locateRow: (row, problem) =>
            loaded.source.locate(encodePointer(['examples', String(row.index - 1), ...(problem.field ? problem.field.split('.') : [])])),
        },
      );
  const skip = (page - 1) * size;
  let seen = 0;
  try {
    for await (const item of items) {
      seen++;
      if (seen <= skip) continue;
      if (message.rows.length >= size) {
        message.page.hasNext = true;
        break;
      }
      const label = source.data
        ? `row ${item.row.index}${item.row.line !== undefined ? ` (line ${item.row.line})` : ''}`
        : `example ${item.row.index}`;
      message.rows.push(rowFromItem(item, definition, label, reveal));
    }
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const diagnostics =
      error.diagnostics.length > 0
        ? error.diagnostics
        : [
            {
              code: 'E_DATA' as const,
              severity: 'error' as const,
              file: source.data?.displayName ?? definition.file,
              line: 0,
              column: 0,
              pointer: '',
              message: error.message,
            },
          ];
    message.problems.push(...diagnostics.map((d) => toProblem(d, reveal)));
  }
  const all = [...message.problems, ...message.rows.flatMap((r) => r.problems)];
  message.state = stateOf(all);
  message.errors = all.filter((p) => p.severity === 'error').length;
  message.warnings = all.length - message.errors;
  message.codes = [...new Set(all.map((p) => p.code))];
  return { message, ids };
}
