// The status of a run, summarised: how far each recipient's message got, each of Bird's outcomes as
// what it is (skipped and deleted are not "accepted"), failures and reasons grouped, scheduled
// messages with their time, and what could not be learnt this time.
import type { InteractionCounts } from './bird-message.js';
import { FAILED, FINAL, type ListingReport } from './fetch.js';
import type { RepliesSummary } from './reply-summary.js';
import type { RunTable } from './run-table.js';

/** How dispatch resolves an intent whose request never left (`not-sent:<reason>`). */
export const WITHDRAWN = 'not-sent:';

export interface StatusGroup {
  status: string;
  code: string;
  description: string;
  count: number;
}

/** A send of this run that is still going (its lock is held, or its journal grew just now). */
export interface SendActivity {
  pid?: number;
  host?: string;
  since?: string;
  /** How it was seen: the run's lock held by a live process, or the journal growing. */
  evidence: 'lock' | 'growing';
}

export interface StatusSummary {
  version: 1;
  runId: string;
  message: string;
  channelId: string;
  /** Recipients the journal names (sent to, or skipped by chirp). */
  recipients: number;
  /** Every recipient of the run's data it set out to reach; null when the journal cannot tell (an older run that never ended). */
  total: number | null;
  /** Recipients of the run's data never sent to (the send was interrupted or stopped first): `resumeCommand` sends them. */
  notSent: number;
  /** Skipped by chirp because their customer-care window was closed (`--window check`): still sendable. */
  windowClosed: number;
  /** Why the last send of the run ended; null if it did not (killed, crashed, or still running). */
  ended: 'complete' | 'interrupted' | 'stopped' | null;
  /** Someone of the run's data was not sent to (or the journal cannot tell): the run is not done, whatever its messages say. */
  unfinished: boolean;
  /** The command that continues the run (null when nothing is left to send). */
  resumeCommand: string | null;
  /** Accepted by Bird, no delivery news yet (accepted, processing). */
  accepted: number;
  sent: number;
  delivered: number;
  /** rejected + sending_failed + delivery_failed. */
  failed: number;
  /** Bird did not send them on purpose (suppressed: frequency cap, quiet hours, holdout...). */
  skipped: number;
  deleted: number;
  /** Waiting for their `scheduledFor`. */
  scheduled: number;
  /** Scheduled messages by time, earliest first. */
  scheduledTimes: { at: string; count: number }[];
  /** Every Bird status seen, counted. */
  byStatus: Record<string, number>;
  /** Bird refused the request at send time (4xx). */
  sendFailed: number;
  /** The send outcome is unknown (run `chirp status --reconcile`). */
  unknown: number;
  /** Proven absent by reconciliation: `chirp send` will resend them. */
  resendable: number;
  /** Intents of a send still running, not answered yet (not unknown: the send is on it). */
  inFlight: number;
  /** Messages whose status could not be fetched this time (the last known one is counted above). */
  lookupFailed: number;
  lookupFailures: { reason: string; count: number }[];
  /** Every accepted message reached a final state. */
  final: boolean;
  /** Final, or scheduled for later: nothing more will happen until the scheduled time. */
  settled: boolean;
  failures: StatusGroup[];
  waited: number | null;
  /** A send of this run is still running. */
  sending: SendActivity | null;
  /** With --interactions: reads and clicks over the run's messages. */
  interactions: (InteractionCounts & { messages: number; errors: number }) | null;
  /** With --reconcile (or batch sends): how the listing went. */
  listing: ListingReport | null;
  /** Bird's clock minus this machine's, ms, when measured. */
  clockOffsetMs: number | null;
  /** Rows the run never sent for consent (suppression lists, opt-in), as its journal records; null: not recorded. */
  suppressed: number | null;
  /** With --replies: replies of the run's recipients that ask to stop; null when not asked. */
  replies: RepliesSummary | null;
}

/** What the journal says about the run as a whole, beyond its recipients' states. */
export interface RunExtent {
  /** The header's `planned`: how many recipients the run set out to reach. */
  planned?: number | undefined;
  ended?: 'complete' | 'interrupted' | 'stopped' | undefined;
  /** The last end record's summary. */
  endSummary?: Record<string, number> | undefined;
  /** The command that continues the run. */
  resumeCommand?: string | null;
}

export interface SummaryExtras {
  run?: RunExtent;
  /** Bird's clock now (epoch ms): a `scheduled` message later than this is settled for now. */
  birdNow?: number;
  sending?: SendActivity | null;
  interactions?: StatusSummary['interactions'];
  listing?: ListingReport;
  clockOffsetMs?: number;
  suppressed?: number;
  replies?: RepliesSummary;
  /** Count from the journal only: every message sent counts as accepted, whatever statuses it records. */
  journalOnly?: boolean;
}

