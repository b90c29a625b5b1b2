// Ask Bird what became of a run's messages: one GET per message whose id is known, and the channel's
// message listing for batch-sent ones (matched by the reference chirp put on every request and the
// receiver). The listing also settles unknown outcomes: a match proves the message exists; a
// listing read to its end over the run's whole window on Bird's clock, without one, proves it does not.
// What Bird cannot tell (a failed GET, a page that is not Bird's) is recorded per message, never thrown.
import { InternalError, UserError } from '../errors.js';
import type { GetResult, SendOutcome, Transport } from '../transport/index.js';
import { parseListingPage, parseMessage, type BirdMessage } from './bird-message.js';
import {
  birdWindow,
  DEFAULT_MARGIN_MS,
  DEFAULT_MAX_SKEW_MS,
  measureOffset,
  windowChunks,
  type Anchor,
  type BirdWindow,
  type ClockSample,
} from './clock.js';
import type { Delivery, RunDetail } from './run-detail.js';
import type { RunTable } from './run-table.js';
import { FINAL, Updates, type StatusSink } from './updates.js';
import { Wanted } from './wanted.js';
import { answeredWith, copiesOf, knownBirdId, sameRequest } from './copies.js';

export { FAILED, FINAL, Updates, type StatusSink } from './updates.js';

export interface ListingReport {
  /** Whether the listing was read to its end over the whole window (required to prove an absence). */
  complete: boolean;
  /** Why it is not (a page that is not Bird's, an error), or why absence was not declared. */
  reason?: string;
  /** The window on Bird's clock (ISO), when one was computed. */
  startAt?: string;
  endAt?: string;
  pages: number;
}

export interface Refresh {
  updates: Updates;
  /** Unknown outcomes proven to exist (accepted) or proven absent (resendable). */
  resolved: { accepted: string[]; resendable: string[] };
  /** Undefined when no listing was needed. */
  listing: ListingReport | undefined;
  /** Whether the listing was read to its end over the run's whole window. */
  listingComplete: boolean;
  /** Bird's clock minus ours, from the Date headers of this refresh's answers (ms). */
  offsetMs: number | undefined;
  requests: number;
  /** References indexed by hash (unknown outcomes; every wanted id only if a listed message had no receiver). */
  indexedRefs: number;
}

export interface RefreshOptions {
  transport: Transport;
  channelId: string;
  reconcile: boolean;
  /** The run's message id: recipient keys are hashes of it and the recipient. */
  messageId: string;
  /** Unknown outcomes younger than this (ms) are not declared absent: Bird's listing may lag. */
  graceMs: number;
  /** Local epoch ms. */
  now: number;
  /** Write the answers to the journal as they come; without it they are only in the table. */
  sink?: StatusSink;
  /**
   * Another refresh may follow in this process (`status --wait`): with a sink, the table still keeps
   * the Bird id and createdAt of answers that are not final (the next refresh asks them by id) and the
   * send times (its listing window); final answers are never asked again.
   */
  again?: boolean;
  /** The local clock (the one that wrote the journal); default Date.now. */
  clock?: () => number;
  /** Around the window on Bird's clock. Default 2 minutes. */
  marginMs?: number;
  /** A measured skew past this refuses to declare absence. Default 5 minutes. */
  maxSkewMs?: number;
}

function delivery(m: BirdMessage): Delivery {
  return {
    status: m.status,
    id: m.id,
    createdAt: m.createdAt,
    ...(m.failure?.code !== undefined ? { code: m.failure.code } : {}),
    ...(m.failure?.description ? { description: m.failure.description } : {}),
    ...(m.reason ? { reason: m.reason } : {}),
    ...(m.scheduledFor ? { scheduledFor: m.scheduledFor } : {}),
  };
}

/** Why a read failed, in words; throws only for what ends every read (the access key refused). */
function failure(result: SendOutcome): string {
  if (result.kind === 'fatal' && result.reason === 'auth') throw new UserError('E_AUTH', result.message);
  if (result.kind === 'failed') return `HTTP ${result.http}${result.message ? `: ${result.message}` : ''}`;
  if (result.kind === 'unknown') return result.reason;
  if (result.kind === 'fatal') return result.message;
  return `HTTP ${result.http}`;
}

