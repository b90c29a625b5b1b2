// Fold journal records, in order, into one state per recipient key.
import type { EndReason, HeaderRecord, JournalRecord, OutcomeRecord, ResolveRecord } from './records.js';

export type RecipientStatus = 'accepted' | 'failed' | 'unknown' | 'pending' | 'resendable';

/** Fields that do not apply are present and undefined (a fixed shape keeps a million of them fast). */
export interface RecipientState {
  status: RecipientStatus;
  at: string;
  runId: string;
  /** The batch the key was last sent in; -1 if only a `resolve` names it. */
  b: number;
  /** Bird's message id, for accepted single sends. */
  id?: string;
  code?: string;
  message?: string;
  /** How a `resolve` record settled it. */
  via?: string;
  /** Hash of the exact request bytes last sent to this key (format 2 intents); undefined in format 1. */
  hash?: string;
}

/** A line that cannot be trusted: what it is and, when it still parses, the keys it named. */
export interface JournalDamage {
  line: number;
  reason: string;
  keys?: string[];
}

export interface JournalState {
  path: string;
  header: HeaderRecord;
  recipients: Map<string, RecipientState>;
  counts: Record<RecipientStatus, number>;
  /** Why the run ended; undefined if it did not (crash, kill, or still running) or was resumed after. */
  ended: EndReason | undefined;
  /** The summary of the end record that `ended` comes from. */
  endSummary: Record<string, number> | undefined;
  /** The highest batch number used, -1 if none: a resumed run numbers its batches after it. */
  lastBatch: number;
  resumes: number;
  /** Whether every send that continued the run had the header's render key (none continued it: true). */
  sameRenderKey: boolean;
  /** Unparsable lines cut by a crash: the last line, or one a `resume` follows. Harmless. */
  tornLines: number;
  /** Unparsable or unknown lines elsewhere: records may be missing (= damage.length). */
  corruptLines: number;
  /** Outcomes without keys whose batch has no intent: also a sign of a damaged journal (listed in damage too). */
  orphanOutcomes: number;
  /** Every line that does not verify (and every orphan outcome), in file order. A send refuses while there is any. */
  damage: JournalDamage[];
  /** Recipients recorded as skipped (not sent) with their reason: key → reason. */
  skipped: Map<string, string>;
}

export class StateFold {
  readonly recipients = new Map<string, RecipientState>();
  ended: EndReason | undefined;
  endSummary: Record<string, number> | undefined;
  lastBatch = -1;
  resumes = 0;
  sameRenderKey = true;
  orphanOutcomes = 0;
  corruptLines = 0;
  readonly damage: JournalDamage[] = [];
  readonly skipped = new Map<string, string>();
  // The states of each batch's keys until an outcome covers all of it (saves a lookup per key).
  readonly #batches = new Map<number, RecipientState[]>();

  constructor(readonly header: HeaderRecord) {}

  apply(record: JournalRecord, line = 0): void {
    switch (record.t) {
      case 'header':
        // A second header is not part of this run.
        this.damage.push({ line, reason: 'a second header' });
        return;
      case 'skip':
        for (const key of record.keys) this.skipped.set(key, record.reason);
        return;
      case 'resume':
        this.resumes++;
        if (record.renderKey !== this.header.options.renderKey) this.sameRenderKey = false;
        this.ended = undefined;
        this.endSummary = undefined;
        return;
      case 'end':
        this.ended = record.reason;
        this.endSummary = record.summary;
        return;
      case 'intent': {
        this.lastBatch = Math.max(this.lastBatch, record.b);
        const h = record.h !== undefined && record.h.length === record.keys.length ? record.h : undefined;
        this.#batches.set(
          record.b,
          record.keys.map((key, i) => {
            const state = this.#set(key, 'pending', record.at, record.b);
            state.hash = h?.[i];
            return state;
          }),
        );
        return;
      }
      case 'outcome':
        if (!this.#outcome(record)) this.damage.push({ line, reason: `an outcome for batch ${record.b}, whose intent is missing` });
        return;
      case 'resolve':
        this.#resolve(record);
        return;
      case 'status':
        // Delivery statuses do not change who is sent: `chirp status` reads them itself.
        return;
    }
  }

  // One object per key, updated in place with a fixed shape: at a million recipients, a fresh
  // object per record (or an object spread) made the fold ten times slower than reading the file.
  #set(key: string, status: RecipientStatus, at: string, b: number): RecipientState {
    let state = this.recipients.get(key);
    if (state === undefined) {
      state = {
        status,
        at,
        runId: this.header.runId,
        b,
        id: undefined,
        code: undefined,
        message: undefined,
        via: undefined,
        hash: undefined,
      };
      this.recipients.set(key, state);
    } else {
      state.status = status;
      state.at = at;
      state.b = b;
      state.id = state.code = state.message = state.via = undefined;
    }
    return state;
  }

  #outcome(record: OutcomeRecord): boolean {
    const states = record.keys?.map((key) => this.#set(key, record.status, record.at, record.b)) ?? this.#batches.get(record.b);
    if (states === undefined) {
      this.orphanOutcomes++;
      return false;
    }
    if (record.keys === undefined) this.#batches.delete(record.b);
    // ids pair with keys only when there is one id per key (single sends).
    const ids = record.status === 'accepted' && record.ids?.length === states.length ? record.ids : undefined;
    for (let i = 0; i < states.length; i++) {
      const state = states[i]!;
      state.status = record.status;
      state.at = record.at;
      state.b = record.b;
      state.id = ids?.[i];
      state.code = record.code;
      state.message = record.message;
      state.via = undefined;
    }
    return true;
  }

  #resolve(record: ResolveRecord): void {
    for (const key of record.keys) {
      const before = this.recipients.get(key);
      const id = record.status === 'accepted' ? before?.id : undefined;
      const state = this.#set(key, record.status, record.at, before?.b ?? -1);
      state.id = id;
      state.via = record.via;
    }
  }

  /** The final state. A key still pending was promised to Bird with no answer: the request may have left. */
  finish(path: string, tornLines: number, lineDamage: JournalDamage[] = []): JournalState {
    const counts: Record<RecipientStatus, number> = { accepted: 0, failed: 0, unknown: 0, pending: 0, resendable: 0 };
    for (const state of this.recipients.values()) {
      if (state.status === 'pending') state.status = 'unknown';
      counts[state.status]++;
    }
    const damage = [...lineDamage, ...this.damage].sort((a, b) => a.line - b.line);
    return {
      path,
      header: this.header,
      recipients: this.recipients,
      counts,
      ended: this.ended,
      endSummary: this.endSummary,
      lastBatch: this.lastBatch,
      resumes: this.resumes,
      sameRenderKey: this.sameRenderKey,
      tornLines,
      corruptLines: lineDamage.length + this.damage.length - this.orphanOutcomes,
      orphanOutcomes: this.orphanOutcomes,
      damage,
      skipped: this.skipped,
    };
  }
}
