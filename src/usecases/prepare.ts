import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadMessage, notFound, parseYamlText, resolveInListing, type Catalog } from '../catalog/index.js';
import { checkMessage, messageRequestChecker, scheduledFor, templateLocaleOption, type MessageDefinition } from '../check/index.js';
import { UserError } from '../errors.js';
import {
  compileMessage,
  renderStream,
  type CompiledMessage,
  type ConsentCheck,
  type ParallelRender,
  type FinalRows,
  type RenderItem,
  type RowResult,
} from '../render/index.js';
import type { SuppressionList } from '../consent/index.js';
import { consentCheck, suppressionOf } from './consent.js';
import { hashTexts } from '../send/index.js';
import { detectFormat, estimateRows, readRows } from '../sources/index.js';
import { type Transport } from '../transport/index.js';
import type { DataFormat, Diagnostic, JsonObject, Row } from '../types.js';
import { encodePointer, isObject } from '../util/index.js';
import {
  checkRenderedTemplate,
  preflightRefusal,
  preflightTemplates,
  unusedNote,
  type PreflightUse,
  type TemplateLock,
  type TemplatePreflight,
} from '../templates/index.js';

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
  /** Who is never sent to: the catalog's suppression lists and the message's opt-in column. */
  consent?: ConsentCheck;
  /** The suppression lists as read for this message (empty: none configured). */
  suppressLists: SuppressionList[];
}

/** Load, check and compile one message; a message with errors is a UserError carrying them. */
export async function prepareMessage(catalog: Catalog, arg: string): Promise<PreparedMessage> {
  const found = resolveInListing(catalog.listing, catalog.config.root, catalog.cwd, arg);
  if (!found.ok && found.twin) throw new UserError('E_MESSAGE_TWIN', found.reason, { diagnostics: [found.twin] });
  if (!found.ok) throw notFound(arg, catalog.listing.messages.keys(), found.reason, { outside: found.outside === true });
  const file = found.file;
  const loaded = loadMessage(file);
  const checked = checkMessage(loaded, catalog.ctx);
  if (!checked.definition) {
    throw new UserError('E_MESSAGE_INVALID', `message ${file.id} is not valid (${file.displayPath})`, {
      diagnostics: [...catalog.diagnostics, ...checked.diagnostics],
    });
  }
  const d = checked.definition;
  // defaultCountry changes who a row reaches; appended only when set so older hashes (journals) still match.
  const content = JSON.stringify([
    d.channel,
    d.to,
    d.receiver,
    d.variables,
    d.required,
    d.body,
    d.template,
    d.fallback,
    d.passthrough,
    ...(d.defaultCountry ? [d.defaultCountry] : []),
    ...(d.consent !== undefined ? [{ consent: d.consent }] : []),
  ]);
  const partials = [...catalog.partialSources].sort(([a], [b]) => a.localeCompare(b)).map(([name, text]) => `${name}\0${text}`);
  const suppression = await suppressionOf(catalog);
  const consent = consentCheck(suppression, d);
  return {
    definition: checked.definition,
    ...(consent ? { consent } : {}),
    suppressLists: suppression.lists,
    ...(catalog.templateLock.lock ? { templateLock: catalog.templateLock.lock } : {}),
    definitionHash: hashTexts([content, ...partials]),
    compiled: compileMessage(checked.definition, catalog.ctx.env, {
      check: messageRequestChecker(checked.definition, catalog.ctx),
      now: catalog.ctx.now,
      ...templateLocaleOption(checked.definition, catalog.templateLock.lock),
    }),
    diagnostics: checked.diagnostics,
    locate: (pointer) => loaded.source.locate(pointer),
  };
}

export interface RowOptions {
  data?: { path: string; displayName?: string; format?: DataFormat; input?: NodeJS.ReadableStream };
  limit?: number;
  allowDuplicates?: boolean;
  /** Run-wide variables, given to every row. */
  vars?: RunVars;
  /** Render a CSV file's rows on worker threads (usecases/render-parallel.ts): the same items, in the same order. */
  parallel?: ParallelRender;
  /** Send's resume shortcut: rows whose recipient the journal holds as final are not rendered again. */
  final?: FinalRows;
}

/** Run-wide values (`--var KEY=VALUE`, `--vars FILE`), the same for every row. */
export type RunVars = Record<string, unknown>;

/**
 * Every row with the run-wide variables added. In a data file, a key that a row also has (a column of
 * that name, even an empty one) is an error: neither silently wins. A message's `examples` are samples
 * that must validate on their own, so there the run-wide value replaces the example's (`override`).
 */