class Reader {
  requests = 0;
  readonly samples: ClockSample[] = [];
  constructor(
    private readonly transport: Transport,
    private readonly clock: () => number,
  ) {}

  async get(path: string): Promise<GetResult | { error: string }> {
    this.requests++;
    // On the clock that wrote the journal: the offset relates Bird's times to the journal's.
    const sentAt = this.clock();
    const result = await this.transport.get(path);
    const receivedAt = this.clock();
    if ('kind' in result) return { error: failure(result) };
    if (result.date !== undefined) this.samples.push({ date: result.date, sentAt, receivedAt });
    return result;
  }
}

export async function refreshStatuses(detail: RunDetail, options: RefreshOptions): Promise<Refresh> {
  const { channelId } = options;
  const { table } = detail;
  if (table.released) throw new InternalError('a refresh after the references were let go');
  const reader = new Reader(options.transport, options.clock ?? Date.now);
  // Answers go straight into the table (nothing later in this refresh reads an id's delivery before its answer).
  const updates = new Updates(table, options.sink, options.again ?? false);
  const update = (id: number, d: Delivery, keep = false): void => updates.set(id, d, keep);
  const resolved = { accepted: [] as string[], resendable: [] as string[] };
  // The ids that want a listed message (found by the receiver's key, their reference compared whole); unknown outcomes (1).
  const wanted = new Wanted(table);
  // The run was started with `--allow-duplicates` (its header says so). A run resumed with it holds copies
  // too; copiesOf looks for them whatever the header says.
  const duplicates = detail.state.header.options.allowDuplicates === true;
  // Allocated only when unknown outcomes are to be settled.
  const unknown = new Uint8Array(options.reconcile ? table.size : 0);
  let unknowns = 0;
  let listingNeeded = false;
  const channel = `/channels/${encodeURIComponent(channelId)}/messages`;

  for (let key = 0; key < table.size; key++) {
    // Two keys share this id (a 64-bit hash collision): neither is asked about, resolved or written back.
    if (table.ambiguous.has(key)) continue;
    const status = table.status(key);
    if (status === 'accepted') {
      const delivered = table.deliveryStatus(key);
      if (delivered !== undefined && FINAL.has(delivered) && !table.lookupFailed(key)) continue;
      const known = table.delivery(key);
      const id = table.state(key)!.id ?? known?.id;
      if (id) {
        const answer = await reader.get(`${channel}/${encodeURIComponent(id)}`);
        const m = 'error' in answer ? answer : answer.http === 200 ? parseMessage(answer.body) : { error: `HTTP ${answer.http}` };
        if ('error' in m) update(key, { ...(known ?? { status: 'accepted' }), id, lookupError: m.error });
        else if (m.id !== id)
          update(key, { ...(known ?? { status: 'accepted' }), id, lookupError: `Bird answered with message ${m.id} for ${id}` });
        else update(key, delivery(m));
        await updates.flush();
        continue;
      }
      listingNeeded = true;
    } else if (status === 'unknown' && options.reconcile) {
      unknown[key] = 1;
      unknowns++;
      listingNeeded = true;
    } else continue;
    const ref = table.ref(key);
    if (ref) wanted.add(key, ref, unknown[key] === 1);
  }

  let listing: ListingReport | undefined;
  let window: BirdWindow | undefined;
  if (listingNeeded) {
    // One sample at least before the window is computed: Bird's clock is read from its answers.
    if (reader.samples.length === 0) {
      const iso = (ms: number): string => encodeURIComponent(new Date(ms).toISOString());
      await reader.get(`${channel}?limit=1&startAt=${iso(options.now - 60_000)}&endAt=${iso(options.now)}`);
    }
    const offset = measureOffset(reader.samples);
    const anchors = anchorsOf(table);
    // A loop, not Math.min(...times): a million arguments overflow the stack.
    let localStart = Date.parse(detail.state.header.startedAt);
    let localEnd = localStart;
    for (const k of wanted.open()) {
      const t = table.state(k)?.atMs ?? NaN;
      if (Number.isNaN(t)) continue;
      if (t < localStart) localStart = t;
      if (t > localEnd) localEnd = t;
    }
    const rules = { marginMs: options.marginMs ?? DEFAULT_MARGIN_MS, maxSkewMs: options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS };
    window = birdWindow(localStart, localEnd, offset, anchors, rules);
    // An untrusted clock still lets the listing find messages (proof of existence needs no clock):
    // read a wide window then, but declare nobody absent.
    const [from, to] = window.ok ? [window.startAt, window.endAt] : widest(localStart, localEnd, offset?.offsetMs, rules);
    listing = { complete: false, startAt: new Date(from).toISOString(), endAt: new Date(to).toISOString(), pages: 0 };
    // The anchors are read: a listed answer's id and createdAt go to the journal only (with a sink), but
    // where a later listed message's match reads the Bird id (src/status/copies.ts: a message listed twice
    // is told by its id): a recipient's copies, and every answer while unknown outcomes are to be settled
    // (whether a listed message is one already matched decides whether it keeps an unknown from absence).
    updates.keepDetails = unknowns > 0;
    // A refresh with a sink and no other after it: past the window, the send times are read only for
    // the unknown outcomes' grace (below). Without any, they go now (≈ 4 MB a million recipients).
    if (options.sink !== undefined && !options.again && unknowns === 0) table.releaseSendTimes();
    let complete = true;
    chunks: for (const [a, b] of windowChunks(from, to)) {
      let pageToken: string | undefined;
      for (;;) {
        if (wanted.size === 0) break chunks;
        const query = `limit=100&startAt=${encodeURIComponent(new Date(a).toISOString())}&endAt=${encodeURIComponent(new Date(b).toISOString())}${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`;
        const answer = await reader.get(`${channel}?${query}`);
        listing.pages++;
        const page = 'error' in answer ? answer : parseListingPage(answer.body);
        if ('error' in page) {
          complete = false;
          listing.reason = `the listing stopped at page ${listing.pages}: ${page.error}`;
          break chunks;
        }
        for (const m of page.results)
          match(m, table, wanted, options.messageId, duplicates, (id, copies) => {
            update(id, delivery(m), copies);
            if (unknown[id] === 1) {
              unknown[id] = 0;
              resolved.accepted.push(table.key(id));
              updates.accept(table.key(id));
            }
          });
        await updates.flush();
        // Never inferred from the order of the results (Bird does not document one): only the end of the pages counts.
        pageToken = page.nextPageToken;
        if (!pageToken) break;
      }
    }
    listing.complete = complete;
    if (complete && !window.ok) listing.reason = `nobody declared absent: ${window.reason}`;
  }

  // Absence is proven only by a complete listing over a window on a trusted clock, for a key no
  // listed message might be (no message carried its reference), and old enough for the listing to show it.
  if (listing?.complete && window?.ok) {
    for (let id = 0; id < unknown.length; id++) {
      if (unknown[id] !== 1) continue;
      const ref = table.ref(id);
      const state = table.state(id);
      // A send time not known (NaN) proves no age: not declared absent.
      if (ref === undefined || wanted.seenByUnknown(ref) || !state || !(options.now - state.atMs >= options.graceMs)) continue;
      resolved.resendable.push(table.key(id));
    }
  }
  await updates.flush(true);
  const offsetMs = measureOffset(reader.samples)?.offsetMs;
  const { requests } = reader;
  return { updates, resolved, listing, listingComplete: listing?.complete ?? false, offsetMs, requests, indexedRefs: wanted.indexed };
}

