// `send`: plan (first pass over the rows), then, unless it is a dry run, dispatch (second pass).
// Everything is rendered and validated before the first request leaves.
import { UserError } from '../errors.js';
import {
  createJournal,
  indexFolder,
  listRuns,
  readJournal,
  reopenJournal,
  sameDestination,
  type FolderIndex,
  type IndexedRun,
  type JournalWriter,
  type RecipientState,
} from '../journal/index.js';
import { checkRunId, journalFile } from '../journal/index.js';
import { shortKey } from '../util/index.js';
import type { RenderItem } from '../render/index.js';
import type { Transport } from '../transport/index.js';
import { dispatch, type DispatchResult, type OutcomeSink } from './dispatch.js';
import { recipientKey } from './keys.js';
import { decide, PlanBuilder, type SendPlan } from './decisions.js';
import { SpoolWriter } from './spool.js';
import { receiverOf, type WindowChecker, type WindowReceiver } from './window.js';
import type { Entry } from './spool.js';
import type { RowResult } from '../render/index.js';
import type { Row } from '../types.js';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireLock, releaseLock, type HeldLock } from '../journal/index.js';

export interface SendOptions {
  messageId: string;
  /** Where the run sends, beside workspace and channel: the API origin and the platform (run identity). */
  apiOrigin: string;
  platform: string;
  /** An earlier version of the message reached some recipients: send the new one only to the others. */
  onlyUnreached?: boolean;
  /** An earlier version reached some recipients: send them the new one too. */
  sendAgain?: boolean;
  /** Go on despite journal damage, treating every recipient it may cover as unknown. */
  damagedAsUnknown?: boolean;
  /** Recipients of the data this run does not send, with why (window closed, held unknown): for the failures file. */
  onSkip?: (skip: {
    row: number;
    recipient: string;
    status: 'window_closed' | 'unknown' | 'failed_before';
    code: string;
    message: string;
  }) => void;
  definitionHash: string;
  dataHash: string;
  /** The rendered rows (from a data file, or from a saved plan). */
  items: () => AsyncIterable<RenderItem>;
  channelId: string;
  workspace: string;
  journalDir: string;
  batchSize: number;
  concurrency: number;
  durability?: 'disk' | 'process';
  rate: number;
  retryUnknown: boolean;
  allowDuplicates: boolean;
  dryRun: boolean;
  newRun: boolean;
  resume?: string;
  force: boolean;
  expectCount?: number;
  /** Show full recipients in plan samples. */
  reveal: boolean;
  chirpVersion: string;
  now: () => Date;
  pid: number;
  newRunId: () => string;
  signal: AbortSignal;
  /** Called with the plan before anything is sent; false refuses the send. */
  confirm: (plan: SendPlan) => Promise<boolean>;
  /** Builds the transport only when something will be sent (dry runs never touch the network). */
  transport: () => Transport;
  onOutcome?: OutcomeSink;
  onProgress?: Parameters<typeof dispatch>[0]['onProgress'];
  drainMs?: number;
  /** `--window check`: the window checker, and the fallback template's renderer for a row, if the message has one. */
  window?: { checker: WindowChecker; fallback: ((row: Row) => RowResult) | undefined };
  /** More for the journal header's `options` (never secrets): e.g. the data file, for `status --failures`. */
  headerOptions?: Record<string, unknown>;
  /** Warnings for the user (stale lock taken over, damaged journal lines). */
  warn: (message: string) => void;
}

export type SendResult =
  | { kind: 'refused'; reason: 'invalid-rows' | 'expect-count' | 'not-confirmed' | 'edited'; plan: SendPlan; message: string }
  | { kind: 'planned'; plan: SendPlan }
  | { kind: 'sent'; plan: SendPlan; runId: string; journalPath: string; resumed: boolean; dispatch: DispatchResult; seconds: number };

interface RunChoice {
  /** The run this send continues (its journal is appended to), if any. */
  existing: IndexedRun | undefined;
  /** Every run of this message to this destination, folded: what decides who is sent. */
  index: FolderIndex;
  lastBatch: number;
}

const destinationOf = (o: SendOptions) => ({
  apiOrigin: o.apiOrigin,
  workspace: o.workspace,
  channelId: o.channelId,
  platform: o.platform,
});

function damageError(options: SendOptions, index: FolderIndex): UserError {
  const shown = index.damage.slice(0, 5).map((d) => `  ${d.path}${d.line !== undefined ? `:${d.line}` : ''}: ${d.reason}`);
  const more = index.damage.length > shown.length ? [`  … and ${index.damage.length - shown.length} more`] : [];
  return new UserError(
    'E_JOURNAL_DAMAGED',
    [
      `the journal folder ${options.journalDir} holds records chirp cannot read or verify, so it cannot tell who already has ${options.messageId}; nothing was sent:`,
      ...shown,
      ...more,
    ].join('\n'),
  );
}

