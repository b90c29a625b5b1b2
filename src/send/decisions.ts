// The send plan: what `send` would do, computed from the rendered rows and the journal without
// sending anything. `send --dry-run` prints it; a real send executes the same decisions.
import type { RecipientState } from '../journal/index.js';
import type { Diagnostic } from '../types.js';
import { maskRecipient } from '../util/index.js';
import type { RowLocale } from '../render/index.js';

/**
 * What happens to one rendered request. `reached-other`: an earlier run of this message reached (or
 * may have reached) this recipient with other bytes: the message was edited since.
 */
export type Decision = 'send' | 'already-sent' | 'unknown-skip' | 'failed-before' | 'reached-other';

/**
 * The idempotency rule, for one recipient of one message to one destination, given the strongest
 * state any run in the journal folder holds for it and the hash of the exact request bytes now:
 * sent → skip; unknown → hold unless --retry-unknown; failed, not sent (or proved absent) → send. Reached with other bytes → the
 * caller decides (refuse, --only-unreached, --send-again). A format-1 record has no hash: same bytes.
 */
export function decide(state: RecipientState | undefined, retryUnknown: boolean, hash?: string): Decision {
  const edited = state?.hash !== undefined && hash !== undefined && state.hash !== hash;
  switch (state?.status) {
    case undefined:
    case 'resendable':
      return 'send';
    case 'accepted':
      return edited ? 'reached-other' : 'already-sent';
    case 'failed':
      // Bird refused it: nothing was created, so sending again can never duplicate (a fixed row, a
      // failures file fed back).
      return 'send';
    case 'unknown':
    case 'pending':
      if (edited) return 'reached-other';
      return retryUnknown ? 'send' : 'unknown-skip';
  }
}

/** How much a state says was sent (as the journal folder ranks two runs' states of one key). */
const RANK: Record<RecipientState['status'], number> = { accepted: 4, pending: 3, unknown: 3, failed: 2, resendable: 1 };

/** Of one recipient's states under two keys, the one that says more may have reached them. */
export function stronger(a: RecipientState | undefined, b: RecipientState | undefined): RecipientState | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return RANK[b.status] > RANK[a.status] ? b : a;
}

export interface PlanSample {
  row: number;
  /** Masked unless the caller reveals it. */
  recipient: string;
  runId?: string;
  at?: string;
  code?: string;
  message?: string;
}

const SAMPLE_LIMIT = 20;

export interface SendPlan {
  messageId: string;
  /** The API origin the run sends to (run identity), when known. */
  apiOrigin?: string;
  channelId: string;
  workspace: string;
  /** Valid, distinct recipients in the input (after --limit). */
  recipients: number;
  invalid: number;
  invalidSamples: Diagnostic[];
  duplicates: number;
  duplicateSamples: Diagnostic[];
  /** Rows never sent for consent: on a suppression list, or (counted in `noConsent` too) without opt-in. No samples: never the numbers. */
  suppressed: number;
  noConsent: number;
  alreadySent: number;
  alreadySentSamples: PlanSample[];
  unknown: number;
  unknownSamples: PlanSample[];
  failedBefore: number;
  failedBeforeSamples: PlanSample[];
  /** Reached by an earlier run with an earlier version of the message, and not sent the new one (--only-unreached). */
  reachedEarlier: number;
  reachedEarlierSamples: PlanSample[];
  /** Reached with an earlier version, with neither --only-unreached nor --send-again: the send is refused. */
  conflicts: number;
  conflictSamples: PlanSample[];
  /** Runs whose records decided something here (newest first). */
  earlierRuns: string[];
  toSend: number;
  /** With `--window check`: recipients whose window was closed, sent the fallback template or skipped. */
  windowChecked: boolean;
  fallback: number;
  fallbackSamples: PlanSample[];
  windowClosed: number;
  windowClosedSamples: PlanSample[];
  /** A message with `locale`: recipients per locale they get, how many of them fell back, and samples of fallbacks. */
  locales: LocaleCount[];
  localeFallbackSamples: PlanSample[];
  batchSize: number;
  batches: number;
  rate: number;
  /** Lower bound from the rate limit alone. */
  estimatedSeconds: number;
  /** The run this send continues, if any. */
  resumeRunId: string | undefined;
  /**
   * Runs of this message and data the journal holds against another API origin: this run is a new
   * destination and sends to everyone again (right for staging → production; not for a moved proxy).
   */
  otherOrigins?: { runId: string; apiOrigin: string; startedAt: string }[];
}

/** Recipients of one locale (the one they get) and how many of them asked for another. */
export interface LocaleCount {
  locale: string;
  recipients: number;
  fallback: number;
}

export class PlanBuilder {
  readonly plan: SendPlan;

