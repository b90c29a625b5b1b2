// `chirp status --interactions`, journalled: each message's reads and clicks as counted now, recorded
// (per recipient key) when they differ from what the journal last holds, on the same `status` record as
// the replies `--replies` read. The counts a run's messages had survive a crash and Bird's retention.
// Bounded like the statuses: the counts read are columns by id, the journal's are compared in one pass
// (a byte an id), and the entries are written in records of at most 5,000, built as each is written.
import type { InteractionEntry, JournalRecord, ReplyEntry } from '../journal/index.js';
import {
  fetchInteractions,
  journalInteractions,
  type Delivery,
  type InteractionSummary,
  type InteractionTally,
  type RunDetail,
} from '../status/index.js';

type RunTable = RunDetail['table'];
import type { Transport } from '../transport/index.js';

/** Interaction entries per `status` record written (the first also carries the replies). */
export const READS_CHUNK = 5000;

/**
 * The counts read now, by id (a mark and three 32-bit counts an id: a message's counts come from at
 * most 100 pages), for the messages actually fetched; iterates as [key, counts] in id order.
 */
export class ReadCounts implements Iterable<[string, InteractionTally]> {
  readonly #marks: Uint8Array;
  readonly #counts: Uint32Array;
  /** Ids whose counts the journal last recorded as they are now (1). */
  readonly #same: Uint8Array;

  constructor(readonly table: RunTable) {
    this.#marks = new Uint8Array(table.size);
    this.#counts = new Uint32Array(3 * table.size);
    this.#same = new Uint8Array(table.size);
  }

  set(id: number, [read, clicked, other]: InteractionTally): void {
    this.#marks[id] = 1;
    this.#counts.set([read, clicked, other], 3 * id);
  }

  get(id: number): InteractionTally | undefined {
    if (this.#marks[id] !== 1) return undefined;
    const c = this.#counts;
    return [c[3 * id]!, c[3 * id + 1]!, c[3 * id + 2]!];
  }

  /** The id of a key read now, its key compared whole; -1 if none. */
  idOf(key: string): number {
    const id = this.table.keys.get(key);
    return id >= 0 && this.#marks[id] === 1 && this.table.key(id) === key ? id : -1;
  }

  /** What the journal recorded for a key (the last record counts): whether it is what was read now. */
  recorded(key: string, read: number, clicked: number, other: number): void {
    const id = this.idOf(key);
    if (id < 0) return;
    const c = this.#counts;
    this.#same[id] = c[3 * id] === read && c[3 * id + 1] === clicked && c[3 * id + 2] === other ? 1 : 0;
  }

  /** Entries for the counts that differ from what the journal last recorded (or that it never did), in id order. */
  *changed(): Generator<InteractionEntry> {
    for (let id = 0; id < this.#marks.length; id++) {
      if (this.#marks[id] !== 1 || this.#same[id] === 1) continue;
      const c = this.#counts;
      yield [this.table.key(id), c[3 * id]!, c[3 * id + 1]!, c[3 * id + 2]!];
    }
  }

  *[Symbol.iterator](): Generator<[string, InteractionTally]> {
    for (let id = 0; id < this.#marks.length; id++) {
      const tally = this.get(id);
      if (tally) yield [this.table.key(id), tally];
    }
  }
}

export interface StatusInteractions {
  summary: InteractionSummary;
  /** The counts read now, for the messages actually fetched (none of an ambiguous id). */
  read: ReadCounts;
}

/**
 * Reads and clicks of the run's sent and delivered messages whose details were read (loadDetails with
 * `interactions`), by the table: no map over every recipient. An id two keys share (ambiguous) is not
 * asked about: its counts would be attributed to a key that may not be its message's.
 */
export async function statusInteractions(transport: Transport, detail: RunDetail): Promise<StatusInteractions> {
  const { table } = detail;
  const read = new ReadCounts(table);
  function* messages(): Generator<Delivery & { tableId: number }> {
    for (let id = 0; id < table.size; id++) {
      if (table.ambiguous.has(id) || !table.loaded(id)) continue;
      const d = table.delivery(id);
      if (d?.id !== undefined) yield { ...d, tableId: id };
    }
  }
  const summary = await fetchInteractions(transport, detail.state.header.channelId, messages(), (d, c) => {
    read.set(d.tableId, [c.read, c.clicked, c.other]);
  });
  return { summary, read };
}

/** The journal's entries for the counts read now that differ from what it last recorded (one pass of the journal). */
export async function interactionEntries(path: string, read: ReadCounts): Promise<Iterable<InteractionEntry>> {
  await journalInteractions(path, (key, r, c, o) => read.recorded(key, r, c, o));
  return { [Symbol.iterator]: () => read.changed() };
}

/**
 * The `status` records for what status read beside statuses: the replies and the first READS_CHUNK
 * interaction entries on the first, the rest READS_CHUNK a record; none when there is nothing new.
 */
export function* readsRecords(
  at: string,
  replies: ReplyEntry[] = [],
  interactions: Iterable<InteractionEntry> = [],
): Generator<JournalRecord> {
  let chunk: InteractionEntry[] = [];
  let first = true;
  const record = (): JournalRecord => ({
    t: 'status',
    at,
    entries: [],
    ...(first && replies.length > 0 ? { replies } : {}),
    ...(chunk.length > 0 ? { interactions: chunk } : {}),
  });
  for (const entry of interactions) {
    chunk.push(entry);
    if (chunk.length < READS_CHUNK) continue;
    yield record();
    first = false;
    chunk = [];
  }
  if (chunk.length > 0 || (first && replies.length > 0)) yield record();
}
