// The journal read into a RunTable (run-table.ts) in one pass, record for record by the journal's own
// rules; what a summary needs, and no more (details.ts reads the rest for the ids that need it).
import type { EndReason, HeaderRecord, JournalDamage, JournalRecord } from '../journal/index.js';
import type { Reply } from './replies.js';
import { addReplies } from './reply-journal.js';
import { LOOKUP_FAILED, RunTable, type KeyHash } from './run-table.js';

/** The journal read into a RunTable: StateFold's rules (src/journal/state.ts), record for record. */
export class RunTableFold {
  readonly table: RunTable;
  ended: EndReason | undefined;
  endSummary: Record<string, number> | undefined;
  /** The last end record's `suppressed`. */
  suppressed: number | undefined;
  /** The last line read: the details pass reads no further (a send may go on writing). */
  lastLine = 0;
  /** Replies earlier statuses recorded (`status --replies`), by Bird's message id: a few, not one per recipient. */
  readonly replies = new Map<string, Reply>();
  readonly damage: JournalDamage[] = [];
  // The ids of each batch until a keyless outcome answers all of it.
  readonly #batches = new Map<number, Int32Array>();

  constructor(
    readonly header: HeaderRecord,
    hash?: KeyHash,
  ) {
    this.table = new RunTable(header.planned ?? 0, hash);
  }

  apply(record: JournalRecord, line: number): void {
    const table = this.table;
    this.lastLine = line;
    switch (record.t) {
      case 'header':
        this.damage.push({ line, reason: 'a second header' });
        return;
      case 'skip':
        for (const key of record.keys) table.markSkipped(table.id(key));
        return;
      case 'resume':
        this.ended = undefined;
        this.endSummary = undefined;
        return;
      case 'end':
        this.ended = record.reason;
        this.endSummary = record.summary;
        if (typeof record.summary.suppressed === 'number') this.suppressed = record.summary.suppressed;
        return;
      case 'intent': {
        const ids = new Int32Array(record.keys.length);
        for (let i = 0; i < record.keys.length; i++) table.setState((ids[i] = table.id(record.keys[i]!)), 'pending', 0);
        this.#batches.set(record.b, ids);
        return;
      }
      case 'outcome': {
        const ids = record.keys ? Int32Array.from(record.keys, (key) => table.id(key)) : this.#batches.get(record.b);
        if (ids === undefined) {
          this.damage.push({ line, reason: `an outcome for batch ${record.b}, whose intent is missing` });
          return;
        }
        if (record.keys === undefined) this.#batches.delete(record.b);
        const note = table.noteOf(record.code, record.message, undefined);
        for (const id of ids) table.setState(id, record.status, note);
        return;
      }
      case 'resolve': {
        const note = table.noteOf(undefined, undefined, record.via);
        for (const key of record.keys) table.setState(table.id(key), record.status, note);
        return;
      }
      case 'status':
        for (const entry of record.entries) table.recordDelivery(entry, entry[1] === 'unknown' && entry[3] === LOOKUP_FAILED);
        addReplies(this.replies, record.replies);
        return;
    }
  }

  finish(path: string, tornLines: number, lineDamage: JournalDamage[]): RunTableRead {
    this.table.settlePending();
    const damage = [...lineDamage, ...this.damage].sort((a, b) => a.line - b.line);
    const { table, header, ended, endSummary, suppressed, lastLine, replies } = this;
    return { path, header, table, ended, endSummary, suppressed, replies, lastLine, tornLines, damage };
  }
}

export interface RunTableRead {
  path: string;
  header: HeaderRecord;
  table: RunTable;
  ended: EndReason | undefined;
  endSummary: Record<string, number> | undefined;
  suppressed: number | undefined;
  replies: Map<string, Reply>;
  lastLine: number;
  tornLines: number;
  damage: JournalDamage[];
}