  constructor(init: Pick<SendPlan, 'messageId' | 'channelId' | 'workspace' | 'batchSize' | 'rate' | 'resumeRunId' | 'apiOrigin'>) {
    this.plan = {
      ...init,
      recipients: 0,
      invalid: 0,
      invalidSamples: [],
      duplicates: 0,
      duplicateSamples: [],
      suppressed: 0,
      noConsent: 0,
      alreadySent: 0,
      alreadySentSamples: [],
      unknown: 0,
      unknownSamples: [],
      failedBefore: 0,
      failedBeforeSamples: [],
      toSend: 0,
      batches: 0,
      estimatedSeconds: 0,
      reachedEarlier: 0,
      reachedEarlierSamples: [],
      conflicts: 0,
      conflictSamples: [],
      earlierRuns: [],
      windowChecked: false,
      fallback: 0,
      fallbackSamples: [],
      windowClosed: 0,
      windowClosedSamples: [],
      locales: [],
      localeFallbackSamples: [],
    };
  }

  /** The locale a recipient gets (a message with `locale`): counted per locale, a fallback also sampled. */
  locale(row: number, recipient: string, locale: RowLocale, reveal: boolean): void {
    const p = this.plan;
    let count = p.locales.find((l) => l.locale === locale.used);
    if (!count) {
      count = { locale: locale.used, recipients: 0, fallback: 0 };
      p.locales.push(count);
      p.locales.sort((a, b) => (a.locale < b.locale ? -1 : 1));
    }
    count.recipients++;
    if (!locale.fallback) return;
    count.fallback++;
    if (p.localeFallbackSamples.length < SAMPLE_LIMIT)
      p.localeFallbackSamples.push({
        row,
        recipient: reveal ? recipient : maskRecipient(recipient),
        code: 'locale_fallback',
        message: `${locale.requested} → ${locale.used}`,
      });
  }

  /** A recipient whose window is closed: `fallback` when the template goes instead, else skipped. */
  closedWindow(row: number, recipient: string, reason: string, fallback: boolean, reveal: boolean): void {
    const p = this.plan;
    const sample = { row, recipient: reveal ? recipient : maskRecipient(recipient), code: 'window_closed', message: reason };
    if (fallback) {
      p.fallback++;
      if (p.fallbackSamples.length < SAMPLE_LIMIT) p.fallbackSamples.push(sample);
    } else {
      p.windowClosed++;
      p.toSend--;
      if (p.windowClosedSamples.length < SAMPLE_LIMIT) p.windowClosedSamples.push(sample);
    }
  }

  invalidRow(diagnostics: Diagnostic[]): void {
    this.plan.invalid++;
    if (this.plan.invalidSamples.length < SAMPLE_LIMIT * 5) this.plan.invalidSamples.push(...diagnostics);
  }

  duplicate(diagnostics: Diagnostic[]): void {
    this.plan.duplicates++;
    if (this.plan.duplicateSamples.length < SAMPLE_LIMIT) this.plan.duplicateSamples.push(...diagnostics);
  }

  /** A row skipped for consent (opted out, or no opt-in): counted, never sent, never journalled as an intent. */
  suppressed(reason: 'opted-out' | 'no-consent'): void {
    this.plan.suppressed++;
    if (reason === 'no-consent') this.plan.noConsent++;
  }

  recipient(row: number, recipient: string, decision: Decision, state: RecipientState | undefined, reveal: boolean): void {
    const p = this.plan;
    p.recipients++;
    const sample = (): PlanSample => ({
      row,
      recipient: reveal ? recipient : maskRecipient(recipient),
      ...(state ? { runId: state.runId, at: state.at } : {}),
      ...(state?.code ? { code: state.code } : {}),
      ...(state?.message ? { message: state.message } : {}),
    });
    if (decision === 'send') p.toSend++;
    else if (decision === 'reached-other') {
      p.conflicts++;
      if (p.conflictSamples.length < SAMPLE_LIMIT) p.conflictSamples.push(sample());
    } else if (decision === 'already-sent') {
      p.alreadySent++;
      if (p.alreadySentSamples.length < SAMPLE_LIMIT) p.alreadySentSamples.push(sample());
    } else if (decision === 'unknown-skip') {
      p.unknown++;
      if (p.unknownSamples.length < SAMPLE_LIMIT) p.unknownSamples.push(sample());
    } else {
      p.failedBefore++;
      if (p.failedBeforeSamples.length < SAMPLE_LIMIT) p.failedBeforeSamples.push(sample());
    }
  }

  /** A recipient the earlier version reached, left alone (--only-unreached). */
  reachedEarlier(row: number, recipient: string, state: RecipientState, reveal: boolean): void {
    const p = this.plan;
    p.recipients++;
    p.reachedEarlier++;
    if (p.reachedEarlierSamples.length < SAMPLE_LIMIT)
      p.reachedEarlierSamples.push({ row, recipient: reveal ? recipient : maskRecipient(recipient), runId: state.runId, at: state.at });
  }

  finish(): SendPlan {
    const p = this.plan;
    p.batches = Math.ceil(p.toSend / p.batchSize);
    p.estimatedSeconds = p.batches / p.rate;
    return p;
  }
}
