// chirp's library API, and the only place that knows the order of the stages:
// load (catalog) → check → render (sources) → plan (diff, send decisions) → send (journal, transport)
// → track (status) → report. Plain options in, plain results out: nothing here prints, exits or reads
// the process; the CLI (src/cli) passes cwd, env values, flags, the clock, the HTTP dispatcher and
// progress callbacks in, picks a reporter and maps the result to an exit code.
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, statSync, type Stats } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Dispatcher } from 'undici';
import {
  CONFIG_FILE,
  encodePointer,
  headCommit,
  loadConfigText,
  insideMessages,
  listingFiles,
  loadMessage,
  MESSAGES_DIR,
  messageFileFor,
  notFound,
  openCatalog,
  parseYamlText,
  readFilesAt,
  resolveBase,
  resolveInListing,
  selectIds,
  twinProblem,
  type Catalog,
  type MessageFile,
} from './catalog/index.js';
import {
  checkMessage,
  messageRequestChecker,
  platformOf,
  requestChecker,
  scheduledFor,
  UUID,
  type MessageDefinition,
} from './check/index.js';
import {
  addTemplateLockDiff,
  compareSides,
  consentDiff,
  headSide,
  revisionSide,
  type ConsentSide,
  type PlanDiff,
  type Side,
} from './diff/index.js';
import { UserError } from './errors.js';
import {
  addToList,
  listKeys,
  listPath,
  readList,
  loadSuppression,
  optInCheck,
  RECEIVER_FIELDS,
  type AddResult,
  type Suppression,
  type SuppressionList,
} from './consent/index.js';
import { checkFolder, listRuns, reopenJournal, type CheckedFile, type JournalRecord, type JournalWriter } from './journal/index.js';
import {
  compileMessage,
  normalizeRecipient,
  renderStream,
  type CompiledMessage,
  type ConsentCheck,
  type RenderItem,
  type RowResult,
} from './render/index.js';
import { planItems, readSavedPlan, sealPlan, type SavedPlan, type SavedRequest } from './saved-plan/index.js';
import {
  buildReport,
  failureOf,
  failuresCsv,
  hashFile,
  hashTexts,
  recipientKey,
  sendMessage,
  WindowChecker,
  type DispatchCounts,
  type FailureRecord,
  type SendPlan,
  type SendReport,
} from './send/index.js';
import { detectFormat, readRows } from './sources/index.js';
import {
  FAILED,
  fetchInteractions,
  readRunDetail,
  refreshStatuses,
  sendActivity,
  statusEntry,
  summarize,
  type ListingReport,
  type RunDetail,
  type SendActivity,
  type StatusSummary,
} from './status/index.js';
import { createDispatcher, createTransport, type Transport } from './transport/index.js';
import type { DataFormat, Diagnostic, JsonObject, Platform, Row } from './types.js';
import { isObject, sha256Hex } from './util/index.js';
import { chirpVersion } from './version.js';
import {
  checkRenderedTemplate,
  DEFAULT_LOCK_MAX_AGE_DAYS,
  LOCK_FILE,
  lockFromText,
  preflightRefusal,
  preflightTemplates,
  staleLockWarning,
  type PreflightUse,
  type TemplateLock,
  type TemplatePreflight,
} from './templates/index.js';
import { mergeUses, requestTemplateUses, sendTemplateUses } from './template-uses.js';

export { openCatalog, type Catalog } from './catalog/index.js';
export { CODES, InternalError, UserError, type DiagnosticCode } from './errors.js';
export type { Diagnostic, Row, DataFormat } from './types.js';
export type { RenderItem } from './render/index.js';
export type { PlanDiff } from './diff/index.js';
export type { SavedPlan } from './saved-plan/index.js';
export type { SendPlan, SendReport, FailureRecord, DispatchCounts } from './send/index.js';
export type { StatusSummary } from './status/index.js';
export { chirpVersion } from './version.js';
export { templateText } from './templates/index.js';
export type { TemplateLock, TemplateText, TemplateTextInput, TemplatePreflight } from './templates/index.js';
export { collectTemplateProjects, mergeUses, pullTemplateLock, requestTemplateUses, sendTemplateUses } from './template-uses.js';
export type { PullLockOptions } from './template-uses.js';

/** What every command takes. Nothing is read from the process: pass what it needs. */
export interface LibraryOptions {
  /** The folder chirp runs in: relative paths and config discovery start here. */
  cwd: string;
  /** Environment values (BIRD_ACCESS_KEY, BIRD_WORKSPACE_ID, BIRD_API_URL). Default: none. */
  env?: Record<string, string | undefined>;
  /** `--config FILE`. */
  configPath?: string;
  /** The clock (default: the system's). */
  now?: () => Date;
  /** An undici dispatcher for every request to Bird (a MockAgent in tests). Default: a pool per command. */
  dispatcher?: Dispatcher;
  /** Warnings for the user (stale lock taken over, damaged journal lines, statuses not saved). */
  warn?: (text: string) => void;
}

/** A data file, or a stream of one (`path: '-'` with `input`). */
export interface DataInput {
  path: string;
  format?: DataFormat;
  /** Read when path is '-'. */
  input?: NodeJS.ReadableStream;
}

