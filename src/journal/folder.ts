// Idempotency across runs: every journal in the folder that sent this message to this destination
// (API origin, workspace, channel, platform), folded into one index of recipient keys, whatever the
// data file was called. Journals of other messages or destinations are read only as far as their
// header. Anything chirp cannot read or verify is listed: a send refuses while there is any.
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { sameOrigin } from '../util/index.js';
import { readHeader } from './file-ends.js';
import { KeyIndex } from './key-index.js';
import { foldJournal, readJournal, type RecordFold } from './reader.js';
import type { EndReason, HeaderRecord, JournalRecord } from './records.js';
import type { JournalDamage, JournalState, RecipientState, RecipientStatus } from './state.js';

/** Where a run sends. A format-1 header has no origin or platform: it matches any (never the direction that sends twice). */
export interface Destination {
  apiOrigin: string;
  workspace: string;
  channelId: string;
  platform: string;
}

export interface FolderDamage {
  path: string;
  /** 1-based; undefined when the whole file cannot be read. */
  line?: number;
  reason: string;
  /** The keys a damaged line names, when it still parses. */
  keys?: string[];
  /** The run the file belongs to, when its header could be read. */
  runId?: string;
}

export interface IndexedRun {
  runId: string;
  path: string;
  header: HeaderRecord;
  ended: EndReason | undefined;
  counts: JournalState['counts'];
  lastBatch: number;
  /**
   * The header's render key while every send of the run had it (absent otherwise): a run continued
   * with other inputs (`--resume --force`) holds hashes of another render, so it is no proof for these.
   */
  renderKey?: string;
}

export interface FolderIndex {
  /** Per recipient key, the strongest state over every matching run (accepted > unknown > failed > resendable). */
  recipients: Map<string, RecipientState>;
  /** Matching runs, newest first. */
  runs: IndexedRun[];
  damage: FolderDamage[];
  /** Some damage names no keys (an unreadable file or line): any recipient without a record may be on it. */
  anyRecipient: boolean;
  /** Every journal file looked at. */
  files: number;
}

const RANK: Record<RecipientStatus, number> = { accepted: 4, pending: 3, unknown: 3, failed: 2, resendable: 1 };

export function sameDestination(header: HeaderRecord, d: Destination): boolean {
  return (
    header.workspace === d.workspace &&
    header.channelId === d.channelId &&
    (header.apiOrigin === undefined || sameOrigin(header.apiOrigin, d.apiOrigin)) &&
    (header.platform === undefined || header.platform === d.platform)
  );
}

/** An empty file, or one cut inside its header line: the run died while being created, before anything was sent. */
async function diedAtBirth(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    if (size === 0) return true;
    if (size > 1 << 20) return false;
    const { buffer, bytesRead } = await file.read(Buffer.alloc(size), 0, size, 0);
    return !buffer.subarray(0, bytesRead).includes(10);
  } finally {
    await file.close();
  }
}

export async function indexFolder(dir: string, match: { messageId: string; destination: Destination }): Promise<FolderIndex> {
  const index: FolderIndex = { recipients: new Map(), runs: [], damage: [], anyRecipient: false, files: 0 };
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return index;
    throw error;
  }
  let first = true;
  for (const name of names.filter((n) => n.endsWith('.ndjson')).sort()) {
    const path = join(dir, name);
    index.files++;
    let header: HeaderRecord;
    try {
      header = await readHeader(path);
    } catch (error) {
      const born = await diedAtBirth(path).catch(() => false);
      if (born) continue;
      index.damage.push({ path, reason: (error as Error).message });
      index.anyRecipient = true;
      continue;
    }
    if (header.messageId !== match.messageId || !sameDestination(header, match.destination)) continue;
    let state: JournalState;
    try {
      state = await readJournal(path);
    } catch (error) {
      index.damage.push({ path, reason: (error as Error).message, runId: header.runId });
      index.anyRecipient = true;
      continue;
    }
    for (const d of state.damage) {
      index.damage.push({ path, line: d.line, reason: d.reason, runId: header.runId, ...(d.keys ? { keys: d.keys } : {}) });
      if (!d.keys) index.anyRecipient = true;
    }
    const renderKey = state.sameRenderKey && typeof header.options.renderKey === 'string' ? header.options.renderKey : undefined;
    index.runs.push({
      runId: header.runId,
      path,
      header,
      ended: state.ended,
      counts: state.counts,
      lastBatch: state.lastBatch,
      ...(renderKey !== undefined ? { renderKey } : {}),
    });
    if (first) {
      // The usual case, one run: its map is the index, no copy.
      index.recipients = state.recipients;
      first = false;
      continue;
    }
    for (const [key, theirs] of state.recipients) {
      const ours = index.recipients.get(key);
      if (
        ours === undefined ||
        RANK[theirs.status] > RANK[ours.status] ||
        (RANK[theirs.status] === RANK[ours.status] && theirs.at > ours.at)
      ) {
        index.recipients.set(key, theirs);
      }
    }
  }
  index.runs.sort((a, b) => b.header.startedAt.localeCompare(a.header.startedAt) || b.runId.localeCompare(a.runId));
  return index;
}

