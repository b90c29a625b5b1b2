// chirp's library API: the only place that knows the order of the stages.
// load → validate → render → plan/diff → dispatch → report
import { listMessages, loadMessage, messageFileFor, resolveMessageArg, type MessageFile } from './catalog/index.js';
import { openCatalog, type Catalog } from './catalog/index.js';
import { checkMessage } from './check/index.js';
import type { ConfigOptions } from './catalog/index.js';
import type { MessageDefinition } from './check/index.js';
import { UserError } from './errors.js';
import { renderStream, type RenderItem } from './render/index.js';
import { compileMessage, type CompiledMessage } from './render/index.js';
import { readRows } from './sources/index.js';
import type { DataFormat, Diagnostic, Row } from './types.js';
import { encodePointer } from './catalog/index.js';
import { hashTexts } from './send/index.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkRenderedTemplate, DEFAULT_LOCK_MAX_AGE_DAYS, staleLockWarning, type TemplateLock } from './templates/index.js';

export { openCatalog, type Catalog } from './catalog/index.js';
export type { Diagnostic, Row } from './types.js';
export type { RenderItem } from './render/index.js';
export { templateText } from './templates/index.js';
export type { TemplateLock, TemplateText, TemplateTextInput, TemplatePreflight } from './templates/index.js';
export { collectTemplateProjects, mergeUses, pullTemplateLock, requestTemplateUses, sendTemplateUses } from './template-uses.js';
export type { PullLockOptions } from './template-uses.js';

export interface ValidateResult {
  files: number;
  diagnostics: Diagnostic[];
}

/** Check the whole catalog, or the given files / message ids, reporting every problem in one pass. */
export async function validate(options: ConfigOptions & { paths?: string[]; now?: () => number }): Promise<ValidateResult> {
  const catalog = await openCatalog(options);
  const { lock, file: lockFile } = catalog.templateLock;
  const stale = lock && staleLockWarning(lock, lockFile, (options.now ?? Date.now)(), catalog.config.lockMaxAgeDays ?? DEFAULT_LOCK_MAX_AGE_DAYS);
  const files: MessageFile[] = [];
  if (options.paths && options.paths.length > 0) {
    for (const p of options.paths) {
      const file = existsSync(resolve(options.cwd, p)) ? messageFileFor(catalog.config.root, options.cwd, p) : resolveMessageArg(catalog.config.root, options.cwd, p);
      if (!file) throw new UserError(`chirp: no message file or message id "${p}"`, [], 2);
      files.push(file);
    }
  } else files.push(...(await listMessages(catalog.config.root, options.cwd)));
  const diagnostics = [...catalog.diagnostics, ...(stale ? [stale] : [])];
  for (const file of files) diagnostics.push(...checkMessage(await loadMessage(file), catalog.ctx).diagnostics);
  return { files: files.length, diagnostics };
}

export interface PreparedMessage {
  definition: MessageDefinition;
  /** The catalog's templates.lock.json, for the per-row template checks (undefined: none). */
  templateLock?: TemplateLock;
  compiled: CompiledMessage;
  /** Warnings from checking the definition. */
  diagnostics: Diagnostic[];
  /** Changes whenever what the message renders could change (definition or partials). */
  definitionHash: string;
  /** Locates example rows in the message file. */
  locate: (pointer: string) => { line: number; column: number };
}

