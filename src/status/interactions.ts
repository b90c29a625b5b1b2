// Reads and clicks: WhatsApp's "read" is an interaction, not a status. One GET per message
// (GET .../messages/{id}/interactions), counted by type; a failed one is counted, never fatal.
import type { Transport } from '../transport/index.js';
import { parseInteractions, type InteractionCounts } from './bird-message.js';
import { FAILED } from './fetch.js';
import type { Delivery } from './run-detail.js';

export interface InteractionSummary extends InteractionCounts {
  messages: number;
  errors: number;
}

/** Messages Bird has sent (no interactions can exist before). */
const INTERACTIVE = new Set(['sent', 'delivered']);

export async function fetchInteractions<D extends Delivery>(
  transport: Transport,
  channelId: string,
  deliveries: Iterable<D>,
  /** Each message's counts once all its pages were read (the journal keeps them). */
  onMessage?: (delivery: D, counts: InteractionCounts) => void,
): Promise<InteractionSummary> {
  const total: InteractionSummary = { read: 0, clicked: 0, other: 0, messages: 0, errors: 0 };
  for (const d of deliveries) {
    if (!d.id || FAILED.has(d.status) || !INTERACTIVE.has(d.status)) continue;
    total.messages++;
    let pageToken: string | undefined;
    const counts: InteractionCounts = { read: 0, clicked: 0, other: 0 };
    for (let page = 0; page < 100; page++) {
      const path = `/channels/${encodeURIComponent(channelId)}/messages/${encodeURIComponent(d.id)}/interactions${pageToken ? `?pageToken=${encodeURIComponent(pageToken)}` : ''}`;
      const result = await transport.get(path);
      const parsed = 'kind' in result || result.http !== 200 ? undefined : parseInteractions(result.body);
      if (parsed === undefined || 'error' in parsed) {
        total.errors++;
        break;
      }
      total.read += parsed.counts.read;
      total.clicked += parsed.counts.clicked;
      total.other += parsed.counts.other;
      counts.read += parsed.counts.read;
      counts.clicked += parsed.counts.clicked;
      counts.other += parsed.counts.other;
      pageToken = parsed.nextPageToken;
      if (!pageToken) {
        onMessage?.(d, counts);
        break;
      }
    }
  }
  return total;
}
