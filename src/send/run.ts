// `send`: plan (first pass over the rows), then, unless it is a dry run, dispatch (second pass).
// Everything is rendered and validated before the first request leaves.
import { UserError } from '../errors.js';
import { createJournal, findResumableRun, readJournal, reopenJournal, type JournalWriter, type RecipientState, type RunSummary } from '../journal/index.js';
import { journalFile } from '../journal/index.js';
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
  | { kind: 'refused'; reason: 'invalid-rows' | 'expect-count' | 'not-confirmed'; plan: SendPlan; message: string }
  | { kind: 'planned'; plan: SendPlan }
  | { kind: 'sent'; plan: SendPlan; runId: string; journalPath: string; resumed: boolean; dispatch: DispatchResult; seconds: number };

interface RunChoice {
  existing: RunSummary | undefined;
  state: ReadonlyMap<string, RecipientState>;
  lastBatch: number;
}

async function chooseRun(options: SendOptions): Promise<RunChoice> {
  const { journalDir, messageId, dataHash } = options;
  let existing: RunSummary | undefined;
  if (options.resume) {
    const path = journalFile(journalDir, options.resume);
    if (!existsSync(path)) throw new UserError('E_RUN_NOT_FOUND', `no run ${options.resume} in ${journalDir}`);
    const state = await readJournal(path);
    const h = state.header;
    const changed = [h.messageId !== messageId && 'the message', h.definitionHash !== options.definitionHash && 'the definition', h.dataHash !== dataHash && 'the data'].filter(Boolean);
    if (changed.length > 0 && !options.force) {
      throw new UserError('E_RUN_INPUTS_CHANGED', `run ${options.resume} was started with different inputs (${changed.join(', ')} changed since)`);
    }
    warnDamage(options, state);
    return { existing: { runId: options.resume, path, header: h, ended: state.ended, summary: undefined, lastAt: undefined, locked: false }, state: state.recipients, lastBatch: state.lastBatch };
  }
  if (!options.newRun) existing = await findResumableRun(journalDir, { messageId, definitionHash: options.definitionHash, dataHash });
  if (!existing) return { existing: undefined, state: new Map(), lastBatch: -1 };
  const state = await readJournal(existing.path);
  warnDamage(options, state);
  return { existing, state: state.recipients, lastBatch: state.lastBatch };
}

function warnDamage(options: SendOptions, state: { path: string; corruptLines: number; orphanOutcomes: number }): void {
  if (state.corruptLines > 0 || state.orphanOutcomes > 0) {
    options.warn(`journal ${state.path} has ${state.corruptLines} damaged line(s) and ${state.orphanOutcomes} outcome(s) without an intent; recipients without records will be treated as not sent`);
  }
}

/**
 * One sender per message and data at a time, held from before the journal is read until the run
 * ends: two processes that both read "not sent yet" would both send. Dry runs only read.
 */
async function lockInputs(options: SendOptions): Promise<HeldLock | undefined> {
  if (options.dryRun) return undefined;
  await mkdir(options.journalDir, { recursive: true });
  const name = `${options.messageId.replace(/[^A-Za-z0-9._-]+/g, '.')}.${options.dataHash.slice(-16)}`;
  const { held, warnings } = acquireLock(join(options.journalDir, `${name}.send.lock`), `${options.messageId} with this data`, { pid: options.pid, at: options.now().toISOString() });
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

  const builder = new PlanBuilder({ messageId, channelId: options.channelId, workspace: options.workspace, batchSize: options.batchSize, rate: options.rate, resumeRunId: run.existing?.runId });
  const occurrences = new Map<string, number>();
  // Dry runs keep nothing: they only count.
  const spool = options.dryRun ? undefined : await SpoolWriter.create();
  try {
    return await planAndSend(options, run, builder, occurrences, spool);
  } finally {
    spool?.remove();
  }
}