/**
 * The listed message's key among those wanted, if it is provably one of them. `duplicates`: the run may
 * hold several copies of a recipient (`--allow-duplicates`), which may share the reference.
 */
function match(
  m: BirdMessage,
  table: RunTable,
  wanted: Wanted,
  messageId: string,
  duplicates: boolean,
  found: (id: number, copies: boolean) => void,
): void {
  if (!m.reference) return;
  // The reference alone may be shared (a fixed `reference:`, or --allow-duplicates): the
  // receiver names the key; without one, only a reference unique to one key is proof.
  // An id is a 64-bit hash: the receiver's key must be the wanted key whole, and its reference the message's.
  let key: number | undefined;
  // The recipient has several copies with this reference (or may have): the Bird id a match records tells them apart later.
  let shared = false;
  if (m.to) {
    const copies = copiesOf(table, messageId, m.to, m.reference);
    shared = copies.ids.length > 1 || copies.unsure;
    // Bird's id names the copy whose answer the journal holds: its message, no proof for another copy
    // (this is also how a message listed twice is matched once: the first match records its id).
    const owner = copies.ids.find((id) => knownBirdId(table, id) === m.id);
    if (owner !== undefined) {
      if (wanted.isOpen(owner)) take(owner, wanted, found, shared);
      // The id came from a listing (an earlier status's match, perhaps a guess between copies), not from
      // Bird's answer to this copy's request: another copy it may be keeps it from being declared absent,
      // unless every copy sent the same bytes (then the count is right whichever it is).
      const alone = copies.ids.length === 1 && !copies.unsure;
      if (!answeredWith(table, owner, m.id) && !alone && !(sameRequest(table, copies.ids) && !copies.unsure)) wanted.markSeen(m.reference);
      return;
    }
    // A listed message that carries an unknown outcome's reference: that one is not declared absent.
    wanted.markSeen(m.reference);
    if (copies.unsure) return;
    // One more message of the recipient than the copies matched so far: a copy Bird accepted has a
    // message, so it takes it first; an unknown copy only when it is the one left, or when the copies
    // left were sent the same bytes (the journal's request hash; never the reference, which a message
    // file may set, `chirp:…` included, for copies of other texts).
    const open = copies.ids.filter((id) => wanted.isOpen(id) && knownBirdId(table, id) === undefined);
    key = open.find((id) => table.status(id) === 'accepted');
    if (key === undefined && (open.length === 1 || sameRequest(table, open))) key = open[0];
  } else {
    wanted.markSeen(m.reference);
    // Without a receiver a copy cannot be told from another copy Bird accepted: no proof then.
    if (duplicates || !m.reference.startsWith('chirp:')) return;
    const keys = wanted.ids(m.reference);
    if (keys.length === 1) key = keys[0];
  }
  if (key !== undefined) take(key, wanted, found, shared);
}