/** `chirp journal check`: every journal in the folder, read in full, and what is damaged in each. */
export interface CheckedFile {
  path: string;
  runId?: string;
  messageId?: string;
  format?: number;
  recipients?: number;
  /** Torn last lines (a crash): harmless. */
  torn?: number;
  damage: { line?: number; reason: string; keys?: number }[];
}

export async function checkFolder(dir: string): Promise<CheckedFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: CheckedFile[] = [];
  for (const name of names.filter((n) => n.endsWith('.ndjson')).sort()) {
    const path = join(dir, name);
    try {
      const state = await foldJournal(path, (header) => new CheckFold(header));
      out.push({
        path,
        runId: state.header.runId,
        messageId: state.header.messageId,
        format: state.header.v,
        recipients: state.recipients,
        torn: state.torn,
        damage: state.damage.map((d) => ({ line: d.line, reason: d.reason, ...(d.keys ? { keys: d.keys.length } : {}) })),
      });
    } catch (error) {
      if (await diedAtBirth(path).catch(() => false)) {
        out.push({ path, damage: [], torn: 1 });
        continue;
      }
      out.push({ path, damage: [{ reason: (error as Error).message }] });
    }
  }
  return out;
}

/**
 * What `journal check` needs of a run, in one streaming pass: how many recipients it names and what is
 * damaged: each key once in the compact key index (src/journal/key-index.ts, 18 bytes a key) and a set entry per open batch, no state
 * per recipient (`npm run bench -- journal`). Damage is judged exactly as readJournal judges it.
 */
class CheckFold implements RecordFold<{ header: HeaderRecord; recipients: number; torn: number; damage: JournalDamage[] }> {
  readonly #keys: KeyIndex;
  // Batches whose intent no keyless outcome has answered yet (StateFold's rule for orphan outcomes).
  readonly #open = new Set<number>();
  readonly #damage: JournalDamage[] = [];

  constructor(readonly header: HeaderRecord) {
    this.#keys = new KeyIndex(header.planned ?? 0);
  }

  apply(record: JournalRecord, line: number): void {
    switch (record.t) {
      case 'header':
        this.#damage.push({ line, reason: 'a second header' });
        return;
      case 'intent':
        for (const key of record.keys) this.#keys.add(key);
        this.#open.add(record.b);
        return;
      case 'outcome':
        if (record.keys) for (const key of record.keys) this.#keys.add(key);
        else if (!this.#open.delete(record.b))
          this.#damage.push({ line, reason: `an outcome for batch ${record.b}, whose intent is missing` });
        return;
      case 'resolve':
        for (const key of record.keys) this.#keys.add(key);
        return;
      default:
        return;
    }
  }

  finish(_path: string, torn: number, lineDamage: JournalDamage[]) {
    const damage = [...lineDamage, ...this.#damage].sort((a, b) => a.line - b.line);
    return { header: this.header, recipients: this.#keys.size, torn, damage };
  }
}