export function summarize(
  header: { runId: string; messageId: string; channelId: string },
  table: RunTable,
  extras: SummaryExtras = {},
): StatusSummary {
  const recipients = table.recipients();
  const s: StatusSummary = {
    version: 1,
    runId: header.runId,
    message: header.messageId,
    channelId: header.channelId,
    recipients,
    total: null,
    notSent: 0,
    windowClosed: 0,
    ended: extras.run?.ended ?? null,
    unfinished: false,
    resumeCommand: null,
    accepted: 0,
    sent: 0,
    delivered: 0,
    failed: 0,
    skipped: 0,
    deleted: 0,
    scheduled: 0,
    scheduledTimes: [],
    byStatus: {},
    sendFailed: 0,
    unknown: 0,
    resendable: 0,
    inFlight: 0,
    lookupFailed: 0,
    lookupFailures: [],
    final: true,
    settled: true,
    failures: [],
    waited: null,
    sending: extras.sending ?? null,
    interactions: extras.interactions ?? null,
    listing: extras.listing ?? null,
    clockOffsetMs: extras.clockOffsetMs ?? null,
    suppressed: extras.suppressed ?? null,
    replies: extras.replies ?? null,
  };
  const groups = new Map<string, StatusGroup>();
  const group = (status: string, code: string, description: string): void => {
    const key = `${status}|${code}|${code === '?' ? description : ''}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { status, code, description, count: 1 });
  };
  const lookups = new Map<string, number>();
  const scheduled = new Map<string, number>();
  const birdNow = extras.birdNow ?? Date.now();
  for (let id = 0; id < table.size; id++) {
    const state = table.state(id);
    if (state === undefined) continue;
    if (table.ambiguous.has(id)) {
      // Two keys share this id (a 64-bit hash collision): which of them got what cannot be told.
      s.unknown++;
      continue;
    }
    if (state.status === 'failed') {
      s.sendFailed++;
      group('send_failed', state.code ?? '?', state.message ?? '');
      continue;
    }
    if (s.sending && (state.status === 'pending' || (state.status === 'unknown' && state.via === undefined && !state.code))) {
      // While the send runs, an intent without an outcome is a request on its way, not a mystery.
      s.inFlight++;
      continue;
    }
    if (state.status === 'unknown' || state.status === 'pending') {
      s.unknown++;
      continue;
    }
    if (state.status === 'resendable') {
      // An intent withdrawn before its request left (Ctrl-C, a stop): never sent, like the rest of the data.
      if (state.via?.startsWith(WITHDRAWN)) s.notSent++;
      else s.resendable++;
      continue;
    }
    const d = extras.journalOnly ? undefined : table.delivery(id);
    const status = d?.status ?? 'accepted';
    s.byStatus[status] = (s.byStatus[status] ?? 0) + 1;
    if (d?.lookupError !== undefined) {
      s.lookupFailed++;
      lookups.set(d.lookupError, (lookups.get(d.lookupError) ?? 0) + 1);
    }
    if (status === 'delivered') s.delivered++;
    else if (FAILED.has(status)) {
      s.failed++;
      group(status, d?.code ?? '?', d?.description ?? d?.reason ?? '');
    } else if (status === 'skipped' || status === 'deleted') {
      s[status]++;
      group(status, d?.code ?? '?', d?.reason ?? d?.description ?? '');
    } else if (status === 'sent') s.sent++;
    else if (status === 'scheduled') {
      s.scheduled++;
      const at = d?.scheduledFor ?? '?';
      scheduled.set(at, (scheduled.get(at) ?? 0) + 1);
    } else s.accepted++;
    if (!FINAL.has(status)) {
      s.final = false;
      // A message scheduled for later will not move before its time: settled for now.
      const later = status === 'scheduled' && d?.scheduledFor !== undefined && Date.parse(d.scheduledFor) > birdNow;
      if (!later) s.settled = false;
    }
  }
  if (s.sending) s.final = s.settled = false;
  extent(s, recipients, table.skippedOnly(), extras.run);
  s.failures = [...groups.values()].sort((a, b) => b.count - a.count);
  s.lookupFailures = [...lookups].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
  s.scheduledTimes = [...scheduled].map(([at, count]) => ({ at, count })).sort((a, b) => a.at.localeCompare(b.at));
  return s;
}

/**
 * The run as a whole: everyone of its data it set out to reach is sent to, skipped on purpose, or
 * counted as never sent. A run with anyone never sent is unfinished, however final its messages are.
 */
function extent(s: StatusSummary, recipients: number, closed: number, run: RunExtent | undefined): void {
  if (!run) {
    s.total = recipients;
    return;
  }
  s.windowClosed = closed;
  // Withdrawn intents (counted in notSent by summarize) were never sent: not among those the send reached.
  const withdrawn = s.notSent;
  s.recipients = recipients + closed - withdrawn;
  const ended = run.endSummary?.notSent;
  if (run.planned !== undefined) s.total = Math.max(run.planned, s.recipients + withdrawn);
  else if (run.ended !== undefined && typeof ended === 'number') s.total = s.recipients + Math.max(ended, withdrawn);
  // Neither recorded: an older journal whose send never ended (killed): nobody can say who is missing.
  s.notSent = s.total === null ? withdrawn : s.total - s.recipients;
  if (s.sending) return;
  s.unfinished = s.total === null || s.notSent + s.windowClosed > 0;
  if (s.unfinished) {
    s.final = false;
    s.resumeCommand = run.resumeCommand ?? null;
  }
}
