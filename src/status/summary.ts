// The status of a run, summarised: how far each recipient's message got, failures grouped.
import type { RecipientState } from '../journal/index.js';
import { FAILED, FINAL } from './fetch.js';
import type { Delivery } from './run-detail.js';

export interface StatusGroup {
  status: string;
  code: string;
  description: string;
  count: number;
}

export interface StatusSummary {
  version: 1;
  runId: string;
  message: string;
  channelId: string;
  recipients: number;
  /** Accepted by Bird, no delivery news yet (accepted, processing, scheduled). */
  accepted: number;
  sent: number;
  delivered: number;
  failed: number;
  /** Bird refused the request at send time (4xx). */
  sendFailed: number;
  /** The send outcome is unknown (run `chirp status --reconcile`). */
  unknown: number;
  /** Proven absent by reconciliation: `chirp send` will resend them. */
  resendable: number;
  /** Every accepted message reached a final state. */
  final: boolean;
  failures: StatusGroup[];
  waited: number | null;
}

export function summarize(header: { runId: string; messageId: string; channelId: string }, recipients: ReadonlyMap<string, RecipientState>, deliveries: ReadonlyMap<string, Delivery>): StatusSummary {
  const s: StatusSummary = {
    version: 1, runId: header.runId, message: header.messageId, channelId: header.channelId, recipients: recipients.size,
    accepted: 0, sent: 0, delivered: 0, failed: 0, sendFailed: 0, unknown: 0, resendable: 0, final: true, failures: [], waited: null,
  };
  const groups = new Map<string, StatusGroup>();
  const group = (status: string, code: string, description: string): void => {
    const key = `${status}|${code}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { status, code, description, count: 1 });
  };
  for (const [key, state] of recipients) {
    if (state.status === 'failed') {
      s.sendFailed++;
      group('send_failed', state.code ?? '?', state.message ?? '');
      continue;
    }
    if (state.status === 'unknown' || state.status === 'pending') {
      s.unknown++;
      continue;
    }
    if (state.status === 'resendable') {
      s.resendable++;
      continue;
    }
    const d = deliveries.get(key);
    const status = d?.status ?? 'accepted';
    if (status === 'delivered') s.delivered++;
    else if (FAILED.has(status)) {
      s.failed++;
      group(status, d?.code ?? '?', d?.description ?? '');
    } else if (status === 'sent') s.sent++;
    else s.accepted++;
    if (!FINAL.has(status)) s.final = false;
  }
  s.failures = [...groups.values()].sort((a, b) => b.count - a.count);
  return s;
}

