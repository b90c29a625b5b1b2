// Which run a send continues (or starts), from the journal folder, and the lock that keeps one sender
// per message and destination. Split from run.ts.
import { UserError } from '../errors.js';
import {
  acquireLock,
  checkRunId,
  indexFolder,
  journalFile,
  listRuns,
  readJournal,
  sameDestination,
  type FolderIndex,
  type HeldLock,
  type IndexedRun,
} from '../journal/index.js';
import { shortKey } from '../util/index.js';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SendOptions } from './run.js';

export interface RunChoice {
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

export async function chooseRun(options: SendOptions): Promise<RunChoice> {
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
export async function lockInputs(options: SendOptions): Promise<HeldLock | undefined> {
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