/** Load, check and compile one message; a message with errors is a UserError carrying them. */
export async function prepareMessage(catalog: Catalog, arg: string): Promise<PreparedMessage> {
  const file = resolveMessageArg(catalog.config.root, catalog.cwd, arg);
  if (!file) throw new UserError(`chirp: no message "${arg}" (give a message id such as releases/notice, or a path to a .yaml file)`, [], 2);
  const loaded = await loadMessage(file);
  const checked = checkMessage(loaded, catalog.ctx);
  if (!checked.definition) {
    throw new UserError(`chirp: message ${file.id} is not valid (run \`chirp validate ${file.displayPath}\`)`, [...catalog.diagnostics, ...checked.diagnostics], 1);
  }
  const d = checked.definition;
  const content = JSON.stringify([d.channel, d.to, d.receiver, d.variables, d.required, d.body, d.template, d.fallback, d.passthrough]);
  const partials = [...catalog.partialSources].sort(([a], [b]) => a.localeCompare(b)).map(([name, text]) => `${name}\0${text}`);
  return {
    definition: checked.definition,
    ...(catalog.templateLock.lock ? { templateLock: catalog.templateLock.lock } : {}),
    definitionHash: hashTexts([content, ...partials]),
    compiled: compileMessage(checked.definition, catalog.ctx.env),
    diagnostics: checked.diagnostics,
    locate: (pointer) => loaded.source.locate(pointer),
  };
}

export interface DataOptions {
  path: string;
  /** How the file is named in diagnostics (defaults to path; '<stdin>' for '-'). */
  displayName?: string;
  format?: DataFormat;
  input?: NodeJS.ReadableStream;
}

export interface RenderOptions {
  data?: DataOptions;
  limit?: number;
  allowDuplicates?: boolean;
}

/** A message's `examples` as rows (copies: rendering coerces values in place), with their lines when known. */
export async function* exampleRows(definition: Pick<MessageDefinition, 'examples'>, locate?: PreparedMessage['locate']): AsyncGenerator<Row> {
  await Promise.resolve();
  let index = 0;
  for (const example of definition.examples) {
    index++;
    const line = locate?.(encodePointer(['examples', String(index - 1)])).line;
    yield { index, ...(line !== undefined ? { line } : {}), values: structuredClone(example) };
  }
}

/** Render one request per recipient row (the data file, or the message's examples), in input order. */
export function render(message: PreparedMessage, options: RenderOptions = {}): AsyncGenerator<RenderItem> {
  const items = renderRows(message, options);
  const file = options.data ? (options.data.displayName ?? (options.data.path === '-' ? '<stdin>' : options.data.path)) : message.definition.file;
  return message.definition.template ? withTemplateChecks(items, message.templateLock, file) : items;
}

/** A row whose template parameters break the lock's characterLimit or WhatsApp's text rules is invalid. */
async function* withTemplateChecks(items: AsyncGenerator<RenderItem>, lock: TemplateLock | undefined, file: string): AsyncGenerator<RenderItem> {
  for await (const item of items) {
    if (item.kind !== 'request') {
      yield item;
      continue;
    }
    const problems = checkRenderedTemplate(item.request, lock);
    if (problems.length === 0) yield item;
    else {
      const { row } = item;
      yield {
        kind: 'invalid', row,
        diagnostics: problems.map((p): Diagnostic => ({ code: p.code, severity: 'error', file, line: row.line ?? 0, column: 0, pointer: p.pointer, message: `row ${row.index}: ${p.message}`, row: row.index, field: p.field })),
      };
    }
  }
}

function renderRows(message: PreparedMessage, options: RenderOptions): AsyncGenerator<RenderItem> {
  const { data } = options;
  if (!data) {
    return renderStream(message.compiled, exampleRows(message.definition, message.locate), {
      file: message.definition.file,
      fromText: false,
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
      allowDuplicates: options.allowDuplicates ?? false,
      locateRow: (row, problem) => message.locate(encodePointer(['examples', String(row.index - 1), ...(problem.field ? problem.field.split('.') : [])])),
    });
  }
  const displayName = data.displayName ?? (data.path === '-' ? '<stdin>' : data.path);
  const rows = readRows({ path: data.path, displayName, ...(data.format ? { format: data.format } : {}), ...(data.input ? { input: data.input } : {}) });
  const format = data.format ?? (data.path === '-' ? undefined : detectFormatSafe(data.path));
  return renderStream(message.compiled, rows, {
    file: displayName,
    fromText: format === 'csv',
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    allowDuplicates: options.allowDuplicates ?? false,
  });
}

function detectFormatSafe(path: string): DataFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  return undefined;
}