export function withVars(rows: AsyncIterable<Row>, vars: RunVars | undefined, file: string, override = false): AsyncIterable<Row> {
  // No run-wide variables: the rows as they are (a generator here would cost every row a hop).
  if (!vars || Object.keys(vars).length === 0) return rows;
  return rowsWithVars(rows, vars, file, override);
}

async function* rowsWithVars(rows: AsyncIterable<Row>, vars: RunVars, file: string, override: boolean): AsyncGenerator<Row> {
  const keys = Object.keys(vars);
  for await (const row of rows) {
    const clash = override ? undefined : keys.find((k) => Object.prototype.hasOwnProperty.call(row.values, k));
    if (clash !== undefined) {
      throw new UserError(
        'E_VAR_CONFLICT',
        `${file}: row ${row.index}${row.line !== undefined ? ` (line ${row.line})` : ''} has "${clash}", which is also a run-wide variable; rename the column or the variable`,
      );
    }
    const values = Object.assign(Object.create(null) as Record<string, unknown>, row.values, structuredClone(vars));
    yield { ...row, values };
  }
}

/** Run-wide variables take part in a run's identity: the same data with other values is another run. */
export function withVarsHash(dataHash: string, vars: RunVars | undefined): string {
  if (!vars || Object.keys(vars).length === 0) return dataHash;
  return hashTexts([dataHash, stableJson(vars)]);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** `vars` over the file's (a flag beats a file); the file must be a YAML or JSON mapping. */
export async function loadRunVars(cwd: string, file: string | undefined, vars: RunVars | undefined): Promise<RunVars | undefined> {
  if (!file) return vars;
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new UserError(
      'E_VARS_FILE',
      `cannot read run-wide variables from ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      { cause: error },
    );
  }
  const source = parseYamlText(file, text);
  if (source.diagnostics.some((d) => d.severity === 'error'))
    throw new UserError('E_VARS_FILE', `${file} is not valid YAML or JSON`, { diagnostics: source.diagnostics });
  if (!isObject(source.value)) throw new UserError('E_VARS_FILE', `${file} must be a mapping of variable names to values`);
  return noteVarsFile({ ...source.value, ...vars }, file);
}

import { exampleRows } from './examples.js';
import { noteVarsFile, varsTypeRefusal } from './vars-types.js';
export { exampleRows };

/** One request per recipient row of a prepared message (the data file, or its examples), in input order. */
export function renderMessage(message: PreparedMessage, options: RowOptions = {}): AsyncGenerator<RenderItem> {
  return renderRows(message, options);
}

/** The fallback template is rendered apart from `renderMessage`: give its rows the same per-row template checks. */
export function templateRowChecked(result: RowResult, lock: TemplateLock | undefined): RowResult {
  if (!result.ok) return result;
  const problems = checkRenderedTemplate(result.request, lock);
  return problems.length === 0
    ? result
    : {
        ok: false,
        problems: problems.map((p) => ({
          code: p.code,
          message: p.message,
          ...(p.field !== undefined ? { field: p.field } : {}),
          ...(p.pointer !== undefined ? { pointer: p.pointer } : {}),
        })),
      };
}

export interface PreflightOptions {
  uses: readonly PreflightUse[];
  /** Trust the lock (air-gapped runs); `skipped`: a dry run that opens no connection. */
  mode: 'online' | 'offline' | 'skipped';
  transport: () => Transport;
  warn: (text: string) => void;
  /** The uses the rows need, asked only when Bird differs from the lock (templates/preflight.ts). */
  rowUses?: (() => Promise<readonly PreflightUse[] | undefined>) | undefined;
}

/** The template preflight: a difference between Bird and the lock stops everything before any send. */
export async function templatePreflight(catalog: Catalog, request: PreflightOptions): Promise<TemplatePreflight> {
  const result = await preflightTemplates({
    lock: catalog.templateLock.lock,
    uses: request.uses,
    mode: request.mode,
    transport: request.transport,
    ...(request.rowUses ? { rowUses: request.rowUses } : {}),
  });
  if (!result.ok) {
    const { message, diagnostics } = preflightRefusal(result);
    throw new UserError('E_TEMPLATE_PREFLIGHT', message, { diagnostics });
  }
  for (const t of result.templates) if (t.status === 'unused') request.warn(unusedNote(t));
  if (result.mode === 'no-lock' && request.uses.length > 0)
    request.warn('templates are not checked against Bird: the catalog has no templates.lock.json (run `chirp templates pull`)');
  return result;
}

async function* refusedRows(error: Error): AsyncGenerator<RenderItem> {
  yield* await Promise.reject<RenderItem[]>(error);
}

function renderRows(message: PreparedMessage, options: RowOptions): AsyncGenerator<RenderItem> {
  const { data } = options;
  // A --vars value of a type its variable does not declare (`version: 1.10` for type: string) is refused
  // when the rows are first asked for, where a bad data file's errors are.
  const refusal = varsTypeRefusal(message.definition.variables, options.vars);
  if (refusal) return refusedRows(refusal);
  const common = {
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    allowDuplicates: options.allowDuplicates ?? false,
    ...(message.consent ? { consent: message.consent } : {}),
    // A row whose template parameters break the lock's characterLimit or WhatsApp's text rules is invalid.
    ...(message.definition.template ? { checkRequest: (request: JsonObject) => checkRenderedTemplate(request, message.templateLock) } : {}),
    ...(options.final ? { final: options.final } : {}),
  };
  if (!data) {
    return renderStream(
      message.compiled,
      withVars(exampleRows(message.definition, message.locate), options.vars, message.definition.file, true),
      {
        file: message.definition.file,
        fromText: false,
        ...common,
        locateRow: (row, problem) =>
          message.locate(encodePointer(['examples', String(row.index - 1), ...(problem.field ? problem.field.split('.') : [])])),
      },
    );
  }
  const displayName = data.displayName ?? (data.path === '-' ? '<stdin>' : data.path);
  const rows = withVars(
    readRows({
      path: data.path,
      displayName,
      ...(data.format ? { format: data.format } : {}),
      ...(data.input ? { input: data.input } : {}),
    }),
    options.vars,
    displayName,
  );
  const format = data.format ?? (data.path === '-' ? undefined : detectFormat(data.path));
  // Worker threads take CSV rows (text in objects without prototypes, which cross as JSON unchanged);
  // run-wide variables holding objects (they have prototypes) or numbers JSON changes (-0) keep them inline.
  const parallel = options.parallel && format === 'csv' && scalarVars(options.vars) ? { parallel: options.parallel } : {};
  // A line-based file's size tells about how many rows come: the duplicate index starts that big (memory only).
  const guess = format === 'csv' || format === 'ndjson' ? estimateRows(data.path) : undefined;
  const expected = guess === undefined ? {} : { expectedRows: Math.min(guess, options.limit ?? guess) };
  return renderStream(message.compiled, rows, { file: displayName, fromText: format === 'csv', ...common, ...parallel, ...expected });
}

/** A value that crosses to a worker as JSON unchanged and has no object (no prototype to tell apart). */
const plainValue = (v: unknown): boolean =>
  v === null ||
  typeof v === 'string' ||
  typeof v === 'boolean' ||
  (typeof v === 'number' && Number.isFinite(v) && !Object.is(v, -0)) ||
  (Array.isArray(v) && v.every(plainValue));
const scalarVars = (vars: RunVars | undefined): boolean => vars === undefined || Object.values(vars).every(plainValue);

/**
 * Requests rendered earlier (a saved plan) checked again as they are sent, against the clock of the
 * send: Bird's rules that depend on the time (`scheduledFor` at most 35 days ahead). A request that
 * now breaks one becomes an invalid row, so nothing of the run is sent.
 */
export async function* sendTimeChecked(items: AsyncIterable<RenderItem>, now: () => Date, file: string): AsyncGenerator<RenderItem> {
  for await (const item of items) {
    const problems = item.kind === 'request' ? scheduledFor(item.request as unknown as JsonObject, { now: now() }) : [];
    if (problems.length === 0) {
      yield item;
      continue;
    }
    const row = item.row.index;
    yield {
      kind: 'invalid',
      row: item.row,
      diagnostics: problems.map((p) => ({
        code: p.code,
        severity: 'error' as const,
        file,
        line: 0,
        column: 0,
        pointer: p.pointer,
        message: `row ${row}: ${p.message}`,
        row,
      })),
    };
  }
}

/** The message's `fallback.template` as a message of its own, rendered from the same row. */
export function fallbackRenderer(catalog: Catalog, message: PreparedMessage): ((row: Row) => RowResult) | null {
  const { fallback, body: _body, translations: _translations, ...rest } = message.definition;
  if (!fallback) return null;
  const definition = { ...rest, template: fallback.template };
  const compiled = compileMessage(definition, catalog.ctx.env, {
    check: messageRequestChecker(definition, catalog.ctx),
    now: catalog.ctx.now,
    ...templateLocaleOption(definition, catalog.templateLock.lock),
  });
  return (row) => templateRowChecked(compiled.renderRow(row.values, false), catalog.templateLock.lock);
}

export const examplesHash = (message: PreparedMessage): string => hashTexts([JSON.stringify(message.definition.examples)]);
