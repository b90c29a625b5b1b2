// `chirp status --interactions`, journalled: each message's reads and clicks as counted now, recorded
// (per recipient key) when they differ from what the journal last holds, on the same `status` record as
// the replies `--replies` read. The counts a run's messages had survive a crash and Bird's retention.
import type { InteractionEntry, JournalRecord, ReplyEntry } from '../journal/index.js';
import {
  fetchInteractions,
  journalReads,
  newInteractionEntries,
  type InteractionSummary,
  type InteractionTally,
  type RunDetail,
} from '../status/index.js';
import type { Transport } from '../transport/index.js';

export interface StatusInteractions {
  summary: InteractionSummary;
  /** Counts that differ from the journal's. */
  entries: InteractionEntry[];
}

export async function statusInteractions(transport: Transport, detail: RunDetail, path: string): Promise<StatusInteractions> {
  const keyOf = new Map<string, string>();
  for (const [key, d] of detail.deliveries) if (d.id !== undefined) keyOf.set(d.id, key);
  const read = new Map<string, InteractionTally>();
  const summary = await fetchInteractions(transport, detail.state.header.channelId, detail.deliveries.values(), (id, c) => {
    const key = keyOf.get(id);
    if (key !== undefined) read.set(key, [c.read, c.clicked, c.other]);
  });
  const { interactions } = await journalReads(path);
  return { summary, entries: newInteractionEntries(read, interactions) };
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
