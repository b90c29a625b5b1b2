// What `chirp status --replies` reports: the replies of the run's recipients that ask to stop (the whole
// reply is a stop word) and those that mention one, each with the `chirp suppress add` command that
// adds its sender, unless a suppression list holds them already. Numbers in full here; reporters mask.
import type { ChirpStatusOutput } from '../schema/index.js';
import type { ReplyListing, Reply } from './replies.js';

/** What `status --replies` reports: the generated type of schemas/status-output.schema.json's `replies`. */
export type RepliesSummary = NonNullable<ChirpStatusOutput['replies']>;
export type ReplyItem = RepliesSummary['stop'][number];

export interface ReplySummaryOptions {
  runId: string;
  words: readonly string[];
  /** Whether a normalised receiver is on a list; undefined: the lists could not be read. */
  onList?: ((receiver: string) => boolean) | undefined;
  /** Said when the lists could not be read. */
  listProblem?: string | undefined;
  /** Recipient key → receiver, for replies only the journal knew (from the run's data). */
  receiverOf?: ((key: string) => string | undefined) | undefined;
  /** Said when numbers of journalled replies could not be recovered. */
  receiverProblem?: string | undefined;
}

const quote = (arg: string): string => (/^[\w./:@=+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

/** The listing of now and the journal's record of earlier listings, as one report. */
export function summarizeReplies(
  listing: ReplyListing,
  journalled: ReadonlyMap<string, Reply>,
  options: ReplySummaryOptions,
): RepliesSummary {
  const all = new Map<string, Reply>(journalled);
  for (const r of listing.replies) all.set(r.id, { ...all.get(r.id), ...r });
  const stop: ReplyItem[] = [];
  const mentions: ReplyItem[] = [];
  const notes: string[] = [];
  if (!listing.complete) notes.push(`replies may be missing: ${listing.reason ?? 'the listing was not read to its end'}`);
  if (listing.directionRefused)
    notes.push('Bird refused direction=incoming (HTTP 400): every message of the window was read and filtered here');
  if (listing.outgoingListed > 0)
    notes.push(`Bird listed ${listing.outgoingListed} outgoing message(s) for direction=incoming (ignored here: each message is checked)`);
  let unnamed = 0;
  // One item per sender: its first request to stop, else its first mention (a second STOP adds nothing).
  const sorted = [...all.values()].sort((a, b) => a.at.localeCompare(b.at));
  const listed = new Set<string>();
  for (const r of [...sorted.filter((x) => x.kind === 'stop'), ...sorted.filter((x) => x.kind === 'mention')]) {
    if (listed.has(r.key)) continue;
    listed.add(r.key);
    const receiver = r.receiver ?? options.receiverOf?.(r.key) ?? null;
    if (receiver === null) unnamed++;
    const onList = receiver !== null && options.onList ? options.onList(receiver) : null;
    const reason = `replied ${r.word ?? 'stop'} (run ${options.runId}, ${r.at.slice(0, 10)})`;
    const item: ReplyItem = {
      receiver,
      at: r.at,
      word: r.word ?? '',
      onList,
      command: receiver !== null && onList !== true ? `chirp suppress add ${quote(receiver)} --reason ${quote(reason)}` : null,
      messageId: r.id,
    };
    (r.kind === 'stop' ? stop : mentions).push(item);
  }
  if (unnamed > 0)
    notes.push(
      `${unnamed} reply(ies) recorded by an earlier status are no longer listed by Bird, and the journal keeps no numbers: their senders cannot be named${options.receiverProblem ? ` (${options.receiverProblem})` : ''}`,
    );
  if (options.listProblem) notes.push(`the suppression lists could not be read: ${options.listProblem}`);
  return {
    stopWords: [...options.words],
    complete: listing.complete,
    reason: notes.length > 0 ? notes.join('; ') : null,
    startAt: listing.startAt,
    endAt: listing.endAt,
    pages: listing.pages,
    replies: all.size,
    fromOthers: listing.fromOthers,
    stop,
    mentions,
    notOnList: [...stop, ...mentions].filter((i) => i.onList !== true).length,
  };
}