async function planAndSend(options: SendOptions, run: RunChoice, builder: PlanBuilder, occurrences: Map<string, number>, spool: SpoolWriter | undefined): Promise<SendResult> {
  const { messageId } = options;
  const windows = new Map<string, OpenWindow>();
  for await (const item of options.items()) {
    if (item.kind === 'invalid') builder.invalidRow(item.diagnostics);
    else if (item.kind === 'duplicate') builder.duplicate(item.diagnostics);
    else {
      let occurrence = 1;
      if (options.allowDuplicates) {
        occurrence = (occurrences.get(item.recipient) ?? 0) + 1;
        occurrences.set(item.recipient, occurrence);
      }
      const key = recipientKey(messageId, item.recipient, occurrence);
      const state = run.state.get(key);
      const decision = decide(state, options.retryUnknown);
      builder.recipient(item.row.index, item.recipient, decision, state, options.reveal);
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
            builder.invalidRow(fallback.problems.map((p) => ({ code: p.code, severity: 'error', file: 'fallback', line: item.row.line ?? 0, column: 0, pointer: p.pointer ?? '', message: `row ${item.row.index}: fallback template: ${p.message}`, row: item.row.index })));
            continue;
          }
          builder.closedWindow(item.row.index, item.recipient, verdict.reason, fallback !== undefined, options.reveal);
          if (!fallback) continue;
          ({ json, reference } = fallback);
        }
      }
      spool?.add({ key, row: item.row.index, recipient: item.recipient, reference: reference.replace(/[\t\n\r]/g, ' '), json });
    }
  }
  spool?.close();
  options.window?.checker.save();
  if (options.window) builder.plan.windowChecked = true;
  const plan = builder.finish();
  if (plan.invalid > 0) {
    return { kind: 'refused', reason: 'invalid-rows', plan, message: `${plan.invalid} row${plan.invalid === 1 ? '' : 's'} failed validation; nothing was sent (run \`chirp render\` to see every problem)` };
  }
  if (options.expectCount !== undefined && options.expectCount !== plan.recipients) {
    return { kind: 'refused', reason: 'expect-count', plan, message: `--expect-count ${options.expectCount} but the data has ${plan.recipients} recipient${plan.recipients === 1 ? '' : 's'}; nothing was sent` };
  }
  if (options.dryRun || plan.toSend === 0) return { kind: 'planned', plan };
  if (!(await options.confirm(plan))) return { kind: 'refused', reason: 'not-confirmed', plan, message: 'not confirmed; nothing was sent' };

  const started = options.now();
  let journal: JournalWriter;
  if (run.existing) {
    journal = await reopenJournal(options.journalDir, run.existing.runId, options.now, options.pid);
  } else {
    journal = await createJournal(options.journalDir, {
      runId: options.newRunId(), messageId, definitionHash: options.definitionHash, dataHash: options.dataHash, chirpVersion: options.chirpVersion,
      startedAt: started.toISOString(), channelId: options.channelId, workspace: options.workspace,
      options: { batchSize: options.batchSize, concurrency: options.concurrency, rate: options.rate, allowDuplicates: options.allowDuplicates, ...options.headerOptions },
    }, { pid: options.pid });
  }
  journal.warnings.forEach((w) => options.warn(w));
  let result: DispatchResult;
  const late = { skipped: 0 };
  try {
    result = await dispatch({
      entries: options.window ? recheckWindows(spool!.entries(), windows, options.window, builder, options.reveal, late) : spool!.entries(), channelId: options.channelId, journal,
      transport: options.transport(), batchSize: options.batchSize, concurrency: options.concurrency, durability: options.durability ?? 'disk', firstBatch: run.lastBatch + 1, planned: plan.toSend, drainMs: options.drainMs ?? 10_000,
      signal: options.signal, now: options.now, ...(options.onOutcome ? { onOutcome: options.onOutcome } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    // Recipients the re-check found closed without a fallback were planned but are not sent on purpose.
    result.notSent = Math.max(0, result.notSent - late.skipped);
    const reason = result.stop === undefined ? 'complete' : result.stop.reason === 'interrupted' ? 'interrupted' : 'stopped';
    journal.append({ t: 'end', at: options.now().toISOString(), reason, summary: { accepted: result.accepted, failed: result.failed, unknown: result.unknown, notSent: result.notSent } });
  } finally {
    await journal.close();
  }
  const seconds = (options.now().getTime() - started.getTime()) / 1000;
  return { kind: 'sent', plan, runId: journal.runId, journalPath: journal.path, resumed: run.existing !== undefined, dispatch: result, seconds };
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
async function* recheckWindows(entries: AsyncIterable<Entry>, windows: ReadonlyMap<string, OpenWindow>, window: NonNullable<SendOptions['window']>, builder: PlanBuilder, reveal: boolean, late: { skipped: number }): AsyncGenerator<Entry> {
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
      late.skipped++;
    }
  }
}
