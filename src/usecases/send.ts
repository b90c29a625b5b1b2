import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type Catalog } from '../catalog/index.js';
import { requestChecker } from '../check/index.js';
import { UserError } from '../errors.js';
import { type FinalRows, type RenderItem, type RowResult } from '../render/index.js';
import { planItems, readSavedPlan } from '../saved-plan/index.js';
import {
  buildReport,
  failureOf,
  failuresCsv,
  hashFile,
  hashTexts,
  sendMessage,
  type DispatchCounts,
  type FailureRecord,
  type SendPlan,
  type SendReport,
} from '../send/index.js';
import { detectFormat, readRows } from '../sources/index.js';
import { type Transport } from '../transport/index.js';
import type { DataFormat, Platform, Row } from '../types.js';
import { chirpVersion } from '../version.js';
import { type PreflightUse } from '../templates/index.js';
import { requestTemplateUses, sendTemplateUses } from '../template-uses.js';
import { rowTemplateUses, type RowUses } from './row-locales.js';
import type { LibraryOptions, DataInput, BirdClient } from './common.js';
import {
  catalogOf,
  clock,
  noWarn,
  resolveChannel,
  journalDir,
  platformFor,
  apiOrigin,
  birdClient,
  SEND_DEFAULTS,
  windowChecker,
} from './common.js';
import type { RunVars } from './prepare.js';
import type { SuppressionList } from '../consent/index.js';
import { changedLists, consentRechecked, listRecords, savedPlanCheck, suppressionOf } from './consent.js';
import { beforeAnyRequest, renderInParallel } from './render-parallel.js';
import { checkThreads } from '../util/index.js';
import { fallbackRenderer, prepareMessage, withVarsHash, renderMessage, templatePreflight, sendTimeChecked } from './prepare.js';

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
  /**
   * The API origin is another Bird than the one earlier runs of the same message and data sent to
   * (staging → production): send to everyone there. Without it such a send is refused before any
   * request (`E_RUN_OTHER_ORIGIN`); `confirm` is not asked about it.
   */
  newOrigin?: boolean;
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
  /**
   * Threads that render and check a CSV file's rows before the first request (1: this thread only;
   * default 1). The requests are the same bytes in the same order either way.
   */
  threads?: number;
  /** With threads: rows per message to a worker (tests make it small). */
  batchRows?: number;
  /** Trust templates.lock.json: skip the online template preflight (air-gapped runs). */
  offlineTemplates?: boolean;
  /** Told the private folder of a stdin copy, so a caller that exits at once (a second Ctrl-C) can remove it. */
  onTempDir?: (dir: string) => void;
  /** The command that resumes a new run, given its id and the data's display name: kept in the journal for `chirp status`. */
  resumeCommand?: (runId: string, dataName: string | undefined) => string | null;
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
  /** `final`: send's resume shortcut (a saved plan has no rows to skip). */
  items: (final?: FinalRows) => AsyncIterable<RenderItem>;
  /** Everything a row's rendered bytes depend on besides the row, when the resume shortcut may use it (see run.ts). */
  renderKey?: string;
  /** The data file's rows (for the failures file); a saved plan has none. */
  rows: (() => AsyncIterable<Row>) | undefined;
  dataName: string | undefined;
  dataPath?: string;
  /** With window check on a body message: the fallback template's renderer (null: none declared). */
  fallback?: ((row: Row) => RowResult) | null;
  saved: boolean;
  /** The templates the run may send, for the preflight. */
  templateUses: PreflightUse[];
  /** The uses the rows need, for a preflight that finds Bird differing from the lock. */
  rowTemplateUses?: RowUses | undefined;
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

export function newRunId(messageId: string, now: Date, random: () => string): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${messageId.replace(/[^A-Za-z0-9._-]+/g, '.')}-${random()}`;
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
    const planCheck = savedPlanCheck(catalog, saved, suppression);
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
            planItems(saved, options.message, requestChecker(platformFor(catalog, saved.channelId), clock(options)), {
              now: clock(options),
              warn: options.warn ?? noWarn,
            }),
            planCheck,
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
  const dataHash = withVarsHash(await hashFile(dataPath, displayName), options.vars);
  const d = message.definition;
  // The whole-list check on worker threads (usecases/render-parallel.ts): one pool for the send's one pass
  // over the rows. Not with --window check (the fallback template renders from the row's typed values,
  // which only an inline render leaves behind), nor with an injected clock (a worker cannot be handed it).
  const parallel =
    (options.threads ?? 1) > 1 && options.now === undefined && !(d.body && options.window === 'check')
      ? renderInParallel(catalog, message, {
          threads: options.threads!,
          ...(options.batchRows !== undefined ? { batchRows: options.batchRows } : {}),
        })
      : undefined;
  const checked = parallel ? beforeAnyRequest(parallel) : undefined;
  // The resume shortcut skips rendering rows the journal holds as final, trusting that the same inputs
  // render the same bytes. Only where that holds row by row: a `to` recipient (checked for consent
  // without rendering), no clock in the request or its checks (sendAt, a scheduledFor field), no
  // per-locale counts, one key per recipient.
  const renderKey =
    d.to !== undefined &&
    d.sendAt === undefined &&
    !Object.hasOwn(d.passthrough, 'scheduledFor') &&
    d.locale === undefined &&
    !options.allowDuplicates
      ? hashTexts([
          'render-key/1',
          message.definitionHash,
          dataHash,
          chirpVersion(),
          JSON.stringify(catalog.templateLock.lock ?? null),
          catalog.config.defaultCountry ?? '',
        ])
      : undefined;
  return {
    ...(renderKey ? { renderKey } : {}),
    suppressLists: message.suppressLists,
    messageId: message.definition.id,
    channelId: resolveChannel(catalog, message.definition.channel),
    workspace: catalog.config.workspace ?? '',
    definitionHash: message.definitionHash,
    dataHash,
    dataName: stdin ? '-' : displayName,
    items: (final) =>
      renderMessage(message, {
        data,
        ...(options.limit !== undefined ? { limit: options.limit } : {}),
        allowDuplicates: options.allowDuplicates ?? false,
        ...(options.vars ? { vars: options.vars } : {}),
        ...(final && renderKey ? { final } : {}),
        ...(checked ? { parallel: checked } : {}),
      }),
    rows: () => readRows(data),
    ...(message.definition.body && options.window === 'check' ? { fallback: fallbackRenderer(catalog, message) } : {}),
    ...(stdin ? {} : { dataPath }),
    saved: false,
    platform: platformFor(catalog, message.definition.channel),
    templateUses: sendTemplateUses(message.definition, { fallback: options.window === 'check', lock: catalog.templateLock.lock }),
    rowTemplateUses: rowTemplateUses(message, data, options.vars, {
      fallback: options.window === 'check',
      lock: catalog.templateLock.lock,
    }),
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

/** Render and check every row, decide against the journal, then (unless a dry run) send in batches. */
export async function send(options: SendOptions): Promise<SendRun> {
  if (options.threads !== undefined) checkThreads(options.threads);
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
    rowUses: source.rowTemplateUses,
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
      ...(options.newOrigin ? { newOrigin: true } : {}),
      onSkip: (skip) => rowsForFile.push(skip),
      messageId: source.messageId,
      definitionHash: source.definitionHash,
      dataHash: source.dataHash,
      items: source.items,
      ...(source.renderKey ? { renderKey: source.renderKey } : {}),
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
      ...(options.resumeCommand && source.dataName !== '-'
        ? { resumeCommand: (runId: string) => options.resumeCommand!(runId, source.dataName) }
        : {}),
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