async function chooseRun(options: SendOptions): Promise<RunChoice> {
  const { journalDir, messageId, dataHash } = options;
  const destination = destinationOf(options);
  const index = await indexFolder(journalDir, { messageId, destination });
  if (index.damage.length > 0 && !options.damagedAsUnknown) throw damageError(options, index);
  if (index.damage.length > 0)
    options.warn(`journal damage in ${journalDir} (${index.damage.length} place(s)): the recipients it may cover are treated as unknown`);
  if (options.resume) {
    checkRunId(options.resume); // a run id becomes a file name: `../../x` must not leave the journal folder
    const path = journalFile(journalDir, options.resume);
    if (!existsSync(path)) throw new UserError('E_RUN_NOT_FOUND', `no run ${options.resume} in ${journalDir}`);
    const state = await readJournal(path);
    const h = state.header;
    if (!sameDestination(h, destination)) {
      throw new UserError(
        'E_RUN_DESTINATION',
        `run ${options.resume} sent to workspace ${h.workspace}, channel ${h.channelId}${h.apiOrigin ? ` at ${h.apiOrigin}` : ''}; this configuration sends to workspace ${options.workspace}, channel ${options.channelId} at ${options.apiOrigin}. Refusing to continue it elsewhere`,
      );
    }
    const changed = [
      h.messageId !== messageId && 'the message',
      h.definitionHash !== options.definitionHash && 'the definition',
      h.dataHash !== dataHash && 'the data',
    ].filter(Boolean);
    if (changed.length > 0 && !options.force) {
      throw new UserError(
        'E_RUN_INPUTS_CHANGED',
        `run ${options.resume} was started with different inputs (${changed.join(', ')} changed since)`,
      );
    }
    const existing = index.runs.find((r) => r.runId === options.resume) ?? {
      runId: options.resume,
      path,
      header: h,
      ended: state.ended,
      counts: state.counts,
      lastBatch: state.lastBatch,
    };
    return { existing, index, lastBatch: state.lastBatch };
  }
  const existing = options.newRun
    ? undefined
    : index.runs.find((r) => r.header.definitionHash === options.definitionHash && r.header.dataHash === dataHash);
  if (index.runs.length === 0) await warnRename(options);
  return { existing, index, lastBatch: existing?.lastBatch ?? -1 };
}

/**
 * The rename rule (docs/cli.md): the journal is keyed by message id and does not follow renames. When
 * this id has no history but another id has runs of the same content, this is most likely a renamed
 * message, and every recipient gets it again: say so before anything is sent.
 */
async function warnRename(options: SendOptions): Promise<void> {
  const runs = await listRuns(options.journalDir);
  if (runs.some((r) => r.header.messageId === options.messageId)) return;
  const others = [...new Set(runs.filter((r) => r.header.definitionHash === options.definitionHash).map((r) => r.header.messageId))];
  if (others.length === 0) return;
  options.warn(
    `the journal has runs of ${others.join(', ')} with the same content as ${options.messageId}, but none of ${options.messageId}: if it was renamed, the journal does not follow renames, so every recipient gets it again, including those ${others.join(', ')} already reached`,
  );
}

/**
 * One sender per message and destination at a time (whatever the data file), held from before the
 * journals are read until the run ends: two processes that both read "not sent yet" would both send.
 * Dry runs only read.
 */
async function lockInputs(options: SendOptions): Promise<HeldLock | undefined> {
  if (options.dryRun) return undefined;
  await mkdir(options.journalDir, { recursive: true });
  const d = destinationOf(options);
  const name = `${options.messageId.replace(/[^A-Za-z0-9._-]+/g, '.')}.${shortKey(JSON.stringify([d.apiOrigin, d.workspace, d.channelId, d.platform])).slice(0, 16)}`;
  const { held, warnings } = acquireLock(join(options.journalDir, `${name}.send.lock`), `${options.messageId} to this channel`, {
    pid: options.pid,
    at: options.now().toISOString(),
  });
  warnings.forEach((w) => options.warn(w));
  return held;
}

export async function sendMessage(options: SendOptions): Promise<SendResult> {
  const held = await lockInputs(options);
  try {
    return await lockedSend(options);
  } finally {
    if (held) releaseLock(held);
  }
}