const catalogOf = (options: LibraryOptions): Promise<Catalog> =>
  openCatalog({
    cwd: options.cwd,
    env: options.env ?? {},
    ...(options.configPath ? { configPath: options.configPath } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
const clock = (options: LibraryOptions): (() => Date) => options.now ?? (() => new Date());
const noWarn = (): void => undefined;

// ---------------------------------------------------------------------------------------------
// validate

export interface ValidateOptions extends LibraryOptions {
  /** Message files or ids (default: the whole catalog). */
  paths?: string[];
}
export interface ValidateResult {
  files: number;
  diagnostics: Diagnostic[];
}

/** Check the whole catalog, or the given files / message ids, reporting every problem in one pass. */
export async function validate(options: ValidateOptions): Promise<ValidateResult> {
  const catalog = await catalogOf(options);
  const { root } = catalog.config;
  const files: MessageFile[] = [];
  const { lock, file: lockFile } = catalog.templateLock;
  const stale =
    lock && staleLockWarning(lock, lockFile, clock(options)().getTime(), catalog.config.lockMaxAgeDays ?? DEFAULT_LOCK_MAX_AGE_DAYS);
  const diagnostics = [...catalog.diagnostics, ...(stale ? [stale] : [])];
  if (options.paths && options.paths.length > 0) {
    for (const p of options.paths) {
      // A file outside messages/ can be checked (it has no id to send under); inside, the listing rule applies.
      if (existsSync(resolve(options.cwd, p)) && insideMessages(root, options.cwd, p) === undefined) {
        files.push(messageFileFor(root, options.cwd, p));
        continue;
      }
      const found = resolveInListing(catalog.listing, root, options.cwd, p);
      if (found.ok) files.push(found.file);
      else if (found.twin) diagnostics.push(found.twin);
      // A file the listing skips (a draft in a hidden folder) can still be checked when named.
      else if (existsSync(resolve(options.cwd, p))) files.push(messageFileFor(root, options.cwd, p));
      else throw notFound(p, catalog.listing.messages.keys(), found.reason);
    }
  } else {
    files.push(...listingFiles(catalog.listing, root, options.cwd));
    for (const [id, rels] of catalog.listing.twins)
      diagnostics.push(twinProblem(id, rels, (rel) => relative(options.cwd, join(root, MESSAGES_DIR, ...rel.split('/')))));
  }
  for (const file of files) diagnostics.push(...checkMessage(await loadMessage(file), catalog.ctx).diagnostics);
  return { files: files.length, diagnostics };
}

// ---------------------------------------------------------------------------------------------
// render

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

const suppressions = new WeakMap<Catalog, Promise<Suppression>>();

/** The catalog's suppression lists (`suppress:`), read once per catalog, fail-closed. */
export function suppressionOf(catalog: Catalog): Promise<Suppression> {
  let loaded = suppressions.get(catalog);
  if (!loaded) {
    loaded = loadSuppression({ root: catalog.config.root, files: catalog.config.suppress, defaultCountry: catalog.config.defaultCountry });
    suppressions.set(catalog, loaded);
  }
  return loaded;
}

/** The consent check of one message: its opt-in column, and the lists (when any is configured). */
function consentCheck(suppression: Suppression, definition: MessageDefinition): ConsentCheck | undefined {
  if (suppression.lists.length === 0 && definition.consent === undefined) return undefined;
  return {
    ...(definition.consent !== undefined ? { optIn: optInCheck(definition.consent) } : {}),
    ...(suppression.lists.length > 0 ? { suppressed: suppression.has } : {}),
  };
}

/** The lists a run or a plan was checked against, as recorded (journal header, saved plan): names and hashes. */
function listRecords(lists: readonly SuppressionList[]): { file: string; sha256: string }[] {
  return lists.map((l) => ({ file: l.file, sha256: l.sha256 }));
}

/** Load, check and compile one message; a message with errors is a UserError carrying them. */
export async function prepareMessage(catalog: Catalog, arg: string): Promise<PreparedMessage> {
  const found = resolveInListing(catalog.listing, catalog.config.root, catalog.cwd, arg);
  if (!found.ok && found.twin) throw new UserError('E_MESSAGE_TWIN', found.reason, { diagnostics: [found.twin] });
  if (!found.ok) throw notFound(arg, catalog.listing.messages.keys(), found.reason);
  const file = found.file;
  const loaded = await loadMessage(file);
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
    compiled: compileMessage(checked.definition, catalog.ctx.env, { check: messageRequestChecker(checked.definition, catalog.ctx) }),
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
}

/** Run-wide values (`--var KEY=VALUE`, `--vars FILE`), the same for every row. */
export type RunVars = Record<string, unknown>;

/**
 * Every row with the run-wide variables added. In a data file, a key that a row also has (a column of
 * that name, even an empty one) is an error: neither silently wins. A message's `examples` are samples
 * that must validate on their own, so there the run-wide value replaces the example's (`override`).
 */
async function* withVars(rows: AsyncIterable<Row>, vars: RunVars | undefined, file: string, override = false): AsyncGenerator<Row> {
  const keys = vars ? Object.keys(vars) : [];
  for await (const row of rows) {
    if (keys.length === 0) {
      yield row;
      continue;
    }
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
function withVarsHash(dataHash: string, vars: RunVars | undefined): string {
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
  return { ...source.value, ...vars };
}

/** A message's `examples` as rows (copies: rendering coerces values in place), with their lines when known. */
export async function* exampleRows(
  definition: Pick<MessageDefinition, 'examples'>,
  locate?: PreparedMessage['locate'],
): AsyncGenerator<Row> {
  await Promise.resolve();
  let index = 0;
  for (const example of definition.examples) {
    index++;
    const line = locate?.(encodePointer(['examples', String(index - 1)])).line;
    yield { index, ...(line !== undefined ? { line } : {}), values: structuredClone(example) };
  }
}

/** One request per recipient row of a prepared message (the data file, or its examples), in input order. */
export function renderMessage(message: PreparedMessage, options: RowOptions = {}): AsyncGenerator<RenderItem> {
  const items = renderRows(message, options);
  const file = options.data
    ? (options.data.displayName ?? (options.data.path === '-' ? '<stdin>' : options.data.path))
    : message.definition.file;
  return message.definition.template ? withTemplateChecks(items, message.templateLock, file) : items;
}

/** A row whose template parameters break the lock's characterLimit or WhatsApp's text rules is invalid. */
async function* withTemplateChecks(
  items: AsyncGenerator<RenderItem>,
  lock: TemplateLock | undefined,
  file: string,
): AsyncGenerator<RenderItem> {
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
        kind: 'invalid',
        row,
        diagnostics: problems.map((p): Diagnostic => ({
          code: p.code,
          severity: 'error',
          file,
          line: row.line ?? 0,
          column: 0,
          pointer: p.pointer,
          message: `row ${row.index}: ${p.message}`,
          row: row.index,
          ...(p.field !== undefined ? { field: p.field } : {}),
        })),
      };
    }
  }
}

/** The fallback template is rendered apart from `renderMessage`: give its rows the same per-row template checks. */
function templateRowChecked(result: RowResult, lock: TemplateLock | undefined): RowResult {
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
}

/** The template preflight: a difference between Bird and the lock stops everything before any send. */
async function templatePreflight(catalog: Catalog, request: PreflightOptions): Promise<TemplatePreflight> {
  const result = await preflightTemplates({
    lock: catalog.templateLock.lock,
    uses: request.uses,
    mode: request.mode,
    transport: request.transport,
  });
  if (!result.ok) {
    const { message, diagnostics } = preflightRefusal(result);
    throw new UserError('E_TEMPLATE_PREFLIGHT', message, { diagnostics });
  }
  if (result.mode === 'no-lock' && request.uses.length > 0)
    request.warn('templates are not checked against Bird: the catalog has no templates.lock.json (run `chirp templates pull`)');
  return result;
}

function renderRows(message: PreparedMessage, options: RowOptions): AsyncGenerator<RenderItem> {
  const { data } = options;
  const common = {
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    allowDuplicates: options.allowDuplicates ?? false,
    ...(message.consent ? { consent: message.consent } : {}),
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
  return renderStream(message.compiled, rows, { file: displayName, fromText: format === 'csv', ...common });
}

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

export interface RenderOptions extends LibraryOptions {
  /** Message id or path to a message file. */
  message: string;
  /** Recipients (default: the message's examples). */
  data?: DataInput;
  limit?: number;
  allowDuplicates?: boolean;
  /** Run-wide variables, given to every row (a row that has the same key is an error). */
  vars?: RunVars;
}
export interface RenderResult {
  messageId: string;
  /** Whether the message sends a template (rather than a body). */
  template: boolean;
  /** The catalog's templates.lock.json, if it has one (for showing a template's text). */
  templateLock?: TemplateLock;
  /** Warnings from checking the definition. */
  diagnostics: Diagnostic[];
  /** Streamed in input order: requests, invalid rows and duplicates. */
  items: AsyncIterable<RenderItem>;
}

/** Render one request per recipient (streamed: a million rows never sit in memory). */
export async function render(options: RenderOptions): Promise<RenderResult> {
  const catalog = await catalogOf(options);
  const message = await prepareMessage(catalog, options.message);
  const items = renderMessage(message, {
    ...(options.data
      ? {
          data: {
            ...options.data,
            path: options.data.path === '-' ? '-' : resolve(options.cwd, options.data.path),
            displayName: options.data.path === '-' ? '<stdin>' : options.data.path,
          },
        }
      : {}),
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    allowDuplicates: options.allowDuplicates ?? false,
    ...(options.vars ? { vars: options.vars } : {}),
  });
  return {
    messageId: message.definition.id,
    template: message.definition.template !== undefined,
    ...(message.templateLock ? { templateLock: message.templateLock } : {}),
    diagnostics: message.diagnostics,
    items,
  };
}

// ---------------------------------------------------------------------------------------------
// shared by plan, send and status

/** A channel alias from the config, or a channel UUID as given. */
export function resolveChannel(catalog: Catalog, channel: string): string {
  if (UUID.test(channel)) return channel;
  const id = catalog.config.channels[channel];
  if (!id) throw new UserError('E_CHANNEL_ALIAS', `channel alias "${channel}" is not in ${catalog.config.configFile}`);
  return id;
}

/** The message's `fallback.template` as a message of its own, rendered from the same row. */
function fallbackRenderer(catalog: Catalog, message: PreparedMessage): ((row: Row) => RowResult) | null {
  const { fallback, body: _body, ...rest } = message.definition;
  if (!fallback) return null;
  const definition = { ...rest, template: fallback.template };
  const compiled = compileMessage(definition, catalog.ctx.env, { check: messageRequestChecker(definition, catalog.ctx) });
  return (row) => templateRowChecked(compiled.renderRow(row.values, false), catalog.templateLock.lock);
}

/** `journal` (relative to cwd), or `.chirp/journal` in the catalog. A path that is not a folder is a user error. */
function journalDir(options: LibraryOptions, catalog: Catalog, journal: string | undefined): string {
  const dir = journal ? resolve(options.cwd, journal) : join(catalog.config.root, '.chirp', 'journal');
  let stats: Stats | undefined;
  try {
    stats = statSync(dir);
  } catch {
    // Missing: created when the first run starts. A missing parent is created too.
  }
  if (stats !== undefined && !stats.isDirectory()) {
    throw new UserError(
      'E_JOURNAL',
      `the journal folder ${dir} is not a folder${journal ? ' (check --journal)' : ''}; give --journal a folder (it is created if missing)`,
    );
  }
  return dir;
}

/** The platform of a channel (alias or id): part of every run's identity, beside origin, workspace and channel. */
function platformFor(catalog: Catalog, channel: string): Platform {
  return platformOf(channel, catalog.config);
}

/** Where a run sends, beside workspace and channel (part of every run's identity). */
function apiOrigin(catalog: Catalog): string {
  return new URL(catalog.config.apiUrl).origin;
}

interface ClientOptions {
  workspace: string;
  rate: number;
  getRate?: number;
  concurrency: number;
}

/** The Bird HTTP client for this catalog's API URL and the access key from the environment. */
interface BirdClient {
  transport: Transport;
  /** Closes the connection pool chirp made (a dispatcher the caller passed in stays the caller's). */
  close: () => Promise<void>;
}

function birdClient(options: LibraryOptions & { signal?: AbortSignal }, catalog: Catalog, client: ClientOptions): BirdClient {
  const own = options.dispatcher ? undefined : createDispatcher({ connections: client.concurrency });
  const transport = createTransport({
    dispatcher: options.dispatcher ?? own!,
    baseUrl: catalog.config.apiUrl,
    accessKey: catalog.config.accessKey ?? '',
    workspace: client.workspace,
    rate: client.rate,
    ...(client.getRate !== undefined ? { getRate: client.getRate } : {}),
    concurrency: client.concurrency,
    userAgent: `chirp/${chirpVersion()}`,
  });
  // After an interruption, requests still on the wire are abandoned (unknown): destroy, do not wait for them.
  return {
    transport,
    close: async () => {
      await (options.signal?.aborted ? own?.destroy() : own?.close());
    },
  };
}

function resolveData(options: LibraryOptions, data: DataInput): { path: string; displayName: string; format?: DataFormat } {
  const format = data.format ?? detectFormat(data.path);
  return { path: resolve(options.cwd, data.path), displayName: data.path, ...(format ? { format } : {}) };
}

const examplesHash = (message: PreparedMessage): string => hashTexts([JSON.stringify(message.definition.examples)]);

export const SEND_DEFAULTS = { batchSize: 100, concurrency: 4, rate: 50 } as const;

// ---------------------------------------------------------------------------------------------
// plan

export interface PlanOptions extends LibraryOptions {
  /** Message ids (default: the whole catalog; exactly one with `save`). */
  messages?: string[];
  /** Recipients for both sides (default: each message's examples). Not stdin: it is read more than once. */
  data?: DataInput;
  /** Compare with the catalog at this git revision: at its merge base with HEAD, as a pull request shows it. */
  base?: string;
  /** false: compare with `base` itself (two dots), not its merge base with HEAD. */
  mergeBase?: boolean;
  /** Make the saved plan of one message (`plan --out`) instead of showing one. */
  save?: boolean;
  reveal?: boolean;
  journal?: string;
  batchSize?: number;
  rate?: number;
  /** Look up customer-care windows at Bird (read-only). */
  window?: 'check' | 'ignore';
  /** With window check: a window closing sooner than this counts as closed, and one that comes this close before its request leaves is checked again (default 300). */
  windowMarginSeconds?: number;
  /** Run-wide variables, given to every row of both sides. */
  vars?: RunVars;
}

/** What the visual diff (`plan --format html`) renders again: both sides and the rows they were compared on. */
export interface PlanSides {
  head: Side;
  base: Side;
  rows: Parameters<typeof compareSides>[0]['rows'];
}

export type PlanResult =
  | { kind: 'diff'; diff: PlanDiff; sides: PlanSides }
  | { kind: 'send-plan'; reports: SendReport[]; problems: Diagnostic[]; templates?: TemplatePreflight }
  | { kind: 'saved'; plan: SavedPlan }
  | { kind: 'not-saved'; problems: Diagnostic[] };

/** What would be sent, never sending: a diff against a git revision, the send plan, or a saved plan. */
export async function plan(options: PlanOptions): Promise<PlanResult> {
  if (options.data?.path === '-') throw new UserError('E_USAGE', 'plan reads the data more than once; give a file, not stdin');
  if (options.base !== undefined && options.base.trim() === '')
    throw new UserError(
      'E_USAGE',
      'the base revision is empty (e.g. --base origin/main); an empty value would silently plan without a base',
    );
  if (options.mergeBase === false && options.base === undefined)
    throw new UserError('E_USAGE', '--no-merge-base only applies with --base REF');
  if (options.window === 'check' && (options.base !== undefined || options.save))
    throw new UserError('E_USAGE', 'the window check belongs to the send plan (no --base, no --out)');
  if (options.base !== undefined && options.save)
    throw new UserError('E_USAGE', 'a saved plan (--out) does not combine with a base revision (--base)');
  const catalog = await catalogOf(options);
  const ids = options.messages && options.messages.length > 0 ? options.messages : undefined;
  if (options.base !== undefined) return { kind: 'diff', ...(await diffAgainstBase(options, catalog, ids, options.base)) };
  if (options.save) return savePlan(options, catalog, options.messages ?? []);
  return sendPlans(options, catalog, ids);
}

/** Keep only the selected messages on a side. */
function only(side: Side, ids: readonly string[] | undefined): Side {
  return ids ? { ...side, messages: new Map([...side.messages].filter(([id]) => ids.includes(id))) } : side;
}

async function diffAgainstBase(
  options: PlanOptions,
  catalog: Catalog,
  selectors: string[] | undefined,
  base: string,
): Promise<{ diff: PlanDiff; sides: PlanSides }> {
  const rev = await resolveBase(catalog.config.root, base, { mergeBase: options.mergeBase ?? true });
  const [allHead, allBase] = [await headSide(catalog), await revisionSide(rev, catalog)];
  // Selectors match on either side: a message removed since the base can be planned by its id.
  const known = [...new Set([...allHead.messages.keys(), ...allBase.messages.keys()])].sort();
  const ids = selectors ? selectIds(known, selectors, { root: catalog.config.root, cwd: options.cwd }) : undefined;
  const [head, baseSide] = [only(allHead, ids), only(allBase, ids)];
  const data = options.data ? resolveData(options, options.data) : undefined;
  const current = await headCommit(catalog.config.root);
  const rows: PlanSides['rows'] = (h, b) =>
    data
      ? { rows: withVars(readRows(data), options.vars, data.displayName), fromText: data.format === 'csv', label: data.displayName }
      : {
          rows: withVars(
            exampleRows(h?.checked.definition ?? b?.checked.definition ?? { examples: [] }),
            options.vars,
            (h ?? b)!.file,
            true,
          ),
          fromText: false,
          label: `${(h ?? b)!.file} examples`,
        };
  const diff = await compareSides({
    base: baseSide,
    head,
    baseRev: { ref: rev.ref, commit: rev.commit, tip: rev.tip ?? rev.commit, mergeBase: rev.mergeBase ?? false },
    reveal: options.reveal ?? false,
    ...(current ? { headCommit: current } : {}),
    rows,
  });
  // templates.lock.json is compared like the messages: a lock change that breaks one is a problem introduced.
  const baseLockText = (await readFilesAt(rev, [LOCK_FILE])).get(LOCK_FILE);
  const baseLock = baseLockText === undefined ? undefined : lockFromText(baseLockText, `${rev.ref}:${LOCK_FILE}`).lock;
  addTemplateLockDiff(diff, head, { base: baseLock, head: catalog.templateLock.lock });
  // A change of the suppression lists (or of an opt-in column) changes who gets a message.
  const consent = await consentDiff(head, baseSide, await headConsent(catalog), await baseConsent(rev, catalog), rows);
  if (consent) diff.consent = consent;
  return { diff, sides: { head, base: baseSide, rows } };
}

/** The working tree's lists, as a send would read them (a broken one stops the plan, as it would the send). */
async function headConsent(catalog: Catalog): Promise<ConsentSide> {
  const { root, suppress, defaultCountry } = catalog.config;
  const keys = new Set<string>();
  const lists = (await suppressionOf(catalog)).lists.map((l) => ({ file: l.file, sha256: l.sha256 }));
  for (const file of suppress)
    for (const k of await listKeys(await readList(listPath(root, file), file), file, file, defaultCountry)) keys.add(k);
  return { keys, lists };
}

/** The lists of the base revision's config, read from git; one missing or unreadable there counts as empty. */
async function baseConsent(rev: Parameters<typeof readFilesAt>[0], catalog: Catalog): Promise<ConsentSide> {
  const config = loadConfigText((await readFilesAt(rev, [CONFIG_FILE])).get(CONFIG_FILE) ?? '');
  const files = config?.suppress ?? [];
  const texts = files.length > 0 ? await readFilesAt(rev, files) : new Map<string, string>();
  const keys = new Set<string>();
  const lists: ConsentSide['lists'] = [];
  for (const file of files) {
    const text = texts.get(file);
    if (text === undefined) continue;
    const bytes = Buffer.from(text, 'utf8');
    lists.push({ file, sha256: `sha256:${sha256Hex(bytes)}` });
    try {
      for (const k of await listKeys(bytes, file, `${rev.ref}:${file}`, config?.defaultCountry ?? catalog.config.defaultCountry))
        keys.add(k);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
    }
  }
  return { keys, lists };
}

async function savePlan(options: PlanOptions, catalog: Catalog, ids: string[]): Promise<PlanResult> {
  if (ids.length !== 1)
    throw new UserError('E_USAGE', 'a saved plan holds exactly one message: chirp plan MESSAGE --data FILE --out plan.json');
  const message = await prepareMessage(catalog, ids[0]!);
  const data = options.data ? resolveData(options, options.data) : undefined;
  const requests: SavedRequest[] = [];
  const problems: Diagnostic[] = [];
  let suppressed = 0;
  for await (const item of renderMessage(message, { ...(data ? { data } : {}), ...(options.vars ? { vars: options.vars } : {}) })) {
    if (item.kind === 'request') requests.push({ row: item.row.index, recipient: item.recipient, body: item.request });
    else if (item.kind === 'invalid') problems.push(...item.diagnostics);
    else if (item.kind === 'suppressed') suppressed++;
  }
  if (problems.length > 0) return { kind: 'not-saved', problems };
  return {
    kind: 'saved',
    plan: sealPlan({
      kind: 'chirp-plan',
      version: 1,
      createdAt: clock(options)().toISOString(),
      chirpVersion: chirpVersion(),
      message: message.definition.id,
      channelId: resolveChannel(catalog, message.definition.channel),
      workspace: catalog.config.workspace ?? '',
      inputs: {
        definitionHash: message.definitionHash,
        dataHash: withVarsHash(data ? await hashFile(data.path, data.displayName) : examplesHash(message), options.vars),
        data: data?.displayName ?? 'examples',
      },
      git: (await headCommit(catalog.config.root)) ?? null,
      ...(message.consent ? { suppress: { lists: listRecords(message.suppressLists), suppressed } } : {}),
      requests,
    }),
  };
}

/** Without a base: the send plan of each message, the same as `send --dry-run`. */
async function sendPlans(options: PlanOptions, catalog: Catalog, ids: string[] | undefined): Promise<PlanResult> {
  const known = [...new Set([...catalog.listing.messages.keys(), ...catalog.listing.twins.keys()])].sort();
  const all = ids ? selectIds(known, ids, { root: catalog.config.root, cwd: options.cwd }) : known;
  let client: BirdClient | undefined;
  if (options.window === 'check') {
    if (!catalog.config.accessKey) throw new UserError('E_ACCESS_KEY', 'the window check asks Bird: set BIRD_ACCESS_KEY');
    client = birdClient(options, catalog, {
      workspace: catalog.config.workspace ?? '',
      rate: options.rate ?? SEND_DEFAULTS.rate,
      concurrency: 2,
    });
  }
  try {
    return await sendPlansWith(options, catalog, all, client?.transport);
  } finally {
    await client?.close();
  }
}

async function sendPlansWith(options: PlanOptions, catalog: Catalog, all: string[], transport: Transport | undefined): Promise<PlanResult> {
  const now = clock(options);
  const journal = journalDir(options, catalog, options.journal);
  const data = options.data ? resolveData(options, options.data) : undefined;
  const reports: SendReport[] = [];
  const problems: Diagnostic[] = [];
  const templateUses: PreflightUse[] = [];
  for (const id of all) {
    let message: PreparedMessage;
    try {
      message = await prepareMessage(catalog, id);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      problems.push(...error.diagnostics);
      continue;
    }
    const channelId = resolveChannel(catalog, message.definition.channel);
    templateUses.push(...sendTemplateUses(message.definition, { fallback: true }));
    const window =
      transport && message.definition.body
        ? {
            checker: windowChecker(options, catalog, transport, channelId, catalog.config.workspace ?? '', journal, now),
            fallback: fallbackRenderer(catalog, message) ?? undefined,
          }
        : undefined;
    const result = await sendMessage({
      ...(window ? { window } : {}),
      apiOrigin: apiOrigin(catalog),
      platform: platformFor(catalog, message.definition.channel),
      messageId: message.definition.id,
      definitionHash: message.definitionHash,
      dataHash: withVarsHash(data ? await hashFile(data.path, data.displayName) : examplesHash(message), options.vars),
      items: () => renderMessage(message, { ...(data ? { data } : {}), ...(options.vars ? { vars: options.vars } : {}) }),
      channelId,
      workspace: catalog.config.workspace ?? '',
      journalDir: journal,
      batchSize: options.batchSize ?? SEND_DEFAULTS.batchSize,
      concurrency: 1,
      rate: options.rate ?? SEND_DEFAULTS.rate,
      retryUnknown: false,
      allowDuplicates: false,
      dryRun: true,
      newRun: false,
      force: false,
      reveal: options.reveal ?? false,
      chirpVersion: chirpVersion(),
      now,
      pid: 0,
      newRunId: () => 'unused',
      signal: new AbortController().signal,
      confirm: () => Promise.resolve(false),
      transport: () => {
        throw new Error('plan never opens a connection');
      },
      warn: options.warn ?? noWarn,
    });
    reports.push(buildReport(result, [], { dryRun: true, reveal: options.reveal ?? false, resumeCommand: null }));
  }
  // The window check reads Bird anyway: check the templates the plan would send against the lock too.
  const online = transport;
  const templates = online
    ? await templatePreflight(catalog, {
        uses: mergeUses(templateUses),
        mode: 'online',
        transport: () => online,
        warn: options.warn ?? noWarn,
      })
    : undefined;
  return { kind: 'send-plan', reports, problems, ...(templates ? { templates } : {}) };
}

// ---------------------------------------------------------------------------------------------
// send

export interface SendOptions extends LibraryOptions {
  /** Message id, path to a message file, or a saved plan (`*.json`). */
  message: string;
  /** Recipients (not with a saved plan). `path: '-'` reads `input` (spooled once: it is read twice). */
  data?: DataInput;
  batchSize?: number;
  concurrency?: number;
  rate?: number;
  limit?: number;
  expectCount?: number;
  journal?: string;
  resume?: string;
  newRun?: boolean;
  retryUnknown?: boolean;
  force?: boolean;
  /** An earlier version of the message reached some recipients: send the new one only to the others. */
  onlyUnreached?: boolean;
  /** An earlier version reached some recipients: send them the new one too (a second message). */
  sendAgain?: boolean;
  /** Go on despite journal damage, treating every recipient it may cover as unknown. */
  damagedAsUnknown?: boolean;
  allowDuplicates?: boolean;
  dryRun?: boolean;
  /** Full recipients in the report's samples. */
  reveal?: boolean;
  window?: 'check' | 'ignore';
  /** With window check: a window closing sooner than this counts as closed, and one that comes this close before its request leaves is checked again (default 300). */
  windowMarginSeconds?: number;
  durability?: 'disk' | 'process';
  /** Aborting stops new requests; those in flight drain, then are recorded (resumable). */
  signal?: AbortSignal;
  /** Asked with the plan before anything is sent; false refuses (default: refuse). */
  confirm?: (plan: SendPlan) => Promise<boolean>;
  onProgress?: (counts: DispatchCounts) => void;
  /** Recorded in the journal so `status --failures` can read the rows back. */
  pid?: number;
  /** Random run-id suffix (tests make it deterministic). */
  randomId?: () => string;
  /** Run-wide variables, given to every row; part of the run's identity. */
  vars?: RunVars;
  /** Trust templates.lock.json: skip the online template preflight (air-gapped runs). */
  offlineTemplates?: boolean;
  /** Told the private folder of a stdin copy, so a caller that exits at once (a second Ctrl-C) can remove it. */
  onTempDir?: (dir: string) => void;
}

export interface SendRun {
  report: SendReport;
  /** Failed and unknown rows of this run. */
  failures: FailureRecord[];
  /** The failures file (CSV with the data's own columns, ready to feed back): every row not confirmed sent, with its outcome. */
  failuresCsv: () => Promise<string>;
  /** The run stopped or left recipients open: the CLI offers a resume command. */
  resumable: boolean;
  /** The data's display name for a resume command; for stdin, the spooled copy. */
  dataName: string | undefined;
}

/** Where a send's requests come from: a message and a data file, or a saved plan. */
interface Source {
  messageId: string;
  channelId: string;
  workspace: string;
  definitionHash: string;
  dataHash: string;
  items: () => AsyncIterable<RenderItem>;
  /** The data file's rows (for the failures file); a saved plan has none. */
  rows: (() => AsyncIterable<Row>) | undefined;
  dataName: string | undefined;
  dataPath?: string;
  /** With window check on a body message: the fallback template's renderer (null: none declared). */
  fallback?: ((row: Row) => RowResult) | null;
  saved: boolean;
  /** The templates the run may send, for the preflight. */
  templateUses: PreflightUse[];
  platform: Platform;
  /** The suppression lists this run is checked against (journal header). */
  suppressLists: SuppressionList[];
}

/**
 * stdin can be read once only, and send reads the rows twice (plan, then send): keep a copy, in a
 * folder only this user can open (mkdtemp: 0700) as a 0600 file, removed when the send ends. The
 * journal records the copy's hash, so a resume with other bytes is refused.
 */
async function spoolInput(
  input: NodeJS.ReadableStream,
  format: DataFormat | undefined,
  cleanups: (() => Promise<void>)[],
  onTempDir?: (dir: string) => void,
): Promise<string> {
  if (!format) throw new UserError('E_USAGE', 'data from standard input needs its format named (csv, json or ndjson)');
  const dir = await mkdtemp(join(tmpdir(), 'chirp-stdin-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  onTempDir?.(dir);
  const path = join(dir, `data.${format}`);
  await pipeline(input, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  return path;
}

function newRunId(messageId: string, now: Date, random: () => string): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${messageId.replace(/[^A-Za-z0-9._-]+/g, '.')}-${random()}`;
}

/** A saved plan's requests checked against the suppression lists as they are at send time. */
async function* consentRechecked(items: AsyncIterable<RenderItem>, suppression: Suppression): AsyncGenerator<RenderItem> {
  for await (const item of items) {
    if (item.kind === 'request' && suppression.has(item.recipient, false))
      yield { kind: 'suppressed', row: item.row, recipient: item.recipient, reason: 'opted-out' };
    else yield item;
  }
}

/** How the lists differ from those a plan (or a run) recorded: added, removed, edited, by name. */
function changedLists(recorded: readonly { file: string; sha256: string }[], now: readonly SuppressionList[]): string[] {
  const out: string[] = [];
  for (const l of now) {
    const before = recorded.find((r) => r.file === l.file);
    if (!before) out.push(`${l.file} added`);
    else if (before.sha256 !== l.sha256) out.push(`${l.file} edited`);
  }
  for (const r of recorded) if (!now.some((l) => l.file === r.file)) out.push(`${r.file} removed`);
  return out;
}

/** A saved plan keeps no data columns: its failures file names the recipient. */
async function* planRows(failures: readonly FailureRecord[]): AsyncGenerator<Row> {
  await Promise.resolve();
  for (const f of failures) yield { index: f.row, values: { recipient: f.recipient } };
}

async function sendSource(options: SendOptions, catalog: Catalog, cleanups: (() => Promise<void>)[]): Promise<Source> {
  const saved = options.message.endsWith('.json') ? await readSavedPlan(resolve(options.cwd, options.message)) : undefined;
  if (saved) {
    if (options.data) throw new UserError('E_USAGE', 'a saved plan carries its own requests; give no data file');
    // A plan is sent as reviewed: what would change its requests is refused, never silently ignored.
    if (options.limit !== undefined)
      throw new UserError('E_USAGE', 'a saved plan is sent whole; a limit would be ignored (write a plan of fewer rows)');
    if (options.vars && Object.keys(options.vars).length > 0)
      throw new UserError(
        'E_USAGE',
        'a saved plan carries its rendered requests; run-wide variables would be ignored (make the plan with them)',
      );
    if (options.allowDuplicates)
      throw new UserError('E_USAGE', 'a saved plan never holds two requests for one recipient; allowing duplicates does not apply');
    if (catalog.config.workspace && catalog.config.workspace !== saved.workspace) {
      throw new UserError(
        'E_PLAN_WORKSPACE',
        `the plan was made for workspace ${saved.workspace}, but this configuration uses ${catalog.config.workspace}; refusing to send it elsewhere`,
      );
    }
    if (options.window === 'check')
      throw new UserError('E_USAGE', 'the window check applies when rendering; a saved plan is sent as reviewed');
    // Consent is checked as it is now, not as it was when the plan was saved: whoever opted out since is skipped.
    const suppression = await suppressionOf(catalog);
    const changed = changedLists(saved.suppress?.lists ?? [], suppression.lists);
    if (changed.length > 0)
      (options.warn ?? noWarn)(
        `suppression lists changed since the plan was saved (${changed.join('; ')}): every request is checked against them as they are now`,
      );
    return {
      suppressLists: suppression.lists,
      messageId: saved.message,
      channelId: saved.channelId,
      workspace: saved.workspace,
      definitionHash: saved.inputs.definitionHash,
      dataHash: saved.inputs.dataHash,
      items: () =>
        sendTimeChecked(
          consentRechecked(
            planItems(saved, options.message, requestChecker(platformFor(catalog, saved.channelId), clock(options))),
            suppression,
          ),
          clock(options),
          options.message,
        ),
      dataName: undefined,
      rows: undefined,
      saved: true,
      platform: platformFor(catalog, saved.channelId),
      templateUses: requestTemplateUses(
        saved.message,
        saved.requests.map((r) => r.body),
      ),
    };
  }
  if (!options.data) throw new UserError('E_USAGE', "send needs --data FILE (or '-' for stdin), or a saved plan");
  const message = await prepareMessage(catalog, options.message);
  const stdin = options.data.path === '-';
  const format = options.data.format ?? (stdin ? undefined : detectFormat(options.data.path));
  const dataPath = stdin
    ? await spoolInput(options.data.input ?? emptyInput(), format, cleanups, options.onTempDir)
    : resolve(options.cwd, options.data.path);
  const displayName = stdin ? '<stdin>' : options.data.path;
  const data = { path: dataPath, displayName, ...(format ? { format } : {}) };
  return {
    suppressLists: message.suppressLists,
    messageId: message.definition.id,
    channelId: resolveChannel(catalog, message.definition.channel),
    workspace: catalog.config.workspace ?? '',
    definitionHash: message.definitionHash,
    dataHash: withVarsHash(await hashFile(dataPath, displayName), options.vars),
    dataName: stdin ? '-' : displayName,
    items: () =>
      renderMessage(message, {
        data,
        ...(options.limit !== undefined ? { limit: options.limit } : {}),
        allowDuplicates: options.allowDuplicates ?? false,
        ...(options.vars ? { vars: options.vars } : {}),
      }),
    rows: () => readRows(data),
    ...(message.definition.body && options.window === 'check' ? { fallback: fallbackRenderer(catalog, message) } : {}),
    ...(stdin ? {} : { dataPath }),
    saved: false,
    platform: platformFor(catalog, message.definition.channel),
    templateUses: sendTemplateUses(message.definition, { fallback: options.window === 'check' }),
  };
}

const constant =
  <T>(value: T): (() => Promise<T>) =>
  () =>
    Promise.resolve(value);

function emptyInput(): NodeJS.ReadableStream {
  throw new UserError('E_USAGE', 'data from standard input was asked for, but no input stream was given');
}

/** The window checker, its contact cache scoped to this Bird, workspace and channel. */
function windowChecker(
  options: { windowMarginSeconds?: number },
  catalog: Catalog,
  transport: Transport,
  channelId: string,
  workspace: string,
  journal: string,
  now: () => Date,
): WindowChecker {
  return new WindowChecker(transport, channelId, join(journal, 'contacts.json'), () => now().getTime(), {
    scope: `${catalog.config.apiUrl}\0${workspace}`,
    ...(options.windowMarginSeconds !== undefined ? { marginMs: options.windowMarginSeconds * 1000 } : {}),
  });
}

/** Render and check every row, decide against the journal, then (unless a dry run) send in batches. */
export async function send(options: SendOptions): Promise<SendRun> {
  const cleanups: (() => Promise<void>)[] = [];
  try {
    return await sendWith(options, cleanups);
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
}

async function sendWith(options: SendOptions, cleanups: (() => Promise<void>)[]): Promise<SendRun> {
  const catalog = await catalogOf(options);
  const source = await sendSource(options, catalog, cleanups);
  const now = clock(options);
  const dryRun = options.dryRun ?? false;
  const window = options.window ?? 'ignore';
  const { channelId, workspace } = source;
  if (!dryRun || window === 'check') {
    if (!workspace) throw new UserError('E_WORKSPACE', 'no Bird workspace: set `workspace:` in chirp.config.yaml or BIRD_WORKSPACE_ID');
    if (!catalog.config.accessKey)
      throw new UserError('E_ACCESS_KEY', 'no access key: set BIRD_ACCESS_KEY in the environment (never in a file)');
  }
  const rate = options.rate ?? SEND_DEFAULTS.rate;
  const concurrency = options.concurrency ?? SEND_DEFAULTS.concurrency;
  const batchSize = options.batchSize ?? SEND_DEFAULTS.batchSize;
  const journal = journalDir(options, catalog, options.journal);
  let client: BirdClient | undefined;
  const getTransport = (): Transport => (client ??= birdClient(options, catalog, { workspace, rate, concurrency })).transport;
  // Before the first request: Bird's templates must still be what the lock (and validate) saw.
  const templates = await templatePreflight(catalog, {
    uses: source.templateUses,
    mode: options.offlineTemplates ? 'offline' : dryRun && window !== 'check' ? 'skipped' : 'online',
    transport: getTransport,
    warn: options.warn ?? noWarn,
  });
  // Templates may open a conversation at any time: only free-form bodies need the window.
  const windowCheck =
    window === 'check' && source.fallback !== undefined
      ? {
          checker: windowChecker(options, catalog, getTransport(), channelId, workspace, journal, now),
          fallback: source.fallback ?? undefined,
        }
      : undefined;
  const failures: FailureRecord[] = [];
  // The failures file also lists who this run did not send and why (held unknowns, closed windows, not sent).
  const rowsForFile: FailureRecord[] = [];
  const random = options.randomId ?? (() => randomBytes(3).toString('hex'));
  try {
    const result = await sendMessage({
      apiOrigin: apiOrigin(catalog),
      platform: source.platform,
      ...(options.onlyUnreached ? { onlyUnreached: true } : {}),
      ...(options.sendAgain ? { sendAgain: true } : {}),
      ...(options.damagedAsUnknown ? { damagedAsUnknown: true } : {}),
      onSkip: (skip) => rowsForFile.push(skip),
      messageId: source.messageId,
      definitionHash: source.definitionHash,
      dataHash: source.dataHash,
      items: source.items,
      headerOptions: {
        message: source.saved ? resolve(options.cwd, options.message) : source.messageId,
        ...(source.dataPath ? { data: source.dataPath } : {}),
        ...(options.vars && Object.keys(options.vars).length > 0 ? { vars: options.vars } : {}),
        ...(source.suppressLists.length > 0 ? { suppressLists: listRecords(source.suppressLists) } : {}),
      },
      channelId,
      workspace,
      journalDir: journal,
      batchSize,
      concurrency,
      rate,
      durability: options.durability ?? 'disk',
      retryUnknown: options.retryUnknown ?? false,
      allowDuplicates: options.allowDuplicates ?? false,
      dryRun,
      newRun: options.newRun ?? false,
      ...(options.resume ? { resume: options.resume } : {}),
      force: options.force ?? false,
      ...(options.expectCount !== undefined ? { expectCount: options.expectCount } : {}),
      reveal: options.reveal ?? false,
      chirpVersion: chirpVersion(),
      now,
      pid: options.pid ?? 0,
      newRunId: () => newRunId(source.messageId, now(), random),
      signal: options.signal ?? new AbortController().signal,
      confirm: options.confirm ?? (() => Promise.resolve(false)),
      transport: getTransport,
      ...(windowCheck ? { window: windowCheck } : {}),
      onOutcome: (entry, status, outcome) => {
        const failure = failureOf(entry, status, outcome);
        if (failure && failure.status !== 'not_sent') failures.push(failure);
        if (failure) rowsForFile.push(failure);
      },
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      warn: options.warn ?? noWarn,
    });
    const resumable =
      result.kind === 'sent' && (result.dispatch.stop !== undefined || result.dispatch.unknown + result.dispatch.notSent > 0);
    const report = {
      ...buildReport(result, failures, { dryRun, reveal: options.reveal ?? false, resumeCommand: null }),
      ...(templates.templates.length > 0 ? { templates } : {}),
    };
    return {
      report,
      failures,
      resumable,
      dataName: source.dataName,
      // A spooled stdin copy is removed when send returns: read its rows back now.
      failuresCsv:
        source.dataName === '-'
          ? constant(await failuresCsv(rowsForFile, source.rows?.() ?? planRows(rowsForFile)))
          : () => failuresCsv(rowsForFile, source.rows?.() ?? planRows(rowsForFile)),
    };
  } finally {
    await client?.close();
  }
}

// ---------------------------------------------------------------------------------------------
// suppress (consent)

export interface SuppressAddOptions extends LibraryOptions {
  receiver: string;
  reason?: string;
  /** One of the configured lists (a path relative to cwd); default: the first. */
  list?: string;
}

/** Add a receiver to a suppression list: normalised, no duplicate line, atomically. */
export async function suppressAdd(options: SuppressAddOptions): Promise<AddResult> {
  const catalog = await catalogOf(options);
  const { suppress, root, configFile, defaultCountry } = catalog.config;
  if (suppress.length === 0)
    throw new UserError(
      'E_USAGE',
      `${configFile} names no suppression list: add \`suppress: [optouts.txt]\` to it (and create the file) first`,
    );
  let file = suppress[0]!;
  if (options.list !== undefined) {
    const wanted = resolve(options.cwd, options.list);
    const found = suppress.find((f) => resolve(listPath(root, f)) === wanted);
    // A list the config does not name would suppress nobody: refused rather than written in vain.
    if (found === undefined)
      throw new UserError(
        'E_USAGE',
        `--list ${options.list} is not one of the lists in suppress: of ${configFile} (${suppress.join(', ')})`,
      );
    file = found;
  }
  return addToList({
    path: listPath(root, file),
    file,
    receiver: options.receiver,
    ...(options.reason !== undefined ? { reason: options.reason } : {}),
    defaultCountry,
    date: clock(options)().toISOString().slice(0, 10),
  });
}

export interface SuppressCheckOptions extends LibraryOptions {
  data: DataInput;
  /** Read the data as this message does (its `to`, its opt-in column); default: the data's receiver/phone/email column. */
  message?: string;
}

export interface SuppressedRow {
  row: number;
  line?: number;
  /** Normalised; undefined when the row was skipped for its opt-in before its recipient was read. */
  recipient?: string;
  reason: 'opted-out' | 'no-consent';
}

export interface SuppressCheckResult {
  lists: { file: string; entries: number; sha256: string }[];
  /** Rows read. */
  rows: number;
  suppressed: SuppressedRow[];
}

/** Which rows of a data file a send would skip for consent. */
export async function suppressCheck(options: SuppressCheckOptions): Promise<SuppressCheckResult> {
  const catalog = await catalogOf(options);
  const suppression = await suppressionOf(catalog);
  const lists = suppression.lists.map((l) => ({ file: l.file, entries: l.entries, sha256: l.sha256 }));
  const suppressed: SuppressedRow[] = [];
  const stdin = options.data.path === '-';
  const displayName = stdin ? '<stdin>' : options.data.path;
  const format = options.data.format ?? (stdin ? undefined : detectFormat(options.data.path));
  const data = {
    path: stdin ? '-' : resolve(options.cwd, options.data.path),
    displayName,
    ...(format ? { format } : {}),
    ...(options.data.input ? { input: options.data.input } : {}),
  };
  let rows = 0;
  const note = (row: Row, recipient: string | undefined, reason: SuppressedRow['reason']): void => {
    suppressed.push({ row: row.index, ...(row.line !== undefined ? { line: row.line } : {}), ...(recipient ? { recipient } : {}), reason });
  };
  if (options.message !== undefined) {
    const message = await prepareMessage(catalog, options.message);
    for await (const item of renderMessage(message, { data, allowDuplicates: true })) {
      rows++;
      if (item.kind === 'suppressed') note(item.row, item.recipient, item.reason);
    }
    return { lists, rows, suppressed };
  }
  for await (const row of readRows(data)) {
    rows++;
    const fields = RECEIVER_FIELDS.filter((f) => typeof row.values[f] === 'string' || typeof row.values[f] === 'number');
    if (rows === 1 && fields.length === 0 && !RECEIVER_FIELDS.some((f) => Object.hasOwn(row.values, f)))
      throw new UserError(
        'E_USAGE',
        `${displayName} has no ${RECEIVER_FIELDS.join(', ')} column; name the message that sends it (--message ID) to read it as its \`to\` does`,
      );
    for (const field of fields) {
      const recipient = normalizeRecipient(String(row.values[field]), catalog.config.defaultCountry)?.value;
      if (recipient !== undefined && suppression.has(recipient)) {
        note(row, recipient, 'opted-out');
        break;
      }
    }
  }
  return { lists, rows, suppressed };
}

// ---------------------------------------------------------------------------------------------
// journal check

export interface JournalCheckOptions extends LibraryOptions {
  journal?: string;
}

export interface JournalCheckResult {
  dir: string;
  files: CheckedFile[];
  /** Files with damage (a send refuses while there is any, unless --damaged-as-unknown). */
  damaged: number;
}

/** Every journal in the folder read in full: what is damaged, where, and what each file covered. */
export async function journalCheck(options: JournalCheckOptions): Promise<JournalCheckResult> {
  const catalog = await catalogOf(options);
  const dir = journalDir(options, catalog, options.journal);
  const files = await checkFolder(dir);
  return { dir, files, damaged: files.filter((f) => f.damage.length > 0).length };
}

// ---------------------------------------------------------------------------------------------
// status

export interface StatusOptions extends LibraryOptions {
  /** Run id (default: the latest run). */
  run?: string;
  journal?: string;
  /** Poll until every message is final or `timeoutSeconds` passes. */
  wait?: boolean;
  timeoutSeconds?: number;
  intervalSeconds?: number;
  /** Settle unknown outcomes by finding them at Bird, or proving them absent. */
  reconcile?: boolean;
  /** Also read back the failed rows (the failures file). */
  failures?: boolean;
  /** GETs per second. */
  rate?: number;
  graceSeconds?: number;
  pid?: number;
  /** Waits between polls (tests pass a virtual clock's). */
  sleep?: (ms: number) => Promise<void>;
  /** Also count reads and clicks (GET .../messages/{id}/interactions). */
  interactions?: boolean;
  /** Reconcile: margin around the run's window on Bird's clock (default 120 s). */
  marginSeconds?: number;
  /** Reconcile: a clock skew past this declares nobody absent (default 300 s). */
  maxSkewSeconds?: number;
}

export interface StatusResult {
  summary: StatusSummary;
  /** With `failures`: the CSV, or why there is none. */
  failures?: { csv: string } | { missing: string };
}

/** Delivery statuses of a run's messages, written back to its journal. */
export async function status(options: StatusOptions): Promise<StatusResult> {
  const catalog = await catalogOf(options);
  const dir = journalDir(options, catalog, options.journal);
  const runs = await listRuns(dir);
  const run = options.run ? runs.find((r) => r.runId === options.run) : runs[0];
  if (!run) throw new UserError('E_RUN_NOT_FOUND', options.run ? `no run ${options.run} in ${dir}` : `no runs in ${dir} yet`);
  if (!catalog.config.accessKey)
    throw new UserError('E_ACCESS_KEY', 'no access key: set BIRD_ACCESS_KEY in the environment (never in a file)');
  const now = clock(options);
  // Reconciling decides what `send` will resend: hold the run's lock from before reading until the
  // records are written, so no send of this run is in flight meanwhile (refused if one is).
  const lock = options.reconcile ? await reopenJournal(dir, run.runId, now, options.pid ?? 0, { resume: false }) : undefined;
  try {
    return await statusOfRun(options, catalog, { dir, runId: run.runId, path: run.path }, lock);
  } finally {
    await lock?.close();
  }
}

/** Statuses only (no reconciliation): written back if the run is free; a running send keeps its lock. */
async function writeStatuses(
  options: StatusOptions,
  dir: string,
  runId: string,
  records: JournalRecord[],
  quiet = false,
): Promise<boolean> {
  let journal: JournalWriter;
  try {
    journal = await reopenJournal(dir, runId, clock(options), options.pid ?? 0, { resume: false });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    if (!quiet) (options.warn ?? noWarn)(`statuses not saved to the journal: ${error.message}`);
    return false;
  }
  try {
    await journal.appendDurable(records);
  } finally {
    await journal.close();
  }
  return true;
}

async function statusOfRun(
  options: StatusOptions,
  catalog: Catalog,
  run: { dir: string; runId: string; path: string },
  lock: JournalWriter | undefined,
): Promise<StatusResult> {
  let detail = await readRunDetail(run.path);
  const { header } = detail.state;
  const now = clock(options);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const client = birdClient(options, catalog, { workspace: header.workspace, rate: 1, getRate: options.rate ?? 20, concurrency: 2 });
  const { transport } = client;
  const started = now().getTime();
  const deadline = started + (options.timeoutSeconds ?? 300) * 1000;
  const interval = (options.intervalSeconds ?? 5) * 1000;
  // A send of this run still going: its lock, or its journal growing between two looks.
  const probe = (previousSize?: number) =>
    sendActivity(run.dir, run.runId, run.path, { pid: options.pid ?? 0, ...(previousSize !== undefined ? { previousSize } : {}) });
  let activity = probe();
  let sending: SendActivity | null = activity.activity;
  let listing: ListingReport | undefined;
  let offsetMs: number | undefined;
  let reconciled = false;
  const unsaved: JournalRecord[] = [];
  // The send went on writing the journal: read it again, keeping the statuses learnt meanwhile
  // (they could not be written back while the send held the run).
  const reread = async (): Promise<void> => {
    const fresh = await readRunDetail(run.path);
    for (const [key, d] of detail.deliveries) if (!fresh.deliveries.has(key)) fresh.deliveries.set(key, d);
    detail = fresh;
  };
  try {
    // --wait waits for the send to end first: until then the journal is still being written.
    while (options.wait && sending && now().getTime() < deadline) {
      await sleep(Math.min(interval, Math.max(0, deadline - now().getTime())));
      activity = probe(activity.size);
      sending = activity.activity;
      if (!sending) await reread();
    }
    for (;;) {
      const reconcile: boolean = (options.reconcile ?? false) && !reconciled && sending === null;
      const refresh = await refreshStatuses(detail, {
        transport,
        channelId: header.channelId,
        reconcile,
        clock: () => now().getTime(),
        messageId: header.messageId,
        graceMs: (options.graceSeconds ?? 60) * 1000,
        now: now().getTime(),
        ...(options.marginSeconds !== undefined ? { marginMs: options.marginSeconds * 1000 } : {}),
        ...(options.maxSkewSeconds !== undefined ? { maxSkewMs: options.maxSkewSeconds * 1000 } : {}),
      });
      reconciled ||= reconcile;
      if (refresh.listing) listing = refresh.listing;
      if (refresh.offsetMs !== undefined) offsetMs = refresh.offsetMs;
      const at = now().toISOString();
      const records: JournalRecord[] = [];
      if (refresh.updates.size > 0) {
        records.push({ t: 'status', at, entries: [...refresh.updates].map(([key, d]) => statusEntry(key, d)) });
        for (const [key, d] of refresh.updates) detail.deliveries.set(key, d);
      }
      for (const state of ['accepted', 'resendable'] as const) {
        const keys = refresh.resolved[state];
        if (keys.length === 0) continue;
        records.push({ t: 'resolve', keys, status: state, at, via: 'reconcile' });
        for (const key of keys) {
          const recipient = detail.state.recipients.get(key);
          if (recipient) recipient.status = state;
        }
      }
      // Written back so the next `status` is cheap, and `send` knows what reconciliation proved.
      // While a send holds the run they wait, and go with the next write (--wait) once it ends.
      records.unshift(...unsaved.splice(0));
      if (records.length > 0) {
        if (lock) await lock.appendDurable(records);
        else if (!(await writeStatuses(options, run.dir, run.runId, records, options.wait === true && sending !== null)))
          unsaved.push(...records);
        // Our own records are not a send's: growth is measured from here.
        activity = { activity: activity.activity, size: probe().size };
      }
      const summary = summarize(header, detail.state.recipients, detail.deliveries, {
        birdNow: now().getTime() + (offsetMs ?? 0),
        sending,
        ...(detail.suppressed !== undefined ? { suppressed: detail.suppressed } : {}),
      });
      if (!options.wait || (summary.settled && !sending) || now().getTime() >= deadline) break;
      await sleep(Math.min(interval, Math.max(0, deadline - now().getTime())));
      activity = probe(activity.size);
      const wasSending = sending;
      sending = activity.activity;
      if (wasSending) await reread();
    }
    const interactions = options.interactions
      ? await fetchInteractions(transport, header.channelId, detail.deliveries.values())
      : undefined;
    const summary = summarize(header, detail.state.recipients, detail.deliveries, {
      birdNow: now().getTime() + (offsetMs ?? 0),
      sending,
      ...(listing ? { listing } : {}),
      ...(offsetMs !== undefined ? { clockOffsetMs: offsetMs } : {}),
      ...(interactions ? { interactions } : {}),
      ...(detail.suppressed !== undefined ? { suppressed: detail.suppressed } : {}),
    });
    if (options.wait) summary.waited = (now().getTime() - started) / 1000;
    return { summary, ...(options.failures ? { failures: await failedRows(catalog, detail) } : {}) };
  } finally {
    await client.close();
  }
}

/** Failed rows of the run, read back from its data file and matched by recipient key. */
async function failedRows(catalog: Catalog, detail: RunDetail): Promise<{ csv: string } | { missing: string }> {
  const { header } = detail.state;
  const data = typeof header.options.data === 'string' ? header.options.data : undefined;
  const messageArg = typeof header.options.message === 'string' ? header.options.message : header.messageId;
  if (!data) return { missing: 'the run does not record its data file (sent from stdin or from a saved plan)' };
  const message = await prepareMessage(catalog, messageArg);
  const failed = new Map<string, { status: 'failed'; code: string; message: string }>();
  for (const [key, state] of detail.state.recipients) {
    const d = detail.deliveries.get(key);
    if (state.status === 'failed') failed.set(key, { status: 'failed', code: state.code ?? 'send_failed', message: state.message ?? '' });
    else if (d && FAILED.has(d.status))
      failed.set(key, { status: 'failed', code: d.code ?? d.status, message: `${d.status}${d.description ? `: ${d.description}` : ''}` });
  }
  const records: FailureRecord[] = [];
  const vars = isObject(header.options.vars) ? header.options.vars : undefined;
  for await (const item of renderMessage(message, { data: { path: data }, ...(vars ? { vars } : {}) })) {
    if (item.kind !== 'request') continue;
    const f = failed.get(recipientKey(header.messageId, item.recipient, 1));
    if (f) records.push({ row: item.row.index, recipient: item.recipient, ...f });
  }
  return { csv: await failuresCsv(records, readRows({ path: data })) };
}
