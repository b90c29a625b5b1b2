// Replies from a run's recipients: the channel's message listing read for incoming messages over the
// run's time on Bird's clock, each one checked rather than trusted. `direction=incoming` is a filter
// only third parties describe: every message is checked to be incoming and of this channel, so a Bird
// that ignores the filter costs pages, not truth. A page that is not Bird's, a message of another
// channel, one with no direction or an incoming one with no sender chirp can read, a page token that
// comes back, or the page cap: the listing is not complete, and the caller says replies may be missing.
import { UserError } from '../errors.js';
import type { Transport } from '../transport/index.js';
import { recipientKey } from '../send/index.js';
import { parseRecipient, recipientIdentity } from '../util/index.js';
import { parseMessage } from './bird-message.js';
import { windowChunks } from './clock.js';
import type { StopWords } from './stop-words.js';

import type { ReplyKind } from '../journal/index.js';

export interface Reply {
  /** Bird's message id of the reply. */
  id: string;
  /** Bird's createdAt. */
  at: string;
  /** The recipient key of its sender in the run. */
  key: string;
  /** The sender, normalised (E.164, or an address); undefined when only the journal knew the reply. */
  receiver?: string;
  kind: ReplyKind;
  /** The stop word it matched (as configured). */
  word?: string;
}

export interface ReplyListing {
  /** Read to its last page in every chunk of the window, every message checked. */
  complete: boolean;
  /** Why it is not. */
  reason?: string;
  /** The window read, Bird's clock (ISO). */
  startAt: string;
  endAt: string;
  pages: number;
  /** Replies from the run's recipients, in the order Bird listed them, each once. */
  replies: Reply[];
  /** Incoming messages from people who are not recipients of the run (not listed). */
  fromOthers: number;
  /** Outgoing messages Bird listed although only incoming ones were asked for (filtered here). */
  outgoingListed: number;
  /** Bird answered 400 to `direction=incoming`: the listing was read without it, every message filtered here. */
  directionRefused?: boolean;
}