/** `copies`: the recipient has copies (or may have): a later match tells them apart by the Bird id this one records. */
function take(id: number, wanted: Wanted, found: (id: number, copies: boolean) => void, copies: boolean): void {
  found(id, copies);
  wanted.take(id);
}

/** Bird's createdAt of the run's accepted messages beside the journal's time for each (read lazily, as often as asked). */
function anchorsOf(table: RunTable): Iterable<Anchor> {
  return {
    *[Symbol.iterator]() {
      for (let id = 0; id < table.size; id++) {
        const state = table.status(id) === 'accepted' ? table.state(id)! : undefined;
        // A key settled by an earlier reconcile carries that reconcile's time, not its send's.
        if (state === undefined || state.via !== undefined) continue;
        // This refresh's answers are in the table already (setDelivery keeps their createdAt, or NaN without one).
        const bird = table.createdMs(id);
        if (!Number.isNaN(bird)) yield { local: state.atMs, bird };
      }
    },
  };
}

/** Without a trusted clock: the run's times widened by the measured skew both ways and a day. */
function widest(localStart: number, localEnd: number, offsetMs: number | undefined, rules: { marginMs: number }): [number, number] {
  const skew = Math.abs(offsetMs ?? 0) + rules.marginMs + 86_400_000;
  return [localStart - skew, localEnd + skew];
}
