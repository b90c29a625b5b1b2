// Reconcile on Bird's clock, not the sender's. The journal's times are the sender's; Bird's listing
// filters on Bird's `createdAt`. The offset between the two is measured from the `Date` header of
// Bird's answers, checked against the `createdAt` of the run's own accepted messages, and widened by
// a margin. A clock too far off, or one that moved since the send, proves nothing: no absence.

/** Added on both sides of the window: request time vs createdAt, a clock that drifted since. */
export const DEFAULT_MARGIN_MS = 120_000;
/** A skew past this is reported and reconcile declares nobody absent. */
export const DEFAULT_MAX_SKEW_MS = 300_000;
/** Bird's listing is said to take at most 7 days between startAt and endAt (third-party evidence). */
export const MAX_LISTING_RANGE_MS = 7 * 86_400_000;

export interface ClockSample {
  /** Bird's `Date` header. */
  date: string;
  /** Local epoch ms when the request left and when the answer came. */
  sentAt: number;
  receivedAt: number;
}

export interface Offset {
  /** Bird's clock minus ours, ms (positive: Bird is ahead, our clock is slow). */
  offsetMs: number;
  /** How far the true offset may be from offsetMs (Date has 1-second resolution, plus the round trip). */
  uncertaintyMs: number;
  samples: number;
}

/** The offset from the answers seen; undefined when none carried a usable Date header. */
export function measureOffset(samples: readonly ClockSample[]): Offset | undefined {
  // Bird's time when it wrote the header lies in [date, date + 1 s) and in [sentAt, receivedAt] on our clock.
  let lo = -Infinity;
  let hi = Infinity;
  let used = 0;
  for (const s of samples) {
    const date = Date.parse(s.date);
    if (Number.isNaN(date)) continue;
    used++;
    lo = Math.max(lo, date - s.receivedAt);
    hi = Math.min(hi, date + 1000 - s.sentAt);
  }
  if (used === 0) return undefined;
  if (lo > hi) {
    // The samples disagree (a clock stepped meanwhile): take their whole span as the uncertainty.
    [lo, hi] = [hi, lo];
  }
  return { offsetMs: Math.round((lo + hi) / 2), uncertaintyMs: Math.ceil((hi - lo) / 2), samples: used };
}

export interface Anchor {
  /** Local epoch ms the journal gives for the message's request (its outcome time). */
  local: number;
  /** Bird's createdAt of that message. */
  bird: number;
}

export interface ClockRules {
  marginMs: number;
  maxSkewMs: number;
}

export type BirdWindow =
  { ok: true; startAt: number; endAt: number; offsetMs: number } | { ok: false; reason: string; offsetMs: number | undefined };

/**
 * The listing window on Bird's clock for requests the journal places between `localStart` and
 * `localEnd` (sender's clock), or why none can be trusted.
 */
export function birdWindow(
  localStart: number,
  localEnd: number,
  offset: Offset | undefined,
  anchors: Iterable<Anchor>,
  rules: ClockRules,
): BirdWindow {
  if (offset === undefined)
    return { ok: false, reason: "Bird's answers carried no Date header: the run cannot be placed on Bird's clock", offsetMs: undefined };
  const { offsetMs } = offset;
  const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`;
  if (Math.abs(offsetMs) > rules.maxSkewMs) {
    return {
      ok: false,
      offsetMs,
      reason: `this machine's clock is ${seconds(Math.abs(offsetMs))} ${offsetMs < 0 ? 'ahead of' : 'behind'} Bird's (more than ${seconds(rules.maxSkewMs)}): fix the clock (NTP) and reconcile again`,
    };
  }
  const slack = rules.marginMs + offset.uncertaintyMs;
  for (const a of anchors) {
    const drift = a.bird - (a.local + offsetMs);
    if (Math.abs(drift) > slack) {
      return {
        ok: false,
        offsetMs,
        reason: `a message of this run was created ${seconds(Math.abs(drift))} ${drift < 0 ? 'before' : 'after'} the journal's time for it on Bird's clock: the clock that wrote the journal was off then; reconcile from a machine with the sender's clock, or resend with --retry-unknown knowingly`,
      };
    }
  }
  let startAt = localStart + offsetMs - slack;
  let endAt = localEnd + offsetMs + slack;
  for (const a of anchors) {
    startAt = Math.min(startAt, a.bird - rules.marginMs);
    endAt = Math.max(endAt, a.bird + rules.marginMs);
  }
  return { ok: true, startAt, endAt, offsetMs };
}

/** The window cut into pieces Bird's listing accepts (≤ 7 days each), oldest first. */
export function windowChunks(startAt: number, endAt: number, maxMs = MAX_LISTING_RANGE_MS): [number, number][] {
  const chunks: [number, number][] = [];
  for (let from = startAt; from < endAt; from += maxMs) chunks.push([from, Math.min(endAt, from + maxMs)]);
  return chunks.length > 0 ? chunks : [[startAt, endAt]];
}