export interface ListRepliesOptions {
  transport: Transport;
  channelId: string;
  /** The run's message id: recipient keys are hashes of it and the recipient. */
  messageId: string;
  /** Whether a key is a recipient of the run. */
  isRecipient: (key: string) => boolean;
  /** The window on Bird's clock (epoch ms). */
  startAt: number;
  endAt: number;
  stopWords: StopWords;
  defaultCountry?: string | undefined;
  /** Pages read at most, over every chunk (default 1000: 100,000 messages). */
  maxPages?: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The reply's text, when it is a text Bird's body names (`body.text.text`); a caption-less image has none. */
export function replyText(body: unknown): string | undefined {
  if (!isObject(body) || !isObject(body.text)) return undefined;
  return typeof body.text.text === 'string' ? body.text.text : undefined;
}

export async function listReplies(options: ListRepliesOptions): Promise<ReplyListing> {
  const { channelId } = options;
  const maxPages = options.maxPages ?? 1000;
  const listing: ReplyListing = {
    complete: false,
    startAt: new Date(options.startAt).toISOString(),
    endAt: new Date(options.endAt).toISOString(),
    pages: 0,
    replies: [],
    fromOthers: 0,
    outgoingListed: 0,
  };
  const seen = new Set<string>();
  const stop = (reason: string): ReplyListing => ({ ...listing, complete: false, reason });
  const path = `/channels/${encodeURIComponent(channelId)}/messages`;
  for (const [a, b] of windowChunks(options.startAt, options.endAt)) {
    const tokens = new Set<string>();
    let pageToken: string | undefined;
    for (;;) {
      if (listing.pages >= maxPages)
        return stop(`more than ${maxPages} pages of messages in the run's window: replies past them were not read`);
      const range = `startAt=${encodeURIComponent(new Date(a).toISOString())}&endAt=${encodeURIComponent(new Date(b).toISOString())}`;
      const filter = listing.directionRefused ? '' : 'direction=incoming&';
      const query = `limit=100&${filter}${range}${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`;
      const answer = await options.transport.get(`${path}?${query}`);
      listing.pages++;
      const where = `page ${listing.pages}`;
      // A Bird that does not know the filter may refuse it: the same page again without it (checked
      // message by message anyway). Only on a first page: a refusal mid-listing is no such answer.
      if (filter !== '' && pageToken === undefined && 'http' in answer && answer.http === 400) {
        listing.directionRefused = true;
        continue;
      }
      if ('kind' in answer) {
        if (answer.kind === 'fatal' && answer.reason === 'auth') throw new UserError('E_AUTH', answer.message);
        const why =
          answer.kind === 'unknown'
            ? answer.reason
            : answer.kind === 'failed'
              ? `HTTP ${answer.http}${answer.message ? `: ${answer.message}` : ''}`
              : answer.kind === 'accepted'
                ? `HTTP ${answer.http}`
                : answer.message;
        return stop(`the listing stopped at ${where}: ${why}`);
      }
      if (answer.http !== 200) return stop(`the listing stopped at ${where}: HTTP ${answer.http}`);
      const body = answer.body;
      if (!isObject(body) || !Array.isArray(body.results)) return stop(`${where} is not Bird's message listing`);
      const token = body.nextPageToken;
      if (token !== undefined && token !== null && typeof token !== 'string') return stop(`${where}: nextPageToken is not a string`);
      for (const [i, item] of (body.results as unknown[]).entries()) {
        const problem = take(item, options, listing, seen);
        if (problem !== undefined) return stop(`${where}, result ${i + 1}: ${problem}`);
      }
      pageToken = typeof token === 'string' && token !== '' ? token : undefined;
      if (!pageToken) break;
      // A token that comes back would page forever (or skip pages): the listing is not one to trust.
      if (tokens.has(pageToken)) return stop(`${where}: Bird handed back a page token it had given before`);
      tokens.add(pageToken);
    }
  }
  listing.complete = true;
  return listing;
}

/** One listed message: a reply of the run's recipients is kept; undefined, or why the listing cannot be trusted. */
function take(item: unknown, options: ListRepliesOptions, listing: ReplyListing, seen: Set<string>): string | undefined {
  const m = parseMessage(item);
  if ('error' in m) return m.error;
  const raw = item as Record<string, unknown>;
  if (raw.channelId !== options.channelId)
    return `a message of another channel (${JSON.stringify(raw.channelId)}) in this channel's listing`;
  if (raw.direction === 'outgoing') {
    listing.outgoingListed++;
    return undefined;
  }
  if (raw.direction !== 'incoming') return `a message whose direction is ${JSON.stringify(raw.direction)}, neither incoming nor outgoing`;
  // Chunks meet at their ends: a message at the seam is listed twice.
  if (seen.has(m.id)) return undefined;
  seen.add(m.id);
  const contact = isObject(raw.sender) && isObject(raw.sender.contact) ? raw.sender.contact : undefined;
  const from = typeof contact?.identifierValue === 'string' ? contact.identifierValue : undefined;
  if (from === undefined) return 'an incoming message that names no sender contact (sender.contact.identifierValue)';
  const parsed = parseRecipient(from, options.defaultCountry);
  if (!parsed.ok) return `an incoming message whose sender is not a number or address chirp reads (${parsed.reason})`;
  const receiver = parsed.recipient.value;
  // An address is keyed case-folded; a run of an earlier chirp keyed it in the case it was sent.
  const keys = [recipientKey(options.messageId, recipientIdentity(parsed.recipient), 1)];
  if (receiver !== recipientIdentity(parsed.recipient)) keys.push(recipientKey(options.messageId, receiver, 1));
  const key = keys.find((k) => options.isRecipient(k));
  if (key === undefined) {
    listing.fromOthers++;
    return undefined;
  }
  const text = replyText(raw.body);
  const match = text === undefined ? undefined : options.stopWords.match(text);
  listing.replies.push({
    id: m.id,
    at: m.createdAt,
    key,
    receiver,
    kind: match?.kind ?? 'reply',
    ...(match ? { word: match.word } : {}),
  });
  return undefined;
}
