// `chirp status --replies`: the replies of a run's recipients that ask to stop, ready to be added with
// `chirp suppress add`. The channel's listing over the run's time (on Bird's clock, from the run's start to
// now, widened by a margin; by a day more when Bird's clock could not be measured), the replies an earlier
// status recorded in the journal, the suppression lists to tell who is on one already. What was read is
// returned as journal entries (keys, Bird's ids and times, the stop word: never a number or a text).
import type { Catalog } from '../catalog/index.js';
import { UserError } from '../errors.js';
import type { ReplyEntry } from '../journal/index.js';
import { firstCopyKeys } from '../send/index.js';
import {
  DEFAULT_STOP_WORDS,
  listReplies,
  loadDetails,
  measureOffset,
  newReplyEntries,
  stopWords,
  summarizeReplies,
  type RepliesSummary,
  type Reply,
  type ReplyListing,
  type RunDetail,
} from '../status/index.js';
import type { Transport } from '../transport/index.js';
import { isObject } from '../util/index.js';
import { messageCountry, suppressionOf } from './consent.js';
import { prepareMessage, renderMessage } from './prepare.js';

/** Around the run's window on Bird's clock; a day more when Bird's clock is not known. */
const MARGIN_MS = 120_000;
const UNKNOWN_CLOCK_MS = 86_400_000;

export interface StatusRepliesInput {
  catalog: Catalog;
  transport: Transport;
  detail: RunDetail;
  /** Local epoch ms now. */
  now: number;
  /** Bird's clock minus ours (ms), when measured. */
  offsetMs: number | undefined;
  /** Pages read at most (default 1000). */
  maxPages?: number;
  /** The local clock, epoch ms (default Date.now): times the probe of Bird's clock. */
  clock?: () => number;
}

export interface StatusReplies {
  summary: RepliesSummary;
  /** The replies read now that the journal does not hold yet. */
  entries: ReplyEntry[];
}

export async function statusReplies(input: StatusRepliesInput): Promise<StatusReplies> {
  const { catalog, detail } = input;
  const { header } = detail.state;
  const country = messageCountry(catalog, header.messageId);
  const words = catalog.config.stopWords ?? DEFAULT_STOP_WORDS;
  const matcher = stopWords(words);
  if ('error' in matcher) throw new UserError('E_CONFIG', `stopWords in ${catalog.config.configFile}: ${matcher.error}`);
  // Bird's clock from this status's answers; else from one small request of our own (statuses already
  // final ask Bird nothing); else the window is widened by a day.
  const offsetMs = input.offsetMs ?? (await probeOffset(input.transport, header.channelId, input.clock ?? (() => Date.now())));
  const offset = offsetMs ?? 0;
  const margin = MARGIN_MS + (offsetMs === undefined ? UNKNOWN_CLOCK_MS : 0);
  const { table } = detail;
  const listing = await listReplies({
    transport: input.transport,
    channelId: header.channelId,
    messageId: header.messageId,
    // A candidate by its 64-bit id; compared whole below.
    isRecipient: (key) => {
      const id = table.keys.get(key);
      return id >= 0 && (table.status(id) !== undefined || table.skipped(id));
    },
    startAt: Date.parse(header.startedAt) + offset - margin,
    endAt: input.now + offset + margin,
    stopWords: matcher,
    // A sender written without a country code is read as the run's message reads its recipients.
    defaultCountry: country,
    ...(input.maxPages !== undefined ? { maxPages: input.maxPages } : {}),
  });
  const journalled = await wholeKeys(detail, listing, detail.replies);

  let onList: ((receiver: string) => boolean) | undefined;
  let listProblem: string | undefined;
  if (catalog.config.suppress.length > 0) {
    try {
      const suppression = await suppressionOf(catalog);
      const check = suppression.forCountry(country, `message ${header.messageId}`);
      onList = (receiver) => check(receiver, false);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      listProblem = error.message;
    }
  } else onList = () => false;

  // Replies only the journal still knows (Bird no longer lists them): their senders from the run's data.
  const listed = new Set(listing.replies.map((r) => r.id));
  const unnamed = [...journalled.values()].filter((r) => r.kind !== 'reply' && !listed.has(r.id));
  const named = unnamed.length > 0 ? await receiversOf(catalog, detail, new Set(unnamed.map((r) => r.key))) : undefined;

  const summary = summarizeReplies(listing, journalled, {
    runId: header.runId,
    words,
    onList,
    listProblem,
    ...(named ? { receiverOf: (key: string) => named.receivers.get(key), receiverProblem: named.problem } : {}),
  });
  return { summary, entries: newReplyEntries(listing.replies, journalled) };
}

