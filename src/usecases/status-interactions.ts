// `chirp status --interactions`, journalled: each message's reads and clicks as counted now, recorded
// (per recipient key) when they differ from what the journal last holds, on the same `status` record as
// the replies `--replies` read. The counts a run's messages had survive a crash and Bird's retention.
import type { InteractionEntry, JournalRecord, ReplyEntry } from '../journal/index.js';
import {
  fetchInteractions,
  newInteractionEntries,
  type Delivery,
  type InteractionSummary,
  type InteractionTally,
  type JournalReads,
  type RunDetail,
} from '../status/index.js';
import type { Transport } from '../transport/index.js';

export interface StatusInteractions {
  summary: InteractionSummary;
  /** Recipient key → the counts read now, for the messages actually fetched (none of an ambiguous id). */
  read: Map<string, InteractionTally>;
}

/**
 * Reads and clicks of the run's sent and delivered messages whose details were read (loadDetails with
 * `interactions`), by the table: no map over every recipient. An id two keys share (ambiguous) is not
 * asked about: its counts would be attributed to a key that may not be its message's.
 */
export async function statusInteractions(transport: Transport, detail: RunDetail): Promise<StatusInteractions> {
  const { table } = detail;
  const read = new Map<string, InteractionTally>();
  function* messages(): Generator<Delivery & { key: string }> {
    for (let id = 0; id < table.size; id++) {
      if (table.ambiguous.has(id) || !table.loaded(id)) continue;
      const d = table.delivery(id);
      if (d?.id !== undefined) yield { ...d, key: table.key(id) };
    }
  }
  const summary = await fetchInteractions(transport, detail.state.header.channelId, messages(), (d, c) => {
    read.set(d.key, [c.read, c.clicked, c.other]);
  });
  return { summary, read };
}

/** The journal's entries for the counts read now that differ from what it last recorded. */
export function interactionEntries(read: ReadonlyMap<string, InteractionTally>, journalled: JournalReads): InteractionEntry[] {
  return newInteractionEntries(read, journalled.interactions);
}

/** One `status` record for what status read beside statuses; undefined when there is nothing new. */
export function readsRecord(at: string, replies: ReplyEntry[] = [], interactions: InteractionEntry[] = []): JournalRecord | undefined {
  if (replies.length === 0 && interactions.length === 0) return undefined;
  return {
    t: 'status',
    at,
    entries: [],
    ...(replies.length > 0 ? { replies } : {}),
    ...(interactions.length > 0 ? { interactions } : {}),
  };
}
