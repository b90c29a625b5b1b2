// Ask Bird what became of a run's messages: one GET per single-sent message, and the channel's
// message listing (paged, newest first, back to the run's start) for batch-sent ones, matched by
// batch id or by the reference chirp put on every request. The listing also settles unknown
// outcomes: a match proves the message exists; a complete listing without one proves it does not.
import { UserError } from '../errors.js';
import type { Transport } from '../transport/index.js';
import { recipientKey } from '../send/index.js';
import type { Delivery, RunDetail } from './run-detail.js';

export const FINAL = new Set(['delivered', 'sending_failed', 'delivery_failed', 'rejected', 'deleted', 'skipped']);
export const FAILED = new Set(['sending_failed', 'delivery_failed', 'rejected']);

interface BirdMessage {
  id?: string;
  status?: string;
  reference?: string;
  receiver?: { contacts?: { identifierValue?: string }[] };
  batchId?: string;
  createdAt?: string;
  failure?: { code?: number | string; description?: string };
}

export interface Refresh {
  updates: Map<string, Delivery>;
  /** Unknown outcomes proven to exist (accepted) or proven absent (resendable). */
  resolved: { accepted: string[]; resendable: string[] };
  /** Whether the listing went back past the run's start (required to prove an absence). */
  listingComplete: boolean;
  requests: number;
}

function delivery(m: BirdMessage): Delivery {
  return {
    status: m.status ?? 'accepted',
    ...(m.id ? { id: m.id } : {}),
    ...(m.failure?.code !== undefined ? { code: String(m.failure.code) } : {}),
    ...(m.failure?.description ? { description: m.failure.description } : {}),
  };
}

async function get(transport: Transport, path: string): Promise<{ http: number; body: unknown }> {
  const result = await transport.get(path);
  if ('kind' in result) {
    if (result.kind === 'fatal' || result.kind === 'failed') {
      const message = 'message' in result ? result.message : undefined;
      throw new UserError(result.kind === 'fatal' && result.reason === 'auth' ? 'E_AUTH' : 'E_BIRD', `Bird refused GET ${path.split('?')[0]}: ${message ?? `HTTP ${'http' in result ? String(result.http) : '?'}`}`);
    }
    throw new UserError('E_BIRD_UNREACHABLE', `no answer from Bird for GET ${path.split('?')[0]}`);
  }
  return result;
}

export interface RefreshOptions {
  transport: Transport;
  channelId: string;
  /** Epoch ms of the run's start: the listing stops once it is older (with a minute of slack). */
  since: number;
  reconcile: boolean;
  /** The run's message id: recipient keys are hashes of it and the recipient. */
  messageId: string;
  /** Unknown outcomes younger than this (ms) are not declared absent: Bird's listing may lag. */
  graceMs: number;
  now: number;
}

export async function refreshStatuses(detail: RunDetail, options: RefreshOptions): Promise<Refresh> {
  const { transport, channelId } = options;
  const updates = new Map<string, Delivery>();
  const resolved = { accepted: [] as string[], resendable: [] as string[] };
  let requests = 0;
  const wantedByRef = new Map<string, string[]>();
  const wantedBatches = new Set<string>();
  const unknown = new Set<string>();

  for (const [key, state] of detail.state.recipients) {
    const known = detail.deliveries.get(key);
    if (state.status === 'accepted') {
      if (known && FINAL.has(known.status)) continue;
      const id = state.id ?? known?.id;
      if (id) {
        requests++;
        const { http, body } = await get(transport, `/channels/${channelId}/messages/${encodeURIComponent(id)}`);
        if (http === 200) updates.set(key, delivery(body as BirdMessage));
        continue;
      }
      const batchId = detail.batchIds.get(detail.batchOf.get(key) ?? -1);
      if (batchId) wantedBatches.add(batchId);
    } else if (state.status === 'unknown' && options.reconcile) {
      unknown.add(key);
    } else continue;
    const ref = detail.refs.get(key);
    if (ref) wantedByRef.set(ref, [...(wantedByRef.get(ref) ?? []), key]);
  }

  let listingComplete = false;
  const seenRefs = new Set<string>();
  if (wantedByRef.size > 0 || wantedBatches.size > 0) {
    let pageToken: string | undefined;
    for (;;) {
      requests++;
      const query = `limit=100${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`;
      const { body } = await get(transport, `/channels/${channelId}/messages?${query}`);
      const page = body as { results?: BirdMessage[]; nextPageToken?: string | null };
      let older = false;
      for (const m of page.results ?? []) {
        if (m.createdAt && Date.parse(m.createdAt) < options.since - 60_000) older = true;
        const keys = m.reference ? wantedByRef.get(m.reference) : undefined;
        if (!keys) continue;
        seenRefs.add(m.reference!);
        // The reference alone may be shared (a fixed `reference:`, or --allow-duplicates): the
        // receiver names the key; without one, only a reference unique to one key is proof.
        const to = m.receiver?.contacts?.[0]?.identifierValue;
        const byReceiver = to ? recipientKey(options.messageId, to, 1) : undefined;
        const key = byReceiver !== undefined ? keys.find((k) => k === byReceiver) : keys.length === 1 && m.reference!.startsWith('chirp:') ? keys[0] : undefined;
        if (key === undefined) continue;
        updates.set(key, delivery(m));
        if (unknown.delete(key)) resolved.accepted.push(key);
        const rest = keys.filter((k) => k !== key);
        if (rest.length > 0) wantedByRef.set(m.reference!, rest);
        else wantedByRef.delete(m.reference!);
      }
      pageToken = page.nextPageToken ?? undefined;
      if (older || !pageToken) {
        listingComplete = true;
        break;
      }
      if (wantedByRef.size === 0) break;
    }
  }
  // Absence is proven only by a listing that reached back past the run's start, for a key no listed
  // message might be (no message carried its reference), and old enough for the listing to show it.
  if (listingComplete) {
    for (const key of unknown) {
      const ref = detail.refs.get(key);
      const state = detail.state.recipients.get(key);
      if (ref === undefined || seenRefs.has(ref) || !state || options.now - Date.parse(state.at) < options.graceMs) continue;
      resolved.resendable.push(key);
    }
  }
  return { updates, resolved, listingComplete, requests };
}
