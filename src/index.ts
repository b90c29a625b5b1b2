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

export { openCatalog, type Catalog } from './catalog/index.js';
export type { Diagnostic, Row } from './types.js';
export type { RenderItem } from './render/index.js';

export interface ValidateResult {
  files: number;
  diagnostics: Diagnostic[];
}

/** Check the whole catalog, or the given files / message ids, reporting every problem in one pass. */
export async function validate(options: ConfigOptions & { paths?: string[] }): Promise<ValidateResult> {
  const catalog = await openCatalog(options);
  const files: MessageFile[] = [];
  if (options.paths && options.paths.length > 0) {
    for (const p of options.paths) {
      const file = existsSync(resolve(options.cwd, p)) ? messageFileFor(catalog.config.root, options.cwd, p) : resolveMessageArg(catalog.config.root, options.cwd, p);
      if (!file) throw new UserError(`chirp: no message file or message id "${p}"`, [], 2);
      files.push(file);
    }
  } else files.push(...(await listMessages(catalog.config.root, options.cwd)));
  const diagnostics = [...catalog.diagnostics];
  for (const file of files) diagnostics.push(...checkMessage(await loadMessage(file), catalog.ctx).diagnostics);
  return { files: files.length, diagnostics };
}

export interface PreparedMessage {
  definition: MessageDefinition;
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
  // defaultCountry changes who a row reaches; appended only when set so older hashes (journals) still match.
  const content = JSON.stringify([d.channel, d.to, d.receiver, d.variables, d.required, d.body, d.template, d.fallback, d.passthrough, ...(d.defaultCountry ? [d.defaultCountry] : [])]);
  const partials = [...catalog.partialSources].sort(([a], [b]) => a.localeCompare(b)).map(([name, text]) => `${name}\0${text}`);
  return {
    definition: checked.definition,
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