async function lockedSend(options: SendOptions): Promise<SendResult> {
  const { messageId } = options;
  const run = await chooseRun(options);

  const builder = new PlanBuilder({
    messageId,
    channelId: options.channelId,
    workspace: options.workspace,
    apiOrigin: options.apiOrigin,
    batchSize: options.batchSize,
    rate: options.rate,
    resumeRunId: run.existing?.runId,
  });
  const occurrences = new Map<string, number>();
  // Dry runs keep nothing: they only count.
  const spool = options.dryRun ? undefined : await SpoolWriter.create();
  try {
    return await planAndSend(options, run, builder, occurrences, spool);
  } finally {
    spool?.remove();
  }
}

/** A state for recipients journal damage may cover: treated as unknown (never as "not sent"). */
function damagedState(runId: string): RecipientState {
  return {
    status: 'unknown',
    at: '',
    runId,
    b: -1,
    id: undefined,
    code: 'journal_damaged',
    message: 'a damaged journal record may cover this recipient',
    via: undefined,
    hash: undefined,
  };
}

async function planAndSend(
  options: SendOptions,
  run: RunChoice,
  builder: PlanBuilder,
  occurrences: Map<string, number>,
  spool: SpoolWriter | undefined,
): Promise<SendResult> {
  const { messageId } = options;
  const { index } = run;
  // With --damaged-as-unknown: the keys damaged lines still name, and (when some name none) anyone without a record.
  const damagedKeys = new Map<string, RecipientState>();
  if (options.damagedAsUnknown) {
    for (const d of index.damage) for (const key of d.keys ?? []) damagedKeys.set(key, damagedState(d.runId ?? '?'));
  }
  const anyDamaged =
    options.damagedAsUnknown && index.anyRecipient ? damagedState(index.damage.find((d) => d.keys === undefined)?.runId ?? '?') : undefined;
  const onlyUnreached = options.onlyUnreached === true || (options.resume !== undefined && options.force);
  const skipped: string[] = [];
  const used = new Set<string>();
  const windows = new Map<string, OpenWindow>();
  for await (const item of options.items()) {
    if (item.kind === 'invalid') builder.invalidRow(item.diagnostics);
    else if (item.kind === 'duplicate') builder.duplicate(item.diagnostics);
    else if (item.kind === 'suppressed') builder.suppressed(item.reason);
    else {
      let occurrence = 1;
      if (options.allowDuplicates) {
        occurrence = (occurrences.get(item.recipient) ?? 0) + 1;
        occurrences.set(item.recipient, occurrence);
      }
      const key = recipientKey(messageId, item.recipient, occurrence);
      const hash = shortKey(item.json);
      let state = index.recipients.get(key);
      const damaged = damagedKeys.get(key);
      if (damaged !== undefined && state?.status !== 'accepted') state = damaged;
      if (state === undefined && anyDamaged !== undefined) state = anyDamaged;
      // A row fed back from a failures file says what chirp knew then: an unknown stays held even
      // if this journal folder has never seen it (another folder, a deleted journal).
      if (state === undefined && item.row.values.chirp_status === 'unknown') {
        state = {
          status: 'unknown',
          at: '',
          runId: 'failures file',
          b: -1,
          id: undefined,
          code: 'unknown',
          message: 'marked unknown in the failures file this row came from',
          via: undefined,
          hash: undefined,
        };
      }
      let decision = decide(state, options.retryUnknown, hash);
      if (decision === 'reached-other' && state !== undefined) {
        if (options.sendAgain) decision = 'send';
        else if (onlyUnreached) {
          if (state.status === 'accepted') {
            builder.reachedEarlier(item.row.index, item.recipient, state, options.reveal);
            continue;
          }
          decision = options.retryUnknown ? 'send' : 'unknown-skip';
        }
      }
      if (state !== undefined && decision !== 'send') used.add(state.runId);
      builder.recipient(item.row.index, item.recipient, decision, state, options.reveal);
      if (decision === 'unknown-skip')
        options.onSkip?.({
          row: item.row.index,
          recipient: item.recipient,
          status: 'unknown',
          code: state?.code ?? 'unknown',
          message: `held back: ${state?.message ?? 'the outcome of an earlier send is unknown'} (run ${state?.runId ?? '?'}); --retry-unknown sends it again`,
        });
      if (decision !== 'send') continue;
      let { json, reference } = item;
      if (options.window) {
        const receiver = receiverOf(item.request) ?? item.recipient;
        const verdict = await options.window.checker.check(receiver);
        // Open now but closing: checked again right before its request leaves (see recheckWindows).
        if (verdict.open && verdict.expiresAt !== undefined) windows.set(key, { expiresAt: verdict.expiresAt, receiver, row: item.row });
        if (!verdict.open) {
          const fallback = options.window.fallback?.(item.row);
          if (fallback && !fallback.ok) {
            builder.invalidRow(
              fallback.problems.map((p) => ({
                code: p.code,
                severity: 'error',
                file: 'fallback',
                line: item.row.line ?? 0,
                column: 0,
                pointer: p.pointer ?? '',
                message: `row ${item.row.index}: fallback template: ${p.message}`,
                row: item.row.index,
              })),
            );
            continue;
          }
          builder.closedWindow(item.row.index, item.recipient, verdict.reason, fallback !== undefined, options.reveal);
          if (!fallback) {
            skipped.push(key);
            options.onSkip?.({
              row: item.row.index,
              recipient: item.recipient,
              status: 'window_closed',
              code: 'window_closed',
              message: verdict.reason,
            });
            continue;
          }
          ({ json, reference } = fallback);
        }
      }
      spool?.add({ key, hash, row: item.row.index, recipient: item.recipient, reference: reference.replace(/[\t\n\r]/g, ' '), json });
    }
  }
  spool?.close();
  options.window?.checker.save();
  if (options.window) builder.plan.windowChecked = true;
  builder.plan.earlierRuns = index.runs.map((r) => r.runId).filter((id) => used.has(id));
  const plan = builder.finish();
  if (plan.invalid > 0) {
    return {
      kind: 'refused',
      reason: 'invalid-rows',
      plan,
      message: `${plan.invalid} row${plan.invalid === 1 ? '' : 's'} failed validation; nothing was sent (run \`chirp render\` to see every problem)`,
    };
  }
  if (plan.conflicts > 0) return { kind: 'refused', reason: 'edited', plan, message: editedMessage(options, plan, index) };
  if (options.expectCount !== undefined && options.expectCount !== plan.recipients) {
    return {
      kind: 'refused',
      reason: 'expect-count',
      plan,
      message: `--expect-count ${options.expectCount} but the data has ${plan.recipients} recipient${plan.recipients === 1 ? '' : 's'}; nothing was sent`,
    };
  }
  if (options.dryRun || (plan.toSend === 0 && skipped.length === 0)) return { kind: 'planned', plan };
  if (!(await options.confirm(plan))) return { kind: 'refused', reason: 'not-confirmed', plan, message: 'not confirmed; nothing was sent' };

  const started = options.now();
  let journal: JournalWriter;
  if (run.existing) {
    journal = await reopenJournal(options.journalDir, run.existing.runId, options.now, options.pid);
  } else {
    journal = await createJournal(
      options.journalDir,
      {
        runId: options.newRunId(),
        messageId,
        definitionHash: options.definitionHash,
        dataHash: options.dataHash,
        chirpVersion: options.chirpVersion,
        startedAt: started.toISOString(),
        channelId: options.channelId,
        workspace: options.workspace,
        apiOrigin: options.apiOrigin,
        platform: options.platform,
        options: {
          batchSize: options.batchSize,
          concurrency: options.concurrency,
          rate: options.rate,
          allowDuplicates: options.allowDuplicates,
          // Who this run skipped for consent, and against which lists: written before the first request, so it survives a crash.
          suppressed: plan.suppressed,
          ...options.headerOptions,
        },
      },
      { pid: options.pid },
    );
  }
  journal.warnings.forEach((w) => options.warn(w));
  let result: DispatchResult;
  const late = { skipped: 0 };
  try {
    // Recipients of this data that this run does not send, and why: in the journal, not only in the report.
    for (let i = 0; i < skipped.length; i += 1000)
      journal.append({ t: 'skip', keys: skipped.slice(i, i + 1000), reason: 'window_closed', at: started.toISOString() });
    result = await dispatch({
      entries: options.window
        ? recheckWindows(spool!.entries(), windows, options.window, builder, options.reveal, (entry, reason) => {
            // Skipped at the last moment: in the journal and the failures file like every other skip.
            late.skipped++;
            journal.append({ t: 'skip', keys: [entry.key], reason: 'window_closed', at: options.now().toISOString() });
            options.onSkip?.({
              row: entry.row,
              recipient: entry.recipient,
              status: 'window_closed',
              code: 'window_closed',
              message: reason,
            });
          })
        : spool!.entries(),
      channelId: options.channelId,
      journal,
      transport: plan.toSend > 0 ? options.transport() : idleTransport(),
      batchSize: options.batchSize,
      concurrency: options.concurrency,
      durability: options.durability ?? 'disk',
      firstBatch: run.lastBatch + 1,
      planned: plan.toSend,
      drainMs: options.drainMs ?? 10_000,
      signal: options.signal,
      now: options.now,
      ...(options.onOutcome ? { onOutcome: options.onOutcome } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    // Recipients the re-check found closed without a fallback were planned but are not sent on purpose.
    result.notSent = Math.max(0, result.notSent - late.skipped);
    const reason = result.stop === undefined ? 'complete' : result.stop.reason === 'interrupted' ? 'interrupted' : 'stopped';
    try {
      journal.append({
        t: 'end',
        at: options.now().toISOString(),
        reason,
        summary: {
          accepted: result.accepted,
          failed: result.failed,
          unknown: result.unknown,
          notSent: result.notSent,
          windowClosed: skipped.length + late.skipped,
          suppressed: plan.suppressed,
        },
      });
    } catch (error) {
      // The disk filled up (or failed) before the end record: the journal reads back as unfinished, which is the truth.
      if (result.stop?.reason !== 'fatal' || result.stop.outcome.reason !== 'disk') throw error;
    }
  } finally {
    await journal
      .close()
      .catch((error: unknown) => options.warn(`could not close journal ${journal.path} cleanly: ${(error as Error).message}`));
  }
  const seconds = (options.now().getTime() - started.getTime()) / 1000;
  return {
    kind: 'sent',
    plan,
    runId: journal.runId,
    journalPath: journal.path,
    resumed: run.existing !== undefined,
    dispatch: result,
    seconds,
  };
}

/** Nothing to send (only skips to record): a transport that is never asked. */
function idleTransport(): Transport {
  const never = (): never => {
    throw new Error('nothing to send');
  };
  return {
    send: never,
    get: never,
    query: never,
    stop: () => undefined,
    abandon: () => undefined,
    stats: () => ({ requests: 0, retries: 0, throttled: 0, currentRate: 0 }),
  };
}

function editedMessage(options: SendOptions, plan: SendPlan, index: FolderIndex): string {
  const runs = [...new Set(plan.conflictSamples.map((s) => s.runId).filter((id): id is string => id !== undefined))];
  const unfinished = index.runs.filter((r) => runs.includes(r.runId) && (r.ended !== 'complete' || r.counts.unknown > 0));
  const n = plan.conflicts.toLocaleString('en-US');
  return [
    `${n} recipient${plan.conflicts === 1 ? '' : 's'} already got (or may have got) an earlier version of ${options.messageId} (run ${runs.join(', ')}${unfinished.length > 0 ? `, unfinished: ${unfinished.map((r) => r.runId).join(', ')}` : ''}), and the message changed since. Nothing was sent. Choose one:`,
    `  - finish the earlier run as it was: restore the earlier text (git) and run the same command again`,
    `  - send the new text only to those not reached yet: add --only-unreached`,
    `  - send the new text to everyone, the ${n} already reached included (they get it twice): add --send-again`,
  ].join('\n');
}

interface OpenWindow {
  expiresAt: number;
  receiver: WindowReceiver;
  row: Row;
}

/**
 * Right before an entry goes to dispatch, a window that was open at planning but now closes within
 * the margin is asked again: still open, the body goes; closed (or the check failed: no proof it is
 * open), the fallback template goes instead, or the recipient is skipped and counted as window-closed.
 */
async function* recheckWindows(
  entries: AsyncIterable<Entry>,
  windows: ReadonlyMap<string, OpenWindow>,
  window: NonNullable<SendOptions['window']>,
  builder: PlanBuilder,
  reveal: boolean,
  skip: (entry: Entry, reason: string) => void,
): AsyncGenerator<Entry> {
  const { checker, fallback } = window;
  for await (const entry of entries) {
    const open = windows.get(entry.key);
    if (!open || !checker.needsRecheck({ open: true, reason: '', expiresAt: open.expiresAt })) {
      yield entry;
      continue;
    }
    let verdict;
    try {
      verdict = await checker.check(open.receiver);
    } catch (error) {
      verdict = { open: false, reason: `the re-check before sending failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (verdict.open) {
      yield entry;
      continue;
    }
    const rendered = fallback?.(open.row);
    if (rendered?.ok) {
      builder.closedWindow(entry.row, entry.recipient, verdict.reason, true, reveal);
      yield { ...entry, json: rendered.json, reference: rendered.reference.replace(/[\t\n\r]/g, ' ') };
    } else {
      builder.closedWindow(entry.row, entry.recipient, verdict.reason, false, reveal);
      skip(entry, verdict.reason);
    }
  }
}
