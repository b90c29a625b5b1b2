// `send`: plan (first pass over the rows), then, unless it is a dry run, dispatch (second pass).
// Everything is rendered and validated before the first request leaves.
import { createJournal, releaseLock, reopenJournal, type FolderIndex, type JournalWriter, type RecipientState } from '../journal/index.js';
import { shortKey } from '../util/index.js';
import type { FinalRows, RenderItem } from '../render/index.js';
import type { Transport } from '../transport/index.js';
import { dispatch, type DispatchResult, type OutcomeSink } from './dispatch.js';
import { CopyKeys } from './keys.js';
import { decide, PlanBuilder, stronger, type SendPlan } from './decisions.js';
import { SpoolWriter } from './spool.js';
import { finalRows } from './shortcut.js';
import { chooseRun, lockInputs, type RunChoice } from './run-choice.js';
import { recheckWindows, type OpenWindow } from './recheck.js';
import { receiverOf, type WindowChecker } from './window.js';
import type { RowResult } from '../render/index.js';
import type { Row } from '../types.js';

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
  /** This API origin is another Bird than the one earlier runs of the same message and data sent to (else refused: other-origins.ts). */
  newOrigin?: boolean;
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
  /** The rendered rows (from a data file, or from a saved plan); `final`: the resume shortcut (see resumeShortcut). */
  items: (final?: FinalRows) => AsyncIterable<RenderItem>;
  /**
   * Everything a row's rendered bytes depend on besides the row itself (definition, data, run-wide
   * variables, chirp's version, the template lock), when the message allows the resume shortcut:
   * recorded in the header, so a later send of the same inputs trusts this run's hashes instead of
   * rendering again the rows it already settled.
   */
  renderKey?: string;
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
  /** The command that resumes the run, given its id: recorded in the header (`resumeCommand`) so `chirp status` can offer it. */
  resumeCommand?: (runId: string) => string | null;
  /** Warnings for the user (stale lock taken over, damaged journal lines). */
  warn: (message: string) => void;
}