/**
 * Replies are attributed to a recipient by the whole key: the ids of their senders are read again
 * (loadDetails), a sender whose key only shares a recipient's 64-bit hash is one of the others, and the
 * replies of an id two keys of the journal share (ambiguous) go to neither (the caller warns).
 */
async function wholeKeys(detail: RunDetail, listing: ReplyListing, journalled: ReadonlyMap<string, Reply>): Promise<Map<string, Reply>> {
  const { table } = detail;
  const ids = [...listing.replies, ...journalled.values()].map((r) => table.keys.get(r.key)).filter((id) => id >= 0);
  if (ids.length > 0) await loadDetails(detail, { reconcile: false, ids });
  const whose = (key: string): 'recipient' | 'other' | 'ambiguous' => {
    const id = table.keys.get(key);
    if (id < 0) return 'other';
    if (table.ambiguous.has(id)) return 'ambiguous';
    return table.loaded(id) && table.key(id) === key ? 'recipient' : 'other';
  };
  const kept: Reply[] = [];
  for (const r of listing.replies) {
    const who = whose(r.key);
    if (who === 'recipient') kept.push(r);
    else if (who === 'other') listing.fromOthers++;
  }
  listing.replies = kept;
  const known = new Map<string, Reply>();
  for (const [id, r] of journalled) if (whose(r.key) === 'recipient') known.set(id, r);
  return known;
}

/** Bird's clock minus ours from the Date header of one one-message listing; undefined when it has none. */
async function probeOffset(transport: Transport, channelId: string, clock: () => number): Promise<number | undefined> {
  const now = clock();
  const iso = (ms: number): string => encodeURIComponent(new Date(ms).toISOString());
  const sentAt = clock();
  const answer = await transport.get(
    `/channels/${encodeURIComponent(channelId)}/messages?limit=1&direction=incoming&startAt=${iso(now - 60_000)}&endAt=${iso(now)}`,
  );
  const receivedAt = clock();
  if ('kind' in answer || answer.date === undefined) return undefined;
  return measureOffset([{ date: answer.date, sentAt, receivedAt }])?.offsetMs;
}

/** The receivers of some recipient keys, read back from the run's data file (as `--failures` does). */
async function receiversOf(
  catalog: Catalog,
  detail: RunDetail,
  keys: ReadonlySet<string>,
): Promise<{ receivers: Map<string, string>; problem?: string }> {
  const receivers = new Map<string, string>();
  const { header } = detail.state;
  const data = typeof header.options.data === 'string' ? header.options.data : undefined;
  if (!data) return { receivers, problem: 'the run does not record its data file (sent from stdin or from a saved plan)' };
  try {
    const message = await prepareMessage(catalog, typeof header.options.message === 'string' ? header.options.message : header.messageId);
    const vars = isObject(header.options.vars) ? header.options.vars : undefined;
    for await (const item of renderMessage(message, { data: { path: data }, ...(vars ? { vars } : {}) })) {
      if ((item.kind !== 'request' && item.kind !== 'suppressed') || item.recipient === undefined) continue;
      // A receiver an earlier chirp journalled as written (`alias`) is found under that key too.
      for (const key of firstCopyKeys(header.messageId, item.recipient, item.kind === 'request' ? item.alias : undefined))
        if (keys.has(key)) receivers.set(key, item.recipient);
      if (receivers.size === keys.size) break;
    }
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { receivers, problem: `the run's data ${data} cannot be read back: ${error.message}` };
  }
  return { receivers, ...(receivers.size < keys.size ? { problem: `the run's data ${data} no longer names every sender` } : {}) };
}

export type { Reply };