export type SendResult =
  | { kind: 'refused'; reason: 'invalid-rows' | 'expect-count' | 'not-confirmed' | 'edited'; plan: SendPlan; message: string }
  | { kind: 'planned'; plan: SendPlan }
  | { kind: 'sent'; plan: SendPlan; runId: string; journalPath: string; resumed: boolean; dispatch: DispatchResult; seconds: number };

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
  if (run.otherOrigins) builder.plan.otherOrigins = run.otherOrigins;
  const copies = new CopyKeys(messageId, options.allowDuplicates);
  // Dry runs keep nothing: they only count.
  const spool = options.dryRun ? undefined : await SpoolWriter.create();
  try {
    return await planAndSend(options, run, builder, copies, spool);
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
  copies: CopyKeys,
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
  const stateOf = (key: string): RecipientState | undefined => {
    let state = index.recipients.get(key);
    const damaged = damagedKeys.get(key);
    if (damaged !== undefined && state?.status !== 'accepted') state = damaged;
    if (state === undefined && anyDamaged !== undefined) state = anyDamaged;
    return state;
  };
  // Rows the journal holds as final for these very inputs are decided from their recorded hash, unrendered.
  const final = finalRows(options, index, stateOf, (row, recipient, state) => {
    const decision = decide(state, options.retryUnknown, state.hash);
    used.add(state.runId);
    builder.recipient(row.index, recipient, decision, state, options.reveal);
    if (decision === 'unknown-skip') options.onSkip?.(heldBack(row.index, recipient, state));
  });
  for await (const item of options.items(final)) {
    if (item.kind === 'invalid') builder.invalidRow(item.diagnostics);
    else if (item.kind === 'duplicate') builder.duplicate(item.diagnostics);
    else if (item.kind === 'suppressed') builder.suppressed(item.reason);
    else {
      const { key, earlier } = copies.keys(item.recipient, item.alias);
      // Journalled: the hash of the request bytes, or, for an address sent with capitals, of the bytes its
      // lower-case spelling gives, so that a row re-spelled in another case is the same request.
      const bytes = shortKey(item.json);
      const hash = item.identityHash ?? bytes;
      // A run of an earlier chirp still counts, whichever key says more (failed under one key and accepted under
      // the other was reached); the bytes any chirp sent for this row (as sent now, the receiver as written) are no edit.
      let state = stateOf(key);
      for (const other of earlier ?? []) state = stronger(state, stateOf(other));
      const sentHash = state?.hash !== undefined && (state.hash === bytes || state.hash === item.aliasHash) ? state.hash : hash;
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
      let decision = decide(state, options.retryUnknown, sentHash);
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
      if (item.locale) builder.locale(item.row.index, item.recipient, item.locale, options.reveal);
      if (decision === 'unknown-skip') options.onSkip?.(heldBack(item.row.index, item.recipient, state));
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
                column: item.row.column ?? 1,
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
      // The spool's writes run on the thread pool; past a few buffers, wait for the disk.
      if (spool?.behind) await spool.drained();
    }
  }
  // Every request on file before anything is sent (a failed write stops the run here).
  await spool?.written();
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
      message: expectCountMessage(options.expectCount, plan),
    };
  }
  if (options.dryRun || (plan.toSend === 0 && skipped.length === 0)) return { kind: 'planned', plan };
  if (!(await options.confirm(plan))) return { kind: 'refused', reason: 'not-confirmed', plan, message: 'not confirmed; nothing was sent' };

  const started = options.now();
  let journal: JournalWriter;
  if (run.existing) {
    journal = await reopenJournal(options.journalDir, run.existing.runId, options.now, options.pid, {
      ...(options.renderKey !== undefined ? { renderKey: options.renderKey } : {}),
    });
  } else {
    const runId = options.newRunId();
    const resumeCommand = options.resumeCommand?.(runId);
    journal = await createJournal(
      options.journalDir,
      {
        runId,
        messageId,
        definitionHash: options.definitionHash,
        dataHash: options.dataHash,
        chirpVersion: options.chirpVersion,
        startedAt: started.toISOString(),
        channelId: options.channelId,
        workspace: options.workspace,
        apiOrigin: options.apiOrigin,
        platform: options.platform,
        planned: plan.toSend + skipped.length,
        options: {
          batchSize: options.batchSize,
          concurrency: options.concurrency,
          rate: options.rate,
          allowDuplicates: options.allowDuplicates,
          // Who this run skipped for consent, and against which lists: written before the first request, so it survives a crash.
          suppressed: plan.suppressed,
          ...options.headerOptions,
          ...(resumeCommand ? { resumeCommand } : {}),
          ...(options.renderKey ? { renderKey: options.renderKey } : {}),
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

/** A recipient held back for an unknown earlier outcome, for the failures file. */
function heldBack(row: number, recipient: string, state: RecipientState | undefined): Parameters<NonNullable<SendOptions['onSkip']>>[0] {
  return {
    row,
    recipient,
    status: 'unknown',
    code: state?.code ?? 'unknown',
    message: `held back: ${state?.message ?? 'the outcome of an earlier send is unknown'} (run ${state?.runId ?? '?'}); --retry-unknown sends it again`,
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

/** --expect-count counts distinct recipients after normalisation, not rows: the refusal says both, and why they differ. */
function expectCountMessage(expected: number, plan: SendPlan): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const rows = plan.recipients + plan.duplicates;
  const repeated = plan.duplicates === 0 ? '' : `: ${plan.duplicates === 1 ? 'one' : plan.duplicates} repeated`;
  return (
    `--expect-count ${expected} but the data has ${plural(rows, 'row')}, ${plural(plan.recipients, 'distinct recipient')}${repeated} ` +
    `(--expect-count counts distinct recipients after normalising their numbers, not rows); nothing was sent`
  );
}
